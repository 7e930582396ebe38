// The stage: what a court screen shows for a state. The presenter's miniature is the same
// stage, so it shows exactly what the screens show. Content comes from the server already
// rendered for court (escaped and sanitised); steps, zoom, pointer, blank and media are
// applied here. One function per concern, one hook per view.

import { Marks, geometry } from "./annotations.js";
import { paginate } from "./pages.js";
import { VIEW_STEPS } from "./views/index.js";

const UNAVAILABLE = '<p class="unavailable">';
const KEPT = 8; // panels kept drawn, the latest
// what a half of a side-by-side view shows of its own (docs/live.md); the rest (blank,
// pointer, verification, sound) is the whole stage's
const HALF_FIELDS = [
  "item", "panel", "step", "file", "page", "flow_page", "region", "attachment", "table", "chart",
  "annotations",
];
const SHARES = { "50/50": 0.5, "60/40": 0.6 };

export class Stage {
  constructor(element, { lang, logo, words, name = null, isPublic = false, onApplied = () => {} }) {
    this.el = element;
    this.name = name; // a screen's name; null for the presenter's miniature
    this.isPublic = isPublic; // the public gallery's screen: its pictures come masked
    this.rv = ""; // on a public screen, the redaction's version its pictures were asked for
    this.halves = null; // [Stage, Stage] while two views are side by side
    this.pair = null; // the halves' stages, kept between comparisons
    this.share = null; // of a half: its share of the whole picture's height
    this.offset = 0; // server clock minus ours, in seconds
    this.words = words;
    this.lang = lang;
    this.onApplied = onApplied;
    this.version = 0;
    this.shownKey = null;
    this.fragments = new Map(); // key -> Promise of HTML: panels are fetched ahead
    this.drawn = new Map(); // key -> the DOM of a panel left, to be shown again as it was
    this.pending = 0;
    this.el.innerHTML = "";
    // the court's picture: a canvas of the screens' aspect ratio, letterboxed in any window,
    // every size in it a fraction of its height, so each screen and the miniature lay out
    // the same lines and the same pages
    const [w, h] = (element.dataset.aspect || "16:9").split(":").map(Number);
    this.shape = { w: w || 16, h: h || 9 };
    this.el.style.setProperty("--aw", String(this.shape.w));
    this.el.style.setProperty("--ah", String(this.shape.h));
    // the presenter's miniature is framed at the screens' ratio: the screen, scaled
    if (this.el.parentElement?.classList.contains("mini-frame")) {
      this.el.parentElement.style.aspectRatio = `${w || 16} / ${h || 9}`;
    }
    this.canvas = document.createElement("div");
    this.canvas.className = "stage-canvas";
    this.el.append(this.canvas);
    this.content = this.part("stage-body");
    this.blankEl = this.part("stage-blank");
    this.pointerEl = this.part("stage-pointer");
    this.verifyEl = this.part("stage-verify");
    const logoEl = document.createElement("div");
    logoEl.className = "logo";
    logoEl.textContent = logo || "";
    this.blankEl.append(logoEl);
    this.options = { lang, logo, words, isPublic };
    // the annotations over the view; placed again when the picture moves: a window resized,
    // a picture or video come in, a zoom's transition ended
    this.marks = new Marks(this.canvas, this.blankEl, { lang });
    const refresh = () => this.refreshMarks();
    new ResizeObserver(refresh).observe(this.canvas);
    for (const event of ["load", "loadedmetadata", "transitionend", "transitioncancel"]) {
      this.canvas.addEventListener(event, refresh, true);
    }
  }

  mark(key, value) {
    // the stage's attributes (what the styles and tests read), written only when they change:
    // a write restyles the whole stage
    if (this.el.dataset[key] !== value) this.el.dataset[key] = value;
  }

  part(name) {
    const el = document.createElement("div");
    el.className = name;
    this.canvas.append(el);
    return el;
  }

  deckChanged(version) {
    this.version = version;
    this.shownKey = null;
    this.fragments.clear();
    this.drawn.clear();
    for (const half of this.pair || []) half.deckChanged(version);
  }

