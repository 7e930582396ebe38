"""The child process that makes one display copy: `python -m presenter.originals.child
REQUEST ORIGINAL TARGET`. It prints `progress F` lines and ends with `made {...}` or
`failed {...}`; the parent (presenter.originals.run_child) holds the time and memory limits."""

from __future__ import annotations

import json
import sys
from dataclasses import asdict
from pathlib import Path

from . import DeriveError, Made, Request


def _progress(fraction: float) -> None:
    print(f"progress {fraction:.4f}", flush=True)


def derive(request: Request, original: Path, target: Path) -> Made:
    if request.kind == "text":
        from .text import text_copy

        return text_copy(original, target, request, _progress)
    if request.kind == "table":
        from .sheets import table_copy

        return table_copy(original, target, request, _progress)
    if request.kind in ("video", "audio", "strip"):
        from .media import media_copy

        return media_copy(original, target, request, _progress)
    if request.kind == "picture":
        from .pictures import picture_copy

        return picture_copy(original, target, request, _progress)
    raise DeriveError(f"未知的转换：{request.kind}", f"unknown conversion: {request.kind}")


def main(argv: list[str]) -> int:
    request = Request(**json.loads(argv[0]))
    original, target = Path(argv[1]), Path(argv[2])
    try:
        made = derive(request, original, target)
    except DeriveError as error:
        zh, en = error.words
        print("failed " + json.dumps({"zh": zh, "en": en}, ensure_ascii=False), flush=True)
        return 1
    except Exception as error:  # noqa: BLE001 - whatever a library raises on a hostile file
        detail = str(error)[:300]
        words = {"zh": f"无法转换此文件：{detail}", "en": f"cannot convert this file: {detail}"}
        print("failed " + json.dumps(words, ensure_ascii=False), flush=True)
        return 1
    print("made " + json.dumps(asdict(made), ensure_ascii=False), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
