"""Tables as Chinese banks and platforms deliver them (银行流水、平台导出): a display copy in UTF-8
CSV whose first record is the header, derived from a CSV or TXT in GBK, GB18030, UTF-16 or
UTF-8 (comma, tab or `|` separated) or from a workbook (XLSX, XLS, ODS, read by calamine).

What is not a data row is kept apart, to be shown beside the table as the original has it:
the statement's title lines above the header (户名、账号、起止日期), the preamble; the totals
rows (合计、总计、本页合计, …), the footer. Blank rows and a header repeated on every printed
page are left out, and the derivation says so by row number. Every cell is written as the
original shows it; a workbook's dates and numbers, stored as such, are written the way a
person reads them (`2024-03-01 10:00:00`, `5000`, amounts with two decimals).
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import platform
import re
from collections import Counter, deque
from collections.abc import Callable, Iterator
from importlib.metadata import version
from itertools import chain, islice
from pathlib import Path
from typing import Any

from ..csvfile import FIELD_LIMIT
from . import SPREADSHEETS, DeriveError, Made, Progress, Request

SAMPLE_ROWS = 200
"""Rows read to find the header and the table's typical width."""
PROGRESS_EVERY = 20_000

TOTALS = ("本页合计", "本页小计", "合计", "总计", "小计", "共计", "累计", "total")
"""How a totals row begins (its first filled cell, blanks and case ignored)."""

MONEY = (
    "金额",
    "余额",
    "发生额",
    "收入",
    "支出",
    "借方",
    "贷方",
    "存入",
    "支取",
    "amount",
    "balance",
)
"""Column names whose figures a statement shows with two decimals."""

DELIMITERS = (",", "\t", "|", ";")

Cell = Any
Numbered = tuple[int, list[Cell]]


def table_copy(original: Path, target: Path, request: Request, progress: Progress) -> Made:
    """Write the table of `original` to `target` (UTF-8 CSV, header first, then every data
    row); the title lines and totals rows are returned apart."""
    if original.suffix.lower() in SPREADSHEETS:
        rows, height, parameters = _workbook(original, request.sheet)
        tool = f"python-calamine {version('python-calamine')}"
    else:
        rows, height, parameters = _delimited(original, request.encoding)
        tool = _text_tool(request)
    with open(target, "w", encoding="utf-8", newline="") as out:
        made = _write(
            rows, csv.writer(out, lineterminator="\n"), request.header_row, height, progress
        )
    parameters.update(made.pop("parameters"))
    return Made(tool=tool, parameters=parameters, **made)


# --- sources --------------------------------------------------------------------------------


def _workbook(original: Path, wanted: str | None) -> tuple[Iterator[Numbered], int, dict]:
    """The rows of the sheet asked for, or of the first sheet that holds any."""
    from python_calamine import CalamineError, CalamineWorkbook

    try:
        book = CalamineWorkbook.from_path(str(original))
        names = list(book.sheet_names)
    except (CalamineError, OSError, ValueError) as error:
        raise DeriveError(
            f"无法读取工作簿：{error}", f"cannot read the workbook: {error}"
        ) from None
    if wanted is not None and wanted not in names:
        listed = "、".join(names)
        raise DeriveError(
            f"工作簿中没有工作表“{wanted}”（共有：{listed}）",
            f"the workbook has no sheet '{wanted}' (it has: {', '.join(names)})",
        )
    # without `sheet`, the sheets a person sees in Excel (a hidden one holds lookup data)
    shown = [m.name for m in book.sheets_metadata if str(m.visible).endswith("Visible")]
    for name in [wanted] if wanted is not None else (shown or names):
        sheet = book.get_sheet_by_name(name)
        if sheet.height and sheet.end is not None:
            rows = enumerate(sheet.iter_rows(), 1)
            return rows, sheet.end[0] + 1, {"sheet": name}
    if wanted is not None:
        raise DeriveError(f"工作表“{wanted}”是空的", f"the sheet '{wanted}' is empty")
    raise DeriveError("工作簿中没有任何数据", "the workbook holds no data")


