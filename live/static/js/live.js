/* Live coverage on the article page (live/templates/live/coverage.html).

   Every few seconds, ask the updates endpoint for the entries after the last one shown. The
   answer is the same for every reader (kept in the page cache until the next entry), so this
   costs the server a cache read. New entries are not pushed into the page: a button says how
   many there are («تحديث جديد», «3 تحديثات جديدة»), and pressing it inserts them above the
   others. A reader who has scrolled down keeps what they are reading where it is. Without
   JavaScript, a reload shows every entry. */
(function () {
  "use strict";

  var section = document.getElementById("live");
  if (!section || !section.dataset.updatesUrl || !window.fetch) {
    return;
  }
  var url = section.dataset.updatesUrl;
  var lastShown = section.dataset.lastId || "0";
  var seconds = Math.max(500, parseInt(section.dataset.pollMs, 10) || 1500) / 1000;
  var list = section.querySelector(".live-entries");
  var notice = section.querySelector(".live-notice");
  var announce = section.querySelector(".live-announce");
  var pending = null;
  var stopped = false;
  var failures = 0;

  function schedule(delaySeconds) {
    if (!stopped) {
      window.setTimeout(poll, delaySeconds * 1000);
    }
  }

  function poll() {
    if (document.hidden) {
      schedule(seconds);
      return;
    }
    // No cookies: every reader asks the same question and gets the page cache's answer.
    fetch(url + "?after=" + encodeURIComponent(lastShown), {
      credentials: "omit",
      headers: { Accept: "application/json" },
    })
      .then(function (response) {
        if (!response.ok) {
          throw new Error("HTTP " + response.status);
        }
        return response.json();
      })
      .then(function (data) {
        failures = 0;
        if (data.count) {
          pending = data;
          notice.textContent = data.label;
          notice.hidden = false;
          if (announce.textContent !== data.label) {
            announce.textContent = data.label;
          }
        }
        if (data.ended) {
          end();
          return;
        }
        schedule(seconds);
      })
      .catch(function () {
        failures += 1;
        schedule(Math.min(60, seconds * Math.pow(2, failures)));
      });
  }

  function end() {
    stopped = true;
    section.classList.remove("live-on");
    var status = section.querySelector(".live-status");
    if (status) {
      status.hidden = true;
    }
    section.querySelector(".live-ended").hidden = false;
  }

  function firstEntryInView() {
    var entries = list.querySelectorAll(".live-entry");
    for (var i = 0; i < entries.length; i += 1) {
      if (entries[i].getBoundingClientRect().bottom > 0) {
        return entries[i];
      }
    }
    return null;
  }

  function insertPending() {
    if (!pending) {
      return;
    }
    if (pending.more) {
      window.location.reload();
      return;
    }
    // Scrolled below the top of the list: keep the entry being read where it is on screen.
    var keep = list.getBoundingClientRect().top < 0 ? firstEntryInView() : null;
    var before = keep ? keep.getBoundingClientRect().top : 0;
    var template = document.createElement("template");
    template.innerHTML = pending.entries
      .filter(function (entry) {
        return !document.getElementById("entry-" + entry.id);
      })
      .map(function (entry) {
        return entry.html;
      })
      .join("");
    var firstUnpinned = list.querySelector(".live-entry:not(.live-entry-pinned)");
    list.insertBefore(template.content, firstUnpinned);
    lastShown = String(pending.last_id);
    pending = null;
    notice.hidden = true;
    announce.textContent = "";
    var empty = section.querySelector(".live-empty");
    if (empty) {
      empty.hidden = true;
    }
    if (keep) {
      window.scrollBy(0, keep.getBoundingClientRect().top - before);
    }
  }

  notice.addEventListener("click", insertPending);
  schedule(seconds);
})();
