// The stage: what a court screen shows for a state. The presenter's miniature is the same
// stage, so it shows exactly what the screens show. Content comes from the server already
// rendered for court (escaped and sanitised); steps, zoom, pointer, blank and media are
// applied here. One function per concern, one hook per view.

import { paginate } from "./pages.js";
import { VIEW_STEPS } from "./views/index.js";

const UNAVAILABLE = '<p class="unavailable">';
const KEPT = 8; // panels kept drawn, the latest

export class Stage {
  constructor(element, { lang, logo, words, name = null, onApplied = () => {} }) {
    this.el = element;
    this.name = name; // a screen's name; null for the presenter's miniature
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
  }

  async apply(state) {
    this.last = state;
    const ticket = ++this.pending;
    this.mark("blank", state.blank || "");
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
        this.content.append(drawn); // as it was left: parsed, laid out, cut into pages
      } else {
        this.content.innerHTML = html; // rendered for court by the server
      }
      this.shownKey = key;
    }
    const section = this.content.querySelector(".stage-content");
    const steps = section ? JSON.parse(section.dataset.steps || "[]") : [];
    const step = ownStep(section, state.step > 0 ? steps[state.step - 1] : null, state.step);
    await VIEW_STEPS[section?.dataset.view]?.(section, step, state, this);
    if (ticket !== this.pending) return;
    const paged = await paginate(section, state.flow_page || 0, this.shape);
    if (ticket !== this.pending) return;
    this.mark("page", String(paged.page));
    this.mark("pages", String(paged.pages));
    this.zoom(section, state.region);
    this.point(state.pointer);
    this.showVerification(state);
    this.mark("item", state.item || "");
    this.mark("case", state.case ? "1" : "");
    this.mark("step", String(state.step));
    this.onApplied(state);
    if (state.item) this.prefetch(state.item, file, section);
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
    const onStage = this.content.querySelector(".exhibit-head h1")?.textContent || "";
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

function ownStep(section, step, number) {
  // of an exhibit of several files, a step's marks (lines, a clip) are its own file's: on
  // another file, chosen by the presenter, nothing of it is marked
  const pane = section?.querySelector(".file-pane");
  if (!step || !pane) return step;
  const files = JSON.parse(pane.dataset.stepFiles || "[]");
  return files[number - 1] === Number(pane.dataset.fileIndex) ? step : null;
}
