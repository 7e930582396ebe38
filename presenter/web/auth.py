"""Keys over HTTP: `?key=` becomes an HttpOnly, SameSite=Strict cookie, then is dropped.

A page opened with the presenter key is a presenter's; with the screen key (or a pairing
approved as a court screen) a screen's; with the public-screen key (or a pairing approved as
旁听席) a public screen's, which the server masks whatever the request asks. A screen never
opens a presenter page or endpoint.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from urllib.parse import urlencode

from flask import Response, abort, current_app, g, redirect, request

from ..live.access import Access
from ..live.court import Court

SCREENS = ("screen", "public")
"""The credential kinds of a court screen: both follow, the public one is masked."""


def court() -> Court:
    return current_app.extensions["shizheng.court"]


def access() -> Access:
    return court().access


def request_kind() -> str | None:
    """'presenter', 'screen' or 'public' from the request's cookies; None without a valid one.
    A presenter's browser that also opened a screen link is still the presenter's; a browser
    holding both a screen's and a public screen's credential is masked."""
    if "kind" not in g:
        keys, names = access(), court().cookies
        found = {keys.kind(request.cookies.get(names[cookie])) for cookie in names}
        g.kind = next((kind for kind in ("presenter", "public", "screen") if kind in found), None)
    return g.kind


def masked() -> bool:
    """Whether what this request gets must be masked: a public screen's, unless the server
    was started with public masking off. Decided from the credential, never from the URL."""
    return request_kind() == "public" and current_app.config["PUBLIC_MASK"]


def expert() -> bool:
    """Whether this request is the expert's (Art. 47 ¶1): no cookie of it holds the
    presenter's own key (the expert's key opens the presenter's pages from whichever cookie
    it was put in), or a presenter's page was opened as the expert (`?role=expert`). Either
    way it gets what the expert's key would: the exhibits and controls, never the notes."""
    keys, names = access(), court().cookies
    secrets = (request.cookies.get(name) for name in names.values())
    own = any(keys.kind(s) == "presenter" and not keys.is_expert(s) for s in secrets)
    return not own or request.args.get("role") == "expert"


def set_cookie(response: Response, name: str, value: str) -> None:
    response.set_cookie(name, value, httponly=True, samesite="Strict", path="/")


def land_with_key(accepted: tuple[str, ...]) -> Response | None:
    """Before a page: turn `?key=` into a cookie and redirect to the URL without it."""
    key = request.args.get("key")
    if key is None:
        return None
    kind = access().kind(key)
    if kind not in accepted:
        abort(403)
    rest = [(k, v) for k, values in request.args.lists() if k != "key" for v in values]
    response = redirect(request.path + ("?" + urlencode(rest) if rest else ""), code=303)
    names = court().cookies
    set_cookie(response, names[kind], key)  # type: ignore[index]
    for other in ("screen", "public", "pair"):
        if other != kind and request.cookies.get(names[other]):
            response.delete_cookie(names[other], path="/")  # one screen credential at a time
    return response


def requires(*kinds: str) -> Callable:
    """Refuse a view (403) unless the request holds a credential of one of `kinds`
    ('screen' admits public screens too)."""
    admitted = set(kinds) | ({"public"} if "screen" in kinds else set())

    def decorate(view: Callable) -> Callable:
        @wraps(view)
        def guarded(*args, **kwargs):
            if request_kind() not in admitted:
                abort(403)
            return view(*args, **kwargs)

        return guarded

    return decorate


def _forbidden(error) -> tuple[str, int]:
    from flask import render_template

    return render_template("pages/forbidden.html"), 403


def _decide_masking() -> None:
    # Jinja's finalize masks every printed value when this is set (web/screen.py)
    g.mask_public = masked()


def init_app(app) -> None:
    app.register_error_handler(403, _forbidden)
    app.before_request(_decide_masking)
