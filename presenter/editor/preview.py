"""Previews (预览): an exhibit and a panel exactly as a court screen shows it, at 4:3 and at
16:9. Each is a real court app for the deck as it is on disk, served on this machine only
with keys of its own, and moved to the exhibit by the same command the presenter sends. The
editor frames its screen page; nothing else may (frame-ancestors: loopback only).

A preview shows the items that load: one still holding a blank (TODO) is refused with the
check's words, as the court would never be shown it.
"""

from __future__ import annotations

import shutil
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from werkzeug.serving import make_server

from ..deck import DeckReport
from ..deck.loader import item_paths, read_deck_file, read_item
from ..deck.model import Deck
from ..deck.problems import Problem
from ..live.access import new_key
from .store import Refused

ASPECTS = ("16:9", "4:3")
RUNNING = 4
"""Previews kept running at once; the one least recently shown is stopped for a fifth."""
LOOPBACK_FRAMERS = "http://127.0.0.1:* http://localhost:*"


class NotPreviewable(Refused):
    """No court screen would show it (a blank, an error, a refusal of the presenter's)."""

    status = 422


@dataclass
class Preview:
    app: Any
    server: Any
    thread: threading.Thread
    screen_key: str
    folder: Path

    def url(self, host: str) -> str:
        """The screen's link, by the name the editor was reached by (a cookie set for
        127.0.0.1 is not one for localhost)."""
        port = self.server.server_port
        return f"http://{host}:{port}/screen?key={self.screen_key}&name=preview"


def previewable_deck(
    folder: Path, deck_id: str, displays: Any, mismatched: set[str] | None = None
) -> tuple[DeckReport, set[str]]:
    """The deck with the items that load as they stand (the others left out), the items
    whose files failed their hash at the last check marked unverified as the court marks
    them; and the ids of the items that load."""
    problems: list[Problem] = []
    toml = read_deck_file(folder, problems)
    if toml.deck is None:
        raise NotPreviewable("deck_not_loading")
    items = [read_item(folder, path, problems) for path in item_paths(folder)]
    exhibits = {i.exhibit.id: i.exhibit for i in items if i.exhibit is not None}
    order = [i for i in (toml.deck.order or ()) if i in exhibits] or list(exhibits)
    order += [i for i in exhibits if i not in order]
    deck = Deck(
        id=deck_id, root=folder.resolve(), case=toml.deck.case, facts=toml.deck.facts,
        evidence=toml.deck.evidence, exhibits=tuple(exhibits[i] for i in order),
        displays=dict(displays or {}),
    )  # fmt: skip
    unverified = frozenset(
        i.exhibit.id for i in items if i.exhibit is not None and i.where.path in (mismatched or ())
    )
    return DeckReport(deck, (), unverified), set(exhibits)


class Previews:
    """The running previews, one per deck and screen shape."""

    def __init__(self, instance: Path) -> None:
        self.instance = Path(instance)
        self._running: dict[tuple[str, str], Preview] = {}
        self._lock = threading.Lock()

    def show(
        self, folder: Path, deck_id: str, item_id: str, panel: str, aspect: str, step: int,
        displays: Any, language: str, host: str = "127.0.0.1", mismatched: set[str] | None = None,
    ) -> str:  # fmt: skip
        """Bring the preview of `deck_id` at `aspect` to the item's panel and step; its
        screen's URL."""
        from .. import create_app

        if aspect not in ASPECTS:
            raise NotPreviewable("bad_aspect")
        report, loaded = previewable_deck(folder, deck_id, displays, mismatched)
        if item_id not in loaded:
            raise NotPreviewable("item_not_loading", id=item_id)
        with self._lock:
            self._stop_gone()
            running = self._running.pop((deck_id, aspect), None)
            if running is None:
                while len(self._running) >= RUNNING:
                    self._stop(next(iter(self._running)))
                place = self.instance / "preview" / f"{deck_id}-{aspect.replace(':', 'x')}"
                shutil.rmtree(place, ignore_errors=True)  # a preview keeps no record
                keys = {k: new_key() for k in ("presenter", "screen", "public")}
                app = create_app(
                    report, instance_path=place, presenter_key=keys["presenter"],
                    screen_key=keys["screen"], public_key=keys["public"], aspect=aspect,
                    test_config={"FRAME_ANCESTORS": LOOPBACK_FRAMERS},
                )  # fmt: skip
                server = make_server("127.0.0.1", 0, app, threaded=True)
                thread = threading.Thread(
                    target=server.serve_forever, name=f"preview-{deck_id}-{aspect}", daemon=True
                )
                thread.start()
                running = Preview(app, server, thread, keys["screen"], folder)
            else:
                self._reload(running, report, language)
            self._running[(deck_id, aspect)] = running  # the most recently shown last
        court = running.app.extensions["shizheng.court"]
        with running.app.app_context():
            court.presentation.command({"action": "blank", "mode": None}, "presenter")
            outcome = court.presentation.command(
                {"action": "goto", "item": item_id, "panel": panel, "confirm": True}, "presenter"
            )
            if outcome.ok and step > 0:
                court.presentation.command({"action": "step", "step": step}, "presenter")
        if not outcome.ok:
            raise NotPreviewable("refused", code=outcome.error or "")
        return running.url(host if host in ("127.0.0.1", "localhost") else "127.0.0.1")

    def _reload(self, running: Preview, report: DeckReport, language: str) -> None:
        from ..live.sockets import live

        court = running.app.extensions["shizheng.court"]
        with running.app.app_context():
            court.reload(report, language)
            live().tell_control()

    def _stop(self, key: tuple[str, str]) -> None:
        running = self._running.pop(key)
        running.server.shutdown()
        running.server.server_close()
        running.app.extensions["shizheng.court"].stop()

    def _stop_gone(self) -> None:
        """Stop the previews of decks no longer on disk."""
        for key in [k for k, r in self._running.items() if not (r.folder / "deck.toml").is_file()]:
            self._stop(key)

    def stop(self) -> None:
        with self._lock:
            for key in list(self._running):
                self._stop(key)
