"""Soak: 50 socket screens, 20 commands a second for 60 seconds.

    python bench/soak.py [--screens 50] [--rate 20] [--seconds 60]

Passes when every screen ends on the presenter's final state, no screen ever sees seq go
backwards and none is disconnected. Prints the figures and PASS or FAIL (exit 1).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _live import Presenter, Screens, latencies, shizheng, summary  # noqa: E402


def commands(count: int) -> list[dict]:
    """A presenter's mix: steps, panels, pointer moves, blanks, exhibits."""
    mix = []
    for i in range(count):
        kind = i % 10
        if kind < 4:
            mix.append(
                {"action": "goto", "item": f"E{(i // 10) % 13 + 1:02d}"}
                if kind == 0
                else {"action": "panel", "panel": ["source", "facts", "content"][kind - 1]}
            )
        elif kind < 8:
            mix.append({"action": "pointer", "x": (i % 97) / 97, "y": (i % 89) / 89})
        elif kind == 8:
            mix.append({"action": "blank", "mode": "black"})
        else:
            mix.append({"action": "blank", "mode": None})
    return mix


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--screens", type=int, default=50)
    parser.add_argument("--rate", type=float, default=20.0)
    parser.add_argument("--seconds", type=float, default=60.0)
    args = parser.parse_args()
    count = int(args.rate * args.seconds)
    with shizheng() as url:
        followers = Screens(url, args.screens)
        presenter = Presenter(url)
        try:
            sent = presenter.drive(commands(count), args.rate)
        finally:
            presenter.close()
        results = followers.finish()
    final = max(sent)
    anomalies = [a for r in results for a in r["anomalies"]]
    finals = [f for r in results for f in r["finals"]]
    behind = sum(1 for f in finals if f != final)
    figures = summary(latencies(sent, results))
    print(f"{args.screens} screens, {count} commands at {args.rate:g}/s over {args.seconds:g} s")
    print(f"final seq {final}; screens not on it: {behind}; anomalies: {len(anomalies)}")
    print(
        "latency to the last screen, ms: " + ", ".join(f"{k} {v:.1f}" for k, v in figures.items())
    )
    ok = behind == 0 and not anomalies
    print("PASS" if ok else "FAIL: " + "; ".join(anomalies[:5]))
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
