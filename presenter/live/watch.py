"""Last-minute changes: when the deck's files change on disk, load it again.

A valid new version replaces the old (the current exhibit keeps its place by id); an invalid
one leaves the last good deck on the screens and its problems for the presenter alone.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

import watchfiles

from ..deck import DeckReport


def watch_deck(
    root: Path,
    load: Callable[[], DeckReport],
    changed: Callable[[DeckReport], None],
    stop: threading.Event,
) -> threading.Thread:
    """Call `changed(load())` after each burst of changes under `root`, until `stop` is set."""

    def run() -> None:
        for _ in watchfiles.watch(root, stop_event=stop, debounce=300, raise_interrupt=False):
            changed(load())

    thread = threading.Thread(target=run, name="deck-watch", daemon=True)
    thread.start()
    return thread
