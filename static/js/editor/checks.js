// What `check` says, beside the field it concerns, with the command's own words.
import { word } from "./api.js";
import { state, subscribe } from "./store.js";

const summary = document.getElementById("check-summary");

function placeOf(main, problem) {
  let key = problem.key;
  while (key) {
    const found = main.querySelector(`[data-key="${CSS.escape(key)}"]`);
    if (found) return found;
    const cut = Math.max(key.lastIndexOf("."), key.lastIndexOf("["));
    key = cut > 0 ? key.slice(0, cut) : "";
  }
  return main.querySelector(".findings-top");
}

export function show(main) {
  for (const old of main.querySelectorAll(".finding")) old.remove();
  const shown = state.open;
  for (const problem of state.problems) {
    if (problem.file !== shown) continue;
    const place = placeOf(main, problem);
    if (!place) continue;
    const note = document.createElement("p");
    note.className = `finding ${problem.severity}`;
    note.setAttribute("role", problem.severity === "error" ? "alert" : "note");
    note.textContent = (problem.line ? `${problem.file}:${problem.line}: ` : "") + (problem.key ? `${problem.key}: ` : "") + problem.message;
    if (place.tagName === "FIELDSET") place.querySelector("legend").after(note);
    else place.append(note);
  }
}

export function counts(name) {
  const mine = state.problems.filter((p) => p.file === name);
  return { errors: mine.filter((p) => p.severity === "error").length, warnings: mine.filter((p) => p.severity !== "error").length };
}

subscribe((what) => {
  if (what === "checking") summary.textContent = word("checking");
  if (what !== "problems") return;
  const errors = state.problems.filter((p) => p.severity === "error").length;
  const warnings = state.problems.length - errors;
  summary.textContent = errors === 0 ? `${word("check_ok")}（${word("check_summary", { errors, warnings })}）` : word("check_summary", { errors, warnings });
  summary.className = `summary ${errors ? "has-errors" : "ok"}`;
});
