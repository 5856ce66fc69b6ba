// The comment form: after a refused post, focus the first field the server marked.
// Everything works without this script; it only saves the reader a search.
(function () {
  "use strict";
  function focusFirstInvalid() {
    var form = document.getElementById("comment-form");
    var invalid = form && form.querySelector("[aria-invalid='true']");
    if (invalid) {
      invalid.focus();
    }
  }
  // After load: the browser's own jump to #comment-form would otherwise take the focus back.
  window.addEventListener("load", function () {
    window.setTimeout(focusFirstInvalid, 0);
  });
})();
