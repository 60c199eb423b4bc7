// Progressive enhancement for the status composer: suggests members while typing @name.
// Without JavaScript the server still resolves @username when the post is saved.
(function () {
  'use strict';
  function setup(form) {
    var area = form.querySelector('textarea[name="body"]');
    var api = form.getAttribute('data-mentions');
    var botLabel = form.getAttribute('data-bot-label');
    if (!area || !api || !window.fetch) return;
    var list = document.createElement('ul');
    list.className = 'activity-mentions';
    list.setAttribute('role', 'listbox');
    list.hidden = true;
    form.appendChild(list);
    var items = [],
      active = 0,
      pending = 0;
    function word() {
      var before = area.value.slice(0, area.selectionStart);
      var m = /(^|[^\w@.])@([A-Za-z0-9][A-Za-z0-9_.-]{0,63})$/.exec(before);
      return m ? m[2] : null;
    }
    function close() {
      list.hidden = true;
      items = [];
    }
    function render() {
      list.innerHTML = '';
      items.forEach(function (it, i) {
        var li = document.createElement('li');
        li.setAttribute('role', 'option');
        li.setAttribute('aria-selected', i === active ? 'true' : 'false');
        li.textContent = it.displayName + ' @' + it.username;
        if (it.isBot && botLabel) {
          var badge = document.createElement('span');
          badge.className = 'badge badge--bot';
          badge.textContent = botLabel;
          li.appendChild(document.createTextNode(' '));
          li.appendChild(badge);
        }
        li.addEventListener('mousedown', function (e) {
          e.preventDefault();
          pick(i);
        });
        list.appendChild(li);
      });
      list.hidden = items.length === 0;
    }
    function pick(i) {
      var it = items[i],
        w = word();
      if (!it || w === null) return close();
      var pos = area.selectionStart;
      area.value = area.value.slice(0, pos - w.length) + it.username + ' ' + area.value.slice(pos);
      var caret = pos - w.length + it.username.length + 1;
      area.setSelectionRange(caret, caret);
      close();
      area.focus();
    }
    area.addEventListener('input', function () {
      var w = word();
      if (!w) return close();
      var ticket = ++pending;
      fetch(api + '?q=' + encodeURIComponent(w), { credentials: 'same-origin', headers: { Accept: 'application/json' } })
        .then(function (r) {
          return r.ok ? r.json() : { members: [] };
        })
        .then(function (data) {
          if (ticket === pending) {
            items = data.members || [];
            active = 0;
            render();
          }
        })
        .catch(close);
    });
    area.addEventListener('keydown', function (e) {
      if (list.hidden) return;
      if (e.key === 'ArrowDown') {
        active = (active + 1) % items.length;
        render();
        e.preventDefault();
      } else if (e.key === 'ArrowUp') {
        active = (active + items.length - 1) % items.length;
        render();
        e.preventDefault();
      } else if (e.key === 'Enter' || e.key === 'Tab') {
        pick(active);
        e.preventDefault();
      } else if (e.key === 'Escape') {
        close();
      }
    });
    area.addEventListener('blur', function () {
      setTimeout(close, 150);
    });
  }
  document.querySelectorAll('form[data-mentions]').forEach(setup);
})();
