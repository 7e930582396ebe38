"""Sound, media and the court's view of them (issue 14 §4): a screen whose browser blocks sound
asks for a click and says so to the presenter; the presenter's scrubber; the screens' progress,
time and transcript line, escaped, and masked for the public gallery."""

from __future__ import annotations

import hashlib
import io
import math
import re
import struct
import subprocess
import time
import wave
from pathlib import Path

import imageio_ffmpeg
import pytest

from presenter.live.court import BLOCKED_REPORTS

from .conftest import (
    CHROMIUM,
    CHROMIUM_FLAGS,
    PRESENTER_KEY,
    PUBLIC_KEY,
    SCREEN_KEY,
    keyed_client,
    serve_deck,
    wait_until,
)
from .deckfactory import write_deck

SECONDS = 20
TRANSCRIPT = """\
1
00:00:01,000 --> 00:00:05,000
明远老师：陈姐 &lt;b&gt;稳赚&lt;/b&gt;

2
00:00:06,000 --> 00:00:09,500
陈某：我的电话是13800000001

3
00:00:12,000 --> 00:00:15,000
第三句
"""
LINES = ["明远老师：陈姐 <b>稳赚</b>", "陈某：我的电话是13800000001", "第三句"]

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

[[source.hash]]
file = "files/call.wav"
algorithm = "sha256"
value = "{wav}"

[[source.hash]]
file = "files/call.srt"
algorithm = "sha256"
value = "{srt}"

[[shows]]
fact = "F1"
aspect = "identity"

