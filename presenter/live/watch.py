"""Last-minute changes: when the deck's files change on disk, load it again.

A valid new version replaces the old (the current exhibit keeps its place by id); an invalid
one leaves the last good deck on the screens and its problems for the presenter alone. The
watcher outlives anything a deck on disk can do to it: a failure to load is told to the
presenter, and watching goes on.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from pathlib import Path

import watchfiles

from ..deck import DeckReport

log = logging.getLogger(__name__)
RETRY = 1.0
"""Seconds before watching again when the folder could not be watched (removed, renamed)."""


def watch_deck(
    root: Path,
    load: Callable[[], DeckReport],
    changed: Callable[[DeckReport], None],
    stop: threading.Event,
    failed: Callable[[BaseException], None] | None = None,
) -> threading.Thread:
    """Call `changed(load())` after each burst of changes under `root`, until `stop` is set;
    `failed(error)` when loading or taking the new deck raised, for the presenter to see."""

    def take() -> None:
        try:
            changed(load())
        except Exception as error:  # noqa: BLE001 - a bug must not end watching in court
            log.exception("the deck changed on disk and could not be taken")
            if failed is not None:
                failed(error)

    def run() -> None:
        while not stop.is_set():
            try:
                for _ in watchfiles.watch(
                    root, stop_event=stop, debounce=300, raise_interrupt=False
                ):
                    take()
            except Exception:  # noqa: BLE001 - e.g. the folder is gone for a moment
                log.exception("cannot watch %s; trying again", root)
            stop.wait(RETRY)

    thread = threading.Thread(target=run, name="deck-watch", daemon=True)
    thread.start()
    return thread
