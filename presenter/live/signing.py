"""The instance's signing key (Ed25519), and signed checkpoints of the record (Art. 49).

A hash chain shows a line changed, removed or inserted, but not lines cut from its end: the
record's head at some moment has to be held somewhere the record's keeper cannot rewrite.
Every minute and at each exhibit change the court signs a checkpoint (the record, how many
entries, the last one's hash, the time) with a key of its own, writes it to the record and
sends it to the screens, which keep every one they saw. A record cut short, or rewritten
and re-signed with another key, then disagrees with a checkpoint held by a court computer
or with the key's fingerprint printed at start and in every report.

The key is made once per instance folder and kept there (`signing-key.pem`, readable by its
owner only); its fingerprint is the SHA-256 of the raw public key.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

KEY_FILE = "signing-key.pem"
FORMAT = "shizheng-checkpoint/1"
SIGNED_FIELDS = ("format", "record", "n", "head", "time")
"""What a checkpoint's signature covers, in its canonical JSON."""
FINGERPRINT_SHORTEST = 16
"""Hex digits of a fingerprint a person must give at least (the first 64 bits)."""


def fingerprint(public: bytes) -> str:
    """The SHA-256 of a raw 32-byte Ed25519 public key, in hex."""
    return hashlib.sha256(public).hexdigest()


def spaced(hex_digits: str, group: int = 4) -> str:
    """Hex as people copy it by hand: groups of four."""
    return " ".join(hex_digits[i : i + group] for i in range(0, len(hex_digits), group))


def hex_given(text: str) -> str:
    """What a person typed for a hash or a fingerprint, as bare lower-case hex (spaces,
    colons and a `SHA256:` prefix dropped)."""
    text = re.sub(r"(?i)^\s*sha-?256:", "", text)
    return re.sub(r"[\s:_-]", "", text).lower()


def matches(full: str, given: str) -> bool:
    """Whether `given` (typed by a person) names `full`: at least 16 of its first hex
    digits, and no digit wrong."""
    given = hex_given(given)
    return (
        len(given) >= FINGERPRINT_SHORTEST
        and re.fullmatch("[0-9a-f]+", given) is not None
        and full.lower().startswith(given)
    )


class Signer:
    """The instance's Ed25519 key."""

    def __init__(self, key: Ed25519PrivateKey) -> None:
        self._key = key
        self.public = key.public_key().public_bytes(
            serialization.Encoding.Raw, serialization.PublicFormat.Raw
        )
        self.fingerprint = fingerprint(self.public)

    @classmethod
    def of_instance(cls, folder: Path) -> Signer:
        """The key kept in the instance folder, made there the first time."""
        path = Path(folder) / KEY_FILE
        try:
            data = path.read_bytes()
        except FileNotFoundError:
            return cls._made(path)
        key = serialization.load_pem_private_key(data, password=None)
        if not isinstance(key, Ed25519PrivateKey):
            raise ValueError(f"{path}: not an Ed25519 key")
        return cls(key)

    @classmethod
    def _made(cls, path: Path) -> Signer:
        key = Ed25519PrivateKey.generate()
        pem = key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:  # another process of this instance made it first
            return cls.of_instance(path.parent)
        with os.fdopen(descriptor, "wb") as stream:
            stream.write(pem)
            stream.flush()
            os.fsync(stream.fileno())
        return cls(key)

    def pem(self) -> str:
        """The private key in PEM: what the processes of one presentation share."""
        return self._key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        ).decode()

    @classmethod
    def from_pem(cls, pem: str) -> Signer:
        key = serialization.load_pem_private_key(pem.encode(), password=None)
        if not isinstance(key, Ed25519PrivateKey):
            raise ValueError("not an Ed25519 key")
        return cls(key)

    @property
    def public_b64(self) -> str:
        return base64.b64encode(self.public).decode()

    def checkpoint(self, record: str, n: int, head: str, time: str) -> dict[str, Any]:
        """A signed checkpoint: record `record` (the hash of its first entry) had `n`
        entries at `time`, the last one's hash `head`."""
        signed = {"format": FORMAT, "record": record, "n": n, "head": head, "time": time}
        signature = self._key.sign(_canonical(signed))
        return {**signed, "key": self.public_b64, "signature": base64.b64encode(signature).decode()}


def _canonical(data: dict[str, Any]) -> bytes:
    # surrogatepass: a checkpoint read back with a lone surrogate fails its signature
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return text.encode("utf-8", "surrogatepass")


@dataclass(frozen=True)
class Checked:
    """A checkpoint read back: whether its signature holds, and with which key."""

    valid: bool
    key: str
    """The fingerprint of the key it names (empty when it names none that can be read)."""


def check(checkpoint: object) -> Checked:
    """Whether a checkpoint's signature is the one its own key made over its fields."""
    if not isinstance(checkpoint, dict):
        return Checked(False, "")
    try:
        public = base64.b64decode(str(checkpoint["key"]), validate=True)
        signature = base64.b64decode(str(checkpoint["signature"]), validate=True)
        signed = {name: checkpoint[name] for name in SIGNED_FIELDS}
        key = Ed25519PublicKey.from_public_bytes(public)
    except (KeyError, ValueError, TypeError):
        return Checked(False, "")
    try:
        key.verify(signature, _canonical(signed))
    except (InvalidSignature, TypeError, ValueError):
        return Checked(False, fingerprint(public))
    return Checked(signed["format"] == FORMAT, fingerprint(public))


def read_checkpoints(path: Path) -> list[dict[str, Any]]:
    """The checkpoints a screen saved: a JSON file `{"checkpoints": [...]}` (as the screen
    writes it), a JSON list, or one checkpoint per line. Raises ValueError for anything
    else."""
    text = Path(path).read_text(encoding="utf-8-sig")
    try:
        try:
            data = json.loads(text)
        except json.JSONDecodeError:
            data = [json.loads(line) for line in text.splitlines() if line.strip()]
    except RecursionError:
        raise ValueError("nested too deep") from None
    if isinstance(data, dict):
        data = data.get("checkpoints")
    if not isinstance(data, list) or not all(isinstance(c, dict) for c in data):
        raise ValueError("not a list of checkpoints")
    return data
