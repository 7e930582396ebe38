// The presenter view: drive the presentation, see what the screens see, and what they don't.
import { boot, connect } from "./live.js";
import { Stage } from "./stage.js";

const data = boot();
const ui = data.ui;
const role = new URLSearchParams(location.search).get("role") === "expert" ? "expert" : "presenter";
const $ = (id) => document.getElementById(id);
let deck = { exhibits: [], reasons: {} };
let state = null;
let typed = "";
const pairings = new Map(); // code -> {code, name, status, public}
let askedHeld = null;

const stage = new Stage($("stage"), {
  lang: data.lang,
  logo: document.querySelector("header.bar h1").textContent,
  words: data.verify,
  onApplied: (applied) => {
    $("stage").setAttribute("data-seq", String(applied.seq));
    renderChartControls(); // the figure, and so its time span, is drawn by now
  },
});
stage.onChart = chartClicked;

const live = connect({
  role,
  name: role,
  handlers: {
    state: (next) => {
      state = next;
      stage.apply(next);
      render();
    },
    clock: (offset) => (stage.offset = offset),
    deck: async (message) => {
      stage.deckChanged(message.version);
      await loadDeck();
      if (!$("case").hidden) loadMatrix();
      if (state) stage.apply(state);
    },
    connection: (online) => {
      $("connection").textContent = online ? ui.online : ui.offline;
      $("connection").classList.toggle("offline", !online);
    },
    refused: () => {
      $("connection").textContent = ui.refused;
    },
    screens: renderScreens,
    verify_progress: (p) => {
      const percent = p.total ? Math.floor((100 * p.done) / p.total) : 100;
      $("verify-progress").textContent = `${ui.verifying} ${p.file} ${percent}%`;
    },
    pairings: (list) => {
      pairings.clear();
      for (const pairing of list) pairings.set(pairing.code, pairing);
      renderPairings();
    },
    pairing: (change) => {
      // one pairing changed: only it is redrawn, however many codes a flood asks for
      if (change.status === "pending" || change.status === "approved") pairings.set(change.code, change);
      else pairings.delete(change.code);
      renderPairings();
    },
    held: (held) => {
      // the deck changed on disk and the exhibit on screen is now excluded or fails its hash:
      // the screens went blank; showing it again needs the presenter's word (Art. 44)
      if (!held.item) askedHeld = null;
      if (!held.item || askedHeld === `${held.item}/${held.error}`) return;
      askedHeld = `${held.item}/${held.error}`; // asked once; → or B ask again
      setTimeout(() => {
        const exhibit = deck.exhibits.find((e) => e.id === held.item);
        const question = held.error === "unverified" ? ui.confirm_unverified : ui.confirm_excluded;
        if (window.confirm(`${exhibit ? exhibit.id + " " + exhibit.title : held.item}\n${question}`)) {
          send({ action: "goto", item: held.item, confirm: true });
        }
      }, 0);
    },
    deck_problems: (lines) => {
      $("deck-problems").hidden = lines.length === 0;
      $("deck-problems").replaceChildren(...lines.map((line) => element("p", line)));
    },
  },
});

async function loadDeck() {
  const query = data.lang === "en" ? "?lang=en" : "";
  const response = await fetch(`/present/deck.json${query}`, { cache: "no-store" });
  deck = await response.json();
  $("record-name").textContent = deck.record;
  render();
}

function element(tag, text, className) {
  const el = document.createElement(tag);
  if (text !== undefined) el.textContent = text;
  if (className) el.className = className;
  return el;
}

function toast(text) {
  const el = $("toast");
  el.textContent = text;
  el.hidden = false;
  clearTimeout(toast.timer);
  toast.timer = setTimeout(() => (el.hidden = true), 4000);
}

async function send(command) {
  const answer = await live.command(command);
  if (answer.ok) return answer;
  if ((answer.error === "unverified" || answer.error === "excluded") && !command.confirm) {
    const exhibit = deck.exhibits.find((e) => e.id === answer.item);
    const question = answer.error === "unverified" ? ui.confirm_unverified : ui.confirm_excluded;
    // Art. 44: shown only when the presenter confirms, with the problem in view
    if (window.confirm(`${exhibit ? exhibit.id + " " + exhibit.title : ""}\n${question}`)) {
      return send({ ...command, action: "goto", item: answer.item, confirm: true });
    }
    return answer;
  }
  toast(deck.reasons[answer.error] || (answer.error === "offline" ? ui.offline : answer.error));
  return answer;
}

// --- rendering ------------------------------------------------------------------------

