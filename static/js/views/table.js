// Tables: `rows` steps mark rows; the presenter's sort, filter and page (the state's
// `table`) are followed. Any window beyond the first comes from the server, which also sorts
// and filters; each row keeps its number in the file, so steps keep their meaning. A
// category the presenter picked from the totals by category is lit in that block.
import { markRanges } from "./marks.js";

function row(cells, n, numeric) {
  // cells come read for court by the server (amounts grouped, times in the deck's zone)
  const tr = document.createElement("tr");
  tr.dataset.n = String(n);
  for (const text of [tr.dataset.n, ...cells]) tr.insertCell().textContent = text;
  tr.cells[0].className = "n";
  for (const i of numeric) if (tr.cells[i + 1]) tr.cells[i + 1].className = "num";
  return tr;
}

function caption(arranged, words) {
  // e.g. 筛选「张某」 · 共计行数 12 · 合计 1,234.00 · 排序「金额」降序
  const parts = [];
  if (arranged.category !== null && arranged.category !== undefined) parts.push(`${arranged.category_column}「${arranged.category}」`);
  if (arranged.filter) parts.push(`${words.filter}「${arranged.filter}」`);
  parts.push(`${words.rows} ${arranged.rows.toLocaleString("en")}`);
  if (arranged.total_text) parts.push(`${words.total} ${arranged.total_text}`);
  if (arranged.sort !== null) parts.push(`${words.sorted}「${arranged.sort}」${arranged.desc ? words.desc : words.asc}`);
  return parts.join(" · ");
}

export async function table(root, step, state, stage) {
  const frame = root.querySelector(".table-frame");
  if (!frame) return;
  const spans = step?.rows;
  const size = Number(frame.dataset.pageSize);
  const view = state.table || null;
  let start = 0;
  if (view) start = Math.floor(view.start / size) * size;
  else if (spans?.length) start = Math.floor((spans[0][0] - 1) / size) * size;
  const key = `${JSON.stringify(view && { ...view, start: 0 })}@${start}`;
  if (key !== frame.dataset.window) {
    const data = await stage.window(frame.dataset.pageUrl, start);
    if (!data) return;
    const numeric = JSON.parse(frame.dataset.numeric || "[]");
    frame.querySelector(".table-scroll tbody").replaceChildren(...data.rows.map((cells, i) => row(cells, data.numbers[i], numeric)));
    frame.querySelector(".table-scroll").scrollTop = 0;
    frame.dataset.shown = String(data.total); // rows in this arrangement, for the presenter's paging
    const note = frame.querySelector(".table-arranged");
    note.hidden = !data.arranged;
    note.textContent = data.arranged ? caption(data.arranged, JSON.parse(frame.dataset.words)) : "";
    for (const th of frame.querySelectorAll("th[data-col]")) {
      const on = !!view && view.sort === Number(th.dataset.col);
      th.dataset.sort = on ? (view.desc ? "desc" : "asc") : "";
    }
    frame.dataset.window = key;
  }
  for (const tr of frame.querySelectorAll(".table-categories tr[data-category]")) {
    tr.classList.toggle("hl", view?.category === tr.dataset.category);
  }
  markRanges(root.querySelectorAll("tr[data-n]"), spans);
}
