// A form for a table of the deck format, drawn from the model's schema: one control per key,
// committed as an edit of that one key when the person leaves it.
import { page, word } from "./api.js";

const PRESENTER_ONLY = new Set(page.schema.presenter_only);

export function keyText(path) {
  let text = "";
  for (const part of path) {
    if (typeof part === "number") text += `[${part}]`;
    else text += text ? `.${part}` : part;
  }
  return text;
}

// The words of a field, found by its key path without indexes ("source.hash.value").
function words(path) {
  const plain = path.filter((p) => typeof p === "string").join(".");
  const found = page.fields.fields[plain] ?? page.fields.fields[plain.replace(/^[^.]+\./, "")];
  return found ?? { label: path[path.length - 1], help: "" };
}

function choiceWord(field, value) {
  const key = field.key === "kind" ? "kind" : field.key;
  return page.fields.choices[`${key}.${value}`] ?? value;
}

let counter = 0;

function control(field, value, ctx) {
  const id = `f${++counter}`;
  let input;
  const w = field.widget;
  if (w === "long" || w === "strings" || w === "mapping") {
    input = document.createElement("textarea");
    input.rows = w === "long" ? 3 : Math.max(2, Math.min(8, (Array.isArray(value) ? value.length : 1) + 1));
    if (w === "strings") input.value = Array.isArray(value) ? value.join("\n") : value ?? "";
    else if (w === "mapping") input.value = Object.entries(value ?? {}).map(([k, v]) => `${k} = ${v}`).join("\n");
    else input.value = value ?? "";
    if (w !== "long") input.placeholder = w === "mapping" ? "time = 交易时间" : word("value_list_hint");
  } else if (w === "choice" || (w === "bool" && field.optional)) {
    input = document.createElement("select");
    const options = w === "bool" ? ["true", "false"] : field.choices;
    const blank = new Option(word("unset"), "");
    input.append(blank);
    for (const option of options) {
      const yes = option === "true";
      const label = w === "bool" ? word(yes ? "yes" : "no") : choiceWord(field, option);
      input.append(new Option(w === "bool" ? label : `${label}（${option}）`, option));
    }
    const current = value === undefined || value === null ? "" : String(value);
    if (current && !options.includes(current)) input.append(new Option(current, current));
    input.value = current;
  } else if (w === "bool") {
    input = document.createElement("input");
    input.type = "checkbox";
    input.checked = value === true;
  } else if (w === "region" || w === "clip") {
    input = document.createElement("span");
    input.className = `parts ${w}`;
    const count = w === "region" ? 4 : 2;
    for (let i = 0; i < count; i++) {
      const part = document.createElement("input");
      part.type = w === "region" ? "number" : "text";
      if (w === "region") Object.assign(part, { step: "0.001", min: "0", max: "1" });
      part.value = Array.isArray(value) && value[i] !== undefined ? value[i] : "";
      part.setAttribute("aria-label", `${words(ctx.path).label} ${i + 1}`);
      if (i === 0) part.id = id;
      input.append(part);
    }
  } else {
    input = document.createElement("input");
    input.type = { int: "number", number: "number", datetime: "datetime-local" }[w] ?? "text";
    if (w === "number") input.step = "any";
    if (w === "datetime") input.step = "1";
    input.value = value === undefined || value === null ? "" : String(value);
    if (ctx.list) input.setAttribute("list", ctx.list);
  }
  if (input.tagName !== "SPAN") input.id = id;
  return { input, id };
}

function read(field, input) {
  const w = field.widget;
  if (w === "strings") return input.value.split("\n").map((s) => s.trim()).filter(Boolean);
  if (w === "mapping") {
    const out = {};
    for (const line of input.value.split("\n")) {
      const at = line.indexOf("=");
      if (at > 0) out[line.slice(0, at).trim()] = line.slice(at + 1).trim();
    }
    return out;
  }
  if (w === "bool" && field.optional) return input.value === "" ? null : input.value === "true";
  if (w === "bool") return input.checked;
  if (w === "int") return input.value === "" ? null : Number.isInteger(Number(input.value)) ? Number(input.value) : input.value;
  if (w === "number") return input.value === "" ? null : Number(input.value);
  if (w === "region" || w === "clip") {
    const parts = [...input.querySelectorAll("input")].map((p) => p.value.trim());
    if (parts.every((p) => p === "")) return null;
    return w === "region" ? parts.map(Number) : parts;
  }
  return input.value;
}

