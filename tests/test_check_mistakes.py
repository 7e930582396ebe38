"""`check` on the mistakes of a person writing TOML for the first time: each is said where it
is, in words that say what to do, and is not followed by errors that only repeat it."""

from __future__ import annotations

import datetime as dt
import hashlib
import wave
from pathlib import Path

import pytest

from presenter import probe
from presenter.deck.toml_lines import parse

from .deckfactory import CHAT_MD as CHAT
from .deckfactory import CODE_ITEM, DECK_TOML, edit
from .deckfactory import CODE_MD as CODE
from .deckfactory import SHOT_MD as SHOT


def errors(result) -> list[str]:
    return [line for line in result.output.splitlines() if ": error: " in line]


def only_error(result) -> str:
    """The one error of a check run; fails on none, or on more (a mistake said twice)."""
    found = errors(result)
    assert result.exit_code == 1 and len(found) == 1, result.output
    return found[0]


# --- 1. TOML syntax errors: in the user's language, with the key and the usual cause -------

SYNTAX: list[tuple[str, str, str, str, str, tuple[str, ...]]] = [
    # (name, file, old, new, "file:line: error: key:", what the message must say)
    (
        "curly_quotes",
        CODE,
        'title = "平台后台源代码"',
        "title = “平台后台源代码”",
        f"{CODE}:3: error: title:",
        ("curly", 'write it as: title = "平台后台源代码"'),
    ),
    (
        "curly_quotes_in_array",
        CODE,
        'files = ["files/admin.php"]',
        "files = [“files/admin.php”]",
        f"{CODE}:6: error: files:",
        ("curly", 'write it as: files = ["files/admin.php"]'),
    ),
    (
        "fullwidth_comma",
        SHOT,
        "region = [0.1, 0.1, 0.5, 0.5]",
        "region = [0.1，0.1, 0.5, 0.5]",
        f"{SHOT}:27: error: step[0].region:",
        ("full-width '，'", "write it as: region = [0.1,0.1, 0.5, 0.5]"),
    ),
    (
        "fullwidth_equals",
        CODE,
        'title = "平台后台源代码"',
        'title ＝ "平台后台源代码"',
        f"{CODE}:3: error: title:",
        ("full-width '＝'", 'write it as: title = "平台后台源代码"'),
    ),
    (
        "fullwidth_colon",
        CODE,
        'title = "平台后台源代码"',
        'title： "平台后台源代码"',
        f"{CODE}:3: error: title:",
        ("not by a colon", 'write it as: title = "平台后台源代码"'),
    ),
    (
        "non_breaking_space",
        CODE,
        'title = "平台后台源代码"',
        'title\u00a0= "平台后台源代码"',
        f"{CODE}:3: error: title:",
        ("column 6 holds a full-width or non-breaking space",),
    ),
    (
        "fullwidth_space",
        CODE,
        'title = "平台后台源代码"',
        'title =\u3000"平台后台源代码"',
        f"{CODE}:3: error: title:",
        ("column 8 holds a full-width or non-breaking space",),
    ),
    (
        "string_without_quotes",
        CODE,
        'title = "平台后台源代码"',
        "title = 平台后台源代码",
        f"{CODE}:3: error: title:",
        ("double quotes", 'write it as: title = "平台后台源代码"'),
    ),
    (
        "month_13",
        CHAT,
        "collected_at = 2024-03-05T14:30:00+08:00",
        "collected_at = 2024-13-05T14:30:00+08:00",
        f"{CHAT}:15: error: source.collected_at:",
        ("2024-13-05T14:30:00+08:00 is no real date or time",),
    ),
    (
        "day_not_in_month",
        CHAT,
        "collected_at = 2024-03-05T14:30:00+08:00",
        "collected_at = 2023-02-29",
        f"{CHAT}:15: error: source.collected_at:",
        ("no such date", "2023-02-29 is no real date"),
    ),
    (
        "date_with_slashes",
        CHAT,
        "collected_at = 2024-03-05T14:30:00+08:00",
        "collected_at = 2024/02/23",
        f"{CHAT}:15: error: source.collected_at:",
        ("write the date 2024-02-23", "write it as: collected_at = 2024-02-23"),
    ),
    (
        "date_without_leading_zeros",
        CHAT,
        "collected_at = 2024-03-05T14:30:00+08:00",
        "collected_at = 2024-3-5",
        f"{CHAT}:15: error: source.collected_at:",
        ("write the date 2024-03-05",),
    ),
    (
        "time_without_seconds",
        CHAT,
        "collected_at = 2024-03-05T14:30:00+08:00",
        "collected_at = 2024-03-05T14:30+08:00",
        f"{CHAT}:15: error: source.collected_at:",
        ("needs its seconds: 2024-03-05T14:30:00+08:00",),
    ),
    (
        "missing_closing_quote",
        CODE,
        'title = "平台后台源代码"',
        'title = "平台后台源代码',
        f"{CODE}:3: error: title:",
        ('closing quote "', 'write it as: title = "平台后台源代码"'),
    ),
    (
        "missing_closing_bracket",
        CODE,
        'files = ["files/admin.php"]',
        'files = ["files/admin.php"',
        f"{CODE}:6: error: files:",
        ("not closed by ']'", 'write it as: files = ["files/admin.php"]'),
    ),
    (
        "missing_closing_bracket_of_a_header",
        CODE,
        "[source]",
        "[source",
        f"{CODE}:8: error: source:",
        ("not closed by ']'", "write it as: [source]"),
    ),
    (
        "backslash_in_a_path",
        CODE,
        'files = ["files/admin.php"]',
        'files = ["files\\admin.php"]',
        f"{CODE}:6: error: files:",
        ("joined by '/'", 'write it as: files = ["files/admin.php"]'),
    ),
    (
        "a_table_twice",
        "deck.toml",
        '[[fact]]\nid = "F2"',
        '[case]\ntitle = "x"\n\n[[fact]]\nid = "F2"',
        "deck.toml:13: error: case:",
        ("declared twice", "[[step]]"),
    ),
]


