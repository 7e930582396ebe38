"""The 证据目录 (evidence catalogue): one row per exhibit, as a page, a DOCX and a CSV.

The rows are built once from the deck; the index page of the bundle, the DOCX laid out as
prosecution paperwork (presenter.export.paperwork) and the CSV all write the same rows. Nothing
presenter-only is read: notes, challenges and review never reach a row.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from .. import i18n
from ..deck import Deck, Exhibit
from ..formatting import deck_zone, moment
from ..masking import mask_text
from . import paperwork
from .paperwork import FANGSONG, HEI, LANDSCAPE, MONO, Filing, paragraph, write

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
"""What a spreadsheet reads as the start of a formula (OWASP's list for CSV injection)."""
ALGORITHM_NAMES = {"md5": "MD5", "sha1": "SHA-1", "sha256": "SHA-256", "sm3": "SM3"}
SEAL_LENGTH = 64
"""A SHA-256 in hex: the bundle manifest's, printed at the catalogue's end."""

CHECK_SIZE = 7.0
"""Check values' type size, in points: a SHA-256 (64 characters) is 95 mm at it."""
SEAL_SIZE = 10.5
"""The manifest's hash under the table, in points (五号): copied by hand from the paper."""
CELL_MARGIN = 1.2
"""Left and right, in millimetres."""
COLUMNS = (
    ("catalogue.number", 10),
    ("catalogue.title", 30),
    ("catalogue.source", 36),
    ("catalogue.proves", 44),
    ("catalogue.hash", 100),
    ("catalogue.dossier", 19),
    ("catalogue.remarks", 18),
)
"""The DOCX's columns and their widths in millimetres, filling LANDSCAPE's 257 mm: the check
values' column holds a SHA-256 whole at CHECK_SIZE, the others their usual contents."""


@dataclass(frozen=True)
class Check:
    """A recorded integrity check value as the catalogue prints it."""

    file: str
    algorithm: str
    """As it is written: SHA-256, SM3."""
    value: str

    @property
    def line(self) -> str:
        return f"{self.file} {self.algorithm} {self.value}"


@dataclass(frozen=True)
class Row:
    number: int
    id: str
    title: str
    category: str
    method: str
    collected_at: str
    """In the deck's time zone, as the court reads times: 2026-05-12 16:00."""
    collectors: str
    facts: tuple[str, ...]
    """Each fact it proves, with its id: "F1 张某系……"."""
    checks: tuple[Check, ...]
    hashes: tuple[str, ...]
    """Each check value on a line, or a line saying none was recorded."""
    dossier: str
    remarks: str
    clause: str = "；"
    """What joins clauses in the row's language (；, or "; " in English)."""

    @property
    def proves(self) -> str:
        """证明对象: the facts on one line."""
        return self.clause.join(self.facts)

    @property
    def source(self) -> str:
        """证据来源: how, when and by whom it was collected, on one line."""
        return self.clause.join(p for p in (self.method, self.collected_at, self.collectors) if p)


def rows(deck: Deck, exhibits: list[Exhibit], lang: str, mask: bool = False) -> list[Row]:
    t = i18n.translator(lang)
    facts = {f.id: f for f in deck.facts}
    zone = deck_zone(deck.case)
    made = []
    for number, exhibit in enumerate(exhibits, 1):
        source = exhibit.source
        checks = tuple(
            Check(h.file, ALGORITHM_NAMES.get(h.algorithm, h.algorithm.upper()), h.value)
            for h in source.hashes
        )
        row = Row(
            number=number,
            id=exhibit.id,
            title=exhibit.title,
            category=t("type." + exhibit.type),
            method=t("method." + source.method),
            collected_at=moment(source.collected_at, zone),
            collectors=t("join.list").join(source.collectors),
            facts=tuple(  # each fact once, though it is shown under several aspects
                dict.fromkeys(
                    f"{s.fact} {facts[s.fact].text}" if s.fact in facts else s.fact
                    for s in exhibit.shows
                )
            ),
            checks=checks,
            hashes=tuple(c.line for c in checks) or (t("catalogue.no_hash"),),
            dossier=exhibit.dossier,
            remarks=remarks(exhibit, lang),
            clause=t("join.clause"),
        )
        made.append(_masked(row) if mask else row)
    return made


def remarks(exhibit: Exhibit, lang: str) -> str:
    """备注: the item's `remarks` as written; else what its source records that the court
    should not miss: a procedural defect (remedied or not), additions or deletions."""
    if exhibit.remarks:
        return exhibit.remarks
    t = i18n.translator(lang)
    noted = []
    defects = exhibit.source.defects
    if defects:
        remedied = all(d.remedy.strip() for d in defects)
        noted.append(t("catalogue.remark.remedied" if remedied else "catalogue.remark.unremedied"))
    if exhibit.source.changes:
        noted.append(t("catalogue.remark.changes"))
    return t("join.clause").join(noted)


def _masked(row: Row) -> Row:
    """Every text of the row masked (a file name in a check value's line is text too; the
    check value itself is left whole)."""
    texts = (
        "id", "title", "category", "method", "collected_at", "collectors", "dossier", "remarks",
    )  # fmt: skip
    return replace(
        row,
        **{name: mask_text(getattr(row, name)) for name in texts},
        facts=tuple(mask_text(fact) for fact in row.facts),
        checks=tuple(replace(c, file=mask_text(c.file)) for c in row.checks),
        hashes=tuple(mask_text(line) for line in row.hashes),
    )


def headings(lang: str) -> list[str]:
    t = i18n.translator(lang)
    return [t(key) for key, _ in COLUMNS]


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
        t("catalogue.dossier"),
        t("catalogue.remarks"),
    ]
    rows = (
        [str(r.number), r.id, r.title, r.category, r.method, r.collected_at, r.collectors,
         r.proves, "\n".join(r.hashes), r.dossier, r.remarks]
        for r in catalogue
    )  # fmt: skip
    write_spreadsheet_csv(path, [header, *rows])


