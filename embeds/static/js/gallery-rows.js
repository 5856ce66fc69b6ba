// The gallery's desk form: each image chosen in «أضف صورًا» gets its row at once, under the
// input, with its thumbnail (read here in the browser, sent nowhere) and its alt text,
// caption and credit, so one save adds them all (embeds/forms.py reads new_images-<n>-alt,
// -caption and -credit, n being the file's place among those chosen). Without this script
// the form comes back with the images kept, to write the same there.
// The desk loads it in the page's head: it starts once the form is there.
function galleryRows() {
  "use strict";
  var input = document.querySelector("input[type=file][multiple][data-label-alt]");
  if (!input) { return; }
  var fields = ["alt", "caption", "credit"].map(function (name) {
    return [name, input.getAttribute("data-label-" + name),
            Number(input.getAttribute("data-limit-" + name))];
  });
  var list = document.createElement("ol");
  list.className = "chosen-gallery-images";
  list.setAttribute("aria-label", input.getAttribute("data-label-group"));
  input.insertAdjacentElement("afterend", list);

  function row(file, n) {
    var item = document.createElement("li");
    item.className = "kept-upload chosen-gallery-image";
    var image = document.createElement("img");
    image.alt = "";
    image.width = 120;
    if (/^image\//.test(file.type)) {
      var reader = new FileReader();
      reader.onload = function () { image.src = reader.result; };
      reader.readAsDataURL(file);
    }
    var name = document.createElement("bdi");
    name.textContent = file.name;
    var caption = document.createElement("span");
    caption.appendChild(name);
    item.appendChild(image);
    item.appendChild(caption);
    fields.forEach(function (field) {
      var id = "id_" + input.name + "-" + n + "-" + field[0];
      var line = document.createElement("p");
      var label = document.createElement("label");
      label.htmlFor = id;
      label.textContent = field[1];
      var text = document.createElement("input");
      text.type = "text";
      text.id = id;
      text.name = input.name + "-" + n + "-" + field[0];
      text.maxLength = field[2];
      text.dir = "auto";
      if (field[0] === "alt") { text.setAttribute("aria-required", "true"); }
      line.appendChild(label);
      line.appendChild(document.createTextNode(" "));
      line.appendChild(text);
      item.appendChild(line);
    });
    return item;
  }

  input.addEventListener("change", function () {
    list.textContent = "";
    Array.prototype.forEach.call(input.files, function (file, n) {
      list.appendChild(row(file, n));
    });
  });
}
if (document.readyState === "loading") {
  document.addEventListener("DOMContentLoaded", galleryRows);
} else {
  galleryRows();
}