@pytest.mark.parametrize(
    ("path", "old", "new", "where", "said"), [s[1:] for s in SYNTAX], ids=[s[0] for s in SYNTAX]
)
def test_a_toml_syntax_error_names_the_key_and_its_likely_cause(
    cli, deck_dir, path, old, new, where, said
):
    edit(deck_dir / path, old, new)
    line = only_error(cli.check(deck_dir))
    assert line.startswith(where + " TOML syntax error: "), line
    for words in said:
        assert words in line, line


def test_a_toml_syntax_error_is_said_in_chinese(cli, deck_dir):
    edit(deck_dir / CODE, 'title = "平台后台源代码"', "title = “平台后台源代码”")
    result = cli("check", deck_dir, "--instance", cli.instance)
    assert result.exit_code == 1
    line = errors(result)[0]
    assert line.startswith(f"{CODE}:3: error: title: TOML 语法错误：无法识别的值（第 9 列）"), line
    assert "不能用中文引号" in line and '应写作：title = "平台后台源代码"' in line


def test_an_array_left_open_is_reported_where_it_opens():
    _, syntax = parse('files = [\n  "a.csv",\n  "b.csv"\n\n[source]\nmethod = "x"\n')
    assert syntax is not None
    assert (syntax.line, syntax.key) == (1, ("files",))


def test_a_string_left_open_at_the_end_is_reported_where_it_opens():
    _, syntax = parse("a = 1\ntitle = '''abc\n\nmore\n")
    assert syntax is not None
    assert (syntax.line, syntax.key) == (2, ("title",))
    assert ("unclosed_string", {"quote": "'"}) in syntax.hints


def test_a_full_width_character_inside_a_string_is_no_hint():
    _, syntax = parse('title = "张某，李某" "x"\n')
    assert syntax is not None
    assert [code for code, _ in syntax.hints] == ["one_statement"]


