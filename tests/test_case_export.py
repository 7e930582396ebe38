"""`export-case`: the deck's provenance as CASE/UCO JSON-LD, checked by case-utils."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from presenter.deck import load_deck

from .conftest import DEMO_DECK
from .deckfactory import CHAT_MD, edit, write_deck

DEMO = load_deck(DEMO_DECK).deck
CASE_VALIDATE = Path(sys.executable).parent / "case_validate"


@pytest.fixture
def exported(tmp_path: Path, cli) -> tuple[Path, dict]:
    out = tmp_path / "demo.jsonld"
    result = cli("export-case", DEMO_DECK, "--out", out, "--instance", cli.instance)
    assert result.exit_code == 0, result.output
    return out, json.loads(out.read_text("utf-8"))


def nodes(graph: dict, kind: str) -> list[dict]:
    return [n for n in graph["@graph"] if n["@type"] == kind]


def test_the_demo_export_validates_with_no_violation_and_no_warning(exported) -> None:
    out, _ = exported
    done = subprocess.run(
        [str(CASE_VALIDATE), "--allow-infos", str(out)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Conforms: True" in done.stdout
    assert "sh:Violation" not in done.stdout and "sh:Warning" not in done.stdout


def test_each_exhibit_has_its_collection_medium_files_and_record(exported) -> None:
    _, graph = exported
    by_id = {n["@id"]: n for n in graph["@graph"]}
    names = {n["@id"]: n.get("core:name") for n in graph["@graph"]}
    actions = nodes(graph, "investigation:InvestigativeAction")
    records = nodes(graph, "investigation:ProvenanceRecord")
    assert [r["investigation:exhibitNumber"] for r in records] == [e.id for e in DEMO.exhibits]
    assert len(actions) == len(DEMO.exhibits)
    for record in records:  # each names what it records; nothing dangles
        assert record["core:object"] and all(o["@id"] in by_id for o in record["core:object"])
    for exhibit, action in zip(DEMO.exhibits, actions, strict=True):
        source = exhibit.source
        assert action["core:description"].startswith(exhibit.id)
        if source.collectors:
            assert names[action["action:performer"]["@id"]] == source.collectors[0]
        others = {names[p["@id"]] for p in action.get("action:participant", [])}
        assert set(source.collectors[1:]) | set(source.witnesses) <= others
        if source.holder:
            assert source.holder in others
        if source.tool:
            assert names[action["action:instrument"][0]["@id"]] == source.tool
        if source.collected_at:
            assert action["action:startTime"]["@type"] == "xsd:dateTime"
        results = [by_id[r["@id"]] for r in action["action:result"]]
        files = [r for r in results if r["@type"] == "observable:File"]
        assert len(files) == len(exhibit.files)
        recorded = {
            (h["types:hashMethod"], h["types:hashValue"]["@value"].lower())
            for f in files
            for facet in f["core:hasFacet"]
            for h in facet.get("observable:hash", [])
        }
        assert recorded == {
            ({"md5": "MD5", "sha1": "SHA1", "sha256": "SHA256"}.get(h.algorithm, "SM3"), h.value)
            for h in source.hashes
        }
        if source.medium and source.medium.serial:
            device = by_id[action["action:object"][0]["@id"]]
            facet = device["core:hasFacet"][0]
            assert facet["@type"] == "observable:DeviceFacet"
            assert facet["observable:serialNumber"] == source.medium.serial
    assert any(a.get("action:location") for a in actions)
    assert any(
        h["types:hashMethod"] == "SM3"
        for n in nodes(graph, "observable:File")
        for f in n["core:hasFacet"]
        for h in f.get("observable:hash", [])
    ), "the demo has an SM3 value, written outside the vocabulary"
    (investigation,) = nodes(graph, "investigation:Investigation")
    assert investigation["core:name"] == DEMO.case.title


def test_the_export_is_the_same_each_time_and_leaves_out_excluded_items(
    tmp_path: Path, cli, exported
) -> None:
    out, graph = exported
    again = tmp_path / "again.jsonld"
    assert cli("export-case", DEMO_DECK, "--out", again).exit_code == 0
    assert again.read_bytes() == out.read_bytes()
    deck = write_deck(tmp_path / "case-1")
    edit(deck / CHAT_MD, 'view = "chat"', 'view = "chat"\nexcluded = true')
    small = tmp_path / "small.jsonld"
    assert cli("export-case", deck, "--out", small).exit_code == 0
    numbers = [
        r["investigation:exhibitNumber"]
        for r in nodes(json.loads(small.read_text("utf-8")), "investigation:ProvenanceRecord")
    ]
    assert "E01" not in numbers and numbers
