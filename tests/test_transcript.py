"""Transcripts (presenter/transcript.py): SRT, WebVTT and CSV read to timed lines, and a file
that is not one named at its line, by the reader and by `check`."""

from __future__ import annotations

import pytest

from presenter.transcript import Cue, TranscriptError, parse_time, read

from .deckfactory import edit


@pytest.mark.parametrize(
    ("text", "seconds"),
    [
        ("00:01:02,500", 62.5),
        ("00:01:02.500", 62.5),
        ("01:02.5", 62.5),
        ("1:00:00", 3600.0),
        ("62.5", 62.5),
        ("62,5", 62.5),
        ("0", 0.0),
        (" 00:00:09 ", 9.0),
    ],
)
def test_times_are_read_in_every_form_a_transcript_uses(text, seconds):
    assert parse_time(text) == seconds


@pytest.mark.parametrize("text", ["", "abc", "00:61:00", "00:00:60", "1:2:3:4", "-5", "1e3"])
def test_what_is_not_a_time_is_none(text):
    assert parse_time(text) is None


def test_srt_lines_lose_their_tags_and_keep_their_text(tmp_path):
    path = tmp_path / "call.srt"
    path.write_text(
        "\ufeff1\r\n00:00:06,500 --> 00:00:08,100\r\n老师 &amp; <i>我</i>\r\n第二行\r\n\r\n"
        "2\r\n00:00:02,000 --> 00:00:06,000\r\n陈姐\r\n",
        encoding="utf-8",
    )
    assert read(path) == [Cue(2.0, 6.0, "陈姐"), Cue(6.5, 8.1, "老师 & 我\n第二行")]


def test_webvtt_skips_its_header_notes_and_styles_and_names_the_voice(tmp_path):
    path = tmp_path / "call.vtt"
    path.write_text(
        "WEBVTT - 通话\n\nNOTE 侦查员备注\n不显示\n\nSTYLE\n::cue { color: red }\n\n"
        "intro\n00:02.000 --> 00:05.500 align:start position:10%\n<v 明远老师>稳赚不赔</v>\n\n"
        "01:00:00.000 --> 01:00:01.000\n&lt;b&gt;\n",
        encoding="utf-8",
    )
    assert read(path) == [Cue(2.0, 5.5, "明远老师：稳赚不赔"), Cue(3600.0, 3601.0, "<b>")]


def test_a_csv_transcript_has_start_and_text_and_may_have_end_and_speaker(tmp_path):
    path = tmp_path / "call.csv"
    path.write_text(
        'Start,Speaker,Text,End\n2,明远老师,陈姐,6\n00:06.5,陈某,"老师,我",\n\n9,,第三句,\n',
        encoding="utf-8",
    )
    assert read(path) == [
        Cue(2.0, 6.0, "明远老师：陈姐"),
        Cue(6.5, None, "陈某：老师,我"),  # until the next line begins
        Cue(9.0, None, "第三句"),
    ]


@pytest.mark.parametrize(
    ("name", "content", "line", "words"),
    [
        ("a.srt", "1\n00:00:01,000 --> 00:00:02,000\n好\n\n2\n00:00:0x --> 00:00:04\n坏\n", 6,
         "not a time: '00:00:0x'"),
        ("b.srt", "1\n00:00:01,000 --> 00:00:02,000\n好\n\n2\n第二句没有时间\n", 6,
         "expected a timing line 'start --> end'"),
        ("c.srt", "1\n00:00:05,000 --> 00:00:02,000\n倒了\n", 2, "the end is before the start"),
        ("d.vtt", "\n\n00:01.000 --> 00:02.000\n没有开头\n", 3, "a WebVTT file begins with WEBVTT"),
        ("e.csv", "time,words\n1,好\n", 1, "a CSV transcript has start and text columns"),
        ("f.csv", "start,text\n1,好\n\n\"多行\n单元格\",坏\n", 4, "not a time: '多行\\n单元格'"),
    ],
)  # fmt: skip
def test_a_file_that_is_no_transcript_is_named_at_its_line(tmp_path, name, content, line, words):
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    with pytest.raises(TranscriptError) as raised:
        read(path)
    assert raised.value.line == line
    assert raised.value.words[1].startswith(words)
    assert raised.value.words[0]  # and in Chinese


