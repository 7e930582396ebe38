// A court screen's sound: browsers refuse to play sound until someone has clicked in the
// window, and again after every reload. A screen that may need sound (it is the `sound`
// screen, or was one earlier in this browser session) finds out whether it may, asks for
// one click when it may not ("点击此处启用声音"), and tells the server, so the presenter
// sees which screen is blocked. Until the click its media play muted, in step, so the
// picture never waits for the sound. The public gallery never plays sound.

const REMEMBERED = "shizheng.sound"; // sessionStorage: this window has been a sound screen

function silence() {
  // a tenth of a second of silent WAV, to ask the browser's autoplay policy directly
  const rate = 8000;
  const samples = rate / 10;
  const view = new DataView(new ArrayBuffer(44 + samples * 2));
  const text = (at, word) => [...word].forEach((c, i) => view.setUint8(at + i, c.charCodeAt(0)));
  text(0, "RIFF");
  view.setUint32(4, 36 + samples * 2, true);
  text(8, "WAVE");
  text(12, "fmt ");
  view.setUint32(16, 16, true);
  view.setUint16(20, 1, true); // PCM
  view.setUint16(22, 1, true); // mono
  view.setUint32(24, rate, true);
  view.setUint32(28, rate * 2, true);
  view.setUint16(32, 2, true);
  view.setUint16(34, 16, true);
  text(36, "data");
  view.setUint32(40, samples * 2, true);
  return new Blob([view.buffer], { type: "audio/wav" });
}

async function mayPlaySound() {
  // whether this page may start playback with sound now: true, false, or null (unknown)
  if (navigator.userActivation?.hasBeenActive) return true;
  const url = URL.createObjectURL(silence());
  const probe = new Audio(url);
  try {
    await probe.play();
    probe.pause();
    return true;
  } catch (error) {
    return error.name === "NotAllowedError" ? false : null;
  } finally {
    probe.removeAttribute("src"); // stop loading it before the blob goes
    probe.load();
    URL.revokeObjectURL(url);
  }
}

export class SoundGate {
  constructor(button, { isPublic = false, onUnlock = () => {} } = {}) {
    this.button = button;
    this.isPublic = isPublic;
    this.onUnlock = onUnlock;
    this.allowed = null; // may this page play sound: true, false, or null (not known yet)
    this.needed = false; // is (or may become) the screen whose speakers play
    this.reported = false;
    this.socket = null;
    this.ready = isPublic ? Promise.resolve() : mayPlaySound().then((allowed) => this.learn(allowed));
    button.addEventListener("click", () => this.unlock());
  }

  attach(socket) {
    // the server keeps what a screen reported per connection: say it again on reconnecting
    this.socket = socket;
    socket.on("connect", () => this.reported && socket.emit("media_blocked", true));
  }

  follow(state, name) {
    // on every state: is this screen the one whose speakers play?
    if (this.isPublic) return;
    const chosen = !!state.sound && state.sound === name;
    if (chosen) sessionStorage.setItem(REMEMBERED, "1");
    this.needed = chosen || sessionStorage.getItem(REMEMBERED) === "1";
    this.show();
  }

  lets() {
    // may media here play unmuted now (unknown counts as yes: a refusal will say no)
    return !this.isPublic && this.allowed !== false;
  }

  refused() {
    // a play() with sound was refused (NotAllowedError): play muted, ask for the click
    this.learn(false);
  }

  learn(allowed) {
    if (this.allowed !== true) this.allowed = allowed;
    this.show();
  }

  unlock() {
    // the click is the user activation the browser wanted: sound from now on, at the
    // state's position (the stage applies the last state again, unmuted)
    this.allowed = true;
    this.show();
    this.onUnlock();
  }

  show() {
    const blocked = this.needed && this.allowed === false;
    this.button.hidden = !blocked;
    if (blocked === this.reported) return;
    this.reported = blocked;
    if (this.socket?.connected) this.socket.emit("media_blocked", blocked);
  }
}
