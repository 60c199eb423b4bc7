// What the upload form (upload.js) and the attachments field (attach.js) share: files dragged
// over a target mark a box and land in a file input when dropped, and a form is sent with a
// progress bar (XMLHttpRequest upload events). `parts` names the elements: `target` (takes the
// drag), `box` (marked `is-over`), `input` (the file input), `bar` (a <progress>), `status` (says
// what happens) and `texts`, whose `data-msg-drop`, `data-msg-sending` (`__P__`: the percentage)
// and `data-msg-failed` attributes are the messages. Loaded before the scripts that use it.
(function () {
  'use strict';
  if (window.RucheFilesDrop) return;
  function text(parts, name) {
    return parts.texts.getAttribute('data-msg-' + name) || '';
  }
  function carriesFiles(e) {
    return !!e.dataTransfer && Array.prototype.indexOf.call(e.dataTransfer.types || [], 'Files') >= 0;
  }
  // Files dropped on parts.target land in parts.input; `dropped()` runs after.
  function takeDrops(parts, dropped) {
    ['dragenter', 'dragover'].forEach(function (type) {
      parts.target.addEventListener(type, function (e) {
        if (!carriesFiles(e)) return;
        e.preventDefault();
        parts.box.classList.add('is-over');
        parts.status.textContent = text(parts, 'drop');
      });
    });
    ['dragleave', 'drop'].forEach(function (type) {
      parts.target.addEventListener(type, function () {
        parts.box.classList.remove('is-over');
      });
    });
    parts.target.addEventListener('drop', function (e) {
      if (!e.dataTransfer || !e.dataTransfer.files.length) return;
      e.preventDefault();
      parts.input.files = e.dataTransfer.files;
      dropped();
    });
  }
  // The progress bar hidden again, and `message` (or the form's failure message) said.
  function failed(parts, message) {
    parts.bar.hidden = true;
    parts.status.textContent = message || text(parts, 'failed');
  }
  // Posts `form` (its fields and files) to its action; `answered(xhr)` reads the answer.
  function send(form, parts, accept, answered) {
    var xhr = new window.XMLHttpRequest();
    xhr.open('POST', form.action);
    if (accept) xhr.setRequestHeader('Accept', accept);
    parts.bar.hidden = false;
    parts.bar.value = 0;
    var sending = text(parts, 'sending');
    xhr.upload.addEventListener('progress', function (ev) {
      if (!ev.lengthComputable) return;
      var p = Math.round((ev.loaded / ev.total) * 100);
      parts.bar.value = p;
      parts.status.textContent = sending.replace('__P__', String(p));
    });
    xhr.addEventListener('load', function () {
      answered(xhr);
    });
    xhr.addEventListener('error', function () {
      failed(parts);
    });
    xhr.send(new window.FormData(form));
  }
  window.RucheFilesDrop = { takeDrops: takeDrops, send: send, failed: failed };
})();
