// Video and audio: play, pause and seek for every screen at once (P, J, L), and which
// screen plays the sound (one place, so a courtroom hears no echo).
import { $ } from "./dom.js";
import { current } from "./store.js";

const isMedia = (exhibit) => !!exhibit && (exhibit.view === "video" || exhibit.view === "audio");

export function start({ store, send, stage }) {
  const sound = $("sound");

  store.subscribe(
    (s) => (s.state ? isMedia(current(s)) : null),
    (media) => media !== null && ($("media-controls").hidden = !media),
  );

  // the screens that may play the sound: court screens, by name
  store.subscribe(
    (s) => (s.screens ? [...new Set(s.screens.filter((c) => c.role === "screen").map((c) => c.name))] : null),
    (names) => {
      if (!names) return;
      sound.replaceChildren(sound.options[0], ...names.map((n) => new Option(n, n)));
      sound.value = store.get().state?.sound || "";
    },
  );
  store.subscribe(
    (s) => (s.state ? s.state.sound || "" : null),
    (chosen) => chosen !== null && (sound.value = chosen),
  );
  sound.addEventListener("change", () => send({ action: "sound", screen: sound.value || null }));

  function act(what) {
    const s = store.get();
    if (!s.state || !isMedia(current(s))) return;
    const m = s.state.media;
    const now = m.position + (m.playing ? stage.now() - m.at : 0);
    if (what === "toggle") send({ action: "media", op: m.playing ? "pause" : "play", position: now });
    else send({ action: "media", op: "seek", position: Math.max(0, now + (what === "back" ? -5 : 5)) });
  }
  $("media-controls").addEventListener("click", (event) => {
    const button = event.target.closest("button[data-media]");
    if (button) act(button.dataset.media);
  });

  return { act };
}