  async apply(state) {
    this.last = state;
    const ticket = ++this.pending;
    this.mark("blank", state.blank || "");
    this.followRedaction(state);
    if (state.compare && !state.case) return this.applyCompare(state, ticket);
    // an exhibit of several files shows one at a time: its content is the file's (state.file)
    const file = state.panel === "content" ? state.file || 0 : 0;
    const key = state.case ? `case@${this.version}` : state.item ? this.key(state.item, state.panel, file) : null;
    if (key !== this.shownKey) {
      const drawn = this.drawn.get(key);
      const html = drawn
        ? null
        : state.case
          ? await this.fetchHtml("/screen/case")
          : key
            ? await this.fragment(state.item, state.panel, file)
            : "";
      if (ticket !== this.pending) return; // a newer state arrived meanwhile
      this.keep();
      if (drawn) {
        this.drawn.delete(key);
        this.freshen(drawn); // before its pictures are shown again
        this.content.append(drawn); // as it was left: parsed, laid out, cut into pages
      } else {
        // rendered for court by the server; parsed inert, so that a public screen asks for
        // each picture once, at the redaction's version
        const parsed = document.createElement("template");
        parsed.innerHTML = html;
        this.freshen(parsed.content);
        this.content.replaceChildren(parsed.content);
      }
      this.shownKey = key;
    }
    const section = this.content.querySelector(".stage-content");
    // a half's text is the court's size, whatever its share of the picture's height
    if (section && this.share) section.style.setProperty("--share", String(this.share));
    this.freshen(section);
    const steps = section ? JSON.parse(section.dataset.steps || "[]") : [];
    const step = ownStep(section, state.step > 0 ? steps[state.step - 1] : null, state.step);
    await VIEW_STEPS[section?.dataset.view]?.(section, step, state, this);
    if (ticket !== this.pending) return;
    this.freshen(section);
    const paged = await paginate(section, state.flow_page || 0, this.shape);
    if (ticket !== this.pending) return;
    this.mark("page", String(paged.page));
    this.mark("pages", String(paged.pages));
    this.zoom(section, state.region);
    this.drawMarks(section, state);
    this.endCompare();
    this.point(state.pointer);
    this.showVerification(state);
    this.mark("item", state.item || "");
    this.mark("case", state.case ? "1" : "");
    this.mark("step", String(state.step));
    this.onApplied(state);
    if (state.item) this.prefetch(state.item, file, section);
  }

  // --- two views side by side ---------------------------------------------------------------

  async applyCompare(state, ticket) {
    // each half is a stage of its own, on a part of this one's canvas; shown once both are
    // drawn, so that nothing of what was on screen before flashes
    const compare = state.compare;
    const pair = this.pair || this.makePair();
    this.arrange(compare);
    const active = compare.active === 1 ? 1 : 0;
    for (const half of pair) {
      half.offset = this.offset;
      half.name = this.name;
      half.sound = this.sound;
      half.onChart = this.onChart;
    }
    await Promise.all(pair.map((half, i) => half.apply(halfState(state, compare, i, i === active))));
    if (ticket !== this.pending) return;
    const other = pair[1 - active];
    for (const media of other.content.querySelectorAll("audio, video")) media.pause();
    if (!this.halves) for (const media of this.content.querySelectorAll("audio, video")) media.pause();
    this.halves = pair;
    pair.forEach((half, i) => half.el.classList.toggle("active", i === active));
    this.mark("compare", compare.direction === "column" ? "column" : "row");
    this.mark("active", String(active));
    this.marks.clear();
    this.mark("marks", "0");
    this.mark("page", pair[active].el.dataset.page || "1");
    this.mark("pages", pair[active].el.dataset.pages || "1");
    this.point(state.pointer);
    this.showVerification(state);
    this.mark("item", state.item || "");
    this.mark("case", "");
    this.mark("step", String(state.step));
    this.onApplied(state);
  }

  makePair() {
    const holder = document.createElement("div");
    holder.className = "stage-halves";
    this.canvas.insertBefore(holder, this.blankEl);
    this.pair = [0, 1].map(() => {
      const el = document.createElement("div");
      el.className = "stage stage-half";
      holder.append(el);
      const half = new Stage(el, this.options);
      half.deckChanged(this.version);
      return half;
    });
    return this.pair;
  }

  arrange(compare) {
    // the halves' shares of the picture; each half's canvas has its own real shape, so that
    // every screen cuts its long content into the same pages
    const first = SHARES[compare.layout] || 0.5;
    const column = compare.direction === "column";
    this.pair.forEach((half, i) => {
      const share = i === 0 ? first : 1 - first;
      const percent = `${(share * 100).toFixed(4)}%`;
      half.el.style.width = column ? "100%" : percent;
      half.el.style.height = column ? percent : "100%";
      const round = (v) => Math.round(v * 10000) / 10000;
      half.reshape(
        column ? this.shape.w : round(this.shape.w * share),
        column ? round(this.shape.h * share) : this.shape.h,
        column ? share : 1,
      );
    });
  }