function current() {
  return deck.exhibits.find((e) => e.id === state?.item);
}

let askedFor = null;
function askToConfirm() {
  // after a failed live verification: show it anyway only if the presenter says so (Art. 44)
  const v = state.verification;
  if (!v || v.ok || v.confirmed || v.item !== state.item || askedFor === state.seq) return;
  askedFor = state.seq;
  $("verify-progress").textContent = "";
  setTimeout(() => {
    if (window.confirm(`${v.item}\n${ui.confirm_mismatch}`)) {
      send({ action: "goto", item: v.item, confirm: true });
    }
  }, 0);
}

function render() {
  if (!state) return;
  askToConfirm();
  if (state.verification?.ok) $("verify-progress").textContent = "";
  const exhibit = current();
  renderList();
  renderSteps(exhibit);
  renderNotes(exhibit);
  renderChallenges(exhibit);
  const index = deck.exhibits.indexOf(exhibit);
  const next = deck.exhibits.slice(index + 1).find((e) => !e.excluded);
  $("next-exhibit").textContent = next ? `${next.id} ${next.title}` : ui.end;
  $("pages").hidden = !(exhibit && exhibit.pages > 1);
  $("media-controls").hidden = !(exhibit && (exhibit.view === "video" || exhibit.view === "audio"));
  $("sound").value = state.sound || "";
  renderTableControls(exhibit);
  $("case-show").textContent = state.case ? ui.case_hide : ui.case_show;
  $("case-state").textContent = state.case ? ui.case_on_screens : "";
  $("case-open").classList.toggle("on", state.case);
  for (const button of document.querySelectorAll("#panels button")) {
    button.classList.toggle("on", button.dataset.panel === state.panel);
  }
  for (const button of document.querySelectorAll("#blanks button")) {
    button.classList.toggle("on", button.dataset.blank === state.blank);
  }
  const mine = state.controller === role;
  $("controller").textContent =
    state.controller === "expert" ? ui.controller_expert : ui.controller_presenter;
  document.body.classList.toggle("not-in-control", !mine);
  const handover = $("handover");
  if (role === "expert") {
    handover.textContent = ui.hand_back;
    handover.hidden = !mine;
  } else {
    handover.textContent = state.controller === "expert" ? ui.take_back : ui.hand_to_expert;
  }
}

function renderTableControls(exhibit) {
  const box = $("table-controls");
  box.hidden = !(exhibit && exhibit.view === "table");
  if (box.hidden) return;
  const select = $("table-sort");
  if (select.dataset.item !== exhibit.id) {
    select.replaceChildren(select.options[0], ...exhibit.columns.map((name, i) => new Option(name, String(i))));
    select.dataset.item = exhibit.id;
  }
  const view = state.table || {};
  select.value = view.sort === null || view.sort === undefined ? "" : String(view.sort);
  $("table-desc").checked = !!view.desc;
  if (document.activeElement !== $("table-filter")) $("table-filter").value = view.filter || "";
}

// --- charts: a time slider, the fold of a fund-flow chart, clicks on the miniature -------

const CST_MS = 8 * 3600 * 1000;
function chartBox() {
  return $("stage").querySelector("[data-role=chart]");
}
function cst(ms) {
  // an ISO 8601 time in China Standard Time, as the deck writes them
  return `${new Date(ms + CST_MS).toISOString().slice(0, 19)}+08:00`;
}
function renderChartControls() {
  const box = chartBox();
  const span = box?.meta?.span;
  $("chart-controls").hidden = !box || !state || state.case;
  if (!box || !state) return;
  const view = state.chart || {};
  const slider = $("chart-until");
  slider.disabled = !span;
  if (span) {
    const [first, last] = span.map((t) => Date.parse(t));
    const until = view.until ? Date.parse(view.until) : last;
    if (document.activeElement !== slider) {
      slider.value = String(Math.round((1000 * (until - first)) / Math.max(1, last - first)));
    }
    $("chart-until-text").textContent = cst(until).slice(0, 16).replace("T", " ");
  }
  $("chart-fold-box").hidden = box.dataset.kind !== "funds";
  if (document.activeElement !== $("chart-fold")) $("chart-fold").value = String(view.fold || 30);
}
function chartSend(changes) {
  const view = { until: null, focus: [], fold: null, flow: null, ...(state?.chart || {}), ...changes };
  send({ action: "chart", ...view });
}
function sliderTime() {
  const [first, last] = chartBox().meta.span.map((t) => Date.parse(t));
  return first + ((last - first) * Number($("chart-until").value)) / 1000;
}
function chartClicked(box, point) {
  // a flow: its transactions (again: closed); an account or a person: focus (again: none)
  const meta = box.meta || {};
  const view = state?.chart || {};
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
}

