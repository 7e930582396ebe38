"""The 证据目录 and the 举证提纲 as paperwork a court files: laid out by LibreOffice as a
clerk would print them, read back from the PDF."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import subprocess
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pypdfium2
import pytest
import tomlkit
from docx import Document

from presenter.deck import Deck, load_deck
from presenter.export import catalogue, outline, paperwork
from presenter.export.bundle import export_bundle
from presenter.integrity import hash_bytes
from presenter.masking import mask_text

from .conftest import DEMO_DECK

SECRET = "绝密标记QX7"
"""Written only where the presenter alone reads: notes, a challenge, a review, an excluded
item."""
PROCURATORATE = "某某市某某区人民检察院"
PRESENTERS = ["检察员 周某", "检察官助理 吴某某"]
LONG_TITLE = (
    "李某、张某、王某、赵某、钱某、孙某等十二人利用“汇鑫国际”“金盛环球”等虚假投资平台"
    "实施电信网络诈骗并掩饰、隐瞒犯罪所得及帮助信息网络犯罪活动案"
)
MOBILE = "13812345678"
FACTS = [
    ("F1", "张某系微信号“汇鑫-明远老师”的实际使用人", "identity"),
    ("F2", "王某在平台后台任意设定客户盈亏并拦截提现", "conduct"),
    ("F3", "被害人向平台指定账户转账共计人民币386,000元", "consequence"),
    ("F4", "各被告人明知平台虚假仍共同引诱被害人入金", "intent"),
]
TYPES = ["communication", "tool", "file", "behaviour"]
ITEMS = 18
EXCLUDED = "E05"
GROUPED = "后台操纵收益的证据"
"""The group the `tool` items name for F2; the others are grouped by their kind."""


def _item(i: int, files: Path) -> tuple[str, list[str]]:
    """Item `i`'s file (front matter and Markdown) and its files' hex digests."""
    item_id = f"E{i:02d}"
    names = [f"files/张某 手机 {i:02d}/后台 源代码 第{i}号.php"]
    if i % 4 == 0:
        names.append(f"files/张某 手机 {i:02d}/导出 记录 （第二次 提取） {i}.php")
    digests, hashes = [], []
    for name in names:
        data = f"<?php\n// 第{i}号 {name}\n$profit = {i};\n".encode()
        (files.parent / name).parent.mkdir(parents=True, exist_ok=True)
        (files.parent / name).write_bytes(data)
        for algorithm in ("md5", "sha1", "sha256", "sm3"):
            value = hash_bytes(data, algorithm)
            hashes.append({"file": name, "algorithm": algorithm, "value": value})
            digests.append(value)
    kind = TYPES[i % len(TYPES)]
    fact = FACTS[i % 3][0]
    title = f"后台数据第{i}份（张某 手机 提取）"
    if i == 4:
        title += f"，机主手机号{MOBILE}"
    if item_id == EXCLUDED:
        title = f"已排除 {SECRET}"
    front: dict = {"id": item_id, "title": title, "type": kind, "view": "code", "files": names}
    if item_id == EXCLUDED:
        front["excluded"] = True
    if i % 3 == 0:
        front["dossier"] = f"第{i // 6 + 1}卷第{i * 3}-{i * 3 + 2}页"
    if i == 7:
        front["remarks"] = "原始存储介质随案移送"
    source: dict = {
        "method": "seizure",
        "collected_at": dt.datetime(2024, 3, 5, 6, 30, tzinfo=dt.UTC),  # 14:30 in Beijing
        "collectors": ["侦查员甲", "侦查员乙"],
        "hash": hashes,
    }
    if i == 3:
        source["defect"] = [{"what": "笔录未载明提取时间", "remedy": "已补充说明"}]
    front["source"] = source
    shows = {"fact": fact, "aspect": "means", "how": f"第{i}份数据显示操纵收益的方式"}
    if kind == "tool" and fact == "F2":
        shows["group"] = GROUPED
    front["shows"] = [shows]
    if i == 1:
        front["corroborates"] = [{"with": "C1", "fact": fact, "point": "昵称一致"}]
    if i == 2:
        front["challenge"] = [{"ground": "legality", "claim": SECRET, "response": SECRET}]
        front["review"] = {"objectivity": SECRET, "legality": SECRET, "relevance": SECRET}
    body = f"第{i}份后台数据。\n\n???\n私人备注：{SECRET}\n"
    return f"+++\n{tomlkit.dumps(front)}+++\n{body}", digests


def write_big_deck(root: Path) -> tuple[Path, dict[str, list[str]]]:
    """A deck with a long title, enough items for several pages, Chinese file names with
    spaces and four check values a file; the digests by item id."""
    (root / "items").mkdir(parents=True)
    (root / "files").mkdir()
    deck = {
        "format": 1,
        "case": {
            "title": LONG_TITLE,
            "number": "某检刑诉〔2026〕123号",
            "procuratorate": PROCURATORATE,
            "presenters": PRESENTERS,
            "timezone": "+08:00",
        },
        "fact": [{"id": i, "text": text, "element": e} for i, text, e in FACTS],
        "evidence": [{"id": "C1", "kind": "victim_statement", "title": "被害人陈某陈述"}],
    }
    (root / "deck.toml").write_text(tomlkit.dumps(deck), "utf-8")
    digests = {}
    for i in range(1, ITEMS + 1):
        text, digests[f"E{i:02d}"] = _item(i, root / "files")
        (root / "items" / f"e{i:02d}.md").write_text(text, "utf-8")
    return root, digests


@dataclass
class Paper:
    """A DOCX and its PDF, page by page as text."""

    docx: Path
    pages: list[str]
    fonts: set[str]
    size: tuple[int, int]
    """The first page's, in millimetres."""

    @property
    def text(self) -> str:
        return "\n".join(self.pages)


