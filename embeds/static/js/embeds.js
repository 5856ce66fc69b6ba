// Click-to-load embeds: nothing is asked of a provider until the reader presses «تشغيل».
// Without this script each embed stays a plain link to the provider's page.
(function () {
  "use strict";
  function play(figure) {
    var frame = document.createElement("iframe");
    frame.src = figure.getAttribute("data-player");
    frame.title = figure.getAttribute("data-title") || "";
    frame.setAttribute("allow", "autoplay; encrypted-media; fullscreen; picture-in-picture");
    frame.setAttribute("allowfullscreen", "");
    frame.setAttribute("referrerpolicy", "strict-origin-when-cross-origin");
    frame.setAttribute("sandbox", "allow-scripts allow-same-origin allow-popups allow-presentation");
    frame.className = "embed-frame";
    var link = figure.querySelector(".embed-link");
    var button = figure.querySelector(".embed-play");
    if (link) { link.replaceWith(frame); }
    if (button) { button.remove(); }
    figure.classList.add("embed-playing");
    frame.focus();
  }
  document.querySelectorAll("figure.embed[data-player]").forEach(function (figure) {
    var button = figure.querySelector(".embed-play");
    if (!button) { return; }
    button.hidden = false;
    button.addEventListener("click", function () { play(figure); });
  });
})();
