"""The child process that reads one picture or PDF for personal numbers:
`python -m presenter.redaction.child JOB`, JOB being JSON {"path", "kind": "image" | "pdf",
"pages": most pages read, "seconds": time to start no page after}. It prints `pages N` (the
file's pages), `progress F`, `page {"page": n, "hits": [...]}` for each page read, and ends
with `made {}` or `failed {"zh", "en"}`; the parent (presenter.redaction.detect) holds the
time and memory limits. Only masked numbers ever leave this process."""

from __future__ import annotations

import json
import sys
import time
from dataclasses import asdict
from pathlib import Path
from typing import Any

from PIL import Image

from ..deck.pdf import page_count
from . import ocr


def _say(kind: str, data: Any) -> None:
    text = data if isinstance(data, str) else json.dumps(data, ensure_ascii=False)
    print(f"{kind} {text}", flush=True)


def _page(number: int, picture: Image.Image, progress: ocr.Progress) -> None:
    found = ocr.hits(picture, progress)
    _say("page", {"page": number, "hits": [asdict(hit) for hit in found]})


def read_image(path: Path) -> None:
    _say("pages", "1")
    picture = ocr.upright(path)
    _page(1, picture, lambda f: _say("progress", f"{f:.4f}"))


def read_pdf(path: Path, most: int, seconds: float) -> None:
    """Pages from the first, until `most` are read or `seconds` have passed."""
    total = page_count(path)
    _say("pages", str(total))
    last = min(total, most)
    deadline = time.monotonic() + seconds
    for number, picture in ocr.pdf_pages(path, 1, last):
        _page(number, picture, lambda f, n=number: _say("progress", f"{(n - 1 + f) / last:.4f}"))
        if time.monotonic() > deadline:
            break


def main(argv: list[str]) -> int:
    job = json.loads(argv[0])
    path = Path(job["path"])
    try:
        if job["kind"] == "pdf":
            read_pdf(path, int(job["pages"]), float(job["seconds"]))
        else:
            read_image(path)
    except Exception as error:  # noqa: BLE001 - whatever a library raises on a hostile file
        detail = str(error)[:300]
        words = {"zh": f"无法识别此文件：{detail}", "en": f"cannot read this file: {detail}"}
        _say("failed", words)
        return 1
    _say("made", {})
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
