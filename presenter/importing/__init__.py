"""`python app.py import decks/ID --from PATH`: a deck made, or extended, from what a forensic
tool or an export tool wrote.

The source is recognised by its content: a UFDR (a zip holding report.xml), CASE/UCO JSON-LD,
a WeChat/QQ chat export (CSV, HTML or TXT), or with `--mapping` any CSV/XLSX. Each importer
turns its source into items (`writer.Item`); the one writer puts them into the deck.
"""

from __future__ import annotations

from contextlib import ExitStack
from pathlib import Path

from .. import i18n
from . import case, chats, sheet, ufdr
from .writer import Imported, ImportFailure, Written, deck_timezone, stat_record, write

__all__ = ["ImportFailure", "Imported", "Written", "detect", "import_into"]

EXPORT_SUFFIXES = (".csv", ".html", ".htm", ".txt")


def detect(path: Path, mapping: Path | None) -> str:
    """ "ufdr", "case", "chat-csv", "chat-html", "chat-txt" or "sheet"; "" when unknown."""
    if mapping is not None:
        return "sheet"
    if ufdr.is_ufdr(path):
        return "ufdr"
    if case.is_case(path):
        return "case"
    form = chats.sniff(path)
    return f"chat-{form}" if form else ""


def find_export(folder: Path) -> Path | None:
    """The one export file at the top of a folder (a chat export and its attachments)."""
    found = [
        p
        for p in sorted(folder.iterdir())
        if p.is_file() and not p.name.startswith(".") and detect(p, None)
    ]
    return found[0] if len(found) == 1 else None


def import_into(
    deck_dir: Path, source: Path, language: str = "zh-CN", mapping: Path | None = None
) -> Written:
    """Import `source` into the deck at `deck_dir` (made when it does not exist)."""
    words = {key: i18n.pick(pair, language) for key, pair in WORDS.items()}
    if not source.exists():
        raise ImportFailure(words["no_source"].format(path=source))
    tz = deck_timezone(Path(deck_dir))
    # the originals' times as their file system keeps them, before any is read
    looked = [p for p in source.iterdir() if p.is_file()] if source.is_dir() else [source]
    before = {p: stat_record(p, tz) for p in looked}
    if source.is_dir():
        found = find_export(source)
        if found is None:
            raise ImportFailure(words["no_export_in"].format(path=source))
        source = found
    kind = detect(source, mapping)
    if not kind:
        raise ImportFailure(words["unknown"].format(path=source))
    with ExitStack() as stack:
        if kind == "ufdr":
            imported = ufdr.import_ufdr(source, tz, language, stack)
        elif kind == "case":
            imported = case.import_case(source, tz, language)
        elif kind == "sheet":
            imported = sheet.import_sheet(source, mapping, before[source], language)  # type: ignore[arg-type]
        else:
            form = kind.removeprefix("chat-")
            imported = chats.import_chat(source, form, tz, before[source], language)
        return write(Path(deck_dir), imported, language)


WORDS: dict[str, tuple[str, str]] = {
    "no_source": ("“{path}”不存在：请检查路径", "'{path}' does not exist: check the path"),
    "no_export_in": (
        "文件夹“{path}”中找不到唯一的导出文件（CSV、HTML、TXT、UFDR 或 JSON-LD）："
        "请直接指定导出文件",
        "the folder '{path}' holds no single export file (CSV, HTML, TXT, UFDR or JSON-LD):"
        " name the export file itself",
    ),
    "unknown": (
        "无法识别“{path}”：它不是 UFDR、CASE/UCO JSON-LD，"
        "也不是微信/QQ 聊天导出（CSV、HTML、TXT）。"
        "其他工具的表格请用 --mapping 指定对应关系文件（见 docs/import.md）",
        "'{path}' is not recognised: no UFDR, CASE/UCO JSON-LD or WeChat/QQ chat export (CSV,"
        " HTML, TXT). For another tool's spreadsheet give a mapping file with --mapping (see"
        " docs/import.md)",
    ),
}
