// The fact–evidence matrix: facts and other evidence down, exhibits across; a click on a
// cell adds the link to the exhibit's file (a [[shows]] or [[corroborates]]), or removes it.
import { word } from "./api.js";
import { commit, state } from "./store.js";

function cell(item, kind, id, linked) {
  const td = document.createElement("td");
  const button = document.createElement("button");
  button.type = "button";
  button.className = linked ? "link on" : "link";
  button.setAttribute("aria-pressed", String(linked));
  button.setAttribute("aria-label", `${item.data.id} ${word(kind)} ${id}`);
  button.textContent = linked ? "●" : "";
  button.addEventListener("click", () => toggle(item, kind, id, linked));
  td.append(button);
  return td;
}

async function toggle(item, kind, id, linked) {
  const array = kind === "shows" ? "shows" : "corroborates";
  const field = kind === "shows" ? "fact" : "with";
  const entries = item.data[array] ?? [];
  if (linked) {
    // the last first, so the earlier indexes stay right
    const edits = [];
    for (let i = entries.length - 1; i >= 0; i--) {
      if (entries[i][field] === id) edits.push({ op: "drop", path: [array], value: i });
    }
    await commit(item.name, edits, `${item.data.id} ${word(kind)} ${id}`);
  } else {
    const value = kind === "shows" ? { fact: id, aspect: "other" } : { with: id };
    await commit(item.name, [{ op: "add", path: [array], value }], `${item.data.id} ${word(kind)} ${id}`);
  }
  document.querySelector(`.matrix button[aria-label="${CSS.escape(`${item.data.id} ${word(kind)} ${id}`)}"]`)?.focus();
}

export function matrix(items) {
  const box = document.createElement("section");
  box.className = "matrix";
  const heading = document.createElement("h2");
  heading.textContent = word("matrix");
  const hint = document.createElement("p");
  hint.className = "hint";
  hint.textContent = word("matrix_hint");
  const grid = document.createElement("table");
  const head = document.createElement("tr");
  head.append(document.createElement("th"));
  for (const item of items) {
    const th = document.createElement("th");
    th.scope = "col";
    th.textContent = item.data.id ?? "?";
    th.title = item.data.title ?? "";
    head.append(th);
  }
  grid.append(head);
  const deck = state.deck.deck.data;
  const rows = [
    ...(deck.fact ?? []).map((f) => ["shows", f.id, f.text]),
    ...(deck.evidence ?? []).map((e) => ["corroborates", e.id, e.title]),
  ];
  for (const [kind, id, text] of rows) {
    const tr = document.createElement("tr");
    tr.className = kind;
    const th = document.createElement("th");
    th.scope = "row";
    const b = document.createElement("b");
    b.textContent = id;
    th.append(b, " ", text ?? "");
    tr.append(th);
    for (const item of items) {
      const entries = kind === "shows" ? item.data.shows ?? [] : item.data.corroborates ?? [];
      const linked = entries.some((e) => (kind === "shows" ? e.fact : e.with) === id);
      tr.append(cell(item, kind, id, linked));
    }
    grid.append(tr);
  }
  box.append(heading, hint, grid);
  return box;
}
