// The deck editor's page: the exhibits beside, the open file's form in the middle.
import { page, word } from "./api.js";
import { counts, show as showFindings } from "./checks.js";
import { marks, table } from "./form.js";
import { matrix } from "./matrix.js";
import { POINTABLE, point } from "./pointing.js";
import { commit, file, load, onConflict, open, refresh, state, subscribe, undo } from "./store.js";
import "./uploads.js";

const main = document.getElementById("editor-main");
const list = document.getElementById("exhibit-list");
const status = document.getElementById("status");
const undoButton = document.getElementById("undo");
const schema = page.schema;

const VIEW_KEYS = {
  chart: ["chart", "columns", "crs", "map", "encoding", "header_row", "sheet"],
  chat: ["columns", "encoding", "header_row", "sheet"],
  table: ["columns", "encoding", "header_row", "sheet"],
  code: ["language", "encoding"],
  audio: ["transcript"],
  video: ["transcript"],
};
const BY_VIEW = new Set(Object.values(VIEW_KEYS).flat());

// The exhibits in the order the court sees them: deck.toml's `order`, else by file name.
export function ordered() {
  const items = state.deck?.items ?? [];
  const order = state.deck?.deck.data.order;
  if (!Array.isArray(order)) return items;
  const rank = new Map(order.map((id, i) => [id, i]));
  return [...items].sort((a, b) => (rank.get(a.data.id) ?? 1e9) - (rank.get(b.data.id) ?? 1e9));
}

// The control that has the focus in the list, to give it back once the list is drawn again.
function focusedInList() {
  const active = document.activeElement;
  const li = active?.closest?.("#exhibit-list li");
  if (!li) return null;
  const controls = [...li.querySelectorAll("button")];
  return { name: li.dataset.name, index: controls.indexOf(active) };
}

function drawList() {
  const focused = focusedInList();
  drawItems();
  if (!focused) return;
  const li = [...list.children].find((l) => l.dataset.name === focused.name);
  const controls = li ? [...li.querySelectorAll("button")] : [];
  (controls[focused.index]?.disabled ? controls[0] : controls[focused.index] ?? controls[0])?.focus();
}

function drawItems() {
  list.replaceChildren();
  const items = ordered();
  items.forEach((item, index) => {
    const li = document.createElement("li");
    li.draggable = true;
    li.dataset.name = item.name;
    const button = document.createElement("button");
    button.type = "button";
    button.className = "open-item";
    button.dataset.open = item.name;
    if (state.open === item.name) button.setAttribute("aria-current", "true");
    const { errors, warnings } = counts(item.name);
    const id = document.createElement("b");
    id.textContent = item.data.id ?? "?";
    const title = document.createElement("span");
    title.textContent = item.data.title ?? item.name;
    button.append(id, " ", title);
    if (errors || warnings) {
      const mark = document.createElement("span");
      mark.className = errors ? "count error" : "count warning";
      mark.textContent = errors ? `${errors}` : `${warnings}`;
      button.append(mark);
    }
    const up = moveButton("move_up", "↑", index, index - 1, items);
    const down = moveButton("move_down", "↓", index, index + 1, items);
    li.append(button, up, down);
    li.addEventListener("dragstart", (event) => {
      event.dataTransfer.setData("text/x-exhibit", String(index));
      event.dataTransfer.effectAllowed = "move";
    });
    li.addEventListener("dragover", (event) => {
      if (event.dataTransfer.types.includes("text/x-exhibit")) event.preventDefault();
    });
    li.addEventListener("drop", (event) => {
      const from = Number(event.dataTransfer.getData("text/x-exhibit"));
      if (Number.isNaN(from) || !event.dataTransfer.types.includes("text/x-exhibit")) return;
      event.preventDefault();
      reorder(items, from, index);
    });
    list.append(li);
  });
}

function moveButton(key, text, from, to, items) {
  const b = document.createElement("button");
  b.type = "button";
  b.className = "move";
  b.textContent = text;
  b.title = word(key);
  b.setAttribute("aria-label", `${word(key)} ${items[from].data.id ?? ""}`);
  b.disabled = to < 0 || to >= items.length;
  b.addEventListener("click", () => reorder(items, from, to));
  return b;
}

async function reorder(items, from, to) {
  if (from === to) return;
  const ids = items.map((i) => i.data.id);
  const [id] = ids.splice(from, 1);
  ids.splice(to, 0, id);
  const name = items[from].name;
  await commit("deck.toml", [{ op: "order", value: ids }], word("drag_hint"));
  const moved = [...list.children].find((l) => l.dataset.name === name);
  if (!list.contains(document.activeElement)) moved?.querySelector(".open-item")?.focus();
}

