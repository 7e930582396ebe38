// The clocks, kept by the server (a reload or a language switch never resets them): the whole
// presentation since its first exhibit reached the screens, the time the exhibit on screen
// has been shown, and an optional countdown that turns red when the time is over. The page
// is told when a clock starts or stops (`timers`) and counts in server time by itself.
import { $, toast } from "./dom.js";

export function clock(seconds, hours = true) {
  // 01:02:03, or 02:03 without hours; a negative time (over) as −02:03
  const sign = seconds < 0 ? "−" : "";
  const s = Math.floor(Math.abs(seconds));
  const two = (n) => String(n).padStart(2, "0");
  const h = Math.floor(s / 3600);
  const ms = `${two(Math.floor(s / 60) % 60)}:${two(s % 60)}`;
  return sign + (hours || h ? `${two(h)}:${ms}` : ms);
}

export function readings(timers, item, now) {
  // what the clocks say at server time `now`, from the server's `timers` message
  if (!timers) return null;
  const total = timers.started === null ? 0 : now - timers.started;
  const running = timers.on === item && timers.since !== null ? now - timers.since : 0;
  const exhibit = (timers.spent[item] || 0) + running;
  const countdown = timers.countdown;
  const left = countdown ? countdown.seconds - (now - countdown.from) : null;
  return { total: Math.max(0, total), exhibit: Math.max(0, exhibit), left };
}

export function start({ store, live, ui, data }) {
  const words = data.console;
  const total = $("timer");
  const exhibit = $("timer-exhibit");
  const left = $("timer-left");
  const input = $("countdown");

  function draw() {
    const s = store.get();
    const now = Date.now() / 1000 + (s.offset || 0);
    const read = readings(s.timers, s.state?.item, now);
    if (!read) return;
    total.textContent = clock(read.total);
    exhibit.textContent = clock(read.exhibit, false);
    left.hidden = read.left === null;
    if (read.left !== null) {
      left.textContent = clock(Math.ceil(read.left), false);
      left.classList.toggle("over", read.left < 0);
    }
  }
  store.subscribe((s) => [s.timers, s.state?.item ?? null, s.offset], draw);
  store.subscribe(
    (s) => s.timers?.countdown ?? null,
    (countdown) => {
      // the field shows the countdown as set (on any page of this presentation)
      if (document.activeElement !== input) input.value = countdown ? String(Math.round(countdown.seconds / 60)) : "";
    },
  );
  setInterval(draw, 250);

  async function ask(message) {
    // the clocks' own event: not a command of the presentation, never recorded
    if (!live.socket.connected) return toast(ui.offline);
    let answer;
    try {
      answer = await live.socket.timeout(5000).emitWithAck("timer", message);
    } catch {
      answer = { ok: false, error: "timeout" };
    }
    if (!answer.ok) toast(store.get().deck.reasons[answer.error] || answer.error);
  }

  total.addEventListener("click", async () => {
    if (window.confirm(words.reset_confirm)) await ask({ reset: true });
  });
  input.addEventListener("change", () => {
    const minutes = input.value.trim() === "" ? null : Number(input.value);
    if (minutes !== null && !(minutes >= 1 && minutes <= 1440)) {
      input.reportValidity(); // the browser says what it takes
      return;
    }
    ask({ countdown: minutes === null ? null : Math.round(minutes * 60) });
  });
}
