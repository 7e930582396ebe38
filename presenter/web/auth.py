"""Keys over HTTP: `?key=` becomes an HttpOnly, SameSite=Strict cookie, then is dropped.

A page opened with the presenter key is a presenter's; with the screen key (or an approved
pairing) a screen's. A screen never opens a presenter page or endpoint.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from urllib.parse import urlencode

from flask import Response, abort, current_app, redirect, request

from ..live.access import Access
from ..live.court import Court
from ..live.sockets import COOKIES


def court() -> Court:
    return current_app.extensions["shizheng.court"]


def access() -> Access:
    return court().access


def request_kind() -> str | None:
    """'presenter' or 'screen' from the request's cookies; None without a valid one."""
    keys = access()
    if keys.kind(request.cookies.get(COOKIES["presenter"])) == "presenter":
        return "presenter"
    for cookie in (COOKIES["screen"], COOKIES["pair"]):
        if keys.kind(request.cookies.get(cookie)) == "screen":
            return "screen"
    return None


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
    set_cookie(response, COOKIES[kind], key)  # type: ignore[index]
    return response


def requires(*kinds: str) -> Callable:
    """Refuse a view (403) unless the request holds a credential of one of `kinds`."""

    def decorate(view: Callable) -> Callable:
        @wraps(view)
        def guarded(*args, **kwargs):
            if request_kind() not in kinds:
                abort(403)
            return view(*args, **kwargs)

        return guarded

    return decorate


def _forbidden(error) -> tuple[str, int]:
    from flask import render_template

    return render_template("pages/forbidden.html"), 403


def init_app(app) -> None:
    app.register_error_handler(403, _forbidden)
