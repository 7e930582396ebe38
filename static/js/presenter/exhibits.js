// The exhibit list, the steps of the exhibit on screen, its panels and pages, and moving
// between them: next, previous, first, last, by number.
import { $, element, toast } from "./dom.js";
import { current } from "./store.js";

export function start({ store, send, ui }) {
  const showable = () => store.get().deck.exhibits.filter((e) => !e.excluded);

  store.subscribe((s) => s.deck.record, (record) => ($("record-name").textContent = record));

  store.subscribe(
    (s) => (s.state ? [s.deck.exhibits, s.state.item] : null),
    (slice) => slice && drawList(...slice),
  );
  function drawList(exhibits, item) {
    const list = $("exhibit-list");
    list.replaceChildren(
      ...exhibits.map((exhibit, i) => {
        const li = element("li");
        li.dataset.item = exhibit.id;
        li.append(element("span", String(i + 1), "number"), element("span", exhibit.id, "id"));
        li.append(element("span", exhibit.title, "title"));
        if (exhibit.unverified) li.append(element("span", ui.unverified, "flag unverified"));
        if (exhibit.excluded) li.append(element("span", ui.excluded, "flag excluded"));
        li.classList.toggle("current", exhibit.id === item);
        return li;
      }),
    );
    list.querySelector(".current")?.scrollIntoView({ block: "nearest" });
    const index = exhibits.findIndex((e) => e.id === item);
    const next = exhibits.slice(index + 1).find((e) => !e.excluded);
    $("next-exhibit").textContent = next ? `${next.id} ${next.title}` : ui.end;
  }

  store.subscribe(
    (s) => (s.state ? [current(s)?.steps ?? null, s.state.step] : null),
    (slice) => slice && drawSteps(...slice),
  );
  function drawSteps(steps, step) {
    const labels = steps ? [ui.step_zero, ...steps] : [];
    $("steps").replaceChildren(
      ...labels.map((label, n) => {
        const li = element("li", label || String(n));
        li.dataset.step = String(n);
        li.classList.toggle("current", n === step);
        return li;
      }),
    );
  }

  store.subscribe(
    (s) => (s.state ? s.state.panel : null),
    (panel) => {
      for (const button of document.querySelectorAll("#panels button")) {
        button.classList.toggle("on", button.dataset.panel === panel);
      }
    },
  );

  store.subscribe(
    (s) => (s.state ? current(s)?.pages > 1 : null),
    (paged) => paged !== null && ($("pages").hidden = !paged),
  );

  $("exhibit-list").addEventListener("click", (event) => {
    const li = event.target.closest("li[data-item]");
    if (li) send({ action: "goto", item: li.dataset.item });
  });
  $("steps").addEventListener("click", (event) => {
    const li = event.target.closest("li[data-step]");
    if (li) send({ action: "step", step: Number(li.dataset.step) });
  });
  $("panels").addEventListener("click", (event) => {
    const button = event.target.closest("button[data-panel]");
    if (button) send({ action: "panel", panel: button.dataset.panel });
  });
  $("pages").addEventListener("click", (event) => {
    const button = event.target.closest("button[data-turn]");
    if (button) turn(Number(button.dataset.turn));
  });

  function turn(by) {
    const s = store.get();
    const exhibit = current(s);
    if (!exhibit || !exhibit.pages) return;
    const page = Math.min(Math.max(1, s.state.page + by), exhibit.pages);
    if (page !== s.state.page) send({ action: "page", page });
  }

  return {
    next: () => send({ action: "next" }),
    prev: () => send({ action: "prev" }),
    first: () => showable()[0] && send({ action: "goto", item: showable()[0].id }),
    last: () => showable().at(-1) && send({ action: "goto", item: showable().at(-1).id }),
    number: (n) => {
      // the exhibit's number in the list, as the trial technician typed it
      const exhibits = store.get().deck.exhibits;
      const exhibit = exhibits[n - 1];
      if (exhibit) send({ action: "goto", item: exhibit.id });
      else toast(ui.no_such_number.replace("{n}", n).replace("{count}", exhibits.length));
    },
    turn,
  };
}
