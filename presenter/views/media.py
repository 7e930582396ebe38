"""Video and audio: the file itself, served with HTTP Range so screens can seek; playing,
pausing, seeking and sound follow the live state in the browser. A transcript, when the item
has one, is sent with it line by line, and the screen shows the line being played."""

from __future__ import annotations

from .. import transcript
from ..bounds import CELL, CUES, shorten
from ..deck import Deck, Exhibit
from ..deck.checks import confine
from .files import FileUrl
from .table import cut_note


def media_file(exhibit: Exhibit) -> str:
    """The file that plays: the first that is not the transcript."""
    return next(f for f in exhibit.files if f != exhibit.transcript)


def cues(exhibit: Exhibit, deck: Deck) -> list[dict] | None:
    """The transcript's lines as a screen is sent them (at most bounds.CUES, each cut at
    bounds.CELL characters), [] when the item has none, None when it cannot be read now
    (changed on disk since it was checked)."""
    if exhibit.transcript is None:
        return []
    path, _ = confine(deck.root, exhibit.transcript)  # only ever a file under files/
    if path is None:
        return None
    try:
        lines = transcript.read(path)
    except (transcript.TranscriptError, OSError, ValueError):
        return None  # changed on disk since the check: the screens say it cannot be read
    note = cut_note(deck)
    return [
        {"start": cue.start, "end": cue.end, "text": shorten(cue.text, CELL, note)}
        for cue in lines[:CUES]
    ]


def context(exhibit: Exhibit, deck: Deck, file_url: FileUrl) -> dict:
    """The recording shown (of several: the one asked for), with the transcript's lines."""
    from .several import chosen

    files = chosen(exhibit)
    name = files.name or media_file(exhibit)
    return {
        "src": file_url(name),
        "name": name.rsplit("/", 1)[-1],
        # the transcript is the first recording's: another plays without its lines
        "cues": cues(exhibit, deck) if files.index == 0 else [],
        "files": files,
    }
