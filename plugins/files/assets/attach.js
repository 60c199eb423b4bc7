// Progressive enhancement of the attachments field in any content form (a status, a comment, a
// reply, a message...): drop files on the form to attach them, and send the form with a
// progress bar (drop.js). The form posts to its own plugin's route as it does without
// JavaScript, and the answer becomes the page: where the redirect led, or the form again with
// its messages. Without JavaScript the plain file input does the same.
(function () {
  'use strict';
  function setup(box) {
    var drop = window.RucheFilesDrop;
    var form = box.closest('form');
    var parts = {
      target: form,
      box: box,
      input: box.querySelector('input[type=file]'),
      bar: box.querySelector('[data-files-progress]'),
      status: box.querySelector('[data-files-status]'),
      texts: box,
    };
    if (!drop || !form || !parts.input || !parts.bar || !parts.status || !window.FormData) return;
    if (form.hasAttribute('data-attach-ready')) return;
    form.setAttribute('data-attach-ready', '1');
    var chosen = function () {
      var n = parts.input.files ? parts.input.files.length : 0;
      parts.status.textContent = n ? (box.getAttribute('data-msg-chosen') || '').replace('__N__', String(n)) : '';
    };
    parts.input.addEventListener('change', chosen);
    drop.takeDrops(parts, chosen);
    form.addEventListener('submit', function (e) {
      if (!parts.input.files || !parts.input.files.length || e.defaultPrevented) return;
      e.preventDefault();
      drop.send(form, parts, null, function (xhr) {
        // The answer is shown as the page: where the redirect led (its flash message included),
        // or the form again with its messages and what was typed.
        var target = xhr.responseURL || '';
        document.open();
        document.write(xhr.responseText);
        document.close();
        if (target && window.history && window.history.replaceState) window.history.replaceState(null, '', target);
      });
    });
  }
  var boxes = document.querySelectorAll('[data-files-attach]');
  for (var i = 0; i < boxes.length; i++) setup(boxes[i]);
})();
