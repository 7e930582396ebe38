"""The court screens' pages: the stage, pairing without a key, and the exhibit fragments.

Nothing here may carry presenter-only content: a screen key can fetch all of it.
"""

from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    g,
    jsonify,
    make_response,
    render_template,
    request,
    url_for,
)

from .. import i18n
from ..i18n.refusals import PAIRING_REFUSED
from ..live.access import PairingRefused
from ..live.state import PANELS
from ..views.files import file_ref
from .auth import access, court, land_with_key, request_kind, requires, set_cookie
from .steps import steps_json

bp = Blueprint("screen", __name__, url_prefix="/screen")


@bp.before_request
def _take_key():
    return land_with_key(("screen", "public", "presenter"))


@bp.get("")
def view():
    kind = request_kind()
    if kind is not None:
        return render_template("live/screen.html", public=kind == "public")
    names = court().cookies
    try:
        pairing, _ = access().request_pairing(
            request.args.get("name", ""), request.cookies.get(names["pair"]), _address()
        )
    except PairingRefused as refused:
        lang = i18n.language(court().deck.case.language)
        message = i18n.pick(PAIRING_REFUSED[refused.code], lang)
        return render_template("live/pairing.html", code=None, message=message), 429
    response = make_response(render_template("live/pairing.html", code=pairing.code))
    set_cookie(response, names["pair"], pairing.token)
    return response


def _address() -> str:
    return request.remote_addr or "?"


@bp.get("/pairing")
def pairing_status():
    token = request.cookies.get(court().cookies["pair"])
    return jsonify({"status": access().pairing_status(token)})


@bp.get("/exhibit/<item>/<panel>")
@requires("screen", "presenter")
def fragment(item: str, panel: str) -> str:
    """One exhibit's content or panel, rendered for court."""
    from ..views import render_panel

    live_court = court()
    exhibit = live_court.deck.exhibit(item)
    if exhibit is None or panel not in PANELS:
        abort(404)
    if request_kind() != "presenter" and not live_court.presentation.may_show(item):
        abort(403)
    lang = i18n.language(live_court.deck.case.language)
    html = render_panel(
        panel,
        exhibit,
        live_court.deck,
        lang=lang,
        file_url=lambda name: url_for("files.exhibit_file", item=exhibit.id, name=file_ref(name)),
        unverified=item in live_court.presentation.unverified,
        may_show=live_court.presentation.may_show,
    )
    return render_template(
        "live/fragment.html", exhibit=exhibit, panel=panel, html=html, steps=steps_json(exhibit)
    )


@bp.get("/case")
@requires("screen", "presenter")
def case_matrix() -> str:
    """The case's fact–evidence matrix as the court sees it: no origins, no 孤证, only the
    items the screens may have."""
    from ..views import render_matrix

    live_court = court()
    return render_matrix(
        live_court.deck,
        lang=i18n.language(live_court.deck.case.language),
        presenter=False,
        may_show=live_court.presentation.may_show,
    )


def finalize(value: object) -> object:
    """Jinja's last word on every value it prints: personal numbers masked for a public
    screen. The app's own URLs (AppUrl) and HTML our renderers have already finalized
    (Rendered) are left as they are: they are marked by type, never guessed from text."""
    from ..masking import mask_text
    from ..views import Rendered

    if not g.get("mask_public") or not isinstance(value, str) or isinstance(value, Rendered):
        return value
    return mask_text(value)  # a Markup stays a Markup
