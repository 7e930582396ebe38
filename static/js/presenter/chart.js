// A chart's controls: a time slider (data up to a moment), the fold of a fund-flow chart,
// and clicks on the miniature's figure (a flow opens its transactions, an account or a
// person is focused; the same click again undoes it).
import { $ } from "./dom.js";

function chartBox() {
  return $("stage").querySelector("[data-role=chart]");
}

export function figureOn() {
  // the miniature's chart as drawn: its time span, the deck's zone and the `until` it was
  // built for (the moment the screens' caption names, as the server read it), or null
  const box = chartBox();
  if (!box) return null;
  const meta = box.meta || {};
  return { box, span: meta.span || null, zone: meta.zone || "+08:00", until: meta.until || null, kind: box.dataset.kind };
}

const MINUTE = 60 * 1000;

function wallClock(ms, zone) {
  // a moment's date, time and offset on the deck's clock (never the presenter's own: the
  // caption on the screens is written in the deck's zone)
  const format = new Intl.DateTimeFormat("en-US", {
    timeZone: zone, hourCycle: "h23", timeZoneName: "longOffset",
    year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit",
  });
  const part = Object.fromEntries(format.formatToParts(new Date(ms)).map((p) => [p.type, p.value]));
  const offset = part.timeZoneName.replace("GMT", "") || "+00:00";
  return { date: `${part.year}-${part.month}-${part.day}`, time: `${part.hour}:${part.minute}`, offset };
}

function shown(ms, zone) {
  // as the screens' caption writes it (presenter/charts/style.py so_far): 2026-03-08 00:00
  const { date, time } = wallClock(ms, zone);
  return `${date} ${time}`;
}

function iso(ms, zone) {
  // the moment as the deck writes one: ISO 8601 with the deck's offset
  const { date, time, offset } = wallClock(ms, zone);
  return `${date}T${time}:00${offset}`;
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
      // every time here carries its offset (the server's): none is read in this browser's zone
      const [first, last] = span.map((t) => Date.parse(t));
      const until = figure.until ? Date.parse(figure.until) : last;
      if (document.activeElement !== slider) {
        slider.value = String(Math.round((1000 * (until - first)) / Math.max(1, last - first)));
      }
      $("chart-until-text").textContent = shown(until, figure.zone);
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
    // the slider's moment, to the minute (the caption shows no seconds), rounded up: at the
    // slider's end every event is shown, the last one at 12:00:20 too ("截至 12:01")
    const [first, last] = chartBox().meta.span.map((t) => Date.parse(t));
    return Math.ceil((first + ((last - first) * Number(slider.value)) / 1000) / MINUTE) * MINUTE;
  }
  const zone = () => figureOn()?.zone || "+08:00";

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

  slider.addEventListener("input", () => ($("chart-until-text").textContent = shown(sliderTime(), zone())));
  slider.addEventListener("change", () => chartSend({ until: iso(sliderTime(), zone()), flow: null }));
  fold.addEventListener("change", () => {
    const value = Math.round(Number(fold.value));
    if (value >= 2 && value <= 500) chartSend({ fold: value, flow: null });
  });
  $("chart-clear").addEventListener("click", () => send({ action: "chart" }));
}
