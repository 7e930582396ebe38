"""`check` on decks with one mistake each: exit 1, the file and key or id named, no traceback."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest

from presenter.deck import load_deck
from presenter.integrity import hash_bytes

from .conftest import run_app
from .deckfactory import CHAT_CSV, edit
from .deckfactory import CHAT_MD as CHAT
from .deckfactory import CODE_MD as CODE
from .deckfactory import FUNDS_MD as FUNDS
from .deckfactory import SHOT_MD as SHOT


def replace(relative: str, old: str, new: str) -> Callable[[Path], None]:
    return lambda deck: edit(deck / relative, old, new)


def append(relative: str, text: str) -> Callable[[Path], None]:
    def mutate(deck: Path) -> None:
        with open(deck / relative, "a", encoding="utf-8") as stream:
            stream.write(text)

    return mutate


def symlink_out(deck: Path) -> None:
    outside = deck.parent / "outside.csv"
    outside.write_text("x\n", encoding="utf-8")
    (deck / "files" / "link.csv").symlink_to(outside)
    edit(deck / CHAT, 'files = ["files/chat.csv"]', 'files = ["files/chat.csv", "files/link.csv"]')


def unlisted_attachment(deck: Path) -> None:
    """A chat message whose attachment is not one of the item's files (hash kept right)."""
    csv_path = deck / "files" / "chat.csv"
    old = hash_bytes(csv_path.read_bytes(), "sha256")
    text = CHAT_CSV.replace("内容\n", "内容,附件\n", 1).replace("APP\n", "APP,files/qr.png\n")
    csv_path.write_text(text, encoding="utf-8")
    edit(deck / CHAT, old, hash_bytes(text.encode(), "sha256"))
    edit(deck / CHAT, 'text = "内容"', 'text = "内容"\nattachment = "附件"')


def not_utf8(deck: Path) -> None:
    (deck / "items" / "e05-bad.md").write_bytes('+++\nid = "E05"\n'.encode("gb18030") + b"\xff\xfe")


def duplicate_item(deck: Path) -> None:
    text = (deck / CODE).read_text(encoding="utf-8")
    (deck / "items" / "e05-copy.md").write_text(text, encoding="utf-8")


