// Marking the numbered parts of a view (table rows, code lines) that a step's ranges name.
// The stage then shows the page that holds the first mark (pages.js).
export function markRanges(elements, spans) {
  for (const el of elements) {
    const n = Number(el.dataset.n);
    el.classList.toggle("hl", !!spans && spans.some(([a, b]) => a <= n && n <= b));
  }
}
