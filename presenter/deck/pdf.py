"""PDF documents through pdfium, one call at a time: pdfium is not thread-safe."""

from __future__ import annotations

import threading
from pathlib import Path

import pypdfium2
from PIL import Image

LOCK = threading.Lock()


def page_count(path: Path) -> int:
    """Pages of a PDF; raises pypdfium2.PdfiumError for a file pdfium cannot read."""
    with LOCK, pypdfium2.PdfDocument(path) as document:
        return len(document)


def render_page(path: Path, number: int, width: int) -> Image.Image:
    """Page `number` (1-based) as an image `width` pixels wide."""
    with LOCK, pypdfium2.PdfDocument(path) as document:
        page = document[number - 1]
        scale = width / page.get_width()
        return page.render(scale=scale).to_pil()
