// Keeps the facilitator's roster current without a reload. The page works without it:
// the "Refresh" link does the same by hand.
(function () {
  "use strict";
  var live = document.getElementById("roster-live");
  if (!live || !live.dataset.refreshUrl || !window.fetch) { return; }
  var waiting = document.getElementById("roster-waiting");
  var seconds = parseInt(live.dataset.refreshSeconds, 10) || 15;
  // The server stamps each roster with a version that changes only when the roster does.
  function versionOf(html) {
    var found = /data-version="([^"]+)"/.exec(html);
    return found ? found[1] : null;
  }
  var last = versionOf(live.innerHTML);

  // Never replace what the facilitator is typing in, or a section they opened.
  function busy() {
    if (live.contains(document.activeElement) && document.activeElement !== live) { return true; }
    if (live.querySelector("details[open]")) { return true; }
    var fields = live.querySelectorAll("input:not([type=hidden])");
    // A field holding what the page filled in (a person's name to correct) is not typing.
    for (var i = 0; i < fields.length; i++) {
      if (fields[i].value && fields[i].value !== fields[i].defaultValue) { return true; }
    }
    return false;
  }

  function refresh() {
    if (document.hidden) { return; }
    fetch(live.dataset.refreshUrl, { credentials: "same-origin", headers: { "Accept": "text/html" } })
      .then(function (response) { return response.ok ? response.text() : null; })
      .then(function (html) {
        if (html === null) { return; }
        var fresh = versionOf(html);
        if (!fresh || fresh === last) { return; }
        if (busy()) { if (waiting) { waiting.hidden = false; } return; }
        last = fresh;
        live.innerHTML = html;
        if (waiting) { waiting.hidden = true; }
      })
      .catch(function () { /* offline for a moment: try again next time */ });
  }

  window.setInterval(refresh, seconds * 1000);
})();
