"""What a public screen may not see of a picture, a page or a video, and its pixels blacked
out (旁听席屏幕遮蔽).

The boxes that hold for a public screen: the deck's `[[redact]]`, the presenter's live boxes
(the live state's `redaction.boxes`), and the numbers detection found (presenter.redaction.
detect) unless the presenter dismissed them; a proposal not yet decided is blacked out too
(fail closed), and a picture or page detection has not run on yet is not shown at all
(`boxes_for` says None). Boxes are filled black in the picture before it is cut or scaled,
in the render worker. Plain Python: nothing here knows of the web.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from ..deck.checks import is_video, redactable_files, redaction_file

if TYPE_CHECKING:
    from PIL import Image

    from ..deck import Deck, Exhibit

Box = tuple[float, float, float, float]
"""[x, y, w, h] in fractions of the upright picture, the page as shown, or the video's
picture."""
WHOLE: Box = (0.0, 0.0, 1.0, 1.0)
DISMISSED = "dismissed"
"""The one decision that lets a detected number be shown: anything else blacks it out."""


class LiveBox(Protocol):
    """A box the presenter drew for the public screen (presenter.live.state.LiveBox)."""

    item: str
    file: int
    """Index among the item's files with pixels (presenter.deck.checks.redactable_files)."""
    page: int
    box: Sequence[float]


class LiveRedaction(Protocol):
    """The live state's `redaction` (presenter.live.state.Redaction)."""

    @property
    def boxes(self) -> Sequence[LiveBox]: ...

    @property
    def decisions(self) -> Mapping[str, str]: ...


@dataclass(frozen=True)
class TimedBox:
    """A box over a video, from `start` to `end` seconds (None: from its start, to its end)."""

    box: Box
    start: float | None = None
    end: float | None = None

    def holds_at(self, seconds: float) -> bool:
        return (self.start is None or self.start <= seconds) and (
            self.end is None or seconds <= self.end
        )


def boxes_for(
    deck: Deck,
    folder: Path,
    live: LiveRedaction | None,
    exhibit: Exhibit,
    name: str,
    page: int = 1,
    at: float | None = None,
) -> list[Box] | None:
    """Every box that holds for a public screen on the item file `name` (its deck path): on
    page `page` of a document, at `at` seconds of a video (None: at any time of it). None
    while detection has not run on that picture or page: a public screen is sent no picture
    of it. `folder` is the deck's instance folder (detection's results and decisions)."""
    if is_video(name):
        timed = video_boxes(exhibit, live, name, deck)
        return distinct(t.box for t in timed if at is None or t.holds_at(at))
    found = detected(folder, deck, exhibit, name, page)
    if found is None:
        return None
    decided = decision(folder, live)
    sharing = _sharing(deck, exhibit, name)
    return distinct(
        [
            *(r.box for e in sharing for r in e.redactions
              if _on(e, r, name) and (r.page or 1) == page),
            *(b.box for e in sharing for b in _live_boxes(e, live, name) if b.page == page),
            *(p.box for p in found if decided(p.id) != DISMISSED),
        ]
    )  # fmt: skip


def _sharing(deck: Deck | None, exhibit: Exhibit, name: str) -> list[Exhibit]:
    """The items that show the file `name`: a box on a picture holds wherever the picture is
    shown (two items may list one file, and the box was drawn on the picture, not the item)."""
    others = [e for e in deck.exhibits if name in redactable_files(e)] if deck is not None else []
    return [exhibit, *(e for e in others if e.id != exhibit.id)]


def video_boxes(
    exhibit: Exhibit, live: LiveRedaction | None, name: str, deck: Deck | None = None
) -> list[TimedBox]:
    """The boxes over the video `name` of the exhibit: the deck's, for their time ranges, and
    the presenter's live ones, over the whole clip (no numbers are detected in a video); of
    every item of `deck` that shows the same video."""
    sharing = _sharing(deck, exhibit, name)
    defined = [
        TimedBox(_box(r.box), r.start, r.end)
        for e in sharing
        for r in e.redactions
        if _on(e, r, name)
    ]
    drawn = [TimedBox(_box(b.box)) for e in sharing for b in _live_boxes(e, live, name)]
    return list(dict.fromkeys(defined + drawn))


