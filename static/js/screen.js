// A court screen: follows the presenter; never commands.
import { boot, connect } from "./live.js";
import { Stage } from "./stage.js";
import { SoundGate } from "./sound.js";
import * as checkpoints from "./checkpoints.js";

const data = boot();
const html = document.documentElement;
const params = new URLSearchParams(location.search);

function screenName() {
  if (data.public) return "public"; // the public gallery's credential names it; it is masked
  const asked = params.get("name");
  if (asked) localStorage.setItem("shizheng.screen-name", asked);
  return asked || localStorage.getItem("shizheng.screen-name") || "";
}

const stage = new Stage(document.getElementById("stage"), {
  lang: data.lang,
  logo: data.title,
  words: data.verify,
  name: screenName() || "screen",
  isPublic: !!data.public, // its pictures come masked by the server, asked again as that changes
  onApplied: (state) => html.setAttribute("data-seq", String(state.seq)),
});

// sound: asked for with a click when the browser blocks it (never on the public gallery)
const sound = new SoundGate(document.getElementById("sound-unlock"), {
  isPublic: !!data.public,
  onUnlock: () => stage.last && stage.apply(stage.last),
});
stage.sound = sound;

const live = connect({
  role: "screen",
  name: screenName(),
  handlers: {
    state: (state) => {
      sound.follow(state, stage.name);
      stage.apply(state);
    },
    deck: (message) => stage.deckChanged(message.version),
    checkpoint: (point) => checkpoints.keep(point),
    clock: (offset) => (stage.offset = offset),
    connection: (online) => {
      document.getElementById("connection").hidden = online;
    },
    refused: () => {
      document.getElementById("connection").hidden = false;
    },
  },
});

sound.attach(live.socket);
checkpoints.attach(document.getElementById("save-checkpoints"), () => stage.name);

const form = document.getElementById("screen-name");
function ask() {
  form.hidden = false;
}
function named(value) {
  const name = value.trim();
  if (!name) return;
  localStorage.setItem("shizheng.screen-name", name);
  form.hidden = true;
  live.rename(name);
  stage.name = name;
}
form.addEventListener("click", (event) => {
  if (event.target.matches("button[value]")) named(event.target.value);
});
form.addEventListener("submit", (event) => {
  event.preventDefault();
  named(form.elements.name.value);
});
if (!screenName()) ask();