@dataclass
class Papers:
    deck: Deck
    digests: dict[str, list[str]]
    bundle: Path
    big: Paper
    big_outline: Paper
    demo: Paper
    demo_outline: Paper
    before: dt.datetime
    after: dt.datetime


def to_pdf(documents: list[Path], out: Path, profile: Path) -> None:
    """The documents through LibreOffice, as a clerk would print them (one run for all)."""
    out.mkdir()
    subprocess.run(
        ["soffice", f"-env:UserInstallation={profile.as_uri()}", "--headless",
         "--convert-to", "pdf", "--outdir", str(out), *map(str, documents)],
        check=True, capture_output=True, timeout=300,
    )  # fmt: skip


def read_pdf(path: Path) -> tuple[list[str], set[str], tuple[int, int]]:
    """Its pages' text, the fonts it embeds, its first page's size in millimetres."""
    document = pypdfium2.PdfDocument(str(path))
    try:
        pages = [document[i].get_textpage().get_text_range() for i in range(len(document))]
        width, height = document[0].get_size()
    finally:
        document.close()
    fonts = set(re.findall(rb"/BaseFont\s*/[A-Z]{6}\+([^\s/]+)", path.read_bytes()))
    size = (round(width / 72 * 25.4), round(height / 72 * 25.4))
    return [p.replace("\r\n", "\n") for p in pages], {f.decode() for f in fonts}, size


@pytest.fixture(scope="module")
def papers(tmp_path_factory) -> Papers:
    root = tmp_path_factory.mktemp("paperwork")
    deck_dir, digests = write_big_deck(root / "big-case")
    report = load_deck(deck_dir)
    assert report.deck is not None, [str(p) for p in report.errors]
    before = dt.datetime.now(dt.UTC).replace(microsecond=0)
    bundle = export_bundle(report, root / "bundle", instance=root / "instance").folder
    demo = export_bundle(
        load_deck(DEMO_DECK), root / "demo", catalogue_only=True, instance=root / "instance"
    ).folder
    after = dt.datetime.now(dt.UTC)
    docx = [bundle / "证据目录.docx", bundle / "举证提纲.docx"]
    docx += [demo / "证据目录.docx", demo / "举证提纲.docx"]
    copies = []
    for n, path in enumerate(docx):  # LibreOffice names a PDF after its DOCX
        copies.append(root / f"{n}-{path.name}")
        copies[-1].write_bytes(path.read_bytes())
    to_pdf(copies, root / "pdf", root / "libreoffice-profile")
    read = [Paper(path, *read_pdf(root / "pdf" / f"{copy.stem}.pdf"))
            for path, copy in zip(docx, copies, strict=True)]  # fmt: skip
    return Papers(report.deck, digests, bundle, *read, before, after)


