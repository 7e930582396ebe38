"""Prosecution paperwork (检察文书) as Word documents: the page, the type, the heading, the
page numbers, the signature and the document's properties that the 证据目录 and the 举证提纲
share, so that both read as papers of one office.

Type follows 公文 (GB/T 9704): 仿宋 for the text and 黑体 for headings, named as every Chinese
Windows and WPS names them. Where they are missing (LibreOffice on Linux), the runs' East Asian
language (zh-CN) makes the substitute a Simplified Chinese face; check values are set in a
monospaced face whose width is known, so that a column can be made to hold one whole.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass
from xml.sax.saxutils import escape

from .. import i18n
from ..deck import Case
from ..formatting import deck_zone
from ..masking import mask_text

FANGSONG = "仿宋"
"""FangSong: the text type of 公文."""
HEI = "黑体"
"""SimHei: its headings."""
MONO = "Courier New"
"""Check values: the monospaced face on every Windows; LibreOffice sets it in Liberation or
DejaVu Sans Mono, the same width within a percent."""
ENGLISH_NAMES = {FANGSONG: "FangSong", HEI: "SimHei"}
"""The faces' other names (w:altName), as Word writes them."""
MONO_ADVANCE = 0.61
"""A monospaced character's width in em, rounded up (Courier New 0.600, DejaVu Sans Mono
0.602)."""
CORE_PROPERTY_LIMIT = 255
"""Word's document properties hold at most this many characters."""
APPLICATION = "Shizheng"

_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_AFTER_SPACING = (
    "w:w", "w:kern", "w:position", "w:sz", "w:szCs", "w:highlight", "w:u", "w:effect", "w:bdr",
    "w:shd", "w:fitText", "w:vertAlign", "w:rtl", "w:cs", "w:em", "w:lang", "w:eastAsianLayout",
    "w:specVanish", "w:oMath",
)  # fmt: skip
"""What follows w:spacing in a run's properties (ECMA-376 §17.3.2.28: the order is fixed)."""
_FIELD = re.compile(r"\{(page|pages)\}")
_MONTHS = (
    "January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December",
)  # fmt: skip


@dataclass(frozen=True)
class Layout:
    """A page of paperwork: its size and margins in millimetres, its type sizes in points."""

    width: float
    height: float
    top: float
    right: float
    bottom: float
    left: float
    footer: float
    """From the page's bottom edge to the footer, which holds the page numbers."""
    text: float
    """The size of the text."""
    lead: float
    """The case's name and the signatures."""
    signature_at: float
    """Where the signatures begin, as a fraction of the text's width."""
    title: float = 22
    """二号: the document's name."""
    office: float = 18
    """The office's name above it."""

    @property
    def text_width(self) -> float:
        return self.width - self.left - self.right

    @property
    def landscape(self) -> bool:
        return self.width > self.height


PORTRAIT = Layout(
    210, 297, top=37, right=26, bottom=35, left=28, footer=20, text=16, lead=16, signature_at=0.4
)
"""A4 upright with GB/T 9704's margins (a text block of 156 × 225 mm) and 三号 text."""
LANDSCAPE = Layout(
    297, 210, top=25, right=20, bottom=22, left=20, footer=10, text=10.5, lead=12, signature_at=0.6
)
"""A4 on its side, for a table wide enough to hold a SHA-256 on one line; 五号 text."""


@dataclass(frozen=True)
class Filing:
    """What every paper of a case is headed and signed with, as printed (masked in a masked
    bundle): the office, the case, the prosecutors in charge, and when it is issued."""

    procuratorate: str
    case_title: str
    case_number: str
    prosecutors: tuple[str, ...]
    issued: dt.datetime
    """Now, in the deck's time zone."""
    lang: str

    @classmethod
    def of(cls, case: Case, lang: str, mask: bool = False) -> Filing:
        shown = mask_text if mask else str
        return cls(
            procuratorate=shown(case.procuratorate),
            case_title=shown(case.title),
            case_number=shown(case.number),
            prosecutors=tuple(shown(name) for name in case.presenters),
            issued=dt.datetime.now(deck_zone(case)).replace(microsecond=0),
            lang=lang,
        )

    @property
    def author(self) -> str:
        joiner = i18n.translator(self.lang)("join.list")
        return self.procuratorate or joiner.join(self.prosecutors) or APPLICATION


