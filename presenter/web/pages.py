"""The front door and the helpers every page uses (language, words, static URLs)."""

from __future__ import annotations

import hashlib
import re
from functools import cache
from pathlib import Path

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)

from .. import i18n
from .auth import access, court, land_with_key, request_kind, set_cookie

bp = Blueprint("pages", __name__)


@cache
def _digest(path: Path, mtime_ns: int) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()[:12]


def static_url(filename: str) -> str:
    """A static URL that carries the file's content hash, so screens never run stale files."""
    path = Path(current_app.static_folder or "", filename)
    return url_for("static", filename=filename, v=_digest(path, path.stat().st_mtime_ns))


def plotly_url() -> str:
    """plotly.js from the installed plotly package, its version in the URL."""
    import plotly

    return url_for("files.plotly", version=plotly.__version__)


def no_store(response: Response) -> Response:
    """A presenter's page or data: never kept by the browser or anything between (notes,
    prepared responses, the deck's review)."""
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.after_app_request
def _static_caching(response: Response) -> Response:
    # a hashed URL never changes; a module imported by a relative URL carries no hash, so
    # the browser must ask again each time (a 304 when unchanged) or it may run stale code
    if request.endpoint == "static":
        if request.args.get("v"):
            response.cache_control.max_age = 31536000
            response.cache_control.immutable = True
        else:
            response.cache_control.no_cache = True
    return response


@bp.app_context_processor
def _helpers() -> dict:
    deck = court().deck
    lang = i18n.language(deck.case.language)
    return {
        "deck": deck,
        "lang": lang,
        "t": i18n.translator(lang),
        "static_url": static_url,
        "plotly_url": plotly_url,
    }


@bp.before_request
def _take_key():
    return land_with_key(("presenter", "screen", "public"))


@bp.get("/")
def index():
    """The presenter's exhibit catalogue; a screen goes to its stage; others are told how in."""
    kind = request_kind()
    if kind in ("screen", "public"):
        return redirect(url_for("screen.view"))
    if kind == "presenter":
        return no_store(make_response(render_template("pages/index.html")))
    return render_template("pages/welcome.html"), 401


@bp.get("/alive")
def alive():
    """Whether this process answers: what a page looks for before it moves here."""
    return "", 204


_LANDING = re.compile(r"/(present|screen)(\?[A-Za-z0-9._~!$&()*+,;=:@/?%\-]*)?")
"""Where a page moving here may go: a presenter's or a screen's page of this process, with
the query a browser leaves as it is (no quote, space, backslash or control character)."""


@bp.get("/land")
def land():
    """A page whose process stopped answering comes here with the ticket that process gave
    it: let in as it was there (a cookie of the same kind), then on to the same page.
    Through a page of this process, not a redirect, so that the SameSite cookie is sent
    from another machine's page too."""
    target = request.args.get("next", "/screen")
    if not _LANDING.fullmatch(target):
        abort(403)
    redeemed = access().redeem(request.args.get("ticket", ""))
    if redeemed is None:
        abort(403)
    cookie, secret = redeemed
    response = no_store(make_response(render_template("pages/land.html", target=target)))
    set_cookie(response, court().cookies[cookie], secret)
    return response
