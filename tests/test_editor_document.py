"""The editor writes the files a person would: one edited key changes its own line, every
other byte stays as it was, on the demo deck and on a deck formatted by hand."""

from __future__ import annotations

import difflib
import shutil
from pathlib import Path

import pytest

from presenter.deck import load_deck
from presenter.editor import document
from presenter.editor.document import Edit, EditRefused
from presenter.editor.store import Conflict, Refused, Store
from presenter.formatting import zone

from .conftest import DEMO_DECK

SHANGHAI = zone("Asia/Shanghai")


def changed_lines(before: str, after: str) -> tuple[list[str], list[str]]:
    """The lines taken out and put in."""
    old, new = before.splitlines(), after.splitlines()
    out, into = [], []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, old, new).get_opcodes():
        if tag != "equal":
            out += old[i1:i2]
            into += new[j1:j2]
    return out, into


DEMO_ITEMS = sorted(p.name for p in (DEMO_DECK / "items").glob("*.md"))


@pytest.mark.parametrize("name", DEMO_ITEMS)
def test_one_edited_field_of_a_demo_item_changes_its_own_line_only(name: str) -> None:
    text = (DEMO_DECK / "items" / name).read_text("utf-8")
    title = document.edit_item(text, [Edit("set", ("title",), "改过的标题")], SHANGHAI)
    out, into = changed_lines(text, title)
    assert len(out) == 1 and out[0].startswith("title = ")
    assert into == ['title = "改过的标题"']

    when = document.edit_item(
        text, [Edit("set", ("source", "collected_at"), "2026-03-01T09:30")], SHANGHAI
    )
    out, into = changed_lines(text, when)
    assert into == ["collected_at = 2026-03-01T09:30:00+08:00"]
    assert len(out) <= 1  # the key replaced, or added where the item had none


@pytest.mark.parametrize("name", DEMO_ITEMS)
def test_a_value_set_to_what_it_is_leaves_the_file_byte_for_byte(name: str) -> None:
    text = (DEMO_DECK / "items" / name).read_text("utf-8")
    split = text.split("+++")[1]
    import tomllib

    data = tomllib.loads(split)
    same = document.edit_item(
        text,
        [
            Edit("set", ("title",), data["title"]),
            Edit("set", ("source", "method"), data["source"]["method"]),
        ],
        SHANGHAI,
    )
    assert same == text


def test_the_body_and_the_notes_are_edited_without_touching_the_front_matter() -> None:
    text = (DEMO_DECK / "items" / "e04-chat.md").read_text("utf-8")
    front = text[: text.index("+++", 3) + 3]
    edited = document.edit_item(text, [Edit("notes", (), "新的备注")], SHANGHAI)
    assert edited.startswith(front)
    assert edited.endswith("???\n新的备注\n")
    body = text[len(front) :].split("???")[0]
    assert body in edited  # the Markdown shown in court is as it was
    without = document.edit_item(text, [Edit("notes", (), "")], SHANGHAI)
    assert "???" not in without


HAND_WRITTEN = """\ufeff# 张某案 — written by hand\r
format = 1   # the format's version\r
order = [ "E02",\r
          "E01" ]   # the hearing's order\r
\r
[case]\r
title    = "张某等人电信网络诈骗案"   # aligned, as a clerk likes it\r
court    = '某市某区人民法院'\r
charges  = ["诈骗罪"]\r
timezone = "Asia/Shanghai"\r
\r
# the facts\r
[[fact]]\r
id = "F1"\r
text = \"\"\"张某使用微信号\r
冒充投资导师\"\"\"\r
element = "identity"\r
\r
[[fact]]\r
id="F2"\r
text="李某组织"\r
element="conduct"\r
"""


def test_a_hand_formatted_deck_keeps_its_comments_alignment_quotes_and_line_ends() -> None:
    text = HAND_WRITTEN.lstrip("\ufeff")
    edited = document.edit_deck(
        text, [Edit("set", ("case", "court"), "某市中级人民法院")], SHANGHAI
    )
    out, into = changed_lines(text, edited)
    assert out == ["court    = '某市某区人民法院'"]
    assert len(into) == 1 and "某市中级人民法院" in into[0]
    assert edited.count("\r\n") == text.count("\r\n")
    for kept in ("# aligned, as a clerk likes it", "# the facts", 'order = [ "E02",', 'id="F2"'):
        assert kept in edited


