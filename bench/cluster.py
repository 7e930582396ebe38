"""Cluster: one presentation carried by several processes through one Redis (`--redis`).

    python bench/cluster.py [--processes 4] [--screens 1000] [--commands 100]
                            [--failovers 3] [--remote-screens 50] [--delay 50] [--keep DIR]

Measured in one run, every process on this one machine (they share its cores):

1. relay: a bare python-socketio server (threading mode, simple-websocket under Werkzeug,
   RedisManager on the same Redis), one process per app process; a command numbers the
   state with Redis INCR and emits it to every client of every process (the app's own state
   message, with the pointer where the command put it: the same bytes). The baseline.
2. cluster: `app.py DECK --redis URL` in as many processes, the screens spread evenly over
   them. A presenter on the first process sends pointer commands one at a time, each once
   the previous one reached every screen; per command, the time from sending it to the LAST
   screen receiving its state. p50 / p95 / p99 / max, and the p99 ratio cluster / relay.
3. remote: one more app process whose link to Redis goes through a TCP proxy that delays
   each direction by --delay ms; the presenter on the first (local) process, the screens on
   the remote one.
4. failover: a presenter and 5 screens on one process, kill -9 of that process; each client
   moves to the next process of the `peers` list the server gave it (at once: a browser page
   waits FAILOVER_AFTER = 1 s before it looks) and takes the snapshot there. Times from the
   kill to all six back with the seq they had, and to the presenter's `next` acknowledged.
   The killed process is started again (same instance folder) before the next run.

Screens run in worker processes, one per server process, each an asyncio loop of minimal
Socket.IO clients over WebSocket (wsproto, which simple-websocket brings): python-socketio's
AsyncClient needs aiohttp, not installed, and 250 sync clients a process (two threads each)
load the machine more than the servers do. The presenter and the failover clients are
python-socketio sync clients. Times are `time.monotonic()`: one clock for every process.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import multiprocessing
import os
import queue
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from _live import PRESENTER_KEY, ROOT, SCREEN_KEY, free_port, summary, wait_listening, wait_read  # noqa: E402

PUBLIC_KEY = "Qx7-tN2bWk9_fRzD4mHc8vLpY3sJ"  # fixed, random: a third key, unused here
NAMESPACE = "/live"
RELAY_CHANNEL = "bench-relay"


# --- servers ---------------------------------------------------------------------------------


class Server:
    """One server process (app.py or the relay), in a process group of its own, its stderr
    kept in a file."""

    def __init__(self, name: str, command: list[str], port: int, logs: Path) -> None:
        self.name, self.command, self.port = name, command, port
        self.url = f"http://127.0.0.1:{port}"
        self.log = logs / f"{name}.err"
        self.process: subprocess.Popen | None = None
        self.start()

    def start(self) -> None:
        with open(self.log, "ab") as err:
            self.process = subprocess.Popen(
                self.command,
                cwd=ROOT,
                stdout=subprocess.DEVNULL,
                stderr=err,
                start_new_session=True,
            )

    def kill(self) -> None:
        """kill -9 of the server itself (as a crash), then of what it left in its group."""
        assert self.process is not None
        self.process.send_signal(signal.SIGKILL)
        self.process.wait()
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)

    def stop(self) -> None:
        if self.process is None:
            return
        if self.process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                pass
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait()


def app_server(
    root: Path, name: str, port: int, redis_url: str, peers: list[int], clients: int = 128
) -> Server:
    """`app.py` on its own copy of the demo deck and its own instance folder, taking
    `clients` connections at once."""
    deck = root / name / "demo"  # the deck's id is the folder's name: the same for all
    if not deck.exists():
        shutil.copytree(ROOT / "decks" / "demo", deck)
    instance = root / name / "instance"
    instance.mkdir(exist_ok=True)
    command = [
        sys.executable, "app.py", str(deck), "--port", str(port), "--redis", redis_url,
        "--instance", str(instance), "--presenter-key", PRESENTER_KEY,
        "--screen-key", SCREEN_KEY, "--public-key", PUBLIC_KEY,
        "--max-clients", str(max(128, clients)),
    ]  # fmt: skip
    for peer in peers:
        command += ["--peer", f"http://127.0.0.1:{peer}"]
    return Server(name, command, port, root / "logs")


def wait_app(server: Server, timeout: float = 120) -> None:
    """Until /alive answers 204, then until the deck's pictures are read (bench/_live.py)."""
    deadline = time.monotonic() + timeout
    while True:
        if server.process.poll() is not None:
            raise RuntimeError(f"{server.name} exited: see {server.log}")
        try:
            with urllib.request.urlopen(f"{server.url}/alive", timeout=2) as answer:
                if answer.status == 204:
                    break
        except OSError:
            pass
        if time.monotonic() > deadline:
            raise RuntimeError(f"{server.name} did not answer /alive")
        time.sleep(0.1)
    wait_read(server.url + "/", server.process)


