"""`export`, `verify-bundle`: the pre-trial bundle and its 证据目录."""

from __future__ import annotations

import contextlib
import csv
import hashlib
import html
import json
import re
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from docx import Document

from presenter.deck import load_deck
from presenter.masking import mask_text

from .conftest import DEMO_DECK
from .deckfactory import CHAT_MD, edit, write_deck
from .test_hostile import hostile_deck

DEMO = load_deck(DEMO_DECK).deck


@pytest.fixture(scope="module")
def bundle(tmp_path_factory) -> Path:
    from click.testing import CliRunner

    from presenter.cli import main

    root = tmp_path_factory.mktemp("export")
    out = root / "bundle"
    result = CliRunner().invoke(
        main, ["export", str(DEMO_DECK), "--out", str(out), "--instance", str(root / "i")]
    )
    assert result.exit_code == 0, result.output
    return out


def every_file(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.is_file())


def presenter_only(deck) -> list[str]:
    """Every passage of the deck only the presenter may see, a line at a time."""
    texts = []
    for exhibit in deck.exhibits:
        texts.append(exhibit.notes)
        for challenge in exhibit.challenges:
            texts += [challenge.claim, challenge.response]
        if exhibit.review:
            texts += [exhibit.review.objectivity, exhibit.review.legality, exhibit.review.relevance]
    lines = {line.strip(" -*#>") for text in texts for line in text.splitlines()}
    return sorted(line for line in lines if len(line) >= 6)


def written_forms(text: str) -> set[bytes]:
    """The ways a text can be in a file: as is, HTML-escaped, JSON-escaped."""
    return {
        form.encode("utf-8")
        for form in (
            text,
            html.escape(text),
            json.dumps(text)[1:-1],
            json.dumps(text, ensure_ascii=False)[1:-1],
        )
    }


def test_the_bundle_holds_pages_catalogue_manifest_and_zip(bundle: Path) -> None:
    names = {p.relative_to(bundle).as_posix() for p in every_file(bundle)}
    pages = {f"{e.id}.html" for e in DEMO.exhibits}
    assert pages | {"index.html", "matrix.html", "print.html", "manifest.json"} <= names
    assert {"证据目录.docx", "证据目录.csv"} <= names
    for exhibit in DEMO.exhibits:  # the original files, byte for byte
        for name in exhibit.files:
            assert (bundle / name).read_bytes() == (DEMO_DECK / name).read_bytes()
    assert not any(n.startswith("items/") or n.endswith(".md") for n in names)
    manifest = json.loads((bundle / "manifest.json").read_text("utf-8"))
    assert sorted(e["path"] for e in manifest["files"]) == sorted(names - {"manifest.json"})
    with zipfile.ZipFile(bundle.with_suffix(".zip")) as archive:
        zipped = {n.removeprefix("bundle/") for n in archive.namelist() if not n.endswith("/")}
    assert zipped == names
    index = (bundle / "index.html").read_text("utf-8")
    assert DEMO.case.title in index and DEMO.case.number in index
    for fact in DEMO.facts:
        assert html.escape(fact.text, quote=False) in index


def test_no_presenter_only_byte_anywhere_in_the_bundle(bundle: Path) -> None:
    secrets = presenter_only(DEMO)
    assert len(secrets) > 10  # the demo has notes, challenges and review to leak
    contents = [p.read_bytes() for p in every_file(bundle)]
    with zipfile.ZipFile(bundle.with_suffix(".zip")) as archive:
        contents += [archive.read(n) for n in archive.namelist()]
    for secret in secrets:
        for form in written_forms(secret):
            assert not any(form in data for data in contents), secret


@contextlib.contextmanager
def file_page(browser, root: Path) -> Iterator[tuple[object, dict[str, list[str]]]]:
    """A browser page for the files under `root`, noting console errors, dialogs and every
    request that leaves `root`."""
    seen: dict[str, list[str]] = {"errors": [], "dialogs": [], "outside": []}
    inside = root.as_uri() + "/"
    context = browser.new_context()
    context.on(
        "request",
        lambda r: None if r.url.startswith((inside, "data:")) else seen["outside"].append(r.url),
    )
    page = context.new_page()
    page.on(
        "console",
        lambda m: seen["errors"].append(m.text) if m.type in ("error", "warning") else None,
    )
    page.on("pageerror", lambda e: seen["errors"].append(str(e)))
    page.on("dialog", lambda d: (seen["dialogs"].append(d.message), d.dismiss()))
    try:
        yield page, seen
    finally:
        context.close()


