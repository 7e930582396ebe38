"""Charts: a Plotly figure built on the server (presenter/charts) for the state's `until`,
`focus` and `fold`, fetched and drawn by the screen with the locally served plotly.js."""

from __future__ import annotations

from flask import url_for

from ..deck import Deck, Exhibit
from .files import FileUrl


def context(exhibit: Exhibit, deck: Deck, file_url: FileUrl) -> dict:
    return {
        "url": url_for("files.chart_figure", item=exhibit.id),
        "transactions": url_for("files.chart_transactions", item=exhibit.id),
    }