def write_docx(
    catalogue: list[Row],
    deck: Deck,
    path: Path,
    lang: str,
    mask: bool = False,
    *,
    seal: str | None,
) -> None:
    """The rows as a Word document laid out as Chinese prosecution paperwork: the office,
    the catalogue's name, the case and its number; a table whose heading row repeats on
    every page; the prosecutors' signatures and the date; and last, on one line, `seal`: the
    SHA-256 of the bundle's manifest, written once, in one run, so that it can be replaced
    in the saved file (the case's texts masked too with `mask`). No seal line without one
    (a catalogue exported alone has no manifest)."""
    if seal is not None and len(seal) != SEAL_LENGTH:
        raise ValueError(f"a seal is {SEAL_LENGTH} characters, not {len(seal)}")
    t = i18n.translator(lang)
    filing = Filing.of(deck.case, lang, mask)
    name = t("catalogue.heading")
    document = paperwork.new_document(LANDSCAPE, lang)
    paperwork.head(document, filing, name, LANDSCAPE)
    _table(document, catalogue, lang)
    paperwork.sign(document, filing, LANDSCAPE)
    if seal is not None:
        document.paragraphs[-1].paragraph_format.keep_with_next = True
        line = paragraph(document, before=LANDSCAPE.text)
        write(line, t("catalogue.seal"), face=MONO, size=SEAL_SIZE)
        write(line, seal, face=MONO, size=SEAL_SIZE)
    paperwork.describe(document, filing, name)
    document.save(str(path))


