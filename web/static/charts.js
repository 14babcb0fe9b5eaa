// Charts drawn with the vendored uPlot from the data-chart attribute:
// {"x": [ISO dates or times], "series": {"name": [numbers]}}, labels in data-labels.
(function () {
  "use strict";
  var COLOURS = {
    cooked: "#0b6e4f", served: "#1f6feb", discarded: "#b42318",
    boxes: "#0b6e4f", target: "#b54708"
  };

  function draw(node) {
    var data = JSON.parse(node.dataset.chart || "{}");
    if (!data.x || !data.x.length) { return; }
    node.textContent = "";
    var xs = data.x.map(function (moment) { return Date.parse(moment) / 1000; });
    var labels = JSON.parse(node.dataset.labels || "{}");
    var series = [{}], columns = [xs];
    Object.keys(data.series).forEach(function (name) {
      series.push({ label: labels[name] || name, stroke: COLOURS[name] || "#444", width: 2 });
      columns.push(data.series[name]);
    });
    var width = Math.max(node.clientWidth, 280);
    var height = Number(node.dataset.height || 220);
    new uPlot({ width: width, height: height, series: series, scales: { x: { time: true } } },
      columns, node);
  }

  function drawAll(root) {
    (root || document).querySelectorAll("[data-chart]").forEach(draw);
  }
  document.addEventListener("DOMContentLoaded", function () { drawAll(document); });
  document.addEventListener("htmx:afterSettle", function (event) { drawAll(event.target); });
})();
