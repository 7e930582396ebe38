// A chart's controls: a time slider (data up to a moment), the fold of a fund-flow chart,
// and clicks on the miniature's figure (a flow opens its transactions, an account or a
// person is focused; the same click again undoes it).
import { $ } from "./dom.js";

const CST_MS = 8 * 3600 * 1000;

function chartBox() {
  return $("stage").querySelector("[data-role=chart]");
}

export function figureOn() {
  // the miniature's chart as drawn (its time span comes with the figure), or null
  const box = chartBox();
  return box ? { box, span: box.meta?.span || null, kind: box.dataset.kind } : null;
}

function cst(ms) {
  // an ISO 8601 time in China Standard Time, as the deck writes them
  return `${new Date(ms + CST_MS).toISOString().slice(0, 19)}+08:00`;
}

function shown(ms) {
  return cst(ms).slice(0, 16).replace("T", " ");
}

export function start({ store, send, stage }) {
  const slider = $("chart-until");
  const fold = $("chart-fold");

  // redrawn from what the miniature shows, once the figure (and so its span) is drawn
  store.subscribe(
    (s) => (s.applied ? [s.figure, s.applied.chart, !!s.applied.case] : null),
    (slice) => slice && draw(...slice),
  );
  function draw(figure, view, onCase) {
    $("chart-controls").hidden = !figure || onCase;
    if (!figure) return;
    view = view || {};
    const span = figure.span;
    slider.disabled = !span;
    if (span) {
      const [first, last] = span.map((t) => Date.parse(t));
      const until = view.until ? Date.parse(view.until) : last;
      if (document.activeElement !== slider) {
        slider.value = String(Math.round((1000 * (until - first)) / Math.max(1, last - first)));
      }
      $("chart-until-text").textContent = shown(until);
    }
    $("chart-fold-box").hidden = figure.kind !== "funds";
    if (document.activeElement !== fold) fold.value = String(view.fold || 30);
  }

  function chartSend(changes) {
    const state = store.get().state;
    const view = { until: null, focus: [], fold: null, flow: null, ...(state?.chart || {}), ...changes };
    send({ action: "chart", ...view });
  }
  function sliderTime() {
    const [first, last] = chartBox().meta.span.map((t) => Date.parse(t));
    return first + ((last - first) * Number(slider.value)) / 1000;
  }

  stage.onChart = (box, point) => {
    const meta = box.meta || {};
    const view = store.get().state?.chart || {};
    if (point.source && point.target) {
      const flow = [meta.nodes[point.source.index], meta.nodes[point.target.index]];
      const same = view.flow && view.flow[0] === flow[0] && view.flow[1] === flow[1];
      chartSend({ flow: same ? null : flow });
      return;
    }
    let name = null;
    if (box.dataset.kind === "funds" && point.label !== undefined) name = meta.nodes[point.index];
    if (box.dataset.kind === "network" && point.curveNumber === box.data.length - 1) {
      name = meta.nodes[point.pointIndex];
    }
    if (!name) return;
    const focused = (view.focus || []).length === 1 && view.focus[0] === name;
    chartSend({ focus: focused ? [] : [name], flow: null });
  };

  slider.addEventListener("input", () => ($("chart-until-text").textContent = shown(sliderTime())));
  slider.addEventListener("change", () => chartSend({ until: cst(sliderTime()), flow: null }));
  fold.addEventListener("change", () => {
    const value = Math.round(Number(fold.value));
    if (value >= 2 && value <= 500) chartSend({ fold: value, flow: null });
  });
  $("chart-clear").addEventListener("click", () => send({ action: "chart" }));
}
