"""The personnel relationships (E01 of the demo) as a judge reads them: people in rows by
tier when the file states roles, spread over the plot when it does not; every name and
relation written where it covers no other text and no dot, inside the plot; a relation or a
name without room marked or counted in the caption, never lost without a word; the people
filling the plot; hostile files (hundreds of people, loops, repeated rows, long names,
markup, a person in every role) drawn by the same rules."""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import pytest

from presenter.charts import ChartView, build, network
from presenter.charts.labels import PLOT, overlap, text_width
from presenter.deck import load_deck

from .conftest import DEMO_DECK, wait_until
from .screens import Screens, demo_screens

SOURCE = Path(__file__).parent.parent / "decks" / "demo.source" / "files" / "network.csv"
DEMO_ROLES = {
    "source": "人员", "source_role": "人员角色", "target": "关联人员",
    "target_role": "关联人员角色", "relation": "关系", "weight": "联系次数",
}  # fmt: skip
ROLES = {r: r for r in ("source", "target", "relation", "weight", "source_role", "target_role")}
STEPS = [(), ("李某",), ("张某",), ("赵某",)]
"""E01's steps: all of it, then its three focused people."""
LONG = "某某市某某区某某网络科技有限公司法定代表人兼实际控制人甲乙丙丁戊己庚辛壬癸"
EVERY_ROLE = [
    ("组织者", "老板"), ("技术", "平台搭建"), ("资金", "承兑商"), ("三线", "三线"),
    ("二线", "二线"), ("一线", "一线话务员"), ("业务员", "“老师”"), ("卡农", "卡农"),
    ("车手", "车手"), ("司机", "司机"), ("厨师", "厨师"), ("保洁", "保洁"), ("会计助理", "房东"),
    ("无角色", ""), ("被害人", "被害人"),
]  # fmt: skip
"""(name, role): one person in every tier, four roles no tier names, one with none."""


def _demo(view: ChartView | None = None) -> dict:
    return network.figure(SOURCE, DEMO_ROLES, view or ChartView())


def _unroled(tmp_path: Path) -> Path:
    """The demo's relations without their roles."""
    with SOURCE.open(encoding="utf-8") as f:
        rows = [(r["人员"], r["关联人员"], r["关系"], r["联系次数"]) for r in csv.DictReader(f)]
    return _write(tmp_path / "plain.csv", ["source", "target", "relation", "weight"], rows)


def _write(path: Path, header: list[str], rows: list) -> Path:
    with path.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows([header, *rows])
    return path


def _hostile(tmp_path: Path) -> Path:
    """Two hundred people around a gang with a person in every role; loops, a repeated row,
    a forty-character name, markup in names and relations, a person stated in two roles."""
    header = ["source", "source_role", "target", "target_role", "relation", "weight"]
    rows = []
    boss = EVERY_ROLE[0][0]
    for name, role in EVERY_ROLE[1:]:
        rows.append([boss, "老板", name, role, f"指挥{name}", 10])
    for i in range(200):
        agent = EVERY_ROLE[5 + i % 2][0]
        rows.append([agent, "", f"被害人{i:03d}", "被害人", "冒充导师诱骗", 1 + i % 7])
    rows += [[boss, "老板", boss, "老板", "自己", 99], rows[0], rows[0]]
    for other in (boss, "技术", "资金"):
        rows.append([LONG, "金主", other, "", "出资", 30])
    for other in (boss, "一线", "业务员"):
        rows.append(["<b>王某</b>", "技术", other, "", "<i>委托</i>搭建", 30])
    rows.append(["技术", "资金结算", "资金", "承兑商", "对接", 5])  # 技术 stated a second role
    return _write(tmp_path / "hostile.csv", header, rows)


