// The laser pointer: while Shift is held, or the 激光笔 button is on, the mouse over the
// miniature moves the pointer on every screen; letting go takes it away. Moves are sent at
// most every INTERVAL ms (the last position always goes), and only by whoever is in control.
import { $ } from "./dom.js";

const INTERVAL = 50; // ms: 20 moves a second at most

export function fraction(event, rect) {
  const clamp = (v) => Math.min(1, Math.max(0, v));
  return { x: clamp((event.clientX - rect.left) / rect.width), y: clamp((event.clientY - rect.top) / rect.height) };
}

export function start({ store, send, role }) {
  const stageEl = $("stage");
  const button = $("laser");
  let held = false; // Shift is down
  let on = false; // the button
  let shown = false; // a pointer of ours is on the screens
  let wanted = null; // the position still to send
  let timer = null;
  let last = 0;

  const active = () => held || on;
  const inControl = () => store.get().state?.controller === role;

  function flush() {
    timer = null;
    if (!wanted || !active() || !inControl()) return;
    last = performance.now();
    shown = true;
    send({ action: "pointer", ...wanted });
    wanted = null;
  }

  function want(point) {
    wanted = point;
    if (timer === null) timer = setTimeout(flush, Math.max(0, INTERVAL - (performance.now() - last)));
  }

  function hide() {
    wanted = null;
    if (timer !== null) clearTimeout(timer);
    timer = null;
    if (shown && inControl()) send({ action: "pointer", x: null, y: null });
    shown = false;
  }

  function redraw() {
    stageEl.classList.toggle("laser", active());
    button.classList.toggle("on", on);
    button.setAttribute("aria-pressed", String(on));
    if (!active()) hide();
  }

  stageEl.addEventListener("pointermove", (event) => {
    if (!active()) return;
    // the pointer is placed on the court's picture (the stage's canvas, where there is one)
    const picture = stageEl.querySelector(".stage-canvas") || stageEl;
    want(fraction(event, picture.getBoundingClientRect()));
  });
  stageEl.addEventListener("pointerleave", () => active() && hide());
  button.addEventListener("click", () => {
    on = !on;
    redraw();
  });

  return {
    hold: (down) => {
      if (held === down) return;
      held = down;
      redraw();
    },
    active,
  };
}
