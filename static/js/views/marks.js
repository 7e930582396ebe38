// Marking the numbered parts of a view (table rows, code lines) that a step's ranges name.
export function markRanges(elements, spans) {
  let first = null;
  for (const el of elements) {
    const n = Number(el.dataset.n);
    const on = !!spans && spans.some(([a, b]) => a <= n && n <= b);
    el.classList.toggle("hl", on);
    if (on && !first) first = el;
  }
  first?.scrollIntoView({ block: "center" });
}