def test_facts_are_added_removed_and_moved_as_whole_blocks() -> None:
    text = HAND_WRITTEN.lstrip("\ufeff").replace("\r\n", "\n")
    added = document.edit_deck(
        text, [Edit("add", ("fact",), {"id": "F3", "text": "赵某收卡", "element": "conduct"})],
        SHANGHAI,
    )  # fmt: skip
    assert added.startswith(text)
    assert added[len(text) :] == '\n[[fact]]\nid = "F3"\ntext = "赵某收卡"\nelement = "conduct"\n'
    moved = document.edit_deck(text, [Edit("move", ("fact",), 1, to=0)], SHANGHAI)
    assert moved.index('id="F2"') < moved.index('id = "F1"')
    assert sorted(moved.splitlines()) == sorted(text.splitlines())
    dropped = document.edit_deck(text, [Edit("drop", ("fact",), 0)], SHANGHAI)
    assert "F1" not in dropped and 'id="F2"' in dropped and "# the facts" in dropped
    order = document.edit_deck(text, [Edit("order", value=["E01", "E02"])], SHANGHAI)
    assert "# the hearing's order" in order and "E01" in order.split("\n")[2]


def test_times_are_typed_as_the_deck_reads_them_and_written_with_their_own_offset() -> None:
    berlin = zone("Europe/Berlin")
    text = '+++\nid = "E01"\ntitle = "x"\n\n[source]\nmethod = "seizure"\n+++\n'
    summer = document.edit_item(
        text, [Edit("set", ("source", "collected_at"), "2026-07-01T09:30")], berlin
    )
    winter = document.edit_item(
        text, [Edit("set", ("source", "collected_at"), "2026-01-05 09:30:15")], berlin
    )
    day = document.edit_item(text, [Edit("set", ("source", "collected_at"), "2026-01-05")], berlin)
    assert "collected_at = 2026-07-01T09:30:00+02:00" in summer
    assert "collected_at = 2026-01-05T09:30:15+01:00" in winter
    assert "collected_at = 2026-01-05\n" in day
    for bad in ("2026/1/5", "yesterday", "2026-13-01T09:00", 20260105):
        with pytest.raises(EditRefused) as refused:
            document.edit_item(text, [Edit("set", ("source", "collected_at"), bad)], berlin)
        assert refused.value.code == "bad_time"


def test_edits_outside_the_format_or_its_choices_are_refused_with_their_key() -> None:
    text = (DEMO_DECK / "items" / "e02-recruit-ad.md").read_text("utf-8")
    cases = [
        (Edit("set", ("sauce",), "x"), "unknown_key"),
        (Edit("set", ("source", "method"), "stolen"), "bad_choice"),
        (Edit("set", ("excluded",), "yes"), "bad_value"),
        (Edit("set", ("step", 0, "region"), [0.1, 0.2]), "bad_value"),
        (Edit("drop", ("step",), 99), "no_entry"),
        (Edit("set", ("source",), "x"), "not_editable"),
        (Edit("wipe", ("step",), 0), "unknown_op"),
    ]
    for edit, code in cases:
        with pytest.raises(EditRefused) as refused:
            document.edit_item(text, [edit], SHANGHAI)
        assert refused.value.code == code, edit


def test_a_hostile_deeply_nested_file_is_refused_not_recursed() -> None:
    deep = "a = " + "[" * 3000 + "]" * 3000 + "\n"
    with pytest.raises(EditRefused):
        document.edit_deck(deep, [Edit("set", ("case", "title"), "x")], SHANGHAI)
    with pytest.raises(EditRefused):
        document.edit_item(f"+++\n{deep}+++\n", [Edit("notes", (), "x")], SHANGHAI)


def test_a_whole_demo_deck_edited_field_by_field_still_loads_with_the_same_findings(
    tmp_path: Path,
) -> None:
    deck = Path(shutil.copytree(DEMO_DECK, tmp_path / "demo"))
    before = load_deck(deck, verify_hashes=False)
    store = Store(tmp_path)
    for path in sorted((deck / "items").glob("*.md")):
        name = f"items/{path.name}"
        read = store.read("demo", name)
        text = document.edit_item(
            read.text,
            [Edit("set", ("source", "tool"), "取证工具 V9"), Edit("set", ("remarks",), "备考")],
            SHANGHAI,
        )
        store.write("demo", name, text, read.version)
    after = load_deck(deck, verify_hashes=False)
    assert after.deck is not None
    assert [p.code for p in after.problems] == [p.code for p in before.problems]
    assert {e.source.tool for e in after.deck.exhibits} == {"取证工具 V9"}
    assert not list(deck.rglob("*.editing"))  # no temporary file left behind


