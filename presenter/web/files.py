"""Exhibit files, for the views: only files an exhibit lists, with HTTP Range for media (a
public screen's pictures, pages and videos with every box that holds blacked out:
presenter.redaction); and Plotly's JavaScript from the installed plotly package, so the
two versions never differ."""

from __future__ import annotations

import hashlib
import html
import os
from collections.abc import Callable
from pathlib import Path
from typing import NoReturn

from flask import Blueprint, Response, abort, current_app, g, jsonify, request, send_file, url_for

from .. import i18n, rendering
from ..csvfile import CsvError
from ..deck import Exhibit
from ..deck.checks import evidence_folder, is_deck_file
from ..deck.model import region_inside
from ..live.state import TableView
from ..originals import DeriveError
from ..views.files import PLAYED, TOKEN, file_ref, token_of
from .auth import court, request_kind, requires

bp = Blueprint("files", __name__)


def plotly_js() -> Path:
    import plotly

    return Path(plotly.__file__).parent / "package_data" / "plotly.min.js"


@bp.get("/vendor/plotly-<version>.min.js")
def plotly(version: str):
    import plotly as package

    if version != package.__version__:
        abort(404)
    return send_file(plotly_js(), mimetype="text/javascript", max_age=31536000)


FAILED_STATUS = {"unreadable": 415, "too_heavy": 422, "busy": 503, "unavailable": 503}
"""The answer to a screen whose derivative could not be made (presenter.rendering): the
file's fault, or try again later."""
DERIVATIVES = ("images", "pages")
"""The cache folders of derivatives, kept within RENDER_CACHE_BYTES together."""
PAGE_WIDTH = 1600
"""Pixels across a rendered PDF page: sharp on a 1080p court screen, zoomable to a region."""


def _named(exhibit: Exhibit, name: str) -> str:
    """The deck path of the exhibit's file that `name` names: itself, or the file whose token
    it is (a public screen's opaque name)."""
    if name.startswith(TOKEN):
        return next((f for f in exhibit.files if token_of(f) == name), name)
    return name


def _exhibit_path(item: str, name: str) -> Path:
    """The file of an exhibit that this request may have; 403 or 404 otherwise."""
    live = court()
    exhibit = live.deck.exhibit(item)
    if exhibit is not None:
        name = _named(exhibit, name)
    if exhibit is None or name not in exhibit.files:
        abort(404)
    if request_kind() != "presenter" and not live.presentation.may_show(item):
        abort(403)
    root = live.deck.root
    path = (root / name).resolve()
    inside = path.is_relative_to(evidence_folder(root)) and not is_deck_file(root, path)
    if not inside or not path.is_file():
        abort(404)  # whatever a name, a symlink or a hard link says: only evidence
    return path


def _display_path(item: str, name: str, original: Path) -> Path:
    """What a view is sent for the item file `name` (or its token): its display copy (a
    MOV's MP4, a HEIC's JPEG), or the original itself when the view shows it as it is. An
    original whose copy could not be made never goes to a screen instead (it may carry
    what the copy leaves out: a place, a phone number)."""
    from .. import originals

    deck = court().deck
    exhibit = deck.exhibit(item)
    assert exhibit is not None  # _exhibit_path has answered 404 otherwise
    real = _named(exhibit, name)
    derived = deck.derivation(exhibit, real)
    if derived is not None:
        return derived.copy
    needed = originals.request_for(exhibit, real, original)
    played_as_is = needed is not None and needed.kind == "strip" and not g.get("mask_public")
    if request_kind() != "presenter" and needed is not None and not played_as_is:
        words = i18n.translator(i18n.language(deck.case.language))("file.no_copy")
        abort(Response(words, 415, mimetype="text/plain"))
    return original


def cache_path(kind: str, source: Path, *variant: object, suffix: str) -> Path:
    """A file in the deck's cache for a derivative of `source`, keyed by the source's
    identity and change times, so an edited source never gets a stale derivative."""
    stat = os.stat(source)
    key = f"{source}:{stat.st_size}:{stat.st_mtime_ns}:{stat.st_ctime_ns}:{variant}"
    folder = Path(current_app.instance_path, court().deck.id, "cache", kind)
    folder.mkdir(parents=True, exist_ok=True)
    return folder / (hashlib.sha256(key.encode()).hexdigest()[:32] + suffix)