def detected(folder: Path, deck: Deck, exhibit: Exhibit, name: str, page: int) -> list | None:
    """The numbers detection found on the picture or page (presenter.redaction.detect), or
    None while it has not read it (imported here, not above: a render worker needs `fill`
    only)."""
    from .detect import detected as found

    return found(folder, deck, exhibit, name, page)


def decision(folder: Path, live: LiveRedaction | None) -> Callable[[str], str | None]:
    """How the presenter decided on a proposal, by its id: live, else in the instance's
    decisions (`check --redactions`, or the live ones kept); None when undecided."""
    from .decisions import FILE, Decisions

    kept = {**Decisions(folder / FILE).all(), **(live.decisions if live is not None else {})}
    return kept.get


def _on(exhibit: Exhibit, redaction: Any, name: str) -> bool:
    return redaction_file(exhibit, redaction)[0] == name


def _live_boxes(exhibit: Exhibit, live: LiveRedaction | None, name: str) -> list[LiveBox]:
    files = redactable_files(exhibit)
    if live is None or name not in files:
        return []
    index = files.index(name)
    return [b for b in live.boxes if b.item == exhibit.id and b.file == index]


def _box(values: Iterable[float]) -> Box:
    """A box as four floats within the picture, rounded (one box, one cache key)."""
    x, y, w, h = (min(1.0, max(0.0, float(v))) for v in values)
    return (round(x, 6), round(y, 6), round(min(w, 1.0 - x), 6), round(min(h, 1.0 - y), 6))


def distinct(boxes: Iterable[Iterable[float]]) -> list[Box]:
    """The boxes rounded, each once, in one order: the same boxes make the same render key."""
    return sorted({_box(b) for b in boxes})


def fill(image: Image.Image, boxes: Iterable[Box], frame: Sequence[float] = WHOLE) -> Image.Image:
    """`image` with every box filled opaque black: `image` shows the part `frame` of the
    whole picture (fractions), the boxes are fractions of the whole. A box is widened to
    whole pixels, so no sliver of what it covers is left. Pictures of other modes (a
    palette, CMYK) come back converted to RGB or RGBA."""
    from PIL import ImageDraw

    boxes = list(boxes)
    if not boxes:
        return image
    if image.mode not in BLACK:
        alpha = "A" in image.getbands() or "transparency" in image.info
        image = image.convert("RGBA" if alpha else "RGB")
    draw = ImageDraw.Draw(image)
    for box in boxes:
        pixels = _pixels(box, frame, image.size)
        if pixels is not None:
            draw.rectangle(pixels, fill=BLACK[image.mode])
    return image


MARGIN = 1
"""Pixels a filled box reaches past its edges."""
BLACK: dict[str, Any] = {"RGB": (0, 0, 0), "RGBA": (0, 0, 0, 255), "L": 0, "LA": (0, 255)}
"""Opaque black in the modes drawn on as they are."""


def _pixels(
    box: Box, frame: Sequence[float], size: tuple[int, int]
) -> tuple[int, int, int, int] | None:
    """The box in the image's pixels (inclusive corners), outward and a pixel wider on each
    side (a renderer's rounding of a frame to whole pixels leaves no sliver uncovered); None
    when it lies outside the image."""
    x, y, w, h = box
    fx, fy, fw, fh = frame
    width, height = size
    left = max(0, math.floor((x - fx) / fw * width) - MARGIN)
    top = max(0, math.floor((y - fy) / fh * height) - MARGIN)
    right = min(width, math.ceil((x + w - fx) / fw * width) + MARGIN)
    bottom = min(height, math.ceil((y + h - fy) / fh * height) + MARGIN)
    if left >= right or top >= bottom:
        return None
    return (left, top, right - 1, bottom - 1)