# (name, mutation, file named, what the message must name: key and/or id)
MISTAKES: list[tuple[str, Callable[[Path], None], str, tuple[str, ...]]] = [
    (
        "toml_syntax_in_deck",
        replace("deck.toml", 'title = "测试诈骗案"', 'title = "测试诈骗案'),
        "deck.toml:4",
        ("TOML",),
    ),
    (
        "unknown_key_in_case",
        replace("deck.toml", "number =", "numbr ="),
        "deck.toml:5",
        ("case.numbr", "unknown key"),
    ),
    (
        "missing_case_title",
        replace("deck.toml", 'title = "测试诈骗案"\n', ""),
        "deck.toml:3",
        ("case.title", "required"),
    ),
    (
        "unsupported_format",
        replace("deck.toml", "format = 1", "format = 2"),
        "deck.toml:1",
        ("format",),
    ),
    (
        "unknown_element",
        replace("deck.toml", '"identity"', '"identidy"'),
        "deck.toml:11",
        ("fact[0].element", "identidy"),
    ),
    (
        "duplicate_fact_id",
        replace("deck.toml", 'id = "F2"', 'id = "F1"'),
        "deck.toml:14",
        ("fact[1].id", "F1"),
    ),
    (
        "unknown_evidence_kind",
        replace("deck.toml", '"victim_statement"', '"victim"'),
        "deck.toml:20",
        ("evidence[0].kind",),
    ),
    (
        "evidence_id_reused_by_item",
        replace(CODE, 'id = "E03"', 'id = "C1"'),
        CODE + ":2",
        ("id", "C1"),
    ),
    ("duplicate_item_id", duplicate_item, "items/e05-copy.md:2", ("id", "E03")),
    (
        "order_names_unknown_item",
        replace(
            "deck.toml", "format = 1", 'format = 1\norder = ["E01", "E02", "E03", "E04", "E99"]'
        ),
        "deck.toml:2",
        ("order", "E99"),
    ),
    (
        "order_leaves_out_item",
        replace("deck.toml", "format = 1", 'format = 1\norder = ["E01", "E02", "E04"]'),
        "deck.toml:2",
        ("order", "E03"),
    ),
    ("front_matter_not_opened", replace(CODE, "+++\nid", "id"), CODE + ":1", ("+++",)),
    (
        "front_matter_not_closed",
        replace(CODE, 'lines = "2-3"\n+++', 'lines = "2-3"\n'),
        CODE + ":1",
        ("+++",),
    ),
    (
        "unknown_item_key",
        replace(CODE, 'view = "code"', 'view = "code"\ncolour = "red"'),
        CODE + ":6",
        ("colour", "unknown key"),
    ),
    (
        "reserved_notes_key",
        replace(CODE, 'view = "code"', 'view = "code"\nnotes = "x"'),
        CODE + ":6",
        ("notes", "unknown key"),
    ),
    ("missing_title", replace(CODE, 'title = "平台后台源代码"\n', ""), CODE, ("title", "required")),
    (
        "unknown_type",
        replace(CODE, 'type = "tool"', 'type = "malware"'),
        CODE + ":4",
        ("type", "malware"),
    ),
    (
        "unknown_view",
        replace(CODE, 'view = "code"', 'view = "source"'),
        CODE + ":5",
        ("view", "source"),
    ),
    (
        "missing_source_method",
        replace(CODE, 'method = "onsite"\n', ""),
        CODE + ":8",
        ("source.method", "required"),
    ),
    (
        "time_without_offset",
        replace(CHAT, "2024-03-05T14:30:00+08:00", "2024-03-05T14:30:00"),
        CHAT + ":15",
        ("source.collected_at", "offset"),
    ),
    (
        "missing_file",
        replace(CODE, 'files = ["files/admin.php"]', 'files = ["files/admin2.php"]'),
        CODE + ":6",
        ("files[0]", "files/admin2.php"),
    ),
    (
        "absolute_path",
        replace(CODE, 'files = ["files/admin.php"]', 'files = ["files/admin.php", "/etc/passwd"]'),
        CODE + ":6",
        ("files[1]", "/etc/passwd"),
    ),
    (
        "parent_path",
        replace(
            CODE, 'files = ["files/admin.php"]', 'files = ["files/admin.php", "files/../../x.php"]'
        ),
        CODE + ":6",
        ("files[1]", ".."),
    ),
    ("symlink_escaping_deck", symlink_out, CHAT + ":6", ("files[1]", "files/link.csv", "symlink")),
    (
        "hash_mismatch",
        replace("files/admin.php", "fake", "real"),
        CODE + ":14",
        ("source.hash[0].value", "sm3", "files/admin.php"),
    ),
    (
        "unknown_algorithm",
        replace(CODE, 'algorithm = "sm3"', 'algorithm = "sha512"'),
        CODE + ":13",
        ("source.hash[0].algorithm", "sha512"),
    ),
    (
        "hash_of_unlisted_file",
        replace(CODE, 'file = "files/admin.php"', 'file = "files/other.php"'),
        CODE + ":12",
        ("source.hash[0].file", "files/other.php"),
    ),
    (
        "hash_value_too_short",
        replace(SHOT, 'algorithm = "md5"\nvalue = "', 'algorithm = "md5"\nvalue = "00'),
        SHOT + ":15",
        ("source.hash[0].value", "md5"),
    ),
    (
        "hash_value_not_hex",
        replace(SHOT, 'algorithm = "md5"\nvalue = "', 'algorithm = "md5"\nvalue = "zz'),
        SHOT + ":15",
        ("source.hash[0].value", "hex"),
    ),
    (
        "shows_unknown_fact",
        replace(CODE, 'fact = "F2"', 'fact = "F9"'),
        CODE + ":17",
        ("shows[0].fact", "F9"),
    ),
    (
        "corroborates_unknown_evidence",
        replace(CHAT, 'with = "C1"', 'with = "C9"'),
        CHAT + ":30",
        ("corroborates[0].with", "C9"),
    ),
    (
        "csv_lacks_named_column",
        replace(CHAT, 'text = "内容"', 'text = "正文"'),
        CHAT + ":11",
        ("columns.text", "正文"),
    ),
    (
        "unknown_column_role",
        replace(CHAT, 'text = "内容"', 'text = "内容"\ncolour = "颜色"'),
        CHAT + ":12",
        ("columns.colour",),
    ),
    (
        "funds_csv_lacks_required_column",
        lambda d: (d / "files" / "funds.csv").write_text("time,from,amount\n", encoding="utf-8"),
        FUNDS,
        ("files", "'to'"),
    ),
    (
        "step_key_not_for_view",
        replace(CHAT, 'messages = "1-2"', 'rows = "1-2"'),
        CHAT + ":36",
        ("step[0].rows", "chat"),
    ),
    (
        "region_outside_image",
        replace(SHOT, "region = [0.1, 0.1, 0.5, 0.5]", "region = [0.6, 0.1, 0.5, 0.5]"),
        SHOT + ":27",
        ("step[0].region",),
    ),
    (
        "messages_beyond_chat",
        replace(CHAT, 'messages = "1-2"', 'messages = "2-9"'),
        CHAT + ":36",
        ("step[0].messages", "2-9"),
    ),
    (
        "malformed_range",
        replace(CODE, 'lines = "2-3"', 'lines = "3-2"'),
        CODE + ":22",
        ("step[0].lines",),
    ),
    (
        "lines_beyond_code",
        replace(CODE, 'lines = "2-3"', 'lines = "2-40"'),
        CODE + ":22",
        ("step[0].lines", "2-40"),
    ),
    ("chart_without_kind", replace(FUNDS, 'chart = "funds"\n', ""), FUNDS, ("chart",)),
    (
        "chart_kind_on_image",
        replace(SHOT, 'view = "image"', 'view = "image"\nchart = "funds"'),
        SHOT + ":6",
        ("chart", "image"),
    ),
    (
        "no_file_the_view_shows",
        replace(SHOT, 'files = ["files/shot.png"]', 'files = ["files/admin.php"]'),
        SHOT + ":6",
        ("files[0]", "files/admin.php"),
    ),
    (
        "chat_attachment_not_in_files",
        unlisted_attachment,
        CHAT + ":6",
        ("files", "files/qr.png", "3"),
    ),
    ("item_not_utf8", not_utf8, "items/e05-bad.md", ("UTF-8",)),
    (
        "unknown_challenge_ground",
        replace(CHAT, 'ground = "legality"', 'ground = "procedure"'),
        CHAT + ":39",
        ("challenge[0].ground", "procedure"),
    ),
]