def squeezed(text: str) -> str:
    """The text without the spaces and line ends a PDF's text puts between runs."""
    return re.sub(r"\s+", "", text)


def parts(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


# --- the 证据目录 ---------------------------------------------------------------------------


def test_the_catalogue_runs_to_several_landscape_pages_each_headed_and_numbered(papers):
    pages = papers.big.pages
    assert len(pages) >= 3
    headings = catalogue.headings("zh-CN")
    values = [h.value for e in papers.deck.exhibits for h in e.source.hashes]
    tabled = [any(v in page for v in values) for page in pages]
    assert sum(tabled) >= 3
    for n, (page, table) in enumerate(zip(pages, tabled, strict=True), 1):
        if table:  # the table runs onto the page: its heading row is there
            assert all(squeezed(h) in squeezed(page) for h in headings), f"page {n}: no heading"
        footer = re.search(r"第\s*(\d+)\s*页\s*共\s*(\d+)\s*页", page)
        assert footer and footer.groups() == (str(n), str(len(pages))), page[-60:]
    assert papers.big.size == (297, 210)  # A4 on its side: a SHA-256 fits a line
    assert papers.big_outline.size == (210, 297)


@pytest.mark.parametrize("which", ["big", "demo"])
def test_every_check_value_is_printed_whole_on_one_line(papers, which):
    paper = getattr(papers, which)
    lines = [line.strip() for line in paper.text.splitlines()]
    deck = papers.deck if which == "big" else load_deck(DEMO_DECK, verify_hashes=False).deck
    values = [h.value for e in deck.exhibits if not e.excluded for h in e.source.hashes]
    assert values
    for value in values:  # never wrapped: the column is as wide as a SHA-256 in its type
        assert any(value in line for line in lines), value


def test_the_catalogue_names_the_office_the_prosecutors_and_the_date(papers):
    text = squeezed(papers.big.text)
    first = squeezed(papers.big.pages[0])
    assert PROCURATORATE in first and "证据目录" in first and "某检刑诉〔2026〕123号" in first
    assert squeezed(LONG_TITLE) in first
    assert "承办检察官：" + "".join(squeezed(p) for p in PRESENTERS) in text
    assert "签名：" in text
    days = {
        paperwork.long_date(moment.astimezone(dt.timezone(dt.timedelta(hours=8))).date(), "zh")
        for moment in (papers.before, papers.after)
    }
    assert any(day in text for day in days), days
    assert "+08:00" not in papers.big.text and "+08:00" not in papers.demo.text
    assert "2024-03-0514:30" in text  # collected at 06:30 UTC, read in the deck's zone


def test_the_catalogue_sets_a_chinese_face_and_a_monospaced_one(papers):
    assert any("CJK" in font for font in papers.big.fonts), papers.big.fonts
    assert any("Mono" in font for font in papers.big.fonts), papers.big.fonts
    xml = parts(papers.big.docx)["word/document.xml"].decode()
    assert 'w:eastAsia="仿宋"' in xml and 'w:eastAsia="黑体"' in xml
    assert 'w:ascii="Courier New"' in xml
    fonts = parts(papers.big.docx)["word/fontTable.xml"].decode()
    assert '<w:altName w:val="FangSong"/>' in fonts


def test_the_columns_have_fixed_widths_and_the_heading_row_repeats(papers):
    xml = parts(papers.big.docx)["word/document.xml"].decode()
    assert '<w:tblLayout w:type="fixed"/>' in xml and "<w:tblHeader/>" in xml
    grid = [int(w) for w in re.findall(r'<w:gridCol w:w="(\d+)"/>', xml)]
    assert len(grid) == len(catalogue.COLUMNS)
    assert grid[0] < grid[1] < grid[4] and max(grid) == grid[4]  # 序号 narrow, hashes widest
    assert abs(sum(grid) / 1440 * 25.4 - paperwork.LANDSCAPE.text_width) < 1


def test_the_catalogue_has_dossier_pages_and_remarks(papers):
    (table,) = Document(str(papers.big.docx)).tables
    header, *rows = [[c.text for c in row.cells] for row in table.rows]
    assert header[-2:] == ["页码", "备注"]
    by_id = {row[1].split()[0]: row for row in rows}
    assert by_id["E03"][-2] == "第1卷第9-11页"
    assert by_id["E07"][-1] == "原始存储介质随案移送"
    assert by_id["E03"][-1] == "收集程序瑕疵已补正"  # from its recorded, remedied defect
    assert EXCLUDED not in by_id and len(rows) == ITEMS - 1


def test_the_seal_is_the_manifest_s_hash_in_one_run_at_the_end(papers, tmp_path):
    """The bundle's catalogue prints the SHA-256 of the manifest that lists it (sealed:
    presenter.export.manifest), whole on one line above the page number."""
    digest = hashlib.sha256((papers.bundle / "manifest.json").read_bytes()).hexdigest()
    xml = parts(papers.big.docx)["word/document.xml"].decode()
    assert xml.count(digest) == 1 and "X" * 64 not in xml
    assert re.search(rf"<w:t>{digest}</w:t>", xml)
    last = [line for line in papers.big.text.splitlines() if line.strip()][-2]
    assert last.endswith(digest) and "SHA-256" in last  # one line, above the page number
    text = "\n".join(p.text for p in Document(str(papers.big.docx)).paragraphs)
    assert text.rstrip().endswith(digest)
    with pytest.raises(ValueError):
        catalogue.write_docx([], papers.deck, tmp_path / "x.docx", "zh-CN", seal="0" * 63)


@pytest.mark.parametrize("which", ["big", "big_outline", "demo", "demo_outline"])
def test_the_documents_properties_are_the_case_s_and_today_s(papers, which):
    paper = getattr(papers, which)
    files = parts(paper.docx)
    assert not any(b"python-docx" in data for data in files.values())
    assert not any(name.startswith("docProps/thumbnail") for name in files)
    properties = Document(str(paper.docx)).core_properties
    created = properties.created.replace(tzinfo=dt.UTC)
    assert papers.before <= created <= papers.after
    assert properties.modified == properties.created
    deck = papers.deck if which.startswith("big") else load_deck(DEMO_DECK).deck
    assert deck.case.title[:20] in properties.title and deck.case.title[:20] in properties.subject
    assert properties.comments == "" and properties.author
    if which.startswith("big"):
        assert properties.author == properties.last_modified_by == PROCURATORATE
    assert b"<Application>Shizheng</Application>" in files["docProps/app.xml"]


def test_the_csv_reads_times_in_the_deck_s_zone_and_has_dossier_and_remarks(papers):
    text = (papers.bundle / "证据目录.csv").read_text("utf-8-sig")
    assert "2024-03-05 14:30" in text and "+08:00" not in text and "+00:00" not in text
    assert "第1卷第9-11页" in text and "原始存储介质随案移送" in text


# --- the 举证提纲 ---------------------------------------------------------------------------


def test_the_outline_takes_the_facts_in_order_with_their_groups_and_items(papers):
    paragraphs = [p.text for p in Document(str(papers.big_outline.docx)).paragraphs]
    facts = [next(i for i, p in enumerate(paragraphs) if f"{fid} {t}" in p) for fid, t, _ in FACTS]
    assert facts == sorted(facts)
    assert paragraphs[facts[0]].startswith("一、") and paragraphs[facts[3]].startswith("四、")
    f2 = paragraphs[facts[1] : facts[2]]
    assert f2[1].startswith("第一组：") and "，证明" in f2[1]
    named = next(p for p in f2 if GROUPED in p)
    shown = [e for e in papers.deck.exhibits if not e.excluded and e.shows[0].fact == "F2"]
    grouped = [e for e in shown if e.shows[0].group == GROUPED]
    assert grouped and len(grouped) < len(shown)
    after = f2[f2.index(named) + 1 :]
    for exhibit in grouped:  # each item of the group, and what it shows
        line = next(i for i, p in enumerate(after) if p.split(". ", 1)[-1].startswith(exhibit.id))
        assert exhibit.shows[0].how in after[line + 1]
    assert any(p.startswith("第二组：") and "类电子数据" in p for p in f2)  # the others, by kind
    f4 = paragraphs[facts[3] :]
    assert "没有证明该事实的证据" in f4[1]  # no item shows F4
    assert any("与C1 被害人陈某陈述相互印证：昵称一致" in p for p in paragraphs)


def test_the_outline_is_paperwork_too(papers):
    for paper in (papers.big_outline, papers.demo_outline):
        pages = paper.pages
        for n, page in enumerate(pages, 1):
            footer = re.search(r"第\s*(\d+)\s*页\s*共\s*(\d+)\s*页", page)
            assert footer and footer.groups() == (str(n), str(len(pages)))
        assert "举证提纲" in squeezed(pages[0]) and "承办检察官：" in paper.text
    assert PROCURATORATE in squeezed(papers.big_outline.pages[0])
    demo = load_deck(DEMO_DECK, verify_hashes=False).deck
    text = squeezed(papers.demo_outline.text)
    at = [text.index(squeezed(f"{f.id} {f.text}")) for f in demo.facts]
    assert at == sorted(at)


def test_the_outline_page_is_in_the_bundle_and_linked_from_its_index(papers):
    index = (papers.bundle / "index.html").read_text("utf-8")
    assert 'href="outline.html"' in index
    page = (papers.bundle / "outline.html").read_text("utf-8")
    assert 'href="举证提纲.docx"' in page and PROCURATORATE in page
    at = [page.index(f"{fid} {text}") for fid, text, _ in FACTS]
    assert at == sorted(at)
    for link in set(re.findall(r'href="(E\d+\.html)"', page)):
        assert (papers.bundle / link).is_file(), link
    assert GROUPED in page


def test_nothing_presenter_only_or_excluded_reaches_either_document(papers):
    secret = SECRET.encode()
    for paper in (papers.big, papers.big_outline):
        assert SECRET not in paper.text
        assert not any(secret in data for data in parts(paper.docx).values())
        assert f"{EXCLUDED} " not in paper.text
    page = (papers.bundle / "outline.html").read_text("utf-8")
    assert SECRET not in page and f'href="{EXCLUDED}.html"' not in page


def test_a_masked_catalogue_and_outline_mask_every_text(papers, tmp_path):
    exhibits = [e for e in papers.deck.exhibits if not e.excluded]
    rows = catalogue.rows(papers.deck, exhibits, "zh-CN", mask=True)
    catalogue.write_docx(rows, papers.deck, tmp_path / "c.docx", "zh-CN", True, seal="0" * 64)
    points = outline.outline(papers.deck, exhibits, "zh-CN", mask=True)
    outline.write_docx(points, papers.deck, tmp_path / "o.docx", "zh-CN", True)
    for name in ("c.docx", "o.docx"):
        xml = parts(tmp_path / name)["word/document.xml"].decode()
        assert MOBILE not in xml and mask_text(MOBILE) in xml, name
    digests = papers.digests["E04"]
    xml = parts(tmp_path / "c.docx")["word/document.xml"].decode()
    assert all(d in xml for d in digests)  # check values are never masked


def test_the_english_papers_read_in_english(papers, tmp_path):
    exhibits = [e for e in papers.deck.exhibits if not e.excluded]
    points = outline.outline(papers.deck, exhibits, "en")
    assert points[0].heading.startswith("1. F1 ") and points[0].heading.endswith("(identity)")
    outline.write_docx(points, papers.deck, tmp_path / "o.docx", "en")
    text = "\n".join(p.text for p in Document(str(tmp_path / "o.docx")).paragraphs)
    assert "Outline of the evidence" in text and "Prosecutors in charge: " in text
    assert re.search(r"\d{1,2} (January|February|March|April|May|June|July|August|September|"
                     r"October|November|December) \d{4}", text)  # fmt: skip