function arrange(changes) {
  // the presenter's sort, filter and page of a table: the screens follow
  const view = { sort: null, desc: false, filter: "", start: 0, ...(state?.table || {}), ...changes };
  send({ action: "table", ...view });
}

function renderList() {
  const list = $("exhibit-list");
  const items = deck.exhibits.map((exhibit, i) => {
    const li = element("li");
    li.dataset.item = exhibit.id;
    li.append(element("span", String(i + 1), "number"), element("span", exhibit.id, "id"));
    li.append(element("span", exhibit.title, "title"));
    if (exhibit.unverified) li.append(element("span", ui.unverified, "flag unverified"));
    if (exhibit.excluded) li.append(element("span", ui.excluded, "flag excluded"));
    li.classList.toggle("current", exhibit.id === state.item);
    return li;
  });
  list.replaceChildren(...items);
  list.querySelector(".current")?.scrollIntoView({ block: "nearest" });
}

function renderSteps(exhibit) {
  const labels = exhibit ? [ui.step_zero, ...exhibit.steps] : [];
  $("steps").replaceChildren(
    ...labels.map((label, n) => {
      const li = element("li", label || String(n));
      li.dataset.step = String(n);
      li.classList.toggle("current", n === state.step);
      return li;
    }),
  );
}

function renderNotes(exhibit) {
  // notes are the presenter's Markdown, sanitised on the server
  $("notes").innerHTML = exhibit?.notes || `<p class="none">${ui.no_notes}</p>`;
}

function renderChallenges(exhibit) {
  const box = $("challenges");
  const groups = Object.entries(exhibit?.challenges || {});
  if (!groups.length) {
    box.replaceChildren(element("p", ui.no_challenges, "none"));
    return;
  }
  box.replaceChildren(
    ...groups.map(([ground, items]) => {
      const section = element("section");
      section.append(element("h3", ui[`ground_${ground}`] || ground));
      for (const item of items) {
        const claim = element("p", item.claim, "claim");
        const response = element("div", undefined, "response");
        response.innerHTML = item.response; // sanitised on the server
        section.append(claim, response);
      }
      return section;
    }),
  );
}

function renderScreens(clients) {
  const names = [...new Set(clients.filter((c) => c.role === "screen").map((c) => c.name))];
  $("sound").replaceChildren($("sound").options[0], ...names.map((n) => new Option(n, n)));
  $("sound").value = state?.sound || "";
  const items = clients.map((c) => element("li", `${ui[`role_${c.role}`] || c.role} · ${c.name}`));
  $("screens").replaceChildren(...(items.length ? items : [element("li", ui.no_screens)]));
}

function renderPairings() {
  // pending codes: approve as a court screen or as the public gallery (masked), or refuse;
  // approved screens: revoke
  const button = (text, command) => {
    const b = element("button", text);
    b.type = "button";
    b.addEventListener("click", () => send({ action: "pair", ...command }));
    return b;
  };
  const items = [...pairings.values()].map((pairing) => {
    const approved = pairing.status === "approved";
    const label = approved ? (pairing.public ? ui.paired_public : ui.paired_screen) : pairing.code;
    const li = element("li", undefined, approved ? "approved" : "pending");
    li.append(element("span", label, approved ? "status" : "code"), element("span", pairing.name, "name"));
    const code = pairing.code;
    if (approved) li.append(button(ui.revoke, { code, revoke: true }));
    else {
      li.append(
        button(ui.approve, { code, approve: true }),
        button(ui.approve_public, { code, approve: true, public: true }),
        button(ui.refuse, { code, approve: false }),
      );
    }
    return li;
  });
  const waiting = [...pairings.values()].filter((p) => p.status === "pending").length;
  if (waiting > 1) {
    const all = element("li", undefined, "all");
    all.append(button(ui.refuse_all, { refuse_all: true }));
    items.push(all);
  }
  $("pairings").replaceChildren(...items);
}

// --- input ----------------------------------------------------------------------------

function showable() {
  return deck.exhibits.filter((e) => !e.excluded);
}