  reshape(w, h, share) {
    this.shape = { w, h };
    this.share = share;
    this.el.style.setProperty("--aw", String(w));
    this.el.style.setProperty("--ah", String(h));
  }

  endCompare() {
    // back to one view, once it is drawn
    if (!this.halves) return;
    for (const half of this.halves) {
      for (const media of half.content.querySelectorAll("audio, video")) media.pause();
      half.el.classList.remove("active");
    }
    this.halves = null;
    this.mark("compare", "");
    this.mark("active", "");
  }

  activeStage() {
    // the stage the keyboard drives: this one, or the active half of a comparison
    if (!this.halves) return this;
    return this.halves[this.last?.compare?.active === 1 ? 1 : 0].activeStage();
  }

  // --- annotations and the public gallery's masks ------------------------------------------

  drawMarks(section, state) {
    const boxes = this.maskedHere(state, section);
    const count = this.marks.show(section, { shapes: state.annotations || [], boxes, region: state.region || null });
    this.mark("marks", String(count));
    this.mark("masked", String(boxes.length));
  }

  refreshMarks() {
    if (this.halves) return;
    this.mark("marks", String(this.marks.refresh()));
  }

  maskedHere(state, section) {
    // the live boxes of the view on screen, outlined for the court and the presenter; the
    // public gallery's own screen gets the pixels blacked out by the server instead
    const boxes = state.redaction?.boxes;
    if (this.isPublic || !boxes?.length || !section || state.case || state.panel !== "content") return [];
    const view = section.dataset.view;
    if (view === "chat") {
      // a chat's picture shown large: the boxes drawn on that picture (by its message)
      return state.attachment ? boxes.filter((b) => b.item === state.item && b.message === state.attachment) : [];
    }
    const page = view === "document" ? state.page || 1 : 1;
    const file = state.file || 0;
    return boxes.filter((b) => b.item === state.item && (b.file || 0) === file && (b.page || 1) === page);
  }

  surfaceRect() {
    // in client px, the whole surface of the view the keyboard drives (mapped into a callout:
    // then larger than what is seen): surface (x, y) is at (left + x·width, top + y·height)
    const stage = this.activeStage();
    const section = stage.content.querySelector(".stage-content");
    const g = section ? geometry(section, stage.last?.region || null) : null;
    return g ? new DOMRect(g.rect.left, g.rect.top, g.rect.width, g.rect.height) : null;
  }

  surfaceAt(clientX, clientY) {
    // [x, y] in 0..1 of that surface under a point of the page; null off what is seen of it
    const stage = this.activeStage();
    const section = stage.content.querySelector(".stage-content");
    const g = section ? geometry(section, stage.last?.region || null) : null;
    if (!g) return null;
    const { rect, clip } = g;
    const inside = clientX >= clip.left && clientX <= clip.left + clip.width && clientY >= clip.top && clientY <= clip.top + clip.height;
    if (!inside) return null;
    const edge = (v) => Math.min(1, Math.max(0, v));
    return [edge((clientX - rect.left) / rect.width), edge((clientY - rect.top) / rect.height)];
  }

  followRedaction(state) {
    // a public screen asks again for every picture when the redaction changes
    if (!this.isPublic) return;
    const version = state.redaction?.version;
    this.rv = version === undefined || version === null ? "" : String(version);
  }

  picture(url) {
    // a picture's address as this screen asks for it (views build theirs with this)
    return this.rv && url ? versioned(url, this.rv) : url;
  }

  freshen(root) {
    // the pictures of a view, and the callouts cut from them, at the redaction's version
    if (!this.rv || !root) return;
    for (const img of root.querySelectorAll("img[src]")) {
      const src = img.getAttribute("src");
      const fresh = versioned(src, this.rv);
      if (fresh !== src) img.setAttribute("src", fresh);
    }
    for (const el of root.querySelectorAll("[data-crop]")) {
      const fresh = versioned(el.dataset.crop, this.rv);
      if (fresh !== el.dataset.crop) el.dataset.crop = fresh;
    }
  }

