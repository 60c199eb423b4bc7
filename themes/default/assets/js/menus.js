// The header's menus (the account menu and the phone menu) are <details> disclosures, so they
// open without JavaScript. This script adds what keyboard and pointer users expect of a menu:
// Escape closes the open one and puts focus back on its button; opening one closes the other;
// a click or a focus move outside closes it.
(function () {
  'use strict';
  var menus = Array.prototype.slice.call(document.querySelectorAll('details.account-menu, details.nav-phone'));
  if (!menus.length) return;

  function close(menu, refocus) {
    if (!menu.open) return;
    menu.open = false;
    if (refocus) menu.querySelector('summary').focus();
  }

  menus.forEach(function (menu) {
    menu.addEventListener('toggle', function () {
      if (!menu.open) return;
      menus.forEach(function (other) {
        if (other !== menu) close(other, false);
      });
    });
    menu.addEventListener('keydown', function (e) {
      if (e.key === 'Escape' && menu.open) {
        e.preventDefault();
        close(menu, true);
      }
    });
    menu.addEventListener('focusout', function (e) {
      if (e.relatedTarget && !menu.contains(e.relatedTarget)) close(menu, false);
    });
  });

  document.addEventListener('click', function (e) {
    menus.forEach(function (menu) {
      if (!menu.contains(e.target)) close(menu, false);
    });
  });
})();