def _boxes(figure: dict) -> tuple[list[tuple[tuple, str]], list[tuple[tuple, str]]]:
    """Every text the figure writes and every dot it draws, as boxes in the axes' units
    (the px of the least plot: presenter.charts.labels.PLOT)."""
    layout = figure["layout"]
    sx = (layout["xaxis"]["range"][1] - layout["xaxis"]["range"][0]) / PLOT[0]
    sy = (layout["yaxis"]["range"][1] - layout["yaxis"]["range"][0]) / PLOT[1]

    def box(x: float, y: float, text: str) -> tuple:
        lines = text.split("<br>")
        w = max(text_width(line) for line in lines) * sx / 2
        h = network.LINE_HEIGHT * len(lines) * sy / 2
        return (x - w, y - h, x + w, y + h)

    texts = []
    for trace in figure["data"]:
        if trace["mode"] == "text":
            assert trace["textposition"] == "middle center", "a text's box is known exactly"
            texts += [
                (box(x, y, t), t)
                for x, y, t in zip(trace["x"], trace["y"], trace["text"], strict=True)
            ]
    for note in layout["annotations"]:
        assert (note["xanchor"], note["yanchor"]) == ("center", "middle")
        texts.append((box(note["x"], note["y"], note["text"]), note["text"]))
    people = figure["data"][-1]
    dots = [
        ((x - s / 2 * sx, y - s / 2 * sy, x + s / 2 * sx, y + s / 2 * sy), name)
        for x, y, s, name in zip(people["x"], people["y"], people["marker"]["size"],
                                 figure["meta"]["nodes"], strict=True)
    ]  # fmt: skip
    return texts, dots


def _assert_reads(figure: dict) -> None:
    """No text over another text or a dot; every text and dot inside the axes."""
    texts, dots = _boxes(figure)
    (x0, x1), (y0, y1) = figure["layout"]["xaxis"]["range"], figure["layout"]["yaxis"]["range"]
    for b, what in texts + dots:
        assert x0 <= b[0] and b[2] <= x1 and y0 <= b[1] and b[3] <= y1, f"outside: {what} {b}"
    for i, (a, what) in enumerate(texts):
        for b, other in texts[i + 1 :] + dots:
            assert not overlap(a, b), f"{what} over {other}"


def _unnamed(figure: dict) -> int:
    """The relations the caption says have no name written."""
    found = re.search(r"（(\d+) 条未标名称）", figure["layout"]["title"]["text"])
    return int(found[1]) if found else 0


def _visible(figure: dict) -> list[str]:
    """Every string Plotly reads as text of the picture or of a hover."""
    out = [figure["layout"]["title"]["text"]]
    out += [n["text"] for n in figure["layout"]["annotations"]]
    for trace in figure["data"]:
        for key in ("text", "hovertext"):
            value = trace.get(key, [])
            out += value if isinstance(value, list) else [value]
    return out


@pytest.mark.parametrize("focus", STEPS)
def test_every_text_of_the_demo_keeps_clear_and_every_relation_is_named(focus):
    figure = _demo(ChartView(focus=focus))
    _assert_reads(figure)
    meta = figure["meta"]
    assert meta["unwritten"] == [] and meta["unnamed"] == [], "the demo names all it draws"
    written = {n["text"] for n in figure["layout"]["annotations"]}
    lit = [e for e in _relations() if not focus or set(focus) & set(e[:2])]
    for a, b, relation in lit:
        marked = [k[0] for k in meta["keys"] if k[1:] == relation]
        assert set(network.relation_texts(relation)) & written or (
            marked and marked[0] in written
        ), f"{a}—{b} {relation} is written nowhere"
    assert " ".join(meta["keys"]) in figure["layout"]["title"]["text"]


def _relations() -> list[tuple[str, str, str]]:
    with SOURCE.open(encoding="utf-8") as f:
        return [(r["人员"], r["关联人员"], r["关系"]) for r in csv.DictReader(f)]


def test_the_demo_stands_in_rows_by_tier_from_the_organiser_to_the_victims():
    figure = _demo()
    tiers = figure["meta"]["tiers"]
    assert [label for label, _ in tiers] == ["组织者", "技术、资金", "业务员", "卡农", "被害人"]
    assert [sorted(names) for _, names in tiers] == [
        ["李某"], ["王某", "赵某"], ["张某", "钱某"], ["吴某", "周某", "孙某", "郑某"],
        ["刘某", "陈某"],
    ]  # fmt: skip
    y = {n: p[1] for n, p in figure["meta"]["positions"].items()}
    assert all(len({y[n] for n in names}) == 1 for _, names in tiers), "a row at one height"
    rows = [y[names[0]] for _, names in tiers]
    assert rows == sorted(rows, reverse=True), "the organiser on top, the victims at the bottom"
    labels = figure["data"][[t.get("mode") for t in figure["data"]].index("text")]
    assert labels["text"] == [label for label, _ in tiers], "each row named at its left"
    assert all(x < min(p[0] for p in figure["meta"]["positions"].values()) for x in labels["x"])


