// The pre-trial bundle's charts: each figure was written beside the page as a data file
// (window.shizhengCharts), since a page opened from file:// may fetch nothing. Drawn with
// plotly.js for hovering and zooming; printed as it looks on screen.
//
// A figure's names and amounts are placed apart in the least room a court picture gives a
// chart (presenter.charts.labels.PLOT): drawn in a narrower frame, at the court's type size,
// they would run into each other and off the edge. So, as on the screens (views/chart.js,
// an ES module, which a page opened from file:// cannot load), the figure is laid out at
// least as large as on the narrowest court picture, 4:3 at 1080 px (1440 px wide, its plot
// under a caption), and scaled down to its frame, its text with it.
"use strict";

(function () {
  const LEAST = { width: 1440, height: 780 };

  function fit(frame, box) {
    const scale = Math.min(1, frame.clientWidth / LEAST.width, frame.clientHeight / LEAST.height);
    const width = Math.max(1, Math.round(frame.clientWidth / scale));
    const height = Math.max(1, Math.round(frame.clientHeight / scale));
    box.style.width = `${width}px`;
    box.style.height = `${height}px`;
    box.style.transform = `scale(${scale})`;
    return { width, height };
  }

  function draw() {
    const figures = window.shizhengCharts || {};
    document.querySelectorAll(".bundle-chart[data-chart]").forEach(function (frame) {
      const figure = figures[frame.dataset.chart];
      const box = frame.querySelector(".chart-plot");
      if (!figure || !box || !window.Plotly) return;
      const config = Object.assign({}, figure.config, { responsive: false, displaylogo: false });
      const layout = Object.assign({}, figure.layout, fit(frame, box), { autosize: false });
      window.Plotly.newPlot(box, figure.data, layout, config).then(function () {
        frame.dataset.drawn = "1";
        // a window resized, or the page printed, lays it out again at its new frame
        new ResizeObserver(function () {
          const size = fit(frame, box);
          if (box.layout.width !== size.width || box.layout.height !== size.height) {
            window.Plotly.relayout(box, size);
          }
        }).observe(frame);
      });
    });
  }
  // loaded with defer, before the data files: DOMContentLoaded comes after all of them
  document.addEventListener("DOMContentLoaded", draw);
})();
