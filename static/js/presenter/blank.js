// Blanking the screens, black or white (B, W): the same key again shows the exhibit.
import { $ } from "./dom.js";

export function start({ store, send }) {
  store.subscribe(
    (s) => (s.state ? s.state.blank : undefined),
    (blank) => {
      if (blank === undefined) return;
      for (const button of document.querySelectorAll("#blanks button")) {
        button.classList.toggle("on", button.dataset.blank === blank);
      }
    },
  );

  function toggle(mode) {
    send({ action: "blank", mode: store.get().state?.blank === mode ? null : mode });
  }
  $("blanks").addEventListener("click", (event) => {
    const button = event.target.closest("button[data-blank]");
    if (button) toggle(button.dataset.blank === "black" ? "black" : "white");
  });

  return { toggle };
}
