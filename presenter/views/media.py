"""Video and audio: the file itself, served with HTTP Range so screens can seek; playing,
pausing, seeking and sound follow the live state in the browser."""

from __future__ import annotations

from ..deck import Deck, Exhibit
from .files import FileUrl


def context(exhibit: Exhibit, deck: Deck, file_url: FileUrl) -> dict:
    return {"src": file_url(exhibit.files[0])}