def test_pages_open_from_file_with_no_error_and_no_request_outside(browser, bundle: Path) -> None:
    with file_page(browser, bundle) as (page, seen):
        names = ["index.html", "matrix.html", *(f"{e.id}.html" for e in DEMO.exhibits)]
        for name in [*names, "print.html"]:
            page.goto((bundle / name).as_uri())
            charts = page.locator(".bundle-chart")
            if charts.count():  # drawn by plotly.js from the bundled data files
                page.wait_for_selector(".bundle-chart:not([data-drawn])", state="detached")
                assert page.locator(".bundle-chart .main-svg").count() >= charts.count()
            broken = page.evaluate(
                "[...document.images].filter(i => !i.complete || !i.naturalWidth).map(i => i.src)"
            )
            assert broken == [], name
        page.goto((bundle / "index.html").as_uri())
        page.click("a[href='E04.html']")
        assert page.locator(".bundle-exhibit[data-item=E04] .panel-source").count() == 1
    assert seen == {"errors": [], "dialogs": [], "outside": []}


def test_a_hostile_decks_payloads_do_not_run_in_the_bundle(browser, tmp_path: Path, cli) -> None:
    deck = hostile_deck(tmp_path / "hostile")
    out = tmp_path / "out"
    assert cli("export", deck, "--out", out, "--instance", cli.instance).exit_code == 0
    with file_page(browser, out) as (page, seen):
        for path in sorted(out.glob("*.html")):
            page.goto(path.as_uri())
            page.wait_for_load_state("load")
            for link in page.locator("a, button, details, input").all()[:40]:
                link.focus()
            assert page.evaluate("window.__xss") is None, path.name
    text = (out / "print.html").read_text("utf-8")
    assert "&lt;script&gt;window.__xss=1" in text  # there, as text
    assert seen["dialogs"] == []
    assert seen["outside"] == []


