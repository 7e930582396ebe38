"""How every chart looks in court: a title, type readable across the room, a palette that
survives a projector (strong, distinct hues on white), and no toolbar."""

from __future__ import annotations

PALETTE = ["#13294b", "#b22222", "#1f7a3a", "#c77700", "#5b2c83", "#00798c", "#8a5a00", "#444444"]
"""Dark, saturated colours that keep apart on a washed-out projector."""
DIM = "rgba(160, 160, 160, 0.18)"
FONT = {"family": "Noto Sans CJK SC, Noto Sans SC, Source Han Sans SC, sans-serif", "size": 18}
CONFIG = {"displayModeBar": False, "responsive": True, "scrollZoom": False}
"""Plotly's config for every chart: the screens need neither the toolbar nor a mouse."""


def layout(title: str, **more: object) -> dict:
    """The common layout: the exhibit's title on top, large type, white paper."""
    return {
        "title": {"text": title, "x": 0.01, "xanchor": "left", "font": {"size": 24}},
        "font": FONT,
        "paper_bgcolor": "#ffffff",
        "plot_bgcolor": "#ffffff",
        "margin": {"l": 40, "r": 40, "t": 70, "b": 40},
        "hoverlabel": {"font": {"size": 18}},
        **more,
    }


def yuan(amount: float) -> str:
    """An amount in yuan the way Chinese paperwork writes it: 386,000.00 元, or 万 above."""
    if abs(amount) >= 100_000:
        return f"{amount / 10_000:,.2f} 万元"
    return f"{amount:,.2f} 元"


def plain(text: object) -> str:
    """Deck text for Plotly, which reads `<b>`, `<a href>` and the like in any label: every
    tag is shown as text, never taken as markup."""
    return str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
