"""Each chart kind from 10,000, 100,000 and 1,000,000 rows: the time to build its figure on
the server, the time of a second showing (from the cache), and what a screen downloads.

    python bench/charts.py [--rows 10000,100000,1000000] [--kinds funds,network,...]

Writes fake CSVs into a temporary folder and builds each figure the way the app does
(`presenter.charts.build`, cached by the file's identity). "download" is the figure's JSON as
the server sends it, and gzipped (the size over a compressing link); for fund flows, also the
time to list the transactions of the largest flow (a presenter's click). Goal for fund flows
from 1,000,000 transactions: built in < 2 s, download <= 2 MB, a second showing instant.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import gzip
import json
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from presenter.charts import ChartView, build, transactions  # noqa: E402
from presenter.deck import Case, Deck, Exhibit, Source  # noqa: E402

START = dt.datetime(2026, 3, 1, tzinfo=dt.timezone(dt.timedelta(hours=8)))
HEADERS = {
    "funds": ["time", "from", "to", "amount", "channel"],
    "network": ["source", "target", "relation", "weight"],
    "timeline": ["start", "end", "actor", "event"],
    "trajectory": ["time", "lat", "lon", "label", "place"],
}


def row(kind: str, i: int, rng: random.Random) -> list[str]:
    moment = (START + dt.timedelta(seconds=7 * i)).isoformat()
    if kind == "funds":
        # victims pay first-level accounts, which pay on to further levels and exits
        level = rng.choice(("victim", "first", "second"))
        payer = {"victim": "被害人", "first": "一级账户", "second": "二级账户"}[level]
        payee = {"victim": "一级账户", "first": "二级账户", "second": "出口"}[level]
        return [
            moment,
            f"{payer}{rng.randrange(2000):04d} 6222{rng.randrange(10**12):012d}"
            if level == "victim"
            else f"{payer}{rng.randrange(3000):04d}",
            f"{payee}{rng.randrange(3000):04d}",
            f"{rng.randrange(100, 5_000_000) / 100:.2f}",
            rng.choice(("网银", "手机银行", "OTC")),
        ]
    if kind == "network":
        return [f"人员{rng.randrange(20000):05d}", f"人员{rng.randrange(20000):05d}",
                rng.choice(("同事", "转账", "通话")), str(rng.randrange(1, 9))]  # fmt: skip
    if kind == "timeline":
        return [moment, "", f"人员{rng.randrange(12):02d}", f"登录后台 第{i}次"]
    return [moment, f"{30 + rng.random() * 10:.5f}", f"{110 + rng.random() * 10:.5f}",
            f"基站{rng.randrange(500):03d}", f"某区{rng.randrange(60)}"]  # fmt: skip


def write(path: Path, kind: str, rows: int) -> None:
    rng = random.Random(7)
    with open(path, "w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(HEADERS[kind])
        writer.writerows(row(kind, i, rng) for i in range(rows))


def measure(kind: str, rows: int, folder: Path) -> dict:
    path = folder / f"{kind}-{rows}.csv"
    write(path, kind, rows)
    exhibit = Exhibit(
        id="E1", title=kind, type="behaviour", view="chart", chart=kind,
        source=Source(method="retrieval"), files=(path.name,),
    )  # fmt: skip
    deck = Deck("bench", folder, Case(title="bench"), (), (), (exhibit,))
    view = ChartView()
    start = time.perf_counter()
    figure = build(exhibit, deck, view)
    first = time.perf_counter() - start
    start = time.perf_counter()
    build(exhibit, deck, view)
    again = time.perf_counter() - start
    sent = json.dumps(figure, ensure_ascii=False, separators=(",", ":")).encode()
    flow_s = None
    if kind == "funds":  # the presenter opens the largest flow's transactions
        largest = max(figure["meta"]["links"], key=lambda link: link[2])
        start = time.perf_counter()
        transactions(exhibit, deck, view, (largest[0], largest[1]))
        flow_s = time.perf_counter() - start
    return {
        "flow_s": flow_s,
        "kind": kind,
        "rows": rows,
        "csv_mb": path.stat().st_size / 1e6,
        "build_s": first,
        "again_ms": again * 1000,
        "json_kb": len(sent) / 1024,
        "gzip_kb": len(gzip.compress(sent, 6)) / 1024,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", default="10000,100000,1000000")
    parser.add_argument("--kinds", default=",".join(HEADERS))
    args = parser.parse_args()
    print(f"{'kind':<11}{'rows':>10}{'CSV MB':>9}{'build s':>9}{'again ms':>10}"
          f"{'JSON KB':>10}{'gzip KB':>9}")  # fmt: skip
    results = []
    with tempfile.TemporaryDirectory() as folder:
        for kind in args.kinds.split(","):
            for rows in (int(r) for r in args.rows.split(",")):
                r = measure(kind, rows, Path(folder))
                results.append(r)
                print(f"{kind:<11}{rows:>10,}{r['csv_mb']:>9.1f}{r['build_s']:>9.2f}"
                      f"{r['again_ms']:>10.3f}{r['json_kb']:>10.1f}{r['gzip_kb']:>9.1f}",
                      flush=True)  # fmt: skip
    funds = [r for r in results if r["kind"] == "funds" and r["rows"] >= 1_000_000]
    for r in (r for r in results if r["flow_s"] is not None):
        print(f"funds from {r['rows']:,}: one flow's transactions in {r['flow_s']:.2f} s")
    for r in funds:
        ok = r["build_s"] < 2 and r["json_kb"] <= 2048
        print(f"goal, funds from {r['rows']:,}: build {r['build_s']:.2f} s (< 2 s), "
              f"download {r['json_kb']:.0f} KB (<= 2048 KB): "
              f"{'met' if ok else 'NOT met'}")  # fmt: skip


if __name__ == "__main__":
    main()
