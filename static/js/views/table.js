// Tables: `rows` steps mark rows; a page beyond the first comes from the server.
import { markRanges } from "./marks.js";

function row(cells, n) {
  const tr = document.createElement("tr");
  tr.dataset.n = String(n);
  for (const text of [tr.dataset.n, ...cells]) tr.insertCell().textContent = text;
  tr.cells[0].className = "n";
  return tr;
}

export async function table(root, step, state, stage) {
  const frame = root.querySelector(".table-frame");
  const spans = step?.rows;
  if (frame && spans?.length) {
    const size = Number(frame.dataset.pageSize);
    const page = Math.floor((spans[0][0] - 1) / size);
    if (String(page) !== frame.dataset.page) {
      const data = await stage.window(frame.dataset.pageUrl, page * size);
      if (!data) return;
      frame.querySelector("tbody").replaceChildren(
        ...data.rows.map((cells, i) => row(cells, data.start + i + 1)),
      );
      frame.dataset.page = String(page);
    }
  }
  markRanges(root.querySelectorAll("tr[data-n]"), spans);
}
