"""The deck editor's pages and JSON API (编辑器), one blueprint: its guard and helpers in
`base`, its pages, the decks' files, the evidence added, what is shown to point at and to
preview. Thin: parse, call the workspace (presenter.editor), answer."""

from . import decks, evidence, pages, showing
from .base import COOKIE, bp, csrf_token

__all__ = ["COOKIE", "bp", "csrf_token", "decks", "evidence", "pages", "showing"]
