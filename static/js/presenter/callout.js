// A callout: drag a rectangle on the miniature's exhibit and the screens show that region
// (an image's is cut sharp from the original); a double click clears it.
import { $, element } from "./dom.js";

function fraction(event, rect) {
  const clamp = (v) => Math.min(1, Math.max(0, v));
  return [clamp((event.clientX - rect.left) / rect.width), clamp((event.clientY - rect.top) / rect.height)];
}

export function start({ store, send }) {
  const stageEl = $("stage");
  const drag = { start: null, box: null };
  const region = () => store.get().state?.region;

  stageEl.addEventListener("pointerdown", (event) => {
    const target = stageEl.querySelector("[data-role=zoomable]");
    if (stageEl.classList.contains("laser")) return; // the mouse is the laser pointer now
    if (!target || region()) return; // one callout at a time: a double click clears it first
    const rect = target.getBoundingClientRect();
    drag.start = { rect, at: fraction(event, rect) };
    drag.box = element("div", undefined, "drag-box");
    stageEl.append(drag.box);
    stageEl.setPointerCapture(event.pointerId);
  });
  stageEl.addEventListener("pointermove", (event) => {
    if (!drag.start) return;
    const stageRect = stageEl.getBoundingClientRect();
    const { rect, at } = drag.start;
    const [x2, y2] = fraction(event, rect);
    const left = rect.left + Math.min(at[0], x2) * rect.width - stageRect.left;
    const top = rect.top + Math.min(at[1], y2) * rect.height - stageRect.top;
    Object.assign(drag.box.style, {
      left: `${left}px`, top: `${top}px`,
      width: `${Math.abs(x2 - at[0]) * rect.width}px`, height: `${Math.abs(y2 - at[1]) * rect.height}px`,
    });
  });
  stageEl.addEventListener("pointerup", (event) => {
    if (!drag.start) return;
    const { rect, at } = drag.start;
    const [x2, y2] = fraction(event, rect);
    drag.box.remove();
    drag.start = null;
    const chosen = [Math.min(at[0], x2), Math.min(at[1], y2), Math.abs(x2 - at[0]), Math.abs(y2 - at[1])];
    // a click is not a drag: too small a rectangle is no callout
    if (chosen[2] > 0.02 && chosen[3] > 0.02) send({ action: "region", region: chosen });
  });
  // the browser's own drag of an image would take the pointer away mid-rectangle
  stageEl.addEventListener("dragstart", (event) => drag.start && event.preventDefault());
  stageEl.addEventListener("pointercancel", () => {
    drag.box?.remove();
    drag.start = null;
  });
  stageEl.addEventListener("dblclick", () => region() && send({ action: "region", region: null }));
}
