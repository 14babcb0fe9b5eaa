// Big-screen mode: shows one panel at a time and moves to the next every few seconds;
// live swaps keep the panel that was showing.
(function () {
  "use strict";
  var ROTATE_MS = 12000;
  var current = 0;

  function show() {
    var panels = document.querySelectorAll("[data-rotate] .tv-panel");
    if (!panels.length) { return; }
    current = current % panels.length;
    panels.forEach(function (panel, index) { panel.hidden = index !== current; });
  }
  document.addEventListener("DOMContentLoaded", show);
  document.addEventListener("htmx:afterSettle", show);
  setInterval(function () { current += 1; show(); }, ROTATE_MS);
})();