def shown_state() -> dict:
    """The app's `state` message with the demo's first exhibit on the screens: what the relay
    sends, so that both carry messages of the same size."""
    from presenter.deck import load_deck
    from presenter.live.machine import Presentation

    presentation = Presentation(load_deck(ROOT / "decks" / "demo").deck)
    presentation.command({"action": "blank", "mode": None}, "presenter")
    return presentation.command({"action": "next"}, "presenter").state.to_json()


def relay_main(port: int, redis_url: str) -> None:
    """The relay server (run as `cluster.py --serve-relay PORT URL`)."""
    import redis
    import socketio
    from werkzeug.serving import run_simple

    store = redis.Redis.from_url(redis_url)
    server = socketio.Server(
        client_manager=socketio.RedisManager(redis_url, channel=RELAY_CHANNEL),
        async_mode="threading",
        ping_interval=2,  # as the app with --redis (live/sockets.py STANDBY_PING)
        ping_timeout=2,
    )

    @server.on("connect", namespace=NAMESPACE)
    def connect(sid, environ, auth):
        seq = int(store.get("bench-relay:seq") or 0)
        server.emit("state", {"seq": seq}, to=sid, namespace=NAMESPACE)

    sample = shown_state()

    @server.on("command", namespace=NAMESPACE)
    def command(sid, data):
        seq = store.incr("bench-relay:seq")
        pointer = {"x": data.get("x"), "y": data.get("y")}
        server.emit("state", {**sample, "pointer": pointer, "seq": seq}, namespace=NAMESPACE)
        return {"ok": True, "seq": seq}

    run_simple("127.0.0.1", port, socketio.WSGIApp(server), threaded=True)


# --- the delaying proxy --------------------------------------------------------------------


async def _pipe(reader, writer, delay: float) -> None:
    """Forward chunks as they come, each `delay` seconds after it came, in order."""
    queue: asyncio.Queue = asyncio.Queue()

    async def read() -> None:
        while data := await reader.read(65536):
            queue.put_nowait((time.monotonic() + delay, data))
        queue.put_nowait((time.monotonic() + delay, b""))

    reading = asyncio.ensure_future(read())
    try:
        while True:
            due, data = await queue.get()
            wait = due - time.monotonic()
            if wait > 0:
                await asyncio.sleep(wait)
            if not data:
                break
            writer.write(data)
            await writer.drain()
    except (ConnectionError, OSError):
        pass
    finally:
        reading.cancel()
        writer.close()


def proxy_main(port: int, target: int, delay: float, ready) -> None:
    """Worker: a TCP proxy on `port` to `target`, `delay` seconds each way."""

    async def handle(reader, writer) -> None:
        try:
            up_reader, up_writer = await asyncio.open_connection("127.0.0.1", target)
        except OSError:
            writer.close()
            return
        await asyncio.gather(
            _pipe(reader, up_writer, delay), _pipe(up_reader, writer, delay)
        )  # fmt: skip

    async def main() -> None:
        listening = await asyncio.start_server(handle, "127.0.0.1", port)
        ready.set()
        async with listening:
            await listening.serve_forever()

    asyncio.run(main())


# --- screens in worker processes -----------------------------------------------------------


