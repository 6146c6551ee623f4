// A live article's page asks for new entries every few seconds and offers them behind a
// "N new updates" button, so nothing moves under the reader. Every reader asks for the
// same address (no cursor in it), so one cached copy serves them all; the ids already on
// the page say which entries are new. A closed coverage has no address here: nothing polls.
(function () {
  "use strict";
  var section = document.querySelector("section.live[data-live-updates]");
  if (!section || !section.dataset.liveUpdates || !window.fetch) return;
  var url = section.dataset.liveUpdates;
  var list = section.querySelector(".live-entries");
  var bar = section.querySelector(".live-new");
  var button = bar.querySelector("button");
  var every = Math.max(1, parseInt(section.dataset.livePoll, 10) || 15) * 1000;
  var newestFirst = section.dataset.liveOrder !== "oldest";
  var known = {};
  var pending = [];
  Array.prototype.forEach.call(list.querySelectorAll("[data-entry-id]"), function (entry) {
    known[entry.dataset.entryId] = true;
  });

  function schedule() {
    window.setTimeout(poll, every);
  }

  function showButton() {
    if (!pending.length) return;
    button.textContent = pending.length === 1 ? button.dataset.one : button.dataset.many.replace("__N__", pending.length);
    bar.hidden = false;
  }

  function poll() {
    fetch(url, { headers: { Accept: "application/json" }, credentials: "omit" })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) {
        if (!data) return schedule();
        data.entries.forEach(function (entry) {
          if (!known[entry.id]) {
            known[entry.id] = true;
            pending.push(entry);
          }
        });
        showButton();
        if (data.open) schedule();
      })
      .catch(schedule);
  }

  function firstUnpinned() {
    return list.querySelector(".live-entry:not(.live-entry--pinned)");
  }

  function insert() {
    var empty = list.querySelector(".live-empty");
    if (empty) empty.remove();
    var first = null;
    // Oldest first, so in newest-first order each one goes above the one before it.
    pending.sort(function (a, b) { return a.id - b.id; }).forEach(function (entry) {
      var holder = document.createElement("div");
      holder.innerHTML = entry.html;
      var node = holder.firstElementChild;
      if (!newestFirst) list.appendChild(node);
      else if (entry.pinned) list.insertBefore(node, list.firstElementChild);
      else list.insertBefore(node, firstUnpinned());
      if (!first || newestFirst) first = node;
    });
    pending = [];
    bar.hidden = true;
    if (first) {
      first.setAttribute("tabindex", "-1");
      first.focus();
    }
  }

  button.addEventListener("click", insert);
  schedule();
})();
