// The case's fact–evidence matrix, as an overlay for the presenter (with origins and 孤证;
// the screens get it without them), and whether the screens show it. A cell goes to its
// exhibit's panel.
import { $ } from "./dom.js";

export function start({ store, send, ui, data }) {
  const overlay = $("case");

  async function load() {
    const query = data.lang === "en" ? "?lang=en" : "";
    const response = await fetch(`/present/case${query}`, { cache: "no-store" });
    $("case-matrix").innerHTML = response.ok ? await response.text() : ""; // rendered and escaped by the server
  }
  function toggle() {
    overlay.hidden = !overlay.hidden;
    if (!overlay.hidden) load();
  }

  // a new deck: an open matrix is fetched again
  store.subscribe((s) => s.decks, () => !overlay.hidden && load());

  store.subscribe(
    (s) => (s.state ? !!s.state.case : null),
    (onScreens) => {
      if (onScreens === null) return;
      $("case-show").textContent = onScreens ? ui.case_hide : ui.case_show;
      $("case-state").textContent = onScreens ? ui.case_on_screens : "";
      $("case-open").classList.toggle("on", onScreens);
    },
  );

  $("case-open").addEventListener("click", toggle);
  $("case-close").addEventListener("click", toggle);
  $("case-show").addEventListener("click", () => send({ action: "case", show: !store.get().state?.case }));
  $("case-matrix").addEventListener("click", async (event) => {
    const cell = event.target.closest("button[data-item]");
    if (!cell) return;
    const answer = await send({ action: "goto", item: cell.dataset.item, panel: cell.dataset.panel });
    if (answer.ok) overlay.hidden = true;
  });

  return { toggle };
}
