"""Video drift: how far each Chromium screen's video is from where the state says it is.

    python bench/media_drift.py [--screens 3] [--samples 40]

`python app.py` serves the demo deck; a python-socketio presenter plays the demo video (E06,
24 s) from 0 and then seeks twice; each screen is a headless Chromium page. Every 0.25 s
each page reports its video's `currentTime` and the wall-clock time of the reading, which
is compared with the state's `media.position + (time - media.at)` (server and pages share
the machine's clock). Prints p50 / p95 / p99 / max of |drift| in ms, after the first second
of each play (the time a screen needs to start). Goal: < 100 ms.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _live import CHROMIUM, FLAGS, Presenter, open_screens, shizheng, summary  # noqa: E402

READ = """() => {
  const v = document.querySelector('#stage video');
  return v ? [v.currentTime, (performance.timeOrigin + performance.now()) / 1000, v.paused] : null;
}"""


def main() -> None:
    from playwright.sync_api import sync_playwright

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--screens", type=int, default=3)
    parser.add_argument("--samples", type=int, default=40)
    args = parser.parse_args()
    drifts: list[float] = []
    with shizheng() as url, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        pages = open_screens(browser, url, args.screens)
        presenter = Presenter(url)

        def command(**body) -> dict:
            return presenter.client.call("command", body, namespace="/live")

        command(action="blank", mode=None)
        command(action="goto", item="E06")
        for page in pages:
            page.wait_for_function("() => document.querySelector('#stage video')?.readyState >= 1")
        for position in (0.0, 8.0, 15.0):
            op = "play" if position == 0 else "seek"
            answer = command(action="media", op=op, position=position)
            assert answer["ok"], answer
            at = time.time()  # the server stamps `media.at` on receipt; within a ms of this
            settled = at + 1.0
            for _ in range(args.samples // 3):
                time.sleep(0.25)  # the sampling period of the measurement
                if time.time() < settled:
                    continue
                for page in pages:
                    reading = page.evaluate(READ)
                    if reading and not reading[2]:
                        current, clock, _ = reading
                        drifts.append(abs(current - (position + clock - at)) * 1000)
        presenter.close()
        browser.close()
    figures = summary(drifts)
    print(f"{args.screens} Chromium screens, {len(drifts)} readings while playing")
    print("|drift| from the state, ms: " + ", ".join(f"{k} {v:.1f}" for k, v in figures.items()))


if __name__ == "__main__":
    main()
