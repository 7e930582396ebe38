"""The presenter's pages: the presenter view and the deck's presenter-only data."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, jsonify, render_template

from .. import i18n
from ..deck import Deck, Exhibit
from ..i18n.refusals import REASONS
from .auth import court, expert, land_with_key, requires
from .pages import no_store

bp = Blueprint("presenter", __name__, url_prefix="/present")


@bp.before_request
def _take_key():
    return land_with_key(("presenter",))


@bp.after_request
def _never_kept(response):
    return no_store(response)


@bp.get("")
@requires("presenter")
def view() -> str:
    return render_template("live/presenter.html", expert=expert())


@bp.get("/deck.json")
@requires("presenter")
def deck_data():
    """Everything the presenter view shows beside the miniature: notes, challenges and
    review too, except to the expert, who is never sent them."""
    from ..views.table import table_index

    live = court()
    deck = live.deck
    lang = i18n.language(deck.case.language)
    private = not expert()
    return jsonify(
        {
            "deck": deck.id,
            "version": live.deck_version,
            "title": deck.case.title,
            "record": live.record_head()["file"],
            "exhibits": [
                {
                    **_exhibit(deck, e, e.id in live.presentation.unverified, private),
                    "pages": live.presentation.page_count(e.id),
                    "columns": table_index(e, deck).header if e.view == "table" else [],
                }
                for e in deck.exhibits
            ],
            "reasons": {code: i18n.pick(words, lang) for code, words in REASONS.items()},
            "proposals": live.found_numbers()[1],
        }
    )


@bp.get("/redactions.json")
@requires("presenter")
def redactions():
    """The numbers found in the deck's pictures and pages, for the presenter to confirm or
    dismiss (masked: the page never holds the whole number), and whether every picture has
    been read (`ready`)."""
    ready, found = court().found_numbers()
    return jsonify({"ready": ready, "proposals": found})


@bp.get("/case")
@requires("presenter")
def case_matrix() -> str:
    """The matrix for the presenter: every item, each fact's origins and 孤证; cells go to
    the exhibit."""
    from ..views import render_matrix

    live = court()
    lang = i18n.language(live.deck.case.language)
    return render_matrix(live.deck, lang=lang, presenter=True, may_show=lambda item: True)


def _exhibit(deck: Deck, exhibit: Exhibit, unverified: bool, private: bool) -> dict[str, Any]:
    """One exhibit for the presenter's page; `private` adds what only the prosecutor sees
    (notes, prepared responses, review), which an expert's page never gets."""
    from ..views.markdown import safe_markdown

    shown = {
        "id": exhibit.id,
        "title": exhibit.title,
        "view": exhibit.view,
        "excluded": exhibit.excluded,
        "unverified": unverified,
        "steps": [step.label for step in exhibit.steps],
        "corroborating": _corroborating(deck, exhibit),
    }
    if not private:
        return shown
    challenges: dict[str, list[dict[str, str]]] = {}
    for challenge in exhibit.challenges:
        challenges.setdefault(challenge.ground, []).append(
            {"claim": challenge.claim, "response": str(safe_markdown(challenge.response))}
        )
    review = exhibit.review
    return {
        **shown,
        "notes": str(safe_markdown(exhibit.notes)),
        "challenges": challenges,
        "review": {
            ground: str(safe_markdown(getattr(review, ground)))
            for ground in ("objectivity", "legality", "relevance")
            if review is not None and getattr(review, ground)
        },
    }


def _corroborating(deck: Deck, exhibit: Exhibit) -> list[dict[str, str]]:
    """The exhibits corroborating this one, either way round (its own `[[corroborates]]`
    naming an exhibit, then the exhibits whose `[[corroborates]]` name it), each once with
    the point it makes: what the presenter may put beside it (并排展示)."""
    exhibits = {e.id for e in deck.exhibits}
    links = [(link.with_, link.point) for link in exhibit.corroborates if link.with_ in exhibits]
    links += [
        (other.id, link.point)
        for other in deck.exhibits
        for link in other.corroborates
        if link.with_ == exhibit.id
    ]
    seen: set[str] = {exhibit.id}
    shown = []
    for item, point in links:
        if item not in seen:
            seen.add(item)
            shown.append({"item": item, "point": point})
    return shown
