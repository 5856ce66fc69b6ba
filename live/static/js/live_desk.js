/* The live panel on the article's admin page (live/templates/live/desk_panel.html): post an
   entry in the background, add it on top of the list, empty the box for the next one. A
   refusal shows its message beside the form and leaves what was typed in place. */
(function () {
  "use strict";

  function start() {
    var form = document.querySelector(".live-desk-form");
    if (!form || !window.fetch || !window.FormData) {
      return;
    }
    var list = document.querySelector(".live-desk-entries");
    var status = form.querySelector(".live-desk-status");
    var button = form.querySelector(".live-desk-post");
    var body = form.querySelector("textarea[name=body]");

    function clearErrors() {
      form.querySelectorAll(".live-desk-errors, .live-desk-field-errors").forEach(function (box) {
        box.textContent = "";
      });
    }

    function showErrors(errors) {
      Object.keys(errors).forEach(function (name) {
        var box =
          form.querySelector('.live-desk-field-errors[data-field="' + name + '"]') ||
          form.querySelector(".live-desk-errors");
        var items = document.createElement("ul");
        items.className = "errorlist";
        errors[name].forEach(function (message) {
          var item = document.createElement("li");
          item.textContent = message;
          items.appendChild(item);
        });
        box.appendChild(items);
      });
    }

    form.addEventListener("submit", function (event) {
      event.preventDefault();
      clearErrors();
      status.textContent = "";
      button.disabled = true;
      fetch(form.action, {
        method: "POST",
        body: new FormData(form),
        headers: { "X-Requested-With": "fetch", Accept: "application/json" },
        credentials: "same-origin",
      })
        .then(function (response) {
          return response.json();
        })
        .then(function (data) {
          if (!data.ok) {
            showErrors(data.errors || {});
            return;
          }
          if (list) {
            var none = list.querySelector(".live-desk-none");
            if (none) {
              none.remove();
            }
            list.insertAdjacentHTML("afterbegin", data.html);
          }
          form.reset();
          body.value = "";
          status.textContent = data.message;
          body.focus();
        })
        .catch(function () {
          status.textContent = form.dataset.failed || "";
        })
        .finally(function () {
          button.disabled = false;
        });
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
