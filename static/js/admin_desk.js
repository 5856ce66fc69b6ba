// The editorial desk: every text field reads in its own direction (dir="auto"), whatever the
// admin's language. Server-rendered form fields already carry it; this covers the rest
// (search box, filters, inline rows added later, the rich-text editor's editable area).
(function () {
  "use strict";
  var SELECTOR = 'input[type="text"], input[type="search"], input:not([type]), textarea, [contenteditable="true"]';

  function mark(root) {
    root.querySelectorAll(SELECTOR).forEach(function (el) {
      if (!el.hasAttribute("dir")) {
        el.setAttribute("dir", "auto");
      }
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    mark(document);
    new MutationObserver(function (mutations) {
      mutations.forEach(function (mutation) {
        mutation.addedNodes.forEach(function (node) {
          if (node.nodeType === 1) {
            mark(node.parentNode || node);
          }
        });
      });
    }).observe(document.body, { childList: true, subtree: true });
  });
})();
