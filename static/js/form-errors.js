// A form returned with errors (a comment, a newsletter subscription): focus the first field
// the server marked, or, when only the form as a whole was refused (sent too fast, a closed
// thread), its message, so a screen reader reads it at once and the reader is where to act.
// Everything works without this script; it only saves the reader a search.
(function () {
  "use strict";
  function focusFirstError() {
    var forms = document.querySelectorAll("form[data-focus-errors]");
    for (var i = 0; i < forms.length; i += 1) {
      var target = forms[i].querySelector("[aria-invalid='true']") ||
        forms[i].querySelector(".form-errors");
      if (target) {
        if (!target.matches("input, select, textarea, button, a[href]")) {
          target.setAttribute("tabindex", "-1");
        }
        target.focus();
        return;
      }
    }
  }
  // After load: the browser's own jump to #comment-form would otherwise take the focus back.
  window.addEventListener("load", function () {
    window.setTimeout(focusFirstError, 0);
  });
})();
