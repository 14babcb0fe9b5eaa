// The wall display: one panel at a time, the next every few seconds (live swaps keep the panel
// that was showing); the clock in the bar, in the page's language and the campaign's time;
// a full-screen button where the browser offers it.
(function () {
  "use strict";
  var ROTATE_MS = 12000;
  var current = 0;

  function show() {
    var panels = document.querySelectorAll("[data-rotate] .tv-panel");
    if (!panels.length) { return; }
    current = current % panels.length;
    panels.forEach(function (panel, index) { panel.hidden = index !== current; });
    if (window.katfCharts) { window.katfCharts.drawAll(panels[current]); }
  }

  function tick() {
    var clock = document.querySelector("[data-clock]");
    if (!clock) { return; }
    var locale = clock.dataset.locale || (window.katfCharts ? window.katfCharts.locale() : document.documentElement.lang);
    clock.textContent = new Intl.DateTimeFormat(locale,
      { hour: "numeric", minute: "2-digit", timeZone: "Africa/Cairo" }).format(new Date());
  }

  document.addEventListener("DOMContentLoaded", function () {
    show();
    tick();
    var button = document.querySelector("[data-fullscreen]");
    if (button && document.documentElement.requestFullscreen) {
      button.hidden = false;
      button.addEventListener("click", function () { document.documentElement.requestFullscreen(); });
      document.addEventListener("fullscreenchange", function () { button.hidden = !!document.fullscreenElement; });
    }
  });
  document.addEventListener("htmx:afterSettle", show);
  setInterval(function () { current += 1; show(); }, ROTATE_MS);
  setInterval(tick, 15000);
})();