[[step]]
label = "第二句"
clip = ["00:00:06", "00:00:09"]
+++
"""


def tone() -> bytes:
    """SECONDS of a quiet 440 Hz tone, as a WAV a browser plays."""
    rate = 8000
    frames = b"".join(
        struct.pack("<h", int(800 * math.sin(2 * math.pi * 440 * i / rate)))
        for i in range(rate * SECONDS)
    )
    out = io.BytesIO()
    with wave.open(out, "wb") as wav:
        wav.setnchannels(1)
        wav.setsampwidth(2)
        wav.setframerate(rate)
        wav.writeframes(frames)
    return out.getvalue()


def write_media_deck(root: Path) -> Path:
    deck = write_deck(root)
    wav, srt = deck / "files" / "call.wav", deck / "files" / "call.srt"
    wav.write_bytes(tone())
    srt.write_text(TRANSCRIPT, encoding="utf-8")
    digests = {
        "wav": hashlib.sha256(wav.read_bytes()).hexdigest(),
        "srt": hashlib.sha256(srt.read_bytes()).hexdigest(),
    }
    (deck / "items" / "e05-call.md").write_text(AUDIO_ITEM.format(**digests), encoding="utf-8")
    return deck


@pytest.fixture
def deck_dir(tmp_path: Path) -> Path:
    """The factory deck with an audio exhibit (E05) and its transcript (the `app` and
    `live_server` fixtures serve this)."""
    return write_media_deck(tmp_path / "case-1")


def court_of(app):
    return app.extensions["shizheng.court"]


def command(app, **fields) -> None:
    outcome = court_of(app).presentation.command(fields, "presenter")
    assert outcome.ok, outcome.error


# --- the transcript in the exhibit ----------------------------------------------------------


def test_the_exhibit_carries_its_transcript_escaped_under_the_media(app):
    html = keyed_client(app, SCREEN_KEY).get("/screen/exhibit/E05/content").text
    view = html[html.index('class="media-view"') :]
    assert view.index("<audio") < view.index('data-role="media-progress"')
    assert view.index('data-role="media-time"') < view.index('data-role="transcript-line"')
    cues = re.findall(r'<li data-start="([^"]*)" data-end="([^"]*)">([^<]*)</li>', html)
    assert cues == [
        ("1.0", "5.0", "明远老师：陈姐 &lt;b&gt;稳赚&lt;/b&gt;"),
        ("6.0", "9.5", "陈某：我的电话是13800000001"),
        ("12.0", "15.0", "第三句"),
    ]
    assert "<b>" not in view
    assert "call.wav" in view and "call.srt" not in view.split("<ol")[0]


def test_the_public_gallery_gets_the_transcript_masked(app):
    command(app, action="goto", item="E05")
    html = keyed_client(app, PUBLIC_KEY).get("/screen/exhibit/E05/content").text
    assert "13800000001" not in html
    assert "陈某：我的电话是138****0001" in html
    # and its original is never sent to the public gallery (sound and video only)
    assert keyed_client(app, PUBLIC_KEY).get("/files/E05/files/call.srt").status_code in (403, 404)


def test_a_transcript_broken_after_the_check_says_so_and_the_sound_still_plays(app, deck_dir):
    (deck_dir / "files" / "call.srt").write_bytes(b"\xff\xfe not a transcript")
    response = keyed_client(app, SCREEN_KEY).get("/screen/exhibit/E05/content")
    assert response.status_code == 200
    assert "文字记录暂时无法读取" in response.text and "<audio" in response.text


# --- a screen reports that its browser blocks sound ----------------------------------------


def sockets(app):
    socketio = app.extensions["socketio"]
    presenter = socketio.test_client(
        app, namespace="/live", auth={"key": PRESENTER_KEY, "role": "presenter"}
    )
    screen = socketio.test_client(app, namespace="/live", auth={"key": SCREEN_KEY, "name": "judge"})
    return presenter, screen


def screen_lists(client) -> list[list[dict]]:
    return [m["args"][0] for m in client.get_received("/live") if m["name"] == "screens"]


def judge(screens: list[dict]) -> dict:
    return next(s for s in screens if s["name"] == "judge")


def test_a_screen_says_its_browser_blocks_sound_and_the_presenters_list_shows_it(app):
    presenter, screen = sockets(app)
    assert judge(screen_lists(presenter)[-1])["blocked"] is False
    screen.emit("media_blocked", True, namespace="/live")
    assert judge(screen_lists(presenter)[-1])["blocked"] is True
    screen.emit("media_blocked", False, namespace="/live")
    assert judge(screen_lists(presenter)[-1])["blocked"] is False
    screen.emit("name", "defence", namespace="/live")
    screen.emit("media_blocked", True, namespace="/live")
    renamed = screen_lists(presenter)[-1]
    assert next(s for s in renamed if s["name"] == "defence")["blocked"] is True
    screen.disconnect(namespace="/live")  # a reconnection starts unblocked: the page says again
    assert all(s["role"] != "screen" for s in screen_lists(presenter)[-1])
    presenter.disconnect(namespace="/live")


@pytest.mark.parametrize("payload", [None, "true", 1, {"blocked": True}, [True]])
def test_a_report_that_is_not_true_or_false_is_ignored(app, payload):
    presenter, screen = sockets(app)
    screen_lists(presenter)
    screen.emit("media_blocked", payload, namespace="/live")
    screen.emit("media_blocked", True, False, namespace="/live")  # one argument only
    assert screen_lists(presenter) == []
    assert judge(court_of(app).screens())["blocked"] is False


def test_only_a_court_screen_reports_and_the_public_gallery_is_not_heard(app):
    socketio = app.extensions["socketio"]
    presenter, _ = sockets(app)
    gallery = socketio.test_client(app, namespace="/live", auth={"key": PUBLIC_KEY})
    screen_lists(presenter)
    presenter.emit("media_blocked", True, namespace="/live")
    gallery.emit("media_blocked", True, namespace="/live")
    assert screen_lists(presenter) == []
    assert not any(s["blocked"] for s in court_of(app).screens())


def test_a_flood_of_reports_reaches_the_presenters_a_bounded_number_of_times(app):
    presenter, screen = sockets(app)
    screen_lists(presenter)
    for n in range(200):
        screen.emit("media_blocked", n % 2 == 0, namespace="/live")
    assert len(screen_lists(presenter)) == BLOCKED_REPORTS
    # the last word is kept, and told with the next change heard
    assert judge(court_of(app).screens())["blocked"] is False


# --- in Chromium -----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def strict_browser(browser):
    """Chromium as a court's browser is by default: no sound before a click in the window."""
    strict = browser.browser_type.launch(
        executable_path=CHROMIUM,
        args=[*CHROMIUM_FLAGS, "--autoplay-policy=document-user-activation-required"],
    )
    yield strict
    strict.close()


@pytest.fixture(scope="module")
def free_browser(browser):
    """Chromium told to play sound without a click (a kiosk's flags)."""
    free = browser.browser_type.launch(
        executable_path=CHROMIUM,
        args=[*CHROMIUM_FLAGS, "--autoplay-policy=no-user-gesture-required"],
    )
    yield free
    free.close()


