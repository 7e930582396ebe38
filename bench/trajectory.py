"""A trajectory of 100,000 points on the demo's street map, drawn on a Chromium screen: the
time from a step's state to its figure drawn, and the figure's size.

    python bench/trajectory.py [--points 100000] [--steps 6] [--shot screen.png]

Writes a deck of one trajectory item (a random walk through the demo's fictional city, a
position every 10 s, an event every 5,000 points, on decks/demo/files/city-map.png) and
serves it with `python app.py`. A python-socketio presenter steps through `until` times; a
headless Chromium screen (1920x1080) marks the figure of a state drawn (views/chart.js sets
the chart's `data-drawn` to the state's seq once Plotly has drawn it). Time from sending the
step to that mark, in ms: the first showing (the map composed on the server) and the others
(the map from the cache, the figure built anew for each `until`), split into fetching the
figure (built on the server and sent) and drawing it (views/chart.js: Plotly.react; a
trajectory is drawn without the transition other charts ease in with). "figure" is the
JSON a screen downloads (its map picture included). Goal: drawn in < 1 s, figure <= 2 MB.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import shutil
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(ROOT))

from _live import CHROMIUM, FLAGS, SCREEN_KEY, Presenter, shizheng  # noqa: E402

from tests.test_trajectory_map import deck_with  # noqa: E402 - the tests' trajectory deck

CST = dt.timezone(dt.timedelta(hours=8))
START = dt.datetime(2026, 3, 1, tzinfo=CST)
CITY_MAP = """\
west = 114.19
south = 30.52
east = 114.39
north = 30.61
attribution = "示意底图，虚构城市"
"""
"""The demo's fictional city map's corners (decks/demo.source/make/city-map.toml)."""


def walk(points: int) -> str:
    """A CSV of a random walk around the demo's city centre, kept inside its map."""
    rng = np.random.default_rng(2026)
    steps = rng.normal(0, 0.00015, size=(points, 2))
    lat, lon, rows = 30.555, 114.29, ["time,lat,lon,label,place"]
    for i, (a, b) in enumerate(steps):
        lat = min(30.60, max(30.53, lat + a))
        lon = min(114.37, max(114.21, lon + b))
        moment = (START + dt.timedelta(seconds=10 * i)).isoformat()
        event = f"admin_w 登录 第{i // 5000 + 1}次" if i % 5000 == 0 else ""
        rows.append(f"{moment},{lat:.6f},{lon:.6f},{event},")
    return "\n".join(rows) + "\n"


def write_deck(root: Path, points: int, steps: int) -> list[dt.datetime]:
    """The tests' trajectory deck (tests/test_trajectory_map.py) with a walk of `points`
    points on the demo's city map, and `steps` steps through it by `until`."""
    (root / "files").mkdir(parents=True)
    shutil.copy(ROOT / "decks" / "demo" / "files" / "city-map.png", root / "files")
    end = START + dt.timedelta(seconds=10 * points)
    times = [START + (end - START) * (k + 1) / steps for k in range(steps)]
    text = "".join(f'\n[[step]]\nlabel = "第{k + 1}段"\nuntil = {t.isoformat()}\n'
                   for k, t in enumerate(times))  # fmt: skip
    deck_with(root, "files/city-map.png", CITY_MAP, track=walk(points), steps=text)
    return times


WATCH = """() => {
  // when the chart's figure of a state is drawn, in the page's clock
  window.__drawn = {};
  const box = document.querySelector('[data-role=chart]');
  new MutationObserver(() => { window.__drawn[box.dataset.drawn] = performance.now(); })
    .observe(box, {attributes: true, attributeFilter: ['data-drawn']});
}"""
SPLIT = """(seq) => {
  // the last figure fetched before the state was drawn: from asking to the whole answer,
  // and from the answer to the figure drawn
  const drawn = window.__drawn[String(seq)];
  const asked = performance.getEntriesByType('resource')
    .filter((e) => e.name.includes('/figure') && e.responseEnd <= drawn).pop();
  return [asked.responseEnd - asked.startTime, drawn - asked.responseEnd];
}"""


def drawn(page, presenter: Presenter, command: dict) -> dict[str, float]:
    """Send `command`; the ms until the screen has drawn the figure of its state, and the
    part of it spent fetching the figure (built on the server, sent) and drawing it."""
    start = time.monotonic()
    answer = presenter.client.call("command", command, namespace="/live", timeout=60)
    if not answer.get("ok"):
        raise RuntimeError(f"refused: {answer}")
    seq = answer["seq"]
    page.wait_for_function(
        f"() => document.querySelector('[data-role=chart]')?.dataset.drawn === '{seq}'",
        polling="raf",
        timeout=60_000,
    )
    total = (time.monotonic() - start) * 1000
    fetch, draw = page.evaluate(SPLIT, seq)
    return {"total": total, "fetch": fetch, "draw": draw}


def figure_size(page) -> int:
    """The bytes of the figure the screen downloads for the state it shows."""
    return page.evaluate(
        """async () => {
          const url = document.querySelector('[data-role=chart]').dataset.url;
          const answer = await fetch(url, {credentials: 'same-origin'});
          return (await answer.arrayBuffer()).byteLength;
        }"""
    )


def main() -> None:
    from playwright.sync_api import sync_playwright

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--points", type=int, default=100_000)
    parser.add_argument("--steps", type=int, default=6)
    parser.add_argument("--shot", type=Path, help="a PNG of the screen at the last step")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        deck = Path(folder) / "bench-track"
        write_deck(deck, args.points, args.steps)
        with shizheng(deck) as url, sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
            page = browser.new_context(viewport={"width": 1920, "height": 1080}).new_page()
            start = time.monotonic()
            page.goto(f"{url}screen?key={SCREEN_KEY}&name=bench")
            page.wait_for_function(
                "() => document.querySelector('[data-role=chart]')?.dataset.drawn",
                polling="raf",
                timeout=120_000,
            )
            first = (time.monotonic() - start) * 1000
            page.evaluate(WATCH)
            presenter = Presenter(url)
            presenter.client.call(
                "command", {"action": "blank", "mode": None}, namespace="/live", timeout=60
            )  # the screen starts blank: the chart is measured in sight
            steps, sizes = [], [figure_size(page)]
            for step in range(1, args.steps + 1):
                steps.append(drawn(page, presenter, {"action": "step", "step": step}))
                sizes.append(figure_size(page))
            if args.shot:
                page.screenshot(path=str(args.shot))
            again = drawn(page, presenter, {"action": "step", "step": 1})
            presenter.close()
            browser.close()
    print(json.dumps({
        "points": args.points,
        "first showing ms (page loaded, map composed)": round(first),
        "steps ms (state to figure drawn)": [round(t["total"]) for t in steps],
        "of which fetching the figure ms": [round(t["fetch"]) for t in steps],
        "of which drawing it ms": [round(t["draw"]) for t in steps],
        "worst step ms": round(max(t["total"] for t in steps)),
        "a step shown again ms": round(again["total"]),
        "figure MB": [round(s / 1e6, 2) for s in sizes],
        "largest figure MB": round(max(sizes) / 1e6, 2),
    }, indent=1, ensure_ascii=False))  # fmt: skip


if __name__ == "__main__":
    main()
