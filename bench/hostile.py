"""The presenter under attack: acknowledgement latency, other screens' service and the server's
memory while someone on the courtroom network floods it or a hostile exhibit is drawn.

Phases of about 10 s each, one server (`python app.py`) on a copy of the demo deck with one
more exhibit: a 0.6 MB PDF whose one page expands to ~300 MB of drawing.
- baseline: nothing else;
- pairing flood: 1,000 anonymous `GET /screen` in 10 s, each without the cookie of the last;
- region flood: four threads asking for ever new callouts of a document page;
- bomb: the bomb's page asked for again and again.
Meanwhile the presenter sends recorded commands (panel changes, 20 a second, each awaiting
its ack as the presenter page does) and a judge's screen fetches another exhibit's panels and
a picture's callout. Goals: ack p99 < 100 ms in every phase, server peak RSS < 1 GiB, and the
judge's fetches answered throughout.

Run: .venv/bin/python bench/hostile.py
"""

from __future__ import annotations

import hashlib
import http.cookiejar
import random
import shutil
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path

from _live import ROOT, SCREEN_KEY, Presenter, server, summary

sys.path.insert(0, str(ROOT))
from tests.test_rendering import bomb as bomb_pdf  # noqa: E402 - the tests' PDF bomb

PHASE = 10.0
"""Seconds per phase."""
RATE = 20.0
"""Presenter commands per second."""


BOMB_ITEM = """+++
id = "E14"
title = "解压炸弹（测试）"
type = "file"
view = "document"
files = ["files/bomb.pdf"]

[source]
method = "seizure"
collected_at = 2026-03-22T10:00:00+08:00
collectors = ["侦查员甲", "侦查员乙"]

[[source.hash]]
file = "files/bomb.pdf"
algorithm = "sha256"
value = "{sha256}"

[[shows]]
fact = "F1"
aspect = "means"
how = "基准测试用"
+++
"""


def hostile_deck(root: Path) -> Path:
    deck = Path(shutil.copytree(ROOT / "decks" / "demo", root / "demo"))
    data = bomb_pdf()  # 0.6 MB, whose page is 325 MB of drawing
    (deck / "files" / "bomb.pdf").write_bytes(data)
    item = BOMB_ITEM.format(sha256=hashlib.sha256(data).hexdigest())
    (deck / "items" / "e14-bomb.md").write_text(item, encoding="utf-8")
    toml = deck / "deck.toml"
    text = toml.read_text(encoding="utf-8")
    if "order = [" in text:
        text = text.replace('"E13"]', '"E13", "E14"]')
    toml.write_text(text, encoding="utf-8")
    return deck


