"""Charts a judge reads at a glance, on real screens: every chart kind drawn from data made
the way the world makes it (a bank ledger with card numbers in the names and money both
ways, a gang of 45 with long nicknames, 60 events of 8 people with several on one day, a
phone's 800 positions), at 1920x1080 and 1024x768, over every step: no text of the figure
under the court's size, cut by the figure's edge or over another text (tests/chart_text.js).
And a screen always ends on the latest figure, however late an older one arrives."""

from __future__ import annotations

import datetime as dt
import json
import random
from pathlib import Path

import pytest

from .conftest import PRESENTER_KEY, SCREEN_KEY, serve_deck, wait_until
from .screens import BODY_PX_AT_1080, Screens, chart_drawn

CHART_TEXT = (Path(__file__).parent / "chart_text.js").read_text(encoding="utf-8")
SIZES = ((1920, 1080), (1024, 768))
CST = dt.timezone(dt.timedelta(hours=8))

DECK_TOML = """\
format = 1

[case]
title = "某网络投资诈骗案"
number = "某检刑诉〔2026〕7号"
defendants = ["李某"]

[[fact]]
id = "F1"
text = "被告人组织实施诈骗并转移赃款"
element = "conduct"
"""

ITEM = """\
+++
id = "{id}"
title = "{title}"
type = "behaviour"
view = "chart"
chart = "{chart}"
files = ["files/{file}"]

[columns]
{columns}

[source]
method = "retrieval"

[[shows]]
fact = "F1"
aspect = "{aspect}"
{steps}
+++
"""


def _csv(rows: list[list[object]]) -> str:
    import csv
    import io

    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows(rows)
    return out.getvalue()


def ledger(rng: random.Random) -> str:
    """A bank's export as an office receives it: names with card numbers, amounts with
    thousands separators, money from victims through two layers of mules to OTC wallets,
    some of it going back."""
    victims = [f"被害人{c}" for c in "甲乙丙丁戊己"]
    mules = [f"{n} 6222{rng.randrange(10**14, 10**15)}" for n in "孙周吴郑王冯陈褚卫蒋沈韩"]
    exits = [f"T{''.join(rng.choice('ABCDEFGHJKLMNPQRSTUVWXYZ123456789') for _ in range(33))}"
             for _ in range(3)]  # fmt: skip
    start = dt.datetime(2026, 3, 1, 9, tzinfo=CST)
    rows: list[list[object]] = [["交易时间", "付款方", "收款方", "交易金额", "渠道"]]
    for _ in range(400):
        at = start + dt.timedelta(minutes=rng.randrange(0, 20 * 24 * 60))
        layer = rng.random()
        if layer < 0.3:
            payer, payee = rng.choice(victims), rng.choice(mules[:6])
        elif layer < 0.65:
            payer, payee = rng.choice(mules[:6]), rng.choice(mules[6:])
        elif layer < 0.92:
            payer, payee = rng.choice(mules[6:]), rng.choice(exits)
        else:  # back and forth between mules
            payer, payee = rng.choice(mules[6:]), rng.choice(mules[:6])
        amount = f"{rng.randrange(1000, 90000):,}.{rng.randrange(100):02d}"
        rows.append([at.isoformat(), payer, payee, amount, rng.choice(["手机银行", "网银", "ATM"])])
    return _csv(rows)


def gang(rng: random.Random) -> str:
    """45 people, 80 relations, some with long nicknames."""
    people = [f"{s}某" for s in "赵钱孙李周吴郑王冯陈褚卫蒋沈韩杨朱秦尤许何吕施张孔曹严华金魏陶姜"]
    people += ["阳光总在风雨后（微信）", "明远老师", "客服小美", "卡商老K", "跑分车队长",
               "技术员阿杰", "财务", "引流号001", "话务组长", "承兑商（USDT）",
               "老板"]  # fmt: skip
    relations = ["上下线", "转账", "通话", "招募", "收购银行卡", "资金结算", "共同作案"]
    rows: list[list[object]] = [["人员甲", "人员乙", "关系", "联系次数"]]
    seen = set()
    while len(rows) <= 80:
        a, b = rng.sample(people, 2)
        if (a, b) in seen or (b, a) in seen:
            continue
        seen.add((a, b))
        rows.append([a, b, rng.choice(relations), rng.randrange(1, 300)])
    return _csv(rows)


