"""Attacks on the paperwork of issue 17 (the 证据目录 and the 举证提纲 as DOCX, `export
--catalogue-only`, `export --mask`), as a prosecutor's assistant preparing a real case and a
defence lawyer reading the papers would make them.

Each test's docstring names the attack. Where the attack works, the test fails until it is
fixed; where it is handled, the test says so. The papers are laid out by LibreOffice once for
the module (every DOCX in one run) and read back from the PDF.
"""

from __future__ import annotations

import base64
import datetime as dt
import io
import os
import re
import stat
import unicodedata
import zipfile
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import tomlkit
from click.testing import CliRunner
from docx import Document

from presenter.cli import main as cli_main
from presenter.deck import load_deck
from presenter.export import catalogue, paperwork
from presenter.integrity import hash_bytes
from presenter.masking import mask_text

from .deckfactory import edit, write_deck
from .test_paperwork import parts, read_pdf, squeezed, to_pdf

SECRET = "绝密标记QZ9"
"""Written only where the presenter alone reads: notes, a challenge, a review, an excluded
item."""
EXCLUDED = "E005"
CASE_TITLE = ("张某等人利用虚假投资平台实施电信网络诈骗案" * 30)[:500]
OFFICE = ("某某省某某市某某区人民检察院第一检察部" * 6)[:80]
LONG_NAME = ("张某 手机 " + "WeChat export record part " * 8)[:196] + ".txt"
"""200 characters, with spaces and Chinese, and within a file system's 255 bytes."""
REMARKS = "a<b & c ]]> \x01\x0b\ufffe end"
DOSSIER = "第1卷\n第2页\n第3页"
FACT_ORDER = ("F3", "F1", "F2")
"""The facts as deck.toml lists them: not in the order of their ids."""
GROUP = "后台操纵收益的证据"
NEW_YORK = "America/New_York"
PHONE = "13812345678"
RESIDENT = "110101199003071234"


def _run(*args: object):
    result = CliRunner().invoke(cli_main, [str(a) for a in args], catch_exceptions=True)
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    assert result.exit_code == 0, result.output
    return result


# --- the decks ------------------------------------------------------------------------------


def _item(root: Path, i: int, special: bool) -> str:
    """Item `i`: one text file and its SHA-256; with `special`, the attacks of the brief on
    the items numbered for them."""
    item_id = f"E{i:03d}"
    names = [f"files/f{i:03d}.txt"]
    algorithms: tuple[str, ...] = ("sha256",)
    if special and i == 2:  # forty check values: ten files, four algorithms each
        names = [f"files/many/{k:02d} 文件.txt" for k in range(10)]
    if special and i == 3:
        names = [f"files/{LONG_NAME}"]
    if special and i in (2, 3, 4):
        algorithms = ("md5", "sha1", "sha256", "sm3")
    hashes = []
    for name in names:
        data = f"内容 {i} {name}\n".encode()
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_bytes(data)
        hashes += [{"file": name, "algorithm": a, "value": hash_bytes(data, a)} for a in algorithms]
    fact = ("F1", "F2", "F3")[i % 3]
    front: dict = {
        "id": item_id, "title": f"证据{i}", "type": "file", "view": "code", "files": names,
    }  # fmt: skip
    source: dict = {"method": "seizure", "hash": hashes}
    shows = [{"fact": fact, "aspect": "means", "how": f"说明{i}"}]
    if special:
        if item_id == EXCLUDED:
            front.update(excluded=True, title=f"已排除 {SECRET}")
        if i == 4:  # one fact, two aspects
            shows.append({"fact": fact, "aspect": "funds", "how": f"资金{i}"})
        if i == 6:
            front["dossier"] = DOSSIER
        if i == 7:
            front["remarks"] = REMARKS
        if i == 8:  # midnight UTC: the evening before in New York
            source["collected_at"] = dt.datetime(2024, 3, 5, tzinfo=dt.UTC)
        if i == 9:  # midnight in Beijing: the day before in UTC
            source["collected_at"] = dt.datetime(2024, 3, 4, 16, tzinfo=dt.UTC)
        if i == 10:
            front["challenge"] = [{"ground": "legality", "claim": SECRET, "response": SECRET}]
            front["review"] = {"objectivity": SECRET, "legality": SECRET, "relevance": SECRET}
        if i == 11:
            shows[0]["group"] = GROUP
    front["source"] = source
    front["shows"] = shows
    return f"+++\n{tomlkit.dumps(front)}+++\n正文{i}。\n\n???\n私人备注：{SECRET}\n"


