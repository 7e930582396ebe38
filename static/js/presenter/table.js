// A table's sort, filter and page, chosen by the presenter; the screens follow. A click on
// a column's header in the miniature sorts too: ascending, descending, back to file order; a
// click on a category in the totals by category shows its rows (again: all rows).
import { $ } from "./dom.js";
import { current } from "./store.js";

export function start({ store, send }) {
  const stageEl = $("stage");

  store.subscribe(
    (s) => {
      if (!s.state) return null;
      const exhibit = current(s);
      const table = exhibit && exhibit.view === "table" ? { id: exhibit.id, columns: exhibit.columns } : null;
      return [table, s.state.table];
    },
    (slice) => slice && draw(...slice),
  );
  function draw(table, view) {
    const box = $("table-controls");
    box.hidden = !table;
    if (!table) return;
    const select = $("table-sort");
    if (select.dataset.item !== table.id) {
      select.replaceChildren(select.options[0], ...table.columns.map((name, i) => new Option(name, String(i))));
      select.dataset.item = table.id;
    }
    view = view || {};
    select.value = view.sort === null || view.sort === undefined ? "" : String(view.sort);
    $("table-desc").checked = !!view.desc;
    // the presenter may be typing a filter: it is theirs until they leave the box
    if (document.activeElement !== $("table-filter")) $("table-filter").value = view.filter || "";
  }

  function arrange(changes) {
    const state = store.get().state;
    const view = { sort: null, desc: false, filter: "", start: 0, ...(state?.table || {}), ...changes };
    send({ action: "table", ...view });
  }

  $("table-sort").addEventListener("change", () => {
    const value = $("table-sort").value;
    arrange({ sort: value === "" ? null : Number(value), start: 0 });
  });
  $("table-desc").addEventListener("change", () => arrange({ desc: $("table-desc").checked, start: 0 }));
  $("table-filter").addEventListener("change", () => arrange({ filter: $("table-filter").value, start: 0 }));
  $("table-clear").addEventListener("click", () => send({ action: "table" }));
  $("table-controls").addEventListener("click", (event) => {
    const button = event.target.closest("button[data-rows]");
    const frame = stageEl.querySelector(".table-frame");
    if (!button || !frame) return;
    const size = Number(frame.dataset.pageSize);
    const shown = Number(frame.dataset.shown || frame.dataset.total);
    const start = (store.get().state.table?.start || 0) + Number(button.dataset.rows) * size;
    if (start >= 0 && start < shown) arrange({ start });
  });
  stageEl.addEventListener("click", (event) => {
    const line = event.target.closest(".table-frame .table-categories tr[data-category]");
    if (line) {
      const chosen = store.get().state?.table?.category;
      const category = chosen === line.dataset.category ? null : line.dataset.category;
      arrange({ category, start: 0 });
      return;
    }
    const th = event.target.closest(".table-frame th[data-col]");
    if (!th) return;
    const col = Number(th.dataset.col);
    const view = store.get().state?.table || {};
    if (view.sort !== col) arrange({ sort: col, desc: false, start: 0 });
    else if (!view.desc) arrange({ desc: true, start: 0 });
    else arrange({ sort: null, desc: false, start: 0 });
  });
}
