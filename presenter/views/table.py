"""Tables (CSV): the first page, the row count, the amount total and the time range; other
pages come from the server's row index as steps and scrolling need them."""

from __future__ import annotations

from pathlib import Path

from flask import current_app, url_for

from ..deck import Deck, Exhibit
from .files import FileUrl, csv_name
from .tabledata import PAGE, TableIndex


def table_index(exhibit: Exhibit, deck: Deck) -> TableIndex:
    """The row index of a table or chat exhibit's CSV, made once and kept in the cache."""
    cache = Path(current_app.instance_path, deck.id, "cache", "tables")
    return TableIndex.open(deck.root / csv_name(exhibit), cache)


def context(exhibit: Exhibit, deck: Deck, file_url: FileUrl) -> dict:
    index = table_index(exhibit, deck)
    amount, time = exhibit.column("amount"), exhibit.column("time")
    summary = index.summary(
        amount if amount in index.header else None, time if time in index.header else None
    )
    return {
        "header": index.header,
        "rows": index.page(0, PAGE),
        "total_rows": index.rows,
        "page_size": PAGE,
        "summary": summary,
        "page_url": url_for("files.table_rows", item=exhibit.id),
    }
