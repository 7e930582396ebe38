"""Shared pieces of the live benchmarks: servers in child processes, screens in worker
processes, a presenter that sends commands at a fixed rate.

Times are `time.monotonic()`: CLOCK_MONOTONIC is one clock for every process of the machine,
so a send time in the presenter and a receive time in a screen process can be subtracted.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PRESENTER_KEY = "lmR4xLGoJxY-yhY9hJrVtZxgC9y-ZQbo"  # fixed, random: the key rules refuse words
SCREEN_KEY = "5WcjOWcAuG78G574gGAr-R8oAhBnwQbz"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_listening(url: str, process: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited: {process.communicate()}")
        try:
            urllib.request.urlopen(url, timeout=2).close()
            return
        except urllib.error.HTTPError:
            return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError("server did not start")


@contextlib.contextmanager
def shizheng(deck: Path = ROOT / "decks" / "demo") -> Iterator[str]:
    """`python app.py` serving the deck on a free port, in a fresh instance folder."""
    with server(deck) as (url, _):
        yield url


@contextlib.contextmanager
def server(deck: Path = ROOT / "decks" / "demo") -> Iterator[tuple[str, subprocess.Popen]]:
    """`shizheng`, and the server's process (to read its memory)."""
    port = free_port()
    with tempfile.TemporaryDirectory() as instance:
        command = [
            sys.executable, str(ROOT / "app.py"), str(deck), "--port", str(port),
            "--presenter-key", PRESENTER_KEY, "--screen-key", SCREEN_KEY,
            "--instance", instance,
        ]  # fmt: skip
        for url, process in _started(command, port):
            wait_read(url, process)
            yield url, process


def wait_read(url: str, process: subprocess.Popen, timeout: float = 600) -> None:
    """Until the server has read the deck's pictures for numbers (presenter.redaction): a
    fresh instance reads them once at start, in a child process that would otherwise share
    the machine's two cores with what is measured. A court starts the presenter before the
    hearing and the readings are kept, so the hearing itself runs without it."""
    import http.cookiejar
    import json

    opener = urllib.request.build_opener(
        urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
    )
    opener.open(f"{url}present?key={PRESENTER_KEY}", timeout=30).close()  # the key's cookie
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited: {process.communicate()}")
        with opener.open(f"{url}present/redactions.json", timeout=10) as answer:
            if json.load(answer)["ready"]:
                return
        time.sleep(0.5)  # polling a server that is busy reading
    raise RuntimeError("the server did not finish reading the deck's pictures")


@contextlib.contextmanager
def relay() -> Iterator[str]:
    """The baseline: a bare python-socketio server that only rebroadcasts (bench/relay.py)."""
    port = free_port()
    yield from _run([sys.executable, str(ROOT / "bench" / "relay.py"), str(port)], port)


def _run(command: list[str], port: int) -> Iterator[str]:
    for url, _ in _started(command, port):
        yield url


def _started(command: list[str], port: int) -> Iterator[tuple[str, subprocess.Popen]]:
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    url = f"http://127.0.0.1:{port}/"
    try:
        wait_listening(url, process)
        yield url, process
    finally:
        process.terminate()
        process.communicate(timeout=60)


def _screens_process(url: str, count: int, ready, results, stop) -> None:
    """Worker: `count` screens; reports {seq: last receive time} and any anomaly."""
    import socketio

    received: list[dict[int, float]] = [{} for _ in range(count)]
    anomalies: list[str] = []
    clients = []
    for i in range(count):
        client = socketio.Client(reconnection=False)
        last = {"seq": -1}

        def on_state(state, i=i, last=last):
            now = time.monotonic()
            seq = state["seq"]
            if seq <= last["seq"]:
                anomalies.append(f"seq went back from {last['seq']} to {seq}")
            last["seq"] = seq
            received[i][seq] = now

        def on_disconnect(*_):
            if not stop.is_set():
                anomalies.append("disconnected")

        client.on("state", on_state, namespace="/live")
        client.on("disconnect", on_disconnect, namespace="/live")
        client.connect(
            url,
            namespaces=["/live"],
            auth={"key": SCREEN_KEY, "role": "screen", "name": f"bench-{i}"},
            transports=["websocket"],
            wait_timeout=30,
        )
        clients.append(client)
    ready.put(count)
    stop.wait()
    finals = [max(r) if r else -1 for r in received]
    for client in clients:
        client.disconnect()
    results.put({"received": received, "anomalies": anomalies, "finals": finals})


