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
      // after a failed live verification: asked once per check (`at`), not again with every
      // state that follows (a picture read for the public gallery bumps the state: a question
      // opened then would take the presenter's next key)
      const asked = `${v?.item}@${v?.at ?? state.seq}`;
      if (!v || v.ok || v.confirmed || v.item !== state.item || askedFor === asked) return;
      askedFor = asked;
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