def long_date(day: dt.date, lang: str) -> str:
    """A date as paperwork writes it: 2024年3月1日, or 1 March 2024."""
    if i18n.is_english(lang):
        return f"{day.day} {_MONTHS[day.month - 1]} {day.year}"
    return f"{day.year}年{day.month}月{day.day}日"


def xml_safe(text: str) -> str:
    """The text without the characters XML cannot hold (evidence text may have any)."""
    return _NOT_XML.sub("\ufffd", text)


def breadth(text: str, *, size: float, mono: bool = False) -> float:
    """How wide `text` sets at `size`, in points: a Chinese character an em (the monospaced
    face falls back to the Chinese one for it), anything else MONO_ADVANCE in the monospaced
    face, about half an em in 仿宋."""
    other = MONO_ADVANCE if mono else 0.5
    return sum(size * (1 if unicodedata.east_asian_width(c) in "WF" else other) for c in text)


# --- the document ---------------------------------------------------------------------------


def new_document(layout: Layout, lang: str):
    """An empty document laid out as paperwork: page and margins, type, the page numbers in
    the footer, and nothing of the template it is made from (its thumbnail, its Japanese
    theme language)."""
    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.shared import Mm

    document = Document()
    section = document.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE if layout.landscape else WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(layout.width), Mm(layout.height)
    section.top_margin, section.bottom_margin = Mm(layout.top), Mm(layout.bottom)
    section.left_margin, section.right_margin = Mm(layout.left), Mm(layout.right)
    section.footer_distance = Mm(layout.footer)
    section.header_distance = Mm(min(layout.top / 2, 15))
    _type_defaults(document, layout)
    _font_table(document)
    _settings(document)
    _page_numbers(section, layout, lang)
    _drop_thumbnail(document)
    return document


def _type_defaults(document, layout: Layout) -> None:
    """仿宋 for every run that names no face, Chinese as its East Asian language, no space
    between paragraphs (the template's are Word 2010's: Calibri, 10 pt after, 1.15 lines)."""
    from docx.oxml.ns import qn

    styles = document.styles.element
    defaults = styles.find(qn("w:docDefaults"))
    properties = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    for child in list(properties):
        properties.remove(child)
    properties.append(element("w:rFonts", _font_attributes(FANGSONG)))
    half_points = str(round(layout.text * 2))
    properties.append(element("w:sz", {"w:val": half_points}))
    properties.append(element("w:szCs", {"w:val": half_points}))
    # the Latin language stays English: a check value must keep its monospaced face
    properties.append(element("w:lang", {"w:val": "en-US", "w:eastAsia": "zh-CN"}))
    paragraph = defaults.find(qn("w:pPrDefault")).find(qn("w:pPr"))
    for child in list(paragraph):
        paragraph.remove(child)
    # no space set between Chinese and figures: 2024年3月1日 reads as one, as in 公文
    paragraph.append(element("w:autoSpaceDE", {"w:val": "0"}))
    paragraph.append(element("w:autoSpaceDN", {"w:val": "0"}))
    paragraph.append(element("w:spacing", {"w:after": "0", "w:line": "240", "w:lineRule": "auto"}))


def _font_attributes(face: str) -> dict[str, str]:
    if face == MONO:
        return {"w:ascii": MONO, "w:hAnsi": MONO, "w:cs": MONO, "w:eastAsia": FANGSONG}
    if face == HEI:
        return {
            "w:ascii": HEI,
            "w:hAnsi": HEI,
            "w:cs": HEI,
            "w:eastAsia": HEI,
            "w:hint": "eastAsia",
        }
    return {
        "w:ascii": FANGSONG,
        "w:hAnsi": FANGSONG,
        "w:cs": FANGSONG,
        "w:eastAsia": FANGSONG,
        "w:hint": "eastAsia",
    }


def element(tag: str, attributes: dict[str, str]):
    from docx.oxml import OxmlElement

    return OxmlElement(tag, attrs=_qualified(attributes))


def _qualified(attributes: dict[str, str]) -> dict[str, str]:
    from docx.oxml.ns import qn

    return {qn(name): value for name, value in attributes.items()}


