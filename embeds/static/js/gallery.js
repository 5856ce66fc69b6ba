// Photo galleries: the list scrolls (touch, trackpad, arrow keys once focused); the buttons
// go to the previous or next photo and the status says which photo is shown.
(function () {
  "use strict";
  document.querySelectorAll("[data-gallery]").forEach(function (gallery) {
    var list = gallery.querySelector(".gallery-items");
    var items = Array.prototype.slice.call(gallery.querySelectorAll(".gallery-item"));
    var controls = gallery.querySelector(".gallery-controls");
    var status = gallery.querySelector(".gallery-status");
    if (!list || items.length < 2 || !controls) { return; }
    var current = 0;
    function show(index, smooth) {
      current = Math.max(0, Math.min(items.length - 1, index));
      items[current].scrollIntoView({behavior: smooth ? "smooth" : "auto", block: "nearest", inline: "start"});
      announce();
    }
    var previous = gallery.querySelector(".gallery-previous");
    var next = gallery.querySelector(".gallery-next");
    function announce() {
      status.textContent = (current + 1) + " " + status.getAttribute("data-of") + " " + items.length;
      // At either end the button says it does nothing (aria-disabled) but keeps the focus:
      // a disabled button dropped it to the page's start, a keyboard user lost their place.
      previous.setAttribute("aria-disabled", String(current === 0));
      next.setAttribute("aria-disabled", String(current === items.length - 1));
    }
    previous.addEventListener("click", function () { if (current > 0) { show(current - 1, true); } });
    next.addEventListener("click", function () { if (current < items.length - 1) { show(current + 1, true); } });
    list.addEventListener("keydown", function (event) {
      var rtl = getComputedStyle(list).direction === "rtl";
      var forward = rtl ? "ArrowLeft" : "ArrowRight";
      var back = rtl ? "ArrowRight" : "ArrowLeft";
      if (event.key === forward) { show(current + 1, true); event.preventDefault(); }
      else if (event.key === back) { show(current - 1, true); event.preventDefault(); }
      else if (event.key === "Home") { show(0, true); event.preventDefault(); }
      else if (event.key === "End") { show(items.length - 1, true); event.preventDefault(); }
    });
    var timer = null;
    list.addEventListener("scroll", function () {  // a swipe: find the photo now in view
      clearTimeout(timer);
      timer = setTimeout(function () {
        var box = list.getBoundingClientRect();
        var best = 0, distance = Infinity;
        items.forEach(function (item, index) {
          var d = Math.abs(item.getBoundingClientRect().left - box.left);
          if (d < distance) { distance = d; best = index; }
        });
        if (best !== current) { current = best; announce(); }
      }, 120);
    });
    controls.hidden = false;
    announce();
  });
})();
