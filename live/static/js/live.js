/* Live coverage on the article page (live/templates/live/coverage.html).

   Every few seconds, ask the updates endpoint for the entries after the last one shown and for
   the changes since the coverage's revision the page knows. The answer is the same for every
   reader (kept in the page cache until the next entry or change), so this costs the server a
   cache read. New entries are not pushed into the page: a button says how many there are
   («تحديث جديد», «3 تحديثات جديدة»), and pressing it inserts them above the others. Changes to
   the entries on the page are applied at once: a corrected entry is replaced where it is, a
   removed one disappears, a restored one comes back in its place, a pinned one goes to the
   top. A reader who has scrolled down keeps what they are reading where it is. Without
   JavaScript, a reload shows every entry. */
(function () {
  "use strict";

  var section = document.getElementById("live");
  if (!section || !section.dataset.updatesUrl || !window.fetch) {
    return;
  }
  var url = section.dataset.updatesUrl;
  var lastShown = section.dataset.lastId || "0";
  var revision = section.dataset.rev || "0";
  var seconds = Math.max(500, parseInt(section.dataset.pollMs, 10) || 1500) / 1000;
  var list = section.querySelector(".live-entries");
  var notice = section.querySelector(".live-notice");
  var announce = section.querySelector(".live-announce");
  var pending = null;
  var stopped = false;
  var failures = 0;
  // Answers with nothing new in a row: a quiet coverage is asked less and less often (every
  // 1.5 s for the first half minute, then 3, 6, at most 12 s: NEWSROOM_LIVE_QUIET_POLLS), and
  // at the first pace again after news.
  var quiet = 0;
  var QUIET_STEP = Math.max(1, parseInt(section.dataset.quietPolls, 10) || 20);
  var QUIET_MAX_SECONDS = 12;

  function nextDelay() {
    return Math.min(QUIET_MAX_SECONDS, seconds * Math.pow(2, Math.floor(quiet / QUIET_STEP)));
  }

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
    var asked = lastShown;
    var query = "?after=" + encodeURIComponent(asked) + "&rev=" + encodeURIComponent(revision);
    // No cookies: every reader asks the same question and gets the page cache's answer.
    fetch(url + query, {
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
        if (data.changed && data.changed.length) {
          applyChanges(data.changed);
        }
        // Entries inserted while this answer was on its way are newer than ``asked``: their
        // changes were not in it, so the revision stays and the next poll asks again.
        if (asked === lastShown) {
          if (data.rev !== undefined) {
            revision = String(data.rev);
          }
          // The waiting entries as of this answer (one removed meanwhile is no longer
          // offered): inserted later, they are as new as the revision now known.
          pending = data.count ? data : null;
          notice.hidden = !pending;
          if (pending) {
            notice.textContent = data.label;
          }
          if (announce.textContent !== data.label) {
            announce.textContent = data.label;
          }
        }
        if (data.ended) {
          end();
          return;
        }
        quiet = data.count || (data.changed && data.changed.length) ? 0 : quiet + 1;
        schedule(nextDelay());
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

  // Scrolled below the top of the list: the first entry in view that stays (not in ``skip``),
  // and a function that puts it back where it was on screen once the list has changed.
  function keepReadingPosition(skip) {
    if (list.getBoundingClientRect().top >= 0) {
      return function () {};
    }
    var entries = list.querySelectorAll(".live-entry");
    var keep = null;
    for (var i = 0; i < entries.length; i += 1) {
      if (entries[i].getBoundingClientRect().bottom > 0 && !skip[entries[i].id]) {
        keep = entries[i];
        break;
      }
    }
    if (!keep) {
      return function () {};
    }
    var before = keep.getBoundingClientRect().top;
    return function () {
      window.scrollBy(0, keep.getBoundingClientRect().top - before);
    };
  }

  function showEmpty() {
    var empty = section.querySelector(".live-empty");
    if (empty) {
      empty.hidden = list.querySelector(".live-entry") !== null;
    }
  }

  // An entry back among the unpinned ones, newest first (ids grow with time): before the
  // first shown entry older than it.
  function placeUnpinned(element, id) {
    var others = list.querySelectorAll(".live-entry:not(.live-entry-pinned)");
    for (var i = 0; i < others.length; i += 1) {
      if (parseInt(others[i].dataset.entryId, 10) < id) {
        list.insertBefore(element, others[i]);
        return;
      }
    }
    list.appendChild(element);
  }

  function applyChanges(changed) {
    var skip = {};
    changed.forEach(function (change) {
      skip["entry-" + change.id] = true;
    });
    var restorePosition = keepReadingPosition(skip);
    changed.forEach(function (change) {
      var id = parseInt(change.id, 10);
      var shown = document.getElementById("entry-" + id);
      if (change.removed) {
        if (shown) {
          shown.remove();
        }
        return;
      }
      var template = document.createElement("template");
      template.innerHTML = change.html.trim();
      var element = template.content.firstElementChild;
      var pinned = element.classList.contains("live-entry-pinned");
      if (shown && shown.classList.contains("live-entry-pinned") === pinned) {
        shown.replaceWith(element); // a correction: in place
        return;
      }
      if (shown) {
        shown.remove();
      }
      if (pinned) {
        list.insertBefore(element, list.firstElementChild);
      } else {
        placeUnpinned(element, id);
      }
    });
    showEmpty();
    restorePosition();
  }

  function insertPending() {
    if (!pending) {
      return;
    }
    if (pending.more) {
      window.location.reload();
      return;
    }
    var restorePosition = keepReadingPosition({});
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
    var firstNew = template.content.firstElementChild;
    list.insertBefore(template.content, firstUnpinned);
    lastShown = String(pending.last_id);
    pending = null;
    notice.hidden = true;
    announce.textContent = "";
    showEmpty();
    restorePosition();
    // The reader asked for the new entries: the first is brought into view and takes the
    // focus (the button is gone; the focus fell to the page's start), so a keyboard or
    // screen reader user reads on from there.
    if (firstNew) {
      firstNew.setAttribute("tabindex", "-1");
      firstNew.focus();
    }
  }

  notice.addEventListener("click", insertPending);
  schedule(seconds);
})();
