"""The deck editor's pages and JSON API (编辑器). Thin: parse, call the workspace, answer.

Guarded as the presenter is: its own key (`?key=` becomes an HttpOnly, SameSite=Strict
cookie), a CSRF token on every write, the Host checked, a Content-Security-Policy on every
page; and nothing outside the decks' folder can be read or written through it
(presenter.editor.store).
"""

from __future__ import annotations

import hmac
import re
import shutil
from functools import wraps
from pathlib import Path
from typing import Any

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
    url_for,
)

from .. import formatting, i18n
from ..editor import schema
from ..editor.document import Edit, EditRefused
from ..editor.store import Conflict, Refused
from ..editor.workspace import Workspace
from ..i18n.editor import CHOICE_WORDS, EDITOR_MESSAGES, EDITOR_WORDS, FIELD_HELP, FIELD_LABELS
from .auth import set_cookie
from .pages import no_store, static_url

bp = Blueprint("editor", __name__)

COOKIE = "shizheng_editor"
WRITES = ("POST", "PUT", "DELETE", "PATCH")
UPLOAD_CHUNK = 1 << 20
_UPLOAD_PART = re.compile(r"^[^\x00-\x1f/\\:*?\"<>|]{1,200}$")


CHOICE_PREFIXES = ("element", "kind", "type", "view", "method", "aspect", "ground", "panel")
"""Choices whose words the interface already has (`STRINGS`, `<prefix>.<value>`)."""


class _Said(dict):
    """A refusal's values; one its words name but the refusal lacks reads as nothing."""

    def __missing__(self, key: str) -> str:
        return ""


def message(code: str, language: str, **params: Any) -> str:
    """A refusal's words, its values filled in."""
    text = i18n.pick(EDITOR_MESSAGES.get(code) or EDITOR_MESSAGES["bad_request"], language)
    return text.format_map(_Said(params))


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


def _holds_key() -> bool:
    return _same(request.cookies.get(COOKIE, ""), _key())


@bp.before_app_request
def _guard():
    key = request.args.get("key")
    if key is not None:
        if not _same(key, _key()):
            abort(403)
        rest = [(k, v) for k, vs in request.args.lists() if k != "key" for v in vs]
        from urllib.parse import urlencode

        response = redirect(request.path + ("?" + urlencode(rest) if rest else ""), code=303)
        set_cookie(response, COOKIE, key)
        return response
    if request.endpoint == "static":
        return None
    if not _holds_key():
        if request.path.startswith("/api/"):
            return _refused("no_key", 403)
        return render_template("editor/locked.html", **_page_words()), 401
    if request.method in WRITES:
        token = request.headers.get("X-CSRF-Token", "")
        origin = request.headers.get("Origin")
        if not _same(token, csrf_token()) or (
            origin is not None and origin != request.host_url.rstrip("/")
        ):
            return _refused("csrf", 403)
    return None


def _page_words() -> dict[str, Any]:
    language = lang()
    return {
        "lang": language,
        "w": lambda key: i18n.pick(EDITOR_WORDS[key], language),
        "static_url": static_url,
    }


def _refused(code: str, status: int = 400, **params: Any) -> tuple[Response, int]:
    return jsonify({"error": code, "message": message(code, lang(), **params)}), status


def answers(view):
    """A JSON view whose user errors become a 4xx with words, never a 500."""

    @wraps(view)
    def answered(*args, **kwargs):
        try:
            return view(*args, **kwargs)
        except Refused as refused:
            status = 404 if refused.code in ("no_deck", "no_file") else 400
            return _refused(refused.code, status, **refused.params)
        except EditRefused as refused:
            return _refused(refused.code, 400, key=refused.key)
        except OSError as error:  # the disk's own refusal: full, read-only, a name too long
            return _refused("io_error", 400, detail=error.strerror or type(error).__name__)
        except Conflict as conflict:
            body = {
                "error": "conflict",
                "message": message("conflict", lang(), name=conflict.current.name),
                "current": {"text": conflict.current.text, "version": conflict.current.version},
            }
            return jsonify(body), 409

    return answered


