"""The 证据目录 (evidence catalogue): one row per exhibit, as a page, a DOCX and a CSV.

The rows are built once from the deck; the index page of the bundle, the DOCX laid out as
prosecution paperwork (A4, Song and Hei type) and the CSV all write the same rows. Nothing
presenter-only is read: notes, challenges and review never reach a row.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from .. import i18n
from ..deck import Deck, Exhibit
from ..masking import mask_text

SONG = "宋体"
"""SimSun: the body type of Chinese official paperwork, on every Chinese system."""
HEI = "黑体"
"""SimHei: its headings."""
CORE_PROPERTY_LIMIT = 255
"""Word's document properties hold at most this many characters."""
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
"""What a spreadsheet reads as the start of a formula (OWASP's list for CSV injection)."""


@dataclass(frozen=True)
class Row:
    number: int
    id: str
    title: str
    category: str
    method: str
    collected_at: str
    collectors: str
    proves: str
    hashes: tuple[str, ...]

    @property
    def source(self) -> str:
        """证据来源: how, when and by whom it was collected, on one line."""
        return "；".join(p for p in (self.method, self.collected_at, self.collectors) if p)


def rows(deck: Deck, exhibits: list[Exhibit], lang: str, mask: bool = False) -> list[Row]:
    t = i18n.translator(lang)
    facts = {f.id: f for f in deck.facts}
    made = []
    for number, exhibit in enumerate(exhibits, 1):
        source = exhibit.source
        proves = "；".join(
            f"{s.fact} {facts[s.fact].text}" if s.fact in facts else s.fact for s in exhibit.shows
        )
        row = Row(
            number=number,
            id=exhibit.id,
            title=exhibit.title,
            category=t("type." + exhibit.type),
            method=t("method." + source.method),
            collected_at=_moment(source.collected_at),
            collectors="、".join(source.collectors),
            proves=proves,
            hashes=tuple(f"{h.file} {h.algorithm.upper()} {h.value}" for h in source.hashes)
            or (t("catalogue.no_hash"),),
        )
        made.append(_masked(row) if mask else row)
    return made


def _moment(value: dt.datetime | dt.date | None) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ", timespec="minutes")
    return value.isoformat()


def _masked(row: Row) -> Row:
    """Every text of the row masked (a file name in a check value's line is text too; the
    check value itself is left whole)."""
    texts = ("title", "category", "method", "collected_at", "collectors", "proves")
    return replace(
        row,
        **{name: mask_text(getattr(row, name)) for name in texts},
        hashes=tuple(mask_text(line) for line in row.hashes),
    )


def headings(lang: str) -> list[str]:
    t = i18n.translator(lang)
    return [
        t("catalogue.number"),
        t("catalogue.title"),
        t("catalogue.source"),
        t("catalogue.proves"),
        t("catalogue.hash"),
    ]


def neutralise(cell: str) -> str:
    """A cell a spreadsheet will show as text, never run as a formula."""
    return "'" + cell if cell.startswith(FORMULA_STARTS) else cell


def write_spreadsheet_csv(path: Path, rows: Iterable[Sequence[str]]) -> None:
    """Rows as a CSV a spreadsheet opens safely: UTF-8 with a BOM (so it reads the Chinese
    right), and no cell it would run as a formula."""
    with path.open("w", encoding="utf-8-sig", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerows([neutralise(cell) for cell in row] for row in rows)


def write_csv(catalogue: list[Row], path: Path, lang: str) -> None:
    t = i18n.translator(lang)
    header = [
        t("catalogue.number"),
        t("catalogue.id"),
        t("catalogue.title"),
        t("catalogue.category"),
        t("catalogue.method"),
        t("source.collected_at"),
        t("source.collectors"),
        t("catalogue.proves"),
        t("catalogue.hash"),
    ]
    rows = (
        [str(r.number), r.id, r.title, r.category, r.method, r.collected_at, r.collectors,
         r.proves, "\n".join(r.hashes)]
        for r in catalogue
    )  # fmt: skip
    write_spreadsheet_csv(path, [header, *rows])


def write_docx(catalogue: list[Row], deck: Deck, path: Path, lang: str, mask: bool = False) -> None:
    """The rows as a Word document laid out as Chinese prosecution paperwork (the case's
    title and number masked too with `mask`)."""
    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Mm, Pt

    t = i18n.translator(lang)
    shown = mask_text if mask else str
    case_title, case_number = shown(deck.case.title), shown(deck.case.number or "")
    document = Document()
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    for side in ("left_margin", "right_margin"):
        setattr(section, side, Mm(20))
    section.top_margin, section.bottom_margin = Mm(25), Mm(20)
    normal = document.styles["Normal"]
    _set_font(normal.font, normal.element, SONG, Pt(10.5))

    title = document.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _run(title, t("catalogue.heading"), HEI, Pt(22))
    case = document.add_paragraph()
    case.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _run(case, case_title, SONG, Pt(14))
    if case_number:
        number = document.add_paragraph()
        number.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _run(number, case_number, SONG, Pt(12))

    table = document.add_table(rows=1, cols=5)
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    widths = (Mm(12), Mm(38), Mm(42), Mm(45), Mm(33))
    for cell, text, width in zip(table.rows[0].cells, headings(lang), widths, strict=True):
        cell.width = width
        _run(cell.paragraphs[0], text, HEI, Pt(10.5))
    for r in catalogue:
        cells = table.add_row().cells
        texts = (str(r.number), f"{r.id} {r.title}", r.source, r.proves, "\n".join(r.hashes))
        for i, (cell, text, width) in enumerate(zip(cells, texts, widths, strict=True)):
            cell.width = width
            _run(cell.paragraphs[0], text, SONG, Pt(7) if i == 4 else Pt(10.5))
    document.core_properties.title = _xml_safe(f"{t('catalogue.heading')} {case_title}")[
        :CORE_PROPERTY_LIMIT
    ]
    document.core_properties.author = ""
    document.save(str(path))


def _set_font(font, element, name: str, size) -> None:
    """A font for Latin and for Chinese text alike (Word keeps them apart)."""
    from docx.oxml.ns import qn

    font.name = name
    font.size = size
    properties = element.get_or_add_rPr()
    properties.get_or_add_rFonts().set(qn("w:eastAsia"), name)


def _xml_safe(text: str) -> str:
    """The text without the characters XML cannot hold (evidence text may have any)."""
    return _NOT_XML.sub("\ufffd", text)


def _run(paragraph, text: str, font: str, size) -> None:
    run = paragraph.add_run(_xml_safe(text))
    _set_font(run.font, run._element, font, size)
