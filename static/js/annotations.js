// Marks on the court's picture: the presenter's annotations (pen, highlight, arrow, rect,
// ellipse, text: `state.annotations`) and, on a whole screen and the miniature, the outline
// of each box the public gallery's screen has blacked out (`state.redaction.boxes`).
//
// A shape is placed in fractions of the view's *surface* (docs/live.md): the picture of an
// image, the page of a document, a video's picture (its letterbox left out), a chat's
// picture shown large, else the view's box. The marks are an SVG over that surface, drawn in
// the stage's canvas (never inside the view, whose pages pages.js cuts): every screen puts a
// shape on the same spot of the picture, also under a callout, which shows the part of the
// surface it enlarges (shapes outside it are clipped). Lengths are fractions of the surface,
// text the court's size: a 4K screen and the miniature look alike.

const SVG = "http://www.w3.org/2000/svg";
const PICTURE = "img[data-role=zoomable]";
// widths: a fraction of the surface's larger side, and at least a fraction of the court's
// text size (a stroke as bold as a letter's, a highlight as tall as a line of text), so that
// a small picture's marks are seen from the back of the room
const PEN = { surface: 0.004, text: 0.11 };
const HIGHLIGHT = { surface: 0.025, text: 0.8 };
const LABEL = 1.2; // a text label, in the court's text size
const GRID = 200; // the server cuts callouts on this grid (presenter/rendering.py quantise)
const SMALLEST = 2;
const COLOUR = /^#[0-9a-f]{6}$/i;
const MASK_WORDS = { zh: "旁听席遮挡", en: "Masked for the public gallery" };

export function surfaceOf(section) {
  // the element whose box (or picture) is the surface: {el, picture}
  if (!section) return null;
  const large = section.querySelector(`.chat-large ${PICTURE}`);
  const img = large || section.querySelector(PICTURE);
  if (img) return { el: img, picture: true };
  const video = section.querySelector(".media-frame video");
  if (video) return { el: video, picture: true };
  const box = section.querySelector(".exhibit-view") || section.querySelector(":scope > .panel") || section;
  return { el: box, picture: false };
}

function natural(el) {
  return el.tagName === "VIDEO" ? [el.videoWidth, el.videoHeight] : [el.naturalWidth, el.naturalHeight];
}

function fitted(rect, w, h) {
  // a picture of w × h drawn whole and centred in rect (object-fit: contain)
  const k = Math.min(rect.width / w, rect.height / h);
  const width = w * k;
  const height = h * k;
  return { left: rect.left + (rect.width - width) / 2, top: rect.top + (rect.height - height) / 2, width, height };
}

function snap(start, end) {
  const slack = 1e-6;
  let low = Math.max(0, Math.floor(start * GRID + slack));
  let high = Math.min(GRID, Math.ceil(end * GRID - slack));
  if (high - low < SMALLEST) {
    high = Math.min(GRID, low + SMALLEST);
    low = high - SMALLEST;
  }
  return [low / GRID, high / GRID];
}

export function snapped(region) {
  // the region a callout shows: the one asked for, snapped outward to the server's grid
  const [x, y, w, h] = region.map(Number);
  const [x0, x1] = snap(x, x + w);
  const [y0, y1] = snap(y, y + h);
  return [x0, y0, x1 - x0, y1 - y0];
}

function meet(a, b) {
  const left = Math.max(a.left, b.left);
  const top = Math.max(a.top, b.top);
  const right = Math.min(a.left + a.width, b.left + b.width);
  const bottom = Math.min(a.top + a.height, b.top + b.height);
  return { left, top, width: Math.max(0, right - left), height: Math.max(0, bottom - top) };
}

function plain(rect) {
  return { left: rect.left, top: rect.top, width: rect.width, height: rect.height };
}

