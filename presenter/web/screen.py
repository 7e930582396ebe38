"""The court screens' pages: the stage, pairing without a key, and the exhibit fragments.

Nothing here may carry presenter-only content: a screen key can fetch all of it.
"""

from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    current_app,
    g,
    jsonify,
    make_response,
    render_template,
    request,
    url_for,
)
from markupsafe import Markup

from .. import i18n
from ..live.sockets import COOKIES, live
from ..live.state import PANELS
from .auth import access, court, land_with_key, request_kind, requires, set_cookie
from .steps import steps_json

bp = Blueprint("screen", __name__, url_prefix="/screen")


@bp.before_request
def _take_key():
    return land_with_key(("screen", "presenter"))


@bp.get("")
def view():
    if request_kind() is not None:
        return render_template("live/screen.html")
    token = request.cookies.get(COOKIES["pair"])
    pairing = access().request_pairing(request.args.get("name", ""), token)
    live().tell_control()
    response = make_response(render_template("live/pairing.html", code=pairing.code))
    set_cookie(response, COOKIES["pair"], pairing.token)
    return response


@bp.get("/pairing")
def pairing_status():
    return jsonify({"status": access().pairing_status(request.cookies.get(COOKIES["pair"]))})


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
    g.mask_public = request.args.get("as") == "public" and current_app.config["PUBLIC_MASK"]
    html = render_panel(
        panel,
        exhibit,
        live_court.deck,
        lang=lang,
        file_url=lambda name: url_for("files.exhibit_file", item=exhibit.id, name=name),
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
    g.mask_public = request.args.get("as") == "public" and current_app.config["PUBLIC_MASK"]
    return render_matrix(
        live_court.deck,
        lang=i18n.language(live_court.deck.case.language),
        presenter=False,
        may_show=live_court.presentation.may_show,
    )


def finalize(value: object) -> object:
    """Jinja's last word on every value it prints: personal numbers masked for a public
    screen (our own URLs, which start with '/', are left whole)."""
    if not g.get("mask_public") or not isinstance(value, str) or value.startswith("/"):
        return value
    from ..masking import mask_text

    masked = mask_text(str(value))
    return Markup(masked) if isinstance(value, Markup) else masked
