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
    function announce() {
      status.textContent = (current + 1) + " " + status.getAttribute("data-of") + " " + items.length;
      gallery.querySelector(".gallery-previous").disabled = current === 0;
      gallery.querySelector(".gallery-next").disabled = current === items.length - 1;
    }
    gallery.querySelector(".gallery-previous").addEventListener("click", function () { show(current - 1, true); });
    gallery.querySelector(".gallery-next").addEventListener("click", function () { show(current + 1, true); });
    list.addEventListener("keydown", function (event) {
      var rtl = getComputedStyle(list).direction === "rtl";
      var forward = rtl ? "ArrowLeft" : "ArrowRight";
      var back = rtl ? "ArrowRight" : "ArrowLeft";
      if (event.key === forward) { show(current + 1, true); event.preventDefault(); }
      else if (event.key === back) { show(current - 1, true); event.preventDefault(); }
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