  keep() {
    // what leaves the stage is kept as it is (its pictures, charts and pages), to come back
    // without being parsed and laid out again; never content that could not be had
    const key = this.shownKey;
    const kept = document.createDocumentFragment();
    kept.append(...this.content.childNodes);
    for (const media of kept.querySelectorAll("audio, video")) media.pause();
    if (!key || kept.querySelector(".unavailable")) return;
    this.drawn.delete(key);
    this.drawn.set(key, kept);
    if (this.drawn.size > KEPT) this.drawn.delete(this.drawn.keys().next().value);
  }

  key(item, panel, file = 0) {
    return `${item}/${panel}${file ? `~${file}` : ""}@${this.version}`;
  }

  fragment(item, panel, file = 0) {
    const key = this.key(item, panel, file);
    if (!this.fragments.has(key)) {
      const pending = this.fetchFragment(item, panel, file);
      this.fragments.set(key, pending);
      // only content is kept: a refusal or a failed fetch (a restart) is asked again
      pending.then((html) => html.startsWith(UNAVAILABLE) && this.fragments.delete(key));
    }
    return this.fragments.get(key);
  }

  prefetch(item, file = 0, section = null) {
    // the other panels of the exhibit on screen, so switching panels needs no round trip;
    // of several files, the files beside the one shown
    for (const panel of ["content", "source", "facts", "corroboration"]) {
      this.fragment(item, panel, panel === "content" ? file : 0);
    }
    const count = Number(section?.querySelector(".file-pane")?.dataset.fileCount || 1);
    for (const other of [file - 1, file + 1]) {
      if (other >= 0 && other < count) this.fragment(item, "content", other);
    }
  }

  fetchFragment(item, panel, file = 0) {
    const query = file ? { file: String(file) } : {};
    return this.fetchHtml(`/screen/exhibit/${encodeURIComponent(item)}/${panel}`, query);
  }

  async fetchHtml(path, fields = {}) {
    // court HTML from the server, in the stage's language (a public screen's credential
    // makes the server mask it: nothing here asks for that)
    const params = new URLSearchParams(fields);
    if (this.lang === "en") params.set("lang", "en");
    const query = params.size ? `?${params}` : "";
    try {
      const response = await fetch(`${path}${query}`);
      if (response.ok) return await response.text();
    } catch {
      // the server may be restarting: asked again on the next state
    }
    return this.unavailable();
  }

  unavailable() {
    // never a bare status code on a court screen
    const p = document.createElement("p");
    p.className = "unavailable";
    p.textContent = (this.words || {}).unavailable || "";
    return p.outerHTML;
  }

  zoom(section, region) {
    const target = section?.querySelector("[data-role=zoomable]") || null;
    if (!target) return;
    if (target.dataset.crop !== undefined) {
      this.callout(target, region);
      return;
    }
    if (!region) {
      target.style.transform = "";
      return;
    }
    const [x, y, w, h] = region;
    const scale = Math.min(1 / w, 1 / h);
    // keep the region's centre in the middle of the element
    const cx = (x + w / 2) * 100;
    const cy = (y + h / 2) * 100;
    target.style.transformOrigin = `${cx}% ${cy}%`;
    target.style.transform = `translate(${50 - cx}%, ${50 - cy}%) scale(${scale})`;
  }

  callout(image, region) {
    // an image's region is cut from the full-resolution original by the server: sharp
    const frame = image.parentElement;
    let callout = frame.querySelector("img.callout");
    frame.classList.toggle("called-out", !!region);
    if (!region) {
      callout?.remove();
      return;
    }
    if (!callout) {
      callout = document.createElement("img");
      callout.className = "callout";
      callout.alt = "";
      frame.append(callout);
    }
    const src = image.dataset.crop + region.map((v) => Number(v).toFixed(4)).join(",");
    if (callout.getAttribute("src") !== src) callout.setAttribute("src", src);
  }

