// The exhibit list, the steps of the exhibit on screen, its panels, and moving
// between them: next, previous, first, last, by number. Exhibits and steps are numbered from
// 1, as the record and the docs number them; step 0 is the exhibit before any step (开始).
import { $, element, toast } from "./dom.js";
import { current } from "./store.js";

export function nextExhibit(exhibits, item) {
  // the exhibit that → reaches after the last step of this one: excluded ones are skipped
  const index = exhibits.findIndex((e) => e.id === item);
  return exhibits.slice(index + 1).find((e) => !e.excluded) || null;
}

export function start({ store, send, ui }) {
  const showable = () => store.get().deck.exhibits.filter((e) => !e.excluded);

  store.subscribe((s) => s.deck.record, (record) => ($("record-name").textContent = record));

  store.subscribe(
    (s) => (s.state ? [s.deck.exhibits, s.state.item, failed(s.state.verification)] : null),
    (slice) => slice && drawList(...slice),
  );
  function failed(verification) {
    // a live verification that failed flags its exhibit at once, before the deck is read again
    return verification && !verification.ok ? verification.item : null;
  }
  function drawList(exhibits, item, mismatch) {
    const list = $("exhibit-list");
    list.replaceChildren(
      ...exhibits.map((exhibit, i) => {
        const li = element("li");
        li.dataset.item = exhibit.id;
        li.append(element("span", String(i + 1), "number"), element("span", exhibit.id, "id"));
        li.append(element("span", exhibit.title, "title"));
        const unverified = exhibit.unverified || exhibit.id === mismatch;
        // 校验不符 cannot be missed: a red badge, and the whole line marked
        if (unverified) li.append(element("span", `⚠ ${ui.unverified}`, "flag unverified"));
        li.classList.toggle("unverified", unverified);
        if (exhibit.excluded) li.append(element("span", ui.excluded, "flag excluded"));
        li.classList.toggle("current", exhibit.id === item);
        return li;
      }),
    );
    list.querySelector(".current")?.scrollIntoView({ block: "nearest" });
    const index = exhibits.findIndex((e) => e.id === item);
    $("exhibit-count").textContent = index >= 0 ? `${index + 1} / ${exhibits.length}` : "";
    const next = nextExhibit(exhibits, item);
    $("next-exhibit").textContent = next ? `${exhibits.indexOf(next) + 1}. ${next.id} ${next.title}` : ui.end;
  }

  store.subscribe(
    (s) => (s.state ? [current(s)?.steps ?? null, s.state.step] : null),
    (slice) => slice && drawSteps(...slice),
  );
  function drawSteps(steps, step) {
    // 开始 (step 0, not numbered), then 1..n with their labels; the current one highlighted
    // keeps its number
    const items = (steps ? [null, ...steps] : []).map((label, n) => {
      const li = element("li", undefined, n === 0 ? "start" : undefined);
      li.dataset.step = String(n);
      li.append(element("span", n === 0 ? "" : String(n), "number"));
      li.append(element("span", n === 0 ? ui.step_zero : label || "", "label"));
      li.classList.toggle("current", n === step);
      return li;
    });
    $("steps").replaceChildren(...items);
    $("step-count").textContent = steps?.length ? `${step} / ${steps.length}` : "";
  }

  store.subscribe(
    (s) => (s.state ? s.state.panel : null),
    (panel) => {
      for (const button of document.querySelectorAll("#panels button")) {
        button.classList.toggle("on", button.dataset.panel === panel);
      }
    },
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
  return {
    panel: (panel) => store.get().state?.panel !== panel && send({ action: "panel", panel }),
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
  };
}
