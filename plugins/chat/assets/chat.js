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
  // Other plugins' entries on others' messages ("Report"), as the page drew them for this member:
  // plain links, `{id}` standing for the message's id.
  var actionsTemplate = root.querySelector('template[data-chat-actions]');
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

  // One time format: the server's (the page's language, short time), in the zone the server
  // wrote the page's dates in (the member's, from their account) or else the browser's, for
  // the times rendered with the page and those that arrive live alike.
  var lang = document.documentElement.lang || undefined;
  var zone = root.getAttribute('data-time-zone') || undefined;
  function format(options) {
    try {
      return new Intl.DateTimeFormat(lang, Object.assign({ timeZone: zone }, options));
    } catch {
      zone = undefined; // an unknown zone: the browser's
      return new Intl.DateTimeFormat(lang, options);
    }
  }
  var timeFormat = format({ timeStyle: 'short' });
  var dateFormat = format({ dateStyle: 'long' });
  var fullFormat = format({ dateStyle: 'long', timeStyle: 'short' });
  var dayFormat = format({ year: 'numeric', month: '2-digit', day: '2-digit' });
  function timeEl(ms) {
    var el = document.createElement('time');
    el.dateTime = new Date(ms).toISOString();
    el.title = fullFormat.format(new Date(ms));
    el.textContent = timeFormat.format(new Date(ms));
    return el;
  }
  function dayOf(ms) {
    return dayFormat.format(new Date(ms));
  }
  function dayLabel(ms) {
    var now = Date.now();
    if (dayOf(ms) === dayOf(now)) return L('today');
    if (dayOf(ms) === dayOf(now - 86400000)) return L('yesterday');
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

  // Editing and deleting one's own messages, in place: an inline editor (Enter saves,
  // Escape cancels) and an inline confirmation, both usable with the keyboard alone.
  var current = function (seq) {
    return document.getElementById('m' + seq);
  };
  function button(text, className) {
    var b = document.createElement('button');
    b.type = 'button';
    b.className = className;
    b.textContent = text;
    return b;
  }
  function tools(li, m) {
    if (m.authorId !== me || m.deleted) return;
    var seq = Number(li.getAttribute('data-seq'));
    var body = li.querySelector('.message__body');
    if (body) body.id = 'body-' + seq;
    var box = document.createElement('span');
    box.className = 'message__tools';
    var edit = button(L('edit'), 'message__tool');
    edit.setAttribute('data-edit', '');
    edit.setAttribute('aria-describedby', 'body-' + seq);
    edit.addEventListener('click', function () {
      openEditor(seq, m.id);
    });
    var del = button(L('delete'), 'message__tool');
    del.setAttribute('data-delete', '');
    del.setAttribute('aria-describedby', 'body-' + seq);
    del.addEventListener('click', function () {
      confirmDelete(seq, m.id);
    });
    box.appendChild(edit);
    box.appendChild(del);
    li.querySelector('.message__meta').appendChild(box);
  }
  /** Cancel, then the action (as dialogs order them), kept together when the line wraps. */
  function buttons(cancel, action) {
    var span = document.createElement('span');
    span.className = 'message__buttons';
    span.appendChild(cancel);
    span.appendChild(action);
    return span;
  }
  function focusTool(seq, which) {
    var li = current(seq);
    var target = li && li.querySelector('[data-' + which + ']');
    (target || textarea).focus();
  }
  function inlineError(box) {
    var p = document.createElement('p');
    p.className = 'message__error';
    p.setAttribute('role', 'alert');
    p.hidden = true;
    box.appendChild(p);
    return function (text) {
      p.textContent = text || '';
      p.hidden = !text;
    };
  }

  /** Cancelling: a click on `cancel`, or Escape while in `keys`, runs `close`. */
  function cancelWith(cancel, keys, close) {
    cancel.addEventListener('click', close);
    keys.addEventListener('keydown', function (ev) {
      if (ev.key === 'Escape') {
        ev.preventDefault();
        close();
      }
    });
  }
  /** Sends `event` with `action` disabled until its answer (for `answered`); offline, `fail` says so. */
  function sendFrom(action, event, fail, answered) {
    action.disabled = true;
    var sent = send(event, function (e) {
      action.disabled = false;
      answered(e);
    });
    if (!sent) {
      action.disabled = false;
      fail(L('offline'));
    }
  }

  function openEditor(seq, id) {
    var li = current(seq);
    if (!li || li.querySelector('.message__editor')) return;
    var editor = document.createElement('form');
    editor.className = 'message__editor';
    var label = document.createElement('label');
    label.className = 'visually-hidden';
    label.htmlFor = 'edit-' + seq;
    label.textContent = L('edit-label');
    var input = document.createElement('textarea');
    input.id = 'edit-' + seq;
    input.className = 'input';
    input.rows = 2;
    input.maxLength = 4000;
    input.value = li.getAttribute('data-source') || '';
    input.setAttribute('aria-describedby', 'edit-hint-' + seq);
    var touched = false;
    input.addEventListener('input', function () {
      touched = true;
    });
    var bar = document.createElement('div');
    bar.className = 'message__editor-bar';
    var hint = document.createElement('span');
    hint.id = 'edit-hint-' + seq;
    hint.className = 'muted';
    hint.textContent = L('edit-hint');
    var cancel = button(L('cancel'), 'btn btn-ghost btn-sm');
    var save = button(L('save'), 'btn btn-primary btn-sm');
    save.type = 'submit';
    bar.appendChild(hint);
    bar.appendChild(buttons(cancel, save));
    editor.appendChild(label);
    editor.appendChild(input);
    editor.appendChild(bar);
    var fail = inlineError(editor);
    function close() {
      var now = current(seq);
      editor.remove();
      var body = now && now.querySelector('.message__body');
      if (body) body.hidden = false;
      focusTool(seq, 'edit');
    }
    cancelWith(cancel, input, close);
    input.addEventListener('keydown', function (ev) {
      if (ev.key === 'Enter' && !ev.shiftKey && !ev.isComposing) {
        ev.preventDefault();
        editor.requestSubmit();
      }
    });
    editor.addEventListener('submit', function (ev) {
      ev.preventDefault();
      var text = input.value.trim();
      if (text === (current(seq).getAttribute('data-source') || '').trim()) return close();
      sendFrom(save, { type: 'edit', id: id, body: text }, fail, function (e) {
        if (e.type === 'error') {
          fail(e.message);
          input.focus();
          return;
        }
        current(seq).setAttribute('data-source', text);
        close();
      });
    });
    li.querySelector('.message__body').hidden = true;
    li.querySelector('.message__content').appendChild(editor);
    input.focus();
    // The message as it was written (Markdown), not as it shows.
    send({ type: 'source', id: id }, function (e) {
      if (e.type === 'source' && !touched) {
        input.value = e.body;
        current(seq).setAttribute('data-source', e.body);
      }
    });
  }

  function confirmDelete(seq, id) {
    var li = current(seq);
    if (!li || li.querySelector('.message__confirm')) return;
    var box = document.createElement('div');
    box.className = 'message__confirm';
    box.setAttribute('role', 'group');
    box.setAttribute('aria-labelledby', 'confirm-' + seq);
    var question = document.createElement('span');
    question.id = 'confirm-' + seq;
    question.textContent = L('confirm');
    var yes = button(L('delete-yes'), 'btn btn-danger btn-sm');
    yes.setAttribute('data-confirm-delete', '');
    var no = button(L('cancel'), 'btn btn-ghost btn-sm');
    box.appendChild(question);
    box.appendChild(buttons(no, yes));
    var fail = inlineError(box);
    function close() {
      box.remove();
      focusTool(seq, 'delete');
    }
    cancelWith(no, box, close);
    yes.addEventListener('click', function () {
      sendFrom(yes, { type: 'delete', id: id }, fail, function (e) {
        if (e.type === 'error') return fail(e.message);
        box.remove();
        textarea.focus();
      });
    });
    li.querySelector('.message__content').appendChild(box);
    no.focus();
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
    // Hidden by a moderator: its author and the network's moderators read it marked, the others only that it was (no text reaches them).
    if (m.withheld) {
      var note = document.createElement('p');
      note.className = 'withheld-note';
      note.setAttribute('role', 'note');
      var strong = document.createElement('strong');
      strong.textContent = L('withheld');
      note.appendChild(strong);
      note.appendChild(document.createTextNode(' ' + L(m.authorId === me ? 'withheld-mine' : 'withheld-others')));
      content.appendChild(note);
    }
    var gone = m.deleted || m.hidden;
    var body = document.createElement(gone ? 'p' : 'div');
    body.className = 'message__body' + (gone ? ' muted' : '');
    if (gone) body.textContent = L(m.deleted ? 'deleted' : 'hidden');
    else body.innerHTML = m.html; // sanitised on the server (markdown-it without HTML, then sanitize-html)
    li.setAttribute('data-source', body.textContent.trim());
    content.appendChild(body);
    if (actionsTemplate && !m.deleted && !m.hidden && !m.withheld && m.authorId !== me) {
      var actions = document.createElement('p');
      actions.className = 'message__actions';
      Array.prototype.forEach.call(actionsTemplate.content.querySelectorAll('a'), function (a) {
        var link = a.cloneNode(true);
        link.setAttribute('href', a.getAttribute('href').split('{id}').join(String(m.id)));
        actions.appendChild(link);
      });
      if (actions.childNodes.length) content.appendChild(actions);
    }
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

  // An edit or deletion (from any tab): the message is drawn again; an editor open on it
  // stays open, and the focus stays where it was.
  function onEdit(m) {
    var old = current(m.seq);
    if (!old) return;
    var fresh = render(m);
    var focused = old.contains(document.activeElement) ? document.activeElement : null;
    var editor = old.querySelector('.message__editor');
    old.replaceWith(fresh);
    if (editor && !m.deleted) {
      fresh.querySelector('.message__body').hidden = true;
      fresh.querySelector('.message__content').appendChild(editor);
    }
    redraw();
    if (focused && focused.isConnected) focused.focus();
    else if (focused) (fresh.querySelector('[data-edit]') || textarea).focus();
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

  // Answers awaited by ref (the editor's and the confirmation's), called once.
  var pending = {};
  function send(event, answer) {
    if (!ws || ws.readyState !== 1) return false;
    event.ref = ++refs;
    if (answer) pending[event.ref] = answer;
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
      if (e.ref && pending[e.ref] && (e.type === 'ack' || e.type === 'error' || e.type === 'source')) {
        var answer = pending[e.ref];
        delete pending[e.ref];
        return answer(e);
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
      Object.keys(pending).forEach(function (ref) {
        var answer = pending[ref];
        delete pending[ref];
        answer({ type: 'error', message: L('offline') });
      });
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
    } else if (ev.key === 'ArrowUp' && !textarea.value) {
      // As in Slack and Teams: up in an empty composer edits one's last message.
      var mine = list.querySelectorAll('.message--mine [data-edit]');
      if (!mine.length) return;
      ev.preventDefault();
      mine[mine.length - 1].click();
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