async def _screen(url: str, source: str, auth: dict, seen, problem, stop: asyncio.Event) -> None:
    """One screen: Engine.IO 4 / Socket.IO 5 over a WebSocket (wsproto on asyncio streams),
    namespace /live. Calls seen(state) on each `state`, problem(text) if the server drops
    it. Only what a screen needs: pong the server's pings, read events. `source`: the
    loopback address it connects from (the app lets 64 WebSockets in from one address)."""
    import json
    from urllib.parse import urlsplit

    from wsproto import ConnectionType, WSConnection
    from wsproto.events import CloseConnection, Ping, RejectConnection, Request, TextMessage

    where = urlsplit(url)
    reader, writer = await asyncio.open_connection(
        where.hostname, where.port, local_addr=(source, 0)
    )
    ws = WSConnection(ConnectionType.CLIENT)
    target = "/socket.io/?EIO=4&transport=websocket"
    writer.write(ws.send(Request(host=where.netloc, target=target)))
    prefix = NAMESPACE + ","
    joined = asyncio.get_running_loop().create_future()
    text = ""

    def send(message: str) -> None:
        writer.write(ws.send(TextMessage(data=message)))

    def packet(message: str) -> None:
        if message == "2":  # the server's ping
            send("3")
        elif message.startswith("0"):  # Engine.IO open: join the namespace
            send("40" + prefix + json.dumps(auth))
        elif message.startswith("40" + prefix) and not joined.done():
            joined.set_result(True)
        elif message.startswith("44" + prefix) and not joined.done():
            joined.set_exception(RuntimeError(f"refused: {message}"))
        elif message.startswith("42" + prefix):
            event = json.loads(message[len(prefix) + 2 :])
            if event[0] == "state":
                seen(event[1])

    async def read() -> None:
        nonlocal text
        while data := await reader.read(65536):
            ws.receive_data(data)
            for event in ws.events():
                if isinstance(event, TextMessage):
                    text += event.data
                    if event.message_finished:
                        packet(text)
                        text = ""
                elif isinstance(event, Ping):
                    writer.write(ws.send(event.response()))
                elif isinstance(event, CloseConnection | RejectConnection):
                    return
        ws.receive_data(None)

    reading = asyncio.ensure_future(read())
    try:
        await asyncio.wait([reading, joined], timeout=600, return_when="FIRST_COMPLETED")
        if not joined.done():
            why = "closed by the server" if reading.done() else "no answer in 600 s"
            raise RuntimeError(f"not joined: {why}")
        joined.result()
        seen(None)  # joined
        stopping = asyncio.ensure_future(stop.wait())
        await asyncio.wait([reading, stopping], return_when="FIRST_COMPLETED")
        if not stop.is_set():
            problem("a screen was disconnected")
            await stop.wait()
        stopping.cancel()
    finally:
        reading.cancel()
        with contextlib.suppress(Exception):
            writer.write(ws.send(CloseConnection(code=1000)))
            writer.close()


def screens_main(worker: int, url: str, count: int, progress, stop) -> None:
    """Worker: `count` screens on `url`, on one asyncio loop. Puts ("seq", worker, seq, last
    arrival) once every screen has a seq, ("problem", worker, text) on a disconnect,
    ("ready", worker, count) once all have joined, ("error", worker, text)."""
    last = [-1] * count
    arrivals: dict[int, list] = {}  # seq: [screens that have it, latest arrival]
    joined = [0]

    def seen(i: int, state: dict | None) -> None:
        now = time.monotonic()
        if state is None:
            joined[0] += 1
            return
        seq = state.get("seq")
        if not isinstance(seq, int) or seq <= last[i]:
            return
        last[i] = seq
        entry = arrivals.setdefault(seq, [0, 0.0])
        entry[0] += 1
        entry[1] = max(entry[1], now)
        if entry[0] == count:
            del arrivals[seq]
            progress.put(("seq", worker, seq, entry[1]))

    def problem(text: str) -> None:
        progress.put(("problem", worker, text))

    async def main() -> None:
        finish = asyncio.Event()
        tasks = []
        for i in range(count):
            auth = {"key": SCREEN_KEY, "role": "screen", "name": f"w{worker}-{i}"}
            source = f"127.0.{worker + 1}.{i // 50 + 1}"  # 50 screens an address
            tasks.append(
                asyncio.ensure_future(
                    _screen(url, source, auth, lambda s, i=i: seen(i, s), problem, finish)
                )
            )
            await asyncio.sleep(0.01)  # one at a time, as screens come in
        while joined[0] < count:
            failed = [t for t in tasks if t.done() and t.exception()]
            if failed:
                progress.put(("error", worker, repr(failed[0].exception())))
                break
            await asyncio.sleep(0.05)
        else:
            progress.put(("ready", worker, count))
        stopping = asyncio.get_running_loop().run_in_executor(None, stop.wait)
        await stopping
        finish.set()
        await asyncio.gather(*tasks, return_exceptions=True)

    asyncio.run(main())


