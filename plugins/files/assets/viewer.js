// The photo viewer's arrow keys: left and right follow the previous and next links (which
// work without this script). Not while typing in a field.
(function () {
  'use strict';
  document.addEventListener('keydown', function (e) {
    if (e.defaultPrevented || e.altKey || e.ctrlKey || e.metaKey || e.shiftKey) return;
    var t = e.target;
    if (t && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName))) return;
    var link = null;
    if (e.key === 'ArrowLeft') link = document.querySelector('[data-viewer-prev]');
    else if (e.key === 'ArrowRight') link = document.querySelector('[data-viewer-next]');
    if (link) {
      e.preventDefault();
      window.location.assign(link.href);
    }
  });
})();
