"""Browser screens: from a command to its state applied AND painted on 5 Chromium screens.

    python bench/screens_browser.py [--screens 5] [--commands 100] [--rate 4]
                                    [--only steps|annotate] [--followers 0]

A python-socketio presenter drives `python app.py` serving the demo deck; each screen is a
headless Chromium page (Debian's chromium via Playwright) on the screen link. A page notes
the time it set `data-seq` on <html>, after the next animation frame has been painted
(requestAnimationFrame, then a task). Times are wall-clock milliseconds on one machine.
Prints p50 / p99 over every (command, screen) pair, and the worst screen per command, for
two loads: steps and panels of a chat, then annotations drawn on a picture (a screen sets
`data-seq` once the shapes are drawn).

In a courtroom each screen is a computer of its own; here every Chromium shares the two
cores with the server and the others. `--followers K` adds K screens that only receive
(python-socketio clients in a worker process): with `--screens 1 --followers 4` the server
sends to five screens as in court, and one browser, not five, competes with it for the CPU.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _live import (  # noqa: E402
    CHROMIUM,
    FLAGS,
    Presenter,
    Screens,
    open_screens,
    shizheng,
    summary,
)

WATCH = """() => {
  window.__painted = [];
  new MutationObserver(() => {
    const seq = Number(document.documentElement.dataset.seq);
    requestAnimationFrame(() => setTimeout(() =>
      window.__painted.push([seq, performance.timeOrigin + performance.now()]), 0));
  }).observe(document.documentElement, { attributes: true, attributeFilter: ["data-seq"] });
}"""


def commands(count: int) -> list[dict]:
    """Steps of the chat (applied in the page) and panel changes (fetched), in turn."""
    out: list[dict] = []
    panels = ["source", "facts", "corroboration", "content"]
    for i in range(count):
        if i % 5 == 4:
            out.append({"action": "panel", "panel": panels[(i // 5) % 4]})
        else:
            out.append({"action": "step", "step": i % 5})
    return out


SHAPES = [
    {"kind": "rect", "points": [[0.2, 0.3], [0.6, 0.7]], "color": "#e02020"},
    {
        "kind": "pen",
        "points": [[0.1 + i * 0.01, 0.5 + 0.05 * (i % 3)] for i in range(60)],
        "color": "#1f9d3a",
    },
    {"kind": "arrow", "points": [[0.9, 0.9], [0.62, 0.72]], "color": "#e02020"},
    {"kind": "highlight", "points": [[0.1, 0.8], [0.5, 0.8], [0.7, 0.82]], "color": "#ffd400"},
    {"kind": "ellipse", "points": [[0.05, 0.05], [0.3, 0.2]], "color": "#1565c0"},
    {"kind": "text", "points": [[0.62, 0.3]], "color": "#e02020", "text": "转账记录 见此处"},
]


def annotations(count: int) -> list[dict]:
    """Shapes drawn on the picture one after another; every 25th takes them all away."""
    out: list[dict] = []
    for i in range(count):
        if i % 25 == 24:
            out.append({"action": "annotate", "op": "clear"})
        else:
            shape = {"text": "", **SHAPES[i % len(SHAPES)]}
            out.append({"action": "annotate", "op": "add", "shape": shape})
    return out


def measure(pages, presenter, item: str, load: list[dict], rate: float) -> dict[int, list[float]]:
    """Send `load` on `item` at `rate` a second; per command, each screen's ms to painted."""
    for page in pages:
        page.evaluate("window.__painted = []")
    presenter.client.call("command", {"action": "goto", "item": item}, namespace="/live")
    presenter.client.call("command", {"action": "annotate", "op": "clear"}, namespace="/live")
    for page in pages:
        page.wait_for_function(f"() => document.getElementById('stage').dataset.item === '{item}'")
    sent: dict[int, float] = {}
    start = time.monotonic()
    for i, command in enumerate(load):
        delay = start + i / rate - time.monotonic()
        if delay > 0:
            time.sleep(delay)  # pacing the load generator
        t = time.time() * 1000
        answer = presenter.client.call("command", command, namespace="/live")
        if not answer.get("ok"):
            raise RuntimeError(f"refused: {command} {answer}")
        sent[answer["seq"]] = t
    final = max(sent)
    for page in pages:
        page.wait_for_function(f"() => window.__painted.some(p => p[0] === {final})")
    painted = [dict(page.evaluate("window.__painted")) for page in pages]
    return {seq: [p[seq] - t for p in painted if seq in p] for seq, t in sent.items()}


def report(
    title: str, times: dict[int, list[float]], screens: int, rate: float, followers: int = 0
) -> None:
    pairs = [ms for per in times.values() for ms in per]
    worst = [max(per) for per in times.values() if per]
    more = f" (and {followers} receiving only)" if followers else ""
    print(f"{title}: {screens} Chromium screens{more}, {len(times)} commands at {rate:g}/s")
    print("  command -> applied and painted, ms (every screen): " + _line(summary(pairs)))
    print("  command -> the last screen painted, ms:            " + _line(summary(worst)))


def main() -> None:
    from playwright.sync_api import sync_playwright

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--screens", type=int, default=5)
    parser.add_argument("--commands", type=int, default=100)
    parser.add_argument("--rate", type=float, default=4.0)
    parser.add_argument("--only", choices=["steps", "annotate"], default=None)
    parser.add_argument("--followers", type=int, default=0)
    args = parser.parse_args()
    with shizheng() as url, sync_playwright() as playwright:
        followers = Screens(url, args.followers) if args.followers else None
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        pages = open_screens(browser, url, args.screens)
        for page in pages:
            page.evaluate(WATCH)
        presenter = Presenter(url)
        presenter.client.call("command", {"action": "blank", "mode": None}, namespace="/live")
        if args.only != "annotate":
            times = measure(pages, presenter, "E04", commands(args.commands), args.rate)
            report("chat steps and panels", times, args.screens, args.rate, args.followers)
        if args.only != "steps":
            times = measure(pages, presenter, "E02", annotations(args.commands), args.rate)
            report("annotate a picture", times, args.screens, args.rate, args.followers)
        presenter.close()
        browser.close()
        if followers is not None:
            followers.finish()


def _line(figures: dict[str, float]) -> str:
    return ", ".join(f"{k} {v:.1f}" for k, v in figures.items())


if __name__ == "__main__":
    main()
