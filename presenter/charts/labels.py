"""Labels that keep apart: a chart's texts placed so that none covers another or a marker,
on every screen (figures are laid out on a picture 1080 px high and scaled, so room in its
px is room everywhere)."""

from __future__ import annotations

from .style import BODY

PLOT = (1300.0, 600.0)
"""The least room a chart's plot gets on a court picture 1080 px high (4:3 or wider, under
its caption), in its px: what keeps apart in it keeps apart in any larger room."""

Box = tuple[float, float, float, float]


def text_width(text: str) -> float:
    """A label's width in px at BODY size: a CJK character is square, a Latin one about
    half as wide (generous, so labels keep apart)."""
    return sum(BODY if ord(c) > 0x2E7F else BODY * 0.62 for c in text)


def overlap(a: Box, b: Box) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


class Labels:
    """Places labels on a plot whose axes span `xs` and `ys`: each takes the first free spot
    among its candidates, or none (its hover keeps it)."""

    def __init__(self, xs: tuple[float, float], ys: tuple[float, float], plot=PLOT) -> None:
        self.xs, self.ys = xs, ys
        self.sx = (xs[1] - xs[0]) / plot[0]  # axis units per px
        self.sy = (ys[1] - ys[0]) / plot[1]
        self.taken: list[Box] = []

    def box(self, x: float, y: float, text: str, dy: float = 0.0, align: str = "center") -> Box:
        """The box of `text` at (x, y) raised `dy` px, its left, centre or right at x."""
        w, h = text_width(text) * self.sx, BODY * 1.3 * self.sy / 2
        left = {"left": x, "center": x - w / 2, "right": x - w}[align]
        cy = y + dy * self.sy
        return (left, cy - h, left + w, cy + h)

    def inside(self, box: Box) -> bool:
        return (
            self.xs[0] <= box[0]
            and box[2] <= self.xs[1]
            and self.ys[0] <= box[1]
            and box[3] <= self.ys[1]
        )

    def take(self, candidates: list[tuple[float, float, float, str]], text: str) -> int | None:
        """The index of the first candidate (x, y, px above, alignment) where the text is
        free and inside the plot; it is then taken."""
        for i, (x, y, dy, align) in enumerate(candidates):
            box = self.box(x, y, text, dy, align)
            if self.inside(box) and not any(overlap(box, other) for other in self.taken):
                self.taken.append(box)
                return i
        return None

    def mark(self, x: float, y: float, radius_px: float) -> None:
        """A marker: no label over it."""
        rx, ry = radius_px * self.sx, radius_px * self.sy
        self.taken.append((x - rx, y - ry, x + rx, y + ry))
