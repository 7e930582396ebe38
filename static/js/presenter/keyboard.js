// The presenter's keys. A trial technician drives with the keyboard alone: → Space PageDown
// next, ← PageUp back, Home/End, the exhibit's number then Enter, B/W blank, C challenges,
// M the case matrix, V verify, P/J/L media, [ ] pages. Escape forgets a half-typed number.
import { $ } from "./dom.js";

export function start(actions) {
  const KEYS = {
    ArrowRight: actions.next,
    " ": actions.next,
    PageDown: actions.next,
    ArrowLeft: actions.prev,
    PageUp: actions.prev,
    Home: actions.first,
    End: actions.last,
    b: () => actions.blank("black"),
    w: () => actions.blank("white"),
    c: actions.challenges,
    m: actions.matrix,
    v: actions.verify,
    p: () => actions.media("toggle"),
    j: () => actions.media("back"),
    l: () => actions.media("forward"),
    "[": () => actions.turn(-1),
    "]": () => actions.turn(1),
  };
  let typed = "";
  const jump = $("jump");

  document.addEventListener("keydown", (event) => {
    // typing in a field is not driving; a shortcut of the browser's is not ours
    if (event.target.closest("input, textarea, select") || event.ctrlKey || event.metaKey || event.altKey) return;
    if (/^[0-9]$/.test(event.key)) {
      typed += event.key;
      jump.textContent = `→ ${typed}`;
      return;
    }
    if (event.key === "Enter" && typed) {
      const number = Number(typed);
      typed = "";
      jump.textContent = "";
      actions.number(number);
      event.preventDefault();
      return;
    }
    if (event.key === "Escape") {
      typed = "";
      jump.textContent = "";
      return;
    }
    const action = KEYS[event.key.length === 1 ? event.key.toLowerCase() : event.key];
    if (action) {
      event.preventDefault();
      action();
    }
  });
}
