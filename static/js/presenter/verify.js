// Verify now (V): the exhibit's files hashed again while the court watches, with progress
// here; a mismatch is shown on the screens only if the presenter says so (Art. 44).
import { $ } from "./dom.js";

export function start({ store, send, ui }) {
  store.subscribe(
    (s) => s.progress,
    (p) => {
      const percent = p && (p.total ? Math.floor((100 * p.done) / p.total) : 100);
      $("verify-progress").textContent = p ? `${ui.verifying} ${p.file} ${percent}%` : "";
    },
  );

  let askedFor = null;
  store.subscribe(
    (s) => s.state,
    (state) => {
      const v = state?.verification;
      if (v?.ok) store.set({ progress: null }); // done: the screens say it matches
      // after a failed live verification: asked once per state (a snapshot after reconnecting
      // repeats its seq)
      if (!v || v.ok || v.confirmed || v.item !== state.item || askedFor === state.seq) return;
      askedFor = state.seq;
      store.set({ progress: null });
      setTimeout(() => {
        if (window.confirm(`${v.item}\n${ui.confirm_mismatch}`)) {
          send({ action: "goto", item: v.item, confirm: true });
        }
      }, 0);
    },
  );

  const verify = () => send({ action: "verify" });
  $("verify").addEventListener("click", verify);
  return { verify };
}