def paper_deck(
    root: Path,
    items: int,
    *,
    title: str = "张某诈骗案",
    office: str = "某市某区人民检察院",
    presenters: int = 2,
    timezone: str = "+08:00",
    language: str = "zh-CN",
    special: bool = True,
) -> Path:
    (root / "items").mkdir(parents=True)
    (root / "files").mkdir()
    case = {
        "title": title,
        "number": "某检刑诉〔2026〕7号",
        "procuratorate": office,
        "presenters": [f"检察员 王某{i}" for i in range(presenters)],
        "timezone": timezone,
        "language": language,
    }
    facts = [{"id": f, "text": f"第{f[1]}项待证事实", "element": "conduct"} for f in FACT_ORDER]
    deck = {"format": 1, "case": case, "fact": facts}
    (root / "deck.toml").write_text(tomlkit.dumps(deck), "utf-8")
    for i in range(1, items + 1):
        (root / "items" / f"e{i:03d}.md").write_text(_item(root, i, special), "utf-8")
    return root


@dataclass
class Paper:
    docx: Path
    pages: list[str]

    @property
    def text(self) -> str:
        return "\n".join(self.pages)


@dataclass
class Papers:
    big_folder: Path
    """`export --catalogue-only` of 300 items, 20 presenters, an 80-character office, a
    500-character title, in New York."""
    big_output: str
    big: Paper
    big_outline: Paper
    small_folder: Path
    """A whole bundle of 12 items, in English, at +08:00."""
    small: Paper
    small_outline: Paper
    before: dt.datetime
    after: dt.datetime


@pytest.fixture(scope="module")
def papers(tmp_path_factory) -> Papers:
    root = tmp_path_factory.mktemp("paperwork-attacks")
    instance = root / "instance"
    big_deck = paper_deck(
        root / "big-case", 300, title=CASE_TITLE, office=OFFICE, presenters=20,
        timezone=NEW_YORK,
    )  # fmt: skip
    small_deck = paper_deck(root / "small-case", 12, language="en")
    before = dt.datetime.now(dt.UTC)
    big_output = _run(
        "export", big_deck, "--out", root / "big", "--catalogue-only", "--instance", instance
    ).output
    _run("export", small_deck, "--out", root / "small", "--instance", instance, "--lang", "en")
    after = dt.datetime.now(dt.UTC)
    documents = {
        "big": root / "big" / "证据目录.docx",
        "big_outline": root / "big" / "举证提纲.docx",
        "small": root / "small" / "证据目录.docx",
        "small_outline": root / "small" / "举证提纲.docx",
    }
    copies = []
    for name, path in documents.items():  # LibreOffice names a PDF after its DOCX
        copies.append(root / f"{name}.docx")
        copies[-1].write_bytes(path.read_bytes())
    to_pdf(copies, root / "pdf", root / "libreoffice-profile")

    def read(docx: Path, copy: Path) -> Paper:
        return Paper(docx, read_pdf(root / "pdf" / f"{copy.stem}.pdf")[0])

    read_papers = {
        name: read(path, copy) for (name, path), copy in zip(documents.items(), copies, strict=True)
    }
    return Papers(
        big_folder=root / "big",
        big_output=big_output,
        small_folder=root / "small",
        before=before,
        after=after,
        **read_papers,
    )


def _lines(paper: Paper) -> list[str]:
    return [line.strip() for line in paper.text.splitlines()]


def _values(folder_deck: Path) -> list[str]:
    deck = load_deck(folder_deck, verify_hashes=False).deck
    assert deck is not None
    return [h.value for e in deck.exhibits if not e.excluded for h in e.source.hashes]


