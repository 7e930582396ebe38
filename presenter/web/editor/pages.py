"""The editor's two pages (the decks, and one deck) and plotly.js for its charts."""

from __future__ import annotations

from typing import Any

from flask import (
    Response,
    abort,
    current_app,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)

from ... import i18n
from ...editor import schema
from ...editor.store import Refused
from ...i18n.editor import CHOICE_WORDS, EDITOR_WORDS, FIELD_HELP, FIELD_LABELS
from ..pages import no_store
from .base import bp, csrf_token, lang, page_words, workspace

CHOICE_PREFIXES = ("element", "kind", "type", "view", "method", "aspect", "ground", "panel")
"""Choices whose words the interface already has (`STRINGS`, `<prefix>.<value>`)."""


@bp.get("/")
def index():
    opened = current_app.config.get("EDITOR_OPEN")
    if opened and request.args.get("list") is None:
        return redirect(url_for("editor.deck_page", deck_id=opened))
    page = render_template("editor/index.html", page=page_data(None), **page_words())
    return no_store(Response(page))


@bp.get("/deck/<deck_id>")
def deck_page(deck_id: str):
    try:
        workspace().store.deck_dir(deck_id)
    except Refused:
        abort(404)
    page = render_template("editor/deck.html", page=page_data(deck_id), **page_words())
    return no_store(Response(page))


@bp.get("/vendor/plotly-<version>.min.js")
def plotly(version: str):
    """plotly.js from the installed package, as the court's pages load it."""
    import plotly as package

    from ..files import plotly_js

    if version != package.__version__:
        abort(404)
    return send_file(plotly_js(), mimetype="text/javascript", max_age=31536000)


def page_data(deck_id: str | None) -> dict[str, Any]:
    """What the page's scripts are given: its words, the format's fields, where to ask."""
    import plotly

    language = lang()
    return {
        "deck": deck_id,
        "lang": language,
        "csrf": csrf_token(),
        "words": i18n.pick_all(EDITOR_WORDS, language),
        "fields": field_words(language),
        "schema": schema.as_json(),
        "api": url_for("editor.decks"),
        "jobs": url_for("editor.job", job_id="_")[:-1],
        "plotly": url_for("editor.plotly", version=plotly.__version__),
    }


def field_words(language: str) -> dict[str, Any]:
    """Labels, help and choices' words for the page, in one language."""
    fields = {
        key: {"label": i18n.pick(label, language),
              "help": i18n.pick(FIELD_HELP[key], language) if key in FIELD_HELP else ""}
        for key, label in FIELD_LABELS.items()
    }  # fmt: skip
    choices = {key: i18n.pick(pair, language) for key, pair in CHOICE_WORDS.items()}
    for key, pair in i18n.STRINGS.items():
        if key.split(".", 1)[0] in CHOICE_PREFIXES:
            choices[key] = i18n.pick(pair, language)
    return {"fields": fields, "choices": choices}