class Window:
    """A page in a context of its own, its errors kept."""

    def __init__(self, browser, url: str) -> None:
        self.context = browser.new_context(viewport={"width": 1280, "height": 720})
        self.page = self.context.new_page()
        self.errors: list[str] = []
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.goto(url)

    def js(self, expression: str):
        return self.page.evaluate(expression)


@pytest.fixture
def windows():
    opened: list[Window] = []

    def open_window(browser, url: str) -> Window:
        window = Window(browser, url)
        opened.append(window)
        return window

    yield open_window
    for window in opened:
        window.context.close()


AUDIO = "document.querySelector('#stage audio')"


def on_screen(window: Window, item: str) -> None:
    wait_until(lambda: window.js(f"document.getElementById('stage').dataset.item === '{item}'"))
    wait_until(lambda: window.js(f"{AUDIO}?.readyState >= 1"), 15)


def test_a_blocked_screen_asks_for_a_click_and_then_plays_with_sound_where_the_state_is(
    app, live_server, strict_browser, windows
):
    command(app, action="goto", item="E05")
    command(app, action="blank", mode=None)
    screen = windows(strict_browser, f"{live_server}/screen?key={SCREEN_KEY}&name=judge")
    on_screen(screen, "E05")
    button = screen.page.locator("#sound-unlock")
    assert button.is_hidden()  # not the sound screen: nothing to ask
    command(app, action="sound", screen="judge")
    command(app, action="media", op="play", position=2.0)
    # it asks at once, plays in step without sound meanwhile, and the presenters know
    wait_until(lambda: button.is_visible())
    assert button.inner_text() == "点击此处启用声音"
    wait_until(lambda: screen.js(f"!{AUDIO}.paused && {AUDIO}.muted && {AUDIO}.currentTime > 2"))
    wait_until(lambda: judge(court_of(app).screens())["blocked"])
    button.click()
    wait_until(lambda: screen.js(f"!{AUDIO}.paused && !{AUDIO}.muted"))
    assert button.is_hidden()
    wait_until(lambda: not judge(court_of(app).screens())["blocked"])
    expected = court_of(app).state.media.now(time.time())
    assert abs(screen.js(f"{AUDIO}.currentTime") - expected) < 1.0
    # a reload loses the browser's permission: the screen asks again at once, even once the
    # sound has gone back to the presenter (it remembers it may need sound this session)
    command(app, action="sound", screen=None)
    screen.page.reload()
    on_screen(screen, "E05")
    wait_until(lambda: button.is_visible())
    wait_until(lambda: judge(court_of(app).screens())["blocked"])
    assert screen.js(f"{AUDIO}.muted")
    assert screen.errors == []


def test_a_screen_whose_browser_lets_it_play_sound_never_asks(
    app, live_server, free_browser, windows
):
    command(app, action="goto", item="E05")
    command(app, action="blank", mode=None)
    command(app, action="sound", screen="judge")
    screen = windows(free_browser, f"{live_server}/screen?key={SCREEN_KEY}&name=judge")
    on_screen(screen, "E05")
    command(app, action="media", op="play", position=1.0)
    wait_until(lambda: screen.js(f"!{AUDIO}.paused && !{AUDIO}.muted && {AUDIO}.currentTime > 1"))
    assert screen.page.locator("#sound-unlock").is_hidden()
    assert judge(court_of(app).screens())["blocked"] is False
    assert screen.errors == []


def test_the_public_gallery_plays_no_sound_and_asks_for_no_click(
    app, live_server, strict_browser, windows
):
    command(app, action="goto", item="E05")
    command(app, action="blank", mode=None)
    command(app, action="sound", screen="public")  # even named, the gallery stays silent
    gallery = windows(strict_browser, f"{live_server}/screen?key={PUBLIC_KEY}")
    on_screen(gallery, "E05")
    command(app, action="media", op="play", position=1.0)
    wait_until(lambda: gallery.js(f"!{AUDIO}.paused && {AUDIO}.currentTime > 1"))
    assert gallery.js(f"{AUDIO}.muted")
    assert gallery.page.locator("#sound-unlock").is_hidden()
    assert not any(s["blocked"] for s in court_of(app).screens())
    assert gallery.errors == []


