"""How every chart looks in court: a title, type readable across the room, a palette that
survives a projector (strong, distinct hues on white), and no toolbar."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from . import ChartView

from .. import formatting
from ..i18n import pick
from ..i18n.charts import CHART_WORDS

PALETTE = ["#13294b", "#b22222", "#1f7a3a", "#c77700", "#5b2c83", "#00798c", "#8a5a00", "#444444"]
"""Dark, saturated colours that keep apart on a washed-out projector."""
DIM = "rgba(160, 160, 160, 0.18)"
BODY = 28
"""Type size of every label, in px of a court picture 1080 px high: the screens draw each
chart at that height and scale it (views/chart.js), so it reads as the text around it."""
FONT = {"family": "Noto Sans CJK SC, Noto Sans SC, Source Han Sans SC, sans-serif", "size": BODY}
CONFIG = {"displayModeBar": False, "responsive": True, "scrollZoom": False}
"""Plotly's config for every chart: the screens need neither the toolbar nor a mouse."""


def layout(caption: str, **more: object) -> dict:
    """The common layout: large type, white paper, and on top a caption saying what the
    chart shows now (the exhibit's own title stands above it on the screen already)."""
    return {
        "title": {"text": caption, "x": 0.01, "xanchor": "left", "font": {"size": 34}},
        "font": FONT,
        "paper_bgcolor": "#ffffff",
        "plot_bgcolor": "#ffffff",
        "margin": {"l": 60, "r": 60, "t": 90, "b": 60},
        "hoverlabel": {"font": {"size": BODY}},
        **more,
    }


def say(view: ChartView, key: str, **values: object) -> str:
    return pick(CHART_WORDS[key], view.lang).format(**values)


def so_far(view: ChartView) -> str:
    """` · 截至 2026-03-08 12:00` when the chart shows data up to a time, else nothing."""
    if view.until is None:
        return ""
    return say(view, "until", moment=formatting.moment(view.until, zone(view), seconds=False))


def zone(view: ChartView):
    """The deck's time zone, as the chart reads times."""
    return formatting.zone(view.zone)


def yuan(amount: float, view: ChartView) -> str:
    """An amount as the court reads it (presenter.formatting): 386,000.00 元, in 万元 only
    where the amount column's name says so; in English, ¥386,000.00."""
    return formatting.amount(round(amount, 2), view.unit, view.lang)


def plain(text: object) -> str:
    """Deck text for Plotly, which reads `<b>`, `<a href>` and the like in any label: every
    tag is shown as text, never taken as markup."""
    return str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


LONG = 20
"""Characters of one word of a label beyond which only its ends are written."""


def stacked(text: object) -> str:
    """A node label for a narrow column: `plain`, each space-separated word on its own line,
    and a word longer than LONG (a wallet address, a hash) written by its ends, "TDEMO0…0001"
    (the full text is in the transactions and the hover)."""
    words = str(text).split()
    lines = [w if len(w) <= LONG else f"{w[:6]}…{w[-6:]}" for w in words]
    return "<br>".join(plain(line) for line in lines)