def events(rng: random.Random) -> str:
    """60 events of 8 people, several on one day, some spans, long descriptions."""
    actors = ["李某", "王某", "赵某", "张某", "钱某", "孙某", "陈某（被害人）", "刘某（被害人）"]
    start = dt.date(2026, 1, 5)
    rows: list[list[object]] = [["开始日期", "结束日期", "人员", "事件"]]
    for n in range(60):
        day = start + dt.timedelta(days=rng.randrange(0, 120))
        end = day + dt.timedelta(days=rng.randrange(3, 30)) if n % 7 == 0 else ""
        what = rng.choice(["转账", "登录后台修改盈亏", "添加被害人微信并以投资导师身份推荐平台",
                           "收购银行卡", "提现被拒", "报案", "通话"])  # fmt: skip
        rows.append([day.isoformat(), str(end), rng.choice(actors), f"{what}（第{n + 1}次）"])
    return _csv(rows)


def positions(rng: random.Random) -> str:
    """A phone's 800 base-station positions over a week around one city, 20 with events."""
    start = dt.datetime(2026, 3, 8, 8, tzinfo=CST)
    places = ["某小区3栋", "某网吧", "某商场", "某咖啡馆", "某银行网点"]
    rows: list[list[object]] = [["定位时间", "纬度", "经度", "事件", "地点"]]
    lat, lon = 30.54, 114.30
    for n in range(800):
        lat += rng.uniform(-0.002, 0.002)
        lon += rng.uniform(-0.002, 0.002)
        event = f"admin_w 登录：修改盈亏（第{n // 40 + 1}次）" if n % 40 == 0 else ""
        place = rng.choice(places) if event else ""
        at = start + dt.timedelta(minutes=12 * n)
        rows.append([at.isoformat(), f"{lat:.6f}", f"{lon:.6f}", event, place])
    return _csv(rows)


CHARTS = {
    # id: (chart, title, file, columns, aspect, steps)
    "E01": ("network", "团伙人员关系", "relations.csv",
            'source = "人员甲"\ntarget = "人员乙"\nrelation = "关系"\nweight = "联系次数"',
            "relationship", [{"focus": ["李某"]}, {"focus": ["卡商老K"]}]),
    "E02": ("funds", "资金流向", "ledger.csv",
            'time = "交易时间"\nfrom = "付款方"\nto = "收款方"\namount = "交易金额"\n'
            'channel = "渠道"',
            "funds", [{"until": "2026-03-08T00:00:00+08:00"}, {}]),
    "E03": ("timeline", "作案经过", "events.csv",
            'start = "开始日期"\nend = "结束日期"\nactor = "人员"\nevent = "事件"',
            "means", [{"until": "2026-02-15T00:00:00+08:00"}, {}]),
    "E04": ("trajectory", "手机定位轨迹", "positions.csv",
            'time = "定位时间"\nlat = "纬度"\nlon = "经度"\nlabel = "事件"\nplace = "地点"',
            "trajectory", [{"until": "2026-03-10T00:00:00+08:00"}, {}]),
}  # fmt: skip


def _steps(steps: list[dict]) -> str:
    out = []
    for n, step in enumerate(steps, 1):
        lines = [f'label = "第{n}步"']
        if "until" in step:
            lines.append(f"until = {step['until']}")
        if "focus" in step:
            lines.append(f"focus = {json.dumps(step['focus'], ensure_ascii=False)}")
        if len(lines) == 1:
            lines.append("until = 2026-12-31T00:00:00+08:00")
        out.append("\n[[step]]\n" + "\n".join(lines))
    return "\n".join(out)


def write_deck(root: Path) -> Path:
    rng = random.Random(18)
    (root / "files").mkdir(parents=True)
    (root / "items").mkdir()
    (root / "deck.toml").write_text(DECK_TOML, encoding="utf-8")
    made = {"ledger.csv": ledger, "relations.csv": gang, "events.csv": events,
            "positions.csv": positions}  # fmt: skip
    for name, make in made.items():
        (root / "files" / name).write_text(make(rng), encoding="utf-8")
    for item, (chart, title, file, columns, aspect, steps) in CHARTS.items():
        text = ITEM.format(id=item, title=title, chart=chart, file=file, columns=columns,
                           aspect=aspect, steps=_steps(steps))  # fmt: skip
        (root / "items" / f"{item.lower()}-{chart}.md").write_text(text, encoding="utf-8")
    return root


def sent(court: Screens, command: dict) -> int:
    """Carry out a command without waiting for the screens: its seq."""
    answer = court.client.call("command", command, namespace="/live", timeout=30)
    assert answer.get("ok"), (command, answer)
    return answer["seq"]


