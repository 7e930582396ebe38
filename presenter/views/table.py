"""Tables (CSV): the first page, the row count, the amount total and the time range; other
pages come from the server's row index as steps and scrolling need them. A cell longer than
bounds.CELL reaches a screen cut, with a note saying how long it is."""

from __future__ import annotations

from pathlib import Path

from flask import current_app, url_for

from .. import i18n
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
        }
    rows = shorten_cells(rows, cut_note(deck))
    if public:
        rows = mask_cells(rows)
    return {"rows": rows, "numbers": numbers, "total": total, "arranged": arranged}


def context(exhibit: Exhibit, deck: Deck, file_url: FileUrl) -> dict:
    index = table_index(exhibit, deck)
    amount, time = exhibit.column("amount"), exhibit.column("time")
    summary = index.summary(
        amount if amount in index.header else None, time if time in index.header else None
    )
    return {
        "header": index.header,
        "rows": shorten_cells(index.page(0, PAGE), cut_note(deck)),
        "total_rows": index.rows,
        "page_size": PAGE,
        "summary": summary,
        "page_url": url_for("files.table_rows", item=exhibit.id),
    }
