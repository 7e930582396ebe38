// Video and audio follow the state: playing, position (on the server's clock), sound from
// one place only, and `clip` steps that play exactly their range and stop.
//
// Drift is corrected all the time, not only when a state arrives: twice a second each
// playing element compares its position with where the state says it should be. A small
// drift is taken up by playing 5% faster or slower (no stutter); a large one by a seek.

const following = new Map(); // element -> { media, stage }
const SEEK_BEYOND = 0.5; // seconds: beyond this, seek; below, nudge the rate
const CLOSE_ENOUGH = 0.03; // seconds: within this, play at normal rate

function expected(media, stage) {
  return media.position + (media.playing ? stage.now() - media.at : 0);
}

function align(el, media, stage) {
  const target = Math.max(0, expected(media, stage));
  const drift = el.currentTime - target;
  if (!media.playing || Math.abs(drift) > SEEK_BEYOND) {
    if (Math.abs(drift) > 0.08) el.currentTime = target;
    el.playbackRate = 1;
  } else if (Math.abs(drift) > CLOSE_ENOUGH) {
    el.playbackRate = drift > 0 ? 0.95 : 1.05;
  } else {
    el.playbackRate = 1;
  }
  el.dataset.drift = drift.toFixed(3); // for tests and benchmarks
}

setInterval(() => {
  for (const [el, { media, stage }] of following) {
    if (!el.isConnected) following.delete(el);
    else if (media.playing && !el.paused) align(el, media, stage);
  }
}, 500);

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
  following.set(el, { media: now, stage });
  // sound from the screen named in `sound`, or else from the presenter's machine
  el.muted = state.sound ? stage.name !== state.sound : stage.name !== null;
  align(el, now, stage);
  if (now.playing && el.paused) el.play().catch(() => {});
  if (!now.playing && !el.paused) el.pause();
}
