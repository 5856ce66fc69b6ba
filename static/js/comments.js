// The comment form: after a refused post, focus the first field the server marked.
// Everything works without this script; it only saves the reader a search.
(function () {
  "use strict";
  var form = document.getElementById("comment-form");
  if (!form) {
    return;
  }
  var invalid = form.querySelector("[aria-invalid='true']");
  if (invalid) {
    invalid.focus({ preventScroll: false });
  }
})();
