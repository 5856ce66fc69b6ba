/* Counts one view of the article through POST /api/views/<id>/ (see counters/README.md).
   The page is the same for every reader (it may come from a cache), so counting happens
   here. A prerendered page waits until the reader actually opens it. */
(function () {
  "use strict";
  var ARABIC_INDIC = "٠١٢٣٤٥٦٧٨٩";

  function showTotal(element, total) {
    var label = element.textContent;
    var digits = String(total);
    if (/[٠-٩]/.test(label)) {
      digits = digits.replace(/[0-9]/g, function (d) { return ARABIC_INDIC[d]; });
    }
    element.textContent = label.replace(/[0-9٠-٩]+/, digits);
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
