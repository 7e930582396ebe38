// Steps made by pointing: a region dragged on the picture or the PDF page, messages, rows or
// lines clicked, a clip set at the recording's playhead. What is pointed at is written to
// the step's own keys, as a person would type them.
import { call, page, word } from "./api.js";
import { commit, deckId } from "./store.js";

const dialog = document.createElement("dialog");
dialog.className = "pointing";
document.body.append(dialog);

function element(tag, props = {}, ...children) {
  const node = Object.assign(document.createElement(tag), props);
  node.append(...children);
  return node;
}

// "1-3,7" from a set of 1-based numbers.
export function ranges(numbers) {
  const sorted = [...numbers].sort((a, b) => a - b);
  const parts = [];
  for (let i = 0; i < sorted.length; i++) {
    const start = sorted[i];
    while (i + 1 < sorted.length && sorted[i + 1] === sorted[i] + 1) i++;
    parts.push(start === sorted[i] ? `${start}` : `${start}-${sorted[i]}`);
  }
  return parts.join(",");
}

export function clock(seconds) {
  const whole = Math.floor(seconds);
  const tenths = Math.round((seconds - whole) * 10) % 10;
  const hh = String(Math.floor(whole / 3600)).padStart(2, "0");
  const mm = String(Math.floor((whole % 3600) / 60)).padStart(2, "0");
  const ss = String(whole % 60).padStart(2, "0");
  return `${hh}:${mm}:${ss}${tenths ? `.${tenths}` : ""}`;
}

// A rectangle dragged on a picture, in fractions of it.
function regionOn(img, initial, done) {
  const frame = element("div", { className: "frame" });
  const box = element("div", { className: "box" });
  frame.append(img, box);
  const show = (r) => {
    if (!r) {
      box.hidden = true;
      return;
    }
    box.hidden = false;
    Object.assign(box.style, { left: `${r[0] * 100}%`, top: `${r[1] * 100}%`, width: `${r[2] * 100}%`, height: `${r[3] * 100}%` });
  };
  show(initial);
  let start = null;
  const at = (event) => {
    const rect = img.getBoundingClientRect();
    return [Math.min(Math.max((event.clientX - rect.left) / rect.width, 0), 1), Math.min(Math.max((event.clientY - rect.top) / rect.height, 0), 1)];
  };
  const drawn = (event) => {
    const [x, y] = at(event);
    const r = [Math.min(start[0], x), Math.min(start[1], y), Math.abs(x - start[0]), Math.abs(y - start[1])].map((v) => Math.round(v * 1000) / 1000);
    show(r);
    return r;
  };
  img.draggable = false;
  frame.addEventListener("pointerdown", (event) => {
    event.preventDefault();
    start = at(event);
    frame.setPointerCapture(event.pointerId);
  });
  frame.addEventListener("pointermove", (event) => start && drawn(event));
  frame.addEventListener("pointerup", (event) => {
    if (!start) return;
    const r = drawn(event);
    start = null;
    if (r[2] > 0.005 && r[3] > 0.005) done(r);
  });
  return frame;
}

// Numbered lines to click: a click picks one, Shift a run from the last, Ctrl adds or takes one.
function picker(lines, initial, single) {
  const chosen = new Set(initial);
  let last = null;
  const list = element("ol", { className: "pick" });
  const output = element("output", { className: "chosen" });
  const refresh = () => {
    for (const li of list.children) li.querySelector("button").setAttribute("aria-pressed", String(chosen.has(Number(li.dataset.n))));
    output.value = ranges(chosen);
  };
  for (const [n, text] of lines) {
    const button = element("button", { type: "button", textContent: `${n}  ${text}` });
    button.addEventListener("click", (event) => {
      if (single) {
        chosen.clear();
        for (let i = 1; i <= n; i++) chosen.add(i);
      } else if (event.shiftKey && last !== null) {
        for (let i = Math.min(last, n); i <= Math.max(last, n); i++) chosen.add(i);
      } else if (event.ctrlKey || event.metaKey) {
        if (chosen.has(n)) chosen.delete(n);
        else chosen.add(n);
      } else {
        chosen.clear();
        chosen.add(n);
      }
      last = n;
      refresh();
    });
    list.append(element("li", { value: n }, button));
    list.lastChild.dataset.n = n;
  }
  refresh();
  return { node: element("div", {}, list, element("p", {}, `${word("chosen")}: `, output)), value: () => ranges(chosen) };
}

function expand(text) {
  const out = [];
  for (const part of String(text ?? "").split(",")) {
    const [a, b] = part.split("-").map((s) => Number(s.trim()));
    if (!Number.isInteger(a)) continue;
    for (let i = a; i <= (Number.isInteger(b) ? b : a) && out.length < 5000; i++) out.push(i);
  }
  return out;
}

