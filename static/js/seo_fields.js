// The article form's meta description (each language): its length, counted as the editor
// types, against the about 150 characters search results show. A same-origin file, no inline
// script (the desk's CSP allows none); the text comes from Django's JavaScript catalogue.
(function () {
  "use strict";
  var SUGGESTED = 150;
  var SELECTOR = 'textarea[name^="meta_description"], input[name^="meta_description"]';

  function t(text) {
    return typeof window.gettext === "function" ? window.gettext(text) : text;
  }

  function format(number) {
    try {
      return new Intl.NumberFormat(document.documentElement.lang || undefined).format(number);
    } catch (error) {
      return String(number);
    }
  }

  function attach(field) {
    if (field.dataset.seoCounter) return;
    field.dataset.seoCounter = "1";
    var counter = document.createElement("div");
    counter.id = field.id + "_counter";
    counter.className = "help seo-counter";
    counter.setAttribute("aria-live", "polite");
    field.insertAdjacentElement("afterend", counter);
    var described = (field.getAttribute("aria-describedby") || "").split(" ").filter(Boolean);
    described.push(counter.id);
    field.setAttribute("aria-describedby", described.join(" "));
    function update() {
      var length = Array.from(field.value).length;
      var text = window.interpolate
        ? window.interpolate(t("%(count)s characters of about %(limit)s"), { count: format(length), limit: format(SUGGESTED) }, true)
        : length + " / " + SUGGESTED;
      counter.textContent = text;
      counter.classList.toggle("seo-counter-long", length > SUGGESTED);
    }
    field.addEventListener("input", update);
    update();
  }

  function start() {
    document.querySelectorAll(SELECTOR).forEach(attach);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
