// The article form's heartbeat (desk/admin.py heartbeat_view): every 30 s it keeps this
// editor's lock alive, or learns who has the article now, and whether someone saved it since
// the form was opened; the server's sentence (in the desk's language) is shown in a polite
// live region. Closing the tab releases the lock (only this showing's: the page that replaces
// it, after a save or a take-over, holds it under a new token); a lost tab's lock ends by itself.
(function () {
  "use strict";
  var INTERVAL = 30000;

  function token(form) {
    var input = form && form.querySelector('input[name="csrfmiddlewaretoken"]');
    return input ? input.value : "";
  }

  document.addEventListener("DOMContentLoaded", function () {
    var status = document.getElementById("desk-status");
    if (!status || !status.dataset.heartbeatUrl) {
      return;
    }
    var form = status.closest("form");
    var shown = "";
    var first = true;  // the page was just drawn with what the first beat would say: not news

    function beat() {
      var body = new FormData();
      body.append("csrfmiddlewaretoken", token(form));
      body.append("version", status.dataset.version || "");
      body.append("token", status.dataset.lockToken || "");
      fetch(status.dataset.heartbeatUrl, {
        method: "POST",
        body: body,
        credentials: "same-origin",
        headers: { "X-CSRFToken": token(form) }
      }).then(function (response) {
        return response.ok ? response.json() : null;
      }).then(function (answer) {
        var notice = document.querySelector(".desk-lock");
        if (answer && answer.held && !status.dataset.lockToken) {
          status.dataset.lockToken = answer.token || "";
        }
        if (answer && answer.held && notice) {
          notice.hidden = true;  // the other editor's lock ended: the form is ours now
        }
        if (answer && first) {
          first = false;
          shown = answer.message;
        } else if (answer && answer.message !== shown) {
          shown = answer.message;
          status.textContent = shown;
          status.classList.toggle("desk-status-warning", shown !== "");
        }
      }).catch(function () { /* offline for a moment: the next beat tries again */ });
    }

    // Typed into the form, then «تولَّ التحرير»: the take-over's own little form would
    // reload the saved text over what was typed, so the article's form is sent instead, with
    // _takeover (the server takes over, saves and keeps the editor on the form).
    var typed = false;
    form.addEventListener("input", function () { typed = true; });
    form.addEventListener("change", function () { typed = true; });
    var takeover = document.querySelector("form.desk-takeover");
    if (takeover) {
      takeover.addEventListener("submit", function (event) {
        if (!typed) {
          return;
        }
        event.preventDefault();
        var flag = document.createElement("input");
        flag.type = "hidden";
        flag.name = "_takeover";
        flag.value = "1";
        form.appendChild(flag);
        form.requestSubmit ? form.requestSubmit() : form.submit();
      });
    }

    beat();
    window.setInterval(beat, INTERVAL);
    window.addEventListener("pagehide", function (event) {
      if (event.persisted || !navigator.sendBeacon) {
        return;
      }
      var body = new FormData();
      body.append("csrfmiddlewaretoken", token(form));
      body.append("token", status.dataset.lockToken || "");
      if (!status.dataset.lockToken) {
        return;  // this page never held the lock
      }
      navigator.sendBeacon(status.dataset.releaseUrl, body);
    });
  });
})();