def peak_rss(pid: int) -> int:
    """The process's peak resident memory so far, in bytes (Linux)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) * 1024
    return 0


def screen_browser(url: str) -> urllib.request.OpenerDirector:
    opener = urllib.request.build_opener(
        urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
    )
    opener.open(f"{url}screen?key={SCREEN_KEY}", timeout=30).close()
    return opener


def fetch(opener, url: str, timeout: float = 30) -> int:
    try:
        with opener.open(url, timeout=timeout) as response:
            response.read()
            return response.status
    except urllib.error.HTTPError as error:
        error.read()
        return error.code
    except OSError:
        return 0


def pairing_flood(url: str, stop: threading.Event) -> dict:
    """1,000 anonymous pairing requests in 10 s, each as a new browser (no cookie)."""
    answers: list[int] = []
    start = time.monotonic()
    for i in range(1000):
        if stop.is_set():
            break
        delay = start + i / 100 - time.monotonic()
        if delay > 0:
            time.sleep(delay)  # pacing the load generator
        answers.append(fetch(urllib.request.build_opener(), f"{url}screen", timeout=10))
    return {"requests": len(answers), "429": answers.count(429), "200": answers.count(200)}


def region_flood(url: str, stop: threading.Event) -> dict:
    """Four threads asking for new callouts of the ledger's pages until stopped."""
    counts = {"requests": 0}
    lock = threading.Lock()

    def run(seed: int) -> None:
        rng = random.Random(seed)
        opener = screen_browser(url)
        while not stop.is_set():
            w, h = rng.uniform(0.02, 0.3), rng.uniform(0.02, 0.3)
            x, y = rng.uniform(0, 1 - w), rng.uniform(0, 1 - h)
            page = rng.randint(1, 3)
            fetch(opener, f"{url}pages/E12/{page}.png?region={x:.5f},{y:.5f},{w:.5f},{h:.5f}")
            with lock:
                counts["requests"] += 1

    threads = [threading.Thread(target=run, args=(seed,)) for seed in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return counts


def bomb(url: str, stop: threading.Event) -> dict:
    opener = screen_browser(url)
    answers = []
    while not stop.is_set():
        answers.append(fetch(opener, f"{url}pages/E14/1.png", timeout=60))
    return {"requests": len(answers), "statuses": sorted(set(answers))}


def judge(url: str, stop: threading.Event, seen: list[tuple[float, int]]) -> None:
    """Another screen going about its business: panels of E04, a callout of E02."""
    opener = screen_browser(url)
    targets = [
        "screen/exhibit/E04/content", "screen/exhibit/E04/source",
        "images/E02/files/recruit-ad.png?region=0.1,0.1,0.3,0.3",
        "screen/exhibit/E08/content", "tables/E08/rows?start=0",
    ]  # fmt: skip
    i = 0
    while not stop.is_set():
        started = time.monotonic()
        status = fetch(opener, url + targets[i % len(targets)])
        seen.append(((time.monotonic() - started) * 1000, status))
        i += 1


def phase(url: str, name: str, load: Callable[[str, threading.Event], dict] | None) -> dict:
    presenter = Presenter(url)
    presenter.client.call("command", {"action": "blank", "mode": None}, namespace="/live")
    presenter.client.call("command", {"action": "goto", "item": "E04"}, namespace="/live")
    stop = threading.Event()
    loaded: dict = {}
    served: list[tuple[float, int]] = []
    workers = [threading.Thread(target=judge, args=(url, stop, served))]
    if load is not None:
        workers.append(threading.Thread(target=lambda: loaded.update(load(url, stop))))
    for worker in workers:
        worker.start()
    acks: list[float] = []
    panels = ["source", "facts", "corroboration", "content"]
    start = time.monotonic()
    i = 0
    while time.monotonic() - start < PHASE:
        delay = start + i / RATE - time.monotonic()
        if delay > 0:
            time.sleep(delay)  # pacing the presenter
        sent = time.monotonic()
        command = {"action": "panel", "panel": panels[i % 4]}
        answer = presenter.client.call("command", command, namespace="/live", timeout=30)
        acks.append((time.monotonic() - sent) * 1000)
        if not answer.get("ok"):
            raise RuntimeError(f"refused: {answer}")
        i += 1
    stop.set()
    for worker in workers:
        worker.join()
    presenter.close()
    ok = [ms for ms, status in served if status == 200]
    return {
        "phase": name,
        "acks": summary(acks),
        "judge_ok": len(ok),
        "judge_failed": len(served) - len(ok),
        "judge_p99": summary(ok)["p99"] if ok else float("nan"),
        "load": loaded,
    }


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        deck = hostile_deck(Path(folder))
        with server(deck) as (url, process):
            results = [
                phase(url, "baseline", None),
                phase(url, "pairing flood (1,000 in 10 s)", pairing_flood),
                phase(url, "region flood (4 threads)", region_flood),
                phase(url, "PDF bomb rendering", bomb),
            ]
            server_peak = peak_rss(process.pid)
    print(f"{'phase':<32} {'ack p50':>8} {'ack p99':>8} {'ack max':>8}  judge ok/failed  p99")
    for r in results:
        a = r["acks"]
        print(
            f"{r['phase']:<32} {a['p50']:>6.1f}ms {a['p99']:>6.1f}ms {a['max']:>6.1f}ms"
            f"  {r['judge_ok']:>6}/{r['judge_failed']:<6} {r['judge_p99']:>7.1f}ms  {r['load']}"
        )
    print(f"server peak RSS: {server_peak / 2**20:.0f} MiB (goal < 1024 MiB)")
    worst = max(r["acks"]["p99"] for r in results)
    print(f"worst ack p99: {worst:.1f} ms (goal < 100 ms)")


if __name__ == "__main__":
    main()