export async function point(item, index, step) {
  const answer = await call("GET", `/${encodeURIComponent(deckId())}/point?${new URLSearchParams({ file: item.name })}`);
  dialog.replaceChildren();
  const heading = element("h2", { textContent: `${word("point")} · ${item.data.id} · ${word("steps")} ${index + 1}` });
  dialog.append(heading);
  if (!answer.ok) {
    dialog.append(element("p", { className: "error", textContent: answer.data.message }), closeButton());
    dialog.showModal();
    return;
  }
  const material = answer.data;
  const edits = {};
  const body = element("div", { className: `point-${material.kind}` });
  const set = (key, value) => {
    edits[key] = value;
  };
  const files = material.files ?? [];
  // the step's file (or the first), a choice among them when there are several
  const chooseFile = (make) => {
    const named = files.findIndex((f) => f.name === step.file || f.name.endsWith(`/${step.file}`));
    let at = named >= 0 ? named : 0;
    const holder = element("div");
    const show = () => holder.replaceChildren(make(files[at]));
    if (files.length > 1) {
      const select = element("select", { "aria-label": word("file") });
      files.forEach((f, i) => select.append(new Option(f.name, i)));
      select.value = at;
      select.addEventListener("change", () => {
        at = Number(select.value);
        set("file", files[at].name);
        show();
      });
      body.append(select);
    }
    body.append(holder);
    if (files[at]) show();
  };
  if (material.kind === "image") {
    chooseFile((f) => regionOn(element("img", { src: f.url, alt: f.name }), step.region, (r) => set("region", r)));
  } else if (material.kind === "document") {
    chooseFile((f) => {
      const box = element("div");
      const number = element("input", { type: "number", min: 1, max: f.pages || 1, value: step.page ?? 1 });
      const label = element("label", {}, `${word("page")} `, number, ` / ${f.pages}`);
      const draw = () => {
        const img = element("img", { src: `${f.url}&page=${number.value}`, alt: `${f.name} ${number.value}` });
        box.replaceChildren(label, regionOn(img, step.region, (r) => {
          set("page", Number(number.value));
          set("region", r);
        }));
      };
      number.addEventListener("change", () => {
        set("page", Number(number.value));
        draw();
      });
      draw();
      return box;
    });
  } else if (material.kind === "chat" || material.kind === "table") {
    const chat = material.kind === "chat";
    const columns = material.header;
    const text = (row) => {
      if (!chat) return row.slice(1).join(" | ");
      const cell = (role) => row[1 + columns.indexOf(material.columns[role])] ?? "";
      return `${cell("time")} ${cell("sender")}：${cell("text")}`;
    };
    const initial = expand(chat ? step.messages : step.rows);
    const pick = picker(material.rows.map((r) => [r[0], text(r)]), initial, chat);
    body.append(element("p", { className: "hint", textContent: word(chat ? "point_messages" : "point_rows") }), pick.node);
    edits.__read = () => ({ [chat ? "messages" : "rows"]: pick.value() || null });
  } else if (material.kind === "code") {
    let pick = null;
    chooseFile((f) => {
      pick = picker(f.lines.map((l, i) => [i + 1, l]), expand(step.lines), false);
      return pick.node;
    });
    body.prepend(element("p", { className: "hint", textContent: word("point_lines") }));
    edits.__read = () => ({ lines: pick?.value() || null });
  } else if (material.kind === "video" || material.kind === "audio") {
    chooseFile((f) => {
      const media = element(material.kind, { src: f.url, controls: true, preload: "metadata" });
      const clip = Array.isArray(step.clip) ? [...step.clip] : ["", ""];
      const shown = element("output", { value: clip.join(" – ") });
      const mark = (i) =>
        element("button", {
          type: "button",
          textContent: word(i ? "clip_end" : "clip_start"),
          onclick: () => {
            clip[i] = clock(media.currentTime);
            shown.value = clip.join(" – ");
            if (clip[0] && clip[1]) set("clip", [...clip]);
          },
        });
      return element("div", {}, media, element("p", {}, mark(0), " ", mark(1), " ", shown));
    });
  } else if (material.kind === "chart") {
    await chartPointing(item, step, body, set);
  } else {
    body.append(element("p", { textContent: word("point_none") }));
  }
  const ok = element("button", { type: "button", className: "primary", textContent: word("apply") });
  ok.addEventListener("click", async () => {
    const values = { ...edits, ...(edits.__read?.() ?? {}) };
    delete values.__read;
    const list = Object.entries(values).filter(([, v]) => v !== undefined).map(([key, value]) => ({ op: "set", path: ["step", index, key], value }));
    dialog.close();
    if (list.length) await commit(item.name, list, `${word("steps")} ${index + 1}`, true);
  });
  dialog.append(body, element("p", { className: "choices" }, ok, " ", closeButton()));
  dialog.showModal();
}

