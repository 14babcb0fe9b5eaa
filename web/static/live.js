// Live regions: htmx's SSE extension re-fetches a panel on "changed"; when the stream is down
// the panel is polled every few seconds and the page says so.
(function () {
  "use strict";
  var POLL_MS = 5000;

  function setState(region, live) {
    region.dataset.live = live ? "on" : "off";
    var status = region.querySelector("[data-live-status]");
    if (status) {
      status.textContent = live ? status.dataset.liveText : status.dataset.pollText;
    }
    if (live && region._poll) {
      clearInterval(region._poll);
      region._poll = null;
    } else if (!live && !region._poll) {
      region._poll = setInterval(function () {
        var panel = region.querySelector("[data-live-panel]");
        if (panel) { htmx.trigger(panel, "poll"); }
      }, POLL_MS);
    }
  }

  function regionOf(event) {
    var node = event.detail && event.detail.elt ? event.detail.elt : event.target;
    return node && node.closest ? node.closest("[data-live-region]") : null;
  }

  document.addEventListener("htmx:sseOpen", function (event) {
    var region = regionOf(event);
    if (region) { setState(region, true); }
  });
  document.addEventListener("htmx:sseError", function (event) {
    var region = regionOf(event);
    if (region) { setState(region, false); }
  });
  document.addEventListener("htmx:sseClose", function (event) {
    var region = regionOf(event);
    if (region) { setState(region, false); }
  });

  function tickCountdowns() {
    document.querySelectorAll("[data-iftar]").forEach(function (node) {
      var minutes = Math.round((Date.parse(node.dataset.iftar) - Date.now()) / 60000);
      var target = node.querySelector("[data-minutes]");
      // in the page's digits, as the server wrote them (data-locale, as the charts use)
      var locale = node.dataset.locale || document.documentElement.lang || "en";
      if (target) { target.textContent = Math.max(minutes, 0).toLocaleString(locale); }
    });
  }
  setInterval(tickCountdowns, 30000);
})();
