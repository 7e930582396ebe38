// The presenter's keys. A trial technician drives with the keyboard alone: → Space PageDown
// next, ← PageUp back, Home/End, the exhibit's number then Enter, B/W blank, C challenges,
// M the case matrix, V verify, P/J/L media, [ ] pages, , . the previous and next file of an
// exhibit of several, E/S/F/R the panels (content, source, facts, corroboration); Shift held
// is the laser pointer. Drawing (draw.js): D on and the next tool, K the next colour, Z (or
// Ctrl+Z) undo, X clear, Enter a text label's field, Escape drawing off. Side by side
// (compare.js): A starts and ends it, Q swaps the half the keys drive. Shift+S saves the
// view as a demonstrative. Escape forgets a half-typed number first.
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
    ",": () => actions.file?.(-1),
    ".": () => actions.file?.(1),
    e: () => actions.panel("content"),
    s: () => actions.panel("source"),
    f: () => actions.panel("facts"),
    r: () => actions.panel("corroboration"),
    d: () => actions.draw?.(),
    k: () => actions.colour?.(),
    z: () => actions.undo?.(),
    x: () => actions.clear?.(),
    a: () => actions.compare?.(),
    q: () => actions.swap?.(),
  };
  // with Shift held (which is also the laser's key: a press of S with it saves, not source)
  const SHIFTED = {
    S: () => actions.save?.(),
  };
  let typed = "";
  const jump = $("jump");

  document.addEventListener(
    "change",
    (event) => {
      // a control that was used gives the keys back: after a filter's Enter, a slider's or a
      // list's choice, B is a black screen again, not a letter, and → is the next step
      if (event.target.matches?.("input, select")) event.target.blur();
    },
    true,
  );

  document.addEventListener(
    "keydown",
    (event) => {
      if (event.key === "Escape" && typing(event.target)) {
        event.target.blur(); // Escape leaves a field
        event.preventDefault();
        return;
      }
      // typing in a text field is not driving; a shortcut of the browser's is not ours
      // (but Ctrl+Z, the undo every drawing program has); a focused slider, list or button
      // never keeps the presentation's keys (capture phase)
      if (typing(event.target)) return;
      if ((event.ctrlKey || event.metaKey) && !event.altKey && event.key.toLowerCase() === "z") {
        event.preventDefault();
        actions.undo?.();
        return;
      }
      if (event.ctrlKey || event.metaKey || event.altKey) return;
      press(event);
    },
    true,
  );

  // the laser while Shift is held: let go (or leave the window) and the pointer goes
  document.addEventListener("keyup", (event) => event.key === "Shift" && actions.laser?.(false), true);
  window.addEventListener("blur", () => actions.laser?.(false));

  function press(event) {
    if (event.key === "Shift") {
      actions.laser?.(true);
      return;
    }
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
    if (event.key === "Enter") {
      if (actions.enter?.()) event.preventDefault(); // the text tool's label
      return;
    }
    if (event.key === "Escape") {
      if (typed) {
        typed = "";
        jump.textContent = "";
      } else {
        actions.escape?.();
      }
      return;
    }
    const shifted = event.shiftKey && SHIFTED[event.key.toUpperCase()];
    if (shifted) {
      event.preventDefault();
      shifted();
      return;
    }
    const action = KEYS[event.key.length === 1 ? event.key.toLowerCase() : event.key];
    if (action) {
      event.preventDefault();
      action();
    }
  }
}

function typing(target) {
  // where keys are text: a text area, or an input that takes text or a number
  return !!target.matches?.(
    "textarea, input:not([type=range]):not([type=checkbox]):not([type=radio]):not([type=button])",
  );
}
