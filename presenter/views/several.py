"""Exhibits of several files shown one at a time (a gallery of pictures, a code folder, a
few documents or recordings): which file a screen asked for, and the list the presenter
chooses from. The live state says which (`state.file`); a screen asks for that file's
content with `?file=` (its index, never its name, which may hold a number)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import PurePosixPath

from flask import has_request_context, request

from ..deck import Exhibit
from ..deck.checks import shown_files, step_files

STRIP = 12
"""Pictures at most in the strip of thumbnails a court screen shows under the picture; with
more, the screens say only which picture it is ("2/15")."""


@dataclass(frozen=True)
class Several:
    """The files an exhibit shows one at a time, and the one shown (`index`)."""

    files: tuple[str, ...]
    index: int
    steps: tuple[int, ...]
    """The file each step shows (its index)."""

    @property
    def name(self) -> str | None:
        """The deck path of the file shown."""
        return self.files[self.index] if self.files else None

    @property
    def several(self) -> bool:
        return len(self.files) > 1

    @property
    def query(self) -> str:
        """What an app URL of the file shown adds, after its own query: `file=2`, or nothing
        for the first."""
        return f"file={self.index}" if self.index else ""

    def entries(self) -> list[dict]:
        return [
            {"index": i, "path": f, "name": PurePosixPath(f).name, "current": i == self.index}
            for i, f in enumerate(self.files)
        ]

    def steps_json(self) -> str:
        return json.dumps(list(self.steps))


def chosen(exhibit: Exhibit) -> Several:
    """The exhibit's files and the one this request asks for (`?file=`, 0-based; the first
    when none is asked, or one out of range)."""
    files = shown_files(exhibit)
    index = 0
    if has_request_context():
        asked = request.args.get("file", "")
        index = int(asked) if asked.isdigit() and int(asked) < len(files) else 0
    return Several(files, index, step_files(exhibit, files))