const KEYS = {
  ArrowRight: () => send({ action: "next" }),
  " ": () => send({ action: "next" }),
  PageDown: () => send({ action: "next" }),
  ArrowLeft: () => send({ action: "prev" }),
  PageUp: () => send({ action: "prev" }),
  Home: () => showable()[0] && send({ action: "goto", item: showable()[0].id }),
  End: () => showable().at(-1) && send({ action: "goto", item: showable().at(-1).id }),
  b: () => send({ action: "blank", mode: state?.blank === "black" ? null : "black" }),
  w: () => send({ action: "blank", mode: state?.blank === "white" ? null : "white" }),
  c: () => ($("challenges").hidden = !$("challenges").hidden),
  m: () => toggleMatrix(),
  v: () => send({ action: "verify" }),
  p: () => media("toggle"),
  j: () => media("back"),
  l: () => media("forward"),
  "[": () => turn(-1),
  "]": () => turn(1),
};

function media(what) {
  const exhibit = current();
  if (!state || !exhibit || (exhibit.view !== "video" && exhibit.view !== "audio")) return;
  const m = state.media;
  const now = m.position + (m.playing ? stage.now() - m.at : 0);
  if (what === "toggle") send({ action: "media", op: m.playing ? "pause" : "play", position: now });
  else send({ action: "media", op: "seek", position: Math.max(0, now + (what === "back" ? -5 : 5)) });
}

function turn(by) {
  const exhibit = current();
  if (!exhibit || !exhibit.pages) return;
  const page = Math.min(Math.max(1, state.page + by), exhibit.pages);
  if (page !== state.page) send({ action: "page", page });
}

document.addEventListener("keydown", (event) => {
  if (event.target.closest("input, textarea, select") || event.ctrlKey || event.metaKey || event.altKey) return;
  if (/^[0-9]$/.test(event.key)) {
    typed += event.key; // trial technicians type the exhibit's number, then Enter
    $("jump").textContent = `→ ${typed}`;
    return;
  }
  if (event.key === "Enter" && typed) {
    const exhibit = deck.exhibits[Number(typed) - 1];
    typed = "";
    $("jump").textContent = "";
    if (exhibit) send({ action: "goto", item: exhibit.id });
    event.preventDefault();
    return;
  }
  if (event.key === "Escape") {
    typed = "";
    $("jump").textContent = "";
    return;
  }
  const action = KEYS[event.key.length === 1 ? event.key.toLowerCase() : event.key];
  if (action) {
    event.preventDefault();
    action();
  }
});

$("exhibit-list").addEventListener("click", (event) => {
  const li = event.target.closest("li[data-item]");
  if (li) send({ action: "goto", item: li.dataset.item });
});
$("steps").addEventListener("click", (event) => {
  const li = event.target.closest("li[data-step]");
  if (li) send({ action: "step", step: Number(li.dataset.step) });
});
$("panels").addEventListener("click", (event) => {
  const button = event.target.closest("button[data-panel]");
  if (button) send({ action: "panel", panel: button.dataset.panel });
});
$("blanks").addEventListener("click", (event) => {
  const button = event.target.closest("button[data-blank]");
  if (button) KEYS[button.dataset.blank === "black" ? "b" : "w"]();
});
$("verify").addEventListener("click", () => KEYS.v());
$("media-controls").addEventListener("click", (event) => {
  const button = event.target.closest("button[data-media]");
  if (button) media(button.dataset.media);
});
$("sound").addEventListener("change", () => send({ action: "sound", screen: $("sound").value || null }));
$("pages").addEventListener("click", (event) => {
  const button = event.target.closest("button[data-turn]");
  if (button) turn(Number(button.dataset.turn));
});
$("table-sort").addEventListener("change", () => {
  const value = $("table-sort").value;
  arrange({ sort: value === "" ? null : Number(value), start: 0 });
});
$("table-desc").addEventListener("change", () => arrange({ desc: $("table-desc").checked, start: 0 }));
$("table-filter").addEventListener("change", () => arrange({ filter: $("table-filter").value, start: 0 }));
$("table-clear").addEventListener("click", () => send({ action: "table" }));
$("table-controls").addEventListener("click", (event) => {
  const button = event.target.closest("button[data-rows]");
  const frame = $("stage").querySelector(".table-frame");
  if (!button || !frame) return;
  const size = Number(frame.dataset.pageSize);
  const shown = Number(frame.dataset.shown || frame.dataset.total);
  const start = (state.table?.start || 0) + Number(button.dataset.rows) * size;
  if (start >= 0 && start < shown) arrange({ start });
});
$("chart-until").addEventListener("input", () => {
  $("chart-until-text").textContent = cst(sliderTime()).slice(0, 16).replace("T", " ");
});
$("chart-until").addEventListener("change", () => chartSend({ until: cst(sliderTime()), flow: null }));
$("chart-fold").addEventListener("change", () => {
  const fold = Math.round(Number($("chart-fold").value));
  if (fold >= 2 && fold <= 500) chartSend({ fold, flow: null });
});
$("chart-clear").addEventListener("click", () => send({ action: "chart" }));
$("stage").addEventListener("click", (event) => {
  // a click on a column's header in the miniature: ascending, descending, back to file order
  const th = event.target.closest(".table-frame th[data-col]");
  if (!th) return;
  const col = Number(th.dataset.col);
  const view = state?.table || {};
  if (view.sort !== col) arrange({ sort: col, desc: false, start: 0 });
  else if (!view.desc) arrange({ desc: true, start: 0 });
  else arrange({ sort: null, desc: false, start: 0 });
});
$("handover").addEventListener("click", () => {
  if (role === "expert") send({ action: "handover", to: "presenter" });
  else send({ action: "handover", to: state?.controller === "expert" ? "presenter" : "expert" });
});
$("open-screen").addEventListener("click", () => {
  // opened from the click itself, so the browser makes a window (for a second monitor)
  window.open(data.screenUrl, "shizheng-screen", "popup,width=1280,height=720");
});