def _table(document, catalogue: list[Row], lang: str) -> None:
    from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
    from docx.shared import Mm

    size = LANDSCAPE.text
    table = document.add_table(rows=1, cols=len(COLUMNS))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    _fix_layout(table)
    widths = [Mm(width) for _, width in COLUMNS]
    for column, width in zip(table.columns, widths, strict=True):
        column.width = width  # the grid (w:gridCol) LibreOffice lays the table out by
    header = table.rows[0]
    _repeat_as_heading(header)
    for cell, text, width in zip(header.cells, headings(lang), widths, strict=True):
        cell.width = width
        cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
        _fill(cell, [text], face=HEI, size=size, align="center")
    inner = dict(COLUMNS)["catalogue.hash"] - 2 * CELL_MARGIN
    for r in catalogue:
        row = table.add_row()
        _keep_on_one_page(row)
        cells = row.cells
        for cell, width in zip(cells, widths, strict=True):
            cell.width = width
        _fill(cells[0], [str(r.number)], size=size, align="center")
        _fill(cells[1], [f"{r.id} {r.title}"], size=size)
        _fill(cells[2], [p for p in (r.method, r.collected_at, r.collectors) if p], size=size)
        _fill(cells[3], list(r.facts), size=size)
        if r.checks:
            _checks(cells[4], r.checks, inner)
        else:
            _fill(cells[4], list(r.hashes), size=size)
        _fill(cells[5], [r.dossier], size=size)
        _fill(cells[6], [r.remarks], size=size)
    for cell in table.rows[-1].cells:  # the last row goes over to the signatures' page
        for made in cell.paragraphs:
            made.paragraph_format.keep_with_next = True


def _fill(
    cell, lines: list[str], *, face: str = FANGSONG, size: float, align: str = "left"
) -> None:
    """The cell's text, a paragraph a line (its first paragraph is the cell's own)."""
    for i, text in enumerate(lines or [""]):
        line = cell.paragraphs[0] if i == 0 else cell.add_paragraph()
        paperwork.set_alignment(line, align)
        if text:
            write(line, text, face=face, size=size)


def _checks(cell, checks: tuple[Check, ...], inner: float) -> None:
    """Each check value in the monospaced type: the file, the algorithm and the value on one
    line where they fit, else the value alone on the second (it always fits one)."""
    from docx.enum.text import WD_BREAK
    from docx.shared import Mm

    room = Mm(inner).pt
    for i, check in enumerate(checks):
        line = cell.paragraphs[0] if i == 0 else cell.add_paragraph()
        label = f"{check.algorithm} {check.file}"
        if paperwork.breadth(f"{label} {check.value}", size=CHECK_SIZE, mono=True) <= room:
            write(line, f"{label} ", face=MONO, size=CHECK_SIZE)
        else:
            write(line, label, face=MONO, size=CHECK_SIZE).add_break(WD_BREAK.LINE)
        write(line, check.value, face=MONO, size=CHECK_SIZE)


def _fix_layout(table) -> None:
    """Columns as wide as the grid says (w:tblLayout fixed), whatever their contents, and
    narrow cell margins."""
    from docx.oxml.ns import qn
    from docx.shared import Mm

    table.autofit = False
    properties = table._tbl.tblPr
    for tag in ("w:tblW", "w:tblCellMar"):
        for old in properties.findall(qn(tag)):
            properties.remove(old)
    total = round(Mm(sum(w for _, w in COLUMNS)).twips)
    properties.insert_element_before(
        paperwork.element("w:tblW", {"w:w": str(total), "w:type": "dxa"}), *_AFTER_TBLW
    )
    margins = paperwork.element("w:tblCellMar", {})
    for side, millimetres in (("top", 0.6), ("left", CELL_MARGIN), ("bottom", 0.6),
                              ("right", CELL_MARGIN)):  # fmt: skip
        twips = str(round(Mm(millimetres).twips))
        margins.append(paperwork.element(f"w:{side}", {"w:w": twips, "w:type": "dxa"}))
    properties.insert_element_before(margins, *_AFTER_TBLW[-4:])


_AFTER_TBLW = (
    "w:jc", "w:tblCellSpacing", "w:tblInd", "w:tblBorders", "w:shd", "w:tblLayout",
    "w:tblCellMar", "w:tblLook", "w:tblCaption", "w:tblDescription", "w:tblPrChange",
)  # fmt: skip
"""What follows w:tblW in a table's properties (ECMA-376 §17.4.60: the order is fixed)."""


def _keep_on_one_page(row) -> None:
    """The row is not broken across pages (w:cantSplit) unless it is taller than a page."""
    row._tr.get_or_add_trPr().append(paperwork.element("w:cantSplit", {}))


def _repeat_as_heading(row) -> None:
    """The row is repeated at the top of every page the table runs onto (w:tblHeader)."""
    row._tr.get_or_add_trPr().append(paperwork.element("w:tblHeader", {}))
