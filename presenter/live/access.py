"""Who may connect, and as what: the two keys and the pairing of screens without a key."""

from __future__ import annotations

import hmac
import json
import os
import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

MIN_KEY_LENGTH = 22
"""Characters of a key: 22 URL-safe base64 characters carry 132 bits (at least 128)."""
KEY_ALPHABET = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
PAIRING_TTL = 600.0
"""Seconds a pairing code waits for the presenter's answer."""


def new_key() -> str:
    """A fresh random key of 128 bits or more."""
    return secrets.token_urlsafe(24)


def kept_keys(path: Path) -> tuple[str, str]:
    """The presenter and screen keys kept in the instance folder, made on first use.

    Keeping them means a restarted server lets its screens straight back in; they change
    only when the file is removed or other keys are given on the command line.
    """
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        presenter, screen = str(data["presenter"]), str(data["screen"])
        if not key_problem(presenter) and not key_problem(screen) and presenter != screen:
            return presenter, screen
    except (OSError, ValueError, KeyError, TypeError):
        pass
    presenter, screen = new_key(), new_key()
    _write_private(path, {"presenter": presenter, "screen": screen})
    return presenter, screen


def _write_private(path: Path, data: object) -> None:
    """Write a secret file readable by its owner only, atomically."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temp = path.with_suffix(".tmp")
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as stream:
        json.dump(data, stream)
    os.replace(temp, path)


def key_problem(key: str) -> str | None:
    """Why a key given by the user is not acceptable, or None."""
    if len(key) < MIN_KEY_LENGTH:
        return f"at least {MIN_KEY_LENGTH} characters (128 bits)"
    if not set(key) <= KEY_ALPHABET:
        return "only letters, digits, '-' and '_'"
    return None


@dataclass
class Pairing:
    """A screen without a key asking to join: the code it shows and the secret it holds."""

    code: str
    token: str
    name: str
    created: float
    status: str = "pending"  # pending | approved | refused

    def public(self) -> dict[str, str]:
        return {"code": self.code, "name": self.name, "status": self.status}


class Access:
    """The presenter key, the screen key and the pairings; answers "what role is this?"."""

    def __init__(
        self,
        presenter_key: str,
        screen_key: str,
        clock: Callable[[], float] = time.monotonic,
        paired: Path | None = None,
    ) -> None:
        if hmac.compare_digest(presenter_key, screen_key):
            raise ValueError("the presenter key and the screen key must differ")
        self.presenter_key = presenter_key
        self.screen_key = screen_key
        self._clock = clock
        self._lock = threading.Lock()
        self._pairings: dict[str, Pairing] = {}
        self._paired_path = paired
        for token, name in self._load_paired().items():
            self._pairings[f"kept-{token[:8]}"] = Pairing("", token, name, 0.0, "approved")

    def _load_paired(self) -> dict[str, str]:
        """Screens approved before a restart: they come back without a new code."""
        if self._paired_path is None:
            return {}
        try:
            data = json.loads(self._paired_path.read_text(encoding="utf-8"))
            return {str(k): str(v) for k, v in data.items()}
        except (OSError, ValueError, AttributeError):
            return {}

    def _save_paired(self) -> None:
        if self._paired_path is not None:
            approved = {p.token: p.name for p in self._pairings.values() if p.status == "approved"}
            _write_private(self._paired_path, approved)

    def kind(self, secret: str | None) -> str | None:
        """'presenter' or 'screen' for a key or an approved pairing token; else None."""
        if not secret:
            return None
        if hmac.compare_digest(secret, self.presenter_key):
            return "presenter"
        if hmac.compare_digest(secret, self.screen_key):
            return "screen"
        with self._lock:
            for pairing in self._pairings.values():
                if pairing.status == "approved" and hmac.compare_digest(secret, pairing.token):
                    return "screen"
        return None

    def roles(self, secret: str | None) -> tuple[str, ...]:
        """The roles a client holding `secret` may take."""
        kind = self.kind(secret)
        if kind == "presenter":
            return ("presenter", "expert", "screen")
        return ("screen",) if kind == "screen" else ()

    # --- pairing ---------------------------------------------------------------------------

    def request_pairing(self, name: str, token: str | None = None) -> Pairing:
        """A code for a screen to show; the same pairing again for the same token."""
        with self._lock:
            self._expire()
            for pairing in self._pairings.values():
                if token and hmac.compare_digest(pairing.token, token):
                    return pairing
            code = f"{secrets.randbelow(10**6):06d}"
            while code in self._pairings:
                code = f"{secrets.randbelow(10**6):06d}"
            pairing = Pairing(code, secrets.token_urlsafe(24), name[:60], self._clock())
            self._pairings[code] = pairing
            return pairing

    def pairing_status(self, token: str | None) -> str | None:
        with self._lock:
            for pairing in self._pairings.values():
                if token and hmac.compare_digest(pairing.token, token):
                    return pairing.status
        return None

    def answer(self, code: str, approve: bool) -> bool:
        """The presenter approves or refuses a pending code; False when there is none."""
        with self._lock:
            self._expire()
            pairing = self._pairings.get(code)
            if pairing is None or pairing.status != "pending":
                return False
            pairing.status = "approved" if approve else "refused"
            if approve:
                self._save_paired()
            return True

    def pending(self) -> list[dict[str, str]]:
        with self._lock:
            self._expire()
            return [p.public() for p in self._pairings.values() if p.status == "pending"]

    def _expire(self) -> None:
        now = self._clock()
        for code, pairing in list(self._pairings.items()):
            if pairing.status != "approved" and now - pairing.created > PAIRING_TTL:
                del self._pairings[code]
