// Video and audio follow the state: playing, position (on the server's clock), sound from
// one place only, and `clip` steps that play exactly their range and stop. Under the media,
// a progress bar, the time ("01:23 / 04:56") and the transcript's line being played.
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

// --- time, progress and transcript ----------------------------------------------------------

export function clock(seconds) {
  // "01:23", or "1:02:03" past an hour; "--:--" while the length is not known
  if (!Number.isFinite(seconds)) return "--:--";
  const whole = Math.max(0, Math.floor(seconds));
  const two = (n) => String(n).padStart(2, "0");
  const hours = Math.floor(whole / 3600);
  const rest = `${two(Math.floor(whole / 60) % 60)}:${two(whole % 60)}`;
  return hours ? `${hours}:${rest}` : rest;
}

const transcripts = new WeakMap(); // the transcript's <ol> -> its lines, by start

function linesOf(list) {
  if (!transcripts.has(list)) {
    const lines = [...list.children].map((li, index) => ({
      index,
      start: Number(li.dataset.start),
      end: li.dataset.end === "" ? null : Number(li.dataset.end),
      text: li.textContent, // escaped and, for the public gallery, masked by the server
    }));
    transcripts.set(list, lines);
  }
  return transcripts.get(list);
}

function lineAt(lines, time) {
  // the last line begun by `time`, unless it has ended (a line without an end lasts until
  // the next begins)
  let low = 0;
  let high = lines.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (lines[middle].start <= time) low = middle + 1;
    else high = middle;
  }
  const line = lines[low - 1];
  return line && (line.end === null || time < line.end) ? line : null;
}

function showTime(view, el) {
  const time = el.currentTime;
  const length = el.duration;
  const bar = view.querySelector("[data-role=media-progress]");
  if (bar) {
    bar.max = Number.isFinite(length) && length > 0 ? length : 1;
    bar.value = Number.isFinite(length) ? Math.min(time, length) : 0;
  }
  const text = view.querySelector("[data-role=media-time]");
  if (text) text.textContent = `${clock(time)} / ${clock(length)}`;
  const list = view.querySelector("[data-role=transcript]");
  const shown = view.querySelector("[data-role=transcript-line]");
  if (list && shown) {
    const line = lineAt(linesOf(list), time);
    const words = line ? line.text : "";
    if (shown.textContent !== words) shown.textContent = words;
    shown.dataset.line = line ? String(line.index) : "";
  }
}

function watchTime(el) {
  const view = el.closest(".media-view");
  if (!view || el.dataset.watched) return;
  el.dataset.watched = "1";
  for (const event of ["timeupdate", "durationchange", "loadedmetadata", "seeked", "emptied"]) {
    el.addEventListener(event, () => showTime(view, el));
  }
  showTime(view, el);
}

// --- sound ----------------------------------------------------------------------------------

function audible(state, stage) {
  // sound from the screen named in `sound`, or else from the presenter's machine; a court
  // screen's gate (sound.js) says whether its browser lets it, and never the public gallery
  const here = state.sound ? stage.name === state.sound : stage.name === null;
  return here && (stage.sound ? stage.sound.lets() : true);
}

function play(el, stage) {
  el.play().catch((error) => {
    if (error.name !== "NotAllowedError" || el.muted) return;
    // the browser wants a click before sound: play muted, in step, and (on a court screen)
    // ask for the click
    stage.sound?.refused();
    el.muted = true;
    el.play().catch(() => {});
  });
}

export function media(root, step, state, stage) {
  const el = root.querySelector("[data-role=media]");
  if (!el) return;
  watchTime(el);
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
  el.muted = !audible(state, stage);
  align(el, now, stage);
  if (now.playing && el.paused) play(el, stage);
  if (!now.playing && !el.paused) el.pause();
}
