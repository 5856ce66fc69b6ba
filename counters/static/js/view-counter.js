/* Counts one view of the article through POST /api/views/<id>/ (see counters/README.md).
   The page is the same for every reader (it may come from a cache), so counting happens
   here. A prerendered page waits until the reader actually opens it. */
(function () {
  "use strict";
  var ARABIC_INDIC = "٠١٢٣٤٥٦٧٨٩";

  // The label for the new count: its plural category's form (data-forms, the page's
  // language: «9 مشاهدات», «11 مشاهدة»), else the shown label with its number replaced.
  function showTotal(element, total) {
    var label = element.textContent;
    var language = document.documentElement.lang || "ar";
    // English groups thousands («7,529 views»), as the server writes it (articles.dates).
    var digits = language === "ar" ? String(total) : total.toLocaleString("en-US");
    if (/[٠-٩]/.test(label)) {
      digits = digits.replace(/[0-9]/g, function (d) { return ARABIC_INDIC[d]; });
    }
    var forms = null;
    try { forms = JSON.parse(element.getAttribute("data-forms") || "null"); } catch (e) { forms = null; }
    if (forms && window.Intl && Intl.PluralRules) {
      var category = new Intl.PluralRules(language).select(total);
      var form = forms[category] || forms.other;
      if (form) { element.textContent = form.replace("{n}", digits); return; }
    }
    element.textContent = label.replace(/[0-9٠-٩][0-9٠-٩,]*/, digits);
  }

  function count(element) {
    if (!window.fetch) { return; }
    fetch(element.getAttribute("data-view-url"), {
      method: "POST",
      credentials: "same-origin",
      keepalive: true,
      headers: { "Accept": "application/json" }
    }).then(function (response) {
      return response.ok ? response.json() : null;
    }).then(function (data) {
      if (data && typeof data.views === "number") { showTotal(element, data.views); }
    }).catch(function () { /* a lost count is better than a broken page */ });
  }

  function start() {
    var element = document.querySelector("[data-view-url]");
    if (!element) { return; }
    if (document.prerendering) {
      document.addEventListener("prerenderingchange", function () { count(element); }, { once: true });
    } else {
      count(element);
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