// the case's fact–evidence matrix, with origins and 孤证 (the screens get it without them)
async function loadMatrix() {
  const query = data.lang === "en" ? "?lang=en" : "";
  const response = await fetch(`/present/case${query}`, { cache: "no-store" });
  $("case-matrix").innerHTML = response.ok ? await response.text() : ""; // rendered and escaped by the server
}
function toggleMatrix() {
  $("case").hidden = !$("case").hidden;
  if (!$("case").hidden) loadMatrix();
}
$("case-open").addEventListener("click", toggleMatrix);
$("case-close").addEventListener("click", toggleMatrix);
$("case-show").addEventListener("click", () => send({ action: "case", show: !state?.case }));
$("case-matrix").addEventListener("click", async (event) => {
  const cell = event.target.closest("button[data-item]");
  if (!cell) return;
  const answer = await send({ action: "goto", item: cell.dataset.item, panel: cell.dataset.panel });
  if (answer.ok) $("case").hidden = true;
});

// a callout: drag a rectangle on the miniature's exhibit; a double click clears it
const drag = { start: null, box: null };
function exhibitBox() {
  return $("stage").querySelector("[data-role=zoomable]");
}
function fraction(event, rect) {
  const clamp = (v) => Math.min(1, Math.max(0, v));
  return [clamp((event.clientX - rect.left) / rect.width), clamp((event.clientY - rect.top) / rect.height)];
}
$("stage").addEventListener("pointerdown", (event) => {
  const target = exhibitBox();
  if (!target || state?.region) return;
  const rect = target.getBoundingClientRect();
  drag.start = { rect, at: fraction(event, rect) };
  drag.box = element("div", undefined, "drag-box");
  $("stage").append(drag.box);
  $("stage").setPointerCapture(event.pointerId);
});
$("stage").addEventListener("pointermove", (event) => {
  if (!drag.start) return;
  const stageRect = $("stage").getBoundingClientRect();
  const { rect, at } = drag.start;
  const [x2, y2] = fraction(event, rect);
  const left = rect.left + Math.min(at[0], x2) * rect.width - stageRect.left;
  const top = rect.top + Math.min(at[1], y2) * rect.height - stageRect.top;
  Object.assign(drag.box.style, {
    left: `${left}px`, top: `${top}px`,
    width: `${Math.abs(x2 - at[0]) * rect.width}px`, height: `${Math.abs(y2 - at[1]) * rect.height}px`,
  });
});
$("stage").addEventListener("pointerup", (event) => {
  if (!drag.start) return;
  const { rect, at } = drag.start;
  const [x2, y2] = fraction(event, rect);
  drag.box.remove();
  drag.start = null;
  const region = [Math.min(at[0], x2), Math.min(at[1], y2), Math.abs(x2 - at[0]), Math.abs(y2 - at[1])];
  if (region[2] > 0.02 && region[3] > 0.02) send({ action: "region", region });
});
$("stage").addEventListener("dblclick", () => state?.region && send({ action: "region", region: null }));

// the timer: time since the page opened; a click starts it again
let started = Date.now();
$("timer").addEventListener("click", () => (started = Date.now()));
setInterval(() => {
  const s = Math.floor((Date.now() - started) / 1000);
  const two = (n) => String(n).padStart(2, "0");
  $("timer").textContent = `${two(Math.floor(s / 3600))}:${two(Math.floor(s / 60) % 60)}:${two(s % 60)}`;
}, 1000);

loadDeck();