export function geometry(section, region) {
  // in client px: the whole surface (where (x, y) = (left + x·width, top + y·height)), the
  // part of it in view (clip), and whether it is still moving (a zoom's transition); null
  // while the surface has no size yet (a picture loading)
  const surface = surfaceOf(section);
  if (!surface) return null;
  const { el } = surface;
  let rect = plain(el.getBoundingClientRect());
  let clip = null;
  if (surface.picture) {
    const [w, h] = natural(el);
    if (!w || !h) return null;
    rect = fitted(rect, w, h);
    const callout = region && el.dataset.crop !== undefined ? el.parentElement.querySelector("img.callout") : null;
    if (callout) {
      // the callout shows the snapped region of the picture, fitted in its own box
      const [qx, qy, qw, qh] = snapped(region);
      clip = fitted(plain(callout.getBoundingClientRect()), qw * w, qh * h);
      const width = clip.width / qw;
      const height = clip.height / qh;
      rect = { left: clip.left - qx * width, top: clip.top - qy * height, width, height };
    }
  }
  if (!(rect.width > 0 && rect.height > 0)) return null;
  if (!clip) {
    // what the view's boxes leave of it (a zoomed video's frame, the view's own box)
    clip = rect;
    for (let a = el.parentElement; a && !a.classList.contains("stage-canvas"); a = a.parentElement) {
      const style = getComputedStyle(a);
      if (style.overflowX !== "visible" || style.overflowY !== "visible") clip = meet(clip, a.getBoundingClientRect());
    }
  }
  const zoomed = el.closest("[data-role=zoomable]");
  const moving = !!zoomed && zoomed !== el && zoomed.getAnimations().length > 0;
  return { rect, clip, moving };
}

function node(tag, attributes, parent) {
  const el = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attributes)) el.setAttribute(name, String(value));
  parent?.append(el);
  return el;
}

function layer(className) {
  const div = document.createElement("div");
  div.className = className;
  const svg = node("svg", { "aria-hidden": "true" }, div);
  return { div, svg };
}

const r2 = (v) => Math.round(v * 100) / 100;

export class Marks {
  // the marks of one stage (or one half of a compare), over its canvas
  constructor(canvas, before, { lang }) {
    this.canvas = canvas;
    // highlights lie under the other marks, a translucent ink over the picture (not blended:
    // multiplying them into it cost the screens' compositor a frame's worth at the tail)
    this.under = layer("stage-marks stage-highlights");
    this.over = layer("stage-marks");
    canvas.insertBefore(this.under.div, before);
    canvas.insertBefore(this.over.div, before);
    this.lang = lang;
    this.section = null;
    this.view = { shapes: [], boxes: [], region: null };
    this.key = null;
    this.each = []; // the shapes drawn, each as JSON
    this.groups = []; // and their groups (null: a shape that draws nothing)
    this.pen = null;
    this.count = 0;
  }

  show(section, view) {
    this.section = section;
    this.view = view;
    return this.refresh();
  }

  clear() {
    return this.show(null, { shapes: [], boxes: [], region: null });
  }