@pytest.mark.parametrize(
    ("mutate", "where", "named"), [m[1:] for m in MISTAKES], ids=[m[0] for m in MISTAKES]
)
def test_check_reports_the_mistake_with_file_and_key(cli, deck_dir, mutate, where, named):
    mutate(deck_dir)
    result = cli.check(deck_dir)
    assert result.exit_code == 1, result.output
    lines = [line for line in result.output.splitlines() if ": error: " in line]
    assert lines, result.output
    hits = [line for line in lines if line.startswith(where + ":")]
    matching = [line for line in hits if all(name in line for name in named)]
    assert matching, f"no error at {where} naming {named}:\n{result.output}"
    assert "Traceback" not in result.output


def test_there_are_at_least_25_malformed_decks():
    assert len({m[0] for m in MISTAKES}) >= 25


def test_valid_deck_checks_clean(cli, deck_dir):
    result = cli.check(deck_dir)
    assert result.exit_code == 0, result.output
    assert result.output.strip() == "0 errors, 0 warnings"


def test_every_problem_is_reported_in_one_run(cli, deck_dir):
    edit(deck_dir / CODE, 'type = "tool"', 'type = "malware"')
    edit(deck_dir / CODE, '["files/admin.php"]', '["files/gone.php"]')
    edit(deck_dir / SHOT, 'fact = "F1"', 'fact = "F9"')
    edit(deck_dir / "deck.toml", "number =", "numbr =")
    result = cli.check(deck_dir)
    assert result.exit_code == 1
    errors = [line for line in result.output.splitlines() if ": error: " in line]
    assert [line.split(": error: ")[0] for line in errors] == [
        "deck.toml:5",
        f"{SHOT}:18",
        f"{CODE}:4",
        f"{CODE}:6",
    ], result.output
    assert "files/gone.php" in errors[3]


