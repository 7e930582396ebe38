"""The demo case: complete, clean, consistent with its generator, and served by default."""

from __future__ import annotations

import importlib.util
import ipaddress
import re
from collections import Counter

import pytest

from presenter.deck import load_deck
from presenter.deck.model import Deck
from presenter.integrity import HashCache

from .conftest import DEMO_DECK, PRESENTER_KEY, PROJECT_ROOT, run_app, serve_app, wait_until

ORDER = [f"E{n:02d}" for n in range(1, 18)]


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    cache = HashCache(tmp_path_factory.mktemp("instance") / "hash-cache.sqlite3")
    return load_deck(DEMO_DECK, hash_cache=cache, verify_hashes=True)


@pytest.fixture(scope="module")
def demo(report) -> Deck:
    assert report.deck is not None
    return report.deck


@pytest.fixture(scope="module")
def generator():
    spec = importlib.util.spec_from_file_location("make_demo", PROJECT_ROOT / "decks/make_demo.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_demo_loads_without_a_single_problem(report):
    assert [p.render("en") for p in report.problems] == []


def test_check_on_the_demo_exits_0_with_no_errors_or_warnings(tmp_path):
    result = run_app("check", "decks/demo", "--lang", "en", "--instance", str(tmp_path))
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.strip() == "0 errors, 0 warnings"
    assert result.stderr == ""


def test_counts_and_order(demo):
    assert demo.id == "demo"
    assert [e.id for e in demo.exhibits] == ORDER
    assert len(demo.facts) == 7
    assert len(demo.evidence) == 8
    assert demo.case.defendants == ("李某", "张某", "王某", "赵某")


def test_every_view_chart_kind_algorithm_and_element_is_used(demo):
    views = {e.view for e in demo.exhibits}
    assert views >= {"image", "video", "audio", "chat", "table", "code", "document", "markdown"}
    assert {e.chart for e in demo.exhibits if e.view == "chart"} == {
        "funds",
        "network",
        "timeline",
        "trajectory",
    }
    algorithms = {h.algorithm for e in demo.exhibits for h in e.source.hashes}
    assert algorithms == {"md5", "sha1", "sha256", "sm3"}
    assert {f.element for f in demo.facts} == {"identity", "conduct", "intent", "consequence"}
    kinds = {c.kind for c in demo.evidence}
    assert kinds >= {
        "confession",
        "victim_statement",
        "witness_testimony",
        "physical",
        "documentary",
        "appraisal",
    }
    assert {e.source.method for e in demo.exhibits} == {
        "seizure",
        "onsite",
        "online",
        "freeze",
        "retrieval",
    }


def test_every_file_is_hashed(demo):
    for exhibit in demo.exhibits:
        hashed = {h.file for h in exhibit.source.hashes}
        aids = {exhibit.basemap.file} if exhibit.basemap else set()  # a map is not evidence
        assert hashed == set(exhibit.files) - aids, exhibit.id


def test_steps_challenges_notes_defect_and_change(demo):
    exhibits = demo.exhibits
    assert sum(bool(e.steps) for e in exhibits) >= 10
    assert sum(bool(e.challenges) for e in exhibits) >= 4
    assert sum(bool(e.notes) for e in exhibits) >= 5
    defects = [d for e in exhibits for d in e.source.defects]
    assert len(defects) == 1 and defects[0].remedy
    assert sum(len(e.source.changes) for e in exhibits) == 1


def test_notes_are_split_from_what_the_court_sees(demo):
    chat = demo.exhibit("E04")
    assert chat.body.startswith("聊天记录自张某手机微信数据库导出")
    assert chat.notes.startswith("第三步停住")
    assert "第三步停住" not in chat.body
    for exhibit in demo.exhibits:
        assert "???" not in exhibit.body, exhibit.id
        assert exhibit.notes == "" or exhibit.notes not in exhibit.body


def test_every_reference_resolves(demo):
    facts = {f.id for f in demo.facts}
    others = {c.id for c in demo.evidence} | {e.id for e in demo.exhibits}
    for exhibit in demo.exhibits:
        assert exhibit.shows, exhibit.id
        for shows in exhibit.shows:
            assert shows.fact in facts, exhibit.id
        for link in exhibit.corroborates:
            assert link.with_ in others and link.with_ != exhibit.id, exhibit.id
            assert link.fact is None or link.fact in facts, exhibit.id
        for recorded in exhibit.source.hashes:
            assert recorded.file in exhibit.files, exhibit.id
    shown = Counter(s.fact for e in demo.exhibits for s in e.shows)
    assert set(shown) == facts


def test_the_demo_stays_small():
    total = sum(p.stat().st_size for p in DEMO_DECK.rglob("*") if p.is_file())
    assert total < 15 * 1024 * 1024


def test_everything_in_it_is_obviously_fictional():
    texts = [
        p.read_bytes().decode("gb18030" if "银行流水" in p.parts[-2] else "utf-8")
        for p in DEMO_DECK.rglob("*")
        if p.suffix in {".toml", ".md", ".csv", ".php"}
    ]  # the bank's statement is GBK, as it was delivered
    text = "\n".join(texts)
    for host in re.findall(r"https?://([^/\s\"]+)", text):
        assert host.endswith(".example"), host
    assert not re.findall(r"\b[\w-]+\.(?:com|cn|net|org|io|top|vip|xyz|cc)\b", text)
    ranges = ("192.0.2.0/24", "198.51.100.0/24", "203.0.113.0/24")  # RFC 5737
    documentation = [ipaddress.ip_network(n) for n in ranges]
    for address in re.findall(r"\b\d{1,3}(?:\.\d{1,3}){3}\b", text):
        assert any(ipaddress.ip_address(address) in net for net in documentation), address
    # phone, card and ID numbers are padded with zeros (digests are hex, so left out)
    for digits in re.findall(r"(?<![0-9a-f])\d{11,}(?![0-9a-f])", text):
        if re.fullmatch(r"20\d\d(0[1-9]|1[0-2])[0-3]\d[0-2]\d[0-5]\d[0-5]\d", digits):
            continue  # a bank's time, 20260308100000
        assert "0000" in digits, digits


def test_committed_files_match_the_generator(generator):
    """Text files and items are exactly what decks/make_demo.py writes from
    decks/demo.source/, hashes included; and the deck holds nothing else but its binaries."""
    expected = generator.texts(DEMO_DECK)
    for name, text in expected.items():
        assert (DEMO_DECK / name).read_text(encoding="utf-8") == text, name
    items = {p.relative_to(DEMO_DECK).as_posix() for p in DEMO_DECK.glob("items/*.md")}
    assert items == {n for n in expected if n.startswith("items/")}
    binaries = {".png", ".jpg", ".wav", ".mov", ".pdf", ".xlsx", ".zip", ".heic", ".csv"}
    for path in DEMO_DECK.rglob("*"):
        name = path.relative_to(DEMO_DECK).as_posix()
        if path.is_file() and name not in expected:
            assert path.suffix.lower() in binaries, name  # made by the script, not written


def test_the_script_is_code_not_the_case_s_words():
    """The items and CSVs live in decks/demo.source/ as files; the script makes binaries."""
    script = (PROJECT_ROOT / "decks/make_demo.py").read_text(encoding="utf-8")
    assert len(script.splitlines()) < 760
    assert "\n[[shows]]\n" not in script and "\n[source]\n" not in script


def test_app_with_no_deck_argument_serves_the_demo(tmp_path, demo):
    with serve_app("--instance", str(tmp_path), "--presenter-key", PRESENTER_KEY) as served:
        wait_until(served.get, timeout=60)
        html = served.get(f"?key={PRESENTER_KEY}")
    assert demo.case.title in html
    for exhibit in demo.exhibits:
        assert exhibit.title in html
    assert "Traceback" not in served.err
