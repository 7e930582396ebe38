"""Standby in the browser: kill -9 of the process a presenter and five screens use.

    python bench/standby_browser.py [--runs 3] [--screens 5] [--item E07]

One redis-server and two `python app.py DECK --redis URL --peer OTHER` processes on loopback,
each with its own copy of the demo deck. A presenter page and five screen pages (headless
Chromium, each a context of its own) are opened on one process; the presenter shows an
exhibit, a panel and a mark. That process is killed with SIGKILL. Measured from the kill:

- moved: every page is on the other process (its URL) and each screen has applied the
  state it showed before (`data-seq` on <html>, the same exhibit and marks);
- next command: the presenter's → key pressed on the standby's presenter page, and every
  screen has applied the new state.

The killed process is started again (same port and instance), and the next run kills the
other one: the pages go back and forth. Each process has read the deck's pictures for
numbers before it is measured, as a laptop standing by in court has long done. Times are
wall-clock seconds on one machine, with every Chromium page, both processes and Redis
sharing its cores (in court each screen is a computer of its own). Goal: under 3 s.
`--item E07` shows that exhibit instead of the deck's first (a chart): a page loads plotly.js
only to draw a chart. Per run it also prints when the last page left for the standby and when
the last one was on its page there.
"""

from __future__ import annotations

import argparse
import http.cookiejar
import json
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.redis_servers import free_port, redis_server  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
KEYS = {
    "--presenter-key": "presenter-key-for-bench-0001",
    "--screen-key": "screen-key-for-bench-000002",
    "--public-key": "public-gallery-key-for-bench-3",
}


def start(root: Path, name: str, redis: str, port: int, other: int) -> subprocess.Popen:
    deck = root / name / "demo"
    if not deck.exists():
        shutil.copytree(ROOT / "decks" / "demo", deck)
    keys = [part for pair in KEYS.items() for part in pair]
    process = subprocess.Popen(
        [
            sys.executable, str(ROOT / "app.py"), str(deck), "--port", str(port),
            "--redis", redis, "--peer", f"http://127.0.0.1:{other}",
            "--instance", str(root / f"instance-{name}"), *keys,
        ],
        stdout=subprocess.DEVNULL,
        stderr=open(root / f"{name}.log", "a"),  # noqa: SIM115 - closed with the process
        cwd=ROOT,
    )  # fmt: skip
    deadline = time.monotonic() + 60
    while True:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/alive", timeout=1)
            break
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"{name} did not start: see {root / name}.log") from None
            time.sleep(0.1)
    read(f"http://127.0.0.1:{port}/")
    return process


def read(url: str) -> None:
    """Until the process has read the deck's pictures for numbers, as a laptop standing by
    in court has long done (bench/_live.py wait_read): not measured with the failover."""
    opener = urllib.request.build_opener(
        urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
    )
    opener.open(f"{url}present?key={KEYS['--presenter-key']}", timeout=30).close()
    deadline = time.monotonic() + 600
    while time.monotonic() < deadline:
        with opener.open(f"{url}present/redactions.json", timeout=10) as answer:
            if json.load(answer)["ready"]:
                return
        time.sleep(0.5)
    raise RuntimeError("the deck's pictures were not read in 10 minutes")


SEQ = "Number(document.querySelector('[data-seq]')?.dataset.seq ?? -1)"
"""The state a page has applied: on <html> for a screen, on the miniature for a presenter."""


