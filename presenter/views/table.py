"""Tables (CSV): the first page, the row count, the amount total and the time range; other
pages come from the server's row index as steps and scrolling need them. A cell longer than
bounds.CELL reaches a screen cut, with a note saying how long it is."""

from __future__ import annotations

import datetime as dt
import logging
import threading
from dataclasses import dataclass
from pathlib import Path

from flask import current_app, url_for

from .. import formatting, i18n
from ..bounds import CELL, shorten
from ..deck import Deck, Exhibit
from ..i18n.tables import TABLE_WORDS
from ..masking import mask_cells, mask_text
from .files import FileUrl, csv_name
from .tabledata import PAGE, Roles, TableError, TableIndex, shorten_cells

log = logging.getLogger(__name__)


def words(deck: Deck) -> dict[str, str]:
    return i18n.pick_all(TABLE_WORDS, i18n.language(deck.case.language))


def table_file(exhibit: Exhibit) -> str:
    """The item file a table, chat or chart reads: its one CSV, TXT or workbook."""
    return exhibit.data_file or csv_name(exhibit)


def table_index(exhibit: Exhibit, deck: Deck, instance_path: str | None = None) -> TableIndex:
    """The row index of a table or chat exhibit's CSV (its display copy, when the original is
    a workbook or another encoding), made once and kept in the cache."""
    cache = Path(instance_path or current_app.instance_path, deck.id, "cache", "tables")
    return TableIndex.open(deck.display(exhibit, table_file(exhibit)), cache)


def prepare(deck: Deck, instance_path: str) -> None:
    """Each table's row index and totals, made as the deck is served rather than when the
    presenter first opens the table in court (a million rows take seconds, once)."""
    for exhibit in deck.exhibits:
        if exhibit.view != "table":
            continue
        try:
            table_index(exhibit, deck, instance_path).summary(roles(exhibit, deck))
        except (OSError, TableError) as error:  # the check has named the file already
            log.warning("%s: %s", exhibit.id, error)


def start_preparing(deck: Deck, instance_path: str) -> threading.Thread:
    """`prepare` in a thread of its own, which ends when the tables are ready."""
    thread = threading.Thread(
        target=prepare, args=(deck, instance_path), name="prepare-tables", daemon=True
    )
    thread.start()
    return thread


def roles(exhibit: Exhibit, deck: Deck) -> Roles:
    """The columns the totals, sort and range read, by the item's `[columns]` (or the role's
    own name as a header)."""
    named = {role: exhibit.column(role) for role in ROLES}
    return Roles(**named, zone=formatting.zone_key(formatting.deck_zone(deck.case)))


ROLES = ("amount", "time", "direction", "debit", "credit", "category")


def derivation(exhibit: Exhibit, deck: Deck):
    """How the display copy was made from the original (its title lines and totals rows),
    or None when the view reads the original."""
    return deck.derivation(exhibit, table_file(exhibit))


TITLE_LINES = 12
TOTALS_ROWS = 20
"""A statement's title lines and totals rows a screen is sent at most (a bank that repeats
本页合计 on each of 20,000 printed pages has them all in the derivation and the original)."""


def around(derived, note: str, said: dict[str, str]) -> dict:
    """What a statement holds around its rows, bounded as every cell a screen is sent: its
    title lines above, its totals rows below (the last ones, with how many are left out)."""
    if derived is None:
        return {"preamble": (), "footer": (), "footer_left_out": 0}
    preamble = [shorten(line, CELL, note) for line in derived.preamble[:TITLE_LINES]]
    footer = derived.footer[-TOTALS_ROWS:]
    return {
        "preamble": preamble,
        "footer": [[shorten(cell, CELL, note) for cell in row] for row in footer],
        "footer_left_out": len(derived.footer) - len(footer),
    }


def cut_note(deck: Deck) -> str:
    """The note ending a cut cell, in the request's language: "…（已截断，共 {total} 字）"."""
    return i18n.translator(i18n.language(deck.case.language))("cut.cell")


@dataclass(frozen=True)
class Reading:
    """How a table's cells read in court: its amount column (the `amount` role) grouped in
    thousands, in the unit its name gives (元, or 万元 where it says so), and every date with
    a time of day in the deck's zone. Nothing else is touched: a card or account number
    stays exactly as written (and masked on a public screen)."""

    amount: int | None
    unit: str
    zone: dt.tzinfo
    also: tuple[int, ...] = ()
    """Other amount columns, read alike: money out and in (`debit`, `credit`)."""

    @classmethod
    def of(cls, exhibit: Exhibit, deck: Deck, header: list[str]) -> Reading:
        name = exhibit.column("amount")
        at = header.index(name) if name in header else None
        also = tuple(
            header.index(exhibit.column(r))
            for r in ("debit", "credit")
            if exhibit.column(r) in header
        )
        unit_from = name if at is not None or not also else header[also[0]]
        return cls(at, formatting.unit_of(unit_from), formatting.deck_zone(deck.case), also)

    @property
    def amounts(self) -> tuple[int, ...]:
        return ((self.amount,) if self.amount is not None else ()) + self.also

    def cells(self, rows: list[list[str]]) -> list[list[str]]:
        return [[self.cell(i, cell) for i, cell in enumerate(row)] for row in rows]

    def cell(self, column: int, text: str) -> str:
        if column == self.amount or column in self.also:
            return formatting.figure(text, self.unit) or text
        if formatting.is_time(text):
            return formatting.moment(text, self.zone)
        return text

    def heading(self, column: int, name: str) -> str:
        """A column's name as shown: the amount column says its unit, once."""
        if column in self.amounts and "元" not in name:
            return f"{name}（{self.unit}）"
        return name


