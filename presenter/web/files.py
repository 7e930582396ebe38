"""Exhibit files, for the views: only files an exhibit lists, with HTTP Range for media; and
Plotly's JavaScript from the installed plotly package, so the two versions never differ."""

from __future__ import annotations

from pathlib import Path

from flask import Blueprint, abort, send_file

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


@bp.get("/files/<item>/<path:name>")
@requires("screen", "presenter")
def exhibit_file(item: str, name: str):
    live = court()
    exhibit = live.deck.exhibit(item)
    if exhibit is None or name not in exhibit.files:
        abort(404)
    if request_kind() != "presenter" and not live.presentation.may_show(item):
        abort(403)
    root = live.deck.root.resolve()
    path = (root / name).resolve()
    if not path.is_relative_to(root) or not path.is_file():
        abort(404)
    return send_file(Path(path), conditional=True, max_age=0)