def _delimited(original: Path, encoding: str | None) -> tuple[Iterator[Numbered], int, dict]:
    """The records of a text table, in its encoding, split at its delimiter."""
    from .text import detect

    codec = detect(original, encoding)
    size = max(1, original.stat().st_size)
    with open(original, "rb") as stream:
        head = stream.read(256 * 1024)
    sample = codecs.getincrementaldecoder(codec)(errors="replace").decode(head)
    delimiter = sniff(sample)
    parameters = {"encoding": codec, "delimiter": delimiter}
    # banks' tab and bar separated exports never quote: a `"` there is just a character
    quoting = csv.QUOTE_MINIMAL if delimiter in ",;" else csv.QUOTE_NONE

    def rows() -> Iterator[Numbered]:
        csv.field_size_limit(FIELD_LIMIT)
        with open(original, "rb") as raw:
            text = io.TextIOWrapper(raw, encoding=codec, newline="")
            reader = csv.reader(text, delimiter=delimiter, quoting=quoting)
            try:
                yield from enumerate(reader, 1)
            except UnicodeDecodeError:
                at = f"{reader.line_num + 1}"
                raise DeriveError(
                    f"按 {codec} 编码读取时第 {at} 行无法解码：请在证据项中写明正确的 encoding",
                    f"line {at} does not decode as {codec}: set the right `encoding` in the item",
                ) from None
            except csv.Error as error:
                raise DeriveError(
                    f"第 {reader.line_num} 行无法读取：{error}",
                    f"line {reader.line_num} cannot be read: {error}",
                ) from None

    estimate = max(1, sample.count("\n") * size // max(1, len(head)))
    return rows(), estimate, parameters


def sniff(sample: str) -> str:
    """The delimiter of a text table: of `, tab | ;`, the one that splits the most lines of
    the sample into the same number of cells (title lines above the header split otherwise,
    which misleads csv.Sniffer)."""
    lines = [line for line in sample.splitlines()[:SAMPLE_ROWS] if line.strip()]
    best, score = ",", 0
    for delimiter in DELIMITERS:
        counts = Counter(line.count(delimiter) for line in lines)
        counts.pop(0, None)
        if counts:
            width, lines_of_width = max(counts.items(), key=lambda kv: (kv[1], kv[0]))
            if lines_of_width * (width + 1) > score:
                best, score = delimiter, lines_of_width * (width + 1)
    return best


def _text_tool(request: Request) -> str:
    import charset_normalizer

    tool = f"Python {platform.python_version()} csv"
    if request.encoding is None:
        tool += f"; charset-normalizer {charset_normalizer.__version__}"
    return tool


# --- the table ------------------------------------------------------------------------------


def _filled(row: list[Cell]) -> int:
    return sum(1 for cell in row if _text(cell).strip())


def find_header(sample: list[Numbered]) -> int:
    """The index in `sample` of the header: the first row with as many filled cells as the
    table's typical width (the commonest count of filled cells), past the title rows. A
    title row as wide as the data (户名, 张某) gives way to a wider row right below it."""
    filled = [_filled(row) for _, row in sample]
    counts = Counter(filled)
    counts.pop(0, None)
    if not counts:
        return 0
    typical = max(counts.items(), key=lambda kv: (kv[1], kv[0]))[0]
    typical = max(typical, min(2, max(counts)))  # one-cell rows are titles when others are wider
    wide = [i for i, count in enumerate(filled) if count >= typical]
    widest_below = [0] * (len(filled) + 1)
    for i in range(len(filled) - 1, -1, -1):
        widest_below[i] = max(filled[i], widest_below[i + 1])
    widest = next(i for i in wide if filled[i] >= widest_below[i + 1])
    return widest if wide.index(widest) == 1 else wide[0]


_TOTALS_START = frozenset(word[0] for word in TOTALS) | {"T"}


def is_totals(row: list[str]) -> bool:
    """Whether a row is a totals row: its first filled cell says 合计, 总计, 小计, 本页合计,
    共计 or Total (spaces ignored: banks write 合  计)."""
    first = row[0] if row and row[0][:1] not in ("", " ") else ""
    if first and first[0] not in _TOTALS_START:
        return False
    first = next((cell for cell in row if cell.strip()), "")
    word = re.sub(r"\s+", "", first).casefold()
    return word.startswith(TOTALS)


def _write(
    rows: Iterator[Numbered],
    writer: Any,
    header_row: int | None,
    height: int,
    progress: Callable[[float], None],
) -> dict[str, Any]:
    sample = list(islice(rows, SAMPLE_ROWS if header_row is None else max(SAMPLE_ROWS, header_row)))
    if header_row is not None:
        at = next((i for i, (n, _) in enumerate(sample) if n == header_row), None)
        if at is None:
            last = sample[-1][0] if sample else 0
            raise DeriveError(
                f"header_row = {header_row} 超出文件的行数（共 {last} 行）",
                f"header_row = {header_row} is beyond the file's rows ({last})",
            )
    else:
        filled = [(n, row) for n, row in sample if _filled(row)]
        if not filled:
            raise DeriveError("表格中没有任何数据", "the table holds no data")
        at = sample.index(filled[find_header(filled)])
    header_number, raw_header = sample[at]
    header = [_text(cell).strip() for cell in raw_header]
    while header and not header[-1]:
        header.pop()
    if not header:
        raise DeriveError(
            f"第 {header_number} 行是空的，不能作表头", f"row {header_number} is empty"
        )
    width = len(header)
    money = [any(word in name.casefold() for word in MONEY) for name in header]
    readers = [_money_text if m else _text for m in money]
    preamble = tuple(
        "  ".join(_text(cell).strip() for cell in row if _text(cell).strip())
        for _, row in sample[:at]
        if _filled(row)
    )
    writer.writerow(header)
    footer: list[tuple[str, ...]] = []
    footer_rows: list[int] = []
    repeated: list[int] = []
    pending: list[tuple[int, list[str]]] = []  # notes after a totals row: footer if last
    blank = written = 0
    after_totals = False
    for number, raw in chain(sample[at + 1 :], rows):
        if number % PROGRESS_EVERY == 0:
            progress(min(0.99, number / max(height, 1)))
        row = [read(cell) for read, cell in zip(readers, raw, strict=False)]
        if len(raw) > width:
            row += [_text(cell) for cell in raw[width:]]
        while len(row) > width and not row[-1].strip():
            row.pop()
        if not any(cell.strip() for cell in row):
            blank += 1
            continue
        if row[0].strip() == header[0] and [cell.strip() for cell in row] == header:
            repeated.append(number)
            continue
        if is_totals(row):
            footer.extend(_trimmed(r) for _, r in pending)
            footer_rows.extend(n for n, _ in pending)
            pending = []
            footer.append(_trimmed(row))
            footer_rows.append(number)
            after_totals = True
            continue
        if after_totals and _filled(row) * 2 <= width:
            pending.append((number, row))  # a note under a totals row (打印时间、经办人)
            continue
        for _, early in pending:
            writer.writerow(_padded(early, width))
            written += 1
        pending, after_totals = [], False
        writer.writerow(_padded(row, width))
        written += 1
    footer.extend(_trimmed(r) for _, r in pending)
    footer_rows.extend(n for n, _ in pending)
    progress(1.0)
    parameters: dict[str, Any] = {
        "header_row": header_number,
        "header_found": header_row is None,
        "title_rows": len(preamble),
        "data_rows": written,
    }
    if footer_rows:
        parameters["footer_rows"] = footer_rows
    if repeated:
        parameters["repeated_header_rows"] = repeated
    if blank:
        parameters["blank_rows"] = blank
    return {"parameters": parameters, "preamble": preamble, "footer": tuple(footer)}


def _padded(row: list[str], width: int) -> list[str]:
    return row + [""] * (width - len(row)) if len(row) < width else row


def _trimmed(row: list[str]) -> tuple[str, ...]:
    cells = [cell.strip() for cell in row]
    while cells and not cells[-1]:
        cells.pop()
    return tuple(cells)


_EXCEL_TEXT = re.compile(r'^="(.*)"$', re.S)
"""`="6222…"`: how an export keeps Excel from turning an account number into 6.22E+15."""


def _money_text(cell: Cell) -> str:
    return _text(cell, True)


def _text(cell: Cell, money: bool = False) -> str:
    """A cell as the original shows it: a workbook's date as `2024-03-01 10:00:00`, a whole
    number without `.0`, an amount with two decimals; text unchanged but for a bank's
    padding (a leading tab, `="…"`)."""
    if type(cell) is str and "\t" not in cell and cell[:1] != "=":
        return cell
    if cell is None:
        return ""
    if isinstance(cell, str):
        if "\t" in cell or cell.startswith("="):
            stripped = cell.strip(" \t")
            match = _EXCEL_TEXT.match(stripped)
            return match[1] if match else stripped
        return cell
    if isinstance(cell, bool):
        return "TRUE" if cell else "FALSE"
    if isinstance(cell, int):
        return str(cell)
    if isinstance(cell, float):
        if money and abs(cell) < 1e15 and round(cell, 2) == cell:
            return f"{cell:.2f}"
        if cell.is_integer() and abs(cell) < 1e17:
            return str(int(cell))
        return repr(cell)
    if isinstance(cell, dt.datetime):
        text = f"{cell:%Y-%m-%d %H:%M:%S}"
        return text + f".{cell.microsecond:06d}".rstrip("0") if cell.microsecond else text
    if isinstance(cell, dt.date):
        return cell.isoformat()
    if isinstance(cell, dt.time):
        return cell.isoformat()
    if isinstance(cell, dt.timedelta):
        seconds = int(cell.total_seconds())
        return f"{seconds // 3600}:{seconds % 3600 // 60:02d}:{seconds % 60:02d}"
    return str(cell)


def sheet_names(original: Path) -> list[str]:
    """A workbook's sheets, in order (for `check`)."""
    from python_calamine import CalamineWorkbook

    return list(CalamineWorkbook.from_path(str(original)).sheet_names)


def row_count(original: Path, request: Request, limit: int | None = None) -> int:
    """Rows of the original (a workbook's sheet, or a text table's records), blank rows
    counted, up to `limit`: what `header_row` may name (for `check`)."""
    if original.suffix.lower() in SPREADSHEETS:
        rows, _, _ = _workbook(original, request.sheet)
    else:
        rows, _, _ = _delimited(original, request.encoding)
    last = deque(islice(rows, limit), maxlen=1)
    return last[0][0] if last else 0