MAX_BODY = 64 << 20
"""The largest JSON a page sends (a whole item's text, for an undo)."""


def _body() -> dict[str, Any]:
    if (request.content_length or 0) > MAX_BODY:
        raise Refused("too_large")
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        raise Refused("bad_request")
    return data


# --- pages ---------------------------------------------------------------------------------


@bp.get("/")
def index():
    opened = current_app.config.get("EDITOR_OPEN")
    if opened and request.args.get("list") is None:
        return redirect(url_for("editor.deck_page", deck_id=opened))
    page = render_template("editor/index.html", page=_page_data(None), **_page_words())
    return no_store(Response(page))


@bp.get("/deck/<deck_id>")
def deck_page(deck_id: str):
    try:
        workspace().store.deck_dir(deck_id)
    except Refused:
        abort(404)
    page = render_template("editor/deck.html", page=_page_data(deck_id), **_page_words())
    return no_store(Response(page))


def _plotly_version() -> str:
    import plotly

    return plotly.__version__


def _page_data(deck_id: str | None) -> dict[str, Any]:
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
        "plotly": url_for("editor.plotly", version=_plotly_version()),
    }


# --- API -----------------------------------------------------------------------------------


@bp.get("/api/decks")
@answers
def decks():
    return no_store(jsonify(workspace().decks()))


@bp.post("/api/decks")
@answers
def create_deck():
    data = _body()
    deck_id = data.get("id")
    if not isinstance(deck_id, str):
        raise Refused("bad_deck_id", name="")
    workspace().store.deck_dir  # noqa: B018 - the id is checked by the store below
    from ..deck.loader import DECK_ID

    if not DECK_ID.match(deck_id):
        raise Refused("bad_deck_id", name=deck_id[:80])
    workspace().create(deck_id, data.get("title", ""), data.get("language", lang()))
    return jsonify({"id": deck_id, "url": url_for("editor.deck_page", deck_id=deck_id)}), 201


@bp.get("/api/decks/<deck_id>")
@answers
def deck(deck_id: str):
    return no_store(jsonify(workspace().overview(deck_id, lang())))


@bp.get("/api/decks/<deck_id>/check")
@answers
def check(deck_id: str):
    return no_store(jsonify(workspace().check(deck_id, lang())))


@bp.get("/api/decks/<deck_id>/text")
@answers
def text(deck_id: str):
    read = workspace().store.read(deck_id, request.args.get("file", ""))
    return no_store(jsonify({"text": read.text, "version": read.version}))


@bp.post("/api/decks/<deck_id>/edit")
@answers
def edit(deck_id: str):
    data = _body()
    name, base, raw = data.get("file"), data.get("base"), data.get("edits")
    if not isinstance(name, str) or not isinstance(base, str) or not isinstance(raw, list):
        raise Refused("bad_request")
    if len(raw) > 200:
        raise Refused("bad_request")
    edits = [_edit(e) for e in raw]
    before = workspace().store.read(deck_id, name)
    written = workspace().edit(deck_id, name, edits, base)
    return jsonify({"version": written.version, "before": before.text})


def _edit(raw: Any) -> Edit:
    if not isinstance(raw, dict) or not isinstance(raw.get("op"), str):
        raise Refused("bad_request")
    path = raw.get("path", [])
    if not isinstance(path, list) or len(path) > 8:
        raise Refused("bad_request")
    if not all(isinstance(p, str) or isinstance(p, int) and not isinstance(p, bool) for p in path):
        raise Refused("bad_request")
    to = raw.get("to")
    if to is not None and (not isinstance(to, int) or isinstance(to, bool)):
        raise Refused("bad_request")
    return Edit(raw["op"], tuple(path), raw.get("value"), to)


