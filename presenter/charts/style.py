"""How every chart looks in court: a title, type readable across the room, a palette that
survives a projector (strong, distinct hues on white), and no toolbar."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from . import ChartView

from .data import CST

PALETTE = ["#13294b", "#b22222", "#1f7a3a", "#c77700", "#5b2c83", "#00798c", "#8a5a00", "#444444"]
"""Dark, saturated colours that keep apart on a washed-out projector."""
DIM = "rgba(160, 160, 160, 0.18)"
FONT = {"family": "Noto Sans CJK SC, Noto Sans SC, Source Han Sans SC, sans-serif", "size": 18}
CONFIG = {"displayModeBar": False, "responsive": True, "scrollZoom": False}
"""Plotly's config for every chart: the screens need neither the toolbar nor a mouse."""


def layout(caption: str, **more: object) -> dict:
    """The common layout: large type, white paper, and on top a caption saying what the
    chart shows now (the exhibit's own title stands above it on the screen already)."""
    return {
        "title": {"text": caption, "x": 0.01, "xanchor": "left", "font": {"size": 22}},
        "font": FONT,
        "paper_bgcolor": "#ffffff",
        "plot_bgcolor": "#ffffff",
        "margin": {"l": 40, "r": 40, "t": 70, "b": 40},
        "hoverlabel": {"font": {"size": 18}},
        **more,
    }


def so_far(view: ChartView) -> str:
    """` · 截至 2026-03-08 12:00` when the chart shows data up to a time, else nothing."""
    if view.until is None:
        return ""
    moment = view.until if view.until.tzinfo else view.until.replace(tzinfo=CST)
    return f" · 截至 {moment.astimezone(CST):%Y-%m-%d %H:%M}"


def yuan(amount: float) -> str:
    """An amount in yuan the way Chinese paperwork writes it: 386,000.00 元, or 万 above."""
    if abs(amount) >= 100_000:
        return f"{amount / 10_000:,.2f} 万元"
    return f"{amount:,.2f} 元"


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
