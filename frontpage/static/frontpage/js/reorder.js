// Up and down buttons reorder a layout's blocks, or a block's slots, by keyboard or pointer:
// the row moves, the position fields are numbered anew in the rows' order, the focus stays on
// the pressed button and a polite live region says where the row went. No drag-only control.
"use strict";
(function () {
  function rowsOf(group) {
    return Array.from(group.querySelectorAll("tr.form-row, div.inline-related:not(.tabular)")).filter(function (row) {
      return !row.classList.contains("empty-form") && row.querySelector("input[name$='-position']");
    });
  }

  function statusOf(group) {
    var status = group.querySelector(".reorder-status");
    if (!status) {
      status = document.createElement("div");
      status.className = "reorder-status";
      status.setAttribute("role", "status");
      status.setAttribute("aria-live", "polite");
      group.appendChild(status);
    }
    return status;
  }

  function renumber(group) {
    rowsOf(group).forEach(function (row, index) {
      row.querySelector("input[name$='-position']").value = String(index + 1);
    });
  }

  function move(button, step) {
    var group = button.closest(".inline-group");
    var row = button.closest("tr.form-row, div.inline-related:not(.tabular)");
    var rows = rowsOf(group);
    var index = rows.indexOf(row);
    var target = rows[index + step];
    if (!target) {
      return;
    }
    if (step < 0) {
      target.parentNode.insertBefore(row, target);
    } else {
      target.parentNode.insertBefore(row, target.nextSibling);
    }
    renumber(group);
    rows.forEach(function (each) { each.classList.remove("reorder-moved"); });
    row.classList.add("reorder-moved");
    button.focus();
    var template = button.closest(".reorder").dataset.announce || "";
    statusOf(group).textContent = template
      .replace("%(position)s", String(index + step + 1))
      .replace("%(count)s", String(rows.length));
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest(".reorder button");
    if (!button) {
      return;
    }
    event.preventDefault();
    move(button, button.classList.contains("reorder-up") ? -1 : 1);
  });
})();
