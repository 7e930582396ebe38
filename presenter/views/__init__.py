"""One renderer per exhibit view, for court: what a screen may show, nothing presenter-only.

Every renderer takes the exhibit, the deck and a `file_url(name)` for the exhibit's files,
and returns HTML built by a Jinja template (autoescaped) or by nh3 (Markdown).
"""

from __future__ import annotations

import csv
from collections.abc import Callable
from itertools import islice
from pathlib import Path

from flask import render_template
from markupsafe import Markup

from ..deck import Deck, Exhibit
from ..web import i18n
from .markdown import safe_markdown

FileUrl = Callable[[str], str]
ROWS = 500
MESSAGES = 2000
LINES = 5000


def _csv(deck: Deck, exhibit: Exhibit, limit: int) -> tuple[list[str], list[list[str]]]:
    name = next(f for f in exhibit.files if f.lower().endswith(".csv"))
    with open(deck.root / name, encoding="utf-8-sig", newline="") as stream:
        reader = csv.reader(stream)
        header = next(reader, [])
        return header, list(islice(reader, limit))


def _image(exhibit: Exhibit, deck: Deck, file_url: FileUrl) -> dict:
    from flask import url_for

    url = url_for("files.image", item=exhibit.id, name=exhibit.files[0])
    return {"src": url, "crop": url + "?region="}


def _media(exhibit: Exhibit, deck: Deck, file_url: FileUrl) -> dict:
    return {"src": file_url(exhibit.files[0])}


def _chat(exhibit: Exhibit, deck: Deck, file_url: FileUrl) -> dict:
    header, rows = _csv(deck, exhibit, MESSAGES)
    column = {role: exhibit.column(role) for role in ("time", "sender", "text", "attachment")}
    at = {role: header.index(name) if name in header else None for role, name in column.items()}

    def cell(row: list[str], role: str) -> str:
        i = at[role]
        return row[i] if i is not None and i < len(row) else ""

    first = cell(rows[0], "sender") if rows else ""
    messages = []
    for n, row in enumerate(rows, 1):
        attachment = cell(row, "attachment")
        messages.append(
            {
                "n": n,
                "time": cell(row, "time"),
                "sender": cell(row, "sender"),
                "text": cell(row, "text"),
                "side": "left" if cell(row, "sender") == first else "right",
                "attachment": file_url(attachment) if attachment in exhibit.files else None,
            }
        )
    return {"messages": messages}


def _table(exhibit: Exhibit, deck: Deck, file_url: FileUrl) -> dict:
    """The first page of rows, the row count, the amount total and the time range; other
    pages come from the server as the steps need them."""
    from flask import current_app, url_for

    from .tabledata import PAGE, TableIndex

    cache = Path(current_app.instance_path, deck.id, "cache", "tables")
    index = TableIndex.open(deck.root / exhibit.files[0], cache)
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


def _code(exhibit: Exhibit, deck: Deck, file_url: FileUrl) -> dict:
    """Source code as text, highlighted by Pygments: never run, never taken as HTML."""
    from .code import highlighted_lines

    with open(deck.root / exhibit.files[0], encoding="utf-8", errors="replace") as stream:
        text = "".join(islice(stream, LINES))
    return {"lines": highlighted_lines(text, exhibit.files[0], exhibit.language)}


def _document(exhibit: Exhibit, deck: Deck, file_url: FileUrl) -> dict:
    from flask import url_for

    from ..deck.pdf import page_count

    return {
        "pages": page_count(deck.root / exhibit.files[0]),
        "first": url_for("files.document_page", item=exhibit.id, number=1),
        "base": url_for("files.document_page", item=exhibit.id, number=0).rsplit("/", 1)[0],
    }


def _chart(exhibit: Exhibit, deck: Deck, file_url: FileUrl) -> dict:
    header, rows = _csv(deck, exhibit, 20)
    return {"header": header, "rows": rows}


def _nothing(exhibit: Exhibit, deck: Deck, file_url: FileUrl) -> dict:
    return {}


RENDERERS: dict[str, Callable[[Exhibit, Deck, FileUrl], dict]] = {
    "image": _image,
    "video": _media,
    "audio": _media,
    "chat": _chat,
    "table": _table,
    "code": _code,
    "document": _document,
    "markdown": _nothing,
    "chart": _chart,
}
"""The context each view's template (templates/views/<view>.html) is given."""


def render_content(exhibit: Exhibit, deck: Deck, *, lang: str, file_url: FileUrl) -> Markup:
    """The exhibit itself, for court: its view and the Markdown above `???`."""
    context = RENDERERS[exhibit.view](exhibit, deck, file_url)
    view = render_template(
        f"views/{exhibit.view}.html", exhibit=exhibit, t=i18n.translator(lang), **context
    )
    return Markup(
        render_template(
            "views/_exhibit.html",
            exhibit=exhibit,
            view=Markup(view),
            body=safe_markdown(exhibit.body),
            t=i18n.translator(lang),
        )
    )


def render_panel(
    panel: str,
    exhibit: Exhibit,
    deck: Deck,
    *,
    lang: str,
    file_url: FileUrl,
    unverified: bool = False,
) -> Markup:
    """Content, or one of the three Art. 47 panels: source, facts, corroboration.
    `unverified`: the exhibit's files failed their recorded hash at the last check."""
    from .files import attributes
    from .image import exif

    if panel == "content":
        return render_content(exhibit, deck, lang=lang, file_url=file_url)
    facts = {f.id: f for f in deck.facts}
    others = {e.id: e for e in deck.evidence}
    exhibits = {e.id: e for e in deck.exhibits}
    cited_by = [
        (other, link)
        for other in deck.exhibits
        for link in other.corroborates
        if link.with_ == exhibit.id
    ]
    return Markup(
        render_template(
            f"panels/{panel}.html",
            exhibit=exhibit,
            facts=facts,
            others=others,
            exhibits=exhibits,
            cited_by=cited_by,
            procedure=safe_markdown(exhibit.source.procedure),
            unverified=unverified,
            files=[
                {
                    "name": name,
                    "attributes": attributes(deck.root / name),
                    "exif": exif(deck.root / name) if exhibit.view == "image" else {},
                }
                for name in exhibit.files
            ]
            if panel == "source"
            else [],
            t=i18n.translator(lang),
        )
    )
