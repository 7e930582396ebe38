"""What the file system says about an exhibit's files (Art. 27: file attributes)."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable
from pathlib import Path

from ..deck import Exhibit

FileUrl = Callable[[str], str]
"""The URL of one of an exhibit's files, by its name in the deck."""


def csv_name(exhibit: Exhibit) -> str:
    """The exhibit's CSV file: a table's rows, a chat's messages, a chart's data."""
    return next(f for f in exhibit.files if f.lower().endswith(".csv"))


def _time(ns: int) -> str:
    return dt.datetime.fromtimestamp(ns / 1e9).astimezone().isoformat(timespec="seconds")


def attributes(path: Path) -> dict[str, str]:
    """Size and the modified, changed and accessed times, as the server's disk holds them."""
    try:
        stat = os.stat(path)
    except OSError:
        return {}
    return {
        "size": f"{stat.st_size:,}",
        "modified": _time(stat.st_mtime_ns),
        "changed": _time(stat.st_ctime_ns),
        "accessed": _time(stat.st_atime_ns),
    }
