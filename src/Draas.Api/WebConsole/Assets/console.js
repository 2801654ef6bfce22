// DRaaS console: the only script. It refreshes a run's live section by fetching the same page's
// fragment (same origin, with the session cookie) until the run ends, and reloads the page when the run's
// state changes, so the actions offered match it. Everything works without it
// except the automatic refresh (the page has a Refresh link).
(function () {
  "use strict";
  var live = document.querySelector("[data-live-url]");
  if (!live) return;
  var url = live.getAttribute("data-live-url");
  var every = parseInt(live.getAttribute("data-live-every") || "2000", 10);
  function tick() {
    if (live.getAttribute("data-final") === "true") return;
    fetch(url, { credentials: "same-origin", headers: { "Accept": "text/html" } })
      .then(function (r) {
        if (r.status === 401 || r.redirected) { window.location.reload(); return null; }
        return r.ok ? r.text() : null;
      })
      .then(function (html) {
        if (html !== null && html !== undefined) {
          var box = document.createElement("div");
          box.innerHTML = html;
          var fresh = box.querySelector("[data-live-url]");
          if (fresh) {
            if (fresh.getAttribute("data-state") !== live.getAttribute("data-state")) {
              // The run moved (it waits for a person, or it ended): reload once so the actions and the report match.
              window.location.reload();
              return;
            }
            live.innerHTML = fresh.innerHTML;
          }
        }
        setTimeout(tick, every);
      })
      .catch(function () { setTimeout(tick, every * 2); });
  }
  setTimeout(tick, every);
})();