def _page_of(paper: Paper, text: str) -> list[int]:
    return [n for n, page in enumerate(paper.pages, 1) if squeezed(text) in squeezed(page)]


# --- paperwork as offices have it: what holds ----------------------------------------------


def test_three_hundred_items_open_and_every_page_of_rows_repeats_the_heading(papers):
    """300 items, one of them with 40 check values (a row taller than a page): python-docx
    and LibreOffice open it, and every page the table runs onto is headed and numbered."""
    (table,) = Document(str(papers.big.docx)).tables
    assert len(table.rows) == 1 + 299  # the excluded item is not a row
    headings = [squeezed(h) for h in catalogue.headings("zh-CN")]
    pages = papers.big.pages
    assert len(pages) > 10
    for n, page in enumerate(pages, 1):
        footer = re.search(r"第\s*(\d+)\s*页\s*共\s*(\d+)\s*页", page)
        assert footer and footer.groups() == (str(n), str(len(pages))), n
        if re.search(r"[0-9a-f]{32}", page):  # the table runs onto the page
            assert all(h in squeezed(page) for h in headings), f"page {n}: no heading row"


def test_no_check_value_is_split_over_lines_in_the_pdf(papers):
    """MD5, SHA-1, SHA-256 and SM3 mixed, forty on one item, and a 200-character file name
    with spaces and Chinese before its values: each value is printed whole on one line."""
    for paper, deck in ((papers.big, "big-case"), (papers.small, "small-case")):
        lines = _lines(paper)
        values = _values(paper.docx.parent.parent / deck)
        assert len(values) > 40
        split = [v for v in values if not any(v in line for line in lines)]
        assert not split, split[:3]


def test_long_title_office_and_file_name_are_printed_whole(papers):
    """A case title of 500 characters and an office of 80 head page 1 whole; a 200-character
    file name is printed whole above its values."""
    first = squeezed(papers.big.pages[0])
    assert squeezed(CASE_TITLE) in first and squeezed(OFFICE) in first
    assert "证据目录" in first
    assert squeezed(LONG_NAME) in squeezed(papers.big.text)
    assert squeezed(CASE_TITLE) in squeezed(papers.big_outline.pages[0])


def test_hostile_remarks_and_a_dossier_of_lines_are_written_as_text(papers):
    """`remarks` with `<`, `&`, `]]>`, control characters and U+FFFE, and a `dossier` over
    three lines: the DOCX is well-formed XML, the specials print as text, nothing is run."""
    (table,) = Document(str(papers.big.docx)).tables
    row = next(r for r in table.rows if r.cells[1].text.startswith("E007 "))
    remarks = row.cells[6].text
    assert remarks.startswith("a<b & c ]]> ") and remarks.endswith(" end")
    assert not re.search("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe]", remarks)
    dossier = next(r for r in table.rows if r.cells[1].text.startswith("E006 ")).cells[5].text
    assert squeezed(dossier) == squeezed(DOSSIER)
    assert "a<b&c]]>" in squeezed(papers.big.text)
    csv_text = (papers.big_folder / "证据目录.csv").read_text("utf-8-sig")
    assert "a<b & c ]]>" in csv_text


def test_times_are_read_in_new_york_and_the_papers_are_dated_there(papers):
    """A deck in America/New_York: a collection at midnight UTC is the evening before, and
    the papers are signed with New York's date, in the DOCX and the CSV."""
    text = squeezed(papers.big.text)
    assert "2024-03-0419:00" in text  # 2024-03-05T00:00Z
    assert "2024-03-0411:00" in text  # 2024-03-05T00:00+08:00
    csv_text = (papers.big_folder / "证据目录.csv").read_text("utf-8-sig")
    assert "2024-03-04 19:00" in csv_text and "2024-03-05 00:00" not in csv_text
    zone = ZoneInfo(NEW_YORK)
    days = {
        paperwork.long_date(t.astimezone(zone).date(), "zh") for t in (papers.before, papers.after)
    }
    for paper in (papers.big, papers.big_outline):
        assert any(squeezed(day) in squeezed(paper.text) for day in days), days


