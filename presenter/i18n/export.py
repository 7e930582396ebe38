"""The words of exporting a pre-trial bundle (presenter.export.bundle) and of checking one
against its manifest (presenter.export.manifest)."""

from __future__ import annotations

from .words import Words

BUNDLE_WORDS: dict[str, Words] = {
    "exists": (
        "“{path}”已存在且不为空：请另选输出文件夹",
        "'{path}' exists and is not empty: choose another output folder",
    ),
    "unknown": ("没有这些证据项：{ids}", "no such items: {ids}"),
    "excluded": (
        "这些证据项已排除（第44条），不能导出：{ids}",
        "these items are excluded (Art. 44) and cannot be exported: {ids}",
    ),
}
"""Why a bundle is not written: the output folder, the items asked for."""

MANIFEST_WORDS: dict[str, Words] = {
    "ok": ("“{root}”与清单一致：{count} 个文件", "'{root}' matches its manifest: {count} files"),
    "changed": ("已改变：{name}", "changed: {name}"),
    "missing": ("缺失：{name}", "missing: {name}"),
    "added": ("多出：{name}", "added: {name}"),
    "unsealed": (
        "未载明本清单的校验值：{name}",
        "does not print this manifest's hash: {name}",
    ),
    "expected": (
        "清单的 SHA-256 与给定值一致：{digest}",
        "the manifest's SHA-256 is the one given: {digest}",
    ),
    "unexpected": (
        "清单的 SHA-256（{digest}）不是给定的 {given}：清单已被改写",
        "the manifest's SHA-256 ({digest}) is not the one given ({given}): it was rewritten",
    ),
    "no_manifest": ("“{root}”中没有 manifest.json", "'{root}' has no manifest.json"),
    "bad_manifest": (
        "“{root}”的 manifest.json 无法读取",
        "the manifest.json of '{root}' cannot be read",
    ),
}
"""A bundle's check against its manifest: the verdict, each file changed, missing or added,
and the manifest's own hash against the one printed on paper."""