# --- 2. text files in GBK or UTF-16 ----------------------------------------------------------


def test_a_deck_toml_in_gbk_says_its_encoding_and_what_to_do(cli, deck_dir):
    (deck_dir / "deck.toml").write_bytes(DECK_TOML.encode("gbk"))
    assert "deck.toml: error: the file is in GBK, not UTF-8: save it again as UTF-8" in only_error(
        cli.check(deck_dir)
    )
    chinese = cli("check", deck_dir, "--instance", cli.instance)
    assert "deck.toml: error: 文件是 GBK 编码，请另存为 UTF-8" in chinese.output


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le"])
def test_an_item_in_utf16_says_so(cli, deck_dir, encoding):
    text = (deck_dir / CODE).read_text(encoding="utf-8")
    (deck_dir / CODE).write_bytes(text.encode(encoding))
    line = only_error(cli.check(deck_dir))
    assert line.startswith(f"{CODE}: error: the file is in UTF-16, not UTF-8"), line


def test_an_item_of_bytes_in_no_encoding_is_still_said_not_utf8(cli, deck_dir):
    (deck_dir / CODE).write_bytes(b"+++\n" + bytes(range(128, 256)) * 4)
    assert "the file is not UTF-8" in only_error(cli.check(deck_dir))


# --- 3. deck paths spelled otherwise -----------------------------------------------------

SPELLINGS = ["./files/admin.php", "files\\\\admin.php", "files//admin.php", "files/admin.php "]
"""As written in a TOML basic string (a backslash doubled)."""


@pytest.mark.parametrize("written", SPELLINGS)
def test_a_path_in_files_spelled_otherwise_is_one_error_with_the_right_spelling(
    cli, deck_dir, written
):
    edit(deck_dir / CODE, 'files = ["files/admin.php"]', f'files = ["{written}"]')
    line = only_error(cli.check(deck_dir))  # not also a missing file or an unlisted hash
    assert line.startswith(f"{CODE}:6: error: files[0]: the path "), line
    assert 'must be written "files/admin.php"' in line


@pytest.mark.parametrize("written", SPELLINGS)
def test_a_hashed_file_spelled_otherwise_is_one_error(cli, deck_dir, written):
    edit(deck_dir / CODE, 'file = "files/admin.php"', f'file = "{written}"')
    line = only_error(cli.check(deck_dir))
    assert line.startswith(f"{CODE}:12: error: source.hash[0].file: the path "), line
    assert 'must be written "files/admin.php"' in line


def test_a_path_spelled_otherwise_everywhere_is_said_at_each_place_and_nothing_more(cli, deck_dir):
    edit(deck_dir / CODE, 'files = ["files/admin.php"]', 'files = ["./files/admin.php"]')
    edit(deck_dir / CODE, 'file = "files/admin.php"', 'file = "./files/admin.php"')
    found = errors(cli.check(deck_dir))
    assert [line.split(": the path")[0] for line in found] == [
        f"{CODE}:6: error: files[0]",
        f"{CODE}:12: error: source.hash[0].file",
    ]


def test_a_path_spelled_otherwise_still_has_its_hash_checked_as_spelled_right(cli, deck_dir):
    edit(deck_dir / CODE, 'files = ["files/admin.php"]', 'files = ["./files/admin.php"]')
    edit(deck_dir / "files" / "admin.php", "fake", "real")
    found = errors(cli.check(deck_dir))
    assert len(found) == 2 and "files[0]: the path" in found[0], found
    assert "source.hash[0].value: the sm3 of 'files/admin.php' does not match" in found[1]


def test_the_chinese_message_shows_the_right_spelling(cli, deck_dir):
    edit(deck_dir / CODE, 'files = ["files/admin.php"]', 'files = ["files\\\\admin.php"]')
    result = cli("check", deck_dir, "--instance", cli.instance)
    assert '路径“files\\admin.php”应写作 "files/admin.php"' in result.output