def test_every_role_keeps_its_tier_and_a_second_role_is_noted(tmp_path):
    figure = network.figure(_hostile(tmp_path), ROLES, ChartView())
    labels = [label for label, _ in figure["meta"]["tiers"]]
    assert labels == [
        "组织者", "技术、资金", "三线", "二线", "一线、业务员", "卡农、车手", "司机", "厨师",
        "保洁", "其他角色", "角色未载", "被害人",
    ]  # fmt: skip
    rows = dict(figure["meta"]["tiers"])
    assert "<b>王某</b>" in rows["技术、资金"] and "会计助理" in rows["其他角色"]
    assert "无角色" in rows["角色未载"] and LONG in rows["组织者"]
    assert figure["meta"]["roles"]["技术"] == "平台搭建", "the first role stated"
    assert figure["meta"]["roles_differ"]["技术"] == ["平台搭建", "资金结算"]
    people = figure["data"][-1]
    hover = people["hovertext"][figure["meta"]["nodes"].index("技术")]
    assert "平台搭建" in hover and "另载：资金结算" in hover
    english = network.figure(_hostile(tmp_path), ROLES, ChartView(lang="en"))
    assert [label for label, _ in english["meta"]["tiers"]][:3] == [
        "organisers",
        "technicians / money",
        "line 3",
    ]


def test_a_hostile_file_draws_its_most_connected_by_the_same_rules(tmp_path):
    path = _hostile(tmp_path)
    for focus in ((), ("组织者",), ("一线",)):
        figure = network.figure(path, ROLES, ChartView(focus=focus))
        _assert_reads(figure)
        meta = figure["meta"]
        assert "组织者" in meta["nodes"]
        if focus:  # the focused person and every contact of theirs, beside the most connected
            assert {focus[0], *meta["lit"]} <= set(meta["nodes"]) and len(meta["lit"]) > 10
        else:
            assert len(meta["nodes"]) == network.SHOWN
        caption = figure["layout"]["title"]["text"]
        assert caption.startswith(f"关联最多的 {len(meta['nodes'])} 人（共 217 人）")
        if meta["unwritten"]:
            assert f"{len(meta['unwritten'])} 人未标姓名" in caption, "no name lost silently"
        assert _unnamed(figure) == len(meta["unnamed"]), "no relation lost silently"
    figure = network.figure(path, ROLES, ChartView())
    assert figure["meta"]["degree"]["组织者"] == 16, "its loop left out, its repeated row once"
    shown = _visible(figure)
    assert not [t for t in shown if "<b>" in t or "<i>" in t], "deck text is never markup"
    assert any("&lt;b&gt;王某&lt;/b&gt;" in t for t in shown)
    assert any("&lt;i&gt;委托&lt;/i&gt;搭建" in t for t in shown)


def test_a_long_name_is_written_by_its_ends_and_whole_in_its_hover(tmp_path):
    path = _write(tmp_path / "long.csv", ["source", "target", "relation"],
                  [[LONG, "张某", "出资"], ["张某", "陈某", "诈骗"]])  # fmt: skip
    figure = network.figure(path, ROLES, ChartView())
    _assert_reads(figure)
    texts, _ = _boxes(figure)
    written = [t for _, t in texts if t.startswith(LONG[:4])]
    assert written and "…" in written[0] and written[0].endswith(LONG[-3:])
    assert text_width(written[0]) <= network.NAME_PX
    assert LONG in figure["data"][-1]["hovertext"]


def test_without_roles_the_people_spread_over_the_plot_and_every_text_keeps_clear(tmp_path):
    path = _unroled(tmp_path)
    for focus in STEPS:
        figure = network.figure(path, ROLES, ChartView(focus=focus))
        assert figure["meta"]["tiers"] == [] and not figure["layout"]["shapes"]
        _assert_reads(figure)
        assert _unnamed(figure) == len(figure["meta"]["unnamed"])
    xs = [p[0] for p in figure["meta"]["positions"].values()]
    ys = [p[1] for p in figure["meta"]["positions"].values()]
    assert max(xs) - min(xs) > 0.8 * PLOT[0] and max(ys) - min(ys) > 0.75 * PLOT[1], "fills"
    again = network.figure(path, ROLES, ChartView())
    assert (
        again["meta"]["positions"] == network.figure(path, ROLES, ChartView())["meta"]["positions"]
    )