@bp.get("/files/<item>/<path:name>")
@requires("screen", "presenter")
def exhibit_file(item: str, name: str):
    """An exhibit's original, byte for byte: pictures, sound and video inline (a view embeds
    them), anything else as a download; never active content (see security.py)."""
    from ..views.files import shown_as_is

    original = _exhibit_path(item, name)
    wants_original = request.args.get("original") == "1" and request_kind() == "presenter"
    path = original if wants_original else _display_path(item, name, original)
    if _public():
        if path.suffix.lower() not in PLAYED:
            abort(403)  # a public screen is sent sound and video; pictures are drawn again
        path = _redacted_video(item, name, path)
    name = path.name if path == original else f"{original.stem}{path.suffix}"
    if shown_as_is(name):
        return send_file(path, conditional=True, max_age=0)
    return send_file(
        path,
        mimetype="application/octet-stream",
        as_attachment=True,
        download_name=Path(name).name,
        conditional=True,
        max_age=0,
    )


def _redacted_video(item: str, name: str, path: Path) -> Path:
    """What a public screen plays of the item file `name` (at `path`, its display copy): a
    video with boxes to black out is its redacted copy, once made (a placeholder until
    then: never the video unredacted); anything else as it is."""
    from ..deck.checks import is_video
    from ..redaction.apply import video_boxes

    deck = court().deck
    exhibit = deck.exhibit(item)
    assert exhibit is not None  # _exhibit_path has answered 404 otherwise
    real = _named(exhibit, name)
    boxes = video_boxes(exhibit, _live_redaction(), real, deck) if is_video(real) else []
    if not boxes:
        return path
    wait = current_app.config.get("REDACTION_WAIT", False)  # a bundle waits for it
    try:
        copy = _videos().copy(_instance_folder() / "redacted", path, boxes, wait=wait)
    except DeriveError as error:
        words = i18n.pick(error.words, i18n.language(court().deck.case.language))
        abort(Response(words, 415, mimetype="text/plain"))
    return copy or _not_ready("video")


@bp.get("/pages/<item>/<int:number>.png")
@requires("screen", "presenter")
def document_page(item: str, number: int):
    """A page of a document exhibit rendered to PNG (pdfium), cached in the instance folder;
    with `?region=`, that region of it as a callout; with `?file=`, of the exhibit's
    document of that index (of several: presenter.views.several)."""
    from ..deck.checks import shown_files

    documents = shown_files(_exhibit_of(item, "document"))
    asked = request.args.get("file", "0")
    file = int(asked) if asked.isdigit() else -1
    if not 0 <= file < len(documents):
        abort(404)
    path = _exhibit_path(item, documents[file])
    if not 1 <= number <= court().presentation.page_count(item, file):
        abort(404)
    region = _region(request.args.get("region"))
    boxes = _public_boxes(item, documents[file], number)
    target = cache_path("pages", path, number, PAGE_WIDTH, region, *boxes, suffix=".png")
    # a callout: the region rendered as sharp as a whole page would be, up to 4 times
    width = PAGE_WIDTH if region is None else round(PAGE_WIDTH * min(4.0, 1 / region[2]))
    _made(item, target, rendering.page, path, number, width, region, *boxes)
    return _picture(target, mimetype="image/png")


def _made(item: str, target: Path, make: Callable[..., rendering.Failure | None], *args) -> None:
    """Make the derivative in a worker process unless cached; a clear error (never a 500)
    for a file that cannot be read or is too heavy to draw, or while the exhibit is busy."""
    deck = court().deck
    config = current_app.config
    failure = make(
        f"{deck.id}/{item}", target, *args,
        time_limit=config.get("RENDER_TIME_LIMIT", rendering.TIME_LIMIT),
        folders=[Path(current_app.instance_path, deck.id, "cache", k) for k in DERIVATIVES],
        bound=config.get("RENDER_CACHE_BYTES", rendering.CACHE_BYTES),
    )  # fmt: skip
    if failure is not None:
        words = i18n.pick(failure.words, i18n.language(deck.case.language))
        abort(Response(words, FAILED_STATUS[failure.reason], mimetype="text/plain"))


@bp.get("/images/<item>/<path:name>")
@requires("screen", "presenter")
def image(item: str, name: str):
    """An image exhibit for the screens: the display derivative, with `?region=x,y,w,h` a
    callout cropped from the full-resolution original, with `?thumb=1` a thumbnail; all
    cached in the instance folder. An SVG is sent drawn, as PNG, never as itself."""
    from ..views.image import LONG_SIDE, THUMB

    path = _display_path(item, name, _exhibit_path(item, name))
    region = _region(request.args.get("region"))
    side = THUMB if request.args.get("thumb") == "1" else LONG_SIDE
    suffix = ".jpg" if path.suffix.lower() in (".jpg", ".jpeg") else ".png"
    boxes = _public_boxes(item, name)
    target = cache_path("images", path, region, side, *boxes, suffix=suffix)
    _made(item, target, rendering.image, path, region, side, *boxes)
    return _picture(target)


