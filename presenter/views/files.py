"""What the file system says about an exhibit's files (Art. 27: file attributes)."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path


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
