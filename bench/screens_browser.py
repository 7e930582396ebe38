"""Browser screens: from a command to its state applied AND painted on 5 Chromium screens.

    python bench/screens_browser.py [--screens 5] [--commands 100] [--rate 4]

A python-socketio presenter drives `python app.py` serving the demo deck; each screen is a
headless Chromium page (Debian's chromium via Playwright) on the screen link. A page notes
the time it set `data-seq` on <html>, after the next animation frame has been painted
(requestAnimationFrame, then a task). Times are wall-clock milliseconds on one machine.
Prints p50 / p99 over every (command, screen) pair, and the worst screen per command.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _live import CHROMIUM, FLAGS, Presenter, open_screens, shizheng, summary  # noqa: E402

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


def main() -> None:
    from playwright.sync_api import sync_playwright

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--screens", type=int, default=5)
    parser.add_argument("--commands", type=int, default=100)
    parser.add_argument("--rate", type=float, default=4.0)
    args = parser.parse_args()
    with shizheng() as url, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        pages = open_screens(browser, url, args.screens)
        for page in pages:
            page.evaluate(WATCH)
        presenter = Presenter(url)
        presenter.client.call("command", {"action": "blank", "mode": None}, namespace="/live")
        presenter.client.call("command", {"action": "goto", "item": "E04"}, namespace="/live")
        for page in pages:
            page.wait_for_function("() => document.getElementById('stage').dataset.item === 'E04'")
        sent: dict[int, float] = {}
        start = time.monotonic()
        for i, command in enumerate(commands(args.commands)):
            delay = start + i / args.rate - time.monotonic()
            if delay > 0:
                time.sleep(delay)  # pacing the load generator
            t = time.time() * 1000
            answer = presenter.client.call("command", command, namespace="/live")
            sent[answer["seq"]] = t
        final = max(sent)
        for page in pages:
            page.wait_for_function(f"() => window.__painted.some(p => p[0] === {final})")
        painted = [dict(page.evaluate("window.__painted")) for page in pages]
        presenter.close()
        browser.close()
    pairs = [p[seq] - t for seq, t in sent.items() for p in painted if seq in p]
    worst = [max(p[seq] for p in painted if seq in p) - t for seq, t in sent.items()]
    every = summary(pairs)
    last = summary(worst)
    print(f"{args.screens} Chromium screens, {len(sent)} commands at {args.rate:g}/s")
    print("command -> applied and painted, ms (every screen): " + _line(every))
    print("command -> the last screen painted, ms:            " + _line(last))


def _line(figures: dict[str, float]) -> str:
    return ", ".join(f"{k} {v:.1f}" for k, v in figures.items())


if __name__ == "__main__":
    main()
