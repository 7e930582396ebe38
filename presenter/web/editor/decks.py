"""The decks and their text files: list, make, read, edit (with the version edited), undo."""

from __future__ import annotations

from typing import Any

from flask import jsonify, request, url_for

from ...deck.loader import DECK_ID
from ...editor.document import Edit
from ...editor.store import Refused
from ..pages import no_store
from .base import answers, body, bp, lang, workspace

MAX_EDITS = 200
"""Edits in one request: a person's change is one or a few."""


@bp.get("/api/decks")
@answers
def decks():
    return no_store(jsonify(workspace().decks()))


@bp.post("/api/decks")
@answers
def create_deck():
    data = body()
    deck_id = data.get("id")
    if not isinstance(deck_id, str) or len(deck_id) > 64 or not DECK_ID.match(deck_id):
        raise Refused("bad_deck_id", name=str(deck_id)[:80])
    workspace().create(deck_id, data.get("title", ""), data.get("language", lang()))
    return jsonify({"id": deck_id, "url": url_for("editor.deck_page", deck_id=deck_id)}), 201


@bp.get("/api/decks/<deck_id>")
@answers
def deck(deck_id: str):
    return no_store(jsonify(workspace().overview(deck_id, lang())))


@bp.get("/api/decks/<deck_id>/check")
@answers
def check(deck_id: str):
    return no_store(jsonify(workspace().check(deck_id, lang())))


@bp.get("/api/decks/<deck_id>/text")
@answers
def text(deck_id: str):
    read = workspace().store.read(deck_id, request.args.get("file", ""))
    return no_store(jsonify({"text": read.text, "version": read.version}))


@bp.post("/api/decks/<deck_id>/edit")
@answers
def edit(deck_id: str):
    data = body()
    name, base, raw = data.get("file"), data.get("base"), data.get("edits")
    if not isinstance(name, str) or not isinstance(base, str) or not isinstance(raw, list):
        raise Refused("bad_request")
    if len(raw) > MAX_EDITS:
        raise Refused("bad_request")
    edits = [_edit(e) for e in raw]
    before = workspace().store.read(deck_id, name)
    written = workspace().edit(deck_id, name, edits, base)
    return jsonify({"version": written.version, "before": before.text})


def _edit(raw: Any) -> Edit:
    if not isinstance(raw, dict) or not isinstance(raw.get("op"), str):
        raise Refused("bad_request")
    path = raw.get("path", [])
    if not isinstance(path, list) or len(path) > 8:
        raise Refused("bad_request")
    if not all(isinstance(p, str) or isinstance(p, int) and not isinstance(p, bool) for p in path):
        raise Refused("bad_request")
    to = raw.get("to")
    if to is not None and (not isinstance(to, int) or isinstance(to, bool)):
        raise Refused("bad_request")
    return Edit(raw["op"], tuple(path), raw.get("value"), to)


@bp.post("/api/decks/<deck_id>/replace")
@answers
def replace(deck_id: str):
    """A whole text written (an undo, or the person's choice in a conflict)."""
    data = body()
    name, base, text_ = data.get("file"), data.get("base"), data.get("text")
    if not isinstance(name, str) or not (base is None or isinstance(base, str)):
        raise Refused("bad_request")
    before = workspace().store.read(deck_id, name) if base else None
    written = workspace().replace(deck_id, name, text_, base)
    return jsonify({"version": written.version, "before": before.text if before else ""})


@bp.post("/api/decks/<deck_id>/items")
@answers
def add_item(deck_id: str):
    title = body().get("title", "")
    if not isinstance(title, str) or len(title) > 500:
        raise Refused("bad_request")
    return jsonify({"file": workspace().add_item(deck_id, title.strip())}), 201


@bp.post("/api/decks/<deck_id>/items/remove")
@answers
def remove_item(deck_id: str):
    data = body()
    name, base = data.get("file"), data.get("base")
    if not isinstance(name, str) or not isinstance(base, str):
        raise Refused("bad_request")
    workspace().remove_item(deck_id, name, base)
    return jsonify({"removed": name})