  refresh() {
    // drawn again only when the shapes, the boxes or the surface's place changed; the number
    // of marks drawn
    const { shapes, boxes, region } = this.view;
    const any = shapes.length || boxes.length;
    const g = any && this.section?.isConnected ? geometry(this.section, region) : null;
    if (g?.moving) {
      // a zoom is under way: shown again where it ends (transitionend)
      this.hide(true);
      this.key = null;
      return this.count;
    }
    const canvas = this.canvas.getBoundingClientRect();
    const k = canvas.width / (this.canvas.offsetWidth || 1) || 1;
    const local = (r) => ({
      left: r2((r.left - canvas.left) / k),
      top: r2((r.top - canvas.top) / k),
      width: r2(r.width / k),
      height: r2(r.height / k),
    });
    const font = this.section ? parseFloat(getComputedStyle(this.section).fontSize) : 0;
    const placed = g ? { rect: local(g.rect), clip: local(g.clip) } : null;
    const key = JSON.stringify([boxes, placed, font]);
    const each = shapes.map((shape) => JSON.stringify(shape));
    if (key === this.key && placed) {
      // the same surface, in the same place: only the shapes that changed (a shape added, the
      // last taken back) are drawn or taken away
      let same = 0;
      while (same < each.length && same < this.each.length && each[same] === this.each[same]) same++;
      if (same === each.length && same === this.each.length) return this.count;
      for (const group of this.groups.splice(same)) group?.remove();
      this.draw(shapes.slice(same), each);
      return this.count;
    }
    this.key = key;
    this.hide(true);
    for (const { svg } of [this.under, this.over]) svg.replaceChildren();
    this.groups = [];
    this.each = [];
    this.count = 0;
    if (!placed || !placed.clip.width || !placed.clip.height) {
      this.key = null;
      return this.count;
    }
    this.over.div.hidden = false;
    for (const { svg } of [this.under, this.over]) {
      const { clip } = placed;
      svg.setAttribute("width", String(clip.width));
      svg.setAttribute("height", String(clip.height));
      svg.setAttribute("viewBox", `0 0 ${clip.width} ${clip.height}`);
      svg.style.left = `${clip.left}px`;
      svg.style.top = `${clip.top}px`;
    }
    this.pen = new Pen(placed, font);
    for (const box of boxes) this.outline(this.pen, box);
    this.draw(shapes, each);
    return this.count;
  }

  draw(more, each) {
    for (const shape of more) this.groups.push(this.shape(this.pen, shape));
    this.each = each;
    this.count = this.groups.filter(Boolean).length;
    // the highlights' layer is shown only with a highlight in it (empty, it still costs frames)
    this.under.div.hidden = !this.under.svg.firstChild;
  }

  hide(hidden) {
    for (const { div } of [this.under, this.over]) if (div.hidden !== hidden) div.hidden = hidden;
  }

  shape(pen, shape) {
    const points = (shape.points || []).map(pen.at);
    const colour = COLOUR.test(shape.color || "") ? shape.color : "#e00000";
    const kind = shape.kind;
    if (!points.length) return null;
    const group = node("g", { "data-id": shape.id, "data-kind": kind }, kind === "highlight" ? this.under.svg : this.over.svg);
    const [a, b = a] = points;
    const width = pen.width(PEN);
    if (kind === "pen" || kind === "highlight") {
      const line = points.map(([x, y]) => `${r2(x)},${r2(y)}`).join(" ");
      if (kind === "highlight") {
        node("polyline", { points: line, stroke: colour, "stroke-width": pen.width(HIGHLIGHT), "stroke-opacity": 0.35, class: "ink" }, group);
      } else {
        pen.haloed(group, "polyline", { points: line }, colour, width);
      }
    } else if (kind === "arrow") {
      pen.arrow(group, a, b, colour, width * 1.25);
    } else if (kind === "rect") {
      const box = { x: r2(Math.min(a[0], b[0])), y: r2(Math.min(a[1], b[1])), width: r2(Math.abs(b[0] - a[0])), height: r2(Math.abs(b[1] - a[1])) };
      pen.haloed(group, "rect", box, colour, width);
    } else if (kind === "ellipse") {
      const shape = { cx: r2((a[0] + b[0]) / 2), cy: r2((a[1] + b[1]) / 2), rx: r2(Math.abs(b[0] - a[0]) / 2), ry: r2(Math.abs(b[1] - a[1]) / 2) };
      pen.haloed(group, "ellipse", shape, colour, width);
    } else if (kind === "text") {
      pen.label(group, a, String(shape.text || ""), colour, LABEL);
    } else {
      group.remove();
      return null;
    }
    return group;
  }

