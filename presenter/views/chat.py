"""Chats: a conversation as bubbles, per sender, with names, times and attachments. A thread
of 10,000 messages is sent and drawn a window at a time, from the same row index as tables."""

from __future__ import annotations

from flask import url_for

from .. import formatting
from ..bounds import CELL, shorten
from ..deck import Deck, Exhibit
from ..deck.replay import chat_frames
from .files import FileUrl, file_ref
from .table import cut_note, table_index

WINDOW = 60
"""Messages on a screen at a time."""
ROLES = ("time", "sender", "text", "attachment")


PICTURES = (".jpg", ".jpeg", ".png", ".gif", ".bmp", ".webp", ".tif", ".tiff")
PICTURES += (".heic", ".heif")  # drawn from their display copy


def _attachment(exhibit: Exhibit, cell: str, file_url: FileUrl) -> dict | None:
    """A picture as a thumbnail made on the server; any other file by its name."""
    name = exhibit.attachment(cell)
    if name is None:
        return None
    label = name.rsplit("/", 1)[-1]
    if name.lower().endswith(PICTURES):
        image = url_for("files.image", item=exhibit.id, name=file_ref(name))
        # the thumbnail beside the message; the picture shown large, and its callouts cut
        # from the original (as an image exhibit's)
        return {
            "thumb": image + "?thumb=1",
            "large": image,
            "crop": image + "?region=",
            "name": label,
        }
    return {"thumb": None, "name": label, "url": file_url(name)}


def messages(
    exhibit: Exhibit, deck: Deck, file_url: FileUrl, start: int, count: int = WINDOW
) -> tuple[list[dict], int]:
    """Messages start+1 .. start+count (1-based `n`), and how many the thread has. The
    thread's first sender is on the left in every window, as on the phone it came from.
    A text (or name, or time) longer than bounds.CELL is cut, with a note."""
    index = table_index(exhibit, deck)
    header = index.header
    at = {
        role: header.index(exhibit.column(role)) for role in ROLES if exhibit.column(role) in header
    }
    note = cut_note(deck)
    zone = formatting.deck_zone(deck.case)

    def raw(row: list[str], role: str) -> str:
        i = at.get(role)
        return row[i] if i is not None and i < len(row) else ""

    def cell(row: list[str], role: str) -> str:
        return shorten(raw(row, role), CELL, note)

    first = next((cell(row, "sender") for row in index.page(0, 1)), "")
    window = []
    for n, row in enumerate(index.page(start, count), start + 1):
        attachment = raw(row, "attachment")  # a file of the item, or nothing shown
        window.append(
            {
                "n": n,
                "time": formatting.moment(cell(row, "time"), zone),
                "sender": cell(row, "sender"),
                "text": cell(row, "text"),
                "side": "left" if cell(row, "sender") == first else "right",
                "attachment": _attachment(exhibit, attachment, file_url),
            }
        )
    return window, index.rows


def context(exhibit: Exhibit, deck: Deck, file_url: FileUrl) -> dict:
    first, total = messages(exhibit, deck, file_url, 0)
    before = chat_frames(exhibit.steps)[0].shown
    return {
        "messages": first,
        "total": total,
        "before": total if before is None else before,
        "window": WINDOW,
        "url": url_for("files.chat_messages", item=exhibit.id),
    }
