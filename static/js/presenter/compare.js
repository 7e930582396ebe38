// Side by side (并排展示): the exhibit on screen and another, halves of the screens, 50/50 or
// 60/40, left/right or top/bottom; the keys drive one half at a time (Q the other). The
// other exhibit is chosen from the deck's list, by default the first that corroborates the
// one on screen; the corroborating exhibits listed on the presenter's side each start it.
// Keys (keyboard.js): A starts it (and ends it), Q swaps the half the keys drive.
import { $, element, toast } from "./dom.js";
import { current } from "./store.js";

export function defaultPartner(exhibits, item) {
  // the exhibit put beside `item` unless the presenter picks another: its first
  // corroborating exhibit that can be shown, else the next one in the deck
  const exhibit = exhibits.find((e) => e.id === item);
  const showable = (id) => exhibits.some((e) => e.id === id && id !== item && !e.excluded);
  const linked = (exhibit?.corroborating || []).map((c) => c.item).find(showable);
  if (linked) return linked;
  const after = exhibits.slice(exhibits.indexOf(exhibit) + 1).concat(exhibits);
  return after.find((e) => showable(e.id))?.id || null;
}

export function start({ store, send, ui }) {
  const partner = $("compare-with");
  const layout = $("compare-layout");
  const direction = $("compare-direction");
  let defaultFor = null; // the exhibit whose default partner the list holds

  const compare = () => store.get().state?.compare || null;

  store.subscribe(
    (s) => [s.deck.exhibits.map((e) => [e.id, e.title, e.excluded]), s.state?.item ?? null],
    ([, item]) => drawChoices(item),
  );
  function drawChoices(item) {
    const { exhibits } = store.get().deck;
    const kept = partner.value;
    // the exhibit on screen too: two of its pages or regions side by side
    const note = (e) => (e.id === item ? ` (${ui.this_exhibit})` : e.excluded ? ` (${ui.excluded})` : "");
    const label = (e) => `${e.id} ${e.title}${note(e)}`;
    partner.replaceChildren(...exhibits.map((e) => new Option(label(e), e.id)));
    if (item !== defaultFor || !kept) {
      // another exhibit on screen (or the deck just read): its own partner
      defaultFor = item;
      partner.value = defaultPartner(exhibits, item) || "";
    } else {
      partner.value = kept; // the presenter's choice, while the same exhibit is on screen
    }
  }

  store.subscribe(
    (s) => (s.state ? [s.state.compare || null] : null),
    (slice) => slice && drawCompare(slice[0]),
  );
  function drawCompare(on) {
    const box = $("compare-controls");
    box.classList.toggle("on", !!on);
    $("compare-swap").hidden = !on;
    $("compare-end").hidden = !on;
    $("compare-start").hidden = !!on; // A ends it now: 结束并排 (A)
    if (!on) {
      $("compare-state").textContent = "";
      return;
    }
    if (document.activeElement !== layout) layout.value = on.layout;
    if (document.activeElement !== direction) direction.value = on.direction;
    const halves = on.direction === "column" ? [ui.compare_top, ui.compare_bottom] : [ui.compare_left, ui.compare_right];
    const driving = ui.compare_driving.replace("{half}", halves[on.active] || "");
    $("compare-state").textContent = `${on.items.join(" ｜ ")} · ${driving}`;
  }

  function begin(other) {
    const s = store.get();
    if (!s.state?.item) {
      toast(s.deck.reasons.no_exhibit || "no_exhibit");
      return;
    }
    if (!other) return;
    send({ action: "compare", items: [s.state.item, other], layout: layout.value, direction: direction.value });
  }
  const end = () => send({ action: "compare", items: [] });
  const swap = () => compare() && send({ action: "compare", swap: true });

  $("compare-start").addEventListener("click", () => begin(partner.value));
  $("compare-end").addEventListener("click", end);
  $("compare-swap").addEventListener("click", swap);
  // while side by side, the layout and the direction change at once; before, they are
  // what the next start asks for
  layout.addEventListener("change", () => compare() && send({ action: "compare", layout: layout.value }));
  direction.addEventListener("change", () => compare() && send({ action: "compare", direction: direction.value }));

  // the presenter's list of the exhibits corroborating the one on screen, each with a
  // button that puts it beside it (never on the screens' panel: a screen's page may fetch it)
  store.subscribe(
    (s) => {
      if (!s.state) return null;
      return [current(s)?.corroborating || [], s.state.item, s.deck.exhibits.map((e) => [e.id, e.title, e.excluded])];
    },
    (slice) => slice && drawCorroborating(...slice),
  );
  function drawCorroborating(links, item) {
    const { exhibits } = store.get().deck;
    const items = links.map((link) => {
      const other = exhibits.find((e) => e.id === link.item);
      const li = element("li");
      li.dataset.item = link.item;
      const name = element("span", undefined, "name");
      name.append(element("span", link.item, "id"), " ", other?.title || "");
      li.append(name);
      if (other?.excluded) li.append(element("span", ui.excluded, "flag excluded"));
      const button = element("button", ui.compare_start, "compare-with");
      button.type = "button";
      button.dataset.with = link.item;
      button.disabled = !other || !!other.excluded || !item;
      li.append(button);
      if (link.point) li.append(element("p", link.point, "point"));
      return li;
    });
    $("corroborating").replaceChildren(...(items.length ? items : [element("li", ui.corroborating_none, "none")]));
  }
  $("corroborating").addEventListener("click", (event) => {
    const button = event.target.closest("button[data-with]");
    if (button) begin(button.dataset.with);
  });

  return {
    toggle: () => (compare() ? end() : begin(partner.value)),
    swap,
  };
}