def test_verify_bundle_passes_then_names_what_changed(tmp_path: Path, cli, bundle: Path) -> None:
    import shutil

    copy = Path(shutil.copytree(bundle, tmp_path / "copy"))
    ok = cli("verify-bundle", copy, "--lang", "en")
    assert ok.exit_code == 0, ok.output
    assert "matches its manifest" in ok.output

    target = copy / "files" / next(iter(DEMO.exhibits)).files[0].removeprefix("files/")
    data = bytearray(target.read_bytes())
    data[len(data) // 2] ^= 1
    target.write_bytes(bytes(data))
    changed = cli("verify-bundle", copy, "--lang", "en")
    name = target.relative_to(copy).as_posix()
    assert changed.exit_code == 1
    assert changed.output.strip().splitlines() == [f"changed: {name}"]

    target.unlink()
    assert cli("verify-bundle", copy, "--lang", "en").output.strip() == f"missing: {name}"
    (copy / "index.html").unlink()
    (copy / "extra.js").write_text("alert(1)", "utf-8")
    lines = cli("verify-bundle", copy, "--lang", "en").output.strip().splitlines()
    assert lines == [f"missing: {n}" for n in sorted(["index.html", name])] + ["added: extra.js"]

    (copy / "manifest.json").write_text("{", "utf-8")
    broken = cli("verify-bundle", copy, "--lang", "en")
    assert broken.exit_code == 1 and "cannot be read" in broken.output


def test_the_manifest_hash_is_printed_in_the_index_and_the_docx(bundle: Path, cli) -> None:
    """Printed on paper, it anchors the bundle: `--expect` holds for this manifest only."""
    digest = hashlib.sha256((bundle / "manifest.json").read_bytes()).hexdigest()
    index = (bundle / "index.html").read_text("utf-8")
    assert f'id="manifest-sha256">{digest}<' in index and "X" * 64 not in index
    with zipfile.ZipFile(bundle / "证据目录.docx") as docx:
        body = docx.read("word/document.xml").decode()
    assert digest in body and "X" * 64 not in body
    assert digest in "".join(p.text for p in Document(str(bundle / "证据目录.docx")).paragraphs)
    listed = json.loads((bundle / "manifest.json").read_text("utf-8"))["files"]
    sealed = sorted(f["path"] for f in listed if f.get("sealed"))
    assert sealed == ["index.html", "证据目录.docx"]  # listed, and so covered, like the rest
    ok = cli("verify-bundle", bundle, "--expect", digest[:16], "--lang", "en")
    assert ok.exit_code == 0, ok.output
    assert f"the manifest's SHA-256 is the one given: {digest}" in ok.output
    Document(str(bundle / "证据目录.docx"))  # still a document Word opens


def test_a_consistently_rewritten_manifest_is_caught_by_the_printed_hash(
    tmp_path: Path, cli, bundle: Path
) -> None:
    """The attacker changes a file and writes the manifest again to match: alone it
    verifies; against the hash printed on paper it does not. Changing what a sealed file
    prints, or the sealed file itself, is caught without it."""
    import shutil

    from presenter.export.manifest import write_manifest

    printed = hashlib.sha256((bundle / "manifest.json").read_bytes()).hexdigest()
    copy = Path(shutil.copytree(bundle, tmp_path / "rewritten"))
    target = copy / "files" / next(iter(DEMO.exhibits)).files[0].removeprefix("files/")
    target.write_bytes(target.read_bytes() + b"tampered")
    sealed = ("index.html", "证据目录.docx")
    for name in sealed:  # the attacker puts the placeholder back, then seals again
        _replace_everywhere(copy / name, printed, "X" * 64)
    rewritten = write_manifest(copy, sealed=sealed)
    assert cli("verify-bundle", copy, "--lang", "en").exit_code == 0  # consistent in itself
    caught = cli("verify-bundle", copy, "--expect", printed, "--lang", "en")
    assert caught.exit_code == 1
    assert f"({rewritten}) is not the one given" in caught.output

    again = Path(shutil.copytree(bundle, tmp_path / "sealed-file"))
    index = again / "index.html"
    index.write_text(index.read_text("utf-8").replace("<h1>", "<h1>伪造 "), "utf-8")
    assert cli("verify-bundle", again, "--lang", "en").output.strip() == "changed: index.html"
    third = Path(shutil.copytree(bundle, tmp_path / "other-hash"))
    _replace_everywhere(third / "证据目录.docx", printed, "X" * 64)  # prints no manifest now
    said = cli("verify-bundle", third, "--lang", "en").output
    assert "does not print this manifest's hash: 证据目录.docx" in said
    with zipfile.ZipFile(third / "证据目录.docx") as docx:
        assert "X" * 64 in docx.read("word/document.xml").decode()


def _replace_everywhere(path: Path, old: str, new: str) -> None:
    if not zipfile.is_zipfile(path):
        path.write_text(path.read_text("utf-8").replace(old, new), "utf-8")
        return
    rewritten = path.with_suffix(".tmp")
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(rewritten, "w") as target:
        for info in source.infolist():
            target.writestr(info, source.read(info).replace(old.encode(), new.encode()))
    rewritten.replace(path)


def test_the_docx_catalogue_has_one_row_per_exhibit_in_order(bundle: Path) -> None:
    document = Document(str(bundle / "证据目录.docx"))
    section = document.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (297, 210)
    text = "\n".join(p.text for p in document.paragraphs)
    assert "证据目录" in text and DEMO.case.title in text and DEMO.case.number in text
    (table,) = document.tables
    header, *rows = [[c.text for c in row.cells] for row in table.rows]
    assert header == [
        "序号",
        "证据名称",
        "证据来源（收集方式、时间、收集人）",
        "证明对象",
        "完整性校验值",
        "页码",
        "备注",
    ]
    assert [r[0] for r in rows] == [str(i) for i in range(1, len(DEMO.exhibits) + 1)]
    assert [r[1] for r in rows] == [f"{e.id} {e.title}" for e in DEMO.exhibits]
    for row, exhibit in zip(rows, DEMO.exhibits, strict=True):
        assert all(h.value in row[4] for h in exhibit.source.hashes)
        assert all(c in row[2] for c in exhibit.source.collectors)
    fonts = {
        r.element.rPr.rFonts.get(
            "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}eastAsia"
        )
        for r in table.rows[1].cells[1].paragraphs[0].runs
    }
    assert fonts == {"仿宋"}


def test_the_csv_catalogue_neutralises_formulas(tmp_path: Path, cli) -> None:
    deck = write_deck(tmp_path / "case-1")
    edit(deck / CHAT_MD, 'title = "', 'title = "=HYPERLINK(\\"http://evil.example\\")')
    edit(deck / CHAT_MD, 'collectors = ["侦查员甲"', 'collectors = ["@SUM(1+1)"')
    out = tmp_path / "catalogue"
    result = cli("export", deck, "--out", out, "--catalogue-only", "--instance", cli.instance)
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == [
        "举证提纲.docx",
        "证据目录.csv",
        "证据目录.docx",
    ]
    # alone, the catalogue has no manifest to print the hash of
    assert "manifest.json" not in "".join(
        p.text for p in Document(str(out / "证据目录.docx")).paragraphs
    )
    with (out / "证据目录.csv").open(encoding="utf-8-sig", newline="") as stream:
        header, *rows = list(csv.reader(stream))
    assert header[:3] == ["序号", "编号", "证据名称"]
    for row in rows:
        assert not any(cell.startswith(("=", "+", "-", "@")) for cell in row), row
    assert rows[0][2].startswith("'=HYPERLINK(")
    assert rows[0][6].startswith("'@SUM(1+1)")


def test_mask_hides_personal_numbers_in_every_byte(tmp_path: Path, cli) -> None:
    out = tmp_path / "masked"
    result = cli("export", DEMO_DECK, "--out", out, "--mask", "--instance", cli.instance)
    assert result.exit_code == 0, result.output
    numbers = set()
    for exhibit in DEMO.exhibits:
        for name in exhibit.files:
            if name.endswith(".csv"):
                text = DEMO.display(exhibit, name).read_text("utf-8-sig")  # a GBK copy
                numbers |= {n for n in re.findall(r"\d[\d -]{9,22}\d", text) if mask_text(n) != n}
    assert numbers, "the demo has card and mobile numbers to mask"
    contents = [p.read_bytes() for p in every_file(out)]
    for number in numbers:
        assert not any(number.encode() in data for data in contents), number
    assert "已部分遮蔽" in (out / "index.html").read_text("utf-8")


def test_items_picks_exhibits_and_bad_choices_are_told(tmp_path: Path, cli) -> None:
    out = tmp_path / "two"
    result = cli(
        "export", DEMO_DECK, "--out", out, "--items", "E01,E03", "--instance", cli.instance
    )
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.glob("E*.html")) == ["E01.html", "E03.html"]
    result = cli("export", DEMO_DECK, "--out", tmp_path / "x", "--items", "E99", "--lang", "en")
    assert result.exit_code == 1 and "no such items: E99" in result.output
    result = cli("export", DEMO_DECK, "--out", out, "--lang", "en", "--instance", cli.instance)
    assert result.exit_code == 1 and "exists and is not empty" in result.output