def test_the_presenter_sees_which_screen_blocks_sound(
    app, live_server, browser, strict_browser, windows
):
    command(app, action="goto", item="E05")
    presenter = windows(browser, f"{live_server}/present?key={PRESENTER_KEY}")
    screen = windows(strict_browser, f"{live_server}/screen?key={SCREEN_KEY}&name=judge")
    on_screen(screen, "E05")
    options = "[...document.querySelectorAll('#sound option')].map(o => o.textContent)"
    wait_until(lambda: presenter.js(options) == ["本机（公诉人）", "judge"])
    presenter.page.select_option("#sound", "judge")
    blocked = "#screens .sound-blocked"
    wait_until(lambda: presenter.page.locator(blocked).count() == 1)
    assert presenter.page.locator(blocked).inner_text() == "声音被浏览器阻止"
    assert presenter.js(options) == ["本机（公诉人）", "judge · 声音被浏览器阻止"]
    assert presenter.js("document.getElementById('sound').value") == "judge"
    screen.page.locator("#sound-unlock").click()
    wait_until(lambda: presenter.page.locator(blocked).count() == 0)
    assert presenter.js(options) == ["本机（公诉人）", "judge"]
    assert presenter.errors == [] and screen.errors == []


def test_screens_show_progress_time_and_the_line_being_said(
    app, live_server, free_browser, windows
):
    command(app, action="goto", item="E05")
    command(app, action="blank", mode=None)
    screen = windows(free_browser, f"{live_server}/screen?key={SCREEN_KEY}&name=judge")
    on_screen(screen, "E05")
    time_text = "document.querySelector('#stage [data-role=media-time]').textContent"
    line = "document.querySelector('#stage [data-role=transcript-line]').textContent"
    wait_until(lambda: screen.js(time_text) == "00:00 / 00:20")
    assert screen.js(line) == ""
    command(app, action="media", op="seek", position=7.25)
    wait_until(lambda: screen.js(time_text) == "00:07 / 00:20")
    assert screen.js(line) == LINES[1]
    progress = screen.js("(() => { const p = document.querySelector('#stage progress');"
                         " return [p.value, p.max]; })()")  # fmt: skip
    assert progress[0] == pytest.approx(7.25, abs=0.1) and progress[1] == pytest.approx(SECONDS)
    command(app, action="media", op="seek", position=2.0)
    wait_until(lambda: screen.js(line) == LINES[0])  # text, never markup
    assert screen.page.locator("#stage .transcript-line b").count() == 0
    command(app, action="media", op="seek", position=10.0)  # between two lines: none
    wait_until(lambda: screen.js(time_text) == "00:10 / 00:20")
    assert screen.js(line) == ""
    # playing, the line follows
    command(app, action="media", op="play", position=11.5)
    wait_until(lambda: screen.js(line) == LINES[2], 10)
    # laid out under the media, never over it, and no smaller than the stage's text
    sizes = screen.js("""(() => {
      const px = (el) => parseFloat(getComputedStyle(el).fontSize);
      const stage = document.getElementById('stage');
      const frame = stage.querySelector('.media-frame').getBoundingClientRect();
      const bar = stage.querySelector('.media-bar').getBoundingClientRect();
      const line = stage.querySelector('.transcript-line').getBoundingClientRect();
      return {stage: px(stage.querySelector('.stage-content')),
              time: px(stage.querySelector('.media-time')),
              line: px(stage.querySelector('.transcript-line')),
              frameBottom: frame.bottom, barTop: bar.top, barBottom: bar.bottom,
              lineTop: line.top, lineHeight: line.height,
              stageBottom: stage.getBoundingClientRect().bottom};
    })()""")
    assert sizes["time"] >= sizes["stage"] and sizes["line"] >= sizes["stage"]
    assert sizes["frameBottom"] <= sizes["barTop"] + 0.5
    assert sizes["barBottom"] <= sizes["lineTop"] + 0.5
    assert sizes["lineTop"] + sizes["lineHeight"] <= sizes["stageBottom"] + 0.5
    assert screen.errors == []


