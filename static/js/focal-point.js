// The desk's focal point: a click on the image fills the two percent fields (focal_x,
// focal_y), typing in them moves the mark. Keyboard users use the fields themselves.
// The admin loads it in the head: wait for the form.
(function () {
  "use strict";
  function start() {
  document.querySelectorAll("[data-focal-picker]").forEach(function (picker) {
    var image = picker.querySelector("img");
    var mark = picker.querySelector(".focal-mark");
    var x = document.getElementById("id_focal_x");
    var y = document.getElementById("id_focal_y");
    if (!image || !x || !y) { return; }
    function place() {
      mark.style.left = (Number(x.value) || 0) + "%";
      mark.style.top = (Number(y.value) || 0) + "%";
    }
    image.addEventListener("click", function (event) {
      var box = image.getBoundingClientRect();
      x.value = Math.min(100, Math.max(0, Math.round((event.clientX - box.left) / box.width * 100)));
      y.value = Math.min(100, Math.max(0, Math.round((event.clientY - box.top) / box.height * 100)));
      place();
    });
    x.addEventListener("input", place);
    y.addEventListener("input", place);
    picker.classList.add("focal-ready");
    place();
  });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
