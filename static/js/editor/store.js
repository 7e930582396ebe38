// The editor's state and its one writer: every edit goes to the server with the version of
// the file it was made on; what the file was before is kept, to undo.
import { call, word } from "./api.js";

const listeners = new Set();
export const state = { deck: null, problems: [], open: "deck.toml", undo: [], status: "", ours: new Set() };

export function subscribe(listener) {
  listeners.add(listener);
}

function tell(what, detail) {
  for (const listener of listeners) listener(what, detail);
}

export function setStatus(text) {
  state.status = text;
  tell("status");
}

export function open(name) {
  state.open = name;
  tell("open");
}

export function file(name) {
  if (name === "deck.toml") return state.deck?.deck;
  return state.deck?.items.find((i) => i.name === name);
}

// `structural`: the edit changed what the form has (an entry added, a view changed), so
// the form is drawn again; an edit of one value leaves the form as the person left it.
export async function load(structural = true) {
  const answer = await call("GET", `/${encodeURIComponent(deckId())}`);
  if (!answer.ok) {
    setStatus(answer.data.message);
    return;
  }
  state.deck = answer.data;
  if (state.open !== "matrix" && !file(state.open)) state.open = "deck.toml";
  tell("deck", structural);
  check();
}

let checking = 0;
export async function check() {
  const mine = ++checking;
  document.body.dataset.checked = "";
  tell("checking");
  const answer = await call("GET", `/${encodeURIComponent(deckId())}/check`);
  if (mine !== checking || !answer.ok) return;
  state.problems = answer.data;
  document.body.dataset.checked = state.deck?.deck.version ?? "";
  tell("problems");
}

export function deckId() {
  return document.getElementById("page-data") && JSON.parse(document.getElementById("page-data").textContent).deck;
}

let conflictHandler = null;
export function onConflict(handler) {
  conflictHandler = handler;
}

// Writes go one after the other: each is made on the version the one before left.
let queue = Promise.resolve();
let pending = 0;
function serial(task) {
  document.body.dataset.pending = String(++pending);
  const run = queue.then(task, task).finally(() => {
    document.body.dataset.pending = String(--pending);
  });
  queue = run.catch(() => {});
  return run;
}

// Edits to one file; on success the file's text before is kept for undo.
// `redraw`: the edit was made elsewhere than in the form's own field (by pointing).
export function commit(name, edits, label, redraw = false) {
  return serial(() => write(name, edits, label, redraw));
}

async function write(name, edits, label, redraw = false) {
  const target = file(name);
  if (!target) return false;
  setStatus(word("saving"));
  const answer = await call("POST", `/${encodeURIComponent(deckId())}/edit`, {
    file: name,
    base: target.version,
    edits,
  });
  const structural = redraw || edits.some((e) => !["set", "body", "notes"].includes(e.op) || ["view", "chart"].includes(e.path?.[0]));
  return settle(answer, name, label, () => write(name, edits, label, redraw), structural);
}

async function settle(answer, name, label, retry, structural) {
  if (answer.ok) {
    state.undo.push({ file: name, before: answer.data.before, version: answer.data.version, label });
    state.ours.add(answer.data.version);
    setStatus(word("saved"));
    await load(structural);
    return true;
  }
  if (answer.status === 409 && conflictHandler) {
    const choice = await conflictHandler(answer.data);
    if (choice === "mine") {
      // the same edit, made on the file as it is now
      const target = file(name);
      if (target) target.version = answer.data.current.version;
      return retry();
    }
    await load();
    return false;
  }
  setStatus(answer.data.message);
  tell("refused");
  return false;
}

// The deck read again (the window came back: a file may have changed on disk), after any
// write still on its way, so an older reading never replaces a newer one.
export function refresh() {
  return serial(() => load(true));
}

export function undo() {
  return serial(undoLast);
}

async function undoLast() {
  const last = state.undo.pop();
  if (!last) {
    setStatus(word("nothing_to_undo"));
    return;
  }
  const answer = await call("POST", `/${encodeURIComponent(deckId())}/replace`, {
    file: last.file,
    base: last.version,
    text: last.before,
  });
  if (answer.ok) {
    setStatus(word("undone", { what: last.label ?? last.file }));
    await load();
    return;
  }
  if (answer.status === 409 && conflictHandler) {
    const choice = await conflictHandler(answer.data);
    if (choice === "mine") {
      const forced = await call("POST", `/${encodeURIComponent(deckId())}/replace`, {
        file: last.file,
        base: answer.data.current.version,
        text: last.before,
      });
      if (forced.ok) setStatus(word("undone", { what: last.label ?? last.file }));
    }
    await load();
    return;
  }
  state.undo.push(last);
  setStatus(answer.data.message);
}

export { tell };
