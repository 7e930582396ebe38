// A chat's picture shown large: click its thumbnail in the miniature and every screen shows
// it large (drag on it for a callout, as on an image); a double click goes back to the chat
// (the first one clears a callout, callout.js).
import { $ } from "./dom.js";

export function start({ store, send }) {
  const stageEl = $("stage");
  stageEl.addEventListener("click", (event) => {
    const thumb = event.target.closest("ol.chat img.attachment");
    const message = thumb?.closest(".msg[data-n]");
    if (message) send({ action: "attachment", message: Number(message.dataset.n) });
  });
  stageEl.addEventListener("dblclick", () => {
    // anywhere on the miniature, as a callout is cleared (a drag's pointer capture makes the
    // stage itself the target)
    const state = store.get().state;
    if (!state?.attachment || state.region) return;
    send({ action: "attachment", message: null });
  });
}
