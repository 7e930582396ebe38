"""A spreadsheet (CSV or XLSX) of any other tool, with a mapping file that says what it is.

The mapping file is a small TOML (docs/import.md):

    title = "张某银行卡交易明细"     # the item's title (default: the file's name)
    type = "behaviour"               # the Art. 27 category (default: TODO)
    view = "table"                   # "table" (default) or "chat"
    sheet = "交易明细"               # XLSX: the sheet (default: the first)
    header_row = 3                   # the row holding the column names (default: 1)
    encoding = "gbk"                 # CSV: only when detection must not decide

    [columns]                        # roles → the headers that play them
    time = "交易时间"
    amount = "交易金额"

The original is the item's file as it is; every column is shown; `check` then reads it as the
deck's views do.
"""

from __future__ import annotations

import csv
import io
import tomllib
from pathlib import Path
from typing import Any

from .. import i18n
from ..deck.checks import COLUMN_ROLES
from ..i18n.importing import SHEET_WORDS
from .chats import decode
from .writer import Imported, ImportFailure, Item, Payload, on_disk

KEYS = frozenset({"title", "type", "view", "sheet", "header_row", "encoding", "columns"})
VIEWS = ("table", "chat")
SPREADSHEETS = (".xlsx", ".xlsm", ".xls", ".ods")


def import_sheet(path: Path, mapping: Path, record: dict[str, Any], language: str) -> Imported:
    """The spreadsheet at `path` as `mapping` says; `record` its times, read first."""
    words = i18n.pick_all(SHEET_WORDS, language)
    try:
        spec = tomllib.loads(mapping.read_text("utf-8-sig"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError, RecursionError) as error:
        raise ImportFailure(words["bad_mapping"].format(path=mapping, detail=error)) from None
    unknown = sorted(set(spec) - KEYS)
    if unknown:
        raise ImportFailure(
            words["unknown_key"].format(
                path=mapping, keys=", ".join(unknown), allowed=", ".join(sorted(KEYS))
            )
        )
    view = spec.get("view", "table")
    if view not in VIEWS:
        raise ImportFailure(words["bad_view"].format(path=mapping, view=view))
    columns = spec.get("columns", {})
    if not isinstance(columns, dict) or not all(isinstance(v, str) for v in columns.values()):
        raise ImportFailure(words["bad_columns"].format(path=mapping))
    required, optional = COLUMN_ROLES[view]
    for role in columns:
        if role not in required + optional:
            raise ImportFailure(
                words["bad_role"].format(
                    path=mapping, role=role, view=view, allowed=", ".join(required + optional)
                )
            )
    header_row = spec.get("header_row", 1)
    if not isinstance(header_row, int) or header_row < 1:
        raise ImportFailure(words["bad_columns"].format(path=mapping))
    if path.stat().st_size == 0:
        raise ImportFailure(words["empty"].format(path=path))
    header = _header(path, spec, header_row, words)
    wanted = {**{role: role for role in required}, **columns}
    absent = [f"{role} = {name!r}" for role, name in wanted.items() if name not in header]
    if absent:
        raise ImportFailure(
            words["no_column"].format(
                path=path, columns="; ".join(absent), header=", ".join(header)
            )
        )
    item = Item(
        title=spec.get("title") or path.stem,
        view=view,
        files=[Payload(path.name, on_disk(path), path.stat().st_size, record, path=path)],
        type=spec.get("type") or "TODO",
        columns=dict(columns),
        keys={k: spec[k] for k in ("encoding", "header_row", "sheet") if k in spec},
    )
    return Imported(path.stem, [item])


def _header(path: Path, spec: dict[str, Any], row: int, words: dict[str, str]) -> list[str]:
    if path.suffix.lower() in SPREADSHEETS:
        from python_calamine import CalamineError, CalamineWorkbook

        try:
            book = CalamineWorkbook.from_path(str(path))
            name = spec.get("sheet")
            sheet = book.get_sheet_by_name(name) if name else book.get_sheet_by_index(0)
            rows = sheet.to_python(nrows=row)
        except (CalamineError, OSError, ValueError, IndexError, KeyError) as error:
            raise ImportFailure(words["bad_sheet"].format(path=path, detail=error)) from None
    else:
        with path.open("rb") as stream:
            head = stream.read(1 << 20)
        encoding = spec.get("encoding")
        text = head.decode(encoding, errors="replace") if encoding else decode(head)
        rows = list(csv.reader(io.StringIO(text)))[:row]
    if len(rows) < row:
        raise ImportFailure(words["empty"].format(path=path))
    return [str(cell).strip() for cell in rows[row - 1]]
