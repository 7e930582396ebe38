"""A bundle's manifest: every file with its SHA-256, and checking a bundle against it.

`manifest.json` lists every other file of the bundle (path, size, SHA-256). Verifying
re-hashes the folder and names each file changed, missing or added since. The manifest
itself is anchored by its own SHA-256: printed by `export`, and printed in the bundle's
index and in the 证据目录 DOCX, which go on paper to the court and the defence.

Those two files print the hash of the manifest that lists them; a file cannot hold its own
hash, so they are *sealed*: written with `SEAL` where the manifest's hash goes, listed with
the hash of that form (`"sealed": true`), and only then given the manifest's real hash in
its place. Verifying puts `SEAL` back before hashing them, and checks they name this very
manifest. A DOCX is a zip: its form is hashed member by member (name and content), so the
zip's own compression does not matter.
"""

from __future__ import annotations

import hashlib
import json
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from ..i18n import pick_all
from ..i18n.export import MANIFEST_WORDS
from ..integrity import hash_file
from ..live.signing import matches

MANIFEST = "manifest.json"
FORMAT = "shizheng-bundle/1"
SEAL = "X" * 64
"""Where a sealed file prints the manifest's SHA-256 before it is known: not hex, so no
recorded check value a page shows can be taken for it."""


def _files(root: Path) -> list[str]:
    return sorted(
        p.relative_to(root).as_posix()
        for p in root.rglob("*")
        if (p.is_file() or p.is_symlink()) and p.relative_to(root).as_posix() != MANIFEST
    )


def write_manifest(root: Path, sealed: Iterable[str] = ()) -> str:
    """List every file of the bundle; then print the manifest's SHA-256 into each `sealed`
    file (which holds `SEAL` where it goes). Returns that SHA-256."""
    sealed = [name for name in sealed if (root / name).is_file()]
    entries = []
    for name in _files(root):
        if name in sealed:
            entries.append(
                {"path": name, "sha256": _sealed_hash(root / name, SEAL), "sealed": True}
            )
        else:
            entries.append({"path": name, "size": (root / name).stat().st_size,
                            "sha256": hash_file(root / name, ["sha256"])["sha256"]})  # fmt: skip
    path = root / MANIFEST
    text = json.dumps({"format": FORMAT, "files": entries}, ensure_ascii=False, indent=1)
    path.write_text(text + "\n", encoding="utf-8")
    digest = hash_file(path, ["sha256"])["sha256"]
    for name in sealed:
        _print_seal(root / name, digest)
    return digest


SEALED_BYTES = 16 << 20
"""A sealed file's content at most, unpacked (a catalogue's DOCX is well under 1 MB): a
zip bomb in a bundle is reported changed, never unpacked whole."""


class _Unreadable(Exception):
    """A sealed file that cannot be read as what it claims to be."""


UNREADABLE = (
    OSError, ValueError, EOFError, NotImplementedError, RuntimeError, zipfile.BadZipFile,
    _Unreadable,
)  # fmt: skip
"""What reading a sealed file that is not what it claims can raise: it is reported changed."""


def _members(archive: zipfile.ZipFile):
    """Each member of a zip and its content, in name order, unpacked at most SEALED_BYTES
    in all; raises _Unreadable for anything a DOCX is not."""
    left = SEALED_BYTES
    for info in sorted(archive.infolist(), key=lambda i: i.filename):
        try:
            with archive.open(info) as stream:
                data = stream.read(left + 1)
        except Exception as error:  # noqa: BLE001 - any of zipfile's, zlib's, or an encrypted member
            raise _Unreadable(info.filename) from error
        left -= len(data)
        if left < 0:
            raise _Unreadable(info.filename)
        yield info, data


def _sealed_hash(path: Path, printed: str) -> str:
    """The SHA-256 of a sealed file's form: with `printed` (the manifest's hash it shows)
    put back to `SEAL`; a zip (a DOCX) member by member."""
    digest = hashlib.sha256()
    if zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as archive:
            for info, data in _members(archive):
                data = data.replace(printed.encode(), SEAL.encode())
                name = info.filename.encode()
                digest.update(len(name).to_bytes(8, "big") + name)
                digest.update(len(data).to_bytes(8, "big") + data)
        return "zip:" + digest.hexdigest()
    digest.update(path.read_bytes().replace(printed.encode(), SEAL.encode()))
    return digest.hexdigest()


