// The reader's choice of language, remembered for the bare domain: following the language
// switch sets the cookie that «/» reads (newsroom.views.root) to open the site in that
// language next time. Nothing else reads it: every page's language is its /ar/ or /en/.
// Without this script the switch still leads to the same page in the other language.
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest(".language-switch a[hreflang]");
    var nav = link && link.closest("[data-language-cookie]");
    if (!nav) {
      return;
    }
    var secure = window.location.protocol === "https:" ? "; secure" : "";
    document.cookie = nav.getAttribute("data-language-cookie") + "=" +
      encodeURIComponent(link.getAttribute("hreflang")) +
      "; path=/; max-age=31536000; samesite=lax" + secure;
  });
}());
