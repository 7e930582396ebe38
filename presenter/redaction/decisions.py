"""The presenter's decisions on detected numbers (确认/驳回): a confirmed proposal is blacked
out on public screens, a dismissed one is not, and one with no decision yet is blacked out
too (fail closed). Kept in the instance's `redactions.json`, written whole or not at all."""

from __future__ import annotations

import contextlib
import json
import os
import re
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

FILE = "redactions.json"
"""The decisions' file in an instance's deck folder."""
VALUES = ("confirmed", "dismissed")
PROPOSAL_ID = re.compile(r"[0-9a-f]{16}")


class Decisions:
    """Decisions by proposal id, read from the file each time (the command line and the
    server may both write it)."""

    _lock = threading.Lock()

    def __init__(self, path: Path) -> None:
        self.path = Path(path)

    def all(self) -> dict[str, str]:
        """Every decision, by proposal id; an unreadable file holds none."""
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
            stored = data["decisions"]
            return {
                key: value
                for key, value in stored.items()
                if isinstance(key, str) and PROPOSAL_ID.fullmatch(key) and value in VALUES
            }
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            return {}

    def get(self, proposal: str) -> str | None:
        """ "confirmed", "dismissed", or None when the proposal has none."""
        return self.all().get(proposal)

    def set(self, proposal: str, value: str | None) -> None:
        """Decide on a proposal (None takes its decision back)."""
        if not PROPOSAL_ID.fullmatch(proposal) or value not in (*VALUES, None):
            raise ValueError(f"not a decision: {proposal!r} {value!r}")
        with self._lock, _locked(self.path):
            decisions = self.all()
            if value is None:
                decisions.pop(proposal, None)
            else:
                decisions[proposal] = value
            write_json(self.path, {"decisions": dict(sorted(decisions.items()))})


@contextlib.contextmanager
def _locked(path: Path) -> Iterator[None]:
    """Held across processes (POSIX) while the file is read and written again."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - not POSIX: one process at a time is assumed
        yield
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path.with_name(f".{path.name}.lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def write_json(path: Path, data: Any) -> None:
    """Beside the target under a unique name, then renamed: the old file or the new, never
    half of one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}-", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as stream:
            json.dump(data, stream, ensure_ascii=False, indent=1)
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