def test_midnight_in_beijing_is_that_day(papers):
    """A collection at 2024-03-04T16:00Z, in a +08:00 deck: 2024-03-05 00:00, the court's
    day, in the catalogue (DOCX, CSV) and on the exhibit's page, never the UTC day before."""
    assert "2024-03-0500:00" in squeezed(papers.small.text)
    csv_text = (papers.small_folder / "证据目录.csv").read_text("utf-8-sig")
    assert "2024-03-05 00:00" in csv_text and "2024-03-04 16:00" not in csv_text
    page = (papers.small_folder / "E009.html").read_text("utf-8")
    assert "2024-03-05 00:00" in page and "2024-03-04 16:00" not in page


def test_the_outline_takes_the_facts_in_the_deck_s_order_with_named_groups(papers):
    """Facts listed F3, F1, F2 in deck.toml: the outline follows deck.toml, not the ids, and
    the named group heads its items."""
    for paper in (papers.big_outline, papers.small_outline):
        text = squeezed(paper.text)
        at = [text.index(f"{f}第{f[1]}项待证事实") for f in FACT_ORDER]
        assert at == sorted(at), paper.docx
        assert GROUP in text
    page = (papers.small_folder / "outline.html").read_text("utf-8")
    at = [page.index(f'data-fact="{f}"') for f in FACT_ORDER]
    assert at == sorted(at)


def test_nothing_presenter_only_or_excluded_reaches_any_paper_or_page(papers):
    """Notes below `???`, `[[challenge]]`, `[review]` and an excluded item hold a secret:
    it is in no PDF page, no part of either DOCX, no file of the bundle."""
    for paper in (papers.big, papers.big_outline, papers.small, papers.small_outline):
        assert SECRET not in paper.text and squeezed(SECRET) not in squeezed(paper.text)
        assert not any(SECRET.encode() in data for data in parts(paper.docx).values())
        assert f"{EXCLUDED} " not in paper.text
    for path in papers.small_folder.rglob("*"):
        if path.is_file():
            assert SECRET.encode() not in path.read_bytes(), path
    assert not (papers.small_folder / f"{EXCLUDED}.html").exists()
    assert f"{EXCLUDED}.html" not in (papers.small_folder / "outline.html").read_text("utf-8")


def test_catalogue_only_writes_the_paperwork_and_no_seal(papers):
    """`--catalogue-only`: the 证据目录 (DOCX, CSV) and the 举证提纲 (DOCX), nothing else;
    no manifest, so no seal line nor its placeholder, and no SHA-256 printed for one."""
    folder = papers.big_folder
    assert sorted(p.name for p in folder.iterdir()) == sorted(
        ["证据目录.docx", "证据目录.csv", "举证提纲.docx"]
    )
    assert not folder.with_name(folder.name + ".zip").exists()
    for data in parts(folder / "证据目录.docx").values():
        assert b"X" * 64 not in data and b"manifest.json" not in data
    assert "manifest" not in papers.big.text and "X" * 64 not in papers.big.text
    assert "sha256" not in papers.big_output


# --- paperwork as offices have it: what breaks ---------------------------------------------


def test_a_fact_shown_under_two_aspects_is_listed_once_in_the_catalogue(papers):
    """An item with two `[[shows]]` for one fact (犯罪手段 and 资金流向): the catalogue's
    证明对象 names the fact twice, "F1 …；F1 …", as if it proved two facts."""
    (table,) = Document(str(papers.big.docx)).tables
    row = next(r for r in table.rows if r.cells[1].text.startswith("E004 "))
    proves = [p.text for p in row.cells[3].paragraphs if p.text]
    assert len(proves) == len(set(proves)), proves
    csv_row = next(
        line for line in (papers.big_folder / "证据目录.csv").read_text("utf-8-sig").splitlines()
        if line.startswith("4,E004,")
    )  # fmt: skip
    assert csv_row.count("第2项待证事实") == 1, csv_row