def _font_table(document) -> None:
    """The Chinese faces in the font table with their English names, GB2312 character set
    and PANOSE numbers, so that Word finds them under either name and a program without
    them knows what they are."""
    from lxml import etree

    part = _related(document.part, "/fontTable")
    table = etree.fromstring(part.blob)
    w = table.nsmap["w"]
    known = {font.get(f"{{{w}}}name") for font in table}
    entries = (
        (FANGSONG, "02010609060101010101", "modern"),
        (HEI, "02010609060101010101", "modern"),
        (MONO, "02070309020205020404", "modern"),
    )
    for name, panose, family in entries:
        if name in known:
            continue
        font = etree.SubElement(table, f"{{{w}}}font", {f"{{{w}}}name": name})
        if name in ENGLISH_NAMES:
            etree.SubElement(font, f"{{{w}}}altName", {f"{{{w}}}val": ENGLISH_NAMES[name]})
        etree.SubElement(font, f"{{{w}}}panose1", {f"{{{w}}}val": panose})
        charset = "86" if name in ENGLISH_NAMES else "00"
        etree.SubElement(font, f"{{{w}}}charset", {f"{{{w}}}val": charset})
        etree.SubElement(font, f"{{{w}}}family", {f"{{{w}}}val": family})
        etree.SubElement(
            font, f"{{{w}}}pitch", {f"{{{w}}}val": "fixed" if name == MONO else "variable"}
        )
    # a generic part holds its bytes; python-docx has no setter for them
    part._blob = etree.tostring(table, xml_declaration=True, encoding="UTF-8", standalone=True)


def _related(part, reltype_end: str):
    return next(r.target_part for r in part.rels.values() if r.reltype.endswith(reltype_end))


def _settings(document) -> None:
    """Chinese as the theme's East Asian language (the template's is Japanese), and no
    preview picture saved with the document."""
    from docx.oxml.ns import qn

    settings = document.settings.element
    language = settings.find(qn("w:themeFontLang"))
    if language is not None:
        language.set(qn("w:eastAsia"), "zh-CN")
    preview = settings.find(qn("w:savePreviewPicture"))
    if preview is not None:
        settings.remove(preview)


def _drop_thumbnail(document) -> None:
    """The template's picture of a page that is not this document's."""
    package = document.part.package
    for key, relationship in list(package.rels.items()):
        if relationship.reltype.endswith("/thumbnail"):
            package.rels.pop(key)


def _page_numbers(section, layout: Layout, lang: str) -> None:
    """第 X 页 共 Y 页, centred in the footer, from the PAGE and NUMPAGES fields."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    footer = section.footer
    footer.is_linked_to_previous = False
    paragraph = footer.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    size = min(layout.text, 14)
    for i, part in enumerate(_FIELD.split(i18n.translator(lang)("paperwork.page"))):
        if i % 2:
            _field(paragraph, "PAGE" if part == "page" else "NUMPAGES", size)
        elif part:
            write(paragraph, part, size=size)


def _field(paragraph, instruction: str, size: float) -> None:
    """A field Word and LibreOffice fill in as they lay out the pages; `1` until then."""
    from docx.oxml.ns import qn

    for kind in ("begin", "instruction", "separate", "result", "end"):
        run = write(paragraph, "1" if kind == "result" else "", size=size)
        if kind == "instruction":
            text = element("w:instrText", {})
            text.set(qn("xml:space"), "preserve")
            text.text = f" {instruction} "
            run._element.append(text)
        elif kind != "result":
            run._element.append(element("w:fldChar", {"w:fldCharType": kind}))


# --- text -----------------------------------------------------------------------------------


def write(
    paragraph,
    text: str,
    *,
    face: str = FANGSONG,
    size: float | None = None,
    bold=False,
    underline=False,
):
    """A run of `text` in `face` (仿宋, 黑体 or MONO): the run, as python-docx gives it."""
    from docx.shared import Pt

    run = paragraph.add_run(xml_safe(text)) if text else paragraph.add_run()
    properties = run._element.get_or_add_rPr()
    fonts = properties.get_or_add_rFonts()
    for name, value in _qualified(_font_attributes(face)).items():
        fonts.set(name, value)
    if size is not None:
        run.font.size = Pt(size)
    if bold:
        run.font.bold = True
    if underline:
        run.font.underline = True
    return run


def paragraph(
    container,
    text: str = "",
    *,
    face: str = FANGSONG,
    size: float | None = None,
    before: float = 0,
    after: float = 0,
    indent: float = 0,
):
    """A paragraph of one run at the end of `container` (the document or a table cell),
    spaced `before` and `after` in points and indented in millimetres."""
    from docx.shared import Mm, Pt

    made = container.add_paragraph()
    made.paragraph_format.space_before = Pt(before)
    made.paragraph_format.space_after = Pt(after)
    if indent:
        made.paragraph_format.left_indent = Mm(indent)
    if text:
        write(made, text, face=face, size=size)
    return made


def set_alignment(paragraph, how: str) -> None:
    """`left`, `center`, `right` or `justify`."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    paragraph.alignment = {
        "left": WD_ALIGN_PARAGRAPH.LEFT,
        "center": WD_ALIGN_PARAGRAPH.CENTER,
        "right": WD_ALIGN_PARAGRAPH.RIGHT,
        "justify": WD_ALIGN_PARAGRAPH.JUSTIFY,
    }[how]