def test_bytes_that_are_not_utf8_are_named_at_their_line(tmp_path):
    path = tmp_path / "gbk.srt"
    path.write_bytes(b"1\n00:00:01,000 --> 00:00:02,000\n" + "陈姐".encode("gbk"))
    with pytest.raises(TranscriptError) as raised:
        read(path)
    assert (raised.value.line, raised.value.words[1]) == (3, "the file is not UTF-8")


# --- `check` ---------------------------------------------------------------------------------

AUDIO_ITEM = """\
+++
id = "E05"
title = "通话录音"
type = "communication"
view = "audio"
files = ["files/call.wav", "files/call.srt"]
transcript = "files/call.srt"

[source]
method = "retrieval"

[[shows]]
fact = "F1"
aspect = "identity"
+++
"""


@pytest.fixture
def audio_deck(deck_dir):
    (deck_dir / "files" / "call.wav").write_bytes(b"RIFF")  # check does not decode sound
    (deck_dir / "files" / "call.srt").write_text(
        "1\n00:00:01,000 --> 00:00:02,000\n好\n", encoding="utf-8"
    )
    (deck_dir / "items" / "e05-call.md").write_text(AUDIO_ITEM, encoding="utf-8")
    return deck_dir


def problems(cli, deck) -> list[str]:
    return [line for line in cli.check(deck).output.splitlines() if ": error: " in line]


def test_check_takes_a_transcript_listed_among_the_files_of_audio(cli, audio_deck):
    assert problems(cli, audio_deck) == []


def test_check_names_a_malformed_transcript_at_its_file_and_line(cli, audio_deck):
    (audio_deck / "files" / "call.srt").write_text(
        "1\n00:00:01,000 --> 00:00:02,000\n好\n\n2\n00:00:03 -> 00:00:04\n坏\n", encoding="utf-8"
    )
    assert problems(cli, audio_deck) == [
        "items/e05-call.md:7: error: transcript: the transcript files/call.srt:6 cannot be"
        " read: expected a timing line 'start --> end'"
    ]
    chinese = cli("check", audio_deck, "--instance", cli.instance).output
    assert "文字记录 files/call.srt:6 无法读取：应为“开始 --> 结束”的时间行" in chinese


def test_a_transcript_must_be_one_of_the_files_of_a_media_item(cli, audio_deck):
    item = audio_deck / "items" / "e05-call.md"
    edit(item, 'files = ["files/call.wav", "files/call.srt"]', 'files = ["files/call.wav"]')
    assert problems(cli, audio_deck) == [
        "items/e05-call.md:7: error: transcript: the transcript 'files/call.srt' is not one"
        " of the item's files"
    ]
    edit(item, 'view = "audio"', 'view = "image"')
    edit(item, 'files = ["files/call.wav"]', 'files = ["files/shot.png"]')
    assert problems(cli, audio_deck) == [
        "items/e05-call.md:7: error: transcript: the image view does not take this key"
    ]


def test_a_transcript_of_another_kind_or_alone_is_refused(cli, audio_deck):
    (audio_deck / "files" / "call.txt").write_text("好\n", encoding="utf-8")
    item = audio_deck / "items" / "e05-call.md"
    edit(item, '"files/call.srt"]', '"files/call.txt"]')
    edit(item, 'transcript = "files/call.srt"', 'transcript = "files/call.txt"')
    assert problems(cli, audio_deck) == [
        "items/e05-call.md:7: error: transcript: the transcript 'files/call.txt' is not an"
        " .srt, .vtt or .csv file"
    ]
    edit(item, 'files = ["files/call.wav", "files/call.txt"]', 'files = ["files/call.txt"]')
    assert "error: files: besides its transcript, the audio view needs a sound or video file" in (
        cli.check(audio_deck).output
    )


def test_a_transcripts_recorded_hash_is_checked_like_any_file(cli, audio_deck):
    item = audio_deck / "items" / "e05-call.md"
    edit(
        item,
        'method = "retrieval"\n',
        'method = "retrieval"\n\n[[source.hash]]\nfile = "files/call.srt"\nalgorithm = "md5"\n'
        'value = "00000000000000000000000000000000"\n',
    )
    assert any("error: source.hash[0].value: the md5 of 'files/call.srt' does not match" in p
               for p in problems(cli, audio_deck))  # fmt: skip