@bp.post("/api/decks/<deck_id>/replace")
@answers
def replace(deck_id: str):
    data = _body()
    name, base, text_ = data.get("file"), data.get("base"), data.get("text")
    if not isinstance(name, str) or not (base is None or isinstance(base, str)):
        raise Refused("bad_request")
    before = workspace().store.read(deck_id, name) if base else None
    written = workspace().replace(deck_id, name, text_, base)
    return jsonify({"version": written.version, "before": before.text if before else ""})


@bp.post("/api/decks/<deck_id>/items")
@answers
def add_item(deck_id: str):
    data = _body()
    title = data.get("title", "")
    if not isinstance(title, str) or len(title) > 500:
        raise Refused("bad_request")
    name = workspace().add_item(deck_id, title.strip())
    return jsonify({"file": name}), 201


@bp.post("/api/decks/<deck_id>/items/remove")
@answers
def remove_item(deck_id: str):
    data = _body()
    name, base = data.get("file"), data.get("base")
    if not isinstance(name, str) or not isinstance(base, str):
        raise Refused("bad_request")
    workspace().remove_item(deck_id, name, base)
    return jsonify({"removed": name})


def _staging(batch: str) -> Path:
    if not re.fullmatch(r"[A-Za-z0-9_-]{8,64}", batch):
        raise Refused("bad_request")
    return Path(current_app.instance_path, "editor-uploads", batch)


@bp.put("/api/decks/<deck_id>/uploads/<batch>")
@answers
def upload(deck_id: str, batch: str):
    """One dropped file, streamed to a staging folder outside every deck; `path` is its place
    in what was dropped (a folder's files keep their folder)."""
    workspace().store.deck_dir(deck_id)
    relative = request.args.get("path", "")
    parts = relative.replace("\\", "/").split("/")
    if not relative or len(parts) > 12 or not all(_UPLOAD_PART.match(p) for p in parts):
        raise Refused("bad_upload", name=relative[:200])
    if any(p in (".", "..") or p != p.strip() or p.startswith(".") for p in parts):
        raise Refused("bad_upload", name=relative[:200])
    workspace().drop_stale_uploads()
    folder = _staging(batch)
    target = folder.joinpath(*parts)
    size = request.content_length or 0
    folder.parent.mkdir(parents=True, exist_ok=True)
    if size and shutil.disk_usage(folder.parent).free < 2 * size + (256 << 20):
        raise Refused("no_space", name=relative[:200])  # the copy into the deck needs as much
    stream = request.stream
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        with target.open("xb") as copy:
            while chunk := stream.read(UPLOAD_CHUNK):
                copy.write(chunk)
    except (FileExistsError, NotADirectoryError, IsADirectoryError):
        raise Refused("bad_upload", name=relative[:200]) from None
    modified = request.args.get("modified", "")
    if modified.isdigit() and len(modified) <= 15:
        import os

        seconds = int(modified) / 1000
        os.utime(target, (seconds, seconds))  # the file's own time, as the browser read it
    return jsonify({"stored": relative}), 201


@bp.post("/api/decks/<deck_id>/uploads/<batch>/import")
@answers
def import_upload(deck_id: str, batch: str):
    folder = _staging(batch)
    if not folder.is_dir():
        raise Refused("bad_upload", name=batch)
    data = request.get_json(silent=True) or {}
    name = data.get("name") if isinstance(data, dict) else None
    if not isinstance(name, str) or not name.strip():
        name = "upload"
    export = bool(data.get("export")) if isinstance(data, dict) else False
    job = workspace().start_import(deck_id, folder, name.strip()[:80], lang(), export)
    return jsonify({"job": job}), 202


@bp.delete("/api/decks/<deck_id>/uploads/<batch>")
@answers
def drop_upload(deck_id: str, batch: str):
    shutil.rmtree(_staging(batch), ignore_errors=True)
    return jsonify({"dropped": batch})


