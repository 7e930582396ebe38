"""Charts: until the figure builders draw them, the first rows of their data."""

from __future__ import annotations

import csv
from itertools import islice

from ..deck import Deck, Exhibit
from .files import FileUrl, csv_name

PREVIEW = 20


def context(exhibit: Exhibit, deck: Deck, file_url: FileUrl) -> dict:
    with open(deck.root / csv_name(exhibit), encoding="utf-8-sig", newline="") as stream:
        reader = csv.reader(stream)
        return {"header": next(reader, []), "rows": list(islice(reader, PREVIEW))}
