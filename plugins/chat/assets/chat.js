// Live chat on a conversation page (progressive enhancement: without this file the page
// still works through the messages plugin's form). Resumes from the last seen seq.
(function () {
  'use strict';
  var root = document.querySelector('[data-chat]');
  if (!root || !window.WebSocket) return;
  var conversation = Number(root.getAttribute('data-conversation'));
  var me = Number(root.getAttribute('data-me'));
  var lastSeq = Number(root.getAttribute('data-last-seq')) || 0;
  var list = root.querySelector('[data-chat-list]');
  // No form when the member blocks the other one: the conversation is read only.
  var form = root.querySelector('[data-chat-form]') || document.createElement('form');
  var textarea = form.querySelector('textarea') || document.createElement('textarea');
  var statusEl = root.querySelector('[data-chat-status]');
  var typingEl = root.querySelector('[data-chat-typing]');
  var errorEl = root.querySelector('[data-chat-error]');
  var presenceEl = root.querySelector('[data-chat-presence]');
  var L = function (k) {
    return root.getAttribute('data-l-' + k) || '';
  };
  var ws = null,
    delay = 500,
    refs = 0,
    typingTimer = null,
    removed = false,
    unseen = 0,
    baseTitle = document.title;

  function scrollDown() {
    list.scrollTop = list.scrollHeight;
  }
  function showError(text) {
    errorEl.textContent = text;
    errorEl.hidden = !text;
  }
  function setStatus(k) {
    statusEl.textContent = L(k);
    statusEl.setAttribute('data-state', k);
  }

  // One time format: the server's (the page's language, short time), in the reader's own
  // time zone, for the times rendered with the page and those that arrive live alike.
  var lang = document.documentElement.lang || undefined;
  var timeFormat = new Intl.DateTimeFormat(lang, { timeStyle: 'short' });
  var dateFormat = new Intl.DateTimeFormat(lang, { dateStyle: 'long' });
  var fullFormat = new Intl.DateTimeFormat(lang, { dateStyle: 'long', timeStyle: 'short' });
  function timeEl(ms) {
    var el = document.createElement('time');
    el.dateTime = new Date(ms).toISOString();
    el.title = fullFormat.format(new Date(ms));
    el.textContent = timeFormat.format(new Date(ms));
    return el;
  }
  function dayOf(ms) {
    var d = new Date(ms);
    return d.getFullYear() + '-' + (d.getMonth() + 1) + '-' + d.getDate();
  }
  function dayLabel(ms) {
    var today = new Date();
    if (dayOf(ms) === dayOf(today.getTime())) return L('today');
    today.setDate(today.getDate() - 1);
    if (dayOf(ms) === dayOf(today.getTime())) return L('yesterday');
    return dateFormat.format(new Date(ms));
  }
  function separator(ms) {
    var li = document.createElement('li');
    li.className = 'day-separator';
    li.setAttribute('data-day', dayOf(ms));
    var span = document.createElement('span');
    span.textContent = dayLabel(ms);
    li.appendChild(span);
    return li;
  }
  // Day separators and times in the reader's zone: the page's are redrawn once, and again
  // after older messages are loaded in place.
  function redraw() {
    Array.prototype.forEach.call(list.querySelectorAll('.day-separator'), function (el) {
      el.remove();
    });
    var previous = '';
    Array.prototype.forEach.call(list.querySelectorAll('.message[data-at]'), function (li) {
      var at = Number(li.getAttribute('data-at'));
      var day = dayOf(at);
      if (day !== previous) list.insertBefore(separator(at), li);
      previous = day;
      var old = li.querySelector('.message__time time');
      if (old) old.replaceWith(timeEl(at));
    });
  }

  function tools(li, m) {
    if (m.authorId !== me || m.deleted) return;
    var box = document.createElement('span');
    box.className = 'message__tools';
    var edit = document.createElement('button');
    edit.type = 'button';
    edit.textContent = L('edit');
    edit.addEventListener('click', function () {
      var text = window.prompt(L('edit'), li.getAttribute('data-source') || '');
      if (text && text.trim()) send({ type: 'edit', id: m.id, body: text });
    });
    var del = document.createElement('button');
    del.type = 'button';
    del.textContent = L('delete');
    del.addEventListener('click', function () {
      if (window.confirm(L('confirm'))) send({ type: 'delete', id: m.id });
    });
    box.appendChild(edit);
    box.appendChild(del);
    li.querySelector('.message__meta').appendChild(box);
  }

  function render(m) {
    var li = document.createElement('li');
    li.className = 'message' + (m.authorId === me ? ' message--mine' : '');
    li.id = 'm' + m.seq;
    li.setAttribute('data-seq', m.seq);
    li.setAttribute('data-id', m.id);
    li.setAttribute('data-at', m.createdAt);
    var img = document.createElement('img');
    img.className = 'message__avatar';
    img.src = root.getAttribute('data-avatars') + '/' + m.authorId + '/' + m.avatarFile;
    img.alt = '';
    img.width = 32;
    img.height = 32;
    li.appendChild(img);
    var content = document.createElement('div');
    content.className = 'message__content';
    var meta = document.createElement('div');
    meta.className = 'message__meta';
    var who = document.createElement('strong');
    who.className = 'message__author';
    who.textContent = m.author;
    meta.appendChild(who);
    meta.appendChild(document.createTextNode(' '));
    var when = document.createElement('span');
    when.className = 'message__time';
    when.appendChild(timeEl(m.createdAt));
    meta.appendChild(when);
    if (m.edited) {
      var e = document.createElement('span');
      e.className = 'muted';
      e.textContent = ' ' + L('edited');
      meta.appendChild(e);
    }
    content.appendChild(meta);
    var body = document.createElement(m.deleted ? 'p' : 'div');
    body.className = 'message__body' + (m.deleted ? ' muted' : '');
    if (m.deleted) body.textContent = L('deleted');
    else body.innerHTML = m.html; // sanitised on the server (markdown-it without HTML, then sanitize-html)
    content.appendChild(body);
    li.appendChild(content);
    tools(li, m);
    return li;
  }

  /** The newest message's time in the list, for the day separator of the next. */
  function lastAt() {
    var items = list.querySelectorAll('.message[data-at]');
    return items.length ? Number(items[items.length - 1].getAttribute('data-at')) : 0;
  }

  function onMessage(m) {
    if (m.seq <= lastSeq) return;
    lastSeq = m.seq;
    var li = render(m);
    if (m.authorId !== me && document.hidden) {
      li.classList.add('message--unread');
      unseen++;
      document.title = '(' + unseen + ') ' + baseTitle;
    }
    var previous = lastAt();
    if (!previous || dayOf(previous) !== dayOf(m.createdAt)) list.appendChild(separator(m.createdAt));
    list.appendChild(li);
    scrollDown();
    typingEl.textContent = '';
    if (!document.hidden) send({ type: 'read', conversation: conversation, seq: lastSeq });
  }

  function onEdit(m) {
    var old = document.getElementById('m' + m.seq);
    if (old) old.replaceWith(render(m));
    if (old) redraw();
  }

  // "Who is here": the other members connected, online or away; those who leave go.
  function onPresence(e) {
    (e.members || []).forEach(function (p) {
      if (p.user === me) return;
      var id = 'presence-' + p.user;
      var li = document.getElementById(id);
      if (p.state === 'offline') {
        if (li) li.remove();
        return;
      }
      if (!li) {
        li = document.createElement('li');
        li.id = id;
        presenceEl.appendChild(li);
      }
      li.className = 'is-' + p.state;
      li.textContent = p.name + ' · ' + L('here-' + p.state);
    });
  }

  // Scrolling back: earlier messages are loaded in place (keyset on seq); without the
  // socket the link opens the plain page of older messages.
  var older = root.querySelector('[data-chat-older]');
  function onHistory(e) {
    var first = list.querySelector('.message');
    var height = list.scrollHeight;
    (e.messages || []).forEach(function (m) {
      if (!document.getElementById('m' + m.seq)) list.insertBefore(render(m), first);
    });
    redraw();
    list.scrollTop += list.scrollHeight - height;
    if (!e.more && older) {
      older.closest('[data-chat-older-box]').remove();
      older = null;
    }
    if (older) older.removeAttribute('aria-busy');
  }
  if (older)
    older.addEventListener('click', function (ev) {
      var first = list.querySelector('[data-seq]');
      if (!first) return;
      if (send({ type: 'history', conversation: conversation, before: Number(first.getAttribute('data-seq')) })) {
        ev.preventDefault();
        older.setAttribute('aria-busy', 'true');
      }
    });

  function send(event) {
    if (!ws || ws.readyState !== 1) return false;
    event.ref = ++refs;
    ws.send(JSON.stringify(event));
    return true;
  }

  function connect() {
    if (removed) return;
    var url = (location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + root.getAttribute('data-socket');
    ws = new WebSocket(url);
    ws.onopen = function () {
      delay = 500;
      setStatus('online');
      ws.send(JSON.stringify({ type: 'sub', conversation: conversation, after: lastSeq }));
      if (document.hidden) ws.send(JSON.stringify({ type: 'presence', state: 'away' }));
    };
    ws.onmessage = function (msg) {
      var e;
      try {
        e = JSON.parse(msg.data);
      } catch {
        return;
      }
      if (e.conversation !== undefined && e.conversation !== conversation && e.type !== 'error') return;
      if (e.type === 'message') onMessage(e.message);
      else if (e.type === 'edit') onEdit(e.message);
      else if (e.type === 'history') onHistory(e);
      else if (e.type === 'typing') {
        typingEl.textContent = L('typing').replace('{name}', e.name);
        clearTimeout(typingTimer);
        typingTimer = setTimeout(function () {
          typingEl.textContent = '';
        }, 4000);
      } else if (e.type === 'presence') onPresence(e);
      else if (e.type === 'ack' && e.seq) {
        textarea.value = '';
        showError('');
      } else if (e.type === 'error') showError(e.message);
      else if (e.type === 'removed') {
        removed = true;
        showError(L('removed'));
        form.hidden = true;
        ws.close();
      }
    };
    ws.onclose = function () {
      setStatus('offline');
      if (removed) return;
      setTimeout(connect, delay);
      delay = Math.min(delay * 2, 15000);
    };
  }

  form.addEventListener('submit', function (ev) {
    var body = textarea.value.trim();
    if (!body) return;
    if (send({ type: 'send', conversation: conversation, body: body })) ev.preventDefault();
  });
  textarea.addEventListener('input', function () {
    send({ type: 'typing', conversation: conversation });
  });
  textarea.addEventListener('keydown', function (ev) {
    if (ev.key === 'Enter' && !ev.shiftKey && !ev.isComposing) {
      ev.preventDefault();
      form.requestSubmit();
    }
  });
  document.addEventListener('visibilitychange', function () {
    send({ type: 'presence', state: document.hidden ? 'away' : 'online' });
    if (!document.hidden) {
      unseen = 0;
      document.title = baseTitle;
      send({ type: 'read', conversation: conversation, seq: lastSeq });
    }
  });
  Array.prototype.forEach.call(list.querySelectorAll('.message--mine'), function (li) {
    var body = li.querySelector('.message__body');
    li.setAttribute('data-source', body ? body.textContent.trim() : '');
    if (!li.querySelector('.muted.message__body')) tools(li, { authorId: me, id: Number(li.getAttribute('data-id')), deleted: false });
  });
  redraw();
  setStatus('connecting');
  scrollDown();
  connect();
})();