SOUND_ITEM = """\
+++
id = "E05"
title = "通话录音"
type = "communication"
view = "audio"
files = ["files/call.wav", "files/call.srt"]
transcript = "files/call.srt"

[source]
method = "retrieval"
collected_at = {collected_at}

[[source.hash]]
file = "files/call.wav"
algorithm = "sha256"
value = "{wav_sha256}"

[[source.hash]]
file = "files/call.srt"
algorithm = "sha256"
value = "{srt_sha256}"

[[source.file]]
file = "files/call.wav"
size = {wav_size}

[[shows]]
fact = "F1"
aspect = "identity"

[[step]]
label = "开头"
file = "files/call.wav"
clip = {clip}
+++
"""
SOUND = "items/e05-call.md"
SRT = "1\n00:00:00,000 --> 00:00:01,500\n喂，陈老师吗？\n"


def write_sound(path: Path, seconds: float) -> None:
    with wave.open(str(path), "wb") as sound:
        sound.setnchannels(1)
        sound.setsampwidth(2)
        sound.setframerate(8000)
        sound.writeframes(b"\0\0" * int(8000 * seconds))


def add_sound_item(
    deck: Path,
    clip: str = '["00:00:00", "00:00:01.5"]',
    collected_at: str = "2024-03-05T14:30:00+08:00",
) -> None:
    """A two-second recording with its transcript, as an audio item of the deck."""
    write_sound(deck / "files" / "call.wav", 2.0)
    (deck / "files" / "call.srt").write_text(SRT, encoding="utf-8")
    wav = (deck / "files" / "call.wav").read_bytes()
    (deck / SOUND).write_text(
        SOUND_ITEM.format(
            wav_sha256=hashlib.sha256(wav).hexdigest(),
            srt_sha256=hashlib.sha256(SRT.encode()).hexdigest(),
            wav_size=len(wav),
            clip=clip,
            collected_at=collected_at,
        ),
        encoding="utf-8",
    )


def test_the_sound_item_checks_clean(cli, deck_dir):
    add_sound_item(deck_dir)
    result = cli.check(deck_dir)
    assert result.exit_code == 0 and "0 errors, 0 warnings" in result.output, result.output


@pytest.mark.parametrize(
    ("old", "new", "where"),
    [
        (
            'transcript = "files/call.srt"',
            'transcript = "./files/call.srt"',
            "7: error: transcript",
        ),
        (
            'file = "files/call.wav"\nsize',
            'file = "files//call.wav"\nsize',
            "24: error: source.file[0].file",
        ),
        (
            'file = "files/call.wav"\nclip',
            'file = "files/call.wav "\nclip',
            "33: error: step[0].file",
        ),
    ],
    ids=["transcript", "source_file", "step_file"],
)
def test_other_paths_spelled_otherwise_are_one_error(cli, deck_dir, old, new, where):
    add_sound_item(deck_dir)
    edit(deck_dir / SOUND, old, new)
    line = only_error(cli.check(deck_dir))
    assert line.startswith(f"{SOUND}:{where}: the path "), line


# --- 4. item files not named *.md -----------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "fixed"),
    [
        ("E12.MD", "E12.md"),
        ("e12.txt", "e12.md"),
        ("e12.md.txt", "e12.md"),
        ("e12.toml", "e12.md"),
        ("e12.markdown", "e12.md"),
    ],
)
def test_an_item_file_not_ending_in_md_is_reported(cli, deck_dir, name, fixed):
    (deck_dir / "items" / name).write_text(CODE_ITEM, encoding="utf-8")
    line = only_error(cli.check(deck_dir))
    assert line.startswith(f"items/{name}: error: 'items/{name}' is not read:"), line
    assert "must end in '.md' (lowercase)" in line and f"rename it '{fixed}'" in line