@bp.get("/api/jobs/<job_id>")
@answers
def job(job_id: str):
    found = workspace().jobs.get(job_id)
    if found is None:
        raise Refused("no_job")
    return no_store(
        jsonify(
            {
                "total": found.total,
                "done": found.done,
                "finished": found.finished,
                "added": found.added,
                "error": found.error and message("import_failed", lang(), detail=found.error),
                "notes": found.notes,
            }
        )
    )


@bp.post("/api/decks/<deck_id>/preview")
@answers
def preview(deck_id: str):
    """Bring the deck's court-screen preview at 4:3 or 16:9 to an item's panel and step."""
    from ..deck import toml_lines
    from ..deck.loader import split_item
    from ..editor.preview import NotPreviewable
    from ..live.state import PANELS

    data = _body()
    name, panel, aspect, step = (data.get(k) for k in ("file", "panel", "aspect", "step"))
    if not isinstance(name, str) or panel not in PANELS or not isinstance(aspect, str):
        raise Refused("bad_request")
    if not isinstance(step, int) or isinstance(step, bool) or not 0 <= step < 10000:
        step = 0
    folder = workspace().store.deck_dir(deck_id)
    split = split_item(workspace().store.read(deck_id, name).text.replace("\r\n", "\n"))
    front = toml_lines.parse(split[0])[0] if not isinstance(split, str) else None
    item_id = (front or {}).get("id")
    if not isinstance(item_id, str):
        return _refused("item_not_loading", 422, id=name)
    workspace().check(deck_id, lang())  # the files as they are now, as `check` finds them
    if name in workspace().failing.get(deck_id, ()) or "deck.toml" in workspace().failing.get(
        deck_id, ()
    ):
        return _refused("item_not_loading", 422, id=item_id)
    previews = current_app.extensions["shizheng.previews"]
    try:
        url = previews.show(
            folder, deck_id, item_id, panel, aspect, step, workspace().displays.get(deck_id),
            lang(), request.host.rsplit(":", 1)[0], workspace().mismatched.get(deck_id),
        )  # fmt: skip
    except NotPreviewable as refused:
        return _refused(refused.code, 422, **refused.params)
    return no_store(jsonify({"url": url}))


# --- pointing ------------------------------------------------------------------------------


def _reading(deck_id: str, name: str):
    """The item `name` of the deck as the views read it, with its deck."""
    from ..deck import toml_lines
    from ..editor.pointing import reading

    store = workspace().store
    folder = store.deck_dir(deck_id)
    text = store.read(deck_id, name).text
    case = (toml_lines.parse(store.read(deck_id, "deck.toml").text)[0] or {}).get("case")
    displays = workspace().displays.get(deck_id)
    if displays is None:
        workspace().check(deck_id, lang())  # the display copies a GBK table needs
        displays = workspace().displays.get(deck_id)
    return reading(folder, deck_id, text, case if isinstance(case, dict) else {}, displays)


@bp.get("/api/decks/<deck_id>/point")
@answers
def point(deck_id: str):
    """What an item's steps can point at: its picture, pages, messages, rows or lines."""
    from ..editor.pointing import NotPointable, material

    name = request.args.get("file", "")
    try:
        exhibit, deck_ = _reading(deck_id, name)

        def file_url(exhibit_, shown: str) -> str:
            return url_for("editor.shown", deck_id=deck_id, item=name, name=shown)

        return no_store(
            jsonify(material(exhibit, deck_, Path(current_app.instance_path), file_url))
        )
    except NotPointable as refused:
        return _refused(refused.code, 422)