function context(name, data) {
  const facts = (state.deck.deck.data.fact ?? []).map((f) => f.id).filter(Boolean);
  const others = (state.deck.deck.data.evidence ?? []).map((e) => e.id).filter(Boolean);
  const items = state.deck.items.map((i) => i.data.id).filter(Boolean);
  return {
    zone: state.deck.zone,
    commit: (edits, label) => commit(name, edits, label),
    listFor(path, field) {
      const last = path[path.length - 1];
      const parent = path.find((p) => typeof p === "string");
      if (last === "fact") return "list-facts";
      if (last === "with") return "list-ids";
      if (last === "file" || (last === "files" && field.widget === "text")) return parent === "source" && path[1] === "file" ? "list-files" : "list-item-files";
      return undefined;
    },
    hidden(field, path, table_) {
      if (path.length !== 0 || name === "deck.toml") return false;
      if (!BY_VIEW.has(field.key)) return false;
      if (table_?.[field.key] !== undefined) return false;
      return !(VIEW_KEYS[data.view] ?? []).includes(field.key);
    },
    blank(path) {
      if (path.length === 1 && path[0] === "fact") return { id: `F${facts.length + 1}` };
      if (path.length === 1 && path[0] === "evidence") return { id: `C${others.length + 1}` };
      return {};
    },
    lists: { facts, ids: [...others, ...items] },
    point: name !== "deck.toml" && POINTABLE.has(data.view) ? (index, step) => point(file(name), index, step) : null,
  };
}

function datalists(ctx, item) {
  const box = document.createElement("div");
  box.hidden = true;
  const add = (id, values) => {
    const list_ = document.createElement("datalist");
    list_.id = id;
    for (const v of values) list_.append(new Option(v, v));
    box.append(list_);
  };
  add("list-facts", ctx.lists.facts);
  add("list-ids", ctx.lists.ids);
  add("list-files", state.deck.files);
  add("list-item-files", item?.data.files ?? state.deck.files);
  return box;
}

function drawMain() {
  const focused = document.activeElement?.closest?.("[data-key]")?.dataset.key;
  main.replaceChildren();
  if (!state.deck) return;
  if (state.open === "matrix") {
    main.append(matrix(ordered()));
    return;
  }
  const target = file(state.open);
  if (!target) return;
  const top = document.createElement("div");
  top.className = "findings-top";
  const heading = document.createElement("h2");
  heading.textContent = state.open === "deck.toml" ? word("case") : `${target.data.id ?? ""} ${target.data.title ?? ""}`;
  const where = document.createElement("code");
  where.textContent = `${state.deck.id}/${target.name}`;
  main.append(heading, where, top);
  if (target.broken) {
    const broken = document.createElement("p");
    broken.className = "finding error";
    broken.textContent = word("file_broken");
    main.append(broken);
    showFindings(main);
    return;
  }
  const ctx = context(target.name, target.data);
  main.append(datalists(ctx, target));
  if (state.open === "deck.toml") {
    main.append(table(schema.deck, target.data, [], ctx));
  } else {
    const fields = schema.item.map((f) =>
      f.key === "step" ? { ...f, fields: f.fields.filter((s) => s.key === "label" || (schema.step_keys[target.data.view] ?? []).includes(s.key) || target.data.step?.some((x) => x[s.key] !== undefined)) } : f,
    );
    main.append(table(fields, target.data, [], ctx));
    main.append(previewBlock(target));
    main.append(textBlock("body", target.body, target.name, false));
    main.append(textBlock("notes", target.notes, target.name, true));
    const remove = document.createElement("button");
    remove.type = "button";
    remove.className = "danger";
    remove.textContent = `${word("remove")} ${target.data.id ?? ""}`;
    remove.addEventListener("click", async () => {
      if (!confirm(word("confirm_remove", { id: target.data.id ?? target.name }))) return;
      const { removeItem } = await import("./uploads.js");
      await removeItem(target);
    });
    main.append(remove);
  }
  showFindings(main);
  if (focused) main.querySelector(`[data-key="${CSS.escape(focused)}"] :is(input,select,textarea)`)?.focus();
}

