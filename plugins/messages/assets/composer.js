// The composer's recipient suggestions (progressive enhancement: without this file the
// form's member search adds people, and names are checked when the message is sent).
// Typing in "To" suggests members (name, avatar, user name); a click, Enter or Tab on a
// suggestion puts its user name in place of the word being typed.
(function () {
  'use strict';
  var form = document.querySelector('[data-composer]');
  if (!form || !window.fetch) return;
  var input = form.querySelector('#new-to');
  var list = form.querySelector('[data-composer-suggest]');
  var url = form.getAttribute('data-find');
  // "To" suggests as one types: the member search for pages without JavaScript is not needed.
  var find = form.querySelector('[data-composer-find]');
  if (find) find.hidden = true;
  var timer = null,
    active = -1,
    items = [],
    asked = 0;

  function words() {
    return input.value.split(',');
  }
  function current() {
    var w = words();
    return w[w.length - 1].trim().replace(/^@/, '');
  }
  function close() {
    list.hidden = true;
    list.innerHTML = '';
    items = [];
    active = -1;
    input.removeAttribute('aria-activedescendant');
    input.setAttribute('aria-expanded', 'false');
  }
  function choose(p) {
    var w = words();
    w[w.length - 1] = ' ' + p.username;
    input.value = w.join(',').replace(/^\s+/, '') + ', ';
    close();
    input.focus();
  }
  function highlight(k) {
    active = k;
    Array.prototype.forEach.call(list.children, function (li, i) {
      li.setAttribute('aria-selected', i === k ? 'true' : 'false');
    });
    if (k >= 0) input.setAttribute('aria-activedescendant', list.children[k].id);
  }
  function show(people) {
    list.innerHTML = '';
    items = people;
    people.forEach(function (p, k) {
      var li = document.createElement('li');
      li.id = 'suggest-' + k;
      li.setAttribute('role', 'option');
      li.setAttribute('aria-selected', 'false');
      var img = document.createElement('img');
      img.src = p.avatar;
      img.alt = '';
      img.width = 24;
      img.height = 24;
      var name = document.createElement('span');
      name.textContent = p.name;
      var user = document.createElement('span');
      user.className = 'muted';
      user.textContent = ' @' + p.username;
      li.appendChild(img);
      li.appendChild(name);
      li.appendChild(user);
      li.addEventListener('mousedown', function (ev) {
        ev.preventDefault();
        choose(p);
      });
      list.appendChild(li);
    });
    list.hidden = !people.length;
    input.setAttribute('aria-expanded', people.length ? 'true' : 'false');
    active = -1;
  }
  function ask() {
    var q = current();
    if (!q) return close();
    var mine = ++asked;
    fetch(url + '?q=' + encodeURIComponent(q), { credentials: 'same-origin', headers: { Accept: 'application/json' } })
      .then(function (r) {
        return r.ok ? r.json() : { people: [] };
      })
      .then(function (data) {
        if (mine !== asked) return;
        var taken = words().map(function (w) {
          return w.trim().toLowerCase();
        });
        show(
          (data.people || []).filter(function (p) {
            return taken.indexOf(p.username.toLowerCase()) < 0;
          }),
        );
      })
      .catch(close);
  }
  input.setAttribute('role', 'combobox');
  input.setAttribute('aria-autocomplete', 'list');
  input.setAttribute('aria-controls', list.id || (list.id = 'composer-suggest'));
  input.setAttribute('aria-expanded', 'false');
  input.addEventListener('input', function () {
    clearTimeout(timer);
    timer = setTimeout(ask, 150);
  });
  input.addEventListener('keydown', function (ev) {
    if (list.hidden) return;
    if (ev.key === 'ArrowDown') {
      ev.preventDefault();
      highlight((active + 1) % items.length);
    } else if (ev.key === 'ArrowUp') {
      ev.preventDefault();
      highlight((active - 1 + items.length) % items.length);
    } else if ((ev.key === 'Enter' || ev.key === 'Tab') && active >= 0) {
      ev.preventDefault();
      choose(items[active]);
    } else if (ev.key === 'Escape') close();
  });
  input.addEventListener('blur', function () {
    setTimeout(close, 100);
  });
})();