def numeric_columns(
    header: list[str], rows: list[list[str]], amount: int | tuple[int, ...] | None
) -> list[int]:
    """The columns whose filled cells (of these rows) are all figures: right-aligned."""
    amounts = amount if isinstance(amount, tuple) else (() if amount is None else (amount,))
    found = []
    for i in range(len(header)):
        cells = [row[i].strip() for row in rows if i < len(row) and row[i].strip()]
        if i in amounts or (cells and all(formatting.number(c) is not None for c in cells)):
            found.append(i)
    return found


def window(
    exhibit: Exhibit,
    deck: Deck,
    start: int,
    *,
    sort: int | None = None,
    desc: bool = False,
    text: str = "",
    category: str | None = None,
    public: bool = False,
) -> dict:
    """Rows start+1 .. start+PAGE of the table as the presenter arranged it (sorted by
    column `sort`, filtered to rows holding `text` and, with `category`, to the rows of
    that category), each with its row number in the file, so steps and the record keep
    their meaning."""
    index = table_index(exhibit, deck)
    if sort is None and not text and category is None:
        rows = index.page(start, PAGE)
        numbers = list(range(start + 1, start + len(rows) + 1))
        total, arranged = index.rows, None
    else:
        arrangement = index.arranged(sort, desc, text, roles(exhibit, deck), category)
        chosen = arrangement.rows[start : start + PAGE]
        rows = index.rows_at(chosen)
        numbers = [n + 1 for n in chosen]
        total = len(arrangement.rows)
        unit = Reading.of(exhibit, deck, index.header).unit
        arranged = {
            "sort": index.header[sort] if sort is not None and sort < len(index.header) else None,
            "desc": desc,
            "filter": mask_text(text) if public else text,
            "category": category,
            "category_column": exhibit.column("category") if category is not None else None,
            "rows": total,
            "total": None if arrangement.total is None else str(arrangement.total),
            "total_text": None
            if arrangement.total is None
            else formatting.amount(arrangement.total, unit),
        }
    rows = Reading.of(exhibit, deck, index.header).cells(shorten_cells(rows, cut_note(deck)))
    if public:
        rows = mask_cells(rows)
    return {"rows": rows, "numbers": numbers, "total": total, "arranged": arranged}


def category_totals(summary: dict, unit: str) -> list[dict]:
    """The totals by category as the court reads them: each value, its count and its signed
    sum, the largest first; the rest as one line (not a filter)."""
    lines = [
        {
            "value": entry["value"],
            "count": entry["count"],
            "sum": None if entry["sum"] is None else formatting.amount(entry["sum"], unit),
        }
        for entry in summary.get("categories", ())
    ]
    other = summary.get("other")
    if other:
        lines.append(
            {
                "value": None,
                "values": other["values"],
                "count": other["count"],
                "sum": None if other["sum"] is None else formatting.amount(other["sum"], unit),
            }
        )
    return lines


def context(exhibit: Exhibit, deck: Deck, file_url: FileUrl) -> dict:
    index = table_index(exhibit, deck)
    summary = index.summary(roles(exhibit, deck))
    reading = Reading.of(exhibit, deck, index.header)
    first = index.page(0, PAGE)
    derived = derivation(exhibit, deck)
    flows = {
        key: formatting.amount(summary[key], reading.unit)
        for key in ("inflow", "outflow")
        if key in summary
    }
    return {
        "header": [reading.heading(i, name) for i, name in enumerate(index.header)],
        "numeric": numeric_columns(index.header, first, reading.amounts),
        "unit": reading.unit,
        "rows": reading.cells(shorten_cells(first, cut_note(deck))),
        "total_rows": index.rows,
        "page_size": PAGE,
        "summary": summary,
        "total_text": formatting.amount(summary["exact"], reading.unit)
        if "exact" in summary
        else None,
        "flows": flows,
        "categories": category_totals(summary, reading.unit),
        **around(derived, cut_note(deck), words(deck)),
        "words": words(deck),
        "page_url": url_for("files.table_rows", item=exhibit.id),
    }