def seq_of(page) -> int:
    """The page's applied state, once it is on a page that has one (a page still moving to the
    standby is read again when it has landed)."""
    from playwright.sync_api import Error

    for _ in range(50):
        try:
            return int(page.evaluate(f"() => {SEQ}"))
        except Error as error:
            if "context was destroyed" not in str(error):
                raise
            page.wait_for_load_state()
    raise RuntimeError("the page kept navigating")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--screens", type=int, default=5)
    parser.add_argument(
        "--item", default="", help="the exhibit shown (as E07); default: the first, a chart"
    )
    args = parser.parse_args()

    from playwright.sync_api import sync_playwright

    root = Path(tempfile.mkdtemp(prefix="standby-"))
    processes: dict[str, subprocess.Popen] = {}
    results: list[tuple[float, float]] = []
    try:
        with redis_server(root / "redis") as redis, sync_playwright() as playwright:
            ports = {"a": free_port(), "b": free_port()}
            for name, other in (("a", "b"), ("b", "a")):
                processes[name] = start(root, name, redis.url, ports[name], ports[other])
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
            base = f"http://127.0.0.1:{ports['a']}"
            presenter = browser.new_context(viewport={"width": 1366, "height": 768}).new_page()
            presenter.goto(f"{base}/present?key={KEYS['--presenter-key']}")
            screens = []
            for _ in range(args.screens):
                page = browser.new_context(viewport={"width": 1920, "height": 1080}).new_page()
                page.goto(f"{base}/screen?key={KEYS['--screen-key']}")
                screens.append(page)
            presenter.wait_for_function(f"() => {SEQ} >= 0")
            presenter.keyboard.press("b")  # the screens off their opening logo
            if args.item:  # its number, then Enter, as a technician does
                presenter.keyboard.type(str(int(args.item[1:])))
                presenter.keyboard.press("Enter")
            else:
                presenter.keyboard.press("ArrowRight")
            landed: dict[str, list[float]] = {"land": [], "page": []}

            def watch(page) -> None:
                def navigated(frame) -> None:
                    if frame == page.main_frame:
                        step = "land" if "/land" in frame.url else "page"
                        landed[step].append(time.monotonic())

                page.on("framenavigated", navigated)

            for page in [presenter, *screens]:
                watch(page)
            on = "a"
            for run in range(args.runs):
                presenter.keyboard.press("ArrowRight")
                before = seq_of(presenter)
                for page in screens:
                    page.wait_for_function(f"() => {SEQ} >= {before}")
                before = max(seq_of(page) for page in [presenter, *screens])
                standby = "b" if on == "a" else "a"
                target = f"http://127.0.0.1:{ports[standby]}"
                landed["land"].clear()
                landed["page"].clear()
                killed = time.monotonic()
                os.kill(processes[on].pid, signal.SIGKILL)
                processes[on].wait()
                for page in [presenter, *screens]:
                    page.wait_for_url(f"{target}/**", timeout=30000)
                for page in screens:
                    page.wait_for_function(
                        f"() => {SEQ} >= {before}",
                        timeout=30000,
                    )
                moved = time.monotonic() - killed
                left = max(landed["land"]) - killed  # the last page to leave for the standby
                arrived = max(landed["page"]) - killed  # the last page on its own page there
                presenter.wait_for_function(
                    f"() => {SEQ} >= {before}",
                    timeout=30000,
                )
                presenter.keyboard.press("ArrowRight")
                for page in screens:
                    page.wait_for_function(
                        f"() => {SEQ} > {before}",
                        timeout=30000,
                    )
                commanded = time.monotonic() - killed
                results.append((moved, commanded))
                print(
                    f"run {run + 1}: every page left {left:.2f} s, on the standby's page"
                    f" {arrived:.2f} s, as it was {moved:.2f} s, next command on screens"
                    f" {commanded:.2f} s",
                    flush=True,
                )
                processes[on] = start(root, on, redis.url, ports[on], ports[standby])
                on = standby
            browser.close()
    finally:
        for process in processes.values():
            if process.poll() is None:
                process.terminate()
                process.wait(timeout=30)
        shutil.rmtree(root, ignore_errors=True)
    moved = [m for m, _ in results]
    commanded = [c for _, c in results]
    print(
        f"\nkill -9 → presenter and {args.screens} screens on the standby, as they were:"
        f" median {statistics.median(moved):.2f} s, max {max(moved):.2f} s"
    )
    print(
        f"kill -9 → next command applied on every screen:"
        f" median {statistics.median(commanded):.2f} s, max {max(commanded):.2f} s"
        f"  ({os.cpu_count()} cores)"
    )


if __name__ == "__main__":
    main()