// The exhibit as a court screen shows it: the real screen page of a preview server.
function previewBlock(item) {
  const set = document.createElement("fieldset");
  set.className = "preview";
  set.dataset.key = "preview";
  const legend = document.createElement("legend");
  legend.textContent = word("preview");
  const hint = document.createElement("small");
  hint.className = "help";
  hint.textContent = word("preview_hint");
  const select = (label, options) => {
    const element = document.createElement("select");
    element.setAttribute("aria-label", label);
    for (const [value, text] of options) element.append(new Option(text, value));
    return element;
  };
  const panel = select(word("preview"), ["content", "source", "facts", "corroboration"].map((p) => [p, page.fields.choices[`panel.${p}`] ?? p]));
  const aspect = select("16:9 / 4:3", [["16:9", "16:9"], ["4:3", "4:3"]]);
  const steps = item.data.step ?? [];
  const step = select(word("steps"), [["0", word("step_none")], ...steps.map((s, i) => [String(i + 1), `${i + 1} ${s.label ?? ""}`])]);
  const show = document.createElement("button");
  show.type = "button";
  show.textContent = word("preview");
  const frame = document.createElement("iframe");
  frame.title = word("preview");
  frame.hidden = true;
  const message = document.createElement("p");
  message.className = "preview-refused"; // not a finding: the check's redraw keeps it
  message.setAttribute("role", "alert");
  message.hidden = true;
  show.addEventListener("click", async () => {
    const { call } = await import("./api.js");
    const answer = await call("POST", `/${encodeURIComponent(page.deck)}/preview`, {
      file: item.name, panel: panel.value, aspect: aspect.value, step: Number(step.value),
    });
    message.hidden = answer.ok;
    if (!answer.ok) {
      message.textContent = answer.data.message;
      frame.hidden = true;
      return;
    }
    frame.className = aspect.value === "4:3" ? "screen aspect-4x3" : "screen aspect-16x9";
    if (frame.dataset.url !== answer.data.url) {
      frame.dataset.url = answer.data.url;
      frame.src = answer.data.url;
    }
    frame.hidden = false;
  });
  const row = document.createElement("div");
  row.className = "preview-controls";
  row.append(panel, aspect, step, show);
  set.append(legend, hint, row, message, frame);
  return set;
}

function textBlock(kind, value, name, privateNotes) {
  const set = document.createElement("fieldset");
  set.dataset.key = kind;
  const legend = document.createElement("legend");
  const id = `text-${kind}`;
  const label = document.createElement("label");
  label.htmlFor = id;
  label.textContent = word(kind);
  legend.append(label);
  set.append(legend);
  if (privateNotes) {
    set.classList.add("presenter-only");
    const badge = document.createElement("span");
    badge.className = "badge";
    badge.textContent = word("presenter_only");
    set.append(badge);
  }
  const area = document.createElement("textarea");
  area.id = id;
  area.rows = 5;
  area.value = value ?? "";
  area.addEventListener("change", () => commit(name, [{ op: kind, value: area.value }], word(kind)));
  set.append(area);
  return set;
}

function drawHeader() {
  const title = state.deck?.deck.data.case?.title ?? page.deck;
  document.getElementById("deck-title").textContent = title;
  document.title = `${title} · ${word("title")}`;
  for (const b of document.querySelectorAll(".side > [data-open]")) {
    if (b.dataset.open === state.open) b.setAttribute("aria-current", "true");
    else b.removeAttribute("aria-current");
  }
}

let drawn = null; // the file and version the form was drawn from

subscribe((what, structural) => {
  if (what === "status" || what === "refused") status.textContent = state.status;
  if (what === "deck" || what === "open") {
    drawHeader();
    drawList();
    const shown = file(state.open);
    const ours = shown && state.ours.has(shown.version) && drawn?.name === state.open;
    if (what === "open" || structural || !ours || state.open === "matrix") drawMain();
    drawn = shown ? { name: state.open, version: shown.version } : null;
  }
  if (what === "problems") {
    drawList();
    showFindings(main);
  }
  undoButton.disabled = state.undo.length === 0;
});

document.addEventListener("click", (event) => {
  const target = event.target.closest("[data-open]");
  if (!target) return;
  open(target.dataset.open);
  main.focus();
});

undoButton.addEventListener("click", () => undo());
document.addEventListener("keydown", (event) => {
  if ((event.ctrlKey || event.metaKey) && !event.shiftKey && event.key.toLowerCase() === "z") {
    if (event.target.matches?.("input[type=text], textarea") && event.target.value !== event.target.defaultValue) return;
    event.preventDefault();
    undo();
  }
});

const dialog = document.getElementById("conflict");
onConflict(
  (data) =>
    new Promise((resolve) => {
      dialog.querySelector(".message").textContent = data.message;
      dialog.querySelector(".disk").textContent = data.current.text;
      const choose = (event) => {
        const value = event.target.closest("button")?.value;
        if (!value) return;
        dialog.removeEventListener("click", choose);
        dialog.close();
        resolve(value);
      };
      dialog.addEventListener("click", choose);
      dialog.addEventListener("cancel", () => resolve("theirs"), { once: true });
      dialog.showModal();
    }),
);

window.addEventListener("focus", () => refresh());
load();
