// Progressive enhancement of the upload form: drop files on it, and send them with a progress
// bar (drop.js). Without JavaScript the same form posts as a plain multi-file form. The server
// judges everything again; refusals come back as messages.
(function () {
  'use strict';
  function setup(form) {
    var drop = window.RucheFilesDrop;
    var parts = {
      target: form.querySelector('[data-files-drop]'),
      input: form.querySelector('input[type=file]'),
      bar: form.querySelector('[data-files-progress]'),
      status: form.querySelector('[data-files-status]'),
      texts: form,
    };
    parts.box = parts.target;
    if (!drop || !parts.input || !parts.target || !parts.bar || !parts.status || !window.FormData) return;
    drop.takeDrops(parts, function () {
      parts.status.textContent = '';
    });
    form.addEventListener('submit', function (e) {
      if (!parts.input.files || !parts.input.files.length) return;
      e.preventDefault();
      drop.send(form, parts, 'application/json', function (xhr) {
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
        // The route's refusals list errors; a refusal before the upload was read (over the quota) is the core's error.
        drop.failed(parts, body && body.errors ? body.errors.join(' ') : body && body.error && body.error.message);
      });
    });
  }
  var forms = document.querySelectorAll('[data-files-upload]');
  for (var i = 0; i < forms.length; i++) setup(forms[i]);
})();