def _public_boxes(item: str, name: str, page: int = 1) -> tuple[rendering.Boxes, ...]:
    """For a public screen, the boxes its render of the item file `name` (or its token),
    page `page`, has blacked out, as one argument of the render (and of its cache key: a
    public screen's picture is never a court screen's); nothing for a court screen or the
    presenter. A placeholder while detection has not run on it: never the picture."""
    from ..redaction.apply import boxes_for

    if not _public():
        return ()
    deck = court().deck
    exhibit = deck.exhibit(item)
    assert exhibit is not None  # _exhibit_path has answered 404 otherwise
    folder, live = _instance_folder(), _live_redaction()
    boxes = boxes_for(deck, folder, live, exhibit, _named(exhibit, name), page)
    return (tuple(boxes),) if boxes is not None else _not_ready("picture")


def _picture(target: Path, mimetype: str | None = None) -> Response:
    """A render, cached by the browser an hour; a public screen's asked again each time (its
    boxes change in court: the stage adds `rv=<redaction version>` to fetch it anew)."""
    public = _public()
    response = send_file(target, mimetype=mimetype, max_age=0 if public else 3600)
    if public:
        response.cache_control.private = True
    return response


def _not_ready(kind: str) -> NoReturn:
    """Answer a public screen with a placeholder (202: being prepared): for a picture, a
    picture saying what it waits for (drawn by the screen's browser, in its fonts); for a
    video, the words (no video plays them: the stage asks again). Asked again after
    `Retry-After`, never cached."""
    t = i18n.translator(i18n.language(court().deck.case.language))
    headers = {"Retry-After": str(RETRY_AFTER), "Cache-Control": "no-store"}
    if kind == "video":
        abort(Response(t("file.preparing"), NOT_READY, mimetype="text/plain", headers=headers))
    body = PLACEHOLDER.format(words=html.escape(t("file.checking")))
    abort(Response(body, NOT_READY, mimetype="image/svg+xml", headers=headers))


NOT_READY = 202
"""Accepted, not done: a public screen's picture is being checked, its video redacted. A
2xx no screen takes for the picture (it is not 200), and no server error."""
RETRY_AFTER = 2
"""Seconds a public screen waits before asking again for what is being prepared."""
PLACEHOLDER = (
    '<svg xmlns="http://www.w3.org/2000/svg" width="1600" height="900" viewBox="0 0 1600 900">'
    '<rect width="1600" height="900" fill="#343a40"/>'
    '<text x="800" y="470" fill="#f8f9fa" font-size="64" text-anchor="middle"'
    ' font-family="sans-serif">{words}</text></svg>'
)
"""The placeholder of a picture a public screen may not have yet: no script, nothing
fetched; its text escaped."""


def _instance_folder() -> Path:
    """The deck's instance folder: detection's results and decisions, redacted copies. A
    masked bundle, drawn in a temporary instance, names the real one (REDACTION_INSTANCE)."""
    instance = current_app.config.get("REDACTION_INSTANCE") or current_app.instance_path
    return Path(instance, court().deck.id)


def _live_redaction():
    """The live state's boxes and decisions (presenter.live.state.Redaction)."""
    return court().state.redaction


def _videos():
    """The server's redacted video copies (made in the background, one at a time)."""
    from ..redaction.video import RedactedVideos

    return current_app.extensions.setdefault("shizheng.redacted_videos", RedactedVideos())


def _region(text: str | None) -> tuple[float, ...] | None:
    """`?region=x,y,w,h` snapped outward to the render grid (so near-identical regions share
    one render); 400 for one that is not four numbers, not inside the picture, or tiny."""
    if not text:
        return None
    try:
        x, y, w, h = (float(v) for v in text.split(","))
    except ValueError:
        abort(400)
    if not region_inside(x, y, w, h):
        abort(400)
    return rendering.quantise(x, y, w, h) or abort(400)


def _exhibit_of(item: str, view: str) -> Exhibit:
    """The exhibit if it has this view (else 404) and this request may have its files
    (else 403, as for the files themselves)."""
    exhibit = court().deck.exhibit(item)
    if exhibit is None or exhibit.view != view:
        abort(404)
    _exhibit_path(item, exhibit.files[0])
    return exhibit