def test_a_file_changed_on_disk_since_it_was_read_is_not_overwritten(tmp_path: Path) -> None:
    deck = Path(shutil.copytree(DEMO_DECK, tmp_path / "demo"))
    store = Store(tmp_path)
    read = store.read("demo", "deck.toml")
    by_hand = read.text.replace("某市某区人民法院", "某市某县人民法院")
    (deck / "deck.toml").write_text(by_hand, "utf-8")
    with pytest.raises(Conflict) as conflict:
        store.write("demo", "deck.toml", read.text + "\n# mine\n", read.version)
    assert conflict.value.current.text == by_hand
    assert (deck / "deck.toml").read_text("utf-8") == by_hand  # nothing lost
    store.write("demo", "deck.toml", by_hand + "# mine\n", conflict.value.current.version)
    assert (deck / "deck.toml").read_text("utf-8").endswith("# mine\n")


def test_a_file_saved_with_a_byte_order_mark_keeps_it(tmp_path: Path) -> None:
    deck = tmp_path / "case"
    (deck / "items").mkdir(parents=True)
    (deck / "deck.toml").write_bytes(HAND_WRITTEN.encode("utf-8"))
    store = Store(tmp_path)
    read = store.read("case", "deck.toml")
    text = document.edit_deck(read.text, [Edit("set", ("case", "number"), "123号")], SHANGHAI)
    store.write("case", "deck.toml", text, read.version)
    data = (deck / "deck.toml").read_bytes()
    assert data.startswith(b"\xef\xbb\xbf") and b'number = "123\xe5\x8f\xb7"' in data


def test_the_store_reads_and_writes_nothing_outside_a_decks_text(tmp_path: Path) -> None:
    root = tmp_path / "decks"
    shutil.copytree(DEMO_DECK, root / "demo")
    outside = tmp_path / "secret.md"
    outside.write_text("+++\nid = 'x'\n+++\n", "utf-8")
    (root / "linked").symlink_to(root / "demo")
    (root / "demo" / "items" / "link.md").symlink_to(outside)
    store = Store(root)
    for deck_id, name in [
        ("demo", "../secret.md"),
        ("demo", "items/../../../secret.md"),
        ("demo", "items/link.md"),
        ("demo", "/etc/passwd"),
        ("demo", "files/wechat.csv"),
        ("demo", "items/x.txt"),
        ("demo", "items/sub/x.md"),
        ("..", "deck.toml"),
        ("linked", "deck.toml"),
        ("Demo", "deck.toml"),
    ]:
        with pytest.raises(Refused):
            store.read(deck_id, name)
        with pytest.raises(Refused):
            store.write(deck_id, name, "x", None)
    assert outside.read_text("utf-8") == "+++\nid = 'x'\n+++\n"
    assert store.decks() == ["demo"]


def test_of_many_edits_made_at_once_on_one_version_exactly_one_lands(tmp_path: Path) -> None:
    from concurrent.futures import ThreadPoolExecutor

    deck = Path(shutil.copytree(DEMO_DECK, tmp_path / "demo"))
    store = Store(tmp_path)
    read = store.read("demo", "deck.toml")

    def edit(n: int) -> bool:
        text = document.edit_deck(read.text, [Edit("set", ("case", "court"), f"法院{n}")], SHANGHAI)
        try:
            store.write("demo", "deck.toml", text, read.version)
        except Conflict:
            return False
        return True

    with ThreadPoolExecutor(16) as pool:
        landed = list(pool.map(edit, range(64)))
    assert landed.count(True) == 1
    winner = landed.index(True)
    assert f'court = "法院{winner}"' in (deck / "deck.toml").read_text("utf-8")


def test_an_edit_made_while_evidence_is_being_copied_is_kept(tmp_path: Path) -> None:
    from presenter.importing.writer import Imported, write
    from presenter.scaffold import plan

    deck = Path(shutil.copytree(DEMO_DECK, tmp_path / "decks" / "demo"))
    store = Store(tmp_path / "decks")
    evidence = tmp_path / "received"
    evidence.mkdir()
    (evidence / "photo.png").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(4 << 20))
    edited: list[bool] = []

    def progress(total: int):
        def told(done: int, _total: int) -> None:
            if not edited:  # the clerk changes the court while the photo is copied
                read = store.read("demo", "deck.toml")
                court = [Edit("set", ("case", "court"), "某市中级人民法院")]
                store.write("demo", "deck.toml", document.edit_deck(read.text, court, SHANGHAI),
                            read.version)  # fmt: skip
                edited.append(True)

        return told

    planned, _ = plan(evidence, SHANGHAI)
    write(deck, Imported("received", planned), "zh-CN", progress, store.writing)
    text = (deck / "deck.toml").read_text("utf-8")
    assert edited and 'court = "某市中级人民法院"' in text
    assert '"E17", "E18"]' in text
