"""The pages: for now, the exhibit list of the deck being served."""

from __future__ import annotations

import hashlib
from functools import cache
from pathlib import Path

from flask import Blueprint, current_app, render_template, url_for

from . import i18n

bp = Blueprint("pages", __name__)


@cache
def _digest(path: Path, mtime_ns: int) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()[:12]


def static_url(filename: str) -> str:
    """A static URL that carries the file's content hash, so screens never run stale files."""
    path = Path(current_app.static_folder or "", filename)
    return url_for("static", filename=filename, v=_digest(path, path.stat().st_mtime_ns))


@bp.app_context_processor
def _helpers() -> dict:
    deck = current_app.config["DECK"]
    lang = i18n.language(deck.case.language)
    return {"deck": deck, "lang": lang, "t": i18n.translator(lang), "static_url": static_url}


@bp.get("/")
def index() -> str:
    return render_template("pages/index.html")
