// The next exhibit as the screens will show it, on a stage of its own that only the
// presenter's page draws (also while the screens are blank): its content panel, before any
// step, first page, nothing zoomed, nothing playing.
import { Stage } from "../stage.js";
import { $ } from "./dom.js";
import { nextExhibit } from "./exhibits.js";

export function previewState(state, exhibit) {
  // the state the screens would be in right after going to `exhibit`
  return {
    deck: state.deck,
    seq: 0,
    item: exhibit.id,
    panel: "content",
    step: 0,
    file: 0,
    page: 1,
    blank: null,
    region: null,
    pointer: null,
    media: { playing: false, position: 0, at: 0 },
    controller: state.controller,
    sound: null,
    table: null,
    chart: null,
    case: false,
    verification: null,
  };
}

export function start({ store, data }) {
  const el = $("preview");
  const frame = el.parentElement;
  const preview = new Stage(el, {
    lang: data.lang,
    logo: "",
    words: data.verify,
    name: "preview", // never a screen's name: the preview never plays sound
    onApplied: (applied) => (el.dataset.item = applied.item || ""),
  });

  store.subscribe(
    (s) => (s.state ? [nextExhibit(s.deck.exhibits, s.state.item)?.id ?? null, s.state.deck, s.decks] : null),
    (slice) => {
      if (!slice) return;
      const s = store.get();
      const next = nextExhibit(s.deck.exhibits, s.state.item);
      frame.classList.toggle("none", !next);
      frame.dataset.none = data.console.no_next;
      if (!next) {
        el.dataset.item = "";
        return;
      }
      preview.apply(previewState(s.state, next));
    },
  );

  return { deckChanged: (version) => preview.deckChanged(version) };
}
