// The article's short link: a "copy" button beside the read-only field (hidden without JS).
(function () {
  "use strict";
  document.querySelectorAll(".share-copy[data-copy-target]").forEach(function (button) {
    var field = document.getElementById(button.dataset.copyTarget);
    var status = button.parentElement.querySelector(".share-status");
    if (!field) return;
    button.hidden = false;
    field.addEventListener("focus", function () { field.select(); });
    button.addEventListener("click", function () {
      var done = function () { if (status) status.textContent = button.dataset.copied || ""; };
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(field.value).then(done, function () {
          field.select();
          if (document.execCommand("copy")) done();
        });
      } else {
        field.select();
        if (document.execCommand("copy")) done();
      }
    });
  });
})();
