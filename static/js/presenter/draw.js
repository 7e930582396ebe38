// Drawing on the miniature: pen, highlighter, arrow, rectangle, ellipse and a short text
// label in six colours, undo and clear; and the public gallery's redaction box, drawn the
// same way. While a tool is on, a layer over the miniature takes the mouse (no callout, no
// click into the view); the shape being drawn shows at once, and the server's state (every
// screen's) replaces it. Points are fractions of the view's surface (surface.js).
// Keys (keyboard.js): D turns drawing on and walks the tools, then off; Esc turns it off;
// K the next colour; Z (or Ctrl+Z) undo; X clear; Enter opens a text label's field.
import { $, element } from "./dom.js";
import { surface } from "./surface.js";

export const TOOLS = ["pen", "highlight", "arrow", "rect", "ellipse", "text"];
export const COLOURS = {
  red: "#e02020",
  yellow: "#ffd400",
  green: "#1f9d3a",
  blue: "#1565c0",
  black: "#000000",
  white: "#ffffff",
};
const MAX_POINTS = 200; // a pen stroke sent has at most this many (the server takes 500)
const MIN_STEP = 0.002; // pen points closer than this, of the surface, are one point
const MIN_SIZE = 0.008; // a shape smaller than this is a click, not a shape
const SVG = "http://www.w3.org/2000/svg";

export function thin(points, most = MAX_POINTS) {
  // fewest points that keep the stroke's shape (Ramer–Douglas–Peucker, its tolerance grown
  // until the stroke fits), then every n-th if a scribble still has too many
  let tolerance = 0.0005;
  let kept = points;
  while (kept.length > most && tolerance < 0.05) {
    kept = simplify(points, tolerance);
    tolerance *= 2;
  }
  if (kept.length > most) {
    const every = (kept.length - 1) / (most - 1);
    kept = Array.from({ length: most }, (_, i) => kept[Math.round(i * every)]);
  }
  return kept;
}

function simplify(points, tolerance) {
  if (points.length < 3) return points;
  const [a, b] = [points[0], points.at(-1)];
  let far = 0;
  let at = 0;
  for (let i = 1; i < points.length - 1; i++) {
    const d = distanceToSegment(points[i], a, b);
    if (d > far) [far, at] = [d, i];
  }
  if (far <= tolerance) return [a, b];
  return [...simplify(points.slice(0, at + 1), tolerance).slice(0, -1), ...simplify(points.slice(at), tolerance)];
}

function distanceToSegment([x, y], [x1, y1], [x2, y2]) {
  const dx = x2 - x1;
  const dy = y2 - y1;
  const length = dx * dx + dy * dy;
  const t = length ? Math.max(0, Math.min(1, ((x - x1) * dx + (y - y1) * dy) / length)) : 0;
  return Math.hypot(x - (x1 + t * dx), y - (y1 + t * dy));
}

const round = ([x, y]) => [Math.round(x * 10000) / 10000, Math.round(y * 10000) / 10000];