def test_english_papers_join_their_lists_in_english(papers):
    """`--lang en`: the outline's group heading lists its aspects as "crime methods、funds"
    and the catalogue's keywords read "Evidence catalogue；…": Chinese list punctuation the
    program puts into an English paper."""
    paragraphs = [p.text for p in Document(str(papers.small_outline.docx)).paragraphs]
    headings = [p for p in paragraphs if p.startswith("Group ")]
    assert headings and not any("、" in h for h in headings), headings
    keywords = Document(str(papers.small.docx)).core_properties.keywords
    assert "；" not in keywords, keywords


def test_the_bundle_folder_is_as_readable_as_what_it_holds(papers):
    """An export to a shared folder: the bundle's own folder is made by mkdtemp, mode 0700,
    while its subfolders and files follow the umask; colleagues (and the zip, which records
    the mode) get a folder only its maker can open."""
    folder = papers.small_folder
    inner = stat.S_IMODE((folder / "files").stat().st_mode)
    assert stat.S_IMODE(folder.stat().st_mode) == inner, oct(folder.stat().st_mode)
    with zipfile.ZipFile(folder.with_name(folder.name + ".zip")) as archive:
        top = archive.getinfo(folder.name + "/")
        assert stat.S_IMODE(top.external_attr >> 16) == inner


# --- export --mask -------------------------------------------------------------------------

ENCODED_FILES = {
    "entities.txt": "电话：" + "".join(f"&#{ord(c)};" for c in PHONE) + "\n",
    "entities-bare.txt": "电话：" + "".join(f"&#{ord(c)}" for c in PHONE) + " 完\n",
    "zwj.txt": "号码 138\u200d1234\u200d5678 结束\n",
    "split.txt": "号码 138\n1234\n5678\n",
    "shared.txt": f"共享 {PHONE}\n",
    "secret.txt": f"手机 {PHONE}\n",
    "clean.txt": "这是一段干净的文字，没有号码。\n",
    "urlencoded.txt": "GET /api?m=" + "".join(f"%{ord(c):02X}" for c in PHONE) + "\n",
    "base64.txt": "token=" + base64.b64encode(PHONE.encode()).decode() + "\n",
}
LEFT_OUT = {
    "entities.txt", "entities-bare.txt", "zwj.txt", "split.txt", "shared.txt", "secret.txt",
    "gb18030.txt", "big.txt", "link-secret.txt", "zip.txt",
}  # fmt: skip
"""Innocent names whose content holds a number however a reader's editor reads it, a 10 MB
text, a symlink to a file with a number, a ZIP named .txt."""
HTML_PAGE = "files/m/page.html"
HTML_SPLIT = (
    '<p>电话 138<span title="余额>0">1234</span>5678</p>\n<p>备用 139<!-- a > b -->8765 4321</p>\n'
)
"""A saved web page: a browser shows 13812345678 and 139 8765 4321 (a tag's attribute and a
comment may hold `>`)."""


def _code_item(item_id: str, files: list[str], encoding: str | None = None) -> str:
    front: dict = {"id": item_id, "title": f"材料{item_id}", "type": "tool", "view": "code"}
    front["files"] = files
    if encoding:
        front["encoding"] = encoding
    front["source"] = {"method": "onsite"}
    front["shows"] = [{"fact": "F2", "aspect": "means", "how": "说明"}]
    return f"+++\n{tomlkit.dumps(front)}+++\n"


