// The pre-trial bundle's charts: each figure was written beside the page as a data file
// (window.shizhengCharts), since a page opened from file:// may fetch nothing. Drawn with
// plotly.js for hovering and zooming; printed as it looks on screen.
"use strict";

(function () {
  function draw() {
    const figures = window.shizhengCharts || {};
    document.querySelectorAll(".bundle-chart[data-chart]").forEach(function (box) {
      const figure = figures[box.dataset.chart];
      if (!figure || !window.Plotly) return;
      const config = Object.assign({}, figure.config, { responsive: true, displaylogo: false });
      window.Plotly.newPlot(box, figure.data, figure.layout, config).then(function () {
        box.dataset.drawn = "1";
      });
    });
  }
  // loaded with defer, before the data files: DOMContentLoaded comes after all of them
  document.addEventListener("DOMContentLoaded", draw);
})();
