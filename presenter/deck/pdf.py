"""PDF documents through pdfium, one call at a time: pdfium is not thread-safe.

The page count is read in the server (for `check` and the presenter): it reads the page tree
only, never a page's content, so it stays instant even on a page that expands to gigabytes.
Pages are rendered in a worker process (presenter.rendering), where such a page meets a time
and a memory limit.
"""

from __future__ import annotations

import math
import threading
from pathlib import Path

import pypdfium2
from PIL import Image

LOCK = threading.Lock()
MAX_PIXELS = 40_000_000
"""Pixels of one render at most (160 MB of bitmap): a page 1,000 times taller than wide, or
a callout of one, comes out smaller rather than taking the worker's memory."""


def page_count(path: Path) -> int:
    """Pages of a PDF; raises pypdfium2.PdfiumError for a file pdfium cannot read."""
    with LOCK, pypdfium2.PdfDocument(path) as document:
        return len(document)


def render_page(
    path: Path, number: int, width: int, region: tuple[float, ...] | None = None
) -> Image.Image:
    """Page `number` (1-based) as an image `width` pixels wide; with `region` [x, y, w, h]
    (fractions of the page as shown, from its top left), only that part, at the same scale."""
    with LOCK, pypdfium2.PdfDocument(path) as document:
        page = document[number - 1]
        try:
            page_w, page_h = page.get_size()  # as shown: /Rotate applied
            x, y, w, h = region if region is not None else (0.0, 0.0, 1.0, 1.0)
            scale = width / page_w
            pixels = (w * page_w * scale) * (h * page_h * scale)
            if pixels > MAX_PIXELS:
                scale *= math.sqrt(MAX_PIXELS / pixels)
            # what to cut off each side, in points: left, bottom, right, top
            crop = (x * page_w, (1 - y - h) * page_h, (1 - x - w) * page_w, y * page_h)
            return page.render(scale=scale, crop=crop).to_pil()
        finally:
            page.close()
