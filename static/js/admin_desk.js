// The editorial desk: every text field reads in its own direction (dir="auto"), whatever the
// admin's language. Server-rendered form fields already carry it; this covers the rest
// (search box, filters, inline rows added later, the rich-text editor's editable area).
//
// The rich-text editor (django-prose-editor 0.28) writes its menu's tooltips and block names
// in English without gettext: they are given the desk's language here, from Django's
// JavaScript catalogue (locale/ar/LC_MESSAGES/djangojs.po). Icon names are left alone.
(function () {
  "use strict";
  var SELECTOR = 'input[type="text"], input[type="search"], input:not([type]), textarea, [contenteditable="true"]';
  var MENU_LABELS = ".prose-menubar__option > *, .prose-menubar__selected > *";

  // django-modeltranslation labels its language tabs and switch with codes ("AR", "EN");
  // they get the language's name in the desk's language (their tooltips already have it).
  var LANGUAGE_CODE = /^[a-z]{2,3}(-[a-z0-9]+)?$/i;
  var LANGUAGE_LABELS = ".ui-tabs-nav a, #modeltranslation-main-switch option";

  function languageName(code) {
    try {
      var names = new Intl.DisplayNames([document.documentElement.lang || code], { type: "language" });
      return names.of(code) || code;
    } catch (error) {
      return code;
    }
  }

  function nameLanguages(root) {
    root.querySelectorAll(LANGUAGE_LABELS).forEach(function (el) {
      var text = el.textContent.trim();
      if (el.children.length === 0 && LANGUAGE_CODE.test(text)) {
        el.textContent = languageName(text);
      }
    });
  }

  function translated(text) {
    return typeof window.gettext === "function" ? window.gettext(text) : text;
  }

  function translateMenus(root) {
    root.querySelectorAll(".prose-menubar__button[title]").forEach(function (button) {
      var label = translated(button.getAttribute("title"));
      if (label !== button.getAttribute("title")) {
        button.setAttribute("title", label);
        button.setAttribute("aria-label", label);
      }
    });
    root.querySelectorAll(MENU_LABELS).forEach(function (el) {
      if (el.children.length === 0) {
        var label = translated(el.textContent);
        if (label !== el.textContent) {
          el.textContent = label;  // one more mutation, then nothing left to translate
        }
      }
    });
  }

  function mark(root) {
    root.querySelectorAll(SELECTOR).forEach(function (el) {
      if (!el.hasAttribute("dir")) {
        el.setAttribute("dir", "auto");
      }
    });
  }

  // Controls drawn by the admin's libraries without an accessible name (WCAG 4.1.2): the
  // autocomplete's search box and selection, the rich-text editor's editable area take their
  // field's label; the language switch says what it switches. The language tabs' links are
  // not focusable themselves (the tab is): a control inside a control confuses screen readers.
  function fieldLabel(el) {
    var cell = el.closest("td");
    var table = cell && cell.closest("table");
    if (table && table.tHead) {  // a tabular inline: the column's heading names the field
      var heading = table.tHead.rows[0].cells[cell.cellIndex];
      return heading ? heading.textContent.trim() : "";
    }
    var row = el.closest(".form-row, .fieldBox, .flex-container");
    var label = row && row.querySelector("label");
    return label ? label.textContent.replace(/[:：]\s*$/, "").trim() : "";
  }

  // A list's editable cell: its column and its row («الترتيب: سياسة»).
  function cellLabel(el) {
    var cell = el.closest("td");
    var table = cell.closest("table");
    var heading = table.tHead ? table.tHead.rows[0].cells[cell.cellIndex] : null;
    var text = heading ? heading.querySelector(".text") || heading : null;  // not the sort marks
    var label = text ? text.textContent.replace(/\s+/g, " ").trim() : "";
    var row = el.closest("tr");
    var name = row && row.querySelector("th");
    return name && name.textContent.trim() ? label + ": " + name.textContent.trim() : label;
  }

  // Django's date and time pair (AdminSplitDateTime) has one label for two inputs, linked to
  // neither: each takes the field's label and the word printed before it («التاريخ:»).
  function partLabel(el) {
    var before = el.previousSibling;
    while (before && before.nodeType !== 3 && before.nodeName === "BR") {
      before = before.previousSibling;
    }
    var part = before && before.nodeType === 3 ? before.textContent.replace(/[:：]\s*$/, "").trim() : "";
    var label = fieldLabel(el);
    return part ? label + ": " + part : label;
  }

  function nameControls(root) {
    var unnamed = ".select2-search__field, .select2-selection, .select2-selection__rendered[role], " +
      ".ProseMirror[contenteditable], .tabular td input:not([type=hidden]), .tabular td select";
    root.querySelectorAll(unnamed).forEach(function (el) {
      if (el.id && document.querySelector('label[for="' + el.id + '"]')) {
        return;
      }
      var label = fieldLabel(el);
      if (label && !el.hasAttribute("aria-label")) {
        el.setAttribute("aria-label", label);
      }
    });
    var named = [
      ["#result_list td input:not([type=hidden]), #result_list td select", cellLabel],
      [".datetime input:not([type=hidden])", partLabel],
    ];
    named.forEach(function (pair) {
      root.querySelectorAll(pair[0]).forEach(function (el) {
        if (el.hasAttribute("aria-label") || (el.id && document.querySelector('label[for="' + el.id + '"]'))) {
          return;
        }
        var label = pair[1](el);
        if (label) {
          el.setAttribute("aria-label", label);
        }
      });
    });
    // Django's yes/no icons in lists say "True" and "False" to screen readers, in English.
    root.querySelectorAll('img[alt="True"], img[alt="False"], img[alt="None"]').forEach(function (img) {
      var word = { True: "Yes", False: "No", None: "Unknown" }[img.getAttribute("alt")];
      img.setAttribute("alt", translated(word));
    });
    // Django's permission picker labels its search icon with aria-label on a bare span, which
    // ARIA does not allow: the span is an image with that name.
    root.querySelectorAll("span.help-tooltip[aria-label]:not([role])").forEach(function (el) {
      el.setAttribute("role", "img");
    });
    var languageSwitch = root.querySelector ? root.querySelector("#modeltranslation-main-switch") : null;
    if (languageSwitch && !languageSwitch.hasAttribute("aria-label")) {
      languageSwitch.setAttribute("aria-label", translated("Language of the fields"));
    }
    // select2 puts its "clear all" button inside the list of chosen items (a <ul> when several
    // may be chosen). In a single choice its parent is a textbox: a listitem there is an ARIA
    // error of its own (aria-required-parent), so it is left alone.
    root.querySelectorAll("ul.select2-selection__rendered > .select2-selection__clear").forEach(function (el) {
      el.setAttribute("role", "listitem");
    });
    root.querySelectorAll('.ui-tabs-nav li[role="tab"] a').forEach(function (link) {
      link.removeAttribute("href");
      link.removeAttribute("tabindex");
    });
  }

  function localise(root) {
    mark(root);
    translateMenus(root);
    nameLanguages(root);
    nameControls(root);
  }

  // The language tabs' panels are on the page, and their links lose their href (above): jQuery
  // UI takes a tab without one for a remote tab and fetches the whole page into its panel (a
  // second form inside the form: what the editor had typed was lost on save). No tab here is
  // remote: every fetch is cancelled before it is sent, and the tab shows its own panel.
  [window.django && window.django.jQuery, window.jQuery].forEach(function ($) {
    if ($ && !$.newsroomTabsStayLocal) {
      $.newsroomTabsStayLocal = true;
      $(document).on("tabsbeforeload", function () {
        return false;
      });
    }
  });

  // A form whose text weighs more than the server reads (DATA_UPLOAD_MAX_MEMORY_SIZE: Django
  // answers «طلب غير صالح» without reading it, and everything typed is lost) is not sent: the
  // editor is told, on the page that still holds it all. Files do not count: they are read apart.
  // An alert in ``form`` (one per kind, made once): a refusal said where the editor looks,
  // at the top (``first``) or beside the button. Other desk scripts use it too.
  function alertIn(form, kind, first) {
    var note = form.querySelector("." + kind);
    if (!note) {
      note = document.createElement("p");
      note.className = "errornote " + kind;
      note.setAttribute("role", "alert");
      form.insertBefore(note, first ? form.firstChild : null);
    }
    return note;
  }
  window.newsroomDesk = { alertIn: alertIn };

  // What the form's text weighs as sent: UTF-8 in a multipart form; percent-encoded in a plain
  // one, where an Arabic letter travels as six characters («%D8%A8»), not two bytes.
  function formTextBytes(form) {
    var multipart = (form.enctype || "").indexOf("multipart") === 0;
    var total = 0;
    Array.prototype.forEach.call(form.elements, function (el) {
      if (el.name && el.type !== "file" && typeof el.value === "string") {
        total += multipart
          ? new Blob([el.name, el.value]).size + 2
          : encodeURIComponent(el.name).length + encodeURIComponent(el.value).length + 2;
      }
    });
    return total;
  }

  document.addEventListener("submit", function (event) {
    var meta = document.querySelector('meta[name="newsroom-max-form-bytes"]');
    var form = event.target;
    var limit = meta ? parseInt(meta.content, 10) : 0;
    if (!limit || !form.elements || (form.method || "").toLowerCase() !== "post") {
      return;
    }
    var size = formTextBytes(form);
    if (size <= limit) {
      return;
    }
    event.preventDefault();
    var note = alertIn(form, "form-too-large", true);
    var megabytes = function (bytes) { return (bytes / 1048576).toFixed(1); };
    note.textContent = window.interpolate
      ? window.interpolate(translated("This form's text is too large to send: %(size)s MB, at most %(limit)s MB. Nothing was sent and nothing is lost: shorten the text (images go in the media library, not pasted into it)."), { size: megabytes(size), limit: megabytes(limit) }, true)
      : translated("This form's text is too large to send.");
    note.scrollIntoView({ block: "center" });
  }, true);

  // A choice typed in an autocomplete (a topic, a library image) and not chosen from its list
  // is not part of the form: the autocomplete empties its box when its list closes (a click on
  // «حفظ» only closes it), so the words vanished and the article was saved without them. The
  // editor is told, under the field, what was typed and not added, until a choice is made.
  function unpickedNote(select, text) {
    var row = select.closest(".form-row, .fieldBox, td") || select.parentNode;
    var note = row.querySelector(".unpicked-choice");
    if (!text) {
      if (note) { note.remove(); }
      return;
    }
    if (!note) {
      note = document.createElement("p");
      note.className = "errornote unpicked-choice";
      note.setAttribute("role", "alert");
      row.appendChild(note);
    }
    var message = translated("You typed “%(text)s” in “%(field)s” without choosing it from the list: it was not added. Type it again and choose it from the list.");
    var values = { text: text, field: fieldLabel(select) };
    note.textContent = window.interpolate ? window.interpolate(message, values, true) : message;
  }
  var adminJQuery = window.django && window.django.jQuery;
  if (adminJQuery) {
    adminJQuery(document).on("select2:closing", "select.admin-autocomplete", function () {
      var boxes = document.querySelectorAll(".select2-container--open .select2-search__field");
      var typed = Array.prototype.map.call(boxes, function (el) { return el.value.trim(); });
      unpickedNote(this, typed.filter(Boolean)[0] || "");
    });
    adminJQuery(document).on("select2:select select2:clear", "select.admin-autocomplete", function () {
      unpickedNote(this, "");
    });
  }

  // Dates and times typed with Arabic-Indic digits («٢٠٢٦-١٢-٠٨», «١٠:٣٠») become the digits
  // Django's date and time fields read, as the editor types (the rest of the site accepts both).
  var DATE_INPUTS = "input.vDateField, input.vTimeField";
  function westernDigits(text) {
    return text.replace(/[\u0660-\u0669\u06f0-\u06f9]/g, function (digit) {
      var code = digit.charCodeAt(0);
      return String(code - (code >= 0x06f0 ? 0x06f0 : 0x0660));
    });
  }
  document.addEventListener("input", function (event) {
    var el = event.target;
    if (el.matches && el.matches(DATE_INPUTS)) {
      var folded = westernDigits(el.value);
      if (folded !== el.value) {
        el.value = folded;
      }
    }
  });

  document.addEventListener("DOMContentLoaded", function () {
    localise(document);
    new MutationObserver(function (mutations) {
      mutations.forEach(function (mutation) {
        mutation.addedNodes.forEach(function (node) {
          if (node.nodeType === 1) {
            localise(node.parentNode || node);
          }
        });
      });
    }).observe(document.body, { childList: true, subtree: true });
  });
})();
