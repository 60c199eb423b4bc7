// Progressive enhancement of the upload form: drop files on it, and send them with a progress
// bar (XMLHttpRequest upload events). Without JavaScript the same form posts as a plain
// multi-file form. The server judges everything again; refusals come back as messages.
(function () {
  'use strict';
  function setup(form) {
    var input = form.querySelector('input[type=file]');
    var zone = form.querySelector('[data-files-drop]');
    var bar = form.querySelector('[data-files-progress]');
    var status = form.querySelector('[data-files-status]');
    if (!input || !zone || !bar || !status || !window.FormData) return;
    ['dragenter', 'dragover'].forEach(function (type) {
      zone.addEventListener(type, function (e) {
        e.preventDefault();
        zone.classList.add('is-over');
        status.textContent = form.getAttribute('data-msg-drop') || '';
      });
    });
    ['dragleave', 'drop'].forEach(function (type) {
      zone.addEventListener(type, function () {
        zone.classList.remove('is-over');
      });
    });
    zone.addEventListener('drop', function (e) {
      e.preventDefault();
      if (e.dataTransfer && e.dataTransfer.files.length) {
        input.files = e.dataTransfer.files;
        status.textContent = '';
      }
    });
    form.addEventListener('submit', function (e) {
      if (!input.files || !input.files.length) return;
      e.preventDefault();
      var xhr = new window.XMLHttpRequest();
      xhr.open('POST', form.action);
      xhr.setRequestHeader('Accept', 'application/json');
      bar.hidden = false;
      bar.value = 0;
      var sending = form.getAttribute('data-msg-sending') || '';
      xhr.upload.addEventListener('progress', function (ev) {
        if (!ev.lengthComputable) return;
        var p = Math.round((ev.loaded / ev.total) * 100);
        bar.value = p;
        status.textContent = sending.replace('__P__', String(p));
      });
      xhr.addEventListener('load', function () {
        var body;
        try {
          body = JSON.parse(xhr.responseText);
        } catch {
          body = null;
        }
        if (xhr.status === 201 && body && body.next) {
          window.location.assign(body.next);
          return;
        }
        bar.hidden = true;
        // The route's refusals list errors; a refusal before the upload was read (over the quota) is the core's error.
        status.textContent =
          body && body.errors
            ? body.errors.join(' ')
            : body && body.error && body.error.message
              ? body.error.message
              : form.getAttribute('data-msg-failed') || '';
      });
      xhr.addEventListener('error', function () {
        bar.hidden = true;
        status.textContent = form.getAttribute('data-msg-failed') || '';
      });
      xhr.send(new window.FormData(form));
    });
  }
  var forms = document.querySelectorAll('[data-files-upload]');
  for (var i = 0; i < forms.length; i++) setup(forms[i]);
})();
