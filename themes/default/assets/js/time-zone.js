// The browser's time zone, for a member who has not chosen one on their account page: the
// account page's list preselects it (saved when they press Save), and forms that read a
// time they type (a scheduled post) send it in a hidden field. Without JavaScript, UTC.
(function () {
  var zone;
  try {
    zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  } catch {
    return;
  }
  if (!zone) return;
  document.querySelectorAll('select[data-browser-zone]').forEach(function (select) {
    if (select.value) return;
    for (var i = 0; i < select.options.length; i++) {
      if (select.options[i].value === zone) {
        select.selectedIndex = i;
        return;
      }
    }
  });
  document.querySelectorAll('input[data-browser-zone]').forEach(function (input) {
    if (!input.value) input.value = zone;
  });
  document.querySelectorAll('[data-browser-zone-name]').forEach(function (el) {
    el.textContent = zone;
  });
})();
