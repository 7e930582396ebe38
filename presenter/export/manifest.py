"""A bundle's manifest: every file with its SHA-256, and checking a bundle against it.

`manifest.json` lists every other file of the bundle (path, size, SHA-256). Verifying
re-hashes the folder and names each file changed, missing or added since; the manifest
itself is covered by handing over its own SHA-256 (printed by `export`), or by the archive.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from ..integrity import hash_file

MANIFEST = "manifest.json"
FORMAT = "shizheng-bundle/1"


def _files(root: Path) -> list[str]:
    return sorted(
        p.relative_to(root).as_posix()
        for p in root.rglob("*")
        if (p.is_file() or p.is_symlink()) and p.relative_to(root).as_posix() != MANIFEST
    )


def write_manifest(root: Path) -> Path:
    entries = [
        {"path": name, "size": (root / name).stat().st_size,
         "sha256": hash_file(root / name, ["sha256"])["sha256"]}
        for name in _files(root)
    ]  # fmt: skip
    path = root / MANIFEST
    text = json.dumps({"format": FORMAT, "files": entries}, ensure_ascii=False, indent=1)
    path.write_text(text + "\n", encoding="utf-8")
    return path


@dataclass(frozen=True)
class BundleCheck:
    changed: tuple[str, ...] = ()
    missing: tuple[str, ...] = ()
    added: tuple[str, ...] = ()
    problem: str = ""
    """Why the manifest itself could not be read, if it could not."""
    listed: int = 0
    """How many files the manifest lists."""

    @property
    def ok(self) -> bool:
        return not (self.changed or self.missing or self.added or self.problem)


def verify_bundle(root: Path) -> BundleCheck:
    try:
        manifest = json.loads((root / MANIFEST).read_text(encoding="utf-8"))
        recorded = {e["path"]: e["sha256"].lower() for e in manifest["files"]}
    except FileNotFoundError:
        return BundleCheck(problem="no_manifest")
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return BundleCheck(problem="bad_manifest")
    present = set(_files(root))
    changed = []
    for name in sorted(recorded.keys() & present):
        path = root / name
        if path.is_symlink() or hash_file(path, ["sha256"])["sha256"] != recorded[name]:
            changed.append(name)
    return BundleCheck(
        changed=tuple(changed),
        missing=tuple(sorted(recorded.keys() - present)),
        added=tuple(sorted(present - recorded.keys())),
        listed=len(recorded),
    )


MESSAGES = {
    "ok": ("“{root}”与清单一致：{count} 个文件", "'{root}' matches its manifest: {count} files"),
    "changed": ("已改变：{name}", "changed: {name}"),
    "missing": ("缺失：{name}", "missing: {name}"),
    "added": ("多出：{name}", "added: {name}"),
    "no_manifest": ("“{root}”中没有 manifest.json", "'{root}' has no manifest.json"),
    "bad_manifest": (
        "“{root}”的 manifest.json 无法读取",
        "the manifest.json of '{root}' cannot be read",
    ),
}


def describe(check: BundleCheck, root: Path, lang: str) -> list[str]:
    i = 1 if lang == "en" else 0
    if check.problem:
        return [MESSAGES[check.problem][i].format(root=root)]
    if check.ok:
        return [MESSAGES["ok"][i].format(root=root, count=check.listed)]
    lines = []
    for kind in ("changed", "missing", "added"):
        lines += [MESSAGES[kind][i].format(name=name) for name in getattr(check, kind)]
    return lines