export function start({ store, send, stage, ui }) {
  const stageEl = $("stage");
  const frame = stageEl.parentElement; // .mini-frame
  const area = surface(stage);
  const layer = element("div", undefined, "draw-layer");
  stageEl.after(layer);
  const preview = document.createElementNS(SVG, "svg");
  preview.classList.add("draw-preview");
  layer.append(preview);

  let tool = null; // the tool on, or null: the mouse is the callout's and the laser's again
  let lastDrawing = "pen"; // what the 绘图 button turns back on
  let colour = "red";
  let gesture = null; // the shape being drawn: { kind, points }
  let field = null; // a text label being typed: { input, point }
  let dropped = false; // this click closed a label: it opens none
  let labels = 0; // labels placed from the keyboard, stacked down the surface
  const waiting = []; // shapes sent, shown until the miniature draws the state that has them

  // --- the tool bar -------------------------------------------------------------------
  function choose(next) {
    cancel();
    tool = next;
    if (TOOLS.includes(next)) lastDrawing = next;
    redraw();
  }

  function redraw() {
    for (const button of document.querySelectorAll("[data-tool]")) {
      const on = button.dataset.tool === tool;
      button.classList.toggle("on", on);
      button.setAttribute("aria-pressed", String(on));
    }
    const drawing = TOOLS.includes(tool);
    $("draw-toggle").classList.toggle("on", drawing);
    $("draw-toggle").setAttribute("aria-pressed", String(drawing));
    for (const swatch of document.querySelectorAll("#draw-colours [data-colour]")) {
      const on = swatch.dataset.colour === colour;
      swatch.classList.toggle("on", on);
      swatch.setAttribute("aria-pressed", String(on));
    }
    frame.classList.toggle("drawing", tool !== null);
    frame.classList.toggle("redacting", tool === "redact");
    frame.dataset.tool = tool || "";
    $("draw-tools").dataset.tool = tool || "";
  }

  document.addEventListener("click", (event) => {
    const button = event.target.closest?.("button[data-tool]");
    if (button) choose(tool === button.dataset.tool ? null : button.dataset.tool);
  });
  $("draw-toggle").addEventListener("click", () => choose(TOOLS.includes(tool) ? null : lastDrawing));
  $("draw-colours").addEventListener("click", (event) => {
    const swatch = event.target.closest("button[data-colour]");
    if (!swatch) return;
    colour = swatch.dataset.colour;
    redraw();
  });
  $("draw-undo").addEventListener("click", () => undo());
  $("draw-clear").addEventListener("click", () => clear());

  store.subscribe(
    (s) => (Array.isArray(s.state?.annotations) ? s.state.annotations.length : null),
    (count) => {
      // nothing to take back: the buttons say so (a server without annotations: enabled,
      // and its refusal is told)
      $("draw-undo").disabled = count === 0;
      $("draw-clear").disabled = count === 0;
    },
  );

  // another view on the miniature: a stroke half drawn belonged to the old one
  store.subscribe(
    (s) => {
      const v = s.state;
      return v ? [v.item, v.panel, v.file, v.page, v.flow_page, v.step, v.attachment, v.compare?.active ?? null] : null;
    },
    () => cancel(),
  );
  store.subscribe(
    (s) => s.applied,
    (applied) => {
      // the miniature drew a state: the shapes it holds are the server's now
      for (let i = waiting.length - 1; i >= 0; i--) {
        if (applied && applied.seq >= waiting[i].seq) {
          waiting[i].el.remove();
          waiting.splice(i, 1);
        }
      }
    },
  );

  // --- drawing with the mouse ---------------------------------------------------------
  layer.addEventListener("pointerdown", (event) => {
    if (!tool || event.button !== 0) return;
    event.preventDefault();
    if (field) {
      // a click beside a label being typed cancels it (Enter places it)
      close();
      dropped = true;
      return;
    }
    if (tool === "text") return; // placed on pointerup, where the click ends
    const point = area.at(event.clientX, event.clientY);
    if (!point) return; // off the picture or page: nothing to draw on
    gesture = { kind: tool, points: [point], pointer: event.pointerId };
    layer.setPointerCapture(event.pointerId);
    show(gesture);
  });
  layer.addEventListener("pointermove", (event) => {
    if (!gesture || event.pointerId !== gesture.pointer) return;
    const point = area.at(event.clientX, event.clientY, { clamp: true });
    if (!point) return;
    const points = gesture.points;
    if (gesture.kind === "pen" || gesture.kind === "highlight") {
      const last = points.at(-1);
      if (Math.hypot(point[0] - last[0], point[1] - last[1]) >= MIN_STEP) points.push(point);
    } else {
      points[1] = point;
    }
    show(gesture);
  });
  layer.addEventListener("pointerup", (event) => {
    if (tool === "text" && !gesture && event.button === 0) {
      const point = dropped || field ? null : area.at(event.clientX, event.clientY);
      dropped = false;
      if (point) open(point);
      return;
    }
    if (!gesture || event.pointerId !== gesture.pointer) return;
    const point = area.at(event.clientX, event.clientY, { clamp: true });
    if (point && gesture.kind !== "pen" && gesture.kind !== "highlight") gesture.points[1] = point;
    finish();
  });
  layer.addEventListener("pointercancel", () => cancel());
  // a double click while drawing is two clicks of the tool: no callout is cleared, no
  // chat picture closed (their handlers listen on the stage, which this layer covers)
  layer.addEventListener("dblclick", (event) => event.preventDefault());
  layer.addEventListener("contextmenu", (event) => tool && event.preventDefault());

  function finish() {
    const done = gesture;
    gesture = null;
    const command = commandOf(done);
    if (!command) {
      preview.replaceChildren();
      return;
    }
    commit(command);
  }

  function commandOf({ kind, points }) {
    if (kind === "pen" || kind === "highlight") {
      if (points.length < 2) return null;
      return annotate({ kind, points: thin(points).map(round), color: COLOURS[colour], text: "" });
    }
    const [a, b] = points;
    if (!b) return null;
    const [w, h] = [Math.abs(b[0] - a[0]), Math.abs(b[1] - a[1])];
    if (kind === "arrow") {
      if (Math.hypot(w, h) < MIN_SIZE) return null;
      return annotate({ kind, points: [round(a), round(b)], color: COLOURS[colour], text: "" });
    }
    if (w < MIN_SIZE || h < MIN_SIZE) return null;
    if (kind === "redact") {
      const box = round([Math.min(a[0], b[0]), Math.min(a[1], b[1])]).concat(round([w, h]));
      return { action: "redact", op: "add", box };
    }
    return annotate({ kind, points: [round(a), round(b)], color: COLOURS[colour], text: "" });
  }

  const annotate = (shape) => ({ action: "annotate", op: "add", shape });

  async function commit(command) {
    // the shape stays drawn here until the miniature shows the state that holds it
    const el = document.createElementNS(SVG, "g");
    el.append(...preview.childNodes);
    const kept = document.createElementNS(SVG, "svg");
    kept.classList.add("draw-preview", "sent");
    copyBox(preview, kept);
    kept.append(el);
    layer.append(kept);
    const answer = await send(command);
    if (!answer.ok || store.get().applied?.seq >= answer.seq) {
      kept.remove();
      return;
    }
    waiting.push({ seq: answer.seq, el: kept });
    setTimeout(() => kept.remove(), 3000); // never left behind, whatever happens
  }

  function cancel() {
    gesture = null;
    preview.replaceChildren();
    close();
  }

  // --- the shape being drawn, in the miniature's pixels ---------------------------------
  function place(svg) {
    const r = area.rect();
    if (!r) return null;
    const own = layer.getBoundingClientRect();
    Object.assign(svg.style, {
      left: `${r.left - own.left}px`,
      top: `${r.top - own.top}px`,
      width: `${r.width}px`,
      height: `${r.height}px`,
    });
    svg.setAttribute("viewBox", `0 0 ${r.width} ${r.height}`);
    return r;
  }

  function copyBox(from, to) {
    for (const key of ["left", "top", "width", "height"]) to.style[key] = from.style[key];
    to.setAttribute("viewBox", from.getAttribute("viewBox") || "0 0 1 1");
  }

  function show({ kind, points }) {
    const r = place(preview);
    if (!r) return;
    const px = ([x, y]) => [x * r.width, y * r.height];
    const side = Math.max(r.width, r.height);
    const stroke = COLOURS[colour];
    const width = Math.max(1.5, (kind === "highlight" ? 0.025 : 0.004) * side);
    const make = (tag, attributes) => {
      const el = document.createElementNS(SVG, tag);
      for (const [name, value] of Object.entries(attributes)) el.setAttribute(name, String(value));
      return el;
    };
    const line = { stroke, "stroke-width": width, fill: "none", "stroke-linecap": "round", "stroke-linejoin": "round" };
    const [a, b] = [px(points[0]), px(points[1] || points[0])];
    let shapes = [];
    if (kind === "pen" || kind === "highlight") {
      const polyline = make("polyline", { ...line, points: points.map((p) => px(p).join(",")).join(" ") });
      if (kind === "highlight") polyline.setAttribute("stroke-opacity", "0.35");
      shapes = [polyline];
    } else if (kind === "arrow") {
      const angle = Math.atan2(b[1] - a[1], b[0] - a[0]);
      const head = Math.max(8, 0.03 * side);
      const wing = (turn) => [b[0] - head * Math.cos(angle + turn), b[1] - head * Math.sin(angle + turn)].join(",");
      shapes = [
        make("line", { ...line, x1: a[0], y1: a[1], x2: b[0], y2: b[1] }),
        make("polygon", { fill: stroke, points: `${b.join(",")} ${wing(0.45)} ${wing(-0.45)}` }),
      ];
    } else if (kind === "rect" || kind === "redact") {
      const [width, height] = [Math.abs(b[0] - a[0]), Math.abs(b[1] - a[1])];
      const box = { x: Math.min(a[0], b[0]), y: Math.min(a[1], b[1]), width, height };
      shapes = [kind === "redact" ? make("rect", { ...box, class: "redact-box" }) : make("rect", { ...line, ...box })];
    } else if (kind === "ellipse") {
      shapes = [
        make("ellipse", {
          ...line,
          cx: (a[0] + b[0]) / 2,
          cy: (a[1] + b[1]) / 2,
          rx: Math.abs(b[0] - a[0]) / 2,
          ry: Math.abs(b[1] - a[1]) / 2,
        }),
      ];
    }
    preview.replaceChildren(...shapes);
  }

  // --- a text label ---------------------------------------------------------------------
  function open(point) {
    close();
    const r = area.rect();
    if (!r) return;
    const own = layer.getBoundingClientRect();
    const input = element("input", undefined, "label-field");
    input.type = "text";
    input.maxLength = 100;
    input.placeholder = ui.draw_text_placeholder;
    input.setAttribute("aria-label", ui.draw_text);
    input.style.left = `${r.left - own.left + point[0] * r.width}px`;
    input.style.top = `${r.top - own.top + point[1] * r.height}px`;
    field = { input, point };
    input.addEventListener("keydown", (event) => {
      if (event.key === "Enter") {
        event.preventDefault();
        const text = input.value.trim();
        const at = field?.point;
        close();
        if (text && at) {
          commit(annotate({ kind: "text", points: [round(at)], color: COLOURS[colour], text }));
        }
      } else if (event.key === "Escape") {
        close();
      }
    });
    input.addEventListener("blur", () => field?.input === input && close());
    layer.append(input);
    input.focus();
  }

  function close() {
    if (!field) return;
    const { input } = field;
    field = null;
    input.remove();
  }

  // --- what the keys do -------------------------------------------------------------------
  function undo() {
    if (store.get().state?.annotations?.length === 0) return;
    send({ action: "annotate", op: "undo" });
  }
  function clear() {
    if (store.get().state?.annotations?.length === 0) return;
    send({ action: "annotate", op: "clear" });
  }

  redraw();
  return {
    cycle: () => {
      // D: on with the pen, then each tool in turn, then off
      const at = TOOLS.indexOf(tool);
      choose(at < 0 ? TOOLS[0] : at + 1 < TOOLS.length ? TOOLS[at + 1] : null);
    },
    colour: () => {
      const names = Object.keys(COLOURS);
      colour = names[(names.indexOf(colour) + 1) % names.length];
      redraw();
    },
    undo,
    clear,
    enter: () => {
      // Enter with the text tool on: a label's field, under the last one placed by keys
      if (tool !== "text" || field) return false;
      open([0.04, 0.04 + 0.08 * (labels++ % 11)]);
      return true;
    },
    escape: () => {
      if (!tool && !gesture) return false;
      choose(null);
      return true;
    },
  };
}
