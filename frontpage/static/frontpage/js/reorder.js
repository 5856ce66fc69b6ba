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
    changed();
    rows.forEach(function (each) { each.classList.remove("reorder-moved"); });
    row.classList.add("reorder-moved");
    button.focus();
    var template = button.closest(".reorder").dataset.announce || "";
    statusOf(group).textContent = template
      .replace("%(position)s", String(index + step + 1))
      .replace("%(count)s", String(rows.length));
  }

  // Publishing publishes the saved draft: with changes on the page not saved yet, the button
  // says so instead of publishing without them (and nothing typed is lost).
  var unsaved = false;
  function changed() {
    unsaved = true;
  }
  ["input", "change"].forEach(function (type) {
    document.addEventListener(type, function (event) {
      if (event.target.closest && event.target.closest("#layout_form, #block_form")) {
        changed();
      }
    });
  });
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.hasAttribute || !form.hasAttribute("data-publish-draft") || !unsaved) {
      return;
    }
    event.preventDefault();
    // static/js/admin_desk.js, on every desk page
    window.newsroomDesk.alertIn(form, "publish-unsaved", false).textContent =
      form.getAttribute("data-unsaved");
  });

  // A row added by the inline's "add" link takes the next position: it stays where it
  // appeared, at the end (Django's admin sends "formset:added" from the new row).
  document.addEventListener("formset:added", function (event) {
    var group = event.target.closest && event.target.closest(".inline-group");
    if (group && group.querySelector(".reorder")) {
      renumber(group);
    }
  });

  document.addEventListener("click", function (event) {
    var button = event.target.closest(".reorder button");
    if (!button) {
      return;
    }
    event.preventDefault();
    move(button, button.classList.contains("reorder-up") ? -1 : 1);
  });
})();
