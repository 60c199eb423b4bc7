// The header's search box: `/` focuses it from anywhere on the page (not while typing), and
// suggestions (people, groups, tags) open under it while typing, from the JSON endpoint named
// by the form's data-suggest. Arrow keys move through them, Enter opens one, Escape closes.
// Without this script the box is a plain GET form to the results page.
(function () {
  'use strict';
  var form = document.querySelector('form.header-search');
  if (!form) return;
  var input = form.querySelector('input[name="q"]');
  var url = form.getAttribute('data-suggest');

  document.addEventListener('keydown', function (e) {
    if (e.key !== '/' || e.ctrlKey || e.metaKey || e.altKey) return;
    var t = e.target;
    if (t && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName))) return;
    e.preventDefault();
    input.focus();
    input.select();
  });

  if (!url) return;
  var list = document.createElement('ul');
  list.className = 'header-search__list';
  list.id = 'header-search-list';
  list.setAttribute('role', 'listbox');
  list.hidden = true;
  form.appendChild(list);
  input.setAttribute('role', 'combobox');
  input.setAttribute('aria-autocomplete', 'list');
  input.setAttribute('aria-controls', list.id);
  input.setAttribute('aria-expanded', 'false');

  var timer = null;
  var asked = 0;
  var active = -1;

  function options() {
    return Array.prototype.slice.call(list.querySelectorAll('.header-search__option'));
  }
  function close() {
    list.hidden = true;
    input.setAttribute('aria-expanded', 'false');
    input.removeAttribute('aria-activedescendant');
    active = -1;
  }
  function select(i) {
    var all = options();
    if (!all.length) return;
    active = (i + all.length) % all.length;
    all.forEach(function (o, n) {
      o.setAttribute('aria-selected', n === active ? 'true' : 'false');
    });
    input.setAttribute('aria-activedescendant', all[active].id);
  }
  function option(item, kind, n) {
    var li = document.createElement('li');
    var a = document.createElement('a');
    a.className = 'header-search__option';
    a.id = 'header-search-option-' + n;
    a.setAttribute('role', 'option');
    a.setAttribute('aria-selected', 'false');
    a.href = item.href;
    if (item.avatar) {
      var img = document.createElement('img');
      img.src = item.avatar;
      img.alt = '';
      a.appendChild(img);
    }
    var label = document.createElement('span');
    label.textContent = item.label;
    a.appendChild(label);
    if (item.detail) {
      var detail = document.createElement('span');
      detail.className = 'muted';
      detail.textContent = item.detail;
      a.appendChild(detail);
    }
    if (kind) {
      var k = document.createElement('span');
      k.className = 'header-search__kind';
      k.textContent = kind;
      a.appendChild(k);
    }
    li.appendChild(a);
    return li;
  }
  function show(data) {
    list.textContent = '';
    var n = 0;
    (data.people || []).forEach(function (p) {
      list.appendChild(option(p, data.kinds.people, n++));
    });
    (data.groups || []).forEach(function (g) {
      list.appendChild(option(g, data.kinds.groups, n++));
    });
    (data.tags || []).forEach(function (t) {
      list.appendChild(option(t, data.kinds.tags, n++));
    });
    if (data.all) list.appendChild(option(data.all, '', n++));
    list.hidden = false;
    input.setAttribute('aria-expanded', 'true');
    active = -1;
  }
  function ask() {
    var q = input.value.trim();
    if (q.length < 2) return close();
    var mine = ++asked;
    fetch(url + '?q=' + encodeURIComponent(q), { headers: { Accept: 'application/json' }, credentials: 'same-origin' })
      .then(function (r) {
        return r.ok ? r.json() : null;
      })
      .then(function (data) {
        if (data && mine === asked && document.activeElement === input) show(data);
      })
      .catch(function () {});
  }

  input.addEventListener('input', function () {
    clearTimeout(timer);
    timer = setTimeout(ask, 150);
  });
  input.addEventListener('keydown', function (e) {
    if (list.hidden) return;
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      select(active + (e.key === 'ArrowDown' ? 1 : -1));
    } else if (e.key === 'Enter' && active >= 0) {
      e.preventDefault();
      window.location.href = options()[active].href;
    } else if (e.key === 'Escape') {
      e.preventDefault();
      close();
    }
  });
  form.addEventListener('focusout', function (e) {
    if (!e.relatedTarget || !form.contains(e.relatedTarget)) setTimeout(close, 0);
  });
})();
