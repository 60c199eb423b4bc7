// Progressive enhancement of the attachments field in any content form (a status, a comment, a
// reply, a message...): drop files on the form to attach them, and send the form with a
// progress bar (XMLHttpRequest upload events). The form posts to its own plugin's route as it
// does without JavaScript, and the answer becomes the page: where the redirect led, or the form
// again with its messages. Without JavaScript the plain file input does the same.
(function () {
  'use strict';
  function setup(box) {
    var form = box.closest('form');
    var input = box.querySelector('input[type=file]');
    var bar = box.querySelector('[data-files-progress]');
    var status = box.querySelector('[data-files-status]');
    if (!form || !input || !bar || !status || !window.FormData || form.hasAttribute('data-attach-ready')) return;
    form.setAttribute('data-attach-ready', '1');
    var chosen = function () {
      var n = input.files ? input.files.length : 0;
      status.textContent = n ? (box.getAttribute('data-msg-chosen') || '').replace('__N__', String(n)) : '';
    };
    input.addEventListener('change', chosen);
    ['dragenter', 'dragover'].forEach(function (type) {
      form.addEventListener(type, function (e) {
        if (!e.dataTransfer || Array.prototype.indexOf.call(e.dataTransfer.types || [], 'Files') < 0) return;
        e.preventDefault();
        box.classList.add('is-over');
        status.textContent = box.getAttribute('data-msg-drop') || '';
      });
    });
    ['dragleave', 'drop'].forEach(function (type) {
      form.addEventListener(type, function () {
        box.classList.remove('is-over');
      });
    });
    form.addEventListener('drop', function (e) {
      if (!e.dataTransfer || !e.dataTransfer.files.length) return;
      e.preventDefault();
      input.files = e.dataTransfer.files;
      chosen();
    });
    form.addEventListener('submit', function (e) {
      if (!input.files || !input.files.length || e.defaultPrevented) return;
      e.preventDefault();
      var xhr = new window.XMLHttpRequest();
      xhr.open('POST', form.action);
      bar.hidden = false;
      bar.value = 0;
      var sending = box.getAttribute('data-msg-sending') || '';
      xhr.upload.addEventListener('progress', function (ev) {
        if (!ev.lengthComputable) return;
        var p = Math.round((ev.loaded / ev.total) * 100);
        bar.value = p;
        status.textContent = sending.replace('__P__', String(p));
      });
      xhr.addEventListener('load', function () {
        // The answer is shown as the page: where the redirect led (its flash message included),
        // or the form again with its messages and what was typed.
        var target = xhr.responseURL || '';
        document.open();
        document.write(xhr.responseText);
        document.close();
        if (target && window.history && window.history.replaceState) window.history.replaceState(null, '', target);
      });
      xhr.addEventListener('error', function () {
        bar.hidden = true;
        status.textContent = box.getAttribute('data-msg-failed') || '';
      });
      xhr.send(new window.FormData(form));
    });
  }
  var boxes = document.querySelectorAll('[data-files-attach]');
  for (var i = 0; i < boxes.length; i++) setup(boxes[i]);
})();