def show(court: Screens, command: dict) -> None:
    """Carry out a command and wait until every screen has drawn its figure."""
    seq = sent(court, command)
    for page in court.pages.values():
        wait_until(lambda page=page: chart_drawn(page, seq), 60)


@pytest.fixture(scope="module")
def court(browser, tmp_path_factory):
    folder = tmp_path_factory.mktemp("charts")
    deck = write_deck(folder / "deck")
    with serve_deck(deck, folder / "instance") as served:
        screens = Screens(browser, served.url, PRESENTER_KEY, SCREEN_KEY, SIZES)
        try:
            yield screens
        finally:
            screens.close()


@pytest.mark.parametrize("item", sorted(CHARTS))
def test_every_text_of_every_chart_kind_reads_on_every_screen_at_every_step(court, item):
    chart, *_, steps = CHARTS[item]
    show(court, {"action": "goto", "item": item})
    problems = {}
    for step in range(len(steps) + 1):
        show(court, {"action": "step", "step": step})
        for (width, height), page in court.pages.items():
            found = page.evaluate(CHART_TEXT, BODY_PX_AT_1080)
            if found:
                problems[f"{chart} step {step} at {width}x{height}"] = found[:8]
    assert not problems, json.dumps(problems, ensure_ascii=False, indent=1)


def test_a_figure_fetched_for_an_older_state_never_replaces_a_newer_one(court):
    """Steps faster than figures load: the figure of step 1 arrives after step 2's is
    drawn, and is dropped; the screen stays on step 2's figure and caption."""
    page = court.pages[(1920, 1080)]
    show(court, {"action": "goto", "item": "E03"})
    show(court, {"action": "step", "step": 0})
    held = []

    def hold_the_first(route):
        if held:
            route.continue_()
            return
        held.append((route, route.fetch()))  # the server's answer for step 1, kept back

    page.route("**/charts/E03/figure*", hold_the_first)
    try:
        sent(court, {"action": "step", "step": 1})
        wait_until(lambda: page.evaluate("1") and held, 30)
        newest = sent(court, {"action": "step", "step": 2})
        wait_until(lambda: chart_drawn(page, newest), 60)
        caption = page.evaluate("document.querySelector('#stage .gtitle').textContent")
        route, answer = held[0]
        assert "2026-02-15" in json.loads(answer.text())["layout"]["title"]["text"]
        assert "2026-12-31" in caption
        route.fulfill(response=answer)
        # until the late figure is dropped, or (the fault) drawn over the newer one
        box = "document.querySelector('#stage [data-role=chart]')"
        wait_until(
            lambda: page.evaluate(
                f"Number({box}.dataset.dropped || 0) >= 1 || {box}.dataset.drawn !== '{newest}'"
            ),
            30,
        )
    finally:
        page.unroute("**/charts/E03/figure*")
    assert page.evaluate("document.querySelector('#stage .gtitle').textContent") == caption
    assert int(page.evaluate(f"{box}.dataset.figureSeq")) >= newest
    assert int(page.evaluate(f"{box}.dataset.drawn")) == newest


BUNDLE_SIZES = ((1920, 1080), (1366, 768), (1024, 768))


def test_every_chart_of_a_pre_trial_bundle_reads_in_a_readers_window(tmp_path, cli, browser):
    """The bundle opened from file:// on a reader's screen, where a chart's frame is
    narrower than a court screen's: its names and amounts are laid out at least as large as
    on the smallest court picture and scaled down to the frame, so none runs into another
    or off the figure (drawn at the frame's own size, fund flows' amounts overlapped and
    the exits' names were cut at 1024 px)."""
    deck = write_deck(tmp_path / "deck")
    out = tmp_path / "bundle"
    result = cli("export", deck, "--out", out)
    assert result.exit_code == 0, result.output
    problems = {}
    for width, height in BUNDLE_SIZES:
        context = browser.new_context(viewport={"width": width, "height": height})
        page = context.new_page()
        for item in sorted(CHARTS):
            page.goto((out / f"{item}.html").as_uri())
            frame = f".bundle-chart[data-chart={item}]"
            page.wait_for_selector(f"{frame}[data-drawn]", timeout=30_000)
            found = page.evaluate(CHART_TEXT, {"frame": frame})
            if found:
                problems[f"{item} at {width}x{height}"] = found[:8]
        context.close()
    assert not problems, json.dumps(problems, ensure_ascii=False, indent=1)
