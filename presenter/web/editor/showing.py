"""What the editor shows of an item: its files to point at, a chart as a step shows it, and
the court-screen preview."""

from __future__ import annotations

from pathlib import Path

from flask import current_app, jsonify, request, send_file, url_for

from ...editor import pointing
from ...editor.store import Refused
from ...live.state import PANELS
from ..pages import no_store
from .base import answers, body, bp, lang, workspace


@bp.get("/api/decks/<deck_id>/point")
@answers
def point(deck_id: str):
    """What an item's steps can point at: its picture, pages, messages, rows or lines."""
    name = request.args.get("file", "")
    exhibit, deck = workspace().reading(deck_id, name, lang())

    def file_url(_exhibit, shown: str) -> str:
        return url_for("editor.shown", deck_id=deck_id, item=name, name=shown)

    instance = Path(current_app.instance_path)
    return no_store(jsonify(pointing.material(exhibit, deck, instance, file_url)))


@bp.get("/api/decks/<deck_id>/chart")
@answers
def chart(deck_id: str):
    """A chart item's figure as a step with `until` and `focus` shows it."""
    exhibit, deck = workspace().reading(deck_id, request.args.get("file", ""), lang())
    focus = tuple(f for f in request.args.getlist("focus") if f)
    figure = pointing.chart(exhibit, deck, request.args.get("until", ""), focus, lang())
    return no_store(jsonify(figure))


@bp.get("/files/<deck_id>/shown")
@answers
def shown(deck_id: str):
    """One of an item's files as the editor shows it (pointing.shown); never active content
    (the evidence files' policy: security.py)."""
    exhibit, deck = workspace().reading(deck_id, request.args.get("item", ""), lang())
    page = request.args.get("page", "1")
    number = int(page) if page.isdigit() and 0 < int(page) < 100000 else 1
    cache = Path(current_app.instance_path, "editor-cache")
    path, mimetype = pointing.shown(exhibit, deck, request.args.get("name", ""), number, cache)
    return send_file(path, mimetype=mimetype, conditional=True, max_age=0)


@bp.post("/api/decks/<deck_id>/preview")
@answers
def preview(deck_id: str):
    """Bring the deck's court-screen preview at 4:3 or 16:9 to an item's panel and step."""
    data = body()
    name, panel, aspect, step = (data.get(k) for k in ("file", "panel", "aspect", "step"))
    if not isinstance(name, str) or panel not in PANELS or not isinstance(aspect, str):
        raise Refused("bad_request")
    if not isinstance(step, int) or isinstance(step, bool) or not 0 <= step < 10000:
        step = 0
    host = request.host.rsplit(":", 1)[0]
    url = workspace().preview(deck_id, name, panel, aspect, step, lang(), host)
    return no_store(jsonify({"url": url}))