@bp.get("/api/decks/<deck_id>/chart")
@answers
def chart(deck_id: str):
    """A chart item's figure as a step with `until` and `focus` shows it, with the names a
    focus may take and the first and last times an `until` may be."""
    import datetime as dt

    from polars.exceptions import PolarsError

    from ..charts import ChartView, build
    from ..editor.pointing import NotPointable

    name = request.args.get("file", "")
    try:
        exhibit, deck_ = _reading(deck_id, name)
    except NotPointable as refused:
        return _refused(refused.code, 422)
    if exhibit.view != "chart" or not exhibit.chart:
        return _refused("no_view", 422)
    until = None
    if request.args.get("until"):
        try:
            until = dt.datetime.fromisoformat(request.args["until"])
        except ValueError:
            return _refused("bad_time", 400, key="until")
    focus = tuple(f for f in request.args.getlist("focus") if f)[:50]
    view = ChartView(until=until, focus=focus, lang=lang())
    try:
        figure = build(exhibit, deck_, view)
    except (OSError, PolarsError, ValueError, KeyError):
        return _refused("not_readable", 422)
    meta = figure.get("meta", {})
    names = meta.get("nodes") or meta.get("actors") or []
    local = moment = None
    if until is not None:  # as the step's field takes it: the deck's wall clock
        zone = formatting.deck_zone(deck_.case)
        moment = (until if until.tzinfo else until.replace(tzinfo=zone)).astimezone(zone)
        local = moment.replace(tzinfo=None).isoformat(timespec="seconds")
    return no_store(
        jsonify(
            {
                "figure": figure,
                "names": names,
                "span": meta.get("span"),
                "until": local,
                "until_at": moment.isoformat() if moment else None,
            }
        )
    )


@bp.get("/vendor/plotly-<version>.min.js")
def plotly(version: str):
    """plotly.js from the installed package, as the court's pages load it."""
    import plotly as package
    from flask import send_file

    from .files import plotly_js

    if version != package.__version__:
        abort(404)
    return send_file(plotly_js(), mimetype="text/javascript", max_age=31536000)


PLAYED = {".mp4": "video/mp4", ".webm": "video/webm", ".mov": "video/quicktime",
          ".m4v": "video/mp4", ".mp3": "audio/mpeg", ".wav": "audio/wav", ".ogg": "audio/ogg",
          ".m4a": "audio/mp4", ".aac": "audio/aac"}  # fmt: skip


@bp.get("/files/<deck_id>/shown")
@answers
def shown(deck_id: str):
    """One of an item's files as the editor shows it: a picture or a PDF page drawn by the
    render workers (within their limits), a recording as it is; never active content (the
    evidence files' policy, see security.py)."""
    import hashlib
    import os

    from flask import send_file

    from .. import rendering

    item, name = request.args.get("item", ""), request.args.get("name", "")
    exhibit, deck_ = _reading(deck_id, item)
    if name not in exhibit.files:
        raise Refused("bad_path", name=name[:200])
    from ..editor.store import _no_link

    _no_link(deck_.root, deck_.root / name)
    path = deck_.display(exhibit, name)
    if not path.is_file():
        raise Refused("no_file", name=name[:200])
    if exhibit.view in ("video", "audio"):
        mimetype = PLAYED.get(path.suffix.lower())
        if mimetype is None:
            raise Refused("not_shown", name=name[:200])
        return send_file(path, mimetype=mimetype, conditional=True, max_age=0)
    page = request.args.get("page", "1")
    number = int(page) if page.isdigit() and 0 < int(page) < 100000 else 1
    stat = os.stat(path)
    key = f"{path}:{stat.st_size}:{stat.st_mtime_ns}:{exhibit.view}:{number}"
    folder = Path(current_app.instance_path, "editor-cache")
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / (hashlib.sha256(key.encode()).hexdigest()[:32] + ".png")
    if exhibit.view == "document":
        failure = rendering.page("editor", target, path, number, 1200, None, folders=[folder])
    elif exhibit.view in ("image", "chat"):
        failure = rendering.image("editor", target, path, None, 1600, folders=[folder])
    else:
        raise Refused("not_shown", name=name[:200])
    if failure is not None:
        return Response(i18n.pick(failure.words, lang()), 422, mimetype="text/plain")
    return send_file(target, mimetype="image/png", max_age=0)