  outline(pen, { box }) {
    // what the public gallery does not see: a dashed outline, never filled (the court sees
    // the evidence), named
    const [x, y, w, h] = box.map(Number);
    const [left, top] = pen.at([x, y]);
    const [right, bottom] = pen.at([x + w, y + h]);
    const group = node("g", { class: "masked" }, this.over.svg);
    const rect = { x: r2(left), y: r2(top), width: r2(right - left), height: r2(bottom - top) };
    const width = Math.max(2, pen.width(PEN) * 0.75);
    node("rect", { ...rect, class: "halo", "stroke-width": r2(width * 2.5) }, group);
    node("rect", { ...rect, class: "dash", "stroke-width": r2(width), "stroke-dasharray": `${r2(width * 4)} ${r2(width * 2.5)}` }, group);
    const words = MASK_WORDS[this.lang] || MASK_WORDS.zh;
    // above the box, or inside it when the box is at the top of the picture
    const size = pen.font;
    const at = [left + width, top - size * 1.3 >= 0 ? top - size * 1.3 : top + width];
    pen.label(group, at, words, "#8a4b00", 1, "mask-label");
  }
}

class Pen {
  // surface fractions to px of the marks' svg (its origin at the clip's corner), and widths
  constructor({ rect, clip }, font) {
    this.rect = rect;
    this.clip = clip;
    this.font = font || rect.height * 0.026;
    // widths are fractions of the surface; under a callout they grow with it, up to twice
    // what the whole picture would draw
    this.side = Math.min(Math.max(rect.width, rect.height), 2 * Math.max(clip.width, clip.height));
    this.at = ([x, y]) => [rect.left - clip.left + Number(x) * rect.width, rect.top - clip.top + Number(y) * rect.height];
  }

  width({ surface, text }) {
    return r2(Math.max(1.5, surface * this.side, text * this.font));
  }

  haloed(group, tag, attributes, colour, width) {
    // a thin white edge keeps a stroke visible on a dark picture as on a light one
    node(tag, { ...attributes, class: "halo", "stroke-width": r2(width + Math.max(2, width * 0.8)) }, group);
    node(tag, { ...attributes, class: "ink", stroke: colour, "stroke-width": width }, group);
  }

  arrow(group, tail, head, colour, width) {
    const dx = head[0] - tail[0];
    const dy = head[1] - tail[1];
    const length = Math.hypot(dx, dy) || 1;
    const ux = dx / length;
    const uy = dy / length;
    const size = Math.min(length, Math.max(width * 4.5, this.font * 0.9));
    const base = [head[0] - ux * size, head[1] - uy * size];
    const half = size * 0.55;
    const tip = [
      [head[0], head[1]],
      [base[0] - uy * half, base[1] + ux * half],
      [base[0] + uy * half, base[1] - ux * half],
    ]
      .map(([x, y]) => `${r2(x)},${r2(y)}`)
      .join(" ");
    const shaft = { x1: r2(tail[0]), y1: r2(tail[1]), x2: r2(head[0] - ux * size * 0.8), y2: r2(head[1] - uy * size * 0.8) };
    const edge = Math.max(2, width * 0.8);
    node("line", { ...shaft, class: "halo", "stroke-width": r2(width + edge) }, group);
    node("polygon", { points: tip, class: "halo", "stroke-width": r2(edge) }, group);
    node("line", { ...shaft, class: "ink", stroke: colour, "stroke-width": width }, group);
    node("polygon", { points: tip, class: "head", fill: colour }, group);
  }

  label(group, [x, y], words, colour, scale, className = "label") {
    // the court's text size at least, on a white halo, kept inside the surface's view
    const size = r2(this.font * scale);
    const text = node("text", { x: r2(x), y: r2(y), "font-size": size, fill: colour, class: className, "stroke-width": r2(size * 0.22) }, group);
    text.textContent = words;
    // a label begun on the part in view is moved in to be read whole; one begun outside
    // it (beyond a callout's region) stays there, clipped
    const { width, height } = this.clip;
    if (x < 0 || x > width || y < 0 || y > height) return text;
    const length = text.getComputedTextLength();
    if (x + length > width) text.setAttribute("x", String(r2(Math.max(0, width - length))));
    const low = height - size * 1.25;
    if (y > low) text.setAttribute("y", String(r2(Math.max(0, low))));
    return text;
  }
}