// One key: its label, its control, its help, and room for what `check` says of it.
function fieldRow(field, value, path, ctx) {
  const row = document.createElement("div");
  row.className = `field w-${field.widget}`;
  row.dataset.key = keyText(path);
  const { input, id } = control(field, value, { path, list: ctx.listFor?.(path, field) });
  const label = document.createElement("label");
  label.htmlFor = id;
  const text = words(path);
  label.textContent = text.label + (field.required ? " *" : "");
  const help = document.createElement("small");
  help.className = "help";
  help.textContent =
    text.help ||
    { datetime: word("time_hint", { zone: ctx.zone }), region: word("region_hint"), clip: word("clip_hint") }[field.widget] ||
    "";
  const commit = () => ctx.commit([{ op: "set", path, value: read(field, input) }], text.label);
  input.addEventListener("change", commit);
  row.append(label, input, help);
  return row;
}

export function table(fields, data, path, ctx) {
  const box = document.createDocumentFragment();
  for (const field of fields) {
    if (ctx.hidden?.(field, path, data)) continue;
    const here = [...path, field.key];
    const value = data?.[field.key];
    if (field.widget === "table") {
      box.append(group(field, here, () => table(field.fields, value ?? {}, here, ctx)));
    } else if (field.widget === "tables") {
      box.append(entries(field, Array.isArray(value) ? value : [], here, ctx));
    } else {
      box.append(fieldRow(field, value, here, ctx));
    }
  }
  return box;
}

function group(field, path, inner) {
  const set = document.createElement("fieldset");
  set.dataset.key = keyText(path);
  const legend = document.createElement("legend");
  legend.textContent = words(path).label;
  set.append(legend);
  marks(set, field.key);
  const help = words(path).help;
  if (help) {
    const small = document.createElement("small");
    small.className = "help";
    small.textContent = help;
    set.append(small);
  }
  set.append(inner());
  return set;
}

function marks(element, key) {
  if (!PRESENTER_ONLY.has(key)) return;
  element.classList.add("presenter-only");
  const badge = document.createElement("span");
  badge.className = "badge";
  badge.textContent = word("presenter_only");
  element.append(badge);
}

// An array of tables ([[step]], [[shows]], …): its entries, each removable and movable.
function entries(field, list, path, ctx) {
  return group(field, path, () => {
    const box = document.createDocumentFragment();
    list.forEach((entry, index) => {
      const here = [...path, index];
      const set = document.createElement("fieldset");
      set.className = "entry";
      set.dataset.key = keyText(here);
      const legend = document.createElement("legend");
      legend.textContent = `${words(path).label} ${index + 1}`;
      const tools = document.createElement("span");
      tools.className = "tools";
      const button = (text, edit) => {
        const b = document.createElement("button");
        b.type = "button";
        b.textContent = word(text);
        b.addEventListener("click", () => ctx.commit([edit], `${words(path).label} ${index + 1}`));
        tools.append(b);
        return b;
      };
      if (ctx.point && path.length === 1 && path[0] === "step") {
        const b = document.createElement("button");
        b.type = "button";
        b.className = "point";
        b.textContent = word("point");
        b.addEventListener("click", () => ctx.point(index, entry));
        tools.append(b);
      }
      if (index > 0) button("move_up", { op: "move", path, value: index, to: index - 1 });
      if (index < list.length - 1) button("move_down", { op: "move", path, value: index, to: index + 1 });
      button("remove", { op: "drop", path, value: index });
      legend.append(tools);
      set.append(legend, table(field.fields, entry, here, ctx));
      box.append(set);
    });
    const add = document.createElement("button");
    add.type = "button";
    add.className = "add";
    add.textContent = `${word("add")}：${words(path).label}`;
    add.addEventListener("click", () => ctx.commit([{ op: "add", path, value: ctx.blank?.(path) ?? {} }], words(path).label));
    box.append(add);
    return box;
  });
}

export { marks, words };