def _window(item: str, view: str, read: Callable[[Exhibit, int], dict]):
    """A window of a table or chat exhibit as JSON, from `?start=` (0-based): 404 for
    another view, 403 when the screens may not have it, 400 for a bad start, 422 for a
    file that cannot be read."""
    from ..masking import mask_value

    exhibit = _exhibit_of(item, view)
    try:
        start = max(0, int(request.args.get("start", "0")))
        data = {"start": start, **read(exhibit, start)}
        # a public screen's window is masked whole: every field, whatever a view adds
        return jsonify(mask_value(data) if _public() else data)
    except ValueError:
        abort(400)  # an unreadable CSV is answered by _unreadable, in words


@bp.app_errorhandler(CsvError)
def _unreadable(error: CsvError):
    """An exhibit's CSV that cannot be read now (changed on disk since it was checked): a
    clear refusal for the screen, which shows its own words, never a 500."""
    current_app.logger.warning("%s", error)  # for the technician; the screen needs no path
    return jsonify({"error": "unreadable"}), 422


def _public() -> bool:
    return bool(g.get("mask_public"))


@bp.get("/tables/<item>/rows")
@requires("screen", "presenter")
def table_rows(item: str):
    """A page of a table exhibit's rows, as the presenter sorted and filtered it on the
    screens now (a category's rows too, after a click on its total); masked for a public
    screen."""
    from ..views.table import window

    def read(exhibit: Exhibit, start: int) -> dict:
        view = _arranged(item)[0] or TableView()
        return window(
            exhibit, court().deck, start,
            sort=view.sort, desc=view.desc, text=view.filter, category=view.category,
            public=_public(),
        )  # fmt: skip

    return _window(item, "table", read)


@bp.get("/chats/<item>/messages")
@requires("screen", "presenter")
def chat_messages(item: str):
    """A window of a chat's messages, masked for a public screen."""
    from ..views.chat import messages as window

    def read(exhibit: Exhibit, start: int) -> dict:
        messages, total = window(
            exhibit,
            court().deck,
            lambda name: url_for("files.exhibit_file", item=item, name=file_ref(name)),
            start,
        )
        return {"messages": messages, "total": total}

    return _window(item, "chat", read)


def _arranged(item: str, state=None):
    """How the presenter arranged a table or chart exhibit on the screens (its table view
    and its chart view) in `state` (the live one by default): of the half the keyboard
    drives, or of the other half of a side-by-side view; (None, None) when it is on no
    screen."""
    state = state or court().state
    if state.item == item:
        return state.table, state.chart
    other = state.compare.other if state.compare else None
    if other is not None and other.item == item:
        return other.table, other.chart
    return None, None


def _chart_view(item: str, state=None):
    """The live state's (or `state`'s) view of a chart exhibit (as the charts package takes
    it, in the request's language), and the flow whose transactions are open."""
    import datetime as dt

    from .. import i18n
    from ..charts import FOLD, ChartView

    live = _arranged(item, state)[1]
    view = ChartView(
        until=dt.datetime.fromisoformat(live.until) if live and live.until else None,
        focus=live.focus if live else (),
        fold=live.fold if live and live.fold else FOLD,
        lang=i18n.language(court().deck.case.language),
    )
    return view, live.flow if live else None


@bp.get("/charts/<item>/figure")
@requires("screen", "presenter")
def chart_figure(item: str):
    """A chart exhibit's Plotly figure as the live state has it now (until, focus, fold),
    with that state's `seq`: a screen never lets a figure of an older state replace a newer
    one (views/chart.js); personal numbers masked for a public screen."""
    from polars.exceptions import PolarsError

    from ..charts import build
    from ..masking import mask_value

    exhibit = _exhibit_of(item, "chart")
    state = court().state
    try:
        figure = build(exhibit, court().deck, _chart_view(item, state)[0])
    except (OSError, PolarsError) as error:  # its CSV gone or changed on disk since `check`
        current_app.logger.warning("%s: %s", item, error)  # for the technician
        return jsonify({"error": "unreadable"}), 422  # the screen keeps what it shows
    return jsonify({**(mask_value(figure) if _public() else figure), "seq": state.seq})


@bp.get("/charts/<item>/transactions")
@requires("screen", "presenter")
def chart_transactions(item: str):
    """The transactions behind the flow the presenter opened on a fund-flow chart (404 when
    none is open), with the flow's index among the figure's links (to light it on a
    screen whose names are masked); masked for a public screen."""
    from ..charts import build, transactions
    from ..masking import mask_value

    exhibit = _exhibit_of(item, "chart")
    view, flow = _chart_view(item)
    if exhibit.chart != "funds" or flow is None:
        abort(404)
    links = [tuple(link[:2]) for link in build(exhibit, court().deck, view)["meta"]["links"]]
    data = {
        **transactions(exhibit, court().deck, view, flow),
        "link": links.index(flow) if flow in links else None,
    }
    return jsonify(mask_value(data) if _public() else data)
