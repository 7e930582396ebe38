"""A 1,000,000-row table: time to index it, to open it again, and to fetch random pages.

    python bench/large_table.py [--rows 1000000] [--pages 200]

Builds a CSV of fake transactions in a temporary folder, then prints the first open (one
scan, index written), a second open (index read from the cache), 200 random pages of 100
rows (p50 / p99 / max), the totals pass, and the presenter's sort by amount and filter by
an account (one pass each, then pages of the arrangement). Goal: any page in < 100 ms.
"""

from __future__ import annotations

import argparse
import csv
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from presenter.views.tabledata import PAGE, TableIndex  # noqa: E402


def build(path: Path, rows: int) -> None:
    rng = random.Random(1)
    with open(path, "w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(["time", "from", "to", "amount", "channel"])
        for i in range(rows):
            writer.writerow([
                f"2026-03-{1 + i % 28:02d}T{i % 24:02d}:{i % 60:02d}:00+08:00",
                f"账户{rng.randrange(5000):04d}", f"账户{rng.randrange(5000):04d}",
                f"{rng.randrange(1, 500000) / 100:.2f}", rng.choice(["网银", "手机银行", "OTC"]),
            ])  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--pages", type=int, default=200)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "ledger.csv"
        build(path, args.rows)
        cache = Path(folder) / "cache"
        start = time.perf_counter()
        index = TableIndex.open(path, cache)
        first = time.perf_counter() - start
        TableIndex._open.clear()
        start = time.perf_counter()
        index = TableIndex.open(path, cache)
        again = time.perf_counter() - start
        rng = random.Random(2)
        times = []
        for _ in range(args.pages):
            at = rng.randrange(index.rows - PAGE)
            start = time.perf_counter()
            rows = index.page(at, PAGE)
            times.append((time.perf_counter() - start) * 1000)
            assert len(rows) == PAGE
        start = time.perf_counter()
        index.summary("amount", "time")
        totals = time.perf_counter() - start
        start = time.perf_counter()
        by_amount = index.arranged(3, True, "", "amount")
        sorting = time.perf_counter() - start
        start = time.perf_counter()
        one = index.arranged(None, False, "账户0042", "amount")
        filtering = time.perf_counter() - start
        arranged_times = []
        for _ in range(args.pages):
            at = rng.randrange(len(by_amount.rows) - PAGE)
            start = time.perf_counter()
            index.rows_at(by_amount.rows[at : at + PAGE])
            arranged_times.append((time.perf_counter() - start) * 1000)
        size = path.stat().st_size / 1e6
    times.sort()
    p99 = times[min(len(times) - 1, round(0.99 * (len(times) - 1)))]
    print(f"{args.rows:,} rows, {size:.0f} MB")
    print(f"first open (scan and write the index): {first:.2f} s")
    print(f"second open (index from the cache):    {again * 1000:.1f} ms")
    print(f"random page of {PAGE} rows, ms: p50 {statistics.median(times):.2f}, "
          f"p99 {p99:.2f}, max {times[-1]:.2f}")  # fmt: skip
    print(f"amount total and time range (one pass): {totals:.2f} s")
    print(f"sort by amount, descending (one pass):  {sorting:.2f} s")
    print(f"filter by one account (one pass):       {filtering:.2f} s, {len(one.rows):,} rows")
    arranged_times.sort()
    p99 = arranged_times[min(len(arranged_times) - 1, round(0.99 * (len(arranged_times) - 1)))]
    print(f"random page of the sorted rows, ms: p50 {statistics.median(arranged_times):.2f}, "
          f"p99 {p99:.2f}, max {arranged_times[-1]:.2f}")  # fmt: skip


if __name__ == "__main__":
    main()
