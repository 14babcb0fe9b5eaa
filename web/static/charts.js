// Charts drawn with the vendored uPlot from the data-chart attribute:
// {"x": [ISO dates or times], "series": {"name": [numbers]}}. The page passes what a reader
// reads: data-labels (each series' name, and "x" for the time column), data-empty (what to
// say when there is nothing yet), data-step (seconds between points: the time axis runs from
// the first point less one step to the last plus one, so a lone point never spreads the axis
// over years) and data-locale (how numbers and times are written; by default as the page's
// totals are). On right-to-left pages
// time runs from right to left and the value axis stands on the right.
// After drawing, data-x-range and data-ticks hold the axis as drawn (for tests and tools).
(function () {
  "use strict";
  var COLOURS = {
    cooked: "#0b6e4f", served: "#1f6feb", discarded: "#b42318",
    boxes: "#0b6e4f", target: "#b54708"
  };
  var ZONE = "Africa/Cairo";

  // The page's own way of writing numbers: English, or Arabic with the digits the server
  // wrote the page's totals in, so a page keeps one digit style throughout.
  function pageLocale() {
    var lang = document.documentElement.lang || "ar";
    if (lang !== "ar") { return lang; }
    var sample = document.querySelector("[data-total]");
    var text = sample ? sample.textContent : "";
    return /[0-9]/.test(text) && !/[\u0660-\u0669]/.test(text) ? "ar-EG-u-nu-latn" : "ar-EG";
  }

  function formats(node) {
    var locale = node.dataset.locale || pageLocale();
    var daily = Number(node.dataset.step || 900) >= 86400;
    var when = new Intl.DateTimeFormat(locale, daily
      ? { day: "numeric", month: "short", timeZone: ZONE }
      : { hour: "numeric", minute: "2-digit", timeZone: ZONE });
    var number = new Intl.NumberFormat(locale, { maximumFractionDigits: 1 });
    return {
      when: function (seconds) { return seconds == null ? "–" : when.format(new Date(seconds * 1000)); },
      number: function (value) { return value == null ? "–" : number.format(value); }
    };
  }

  // Room for the longest tick label, measured with the axis's own font.
  function fitted(u, values, axisIndex, cycle) {
    var axis = u.axes[axisIndex];
    if (cycle > 1) { return axis._size; }
    var size = axis.ticks.size + axis.gap + 8;
    var longest = (values || []).reduce(function (a, b) { return String(b).length > a.length ? String(b) : a; }, "");
    if (longest) {
      u.ctx.font = axis.font[0];
      size += u.ctx.measureText(longest).width / (window.devicePixelRatio || 1);
    }
    return Math.ceil(size);
  }

  // Ticks no closer than a label's width (a sample label, measured in the axis's font).
  function spacing(sample, font) {
    var context = document.createElement("canvas").getContext("2d");
    context.font = font;
    return Math.ceil(context.measureText(sample + "00").width) + 16;
  }

  function empty(node) {
    var note = document.createElement("p");
    note.className = "chart-empty";
    note.textContent = node.dataset.empty || "–";
    node.replaceChildren(note);
    node.dataset.state = "empty";
  }

  function draw(node) {
    if (node._plot) { node._plot.destroy(); node._plot = null; }
    if (node.closest("[hidden]")) { return; }  // drawn when its panel is shown
    var data = JSON.parse(node.dataset.chart || "{}");
    if (!data.x || !data.x.length) { empty(node); return; }
    node.replaceChildren();
    node.dataset.state = "drawn";
    var step = Number(node.dataset.step || 900);
    var rtl = getComputedStyle(node).direction === "rtl";
    var format = formats(node);
    var xs = data.x.map(function (moment) { return Date.parse(moment) / 1000; });
    var first = Math.min.apply(null, xs), last = Math.max.apply(null, xs);
    var labels = JSON.parse(node.dataset.labels || "{}");
    var series = [{ label: labels.x || "", value: function (u, v) { return format.when(v); } }];
    var columns = [xs], top = 1;
    Object.keys(data.series).forEach(function (name) {
      series.push({
        label: labels[name] || name, stroke: COLOURS[name] || "#444", width: 3,
        points: { size: 8 }, value: function (u, v) { return format.number(v); }
      });
      columns.push(data.series[name]);
      data.series[name].forEach(function (v) { top = Math.max(top, v || 0); });
    });
    var font = Number(node.dataset.fontSize || 14) + "px system-ui, sans-serif";
    var dark = node.dataset.theme === "dark";
    var ink = dark ? "#e6e6e6" : "#1c2430", grid = dark ? "rgba(255,255,255,.18)" : "rgba(0,0,0,.08)";
    var fill = node.dataset.height === "fill";
    var legendRoom = fill ? 2.6 * Number(node.dataset.fontSize || 14) + 24 : 0;
    var room = 3 * Number(node.dataset.fontSize || 14);  // half an end tick's label
    var options = {
      padding: [12, room, 0, room],
      width: Math.max(node.clientWidth - 16, 240),
      height: fill ? Math.max(node.clientHeight - legendRoom, 160) : Number(node.dataset.height || 220),
      series: series,
      scales: {
        x: { time: true, dir: rtl ? -1 : 1, range: function () { return [first - step, last + step]; } },
        y: { range: function () { return [0, Math.ceil(top * 1.15)]; } }
      },
      axes: [
        { font: font, size: fitted, stroke: ink, grid: { stroke: grid }, ticks: { stroke: grid },
          space: spacing(format.when(first), font),
          values: function (u, splits) { return splits.map(format.when); } },
        { font: font, size: fitted, side: rtl ? 1 : 3, stroke: ink, grid: { stroke: grid }, ticks: { stroke: grid },
          values: function (u, splits) { return splits.map(format.number); } }
      ],
      hooks: {
        draw: [function (u) {
          node.dataset.xRange = JSON.stringify([u.scales.x.min, u.scales.x.max]);
          var splits = u.axes[0]._splits || [], values = u.axes[0]._values || [];
          node.dataset.ticks = JSON.stringify(splits);
          node.dataset.tickLabels = JSON.stringify(values);
          u.ctx.font = u.axes[0].font[0];
          node.dataset.labelWidth = Math.ceil(values.reduce(function (widest, value) {
            return Math.max(widest, u.ctx.measureText(String(value || "")).width / (window.devicePixelRatio || 1));
          }, 0));
          var gap = 1e6;
          for (var i = 1; i < splits.length; i++) {
            gap = Math.min(gap, Math.abs(u.valToPos(splits[i], "x") - u.valToPos(splits[i - 1], "x")));
          }
          node.dataset.tickGap = Math.floor(gap);
        }]
      }
    };
    node._plot = new uPlot(options, columns, node);
  }

  function drawAll(root) {
    (root || document).querySelectorAll("[data-chart]").forEach(draw);
  }
  window.katfCharts = { drawAll: drawAll, locale: pageLocale };
  var resizing = null;
  window.addEventListener("resize", function () {
    clearTimeout(resizing);
    resizing = setTimeout(function () { drawAll(document); }, 150);
  });
  document.addEventListener("DOMContentLoaded", function () { drawAll(document); });
  document.addEventListener("htmx:afterSettle", function (event) { drawAll(event.target); });
})();
