"""Attacks on the live additions (expert key, server clocks, attachment, transcripts): each
test here is a defect once found by trying to break them, kept so that it stays fixed."""

from __future__ import annotations

import gc
import hashlib
import json
import math
import time
from pathlib import Path

import pytest

from presenter.deck import load_deck
from presenter.live.state import LiveState
from presenter.live.timers import MAX_COUNTDOWN, Timers

from .conftest import PRESENTER_KEY, PUBLIC_KEY, SCREEN_KEY, court_app, keyed_client

SRT = "files/call-2026-03-17.srt"
SRT_HASH = "49d77382092a7ec71abd8d0382a1cfdd02ef1b7f4a25814d0632cbfda8b790dc"


def with_transcript(deck: Path, text: str) -> Path:
    """The demo deck with E05's transcript replaced (and its recorded hash with it, so the
    exhibit stays verified and on the screens)."""
    data = text.encode("utf-8")
    (deck / SRT).write_bytes(data)
    item = deck / "items" / "e05-call.md"
    item.write_text(item.read_text().replace(SRT_HASH, hashlib.sha256(data).hexdigest()))
    return deck


HUGE_HOURS = "1\n" + "1" * 400 + ":00:00,000 --> " + "1" * 400 + ":00:01,000\n陈姐\n"
"""A cue whose hours overflow a float: int(hours) * 3600 + seconds raises OverflowError."""
HUGE_HOURS_DIGITS = "1\n" + "1" * 5000 + ":00:00,000 --> 00:00:01,000\n陈姐\n"
"""Hours past Python's 4,300-digit int limit: int() raises ValueError."""


# --- the expert's key ---------------------------------------------------------------------


def expert_key(app) -> str:
    return app.extensions["shizheng.court"].access.expert_key


@pytest.mark.parametrize("cookie_kind", ["screen", "public", "pair"])
def test_expert_key_in_another_cookie_gets_notes_challenges_and_review(
    deck_copy, instance, cookie_kind
):
    """auth.expert() looks for the expert's key in the presenter cookie only, while
    request_kind() accepts it (as 'presenter') from ANY of the instance's cookies. An expert
    who puts their key in the screen, public or pair cookie (curl -b, devtools) passes
    @requires("presenter") yet is not recognised as the expert: /present/deck.json then
    carries every exhibit's notes, prepared responses and review."""
    with court_app(deck_copy, instance) as app:
        names = app.extensions["shizheng.court"].cookies
        browser = app.test_client()
        browser.set_cookie(names[cookie_kind], expert_key(app))
        response = browser.get("/present/deck.json")
        assert response.status_code in (200, 403)
        if response.status_code == 200:
            leaked = [
                (e["id"], key)
                for e in response.get_json()["exhibits"]
                for key in ("notes", "challenges", "review")
                if key in e
            ]
            assert not leaked, f"expert's key via the {cookie_kind} cookie got {leaked[:4]}"


def test_expert_key_via_screen_cookie_reads_the_notes_text(deck_copy, instance):
    """The same hole, shown with the words themselves: E05's note below `???` and its
    prepared response reach the holder of the expert's key."""
    with court_app(deck_copy, instance) as app:
        names = app.extensions["shizheng.court"].cookies
        browser = app.test_client()
        browser.set_cookie(names["screen"], expert_key(app))
        text = browser.get("/present/deck.json").get_data(as_text=True)
        assert "录音只有 34 秒" not in text  # E05's note, below ???
        assert "说话人身份由通话号码的机主" not in text  # E05's [[challenge]] response


# --- transcripts --------------------------------------------------------------------------


@pytest.mark.parametrize("srt", [HUGE_HOURS, HUGE_HOURS_DIGITS], ids=["overflow", "4300-digits"])
def test_check_names_a_transcript_time_with_huge_hours_instead_of_crashing(deck_copy, srt):
    """parse_time does int(hours) * 3600 + float(seconds) on an unbounded `(\\d+):` group:
    OverflowError or ValueError escape transcript.read, so loading the deck (and `check`)
    dies with a traceback instead of naming the line."""
    with_transcript(deck_copy, srt)
    try:
        report = load_deck(deck_copy)
    except (OverflowError, ValueError) as error:
        pytest.fail(f"loading the deck raised {type(error).__name__}: {error!s:.80}")
    assert report.deck is None or any("transcript" in p.render("en") for p in report.problems)


@pytest.mark.parametrize("srt", [HUGE_HOURS, HUGE_HOURS_DIGITS], ids=["overflow", "4300-digits"])
def test_transcript_edited_on_disk_with_huge_hours_does_not_500_the_screens(
    deck_copy, instance, srt
):
    """views.media.cues catches TranscriptError only: a transcript rewritten during the
    hearing with a huge hours field makes the exhibit's fragment a 500 for every screen
    (the public gallery's included), where an unreadable one says 文字记录暂时无法读取."""
    with court_app(deck_copy, instance) as app:
        for key in (SCREEN_KEY, PUBLIC_KEY):
            assert keyed_client(app, key).get("/screen/exhibit/E05/content").status_code == 200
        (deck_copy / SRT).write_text(srt, encoding="utf-8")
        for key in (SCREEN_KEY, PUBLIC_KEY):
            try:
                response = keyed_client(app, key).get("/screen/exhibit/E05/content")
            except (OverflowError, ValueError) as error:
                pytest.fail(f"the fragment raised {type(error).__name__} (a 500 when served)")
            assert response.status_code == 200