class Screens:
    """`total` screens spread over worker processes (at most 25 a process)."""

    def __init__(self, url: str, total: int) -> None:
        context = multiprocessing.get_context("spawn")
        self.ready = context.Queue()
        self.results = context.Queue()
        self.stop = context.Event()
        sizes = [25] * (total // 25) + ([total % 25] if total % 25 else [])
        self.processes = [
            context.Process(
                target=_screens_process,
                args=(url, size, self.ready, self.results, self.stop),
                daemon=True,
            )
            for size in sizes
        ]
        for process in self.processes:
            process.start()
        for _ in self.processes:
            self.ready.get(timeout=120)

    def finish(self) -> list[dict]:
        self.stop.set()
        results = [self.results.get(timeout=120) for _ in self.processes]
        for process in self.processes:
            process.join(timeout=30)
        return results


class Presenter:
    """Sends commands at a fixed rate and keeps the send time of every resulting seq."""

    def __init__(self, url: str) -> None:
        import socketio

        self.client = socketio.Client(reconnection=False)
        self.client.connect(
            url,
            namespaces=["/live"],
            auth={"key": PRESENTER_KEY, "role": "presenter", "name": "bench"},
            transports=["websocket"],
            wait_timeout=30,
        )

    def drive(self, commands: list[dict], rate: float) -> dict[int, float]:
        """Send each command (awaiting its ack, as the presenter page does) on a fixed clock."""
        sent: dict[int, float] = {}
        start = time.monotonic()
        for i, command in enumerate(commands):
            delay = start + i / rate - time.monotonic()
            if delay > 0:
                time.sleep(delay)  # pacing the load generator, not synchronising a test
            t = time.monotonic()
            answer = self.client.call("command", command, namespace="/live", timeout=30)
            if not answer.get("ok"):
                raise RuntimeError(f"refused: {answer}")
            sent[answer["seq"]] = t
        return sent

    def close(self) -> None:
        self.client.disconnect()


def latencies(sent: dict[int, float], results: list[dict]) -> list[float]:
    """Per command: from sending it to the LAST screen receiving its state, in ms."""
    screens = [r for result in results for r in result["received"]]
    out = []
    for seq, t in sent.items():
        arrivals = [r.get(seq) for r in screens]
        if any(a is None for a in arrivals):
            raise RuntimeError(f"a screen never received seq {seq}")
        out.append((max(arrivals) - t) * 1000)
    return out


CHROMIUM = "/usr/bin/chromium"
FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--autoplay-policy=no-user-gesture-required",
]  # fmt: skip


def open_screens(browser, url: str, count: int) -> list:
    """`count` Chromium screen pages on the screen link, each showing its first state."""
    pages = []
    for i in range(count):
        page = browser.new_context(viewport={"width": 1600, "height": 900}).new_page()
        page.goto(f"{url}screen?key={SCREEN_KEY}&name=bench-{i}")
        page.wait_for_function("() => document.documentElement.dataset.seq !== undefined")
        pages.append(page)
    return pages


def summary(values: list[float]) -> dict[str, float]:
    ordered = sorted(values)

    def pct(p: float) -> float:
        return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]

    return {
        "p50": statistics.median(ordered),
        "p95": pct(95),
        "p99": pct(99),
        "max": ordered[-1],
    }


def panel_commands(count: int) -> list[dict]:
    """Commands that each change what the screens show and go to the record."""
    panels = ["source", "facts", "corroboration", "content"]
    return [{"action": "panel", "panel": panels[i % 4]} for i in range(count)]
