"""What the file system says about an exhibit's files (Art. 27: file attributes)."""

from __future__ import annotations

import hashlib
import hmac
import os
from collections.abc import Callable
from pathlib import Path

from ..deck import Exhibit

FileUrl = Callable[[str], str]
"""The URL of one of an exhibit's files, by its name in the deck."""


PICTURES = frozenset({".png", ".jpg", ".jpeg", ".gif", ".webp", ".bmp"})
PLAYED = frozenset(
    {".mp4", ".m4v", ".mov", ".webm", ".ogv", ".ogg", ".oga", ".opus"}
    | {".mp3", ".m4a", ".aac", ".wav", ".flac"}
)
"""Sound and video: the only originals a public screen is sent (its pictures are drawn again
without their metadata, at /images)."""
SHOWN_AS_IS = PICTURES | PLAYED
"""Originals a browser shows without running anything, by their name: pictures, sound and
video (served with their own type and `nosniff`, so a script named .png stays a picture).
Anything else (HTML, SVG, XML, scripts, documents, unknown kinds) is only ever downloaded."""


def file_ref(name: str) -> str:
    """How an app URL names an exhibit's file: by its name, or for a public screen (and a
    masked bundle) by an opaque token, since a name may hold a phone or card number."""
    from flask import g

    return token_of(name) if g.get("mask_public") else name


def token_of(name: str) -> str:
    """A file's token: keyed by this instance's secret (a public screen that reads a masked
    name cannot try phone numbers against it), and written without digits (so masking
    never touches it)."""
    from flask import current_app

    secret = current_app.config["FILE_TOKEN_SECRET"]
    digest = hmac.new(secret, name.encode(), hashlib.sha256).hexdigest()[:24]
    return TOKEN + digest.translate(_LETTERS)


_LETTERS = str.maketrans("0123456789", "ghijklmnop")


TOKEN = "~"
"""The first character of a file token (never the first of a deck path)."""


def shown_as_is(name: str) -> bool:
    """Whether an original may be opened in a browser (else it is a download, or a name and
    its hash in a bundle)."""
    return Path(name).suffix.lower() in SHOWN_AS_IS


def csv_name(exhibit: Exhibit) -> str:
    """The exhibit's data file (its original's deck path): a table's rows, a chat's
    messages, a chart's data. Read it through `deck.display(exhibit, name)`: a GBK statement or an
    XLSX is read from its UTF-8 CSV display copy."""
    name = exhibit.data_file
    assert name is not None, "only table, chat and chart exhibits have a data file"
    return name


def size_of(path: Path) -> str:
    """An original's size in bytes, as the court reads it ("1,234,567"). Its times are not
    read from this disk: a working copy's times are those of the copying, not the evidence's
    (see Source.files, recorded at collection)."""
    try:
        return f"{os.stat(path).st_size:,}"
    except OSError:
        return ""
