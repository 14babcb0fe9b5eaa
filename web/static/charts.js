// Meals per day, drawn with the vendored uPlot from the data-chart attribute.
(function () {
  "use strict";
  var COLOURS = { cooked: "#0b6e4f", served: "#1f6feb", discarded: "#b42318" };

  function draw(node) {
    var data = JSON.parse(node.dataset.chart || "{}");
    if (!data.days || !data.days.length) { return; }
    node.textContent = "";
    var xs = data.days.map(function (day) { return Date.parse(day) / 1000; });
    var labels = JSON.parse(node.dataset.labels || "{}");
    var series = [{}];
    ["cooked", "served", "discarded"].forEach(function (name) {
      series.push({ label: labels[name] || name, stroke: COLOURS[name], width: 2 });
    });
    var width = Math.max(node.clientWidth, 280);
    new uPlot({ width: width, height: 220, series: series, scales: { x: { time: true } } },
      [xs, data.cooked, data.served, data.discarded], node);
  }

  function drawAll(root) {
    (root || document).querySelectorAll("[data-chart]").forEach(draw);
  }
  document.addEventListener("DOMContentLoaded", function () { drawAll(document); });
  document.addEventListener("htmx:afterSettle", function (event) { drawAll(event.target); });
})();
