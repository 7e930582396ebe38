// The socket side of LIVE-PROTOCOL v1: connect, follow `state` in seq order, send commands.
// A command is only sent while connected: nothing is buffered and replayed after a reconnect.

export function boot() {
  return JSON.parse(document.getElementById("boot").textContent);
}

const REFUSALS = new Set(["unknown_key", "role_not_allowed"]);
// what the server answers a connection it will not take (live/sockets.py on_connect)

export function connect({ role, name, handlers }) {
  // eslint-disable-next-line no-undef
  const socket = io("/live", {
    transports: ["websocket"],
    auth: { role, name },
    reconnectionDelayMax: 2000,
  });
  let lastSeq = -1;
  let fresh = true; // the first state after (re)connecting is the snapshot: always taken

  socket.on("connect", async () => {
    handlers.connection?.(true);
    // the server's clock against ours, from the fastest of a few round trips
    let best = null;
    for (let i = 0; i < 5; i++) {
      const sent = Date.now() / 1000;
      try {
        const server = await socket.timeout(2000).emitWithAck("clock");
        const back = Date.now() / 1000;
        if (!best || back - sent < best.rtt) best = { rtt: back - sent, offset: server - (sent + back) / 2 };
      } catch {
        break;
      }
    }
    if (best) handlers.clock?.(best.offset);
  });
  socket.on("disconnect", () => {
    fresh = true;
    handlers.connection?.(false);
  });
  socket.on("connect_error", (error) => {
    // the server said no to the key; anything else (the server is down or restarting) is a
    // lost connection that socket.io keeps trying to restore
    if (REFUSALS.has(error.message)) handlers.refused?.(error.message);
    else handlers.connection?.(false);
  });
  socket.on("state", (state) => {
    if (!fresh && state.seq <= lastSeq) return;
    fresh = false;
    lastSeq = state.seq;
    handlers.state?.(state);
  });
  standby(socket);
  for (const event of ["deck", "screens", "pairings", "pairing", "held", "deck_problems", "verify_progress", "timers", "record", "checkpoint"]) {
    socket.on(event, (data) => handlers[event]?.(data));
  }

  async function command(message) {
    if (!socket.connected) return { ok: false, error: "offline" };
    try {
      return await socket.timeout(5000).emitWithAck("command", message);
    } catch {
      return { ok: false, error: "timeout" };
    }
  }

  return { socket, command, rename: (value) => socket.connected && socket.emit("name", value) };
}

const FAILOVER_AFTER = 250; // ms without its server before a page looks for another
const PROBE_TIMEOUT = 800; // ms a server has to answer that it is there

// Several processes carrying one presentation (LIVE-PROTOCOL, Additions: `peers`): when this
// page's server stops answering, the page moves to the first other one that answers, with
// the ticket its server gave it, and takes the snapshot there.
function standby(socket) {
  let peers = [];
  let ticket = null;
  let timer = null;
  socket.on("peers", (data) => {
    peers = (data.peers || []).filter((peer) => peer !== location.origin);
    ticket = data.ticket;
  });
  async function look() {
    timer = null;
    if (socket.connected || !ticket) return;
    for (const peer of peers) {
      try {
        await fetch(`${peer}/alive`, { mode: "no-cors", cache: "no-store", signal: AbortSignal.timeout(PROBE_TIMEOUT) });
      } catch {
        continue;
      }
      if (socket.connected) return;
      const next = location.pathname + location.search;
      location.replace(`${peer}/land?ticket=${encodeURIComponent(ticket)}&next=${encodeURIComponent(next)}`);
      return;
    }
    timer = setTimeout(look, FAILOVER_AFTER);
  }
  const lost = () => {
    if (!timer && peers.length) timer = setTimeout(look, FAILOVER_AFTER);
  };
  socket.on("disconnect", lost);
  socket.on("connect_error", lost);
  socket.on("connect", () => {
    clearTimeout(timer);
    timer = null;
  });
}
