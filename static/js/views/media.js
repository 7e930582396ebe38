// Video and audio follow the state: playing, position (kept within 80 ms of the
// presenter's, on the server's clock), sound from one place only, and `clip` steps that
// play exactly their range and stop.

export function media(root, step, state, stage) {
  const el = root.querySelector("[data-role=media]");
  if (!el) return;
  const clip = step?.clip || null;
  el.ontimeupdate = clip
    ? () => {
        if (el.currentTime >= clip[1]) {
          el.pause();
          el.currentTime = clip[1];
        }
      }
    : null;
  const now = state.media;
  if (!now) return;
  // sound from the screen named in `sound`, or else from the presenter's machine
  el.muted = state.sound ? stage.name !== state.sound : stage.name !== null;
  const position = now.position + (now.playing ? stage.now() - now.at : 0);
  if (Math.abs(el.currentTime - position) > 0.08) el.currentTime = Math.max(0, position);
  if (now.playing && el.paused) el.play().catch(() => {});
  if (!now.playing && !el.paused) el.pause();
}