def mask_deck(root: Path) -> Path:
    """The factory deck with personal numbers in every text the paperwork prints (office,
    title, case number, prosecutors, a fact, the evidence, dossier, remarks, group, how,
    point), and a folder of originals whose names are innocent and whose content hides a
    number (or does not)."""
    write_deck(root)
    text = tomlkit.parse((root / "deck.toml").read_text("utf-8"))
    case = text["case"]
    case["title"] = f"机主{RESIDENT}诈骗案"
    case["procuratorate"] = f"某区人民检察院值班{PHONE}"
    case["presenters"] = [f"检察员 王某 {PHONE}", "检察员 李某"]
    case["number"] = f"某检刑诉〔2026〕{PHONE}号"
    text["fact"][0]["text"] = f"张某使用手机{PHONE}联系被害人"
    text["evidence"][0]["title"] = f"被害人陈某（{PHONE}）陈述"
    (root / "deck.toml").write_text(tomlkit.dumps(text), "utf-8")
    chat = root / "items" / "e01-chat.md"
    edit(
        chat,
        'type = "communication"',
        f'type = "communication"\ndossier = "第2卷{PHONE}页"\nremarks = "机主{PHONE}"',
    )
    edit(chat, 'how = "自称投资导师"', f'how = "自称投资导师{PHONE}"\ngroup = "手机{PHONE}的证据"')
    edit(chat, 'point = "昵称一致"', f'point = "昵称一致{PHONE}"')
    folder = root / "files" / "m"
    folder.mkdir()
    for name, content in ENCODED_FILES.items():
        (folder / name).write_text(content, "utf-8")
    (folder / "gb18030.txt").write_bytes(
        f"手机：１３８１２３４５６７８，身份证{RESIDENT}\n".encode("gb18030")
    )
    (folder / "big.txt").write_bytes((b"clean line of text\n" * 600_000)[: 10 << 20])
    os.symlink("secret.txt", folder / "link-secret.txt")
    os.symlink("clean.txt", folder / "link-clean.txt")
    (root / HTML_PAGE).write_text(HTML_SPLIT, "utf-8")
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as made:
        made.writestr("a.txt", f"phone {PHONE}\n" * 50)
    (folder / "zip.txt").write_bytes(archive.getvalue())
    listed = sorted(
        f"files/m/{p.name}" for p in folder.iterdir() if p.name not in ("shared.txt", "zip.txt")
    )
    items = root / "items"
    (items / "e10-m.md").write_text(_code_item("E10", listed), "utf-8")
    (items / "e11-shared.md").write_text(_code_item("E11", ["files/m/shared.txt"]), "utf-8")
    shared = _code_item("E12", ["files/m/shared.txt"], encoding="gbk")
    (items / "e12-shared.md").write_text(shared, "utf-8")
    # a ZIP named .txt cannot be a code item's file: it goes with the picture, as a carried original
    edit(
        items / "e02-shot.md",
        'files = ["files/shot.png"]',
        'files = ["files/shot.png", "files/m/zip.txt"]',
    )
    return root


@dataclass
class Masked:
    deck: Path
    bundle: Path


@pytest.fixture(scope="module")
def masked(tmp_path_factory) -> Masked:
    root = tmp_path_factory.mktemp("mask-attacks")
    deck = mask_deck(root / "mask-case")
    report = load_deck(deck)
    assert report.deck is not None and not report.errors, [str(p) for p in report.errors]
    _run("export", deck, "--out", root / "bundle", "--mask", "--instance", root / "instance")
    return Masked(deck, root / "bundle")


_OTHER_DIGIT = re.compile(r"(?![0-9])\d")


def _digits(text: str) -> str:
    """The text as a reader takes its numbers: any script's digits as ASCII, and no spaces,
    separators or invisible characters between them."""
    text = _OTHER_DIGIT.sub(lambda m: str(unicodedata.digit(m[0])), text)
    return re.sub(r"[\s\u200b-\u200d\u2060\ufeff._/\\-]", "", text)


def _readings(data: bytes) -> list[str]:
    texts = []
    for codec in ("utf-8", "gb18030", "utf-16"):
        try:
            texts.append(data.decode(codec))
        except UnicodeDecodeError:
            continue
    return texts


def _holding(folder: Path, numbers: tuple[str, ...]) -> list[str]:
    """Every place under `folder` a number is found: a path, a file's text in UTF-8, GB18030
    or UTF-16, and the members of every zip (the DOCX) and their names."""
    found = []
    for path in sorted(folder.rglob("*")):
        name = path.relative_to(folder).as_posix()
        found += [f"name {name}" for n in numbers if n in _digits(name)]
        if not path.is_file():
            continue
        data = path.read_bytes()
        blobs = [(name, data)]
        if zipfile.is_zipfile(path):
            with zipfile.ZipFile(path) as archive:
                blobs += [(f"{name}!{m}", archive.read(m)) for m in archive.namelist()]
                found += [
                    f"member {name}!{m}"
                    for m in archive.namelist()
                    for n in numbers
                    if n in _digits(m)
                ]
        for where, blob in blobs:
            if any(n in _digits(text) for text in _readings(blob) for n in numbers):
                found.append(where)
    return found