def test_hidden_files_and_folders_in_items_are_not_items(cli, deck_dir):
    items = deck_dir / "items"
    for name in (".DS_Store", ".e12.md.swp", "~$e12.md", "e01-chat.md~", "Thumbs.db"):
        (items / name).write_bytes(b"\x00\x01")
    (items / "drafts").mkdir()
    (items / "drafts" / "e12.txt").write_text("x", encoding="utf-8")
    result = cli.check(deck_dir)
    assert result.exit_code == 0 and "0 errors, 0 warnings" in result.output, result.output


def test_a_misnamed_item_is_said_in_chinese(cli, deck_dir):
    (deck_dir / "items" / "E12.MD").write_text(CODE_ITEM, encoding="utf-8")
    result = cli("check", deck_dir, "--instance", cli.instance)
    assert "items/E12.MD: error: “items/E12.MD”不会被读取：证据项文件名须以小写的“.md”结尾" in (
        result.output
    )


# --- 5. what check did not catch ------------------------------------------------------------


@pytest.mark.parametrize("when", ["2999-01-01T09:00:00+08:00", "2999-01-01"])
def test_collected_at_in_the_future_is_an_error(cli, deck_dir, when):
    edit(deck_dir / CHAT, "collected_at = 2024-03-05T14:30:00+08:00", f"collected_at = {when}")
    line = only_error(cli.check(deck_dir))
    assert line.startswith(f"{CHAT}:15: error: source.collected_at: collected_at {when}"), line
    assert "is later than now" in line


def test_collected_yesterday_in_the_decks_zone_is_fine(cli, deck_dir):
    yesterday = dt.datetime.now(dt.timezone(dt.timedelta(hours=8))).date() - dt.timedelta(days=1)
    edit(deck_dir / CHAT, "2024-03-05T14:30:00+08:00", yesterday.isoformat())
    assert cli.check(deck_dir).exit_code == 0


def test_an_empty_exhibit_file_is_one_error(cli, deck_dir):
    (deck_dir / "files" / "admin.php").write_bytes(b"")
    line = only_error(cli.check(deck_dir))  # not also a hash mismatch or lines out of range
    assert line.startswith(f"{CODE}:6: error: files[0]: the file 'files/admin.php' is empty"), line


def test_an_empty_chat_csv_is_one_error(cli, deck_dir):
    (deck_dir / "files" / "chat.csv").write_bytes(b"")
    line = only_error(cli.check(deck_dir))  # not also missing columns or messages beyond it
    assert "the file 'files/chat.csv' is empty (0 bytes)" in line


def facts_left_blank(deck: Path, blank: str) -> None:
    """Every [[shows]] of F1 (the chat and the screenshot) names `blank` instead."""
    edit(deck / CHAT, 'fact = "F1"\naspect', f'fact = "{blank}"\naspect')
    edit(deck / SHOT, 'fact = "F1"', f'fact = "{blank}"')
    edit(deck / CHAT, 'with = "C1"\nfact = "F1"', 'with = "C1"')


def test_no_fact_is_said_unshown_while_a_shows_fact_is_a_blank(cli, deck_dir):
    facts_left_blank(deck_dir, "TODO")
    result = cli.check(deck_dir)
    assert result.exit_code == 1
    assert "no item shows the fact" not in result.output, result.output
    assert [line.split(": error: ")[1] for line in errors(result)] == [
        "shows[0].fact: still to be filled in (TODO)",
        "shows[0].fact: still to be filled in (TODO)",
    ]


def test_a_fact_is_said_unshown_once_the_blanks_are_filled(cli, deck_dir):
    facts_left_blank(deck_dir, "F2")
    result = cli.check(deck_dir)
    assert "deck.toml:9: warning: fact[0].id: no item shows the fact 'F1'" in result.output


def test_a_clip_beyond_the_recording_is_an_error_naming_its_length(cli, deck_dir):
    add_sound_item(deck_dir, clip='["00:00:01", "00:00:05"]')
    line = only_error(cli.check(deck_dir))
    assert line.startswith(f"{SOUND}:34: error: step[0].clip: the clip ends at 00:00:05"), line
    assert "after the end of 'files/call.wav' (00:00:02 long)" in line


