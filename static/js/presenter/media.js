// Video and audio: play, pause and seek for every screen at once (P, J, L, and the scrubber
// with its "mm:ss / mm:ss"), and which screen plays the sound (one place, so a courtroom
// hears no echo), with the screens whose browser blocks sound until someone clicks there.
import { clock } from "../views/media.js";
import { $ } from "./dom.js";
import { current } from "./store.js";

const isMedia = (exhibit) => !!exhibit && (exhibit.view === "video" || exhibit.view === "audio");

export function soundScreens(clients) {
  // court screens by name, never the public gallery's (it plays no sound); a name is blocked
  // when a window of that name says its browser blocks sound
  const names = new Map();
  for (const c of clients) {
    if (c.role === "screen" && !c.public) names.set(c.name, !!names.get(c.name) || !!c.blocked);
  }
  return [...names].map(([name, blocked]) => ({ name, blocked }));
}

export function start({ store, send, stage, ui }) {
  const sound = $("sound");
  const seek = $("media-seek");
  const time = $("media-time");

  store.subscribe(
    (s) => (s.state ? isMedia(current(s)) : null),
    (media) => media !== null && ($("media-controls").hidden = !media),
  );

  store.subscribe(
    (s) => (s.screens ? soundScreens(s.screens) : null),
    (screens) => {
      if (!screens) return;
      const options = screens.map(({ name, blocked }) => {
        const option = new Option(blocked ? `${name} · ${ui.sound_blocked}` : name, name);
        option.dataset.blocked = blocked ? "1" : "";
        return option;
      });
      sound.replaceChildren(sound.options[0], ...options);
      sound.value = store.get().state?.sound || "";
    },
  );
  store.subscribe(
    (s) => (s.state ? s.state.sound || "" : null),
    (chosen) => chosen !== null && (sound.value = chosen),
  );
  sound.addEventListener("change", () => send({ action: "sound", screen: sound.value || null }));

  function position() {
    // where playback is now, by the state and the server's clock
    const m = store.get().state.media;
    return m.position + (m.playing ? stage.now() - m.at : 0);
  }

  function act(what) {
    const s = store.get();
    if (!s.state || !isMedia(current(s))) return;
    const now = position();
    if (what === "toggle") send({ action: "media", op: s.state.media.playing ? "pause" : "play", position: now });
    else send({ action: "media", op: "seek", position: Math.max(0, now + (what === "back" ? -5 : 5)) });
  }
  $("media-controls").addEventListener("click", (event) => {
    const button = event.target.closest("button[data-media]");
    if (button) act(button.dataset.media);
  });

  // the scrubber: follows playback as the miniature plays it (a clip stops where it ends),
  // except while it is dragged; letting go seeks every screen there. keyboard.js gives the
  // arrow keys back to the presentation once it is used.
  let dragging = false;
  const miniature = () => stage.el.querySelector("[data-role=media]");
  function length() {
    const el = miniature();
    return el ? el.duration : NaN;
  }
  function follow() {
    const s = store.get();
    if (dragging || !s.state || !isMedia(current(s))) return;
    const el = miniature();
    const at = el && el.readyState >= 1 ? el.currentTime : position();
    const whole = length();
    seek.max = String(Number.isFinite(whole) && whole > 0 ? whole : Math.max(1, at));
    seek.value = String(at);
    time.textContent = `${clock(at)} / ${clock(whole)}`;
  }
  setInterval(follow, 250);
  seek.addEventListener("input", () => {
    dragging = true;
    time.textContent = `${clock(Number(seek.value))} / ${clock(length())}`;
  });
  seek.addEventListener("change", () => {
    dragging = false;
    send({ action: "media", op: "seek", position: Number(seek.value) });
  });
  seek.addEventListener("blur", () => (dragging = false));

  return { act };
}