class Screens:
    """Screens spread evenly over `urls`, one worker process per url."""

    def __init__(self, urls: list[str], total: int) -> None:
        context = multiprocessing.get_context("spawn")
        self.progress = context.Queue()
        self.stop = context.Event()
        self.count = total
        sizes = [total // len(urls) + (1 if i < total % len(urls) else 0) for i in range(len(urls))]
        self.workers = [
            context.Process(
                target=screens_main, args=(w, url, size, self.progress, self.stop), daemon=True
            )
            for w, (url, size) in enumerate(zip(urls, sizes, strict=True))
            if size
        ]
        self.seen: dict[int, list[float]] = {}
        self.problems: list[str] = []
        started = time.monotonic()
        for worker in self.workers:
            worker.start()
        ready = 0
        deadline = time.monotonic() + 900
        while ready < len(self.workers):
            message = self._next(deadline)
            if message[0] == "error":
                raise RuntimeError(f"worker {message[1]}: {message[2]}")
            if message[0] == "problem":
                self.problems.append(message[2])
            ready += message[0] == "ready"  # the snapshot's seq ("seq") is not waited for
        self.joining = time.monotonic() - started
        """Seconds from starting the workers to every screen in (connections paced)."""

    def _next(self, deadline: float) -> tuple:
        """The workers' next message; raises if one died or none came by `deadline`."""
        while True:
            with contextlib.suppress(queue.Empty):
                return self.progress.get(timeout=0.5)
            for worker in self.workers:
                if worker.exitcode is not None:
                    raise RuntimeError(f"a screen worker ended: exit code {worker.exitcode}")
            if time.monotonic() > deadline:
                raise RuntimeError("the screen workers did not answer in time")

    def last_arrival(self, seq: int, timeout: float = 60) -> float:
        """The time the last screen of every worker received `seq`."""
        deadline = time.monotonic() + timeout
        while len(self.seen.get(seq, ())) < len(self.workers):
            message = self._next(deadline)
            if message[0] == "seq":
                self.seen.setdefault(message[2], []).append(message[3])
            elif message[0] == "problem":
                self.problems.append(message[2])
        return max(self.seen.pop(seq))

    def close(self) -> None:
        self.stop.set()
        for worker in self.workers:
            worker.join(timeout=60)
            if worker.is_alive():
                worker.kill()
                worker.join()


def presenter(url: str):
    import socketio

    client = socketio.Client(reconnection=False)
    client.connect(
        url,
        namespaces=[NAMESPACE],
        auth={"key": PRESENTER_KEY, "role": "presenter", "name": "bench"},
        transports=["websocket"],
        wait_timeout=30,
    )
    return client


def command(client, message: dict) -> int:
    answer = client.call("command", message, namespace=NAMESPACE, timeout=30)
    if not answer or not answer.get("ok"):
        raise RuntimeError(f"{message} refused: {answer}")
    return answer["seq"]


def pointer(i: int) -> dict:
    return {"action": "pointer", "x": round(0.05 + (i % 19) * 0.05, 2), "y": 0.5}


def drive(client, screens: Screens, commands: int) -> list[float]:
    """Commands one at a time, each once the last one reached every screen: ms to the last."""
    screens.last_arrival(command(client, pointer(commands)))  # warm-up, not counted
    times = []
    for i in range(commands):
        sent = time.monotonic()
        seq = command(client, pointer(i))
        times.append((screens.last_arrival(seq) - sent) * 1000)
    if screens.problems:
        raise RuntimeError(f"screens: {screens.problems[:3]} ({len(screens.problems)} in all)")
    return times


# --- failover --------------------------------------------------------------------------------


class Follower:
    """A client that, when its server goes, tries the peers that server named, in order."""

    def __init__(self, url: str, key: str, role: str, name: str) -> None:
        self.key, self.role, self.name = key, role, name
        self.peers: list[str] = []
        self.seq = -1
        self.states: list[tuple[float, int]] = []  # (arrival, seq) on every connection
        self.lock = threading.Lock()
        self.client = None
        if not self._connect(url):
            raise RuntimeError(f"{name}: cannot connect to {url}")

    def _connect(self, url: str) -> bool:
        import socketio

        client = socketio.Client(reconnection=False)
        client.on("state", self._state, namespace=NAMESPACE)
        client.on("peers", self._peers, namespace=NAMESPACE)
        client.on("disconnect", lambda *_: self._lost(client), namespace=NAMESPACE)
        try:
            client.connect(
                url,
                namespaces=[NAMESPACE],
                auth={"key": self.key, "role": self.role, "name": self.name},
                transports=["websocket"],
                wait_timeout=5,
            )
        except socketio.exceptions.ConnectionError:
            return False
        self.client = client
        return True

    def _state(self, state: dict) -> None:
        with self.lock:
            self.seq = state["seq"]
            self.states.append((time.monotonic(), state["seq"]))

    def _peers(self, data: dict) -> None:
        self.peers = list(data.get("peers") or [])

    def _lost(self, client) -> None:
        if client is self.client:
            threading.Thread(target=self._move, daemon=True).start()

    def _move(self) -> None:
        for peer in self.peers:
            if self._connect(peer):
                return

    def back_at(self, seq: int, since: float) -> float | None:
        """When this client, connected again, first had `seq` after `since`."""
        with self.lock:
            found = [t for t, s in self.states if t > since and s == seq]
        return found[0] if found and self.client.connected else None

    def close(self) -> None:
        if self.client is not None:
            self.client.disconnect()


def failover(servers: list[Server], victim: int) -> tuple[float, float]:
    """Kill -9 the process of a presenter and 5 screens; ms to all six back, to `next` acked."""
    url = servers[victim].url
    boss = Follower(url, PRESENTER_KEY, "presenter", "bench-presenter")
    followers = [boss] + [
        Follower(url, SCREEN_KEY, "screen", f"bench-screen-{i}") for i in range(5)
    ]  # fmt: skip
    try:
        seq = command(boss.client, pointer(victim))
        deadline = time.monotonic() + 30
        while any(f.seq != seq for f in followers):
            if time.monotonic() > deadline:
                raise RuntimeError("the screens did not get the state before the kill")
            time.sleep(0.01)
        if any(not f.peers for f in followers):
            raise RuntimeError("the server named no peers")
        killed = time.monotonic()
        servers[victim].kill()
        deadline = killed + 60
        while True:
            back = [f.back_at(seq, killed) for f in followers]
            if all(t is not None for t in back):
                break
            if time.monotonic() > deadline:
                raise RuntimeError(f"not all back after 60 s: {back}")
            time.sleep(0.002)
        command(boss.client, {"action": "next"})
        acked = time.monotonic()
        return (max(back) - killed) * 1000, (acked - killed) * 1000
    finally:
        for follower in followers:
            with contextlib.suppress(Exception):
                follower.close()


# --- the run ---------------------------------------------------------------------------------


def row(name: str, screens: Screens, figures: dict[str, float], extra: str = "") -> str:
    cells = " ".join(f"{figures[k]:7.1f}" for k in ("p50", "p95", "p99", "max"))
    return f"{name:<28} {screens.count:>7} {screens.joining:>8.1f} {cells}{extra}"


def errors_in(logs: Path) -> list[str]:
    """Lines of the servers' stderr that tell of an error, with the file they are in."""
    found = []
    for log in sorted(logs.glob("*.err")):
        for line in log.read_text(errors="replace").splitlines():
            words = ("Traceback", "Error", "ERROR", "Exception", "cannot be reached")
            if any(word in line for word in words):
                found.append(f"{log.name}: {line.strip()[:150]}")
    return found


def run(args: argparse.Namespace, root: Path) -> None:
    from tests.redis_servers import redis_server

    logs = root / "logs"
    logs.mkdir(parents=True)
    n = args.processes
    print(
        f"{n} processes on one Redis, {os.cpu_count()} cores shared by every server, screen"
        f" worker and Redis; {args.commands} pointer commands one at a time; ms from send"
        " to the LAST screen",
        flush=True,
    )
    head = f"{'':<28} {'screens':>7} {'join s':>8}"
    print(head + "".join(f" {k:>7}" for k in ("p50", "p95", "p99", "max")), flush=True)
    servers: list[Server] = []
    extra: list[subprocess.Popen | multiprocessing.Process] = []
    with redis_server(root / "redis") as store:
        try:
            # 1. the relay, alone on the machine
            relays = []
            for i in range(n):
                port = free_port()
                command_line = [sys.executable, __file__, "--serve-relay", str(port), store.url]
                relays.append(Server(f"relay-{i}", command_line, port, logs))
            servers += relays
            for relay in relays:
                wait_listening(relay.url + "/", relay.process)
            screens = Screens([r.url for r in relays], args.screens)
            try:
                client = presenter(relays[0].url)
                bare = summary(drive(client, screens, args.commands))
                client.disconnect()
            finally:
                screens.close()
            for relay in relays:
                relay.stop()
            print(row("relay (python-socketio)", screens, bare), flush=True)

            # 2. the cluster
            ports = [free_port() for _ in range(n)]
            each = -(-args.screens // n) + 32  # its share of the screens, the presenter, spare
            apps = [
                app_server(root, f"app-{i}", ports[i], store.url, ports[i + 1 :] + ports[:i], each)
                for i in range(n)
            ]
            servers += apps
            for app in apps:
                wait_app(app)
            screens = Screens([a.url for a in apps], args.screens)
            boss = presenter(apps[0].url)
            try:
                command(boss, {"action": "next"})  # an exhibit on the screens to point at
                ours = summary(drive(boss, screens, args.commands))
            finally:
                screens.close()
            ratio = f"   p99 {ours['p99'] / bare['p99']:.2f}x the relay's (goal <= 1.5x)"
            print(row("shizheng cluster", screens, ours, ratio), flush=True)

            # 3. a remote site: one more process, its Redis link delayed each way
            context = multiprocessing.get_context("spawn")
            ready = context.Event()
            proxy_port = free_port()
            proxy = context.Process(
                target=proxy_main,
                args=(proxy_port, store.port, args.delay / 1000, ready),
                daemon=True,
            )
            proxy.start()
            extra.append(proxy)
            if not ready.wait(30):
                raise RuntimeError("the proxy did not start")
            remote_url = f"redis://127.0.0.1:{proxy_port}/0"
            remote = app_server(
                root, "remote", free_port(), remote_url, [], args.remote_screens + 32
            )
            servers.append(remote)
            wait_app(remote, timeout=300)
            screens = Screens([remote.url], args.remote_screens)
            try:
                far = summary(drive(boss, screens, args.commands))
            finally:
                screens.close()
                boss.disconnect()
            remote.stop()
            name = f"remote site (+{args.delay:g} ms each way)"
            print(row(name, screens, far), flush=True)

            # 4. failover
            print("\nfailover, kill -9 of the process of a presenter and 5 screens; ms from kill")
            print(f"{'run':>3} {'all six back at their seq':>26} {'next acknowledged':>18}")
            worst = [0.0, 0.0]
            for run_number in range(args.failovers):
                victim = run_number % n
                back, acked = failover(apps, victim)
                worst = [max(worst[0], back), max(worst[1], acked)]
                print(f"{run_number + 1:>3} {back:>26.1f} {acked:>18.1f}", flush=True)
                apps[victim].start()  # the same instance folder: it resumes
                wait_app(apps[victim])
            print(f"{'max':>3} {worst[0]:>26.1f} {worst[1]:>18.1f}")
        finally:
            for server in servers:
                server.stop()
            for process in extra:
                process.kill()
                process.join()
            found = errors_in(logs)
            print(f"\nservers' stderr ({logs}): {len(found)} error lines")
            for line in found[:10]:
                print(f"  {line}")


def main() -> None:
    if sys.argv[1:2] == ["--serve-relay"]:
        relay_main(int(sys.argv[2]), sys.argv[3])
        return
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--processes", type=int, default=4)
    parser.add_argument("--screens", type=int, default=1000)
    parser.add_argument("--commands", type=int, default=100)
    parser.add_argument("--failovers", type=int, default=3)
    parser.add_argument("--remote-screens", type=int, default=50)
    parser.add_argument("--delay", type=float, default=50, help="ms added each way (remote)")
    parser.add_argument("--keep", type=Path, help="keep the decks, instances and logs here")
    args = parser.parse_args()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # stop the servers on the way out
    if args.keep:
        args.keep.mkdir(parents=True, exist_ok=True)
        run(args, Path(tempfile.mkdtemp(dir=args.keep)))
    else:
        with tempfile.TemporaryDirectory() as root:
            run(args, Path(root))


if __name__ == "__main__":
    main()