  showVerification(state) {
    // the live re-hash, shown to the court: algorithm, recorded, computed, match (Art. 62(3))
    const v = state.verification;
    // a passed (or confirmed) check is a banner over the view it was run on, gone with the
    // next step, page or panel; a failed one hides the exhibit until the presenter confirms
    const view = JSON.stringify([state.item, state.panel, state.step, state.page, state.flow_page, state.case]);
    const result = JSON.stringify(v);
    if (result !== this.verifiedResult) {
      this.verifiedResult = result;
      this.verifiedView = view;
      this.verifiedGone = false;
    }
    if (view !== this.verifiedView) this.verifiedGone = true;
    const held = v && !v.ok && !v.confirmed;
    const shown = v && v.item === state.item && (held || !this.verifiedGone);
    this.mark("verify", shown ? (v.ok ? "match" : v.confirmed ? "confirmed" : "mismatch") : "");
    if (!shown) {
      this.verifyEl.replaceChildren();
      return;
    }
    const words = this.words || {};
    const table = document.createElement("table");
    const head = table.createTHead().insertRow();
    for (const text of [words.file, words.algorithm, words.recorded, words.computed, ""]) {
      head.append(Object.assign(document.createElement("th"), { textContent: text || "" }));
    }
    const body = table.createTBody();
    for (const r of v.results) {
      const row = body.insertRow();
      for (const text of [r.file, r.algorithm.toUpperCase(), r.recorded, r.computed || "—"]) {
        row.insertCell().textContent = text;
      }
      const mark = row.insertCell();
      mark.textContent = r.match ? "✓" : "✗";
      mark.className = r.match ? "match" : "mismatch";
    }
    const title = document.createElement("p");
    title.className = "verdict";
    title.textContent = v.ok ? words.match : v.confirmed ? words.confirmed : words.mismatch;
    // the exhibit stays named while its content is withheld: its number and title
    const named = document.createElement("p");
    named.className = "verify-exhibit";
    const id = Object.assign(document.createElement("span"), { className: "exhibit-id", textContent: v.item });
    const onStage = this.activeStage().content.querySelector(".exhibit-head h1")?.textContent || "";
    const titled = Object.assign(document.createElement("span"), { className: "verify-title", textContent: v.title || onStage });
    named.append(id, " ", titled);
    this.verifyEl.replaceChildren(named, title, table);
  }

  point(pointer) {
    this.pointerEl.hidden = !pointer;
    if (pointer) {
      this.pointerEl.style.left = `${pointer.x * 100}%`;
      this.pointerEl.style.top = `${pointer.y * 100}%`;
    }
  }

  async json(url, fields = {}) {
    // data for a view (a window of a table or chat, a chart's figure), masked by the server
    // for a public screen; null when refused
    const params = new URLSearchParams(fields);
    if (this.lang === "en") params.set("lang", "en");
    const response = await fetch(params.size ? `${url}?${params}` : url);
    return response.ok ? response.json() : null;
  }

  window(url, start) {
    return this.json(url, { start: String(start) });
  }

  now() {
    // the server's clock, in seconds
    return Date.now() / 1000 + this.offset;
  }
}

function halfState(state, compare, i, active) {
  // a half's state: its own view (the active half's is the state's own), over the whole
  // stage's state; only the active half plays; blank, pointer and verification are drawn by
  // the whole stage, over both
  const half = compare.halves?.[i] || { item: compare.items?.[i] ?? null };
  const own = Object.fromEntries(HALF_FIELDS.map((name) => [name, active ? state[name] : half[name]]));
  return {
    ...state,
    ...own,
    annotations: own.annotations || [],
    media: active ? state.media : null,
    compare: null,
    case: false,
    blank: null,
    pointer: null,
    verification: null,
  };
}

const PICTURES = /^(?:https?:\/\/[^/]+)?\/(?:images|pages)\//;

export function versioned(url, rv) {
  // `rv=<version>` in a picture's query (the server ignores it; a cached copy is not reused)
  const at = url.indexOf("?");
  const path = at < 0 ? url : url.slice(0, at);
  if (!PICTURES.test(path)) return url;
  const fields = at < 0 ? [] : url.slice(at + 1).split("&").filter((f) => f && !f.startsWith("rv="));
  // first: a callout's address ends in "region=", to which the region is appended
  fields.unshift(`rv=${encodeURIComponent(rv)}`);
  return `${path}?${fields.join("&")}`;
}

function ownStep(section, step, number) {
  // of an exhibit of several files, a step's marks (lines, a clip) are its own file's: on
  // another file, chosen by the presenter, nothing of it is marked
  const pane = section?.querySelector(".file-pane");
  if (!step || !pane) return step;
  const files = JSON.parse(pane.dataset.stepFiles || "[]");
  return files[number - 1] === Number(pane.dataset.fileIndex) ? step : null;
}
