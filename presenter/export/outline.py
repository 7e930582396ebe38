"""The 举证提纲 (outline of the evidence): the facts to prove in order, and for each the groups
of exhibits that prove it and what each shows, as prosecutors present them in court:
"第一组：网络通讯信息类电子数据，证明犯罪手段".

A group is named in the items (`[[shows]] group`); the items of a fact that name none are
grouped by their kind of electronic data (Art. 27). Groups and their items follow the deck's
order. Only what the court sees is read (`[[shows]]`, `[[corroborates]]`, the exhibits' titles
and `dossier`): never notes, challenges or review.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .. import i18n
from ..deck import Deck, Exhibit
from ..masking import mask_text
from . import paperwork
from .paperwork import FANGSONG, HEI, PORTRAIT, Filing, paragraph, write

OUTLINE_NAME = "举证提纲"
"""The DOCX's file name, without its extension."""


@dataclass(frozen=True)
class Entry:
    """An exhibit in a group: what it is, where it is, what it shows of the fact."""

    id: str
    number: int
    """Its number in the 证据目录."""
    title: str
    """With its catalogue number and dossier pages:
    "E04 微信聊天记录（证据目录第4项，第2卷第15页）"."""
    shows: tuple[str, ...]
    """How it shows the fact, each with its aspect: "冒充投资导师（犯罪手段）"."""
    corroborated: tuple[str, ...]
    """The other evidence it corroborates on this fact, and the point."""


@dataclass(frozen=True)
class Group:
    """A group of evidence (证据组) presented together for one fact."""

    heading: str
    entries: tuple[Entry, ...]


@dataclass(frozen=True)
class Point:
    """A fact to prove, and the groups of evidence that prove it."""

    id: str
    heading: str
    groups: tuple[Group, ...]


def outline(deck: Deck, exhibits: list[Exhibit], lang: str, mask: bool = False) -> list[Point]:
    """The outline of `exhibits` (the bundle's, in the deck's order), every text masked with
    `mask` as the catalogue's rows are."""
    t = i18n.translator(lang)
    shown = mask_text if mask else str
    numbers = {e.id: n for n, e in enumerate(exhibits, 1)}
    points = []
    for index, fact in enumerate(deck.facts, 1):
        groups: dict[str, list[Exhibit]] = {}
        for exhibit in exhibits:
            links = [s for s in exhibit.shows if s.fact == fact.id]
            if links:
                named = next((s.group for s in links if s.group.strip()), "")
                name = named.strip() or t("outline.by_type").format(type=t("type." + exhibit.type))
                groups.setdefault(name, []).append(exhibit)
        made = []
        for n, (name, members) in enumerate(groups.items(), 1):
            aspects = dict.fromkeys(
                t("aspect." + s.aspect) for e in members for s in e.shows if s.fact == fact.id
            )
            heading = t("outline.group").format(
                n=_ordinal(n, lang), name=name, aspects=t("join.list").join(aspects)
            )
            entries = tuple(_entry(deck, e, fact.id, numbers[e.id], lang, shown) for e in members)
            made.append(Group(shown(heading), entries))
        heading = t("outline.fact").format(
            n=_ordinal(index, lang),
            fact=f"{fact.id} {fact.text}",
            element=t("element." + fact.element),
        )
        points.append(Point(fact.id, shown(heading), tuple(made)))
    return points


def _entry(deck: Deck, exhibit: Exhibit, fact: str, number: int, lang: str, shown) -> Entry:
    t = i18n.translator(lang)
    dossier = i18n.pick(("，", ", "), lang) + exhibit.dossier if exhibit.dossier else ""
    title = t("outline.item").format(
        title=f"{exhibit.id} {exhibit.title}", number=number, dossier=dossier
    )
    aside = i18n.pick(("{}（{}）", "{} ({})"), lang)
    shows = tuple(
        aside.format(s.how, t("aspect." + s.aspect)) if s.how else t("aspect." + s.aspect)
        for s in exhibit.shows
        if s.fact == fact
    )
    evidence = {e.id: e for e in deck.evidence}
    corroborated = tuple(
        t("outline.corroborated").format(**{"with": f"{c.with_} {evidence[c.with_].title}"})
        + c.point
        for c in exhibit.corroborates
        if c.with_ in evidence and c.fact in (None, fact)
    )
    return Entry(
        id=exhibit.id,
        number=number,
        title=shown(title),
        shows=tuple(shown(s) for s in shows),
        corroborated=tuple(shown(c) for c in corroborated),
    )


_DIGITS = "零一二三四五六七八九"


def _ordinal(n: int, lang: str) -> str:
    """一, 二, … 十一, … 九十九 (as paperwork numbers its parts); figures beyond, and in English."""
    if i18n.is_english(lang) or not 0 < n < 100:
        return str(n)
    tens, ones = divmod(n, 10)
    if not tens:
        return _DIGITS[ones]
    return ("" if tens == 1 else _DIGITS[tens]) + "十" + (_DIGITS[ones] if ones else "")


def write_docx(points: list[Point], deck: Deck, path: Path, lang: str, mask: bool = False) -> None:
    """The outline as prosecution paperwork, upright A4 in 公文's type: each fact a heading in
    黑体, its groups in bold, each exhibit with what it shows and what corroborates it."""
    t = i18n.translator(lang)
    filing = Filing.of(deck.case, lang, mask)
    name = t("outline.heading")
    layout = PORTRAIT
    document = paperwork.new_document(layout, lang)
    paperwork.head(document, filing, name, layout)
    for point in points:
        _said(document, point.heading, face=HEI, before=layout.text / 2, keep=True)
        if not point.groups:
            _said(document, t("outline.none"))
        for group in point.groups:
            _said(document, group.heading, bold=True, keep=True)
            for n, entry in enumerate(group.entries, 1):
                _said(document, f"{n}. {entry.title}")
                for line in [t("outline.shows") + s for s in entry.shows] + [*entry.corroborated]:
                    _said(document, line)
    paperwork.sign(document, filing, layout)
    paperwork.describe(document, filing, name)
    document.save(str(path))


def _said(document, text: str, *, face: str = FANGSONG, bold=False, before=0.0, keep=False):
    """A paragraph as 公文 set them: its first line indented two characters, the rest at the
    margin; a heading kept on the page of what follows it."""
    from docx.shared import Pt

    made = paragraph(document, before=before)
    made.paragraph_format.first_line_indent = Pt(PORTRAIT.text * 2)
    made.paragraph_format.keep_with_next = keep
    write(made, text, face=face, bold=bold)
