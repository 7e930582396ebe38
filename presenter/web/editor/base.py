"""The editor's guard and the helpers its views share.

Guarded as the presenter is: its own key (`?key=` becomes an HttpOnly, SameSite=Strict
cookie), a CSRF token (and, when the browser names one, the editor's own origin) on every
write, the Host checked, a Content-Security-Policy on every page; nothing outside the decks'
folder can be read or written through it (presenter.editor.store).
"""

from __future__ import annotations

import hmac
from functools import wraps
from typing import Any
from urllib.parse import urlencode

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    g,
    jsonify,
    redirect,
    render_template,
    request,
)

from ... import i18n
from ...editor.document import EditRefused
from ...editor.pointing import Undrawable
from ...editor.store import Conflict, Refused
from ...editor.workspace import Workspace
from ...i18n.editor import EDITOR_MESSAGES, EDITOR_WORDS
from ..auth import set_cookie
from ..pages import static_url

bp = Blueprint("editor", __name__)

COOKIE = "shizheng_editor"
WRITES = ("POST", "PUT", "DELETE", "PATCH")
MAX_BODY = 64 << 20
"""The largest JSON a page sends (a whole item's text, for an undo)."""


def workspace() -> Workspace:
    return current_app.extensions["shizheng.editor"]


def _key() -> str:
    return current_app.config["EDITOR_KEY"]


def csrf_token() -> str:
    return hmac.new(_key().encode(), b"editor-csrf", "sha256").hexdigest()


def lang() -> str:
    if "lang" not in g:
        g.lang = i18n.language(current_app.config.get("EDITOR_LANGUAGE", "zh-CN"))
    return g.lang


def _same(given: str, secret: str) -> bool:
    """A constant-time comparison of any text a request brings (non-ASCII too)."""
    return hmac.compare_digest(given.encode("utf-8", "surrogatepass"), secret.encode())


@bp.before_app_request
def _guard():
    key = request.args.get("key")
    if key is not None:
        if not _same(key, _key()):
            abort(403)
        rest = [(k, v) for k, vs in request.args.lists() if k != "key" for v in vs]
        response = redirect(request.path + ("?" + urlencode(rest) if rest else ""), code=303)
        set_cookie(response, COOKIE, key)
        return response
    if request.endpoint == "static":
        return None
    if not _same(request.cookies.get(COOKIE, ""), _key()):
        if request.path.startswith("/api/"):
            return refused("no_key", 403)
        return render_template("editor/locked.html", **page_words()), 401
    if request.method in WRITES:
        token = request.headers.get("X-CSRF-Token", "")
        origin = request.headers.get("Origin")
        if not _same(token, csrf_token()) or (
            origin is not None and origin != request.host_url.rstrip("/")
        ):
            return refused("csrf", 403)
    return None


def page_words() -> dict[str, Any]:
    language = lang()
    return {
        "lang": language,
        "w": lambda key: i18n.pick(EDITOR_WORDS[key], language),
        "static_url": static_url,
    }


class _Said(dict):
    """A refusal's values; one its words name but the refusal lacks reads as nothing."""

    def __missing__(self, key: str) -> str:
        return ""


def message(code: str, language: str, **params: Any) -> str:
    """A refusal's words, its values filled in."""
    text = i18n.pick(EDITOR_MESSAGES.get(code) or EDITOR_MESSAGES["bad_request"], language)
    return text.format_map(_Said(params))


def refused(code: str, status: int = 400, **params: Any) -> tuple[Response, int]:
    return jsonify({"error": code, "message": message(code, lang(), **params)}), status


def answers(view):
    """A JSON view whose user errors become a 4xx with words, never a 500."""

    @wraps(view)
    def answered(*args, **kwargs):
        try:
            return view(*args, **kwargs)
        except Refused as refusal:
            return refused(refusal.code, refusal.status, **refusal.params)
        except EditRefused as refusal:
            return refused(refusal.code, 400, key=refusal.key)
        except Undrawable as failure:
            return Response(i18n.pick(failure.words, lang()), 422, mimetype="text/plain")
        except OSError as error:  # the disk's own refusal: full, read-only, a name too long
            return refused("io_error", 400, detail=error.strerror or type(error).__name__)
        except Conflict as conflict:
            body = {
                "error": "conflict",
                "message": message("conflict", lang(), name=conflict.current.name),
                "current": {"text": conflict.current.text, "version": conflict.current.version},
            }
            return jsonify(body), 409

    return answered


def body() -> dict[str, Any]:
    """The request's JSON object (a refusal for anything else, or too large a one)."""
    if (request.content_length or 0) > MAX_BODY:
        raise Refused("too_large")
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        raise Refused("bad_request")
    return data
