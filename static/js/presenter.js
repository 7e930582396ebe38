// The presenter view: drive the presentation, see what the screens see, and what they don't.
// This file only boots: the socket and the miniature stage feed one store, and each concern
// (presenter/*.js) redraws its part of the page when its slice of the store changes.
import { boot, connect } from "./live.js";
import { commander } from "./presenter/commands.js";
import { $ } from "./presenter/dom.js";
import { createStore } from "./presenter/store.js";
import * as attachment from "./presenter/attachment.js";
import * as blank from "./presenter/blank.js";
import * as callout from "./presenter/callout.js";
import * as chart from "./presenter/chart.js";
import * as compare from "./presenter/compare.js";
import * as control from "./presenter/control.js";
import * as demonstrative from "./presenter/demonstrative.js";
import * as draw from "./presenter/draw.js";
import * as exhibits from "./presenter/exhibits.js";
import * as files from "./presenter/files.js";
import * as keyboard from "./presenter/keyboard.js";
import * as laser from "./presenter/laser.js";
import * as matrix from "./presenter/matrix.js";
import * as media from "./presenter/media.js";
import * as notes from "./presenter/notes.js";
import * as pages from "./presenter/pages.js";
import * as preview from "./presenter/preview.js";
import * as record from "./presenter/record.js";
import * as redact from "./presenter/redact.js";
import * as table from "./presenter/table.js";
import * as timer from "./presenter/timer.js";
import * as verify from "./presenter/verify.js";
import { Stage } from "./stage.js";

const data = boot();
// the server says whose page this is: the expert's key (or ?role=expert) makes it the expert's
const role = data.role === "expert" ? "expert" : "presenter";

const store = createStore({
  deck: { exhibits: [], reasons: {} }, // deck.json: the exhibits as the presenter sees them
  decks: 0, // how many times the server said the deck changed (and it was fetched again)
  state: null, // the live state, as last received
  applied: null, // the state the miniature shows, once drawn
  figure: null, // the miniature's chart as drawn with it (chart.figureOn)
  link: null, // online, offline or refused
  screens: null, // the clients connected
  pairings: null, // screens asking to pair, and those approved
  problems: null, // what is wrong with the deck on disk
  held: null, // an exhibit taken off the screens by a reload, waiting for the presenter
  progress: null, // a running verification's progress
  timers: null, // the clocks, as the server keeps them (timer.js)
  offset: 0, // the server's clock minus ours, in seconds
  proposals: null, // numbers detected in pictures and pages, proposed for redaction (redact.js)
  record: null, // the record's entry count and head (record.js)
});

const stageEl = $("stage");
const stage = new Stage(stageEl, {
  lang: data.lang,
  logo: document.querySelector("header.bar h1").textContent,
  words: data.verify,
  onApplied: (applied) => {
    stageEl.setAttribute("data-seq", String(applied.seq));
    store.set({ applied, figure: chart.figureOn() });
  },
});

async function fetchDeck() {
  const query = new URLSearchParams();
  if (data.lang === "en") query.set("lang", "en");
  if (role === "expert") query.set("role", "expert"); // the presenter's notes are not sent
  const response = await fetch(`/present/deck.json${query.size ? `?${query}` : ""}`, { cache: "no-store" });
  return response.json();
}

const live = connect({
  role,
  name: role,
  handlers: {
    state: (state) => {
      stage.apply(state);
      store.set({ state });
    },
    clock: (offset) => {
      stage.offset = offset;
      store.set({ offset });
    },
    deck: async (message) => {
      stage.deckChanged(message.version);
      next.deckChanged(message.version);
      const deck = await fetchDeck();
      store.set({ deck, decks: store.get().decks + 1, ...proposalsOf(deck) });
      const { state } = store.get();
      if (state) stage.apply(state);
    },
    connection: (online) => store.set({ link: online ? "online" : "offline" }),
    refused: () => store.set({ link: "refused" }),
    screens: (screens) => store.set({ screens }),
    pairings: (pairings) => store.set({ pairings }),
    pairing: (change) => store.set({ pairings: control.pairingChanged(store.get().pairings, change) }),
    held: (held) => store.set({ held }),
    deck_problems: (problems) => store.set({ problems }),
    verify_progress: (progress) => store.set({ progress }),
    timers: (timers) => store.set({ timers }),
    record: (head) => store.set({ record: head }),
  },
});

// the server tells the presenters when detection proposes more (deck.json has them too)
live.socket.on("proposals", (proposals) => Array.isArray(proposals) && store.set({ proposals }));

function proposalsOf(deck) {
  return Array.isArray(deck.proposals) ? { proposals: deck.proposals } : {};
}

const context = { store, send: commander(live, store, data.ui), stage, ui: data.ui, role, data };
const moves = exhibits.start(context);
const next = preview.start(context);
const challenges = notes.start(context);
const blanks = blank.start(context);
const sound = media.start(context);
const overlay = matrix.start(context);
const check = verify.start(context);
table.start(context);
chart.start(context);
callout.start(context);
attachment.start(context);
control.start(context);
timer.start({ ...context, live });
const pointer = laser.start(context);
const picker = files.start(context);
const pen = draw.start(context);
const pair = compare.start(context);
const save = demonstrative.start(context);
redact.start(context);
record.start(context);
keyboard.start({
  ...moves,
  turn: pages.start(context).turn,
  file: picker.go,
  blank: blanks.toggle,
  challenges: challenges.toggle,
  matrix: overlay.toggle,
  verify: check.verify,
  media: sound.act,
  laser: pointer.hold,
  draw: pen.cycle,
  colour: pen.colour,
  undo: pen.undo,
  clear: pen.clear,
  enter: pen.enter,
  escape: pen.escape,
  compare: pair.toggle,
  swap: pair.swap,
  save: save.save,
});

fetchDeck().then((deck) => store.set({ deck, ...proposalsOf(deck) }));