def test_report_is_in_chinese_by_default(cli, deck_dir):
    edit(deck_dir / CODE, 'type = "tool"', 'type = "malware"')
    result = cli("check", deck_dir, "--instance", cli.instance)
    assert f"{CODE}:4: error: type: 未知的取值 'malware'" in result.output
    assert "1 个错误，0 个警告" in result.output


def test_deck_folder_name_must_be_a_deck_id(cli, tmp_path):
    from .deckfactory import write_deck

    deck = write_deck(tmp_path / "Case_1")
    result = cli.check(deck)
    assert result.exit_code == 1
    assert "deck.toml: error: " in result.output and "Case_1" in result.output


def test_missing_deck_folder_is_an_error_not_a_traceback(tmp_path):
    result = run_app("check", str(tmp_path / "nowhere"), "--lang", "en")
    assert result.returncode == 1
    assert "does not exist" in result.stdout
    assert "Traceback" not in result.stdout + result.stderr


def test_symlink_inside_the_deck_is_allowed(cli, deck_dir):
    os.symlink("chat.csv", deck_dir / "files" / "alias.csv")
    edit(deck_dir / CHAT, 'files = ["files/chat.csv"]', 'files = ["files/alias.csv"]')
    edit(deck_dir / CHAT, 'file = "files/chat.csv"', 'file = "files/alias.csv"')
    assert cli.check(deck_dir).exit_code == 0


NEW_FACT = '\n[[fact]]\nid = "F3"\ntext = "x"\nelement = "intent"\n'


def uncorroborated_fact(deck: Path) -> None:
    append("deck.toml", NEW_FACT)(deck)
    edit(deck / CODE, "[[step]]", '[[shows]]\nfact = "F3"\naspect = "other"\n\n[[step]]')


# Warnings: reported, but the deck still loads and check exits 0.
WARNINGS: list[tuple[str, Callable[[Path], None], str, tuple[str, ...]]] = [
    (
        "item_shows_no_fact",
        replace(CODE, '[[shows]]\nfact = "F2"\naspect = "means"\n', ""),
        CODE,
        ("shows",),
    ),
    ("fact_shown_by_no_item", append("deck.toml", NEW_FACT), "deck.toml:25", ("F3",)),
    ("uncorroborated_fact", uncorroborated_fact, "deck.toml:25", ("孤证", "F3", "E03")),
    (
        "item_without_hash",
        replace(
            CODE,
            '[[source.hash]]\nfile = "files/admin.php"\nalgorithm = "sm3"\n',
            '[[source.change]]\nwhat = "x"\n#',
        ),
        CODE,
        ("source.hash",),
    ),
    (
        "defect_without_remedy",
        replace(
            CODE, "[[shows]]", '[[source.defect]]\nwhat = "提取笔录缺少持有人签名"\n\n[[shows]]'
        ),
        CODE,
        ("source.defect[0].remedy", "提取笔录缺少持有人签名"),
    ),
]


@pytest.mark.parametrize(
    ("mutate", "where", "named"), [w[1:] for w in WARNINGS], ids=[w[0] for w in WARNINGS]
)
def test_check_warns_but_passes(cli, deck_dir, mutate, where, named):
    mutate(deck_dir)
    result = cli.check(deck_dir)
    assert result.exit_code == 0, result.output
    warnings = [line for line in result.output.splitlines() if ": warning: " in line]
    assert len(warnings) == 1, result.output
    assert warnings[0].startswith(where) and all(n in warnings[0] for n in named), warnings[0]
    assert load_deck(deck_dir).deck is not None


def test_fact_warnings_wait_until_every_item_can_be_read(cli, deck_dir):
    """An unreadable item may show any fact: no false 'fact not shown' or 孤证 then."""
    edit(deck_dir / CHAT, 'view = "chat"', 'view = "chat"\nbogus = 1')
    result = cli.check(deck_dir)
    assert result.exit_code == 1
    assert "bogus" in result.output
    assert ": warning: " not in result.output, result.output
    edit(deck_dir / CHAT, "\nbogus = 1", "")
    append("deck.toml", NEW_FACT)(deck_dir)
    assert "F3" in cli.check(deck_dir).output