def test_the_tiers_fill_the_plot_right_of_their_names():
    figure = _demo()
    assert figure["layout"]["xaxis"]["range"] == [0.0, PLOT[0]]
    assert figure["layout"]["yaxis"]["range"] == [0.0, PLOT[1]]
    xs = [p[0] for p in figure["meta"]["positions"].values()]
    ys = [p[1] for p in figure["meta"]["positions"].values()]
    left = 6 * 28  # the widest row name, 技术、资金, and a little
    assert max(xs) - min(xs) > 0.8 * (PLOT[0] - left) and max(ys) - min(ys) > 0.8 * PLOT[1]


def test_the_lines_are_as_thick_as_their_weight():
    figure = _demo()
    widths = {}
    for trace in figure["data"]:
        if trace["mode"] == "lines":
            ends = [(x, y) for x, y in zip(trace["x"], trace["y"], strict=True) if x is not None]
            for name, p in figure["meta"]["positions"].items():
                if tuple(p) in {(round(x, 3), round(y, 3)) for x, y in ends}:
                    widths.setdefault(name, set()).add(trace["line"]["width"])
    assert max(widths["张某"]) > max(widths["孙某"]), "186 contacts against 6"


def test_the_deck_reads_the_roles_through_its_columns():
    deck = load_deck(DEMO_DECK, verify_hashes=False).deck
    exhibit = next(e for e in deck.exhibits if e.id == "E01")
    figure = build(exhibit, deck, ChartView())
    assert figure["meta"]["tiers"][0] == ["组织者", ["李某"]]
    assert figure["meta"]["roles"]["赵某"] == "卡商（资金结算）"


# --- on the screens ------------------------------------------------------------------------

SIZES = ((1920, 1080), (1024, 768))
PLOT_SIZE = """() => {
  // the plot as drawn, in the px of the figure's own picture (1080 high), and the share of
  // it the people's dots span
  const box = document.querySelector('#stage [data-role=chart]');
  const size = box._fullLayout._size;
  const plot = box.querySelector('.cartesianlayer .bg, .nsewdrag').getBoundingClientRect();
  const dots = [...box.querySelectorAll('.scatterlayer .trace:last-child .point')]
    .map((p) => p.getBoundingClientRect());
  const left = Math.min(...dots.map((r) => r.left)), right = Math.max(...dots.map((r) => r.right));
  const top = Math.min(...dots.map((r) => r.top)), bottom = Math.max(...dots.map((r) => r.bottom));
  return { w: size.w, h: size.h, dots: dots.length,
           across: (right - left) / plot.width, down: (bottom - top) / plot.height };
}"""


@pytest.fixture(scope="module")
def court(browser):
    """The demo deck served once, with a screen of each size following a presenter."""
    with demo_screens(browser, SIZES) as (screens, _):
        screens.send({"action": "blank", "mode": None})
        yield screens


DRAWN = """(focus) => {
  // the figure of the state is drawn: no drawing under way, and the one drawn lights whom
  // the step focuses (nobody on step 0)
  const box = document.querySelector('#stage [data-role=chart]');
  if (!box || !box.meta || box.dataset.key === '') return false;
  return focus ? box.meta.lit.includes(focus) : box.meta.lit.length === 0;
}"""


def _show(court: Screens, command: dict, focus: tuple[str, ...]) -> None:
    court.send(command)
    for page in court.pages.values():
        wait_until(lambda page=page: page.evaluate(DRAWN, focus[0] if focus else None), 60)


def test_every_step_of_the_relationships_reads_and_fills_every_screen(court):
    _show(court, {"action": "goto", "item": "E01"}, ())
    problems = {}
    for step, focus in enumerate(STEPS):
        _show(court, {"action": "step", "step": step}, focus)
        fit = court.problems()
        for size, page in court.pages.items():
            found = list(fit.get(size, []))
            drawn = page.evaluate(PLOT_SIZE)
            if drawn["w"] < PLOT[0] - 1 or drawn["h"] < PLOT[1] - 1:
                found.append(f"plot {drawn['w']}x{drawn['h']} smaller than {PLOT}")
            if drawn["dots"] != 11 or drawn["across"] < 0.75 or drawn["down"] < 0.75:
                found.append(f"the people span only {drawn}")
            if found:
                problems[f"step {step} at {size[0]}x{size[1]}"] = found[:8]
    assert not problems, json.dumps(problems, ensure_ascii=False, indent=1)
