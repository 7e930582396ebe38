// The timer: time since the page opened; a click starts it again.
import { $ } from "./dom.js";

export function start() {
  const timer = $("timer");
  let started = Date.now();
  timer.addEventListener("click", () => (started = Date.now()));
  setInterval(() => {
    const s = Math.floor((Date.now() - started) / 1000);
    const two = (n) => String(n).padStart(2, "0");
    timer.textContent = `${two(Math.floor(s / 3600))}:${two(Math.floor(s / 60) % 60)}:${two(s % 60)}`;
  }, 1000);
}
