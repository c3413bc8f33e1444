// Draws the overview's charts with Chart.js from the JSON next to each canvas.
// The figures are also in the table under each chart; without scripts only the tables show.
(function () {
  "use strict";
  if (typeof window.Chart === "undefined") return;
  // Colours that keep 3:1 contrast against white and stay apart for common colour blindness.
  var palette = ["#0062ba", "#c05600", "#1d7a3a", "#8a3ffc", "#a2191f", "#005d5d", "#6f6f6f"];
  var attainment = ["#1d7a3a", "#b8860b", "#a2191f"]; // met, partly met, not met
  var locale = document.documentElement.lang === "en" ? "en-GB" : "nb-NO";

  document.querySelectorAll("canvas[data-chart]").forEach(function (canvas) {
    var source = document.getElementById(canvas.getAttribute("data-chart"));
    if (!source) return;
    var spec = JSON.parse(source.textContent);
    var colours = spec.colors === "attainment" ? attainment : palette;
    var datasets = spec.datasets.map(function (set, index) {
      var colour = colours[index % colours.length];
      return {
        label: set.label,
        data: set.data,
        backgroundColor: colour,
        borderColor: colour,
        borderWidth: spec.type === "line" ? 2 : 0,
        pointRadius: spec.type === "line" ? 3 : 0,
        spanGaps: true,
      };
    });
    var valueAxis = { beginAtZero: true, stacked: !!spec.stacked, ticks: { precision: 0 } };
    if (spec.percent) {
      valueAxis.max = 100;
      valueAxis.ticks = { callback: function (value) { return value + " %"; } };
    }
    new window.Chart(canvas, {
      type: spec.type,
      data: { labels: spec.labels, datasets: datasets },
      options: {
        animation: false,
        maintainAspectRatio: false,
        locale: locale,
        plugins: { legend: { position: "bottom" } },
        scales: { x: { stacked: !!spec.stacked }, y: valueAxis },
      },
    });
  });
})();