def test_a_clip_to_the_recordings_very_end_is_fine(cli, deck_dir):
    add_sound_item(deck_dir, clip='["00:00:01", "00:00:02"]')
    assert cli.check(deck_dir).exit_code == 0


def test_duration_of_a_recording_and_of_what_is_none(tmp_path):
    sound = tmp_path / "a.wav"
    write_sound(sound, 2.0)
    assert probe.duration(sound) == pytest.approx(2.0, abs=0.01)
    write_sound(sound, 3.5)  # another size: asked again, not the remembered answer
    assert probe.duration(sound) == pytest.approx(3.5, abs=0.01)
    text = tmp_path / "a.txt"
    text.write_text("not a recording", encoding="utf-8")
    assert probe.duration(text) is None
    assert probe.duration(tmp_path / "missing.wav") is None


def test_ffmpeg_durations_are_read_from_its_report():
    assert probe.parse_duration("  Duration: 00:01:02.50, start: 0.000000") == 62.5
    assert probe.parse_duration("  Duration: 01:00:00.00, bitrate: N/A") == 3600.0
    assert probe.parse_duration("  Duration: N/A, bitrate: N/A") is None


# --- 6. typos in keys and tables ------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "old", "new", "at", "meant"),
    [
        (CODE, "[source]", "[sources]", f"{CODE}:8", "source"),
        (CODE, "[[step]]", "[[steps]]", f"{CODE}:20", "step"),
        (CHAT, "[columns]", "[colums]", f"{CHAT}:8", "columns"),
        (CODE, 'title = "平', 'titel = "平', f"{CODE}:3", "title"),
        ("deck.toml", "[case]", "[cases]", "deck.toml:3", "case"),
    ],
    ids=["sources", "steps", "colums", "titel", "cases"],
)
def test_a_typo_in_a_key_is_one_error_with_its_line_and_the_key_meant(
    cli, deck_dir, path, old, new, at, meant
):
    edit(deck_dir / path, old, new)
    typo = new.strip("[]").split(" ")[0]
    expected = f"{at}: error: {typo}: unknown key {typo}: did you mean {meant}?"
    assert only_error(cli.check(deck_dir)) == expected  # not also the key meant, missing


def test_a_typo_suggestion_is_said_in_chinese(cli, deck_dir):
    edit(deck_dir / CODE, "[source]", "[sources]")
    result = cli("check", deck_dir, "--instance", cli.instance)
    assert f"{CODE}:8: error: sources: 未知的键 sources，是否应为 source？" in result.output


def test_a_top_level_key_written_under_a_table_says_where_it_belongs(cli, deck_dir):
    edit(deck_dir / CODE, 'method = "onsite"', 'method = "onsite"\nexcluded = false')
    line = only_error(cli.check(deck_dir))
    assert line.startswith(
        f"{CODE}:10: error: source.excluded: excluded is not a key of [source] but of the top level"
    ), line


def test_a_key_of_a_table_written_above_it_is_one_error(cli, deck_dir):
    edit(deck_dir / CODE, '[source]\nmethod = "onsite"', 'method = "onsite"\n[source]')
    line = only_error(cli.check(deck_dir))  # not also source.method missing
    assert line.startswith(f"{CODE}:8: error: method: method is not a key of the top level"), line
    assert "so move it to [source]" in line


def test_an_unknown_key_like_no_known_one_says_to_check_it(cli, deck_dir):
    edit(deck_dir / CODE, 'view = "code"', 'view = "code"\ncolour = "red"')
    assert only_error(cli.check(deck_dir)) == (
        f"{CODE}:6: error: colour: unknown key: check its spelling, or remove it"
    )


def test_a_missing_top_level_key_is_said_at_the_front_matter(cli, deck_dir):
    edit(deck_dir / CODE, 'title = "平台后台源代码"\n', "")
    assert only_error(cli.check(deck_dir)) == f"{CODE}:1: error: title: required key missing"
