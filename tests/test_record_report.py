"""`python app.py record RECORD.jsonl --out FILE.html|FILE.csv`: the record, readable."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from presenter import create_app
from presenter.deck import load_deck

from .conftest import DEMO_DECK


@pytest.fixture
def session(tmp_path: Path) -> Path:
    """A record of a short hearing, made by the court's own state machine."""
    app = create_app(load_deck(DEMO_DECK), instance_path=tmp_path / "instance")
    court = app.extensions["shizheng.court"]
    presentation = court.presentation
    for command, role in (
        ({"action": "next"}, "presenter"),
        ({"action": "goto", "item": "E04"}, "presenter"),
        ({"action": "step", "step": 2}, "presenter"),
        ({"action": "panel", "panel": "source"}, "presenter"),
        ({"action": "blank", "mode": "black"}, "presenter"),
        ({"action": "blank", "mode": None}, "presenter"),
        ({"action": "handover", "to": "expert"}, "presenter"),
        ({"action": "goto", "item": "E02"}, "expert"),
    ):
        assert presentation.command(command, role).ok, command
    first = court.deck.exhibit("E02").source.hashes[0]
    result = {"file": first.file, "algorithm": first.algorithm, "match": True}
    presentation.verified("E02", [result], "presenter")
    record = court.record
    court.end("presenter")
    return record.path


def lines_of(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text("utf-8").splitlines()]


def test_html_has_the_verdict_first_then_exhibits_and_every_entry(
    session: Path, tmp_path: Path, cli, browser
) -> None:
    out = tmp_path / "record.html"
    result = cli("record", session, "--out", out, "--lang", "en")
    assert result.exit_code == 0, result.output
    entries = lines_of(session)
    page = browser.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text))
    try:
        page.goto(out.as_uri())
        first = page.locator("body > header > .verdict")
        assert "The hash chain is whole" in first.inner_text()
        assert f"{len(entries)} entries" in first.inner_text()
        # the page's one style element is allowed by its hash: the verdict is coloured
        assert first.evaluate("e => getComputedStyle(e).backgroundColor") == "rgb(232, 245, 233)"
        log = page.locator("#log tbody tr")
        assert log.count() == len(entries)
        texts = [log.nth(i).inner_text() for i in range(log.count())]
        said = [row for row in texts if "signed checkpoint" not in row]
        assert "black" in said[5] and "expert" in said[7]
        assert "verified in court E02: matches" in said[-2] and "black" not in said[-2]
        assert "presentation ended" in said[-1]
        # every checkpoint the court signed at an exhibit change is in the record, in words
        kinds = [e["event"] for e in entries]
        assert kinds.count("checkpoint") == len(texts) - len(said) >= 3
        assert page.locator("#anchors li.broken").count() == 0
        assert "ends with its closing entry" in page.locator("#anchors").inner_text()
        assert page.locator("#fingerprint").inner_text().startswith("Signing key fingerprint")
        assert "+08:00" not in page.locator("#log").inner_text()  # times as people read them
        exhibits = page.locator("#exhibits tbody tr").all_inner_texts()
        assert [row.split("\t")[0] for row in exhibits] == ["E01", "E04", "E02"]
        assert "Source and formation" in exhibits[1]
    finally:
        page.close()
    assert errors == []


def test_csv_has_the_verdict_on_top_and_a_row_per_entry(session: Path, tmp_path: Path, cli):
    out = tmp_path / "record.csv"
    assert cli("record", session, "--out", out).exit_code == 0
    with out.open(encoding="utf-8-sig", newline="") as stream:
        table = list(csv.reader(stream))
    top = next(i for i, row in enumerate(table) if row[:3] == ["序号", "时间", "证据"])
    verdict, rows = table[0], table[top + 1 :]
    assert verdict == [f"{session.name}: 共 {len(rows)} 条，校验链完整"]
    assert any(row[0].startswith("签名密钥指纹：") for row in table[:top])
    assert ["时间均为 UTC+08:00"] in table[:top]
    assert [r[0] for r in rows] == [str(e["n"]) for e in lines_of(session)]
    assert all(r[-1] == "已核验" for r in rows)
    assert not any("+08:00" in r[1] or "T" in r[1] for r in rows)  # 2026-11-29 20:47:04
    said = [r for r in rows if not r[8].startswith("签名校验点")]
    assert said[2][2:5] == ["E04", "证据内容", "开始"]  # goto: before the first step
    label = load_deck(DEMO_DECK).deck.exhibit("E04").steps[1].label
    assert said[3][2:5] == ["E04", "证据内容", f"第 2 步 {label}"]  # counted from 1, named
    assert [r[8] for r in said[2:8]] == [
        "转到 E04",
        f"转到第 2 步 {label}",
        "切换面板 来源与形成",
        "屏幕 黑屏",
        "屏幕 恢复显示",
        "交接控制 → 专家",
    ]
    assert said[-1][8] == "结束示证"


def test_a_broken_chain_is_reported_at_the_top(session: Path, tmp_path: Path, cli) -> None:
    lines = session.read_text("utf-8").splitlines(keepends=True)
    at = next(i for i, line in enumerate(lines) if i >= 3 and '"item":"E04"' in line)
    lines[at] = lines[at].replace('"E04"', '"E09"', 1)
    session.write_text("".join(lines), "utf-8")
    out = tmp_path / "broken.html"
    result = cli("record", session, "--out", out, "--lang", "en")
    assert result.exit_code == 1
    assert f"{session.name}:{at + 1}: line {at + 1} was changed" in result.output
    page = out.read_text("utf-8")
    top = page.index('id="verdict"')
    assert top < page.index('id="exhibits"') and "BROKEN" in page[top - 200 : top + 400]
    assert page.count("after the break, not verified") == len(lines) - at

    csv_out = tmp_path / "broken.csv"
    assert cli("record", session, "--out", csv_out, "--lang", "en").exit_code == 1
    with csv_out.open(encoding="utf-8-sig", newline="") as stream:
        table = list(csv.reader(stream))
    verdict = table[0]
    rows = table[next(i for i, row in enumerate(table) if row[0] == "No.") + 1 :]
    assert f"line {at + 1} was changed" in verdict[0]
    assert [r[-1] for r in rows].count("verified") == at


def test_a_wrong_output_kind_or_missing_file_is_told(tmp_path: Path, cli) -> None:
    result = cli("record", tmp_path / "x.jsonl", "--out", tmp_path / "x.pdf", "--lang", "en")
    assert result.exit_code == 2 and ".html or .csv" in result.output
    result = cli("record", tmp_path / "missing.jsonl", "--out", tmp_path / "x.html")
    assert result.exit_code == 1 and "missing.jsonl" in result.output