def test_no_masked_number_is_anywhere_in_the_masked_bundle(masked):
    """Numbers in every text of the paperwork, and in originals behind HTML entities (with
    and without `;`), a zero-width joiner, line breaks, GB18030 full-width digits without a
    BOM, a symlink, a ZIP named .txt, a 10 MB text, a file two items share: none is in any
    file, any DOCX member, any file name, or the zip of the bundle."""
    assert not _holding(masked.bundle, (PHONE, RESIDENT))
    unpacked = masked.bundle.parent / "unpacked"
    with zipfile.ZipFile(masked.bundle.with_name(masked.bundle.name + ".zip")) as archive:
        archive.extractall(unpacked)
    assert not _holding(unpacked, (PHONE, RESIDENT))
    xml = parts(masked.bundle / "证据目录.docx")["word/document.xml"].decode()
    assert mask_text(PHONE) in xml  # masked, not dropped


def test_the_masked_bundle_carries_clean_originals_byte_for_byte_at_their_paths(masked):
    """What is carried is the original itself at its deck path (a symlink to a clean file
    as the file's bytes); what is left out is named in the index with why, never with its
    number, once even when two items share it."""
    carried = sorted(p.relative_to(masked.bundle).as_posix()
                     for p in (masked.bundle / "files").rglob("*") if p.is_file())  # fmt: skip
    assert "files/m/clean.txt" in carried and "files/m/link-clean.txt" in carried
    for name in carried:
        assert (masked.bundle / name).read_bytes() == (masked.deck / name).read_bytes(), name
        assert not (masked.bundle / name).is_symlink()
    assert not {f"files/m/{n}" for n in LEFT_OUT} & set(carried)
    index = (masked.bundle / "index.html").read_text("utf-8")
    for name in LEFT_OUT:
        assert f"files/m/{name}" in index, name
    assert index.count(">files/m/shared.txt<") == 1


def test_an_html_original_a_browser_shows_with_a_number_is_left_out(masked):
    """A saved web page whose number is split, for masking's reading of tags, by a `>` in an
    attribute value (`title="余额>0"`) or in a comment: a browser shows 13812345678 and
    139 8765 4321, yet the masked bundle carries the page byte for byte."""

    class Text(HTMLParser):
        def __init__(self) -> None:
            super().__init__()
            self.seen: list[str] = []

        def handle_data(self, data: str) -> None:
            self.seen.append(data)

    shown = Text()
    shown.feed(HTML_SPLIT)
    assert PHONE in "".join(shown.seen)  # what a browser draws
    assert not (masked.bundle / HTML_PAGE).exists(), "a page showing a phone number is carried"


def test_an_item_id_holding_a_number_is_refused_by_check(tmp_path):
    """An item named by its phone's number (`id = "机主13812345678"`): an id names the
    bundle's pages and links and is shown on every screen, so a masked bundle would either
    print the whole number or link to a page that does not exist. `check` refuses such an
    id, saying why and what to do, and nothing is exported."""
    deck = write_deck(tmp_path / "id-case")
    edit(deck / "items" / "e03-code.md", 'id = "E03"', f'id = "机主{PHONE}"')
    instance = str(tmp_path / "i")
    checked = CliRunner().invoke(
        cli_main, ["check", str(deck), "--lang", "en", "--instance", instance]
    )
    assert checked.exit_code == 1 and "holds a number the public screen masks" in checked.output
    out = tmp_path / "bundle"
    exported = CliRunner().invoke(
        cli_main, ["export", str(deck), "--out", str(out), "--mask", "--instance", instance]
    )
    assert exported.exit_code == 1 and not out.exists()
