"""Sync latency: from the presenter sending a command to the LAST screen receiving its state.

    python bench/sync_latency.py [--screens 5 20 100] [--commands 200] [--rate 10]

For each N, N socket screens in worker processes follow a presenter that sends recorded
commands (panel changes: saved to state.json and appended to the record, both fsynced) at a
fixed rate, first through Shizheng serving the demo deck, then through a bare python-socketio
relay that only rebroadcasts (bench/relay.py), measured in the same run. Prints p50 / p95 /
p99 / max in milliseconds and the ratio of the p99s.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _live import Presenter, Screens, latencies, panel_commands, relay, shizheng, summary  # noqa: E402


def measure(server, screens: int, commands: int, rate: float) -> dict[str, float]:
    with server() as url:
        followers = Screens(url, screens)
        presenter = Presenter(url)
        try:
            sent = presenter.drive(panel_commands(commands), rate)
        finally:
            presenter.close()
        results = followers.finish()
    for result in results:
        if result["anomalies"]:
            raise RuntimeError(result["anomalies"][:3])
    return summary(latencies(sent, results))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--screens", type=int, nargs="+", default=[5, 20, 100])
    parser.add_argument("--commands", type=int, default=200)
    parser.add_argument("--rate", type=float, default=10.0, help="commands per second")
    args = parser.parse_args()
    print(f"{args.commands} commands at {args.rate:g}/s; ms from send to the last screen")
    print(f"{'screens':>7}  {'server':<9} {'p50':>7} {'p95':>7} {'p99':>7} {'max':>7}  p99 ratio")
    for n in args.screens:
        ours = measure(shizheng, n, args.commands, args.rate)
        bare = measure(relay, n, args.commands, args.rate)
        for name, figures in (("shizheng", ours), ("relay", bare)):
            cells = " ".join(f"{figures[k]:7.1f}" for k in ("p50", "p95", "p99", "max"))
            ratio = f"  {ours['p99'] / bare['p99']:.2f}x" if name == "shizheng" else ""
            print(f"{n:>7}  {name:<9} {cells}{ratio}", flush=True)


if __name__ == "__main__":
    main()