def test_a_transcript_time_of_infinite_seconds_is_refused(deck_copy):
    """A plain-seconds time of 400 digits reads as float('inf'): `check` takes it without a
    word and the screens get data-start="inf" (NaN in the page's JavaScript)."""
    with_transcript(deck_copy, "1\n" + "9" * 400 + " --> " + "9" * 401 + "\n陈姐\n")
    report = load_deck(deck_copy)
    assert report.deck is None or any("transcript" in p.render("en") for p in report.problems)


# --- timers.json tampered with ------------------------------------------------------------


@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
def test_a_deeply_nested_timers_json_does_not_stop_the_server_starting(deck_copy, instance):
    """Timers._load catches OSError and ValueError; json.loads of a deeply nested file
    raises RecursionError, so the Court (and the app) cannot be made: the server will not
    start until someone finds and deletes instance/<deck>/timers.json."""
    (instance / "demo").mkdir(parents=True)
    (instance / "demo" / "timers.json").write_text("[" * 100_000 + "]" * 100_000)
    refused = False
    try:
        with court_app(deck_copy, instance) as app:
            assert app.extensions["shizheng.court"].timers.to_json()["countdown"] is None
    except RecursionError:
        refused = True
    gc.collect()  # the record the half-made Court opened and never closed: collected here
    assert not refused, "a nested timers.json stops the server from starting (RecursionError)"


def tampered(path: Path, **values) -> Path:
    path.write_text(json.dumps({"now": time.time(), **values}))
    return path


def test_a_tampered_countdown_is_held_to_what_the_timer_event_allows(tmp_path):
    """set_countdown refuses anything outside 1..86400 s, but _load takes any finite
    number: a timers.json edited to a negative or astronomic countdown is kept and sent to
    the presenter and the expert as it is."""
    path = tampered(tmp_path / "timers.json", countdown={"seconds": -5e300, "from": 1e300})
    countdown = Timers(path).to_json()["countdown"]
    assert countdown is None or 1 <= countdown["seconds"] <= MAX_COUNTDOWN
    assert countdown is None or abs(countdown["from"] - time.time()) < 366 * 86400


def test_tampered_clocks_never_make_the_timers_message_infinite(tmp_path):
    """spent 1.7e308 and since -1.7e308 are each finite, so _load keeps them; when the
    exhibit leaves the screens, spent += now - since overflows to inf. The `timers` message
    then holds Infinity (json.dumps writes it; a browser's JSON.parse refuses the packet),
    and it is saved so into timers.json."""
    path = tampered(
        tmp_path / "timers.json",
        started=-1e308,
        spent={"E01": 1.7e308},
        on="E01",
        since=-1.7e308,
    )
    timers = Timers(path)
    timers.observe(LiveState(deck="demo", item="E02"))
    message = timers.to_json()
    json.dumps(message, allow_nan=False)  # ValueError: Out of range float values
    assert all(math.isfinite(v) for v in message["spent"].values())


def test_tampered_timers_json_cannot_hold_huge_values(tmp_path):
    """Nothing bounds what _load keeps: a 10 MB `on` and 200,000 `spent` entries for
    exhibits that do not exist are all kept, sent to every presenter and expert on each
    connect, and written back."""
    now = time.time()
    path = tampered(
        tmp_path / "timers.json",
        on="E" * 1_000_000,
        since=now,
        spent={f"X{i}": 1.0 for i in range(100_000)},
    )
    message = Timers(path).to_json()
    assert len(json.dumps(message)) < 100_000, "timers.json values are kept however large"


# --- state.json: the new `attachment` ------------------------------------------------------


def test_state_json_cannot_restore_an_attachment_on_a_non_chat_or_out_of_range(deck_copy, instance):
    """LiveState.from_json keeps any positive int as `attachment` and _restored never checks
    it against the exhibit's pictures (unlike the `attachment` command, which refuses
    anything but a message with a picture): a state.json edited to attachment 10**90 on
    E01 (a chart) is restored and broadcast to every screen."""
    (instance / "demo").mkdir(parents=True)
    (instance / "demo" / "state.json").write_text(
        json.dumps({"deck": "demo", "seq": 5, "item": "E01", "attachment": 10**90})
    )
    with court_app(deck_copy, instance) as app:
        state = app.extensions["shizheng.court"].state
        assert state.item == "E01"
        assert state.attachment is None, f"restored attachment {state.attachment}"


def test_presenter_key_still_gets_the_notes(deck_copy, instance):
    """Control: the presenter's own key gets notes (so the tests above test the expert)."""
    with court_app(deck_copy, instance) as app:
        data = keyed_client(app, PRESENTER_KEY).get("/present/deck.json").get_json()
        assert any(e.get("notes") for e in data["exhibits"])


# --- formatting: identifiers grouped --------------------------------------------------------


@pytest.mark.parametrize(
    ("format_", "value"),
    [
        ("count", "13812345678"),  # a mobile as text, through the `count` Jinja filter
        ("count", "110101199003071234"),  # a resident ID as text
        ("figure", 13812345678),  # a mobile read as a number (Polars reads a CSV column so)
        ("figure", 6222021234567890123.0),  # a card number read as a float
        ("amount", 6222021234567890123),
    ],
)
def test_identifiers_are_never_grouped_whatever_their_type(format_, value):
    """formatting.figure checks is_identifier for str only, and `count` never does: a mobile,
    card or ID number given as a number (funds transactions' amounts come from Polars as
    floats) or to `count` comes out as `13,812,345,678`, which the public screen's masking
    (commas are no separator) no longer sees."""
    from presenter import formatting
    from presenter.masking import mask_text

    shown = getattr(formatting, format_)(value)
    assert shown is None or mask_text(shown) != shown or "," not in shown, shown
