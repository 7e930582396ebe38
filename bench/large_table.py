"""A 1,000,000-row bank statement as a bank delivers it (XLSX with title rows), and the
same rows as a UTF-8 CSV opened directly: time to derive the display copy, to index it, to
total it by category, and to fetch pages.

    python bench/large_table.py [--rows 1000000] [--pages 50] [--fresh]

The XLSX is written with xlsxwriter (constant_memory) and kept in a temporary folder
(`shizheng-bench/`) for the next run; `--fresh` writes it again. Goal: first open under
10 s, any page under 100 ms. The display copy is made once per original when the deck is
checked or served (with a progress bar), the row index and the totals as it is served
(presenter.views.table.prepare); the first open in court reads what they made.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from presenter.originals import Request, Store  # noqa: E402
from presenter.views.tabledata import PAGE, Roles, TableIndex  # noqa: E402

HEADER = ["交易时间", "交易类型", "借贷标志", "交易金额", "余额", "对方户名", "对方账号", "摘要"]
KINDS = ["转账", "消费", "入金", "出金", "工资", "还款", "取现", "手续费"]
ROLES = Roles(
    amount="交易金额", time="交易时间", direction="借贷标志", category="交易类型", zone="+08:00"
)


def rows(count: int):
    rng = random.Random(1)
    start = dt.datetime(2024, 1, 1)
    balance = 0
    for i in range(count):
        cents = rng.randrange(1, 5_000_000)
        out = rng.random() < 0.5
        balance += -cents if out else cents
        yield [
            start + dt.timedelta(seconds=30 * i),
            rng.choice(KINDS),
            "借" if out else "贷",
            cents / 100,
            balance / 100,
            f"户名{rng.randrange(5000):04d}",
            f"62220{rng.randrange(10**13):013d}",
            "网银",
        ]


def build_xlsx(path: Path, count: int) -> None:
    import xlsxwriter

    book = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    sheet = book.add_worksheet("交易明细")
    when = book.add_format({"num_format": "yyyy-mm-dd hh:mm:ss"})
    money = book.add_format({"num_format": "#,##0.00"})
    sheet.write_row(0, 0, ["某银行个人账户交易明细"])
    sheet.write_row(1, 0, ["户名：张某", "", "账号：6222021234567890123"])
    sheet.write_row(2, 0, ["起止日期：2024-01-01 至 2024-12-31"])
    sheet.write_row(3, 0, HEADER)
    for n, row in enumerate(rows(count), 4):
        sheet.write_datetime(n, 0, row[0], when)
        sheet.write_string(n, 1, row[1])
        sheet.write_string(n, 2, row[2])
        sheet.write_number(n, 3, row[3], money)
        sheet.write_number(n, 4, row[4], money)
        sheet.write_string(n, 5, row[5])
        sheet.write_string(n, 6, row[6])
        sheet.write_string(n, 7, row[7])
    sheet.write_row(count + 4, 0, ["合计", "", "", "", "", "", "", ""])
    book.close()


def build_csv(path: Path, count: int) -> None:
    with open(path, "w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream, lineterminator="\n")
        writer.writerow(HEADER)
        for row in rows(count):
            writer.writerow([f"{row[0]:%Y-%m-%d %H:%M:%S}", *row[1:3], f"{row[3]:.2f}",
                             f"{row[4]:.2f}", *row[5:]])  # fmt: skip


def timed(action):
    start = time.perf_counter()
    result = action()
    return result, time.perf_counter() - start


def pages(index: TableIndex, count: int) -> tuple[float, list[float]]:
    """The first page, then `count` random pages, in ms."""
    _, first = timed(lambda: index.page(0, PAGE))
    rng = random.Random(2)
    times = []
    for _ in range(count):
        at = rng.randrange(index.rows - PAGE)
        got, took = timed(lambda at=at: index.page(at, PAGE))
        assert len(got) == PAGE
        times.append(took * 1000)
    return first * 1000, sorted(times)


def court_open(path: Path, cache: Path) -> float:
    """What the presenter waits for on opening the table in court, the deck being served:
    the row index and the totals read from what serving prepared, and the first page (a new
    process's view: nothing in memory)."""
    TableIndex._open.clear()

    def open_() -> None:
        index = TableIndex.open(path, cache)
        index.summary(ROLES)
        index.page(0, PAGE)

    return timed(open_)[1]


def report(name: str, figures: dict[str, float], times: list[float]) -> None:
    p99 = times[min(len(times) - 1, round(0.99 * (len(times) - 1)))]
    print(f"\n{name}")
    for label, seconds in figures.items():
        print(f"  {label:<44} {seconds:8.2f} s")
    print(f"  {'random page of 100 rows, p50 / p99 / max':<44} "
          f"{statistics.median(times):.2f} / {p99:.2f} / {times[-1]:.2f} ms")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--pages", type=int, default=50)
    parser.add_argument("--fresh", action="store_true", help="write the XLSX again")
    args = parser.parse_args()
    kept = Path(tempfile.gettempdir()) / "shizheng-bench"
    kept.mkdir(exist_ok=True)
    xlsx = kept / f"statement-{args.rows}.xlsx"
    if args.fresh or not xlsx.exists():
        _, took = timed(lambda: build_xlsx(xlsx, args.rows))
        print(f"wrote {xlsx} in {took:.0f} s")
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        derivation, derive = timed(
            lambda: Store(work / "display").copy_of("statement.xlsx", xlsx, Request("table"))
        )
        index, indexing = timed(lambda: TableIndex.open(derivation.copy, work / "cache"))
        summary, totals = timed(lambda: index.summary(ROLES))
        first, times = pages(index, args.pages)
        arranged, filtering = timed(lambda: index.arranged(None, False, "", ROLES, "入金"))
        size = xlsx.stat().st_size / 1e6
        print(f"{args.rows:,} rows; XLSX {size:.0f} MB, display copy "
              f"{derivation.copy.stat().st_size / 1e6:.0f} MB ({derivation.tool})")  # fmt: skip
        opened = court_open(derivation.copy, work / "cache")
        report(
            "XLSX original",
            {
                "display copy (child process, calamine)": derive,
                "row index of the copy": indexing,
                "signed total, range, totals by category": totals,
                "all three, cold (check, then serve prepares)": derive + indexing + totals,
                "first open in court (once served)": opened,
                "first page": first / 1000,
                f"filter 交易类型 = 入金 ({len(arranged.rows):,} rows)": filtering,
            },
            times,
        )
        assert index.rows == args.rows and len(summary["categories"]) == len(KINDS)

        peer = work / "statement.csv"
        build_csv(peer, args.rows)
        TableIndex._open.clear()
        index, indexing = timed(lambda: TableIndex.open(peer, work / "cache-peer"))
        _, totals = timed(lambda: index.summary(ROLES))
        first, times = pages(index, args.pages)
        arranged, filtering = timed(lambda: index.arranged(None, False, "", ROLES, "入金"))
        opened = court_open(peer, work / "cache-peer")
        report(
            "peer: the same rows as a UTF-8 CSV, opened directly",
            {
                "row index": indexing,
                "signed total, range, totals by category": totals,
                "both, cold": indexing + totals,
                "first open in court (once served)": opened,
                "first page": first / 1000,
                f"filter 交易类型 = 入金 ({len(arranged.rows):,} rows)": filtering,
            },
            times,
        )


if __name__ == "__main__":
    main()
