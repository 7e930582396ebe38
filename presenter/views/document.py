"""Documents (PDF): pages rendered to PNG on the server with pypdfium2, one at a time as the
presenter turns them; regions are cut from a sharper render."""

from __future__ import annotations

from flask import url_for

from ..deck import Deck, Exhibit
from ..deck.pdf import page_count
from ..masking import AppUrl
from .files import FileUrl


def context(exhibit: Exhibit, deck: Deck, file_url: FileUrl) -> dict:
    """The first page of the document shown (of several: the one asked for), and where its
    other pages are (`base`/<n>.png + `query`)."""
    from .several import chosen

    files = chosen(exhibit)
    query = f"?{files.query}" if files.query else ""
    return {
        "pages": page_count(deck.display(exhibit, files.name or exhibit.files[0])),
        "first": AppUrl(url_for("files.document_page", item=exhibit.id, number=1)) + query,
        "base": AppUrl(url_for("files.document_page", item=exhibit.id, number=0).rsplit("/", 1)[0]),
        "query": AppUrl(query),
        "files": files,
    }
