// A court screen keeps every signed checkpoint of the record it is sent (Art. 49): a court
// computer then holds a copy the record's keeper cannot rewrite. The clerk saves them to a
// file (key S, or the button that shows while the mouse moves) for `verify-record
// --checkpoints`.

const KEY = "shizheng.checkpoints";
const KEPT = 10000; // about 3 MB: a week of hearings at one a minute
const FIELDS = ["format", "record", "n", "head", "time", "key", "signature"];

function kept() {
  // what this browser kept, whatever else wrote there: only well-formed checkpoints
  try {
    const list = JSON.parse(localStorage.getItem(KEY) || "[]");
    return Array.isArray(list) ? list.filter(wellFormed) : [];
  } catch {
    return [];
  }
}

function wellFormed(point) {
  return (
    point && typeof point === "object" && Number.isInteger(point.n) &&
    FIELDS.every((f) => f === "n" || (typeof point[f] === "string" && point[f].length <= 200))
  );
}

export function keep(point) {
  if (!wellFormed(point)) return;
  const list = kept();
  if (list.some((p) => p.signature === point.signature)) return; // sent again on reconnecting
  list.push(Object.fromEntries(FIELDS.map((f) => [f, point[f]])));
  const trimmed = list.slice(-KEPT);
  try {
    localStorage.setItem(KEY, JSON.stringify(trimmed));
  } catch {
    // storage full: keep the newest half
    localStorage.setItem(KEY, JSON.stringify(trimmed.slice(-Math.floor(KEPT / 2))));
  }
  update();
}

let button = null;
let hide = null;

function update() {
  if (button) button.querySelector(".count").textContent = String(kept().length);
}

export function save(name) {
  const body = JSON.stringify({ format: "shizheng-checkpoints/1", screen: name, checkpoints: kept() }, null, 1);
  const link = document.createElement("a");
  link.href = URL.createObjectURL(new Blob([body + "\n"], { type: "application/json" }));
  const day = new Date().toISOString().slice(0, 10);
  link.download = `checkpoints-${(name || "screen").replace(/[^\p{L}\p{N}_-]/gu, "_")}-${day}.json`;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(link.href), 10000);
}

export function attach(element, name) {
  button = element;
  update();
  element.addEventListener("click", () => save(name()));
  document.addEventListener("keydown", (event) => {
    if (event.key.toLowerCase() === "s" && !event.ctrlKey && !event.metaKey && !event.altKey &&
        !event.target.closest?.("input, textarea")) {
      save(name());
    }
  });
  document.addEventListener("mousemove", () => {
    element.hidden = false;
    clearTimeout(hide);
    hide = setTimeout(() => (element.hidden = true), 3000);
  });
}
