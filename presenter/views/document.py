"""Documents (PDF): pages rendered to PNG on the server with pypdfium2, one at a time as the
presenter turns them; regions are cut from a sharper render."""

from __future__ import annotations

from flask import url_for

from ..deck import Deck, Exhibit
from ..deck.pdf import page_count
from ..masking import AppUrl
from .files import FileUrl


def context(exhibit: Exhibit, deck: Deck, file_url: FileUrl) -> dict:
    return {
        "pages": page_count(deck.root / exhibit.files[0]),
        "first": url_for("files.document_page", item=exhibit.id, number=1),
        "base": AppUrl(url_for("files.document_page", item=exhibit.id, number=0).rsplit("/", 1)[0]),
    }
