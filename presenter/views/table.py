"""Tables (CSV): the first page, the row count, the amount total and the time range; other
pages come from the server's row index as steps and scrolling need them. A cell longer than
bounds.CELL reaches a screen cut, with a note saying how long it is."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from flask import current_app, url_for

from .. import formatting, i18n
from ..deck import Deck, Exhibit
from ..masking import mask_cells, mask_text
from .files import FileUrl, csv_name
from .tabledata import PAGE, TableIndex, shorten_cells


def table_index(exhibit: Exhibit, deck: Deck) -> TableIndex:
    """The row index of a table or chat exhibit's CSV, made once and kept in the cache."""
    cache = Path(current_app.instance_path, deck.id, "cache", "tables")
    return TableIndex.open(deck.root / csv_name(exhibit), cache)


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

    @classmethod
    def of(cls, exhibit: Exhibit, deck: Deck, header: list[str]) -> Reading:
        name = exhibit.column("amount")
        at = header.index(name) if name in header else None
        return cls(at, formatting.unit_of(name), formatting.deck_zone(deck.case))

    def cells(self, rows: list[list[str]]) -> list[list[str]]:
        return [[self.cell(i, cell) for i, cell in enumerate(row)] for row in rows]

    def cell(self, column: int, text: str) -> str:
        if column == self.amount:
            return formatting.figure(text, self.unit) or text
        if formatting.is_time(text):
            return formatting.moment(text, self.zone)
        return text

    def heading(self, column: int, name: str) -> str:
        """A column's name as shown: the amount column says its unit, once."""
        if column == self.amount and "元" not in name:
            return f"{name}（{self.unit}）"
        return name


def numeric_columns(header: list[str], rows: list[list[str]], amount: int | None) -> list[int]:
    """The columns whose filled cells (of these rows) are all figures: right-aligned."""
    found = []
    for i in range(len(header)):
        cells = [row[i].strip() for row in rows if i < len(row) and row[i].strip()]
        if i == amount or (cells and all(formatting.number(c) is not None for c in cells)):
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
    public: bool = False,
) -> dict:
    """Rows start+1 .. start+PAGE of the table as the presenter arranged it (sorted by
    column `sort`, filtered to rows holding `text`), each with its row number in the file,
    so steps and the record keep their meaning."""
    index = table_index(exhibit, deck)
    if sort is None and not text:
        rows = index.page(start, PAGE)
        numbers = list(range(start + 1, start + len(rows) + 1))
        total, arranged = index.rows, None
    else:
        amount = exhibit.column("amount")
        arrangement = index.arranged(sort, desc, text, amount)
        chosen = arrangement.rows[start : start + PAGE]
        rows = index.rows_at(chosen)
        numbers = [n + 1 for n in chosen]
        total = len(arrangement.rows)
        arranged = {
            "sort": index.header[sort] if sort is not None and sort < len(index.header) else None,
            "desc": desc,
            "filter": mask_text(text) if public else text,
            "rows": total,
            "total": arrangement.total,
            "total_text": None
            if arrangement.total is None
            else formatting.amount(arrangement.total, formatting.unit_of(amount)),
        }
    rows = Reading.of(exhibit, deck, index.header).cells(shorten_cells(rows, cut_note(deck)))
    if public:
        rows = mask_cells(rows)
    return {"rows": rows, "numbers": numbers, "total": total, "arranged": arranged}


def context(exhibit: Exhibit, deck: Deck, file_url: FileUrl) -> dict:
    index = table_index(exhibit, deck)
    amount, time = exhibit.column("amount"), exhibit.column("time")
    summary = index.summary(
        amount if amount in index.header else None, time if time in index.header else None
    )
    reading = Reading.of(exhibit, deck, index.header)
    first = index.page(0, PAGE)
    return {
        "header": [reading.heading(i, name) for i, name in enumerate(index.header)],
        "numeric": numeric_columns(index.header, first, reading.amount),
        "unit": reading.unit,
        "rows": reading.cells(shorten_cells(first, cut_note(deck))),
        "total_rows": index.rows,
        "page_size": PAGE,
        "summary": summary,
        "page_url": url_for("files.table_rows", item=exhibit.id),
    }
