// DRaaS console: the only script. It refreshes a run's live section by fetching the same page's
// fragment (same origin, with the session cookie) until the run ends. Everything works without it
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
            live.innerHTML = fresh.innerHTML;
            live.setAttribute("data-final", fresh.getAttribute("data-final"));
            if (fresh.getAttribute("data-final") === "true") {
              // The run ended: reload once so the report and the actions match the final state.
              window.location.reload();
              return;
            }
          }
        }
        setTimeout(tick, every);
      })
      .catch(function () { setTimeout(tick, every * 2); });
  }
  setTimeout(tick, every);
})();