def test_the_presenters_scrubber_seeks_every_screen_and_gives_the_arrows_back(
    app, live_server, free_browser, windows
):
    command(app, action="goto", item="E05")
    command(app, action="blank", mode=None)
    presenter = windows(free_browser, f"{live_server}/present?key={PRESENTER_KEY}")
    screen = windows(free_browser, f"{live_server}/screen?key={SCREEN_KEY}&name=judge")
    on_screen(screen, "E05")
    on_screen(presenter, "E05")
    scrubber = presenter.page.locator("#media-seek")
    readout = presenter.page.locator("#media-time")
    wait_until(lambda: scrubber.is_visible() and readout.inner_text() == "00:00 / 00:20")
    wait_until(lambda: float(scrubber.get_attribute("max") or 0) > 0)
    assert presenter.js("Number(document.getElementById('media-seek').max)") == pytest.approx(
        SECONDS
    )
    box = scrubber.bounding_box()
    presenter.page.mouse.click(box["x"] + box["width"] * 0.75, box["y"] + box["height"] / 2)
    wait_until(lambda: court_of(app).state.media.position > 10)
    position = court_of(app).state.media.position
    assert position == pytest.approx(15, abs=1.5)
    assert court_of(app).state.media.playing is False
    wait_until(lambda: abs(screen.js(f"{AUDIO}.currentTime") - position) < 0.1)
    wait_until(lambda: readout.inner_text() == f"00:{int(position):02d} / 00:20")
    # the slider does not keep the arrow keys: → is the next step of the presentation
    assert presenter.js("document.activeElement?.id") != "media-seek"
    before = court_of(app).state.seq
    presenter.page.keyboard.press("ArrowRight")
    wait_until(lambda: court_of(app).state.seq > before)
    assert court_of(app).state.step == 1
    assert court_of(app).state.media.position == 6.0  # the step's clip
    assert presenter.errors == [] and screen.errors == []


VIDEO_ITEM = """\
+++
id = "E06"
title = "监控录像"
type = "file"
view = "video"
files = ["files/监控 通道1.mp4"]

[source]
method = "retrieval"

[[source.hash]]
file = "files/监控 通道1.mp4"
algorithm = "sha256"
value = "{digest}"

[[shows]]
fact = "F1"
aspect = "identity"
+++
"""


def test_a_small_surveillance_video_fills_the_courts_picture(tmp_path, browser):
    """CCTV as offices receive it is often CIF, 352 × 288: every screen shows it as large as
    its frame allows (whole, not cropped), not at its own size in the middle of the picture."""
    deck = write_deck(tmp_path / "decks" / "case-1")
    video = deck / "files" / "监控 通道1.mp4"
    subprocess.run(
        [
            imageio_ffmpeg.get_ffmpeg_exe(), "-hide_banner", "-loglevel", "error", "-y",
            "-f", "lavfi", "-i", "testsrc=duration=2:size=352x288:rate=25",
            "-c:v", "libx264", "-pix_fmt", "yuv420p", str(video),
        ],
        check=True,
    )  # fmt: skip
    digest = hashlib.sha256(video.read_bytes()).hexdigest()
    (deck / "items" / "e06-cctv.md").write_text(VIDEO_ITEM.format(digest=digest), "utf-8")
    with serve_deck(deck, tmp_path / "instance") as served:
        context = browser.new_context(viewport={"width": 1920, "height": 1080})
        try:
            screen = context.new_page()
            screen.goto(f"{served.url}screen?key={SCREEN_KEY}&name=judge")
            presenter = context.new_page()
            presenter.goto(f"{served.url}present?key={PRESENTER_KEY}")
            wait_until(lambda: presenter.evaluate("document.getElementById('stage').dataset.seq"))
            presenter.keyboard.press("End")  # the last exhibit, behind the case's title
            presenter.keyboard.press("ArrowRight")  # the title goes
            shown = "document.querySelector('#stage video')"
            for page in (screen, presenter):
                # its size is known once the page has read the video's header
                wait_until(lambda p=page: p.evaluate(f"{shown}?.readyState >= 1"), 20)
                picture = page.evaluate(
                    f"""(() => {{
                      const v = {shown}, f = v.closest('.media-frame').getBoundingClientRect();
                      const r = v.getBoundingClientRect();
                      const k = Math.min(r.width / v.videoWidth, r.height / v.videoHeight);
                      return {{ w: v.videoWidth * k, h: v.videoHeight * k,
                                fw: f.width, fh: f.height, fit: getComputedStyle(v).objectFit }};
                    }})()"""
                )
                assert picture["fit"] == "contain", "whole, never cropped"
                # as large as the frame allows: its height or its width fills the frame
                assert max(picture["w"] / picture["fw"], picture["h"] / picture["fh"]) > 0.98
            screen.screenshot(path=str(tmp_path / "cctv-1920x1080.png"))
        finally:
            context.close()