def head(document, filing: Filing, name: str, layout: Layout) -> None:
    """The paper's head: the office, the paper's name, the case, and its number."""
    if filing.procuratorate:
        office = paragraph(document, filing.procuratorate, face=HEI, size=layout.office)
        set_alignment(office, "center")
    title = paragraph(document, name, face=HEI, size=layout.title, before=6, after=6)
    set_alignment(title, "center")
    if not i18n.is_english(filing.lang) and len(name) <= 4:  # short names set spaced: 证 据 目 录
        for run in title.runs:
            spacing = element("w:spacing", {"w:val": str(round(layout.title * 10))})
            run._element.get_or_add_rPr().insert_element_before(spacing, *_AFTER_SPACING)
    case = paragraph(document, filing.case_title, size=layout.lead)
    set_alignment(case, "center")
    number = paragraph(document, filing.case_number, size=layout.lead, after=layout.lead)
    set_alignment(number, "right")
    for made in document.paragraphs:
        made.paragraph_format.keep_with_next = True


def sign(document, filing: Filing, layout: Layout) -> None:
    """The prosecutors in charge, each on a line, with room for their signatures, the office
    and the date, at the right of the page, as paperwork ends."""
    from docx.shared import Mm

    t = i18n.translator(filing.lang)
    indent, size = layout.text_width * layout.signature_at, layout.lead
    label = t("paperwork.prosecutors")
    hanging = breadth(label, size=size) * 25.4 / 72
    names = paragraph(document, indent=indent, before=size)
    names.paragraph_format.left_indent = Mm(indent + hanging)
    names.paragraph_format.first_line_indent = Mm(-hanging)
    names.paragraph_format.keep_with_next = True
    write(names, label + "\n".join(filing.prosecutors), size=size)
    line = paragraph(document, indent=indent, before=size)  # room to sign above the line
    line.paragraph_format.keep_with_next = True
    write(line, t("paperwork.signature"), size=size)
    write(line, "\u3000" * 10, size=size, underline=True)
    if filing.procuratorate:
        office = paragraph(
            document, filing.procuratorate, size=size, indent=indent, before=size / 2
        )
        office.paragraph_format.keep_with_next = True
    date = long_date(filing.issued.date(), filing.lang)
    paragraph(
        document, date, size=size, indent=indent, before=0 if filing.procuratorate else size / 2
    )


def describe(document, filing: Filing, name: str) -> None:
    """The document's properties: its name and the case, the office as author, created and
    modified now, and no trace of the template (python-docx's own, from 2013)."""
    t = i18n.translator(filing.lang)

    def fitted(text: str) -> str:
        return xml_safe(text)[:CORE_PROPERTY_LIMIT]

    now = filing.issued.astimezone(dt.UTC).replace(tzinfo=None)
    properties = document.core_properties
    properties.title = fitted(
        t("paperwork.document_title").format(name=name, case=filing.case_title)
    )
    properties.subject = fitted(" ".join(p for p in (filing.case_number, filing.case_title) if p))
    properties.author = properties.last_modified_by = fitted(filing.author)
    properties.keywords = fitted(t("join.clause").join(p for p in (name, filing.case_number) if p))
    properties.category = fitted(t("paperwork.category"))
    properties.comments = ""
    properties.language = i18n.pick(("zh-CN", "en"), filing.lang)
    properties.created = properties.modified = now
    properties.revision = 1
    app = _related(document.part.package, "/extended-properties")
    company = escape(fitted(filing.procuratorate))
    app._blob = (  # a generic part holds its bytes; python-docx has no setter for them
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"'
        ' xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
        f"<Application>{APPLICATION}</Application><DocSecurity>0</DocSecurity>"
        f"<ScaleCrop>false</ScaleCrop><Company>{company}</Company>"
        "<LinksUpToDate>false</LinksUpToDate><SharedDoc>false</SharedDoc>"
        "<HyperlinksChanged>false</HyperlinksChanged></Properties>"
    ).encode()
