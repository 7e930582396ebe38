// Turning pages ([ ] and the page buttons): a document's own pages on its content panel;
// anywhere else the pages the screens cut long content into (the miniature cuts the same
// ones and knows how many); past a table's last page, its next window of rows.
import { $ } from "./dom.js";
import { current } from "./store.js";

export function start({ store, send }) {
  const stageEl = $("stage");
  let backToLast = null; // a table window opened backwards shows its last page
  // the page last asked for, until the miniature shows it: a clicker pressed twice before
  // the miniature has caught up turns two pages, and [ then ] comes back where it began
  let asked = null;
  const shownKey = (s) => `${s.state.case || ""}|${s.state.item || ""}|${s.state.panel || ""}`;

  const documentPaged = (s) => !s.state.case && current(s)?.view === "document" && s.state.panel === "content";
  const tablePaged = (s) => !s.state.case && current(s)?.view === "table" && s.state.panel === "content";
  // of several documents, the pages of the one shown, as the miniature drew it
  const documentPages = (s) =>
    Number(stageEl.querySelector(".stage-content img.pdf-page")?.dataset.pages) || current(s).pages || 1;

  store.subscribe(
    (s) => {
      if (!s.applied || !s.state) return null;
      if (documentPaged(s)) return { page: s.state.page, pages: documentPages(s) };
      return { page: Number(stageEl.dataset.page || 1), pages: Number(stageEl.dataset.pages || 1), table: tablePaged(s) };
    },
    (paging) => {
      if (!paging) return;
      if (asked && (asked.key !== shownKey(store.get()) || asked.page === paging.page)) asked = null;
      $("pages").hidden = paging.pages <= 1 && !paging.table;
      $("page-count").textContent = paging.pages > 1 ? `${paging.page}/${paging.pages}` : "";
      if (backToLast !== null && backToLast === store.get().state.table?.start && paging.pages > 1) {
        backToLast = null;
        send({ action: "page", page: paging.pages });
      }
    },
  );

  $("pages").addEventListener("click", (event) => {
    const button = event.target.closest("button[data-turn]");
    if (button) turn(Number(button.dataset.turn));
  });

  function turn(by) {
    const s = store.get();
    if (!s.state) return;
    const key = shownKey(s);
    if (asked && asked.key !== key) asked = null;
    if (documentPaged(s)) {
      const from = asked ? asked.page : s.state.page;
      const page = Math.min(Math.max(1, from + by), documentPages(s));
      if (page !== from) ask(key, page);
      return;
    }
    const page = (asked ? asked.page : Number(stageEl.dataset.page || 1)) + by;
    if (page >= 1 && page <= Number(stageEl.dataset.pages || 1)) {
      ask(key, page);
    } else if (tablePaged(s)) {
      asked = null;
      nextWindow(s, by);
    }
  }

  function ask(key, page) {
    const mine = (asked = { key, page });
    send({ action: "page", page }).then((answer) => {
      if (!answer?.ok && asked === mine) asked = null; // refused: the miniature's page holds
    });
  }

  function nextWindow(s, by) {
    const frame = stageEl.querySelector(".table-frame");
    if (!frame) return;
    const size = Number(frame.dataset.pageSize);
    const shown = Number(frame.dataset.shown || frame.dataset.total);
    const view = { sort: null, desc: false, filter: "", start: 0, ...(s.state.table || {}) };
    const start = view.start + by * size;
    if (start < 0 || start >= shown) return;
    backToLast = by < 0 ? start : null;
    send({ action: "table", ...view, start });
  }

  return { turn };
}
