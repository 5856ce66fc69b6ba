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

  function localise(root) {
    mark(root);
    translateMenus(root);
    nameLanguages(root);
  }

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