const COURT = [1440, 780];
// the narrowest court picture a chart is laid out for (static/js/bundle.js LEAST)

let plotly = null;
function loadPlotly() {
  plotly ??= new Promise((resolve, reject) => {
    const script = element("script", { src: page.plotly });
    script.onload = () => resolve(window.Plotly);
    script.onerror = reject;
    document.head.append(script);
  });
  return plotly;
}

// A chart's `until` set with a slider over its times, its `focus` by clicking its names (on
// the chart, or in the list beside it); the chart drawn again as the step would show it.
async function chartPointing(item, step, body, set) {
  const Plotly = await loadPlotly();
  const plot = element("div", { className: "chart-plot" });
  const frame = element("div", { className: "chart-frame" }, plot);
  const slider = element("input", { type: "range", min: 0, max: 1000, step: 1, value: 1000 });
  const shown = element("output", { className: "until" });
  const clear = element("button", { type: "button", textContent: word("until_none") });
  const names = element("div", { className: "names", role: "group" });
  const focus = new Set(step.focus ?? []);
  let span = null;
  let until = step.until ?? null; // the deck's wall clock, as the field takes it
  let untilIso = null;
  slider.setAttribute("aria-label", word("until"));
  const draw = async () => {
    const query = new URLSearchParams({ file: item.name });
    if (untilIso) query.set("until", untilIso);
    else if (until) query.set("until", until);
    for (const name of focus) query.append("focus", name);
    const answer = await call("GET", `/${encodeURIComponent(deckId())}/chart?${query}`);
    if (!answer.ok) {
      plot.replaceChildren(element("p", { className: "error", textContent: answer.data.message }));
      return;
    }
    const { figure } = answer.data;
    span = answer.data.span;
    if (answer.data.until) until = answer.data.until;
    shown.value = until ? until.replace("T", " ") : word("until_none");
    slider.disabled = !span;
    if (span && answer.data.until_at) {
      const [first, last] = span.map((t) => Date.parse(t));
      const at = Date.parse(answer.data.until_at);
      slider.value = last > first ? Math.round(((at - first) / (last - first)) * 1000) : 1000;
    }
    // laid out at a court picture's size, as the screens lay it out, and scaled to fit
    const scale = Math.min(1, (frame.clientWidth || window.innerWidth * 0.85) / COURT[0]);
    plot.style.transform = `scale(${scale})`;
    frame.style.height = `${COURT[1] * scale}px`;
    await Plotly.react(plot, figure.data, { ...figure.layout, width: COURT[0], height: COURT[1] }, figure.config);
    names.replaceChildren(
      ...answer.data.names.map((name) => {
        const b = element("button", { type: "button", textContent: name });
        b.setAttribute("aria-pressed", String(focus.has(name)));
        b.addEventListener("click", () => toggle(name));
        return b;
      }),
    );
    plot.removeAllListeners?.("plotly_click");
    plot.on("plotly_click", (event) => {
      const point = event.points?.[0];
      if (!point) return;
      const list = answer.data.names;
      const named = [point.customdata, point.label, point.text, list[point.pointNumber]].find((n) => typeof n === "string" && list.includes(n));
      if (named) toggle(named);
    });
  };
  const toggle = (name) => {
    if (focus.has(name)) focus.delete(name);
    else focus.add(name);
    set("focus", [...focus]);
    draw();
  };
  slider.addEventListener("change", () => {
    if (!span) return;
    const [first, last] = span.map((t) => Date.parse(t));
    untilIso = new Date(first + ((last - first) * Number(slider.value)) / 1000).toISOString();
    until = null;
    draw().then(() => set("until", until));
  });
  clear.addEventListener("click", () => {
    until = untilIso = null;
    slider.value = 1000;
    set("until", null);
    draw();
  });
  body.append(frame, element("p", { className: "until-row" }, `${word("until")}: `, slider, " ", shown, " ", clear), element("p", { className: "hint", textContent: word("point_focus") }), names);
  await draw();
}

function closeButton() {
  return element("button", { type: "button", textContent: word("cancel"), onclick: () => dialog.close() });
}

export const POINTABLE = new Set(["image", "document", "chat", "table", "code", "video", "audio", "chart"]);
export { page };