def _print_seal(path: Path, digest: str) -> None:
    """Put the manifest's hash where the file holds `SEAL`; a zip's members rewritten with
    their names, dates and compression as they were."""
    if not zipfile.is_zipfile(path):
        path.write_bytes(path.read_bytes().replace(SEAL.encode(), digest.encode()))
        return
    written = path.with_name(f".{path.name}.sealing")
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(written, "w") as target:
        for info in source.infolist():
            data = source.read(info).replace(SEAL.encode(), digest.encode())
            target.writestr(info, data, compress_type=info.compress_type)
    written.replace(path)


def _names(path: Path, digest: str) -> bool:
    """Whether a sealed file prints `digest` (in any member of a zip)."""
    if zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as archive:
            return any(digest.encode() in data for _, data in _members(archive))
    return digest.encode() in path.read_bytes()


@dataclass(frozen=True)
class BundleCheck:
    changed: tuple[str, ...] = ()
    missing: tuple[str, ...] = ()
    added: tuple[str, ...] = ()
    problem: str = ""
    """Why the manifest itself could not be read, if it could not."""
    listed: int = 0
    """How many files the manifest lists."""
    digest: str = ""
    """The manifest's own SHA-256."""
    expected: bool | None = None
    """Whether it is the one given (`--expect`); None when none was given."""
    unsealed: tuple[str, ...] = ()
    """Sealed files that do not print this manifest's hash."""

    @property
    def ok(self) -> bool:
        return not (
            self.changed or self.missing or self.added or self.problem or self.unsealed
            or self.expected is False
        )  # fmt: skip


def verify_bundle(root: Path, expect: str | None = None) -> BundleCheck:
    """Re-hash the bundle against its manifest; with `expect` (the manifest's SHA-256 as
    printed on paper, at least 16 hex digits), check the manifest is that one."""
    try:
        digest = hash_file(root / MANIFEST, ["sha256"])["sha256"]
        manifest = json.loads((root / MANIFEST).read_text(encoding="utf-8"))
        recorded = {e["path"]: e["sha256"].lower() for e in manifest["files"]}
        sealed = {e["path"] for e in manifest["files"] if e.get("sealed") is True}
    except FileNotFoundError:
        return BundleCheck(problem="no_manifest")
    except (OSError, ValueError, KeyError, TypeError, AttributeError, RecursionError):
        return BundleCheck(problem="bad_manifest")
    present = set(_files(root))
    changed, unsealed = [], []
    for name in sorted(recorded.keys() & present):
        path = root / name
        if path.is_symlink():
            changed.append(name)
        elif name in sealed:
            try:
                if _sealed_hash(path, digest) != recorded[name]:
                    changed.append(name)
                elif not _names(path, digest):
                    unsealed.append(name)
            except UNREADABLE:
                changed.append(name)
        elif hash_file(path, ["sha256"])["sha256"] != recorded[name]:
            changed.append(name)
    return BundleCheck(
        changed=tuple(changed),
        missing=tuple(sorted(recorded.keys() - present)),
        added=tuple(sorted(present - recorded.keys())),
        listed=len(recorded),
        digest=digest,
        expected=None if expect is None else matches(digest, expect),
        unsealed=tuple(unsealed),
    )


def describe(check: BundleCheck, root: Path, lang: str, given: str | None = None) -> list[str]:
    words = pick_all(MANIFEST_WORDS, lang)
    if check.problem:
        return [words[check.problem].format(root=root)]
    lines = []
    if check.expected is True:
        lines.append(words["expected"].format(digest=check.digest))
    elif check.expected is False:
        lines.append(words["unexpected"].format(digest=check.digest, given=given))
    if check.ok:
        return [*lines, words["ok"].format(root=root, count=check.listed)]
    for kind in ("changed", "missing", "added", "unsealed"):
        lines += [words[kind].format(name=name) for name in getattr(check, kind)]
    return lines