def test_excluded_items_are_never_in_the_bundle(tmp_path: Path, cli) -> None:
    deck = write_deck(tmp_path / "case-1")
    edit(deck / CHAT_MD, 'view = "chat"', 'view = "chat"\nexcluded = true')
    out = tmp_path / "out"
    assert cli("export", deck, "--out", out, "--instance", cli.instance).exit_code == 0
    assert not (out / "E01.html").exists()
    assert not (out / "files" / "chat.csv").exists()
    result = cli("export", deck, "--out", tmp_path / "y", "--items", "E01", "--lang", "en")
    assert result.exit_code == 1 and "excluded" in result.output


def test_a_deck_with_errors_is_not_exported(tmp_path: Path, cli) -> None:
    deck = write_deck(tmp_path / "case-1")
    (deck / "files" / "chat.csv").write_text("tampered", "utf-8")
    result = cli("export", deck, "--out", tmp_path / "out", "--lang", "en")
    assert result.exit_code == 1 and "does not match" in result.output
    assert not (tmp_path / "out").exists()


def test_pdf_prints_the_bundle_through_chromium(tmp_path: Path, cli) -> None:
    out = tmp_path / "printed"
    result = cli("export", DEMO_DECK, "--out", out, "--pdf", "--items", "E02,E10")
    assert result.exit_code == 0, result.output
    pdf = out / "证据目录.pdf"
    assert pdf.read_bytes().startswith(b"%PDF")
    import pypdfium2

    document = pypdfium2.PdfDocument(str(pdf))
    try:
        assert len(document) >= 4  # case and catalogue, matrix, and a page per exhibit at least
        width, height = document[0].get_size()
        assert (round(width / 72 * 25.4), round(height / 72 * 25.4)) == (210, 297)
    finally:
        document.close()
    assert cli("verify-bundle", out).exit_code == 0


def test_a_link_to_nothing_in_an_exhibits_text_is_dropped(tmp_path: Path, cli) -> None:
    deck = write_deck(tmp_path / "case-1")
    body = "聊天记录显示张某自称投资导师。"
    edit(deck / CHAT_MD, body, body + "[见附件](/nowhere)")
    out = tmp_path / "out"
    result = cli("export", deck, "--out", out, "--instance", cli.instance)
    assert result.exit_code == 0, result.output
    page = (out / "E01.html").read_text("utf-8")
    assert "见附件" in page and "/nowhere" not in page


def test_a_long_chat_says_how_much_of_it_the_page_shows(tmp_path: Path, cli) -> None:
    import hashlib

    from presenter.export.bundle import MESSAGES_SHOWN

    deck = write_deck(tmp_path / "case-1")
    chat = deck / "files" / "chat.csv"
    old = hashlib.sha256(chat.read_bytes()).hexdigest()
    rows = [f"2024-03-01 10:{i // 60 % 60:02d}:{i % 60:02d},张某,第{i + 1}条" for i in range(5001)]
    chat.write_text("时间,发送人,内容\n" + "\n".join(rows) + "\n", "utf-8")
    edit(deck / CHAT_MD, old, hashlib.sha256(chat.read_bytes()).hexdigest())
    out = tmp_path / "out"
    assert cli("export", deck, "--out", out, "--instance", cli.instance).exit_code == 0
    page = (out / "E01.html").read_text("utf-8")
    assert page.count('class="msg ') == MESSAGES_SHOWN
    assert f"此处列出前 {MESSAGES_SHOWN:,} 条消息（共 5,001 条）" in page
