"""The sequence of conduct (E13 of the demo) as a judge reads it: every event drawn carries
its own label, none over another, none cut by the figure's edge, two events of one day each
readable; a span going on past `until` is drawn only up to it and marked as going on; a
file of hundreds of events and dozens of actors draws the latest that have room and says
so; and the presenter's time slider names the very moment the screens' caption names,
whatever the presenter's own time zone."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest

from presenter.charts import ChartView, clock, timeline
from presenter.charts.labels import overlap

from .conftest import PRESENTER_KEY, wait_until
from .screens import BODY_PX_AT_1080, Screens, chart_drawn, demo_screens

ROLES = {"start": "start", "end": "end", "actor": "actor", "event": "event"}
DEMO_CSV = Path(__file__).parent.parent / "decks" / "demo.source" / "files" / "timeline.csv"
CST = dt.timezone(dt.timedelta(hours=8))
STEPS = [None, dt.datetime(2026, 2, 1), dt.datetime(2026, 3, 8), dt.datetime(2026, 3, 22),
         dt.datetime(2026, 5, 13)]  # fmt: skip
"""E13's steps: all of it, then up to each step's `until` (a time without an offset is in
the deck's zone, China Standard Time)."""
SHOWN_AT_STEP = [11, 3, 5, 9, 11]
CHART_TEXT = (Path(__file__).parent / "chart_text.js").read_text(encoding="utf-8")
SIZES = ((1920, 1080), (1024, 768))


def _figure(path: Path, until: dt.datetime | None = None) -> dict:
    return timeline.figure(path, ROLES, ChartView(until=until))


def _placed(path: Path, until: dt.datetime | None = None) -> tuple[timeline.Layout, bool]:
    """The labels the figure of `path` draws up to `until`, as `figure` places them."""
    frame, _ = timeline.readable(path, ROLES)
    first, last = timeline._bounds(frame)
    if until is not None and until.tzinfo is None:
        until = until.replace(tzinfo=CST)
    return timeline.drawn(frame, first, last, until)


def _assert_reads(placed: timeline.Layout) -> None:
    """No two labels over each other, each inside the plot, each in its actor's row."""
    boxes = [label.box for label in placed.labels]
    for i, a in enumerate(boxes):
        assert 0 <= a[0] and a[2] <= placed.width and 0 <= a[1] and a[3] <= placed.height, a
        bottom, top = placed.rows[placed.labels[i].event.actor]
        assert bottom <= a[1] and a[3] <= top, (placed.labels[i].text, a, (bottom, top))
        for j, b in enumerate(boxes[i + 1 :], i + 1):
            assert not overlap(a, b), (placed.labels[i].text, placed.labels[j].text)


# --- the figure, without a browser -------------------------------------------------------------


@pytest.mark.parametrize("step", range(len(STEPS)))
def test_every_event_of_the_demo_shown_carries_its_whole_label(step):
    until = STEPS[step]
    figure = _figure(DEMO_CSV, until)
    rows = DEMO_CSV.read_text(encoding="utf-8").splitlines()[1:]
    expected = SHOWN_AT_STEP[step]
    assert len(figure["meta"]["events"]) == expected
    notes = [note["text"] for note in figure["layout"]["annotations"]]
    assert len(notes) == expected
    assert sorted(notes) == sorted(text for _, text in figure["meta"]["events"])
    assert not any("…" in note for note in notes), "no demo label is shortened"
    assert figure["layout"]["title"]["text"].startswith(f"{expected} / {len(rows)} 个事件")
    placed, latest = _placed(DEMO_CSV, until)
    assert not latest and len(placed.labels) == expected
    _assert_reads(placed)


def test_the_demos_labels_stand_where_they_stood_as_more_is_revealed():
    """The axis, the rows and each label are placed once for the whole file."""
    whole = {
        n["text"]: (n["x"], n["y"], n["yshift"]) for n in _figure(DEMO_CSV)["layout"]["annotations"]
    }
    for until in STEPS[1:]:
        figure = _figure(DEMO_CSV, until)
        for note in figure["layout"]["annotations"]:
            assert whole[note["text"]] == (note["x"], note["y"], note["yshift"])
        assert figure["layout"]["xaxis"]["range"] == _figure(DEMO_CSV)["layout"]["xaxis"]["range"]
        # the same traces in the same places: a step's transition never mixes two actors
        assert len(figure["data"]) == len(_figure(DEMO_CSV)["data"])


def test_the_last_event_near_the_right_edge_is_labelled_leftward_not_cut():
    placed, _ = _placed(DEMO_CSV)
    caught = next(label for label in placed.labels if label.text == "四名被告人被抓获")
    assert not caught.rightward and caught.box[2] <= placed.width


def test_two_events_of_one_day_each_get_their_own_label(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text(
        "start,end,actor,event\n"
        "2026-03-21 10:00,,王某,以admin_w审核拒绝陈某提现\n"
        "2026-03-21 10:00,,王某,修改陈某账户盈亏\n"
        "2026-03-21 10:00,,王某,删除聊天记录\n"
        "2026-03-21,,陈某,提现被拒、录屏\n"
        "2026-03-08,2026-03-21,陈某,七次转账\n",
        encoding="utf-8",
    )
    figure = _figure(path)
    notes = [note["text"] for note in figure["layout"]["annotations"]]
    assert sorted(notes) == sorted(["以admin_w审核拒绝陈某提现", "修改陈某账户盈亏",
                                    "删除聊天记录", "提现被拒、录屏", "七次转账"])  # fmt: skip
    placed, _ = _placed(path)
    same = [label for label in placed.labels if label.event.actor == "王某"]
    assert sorted(label.lane for label in same) == [0, 1, 2], "stacked, one lane each"
    _assert_reads(placed)


def test_a_span_going_on_past_until_is_drawn_only_up_to_it_and_marked():
    """At 截至 03-08 the 03-08→03-21 transfers are drawn to 03-08 with an arrow; at 截至
    02-01 the platform built 01-10→02-28 is drawn to 02-01 with an arrow; at 截至 03-22
    both are drawn whole, no arrow."""
    for until, actor, whole_end in (
        (dt.datetime(2026, 3, 8), "陈某", "2026-03-21 00:00:00"),
        (dt.datetime(2026, 2, 1), "王某", "2026-02-28 00:00:00"),
    ):
        figure = _figure(DEMO_CSV, until)
        at = until.strftime("%Y-%m-%d %H:%M:%S")
        bars = [x for t in figure["data"] if t["mode"] == "lines" for x in t["x"] if x]
        assert whole_end not in bars and at in bars, (actor, bars)
        assert max(bars) <= at, "no bar is drawn past until"
        arrows = [
            t
            for t in figure["data"]
            if t.get("marker", {}).get("symbol") == "triangle-right" and t["x"]
        ]
        assert len(arrows) == 1 and arrows[0]["x"] == [at]
        assert "仍在持续" in arrows[0]["hovertext"][0]
        assert any(s["type"] == "line" and s["x0"] == at and s["yref"] == "paper"
                   for s in figure["layout"]["shapes"]), "the until line"  # fmt: skip
    later = _figure(DEMO_CSV, dt.datetime(2026, 3, 22))
    bars = [x for t in later["data"] if t["mode"] == "lines" for x in t["x"] if x]
    assert "2026-03-21 00:00:00" in bars and "2026-02-28 00:00:00" in bars
    assert not [x for t in later["data"] if t.get("marker", {}).get("symbol") == "triangle-right"
                for x in t["x"]]  # fmt: skip


HOSTILE_ACTORS = [f"人员{n:02d}" for n in range(29)] + ["<b>老板</b>" + "很长的名字" * 8]


def hostile(path: Path) -> Path:
    """500 events of 30 actors: ends before starts, an event with no time and one with no
    actor, ten at one minute, 60-character labels, markup in labels and names."""
    start = dt.datetime(2026, 1, 1, 9, tzinfo=CST)
    rows = ["start,end,actor,event"]
    for n in range(500):
        at = start + dt.timedelta(minutes=37 * n)
        end = (
            at - dt.timedelta(days=1)
            if n % 11 == 0
            else (at + dt.timedelta(hours=5) if n % 7 == 0 else None)
        )
        actor = HOSTILE_ACTORS[n % len(HOSTILE_ACTORS)]
        text = f"第{n}次" + ("转账给<b>某</b>&amp;<a href='x'>链接</a>" if n % 5 == 0 else "")
        if n % 13 == 0:
            text = f"第{n}次" + "长" * 56 + "末尾"
        if 480 <= n < 490:
            at = start + dt.timedelta(minutes=37 * 480)
        rows.append(f'{at.isoformat()},{end.isoformat() if end else ""},{actor},"{text}"')
    rows.append(",,人员00,没有时间的事件")
    rows.append(f"{start.isoformat()},,,没有人员的事件")
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


@pytest.mark.parametrize("until", [None, dt.datetime(2026, 1, 10, 12, tzinfo=CST)])
def test_hostile_events_draw_the_latest_with_room_each_labelled_and_say_so(tmp_path, until):
    path = hostile(tmp_path / "h.csv")
    figure = _figure(path, until)
    events = figure["meta"]["events"]
    notes = figure["layout"]["annotations"]
    caption = figure["layout"]["title"]["text"]
    assert 1 <= len(events) == len(notes) < 500, "only what has room, each with its label"
    assert caption.startswith(f"画出最近 {len(events)} 个 · "), caption
    assert "（2 个缺时间或人员，未画出）" in caption
    assert not any(re.search(r"<(?!br>)", n["text"]) for n in notes), "markup is text"
    assert all("<" not in t for t in figure["layout"]["yaxis"]["ticktext"])
    hovers = [c for t in figure["data"] for c in t.get("customdata", [])]
    for note in notes:
        if note["text"].endswith("…"):
            whole = next(h for h in hovers if h.startswith(note["text"][:-1]))
            assert len(whole) > len(note["text"]), "the full text is in the hover"
    placed, latest = _placed(path, until)
    assert latest and len(placed.labels) == len(events)
    _assert_reads(placed)
    moments = [label.event.start for label in placed.labels]
    up_to = [m for m in moments if until is None or m <= until]
    assert up_to == moments, "nothing after until"
    assert figure["meta"]["span"][0].startswith("2026-01-01T09:00")


def test_an_end_before_its_start_is_drawn_as_a_dot(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text("start,end,actor,event\n2026-03-21,2026-03-01,王某,倒置\n", encoding="utf-8")
    figure = _figure(path)
    assert [x for t in figure["data"] if t["mode"] == "lines" for x in t["x"]] == []
    assert [n["text"] for n in figure["layout"]["annotations"]] == ["倒置"]


def test_same_minute_events_of_many_actors_each_read(tmp_path):
    path = tmp_path / "t.csv"
    lines = [f"2026-03-21 10:00,,人员{n % 4},同一分钟的第{n}件事" for n in range(12)]
    path.write_text("start,end,actor,event\n" + "\n".join(lines) + "\n", encoding="utf-8")
    figure = _figure(path)
    assert len(figure["layout"]["annotations"]) == len(figure["meta"]["events"]) == 12
    _assert_reads(_placed(path)[0])


def test_the_presenters_clock_is_the_decks(tmp_path):
    """The figure tells the slider the deck's zone and `until` as the caption reads it."""
    view = ChartView(until=dt.datetime(2026, 2, 1), zone="+08:00")
    assert clock(view) == {"zone": "+08:00", "until": "2026-02-01T00:00:00+08:00"}
    west = ChartView(until=dt.datetime(2026, 2, 1), zone="America/New_York")
    assert clock(west)["until"] == "2026-02-01T00:00:00-05:00"
    aware = ChartView(until=dt.datetime(2026, 2, 1, tzinfo=dt.UTC), zone="+08:00")
    assert clock(aware)["until"] == "2026-02-01T00:00:00+00:00"
    assert clock(ChartView())["until"] is None


# --- on real screens and the presenter's page ---------------------------------------------------

HOSTILE_ITEM = """\
+++
id = "E99"
title = "敌意时间线"
type = "behaviour"
view = "chart"
chart = "timeline"
files = ["files/hostile-timeline.csv"]

[source]
method = "retrieval"

[[shows]]
fact = "F2"
aspect = "other"
how = "测试"

[[step]]
label = "截至一月十日"
until = 2026-01-10T12:00:00+08:00
+++
"""

LABELS_INSIDE = """() => {
  // every label of the figure inside the plot area (not only the figure), and how many
  const box = document.querySelector('#stage [data-role=chart]');
  const plot = box.querySelector('.nsewdrag').getBoundingClientRect();
  const out = [];
  const labels = [...box.querySelectorAll('.annotation-text')];
  for (const el of labels) {
    const r = el.getBoundingClientRect();
    const inside = r.left >= plot.left - 1 && r.right <= plot.right + 1
      && r.top >= plot.top - 1 && r.bottom <= plot.bottom + 1;
    if (!inside) {
      out.push(`outside the plot: ${el.textContent}`);
    }
  }
  return { problems: out, labels: labels.length, events: box.meta.events.length };
}"""


def with_hostile_timeline(deck: Path) -> None:
    """A hostile timeline (E99) beside the demo's."""
    hostile(deck / "files" / "hostile-timeline.csv")
    (deck / "items" / "e99-hostile-timeline.md").write_text(HOSTILE_ITEM, encoding="utf-8")
    toml = (deck / "deck.toml").read_text(encoding="utf-8")
    (deck / "deck.toml").write_text(toml.replace('"E17"]', '"E17", "E99"]', 1), encoding="utf-8")


@pytest.fixture(scope="module")
def court(browser):
    """The demo deck (and one hostile timeline beside it) served once, with a screen of
    each size following a presenter's socket."""
    with demo_screens(browser, SIZES, prepare=with_hostile_timeline) as (screens, _):
        screens.send({"action": "blank", "mode": None})
        yield screens


def _show(court: Screens, command: dict) -> int:
    seq = court.send(command)
    for page in court.pages.values():
        wait_until(lambda page=page: chart_drawn(page, seq), 60)
    return seq


def _caption(page) -> str:
    return page.evaluate("document.querySelector('#stage .gtitle')?.textContent || ''")


@pytest.mark.parametrize("item", ["E13", "E99"])
def test_every_step_of_the_timeline_reads_on_every_screen(court, item):
    _show(court, {"action": "goto", "item": item})
    _show(court, {"action": "panel", "panel": "content"})
    problems = {}
    for step in range(len(STEPS) if item == "E13" else 2):
        _show(court, {"action": "step", "step": step})
        fit = court.problems()
        for (width, height), page in court.pages.items():
            found = list(fit.get((width, height), []))
            found += page.evaluate(CHART_TEXT, BODY_PX_AT_1080)
            inside = page.evaluate(LABELS_INSIDE)
            found += inside["problems"]
            if inside["labels"] != inside["events"]:
                found.append(f"{inside['labels']} labels for {inside['events']} events")
            if item == "E13" and inside["events"] != SHOWN_AT_STEP[step]:
                found.append(f"{inside['events']} events drawn")
            if found:
                problems[f"{item} step {step} at {width}x{height}"] = found[:8]
    assert not problems, json.dumps(problems, ensure_ascii=False, indent=1)


def _moment(caption: str) -> str:
    match = re.search(r"截至 (\d{4}-\d{2}-\d{2} \d{2}:\d{2})", caption)
    assert match, caption
    return match[1]


def _agree(presenter, screen, timeout: float = 30) -> tuple[str, str]:
    """The slider's text and the caption's moment, once they agree (or the last seen)."""
    seen = {}

    def same() -> bool:
        seen["slider"] = presenter.evaluate(
            "document.getElementById('chart-until-text').textContent"
        )
        seen["caption"] = _caption(screen)
        return "截至" in seen["caption"] and seen["slider"] == _moment(seen["caption"])

    try:
        wait_until(same, timeout)
    except AssertionError:
        pass
    return seen["slider"], _moment(seen["caption"])


@pytest.mark.parametrize("zone", ["UTC", "America/New_York"])
def test_the_presenters_slider_names_the_moment_of_the_screens_caption(court, browser, zone):
    """The deck is in China Standard Time, the presenter's browser in `zone`: at each step,
    and after moving the slider, it names the moment the caption on the screens names."""
    screen = court.pages[(1920, 1080)]
    context = browser.new_context(viewport={"width": 1366, "height": 768}, timezone_id=zone)
    try:
        presenter = context.new_page()
        presenter.goto(f"{court.url}present?key={PRESENTER_KEY}")
        _show(court, {"action": "goto", "item": "E13"})
        _show(court, {"action": "panel", "panel": "content"})
        presenter.wait_for_selector("#chart-controls:not([hidden])")
        for step, until in enumerate(STEPS[1:], 1):
            _show(court, {"action": "step", "step": step})
            slider, caption = _agree(presenter, screen)
            assert caption == f"{until:%Y-%m-%d %H:%M}"
            assert slider == caption, f"step {step}: slider {slider}, caption {caption}"
        before = int(screen.evaluate("document.documentElement.dataset.seq"))
        presenter.locator("#chart-until").fill("437")
        presenter.locator("#chart-until").dispatch_event("input")
        chosen = presenter.evaluate("document.getElementById('chart-until-text').textContent")
        presenter.locator("#chart-until").dispatch_event("change")
        wait_until(lambda: chart_drawn(screen, before + 1), 30)
        assert _moment(_caption(screen)) == chosen, "the caption names the moment chosen"
        slider, caption = _agree(presenter, screen)
        assert slider == caption == chosen
    finally:
        context.close()
