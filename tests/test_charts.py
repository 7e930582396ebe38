"""The figure builders from small CSVs: nodes, links, totals, `until`, `focus`, layouts."""

from __future__ import annotations

import datetime as dt

import pytest

from presenter.charts import ChartView, funds, network, timeline, trajectory

CST = dt.timezone(dt.timedelta(hours=8))
FUNDS = {"time": "time", "from": "from", "to": "to", "amount": "amount"}
LEDGER = """time,from,to,amount
2024-03-02T10:00:00+08:00,陈某,账户A,"50,000"
2024-03-02T11:00:00+08:00,账户A,账户B,49000
2024-03-03 09:00,刘某,账户C,20000
2024-03-03T10:00:00+08:00,账户C,账户B,20000
2024-03-04T10:00:00+08:00,账户B,<b>出口</b>,69000
"""


@pytest.fixture
def ledger(tmp_path):
    path = tmp_path / "funds.csv"
    path.write_text(LEDGER, encoding="utf-8")
    return path


def test_fund_flows_are_totalled_in_tiers_from_victims_to_exits(ledger):
    figure = funds.figure(ledger, FUNDS, ChartView())
    meta = figure["meta"]
    assert meta["total"] == 70000.0, "what the victims paid out"
    assert ["陈某", "账户A", 50000.0, 1] in meta["links"]
    sankey = figure["data"][0]
    x = dict(zip(meta["nodes"], sankey["node"]["x"], strict=True))
    assert x["陈某"] == x["刘某"] < x["账户A"] == x["账户C"] < x["账户B"] < x["<b>出口</b>"]
    # the names are written beside the nodes (annotations), not by plotly's node labels
    names = [a["text"] for a in figure["layout"]["annotations"]]
    assert "<b>&lt;b&gt;出口&lt;/b&gt;</b>" in names, "deck text is never markup"


def test_until_keeps_exactly_the_flows_up_to_that_time(ledger):
    until = dt.datetime(2024, 3, 3, 9, 0, tzinfo=CST)
    meta = funds.figure(ledger, FUNDS, ChartView(until=until))["meta"]
    assert sorted(link[:2] for link in meta["links"]) == [
        ["刘某", "账户C"], ["账户A", "账户B"], ["陈某", "账户A"],
    ]  # fmt: skip


def test_focus_lights_every_path_through_an_account_and_dims_the_rest(ledger):
    figure = funds.figure(ledger, FUNDS, ChartView(focus=("账户A",)))
    assert figure["meta"]["lit"] == sorted(["陈某", "账户A", "账户B", "<b>出口</b>"])
    colours = dict(zip(figure["meta"]["nodes"], figure["data"][0]["node"]["color"], strict=True))
    assert "160, 160, 160" in colours["刘某"] and "160, 160, 160" not in colours["账户B"]


def test_small_accounts_fold_into_other(ledger):
    # folding keeps the victims and the exit: only 账户A and 账户C, between them, fold
    meta = funds.figure(ledger, FUNDS, ChartView(fold=1))["meta"]
    assert meta["nodes"] == ["<b>出口</b>", "刘某", "账户B", "陈某", "其他"]


def test_a_flows_transactions_are_the_rows_behind_it_with_their_numbers(ledger):
    data = funds.transactions(ledger, FUNDS, ChartView(), ("账户A", "账户B"), 10)
    assert data["count"] == 1 and data["total"] == 49000.0
    # as the court reads them: the deck's column names, the amount's unit once, the time in
    # the deck's zone, the amount grouped (tests/test_court_reading.py)
    assert data["header"] == ["#", "time", "from", "to", "amount（元）"]
    assert data["rows"] == [[2, "2024-03-02 11:00", "账户A", "账户B", "49,000.00"]]
    assert data["caption"].startswith("账户A → 账户B：1 笔，合计 49,000.00 元")


def test_a_flow_to_other_gathers_the_folded_accounts_until_a_time(ledger):
    view = ChartView(fold=1)
    meta = funds.figure(ledger, FUNDS, view)["meta"]
    # the largest account between the victims and the exit is 账户B: 账户A and 账户C fold
    assert ["其他", "账户B", 69000.0, 2] in meta["links"]
    data = funds.transactions(ledger, FUNDS, view, ("其他", "账户B"), 10)
    assert (data["total"], data["count"]) == (69000.0, 2)
    assert {row[2] for row in data["rows"]} == {"账户A", "账户C"}, "the folded accounts named"
    data = funds.transactions(ledger, FUNDS, view, ("陈某", "其他"), 0)
    assert (data["count"], data["rows"]) == (1, []) and "列出前 0 笔" in data["caption"]
    early = ChartView(until=dt.datetime(2024, 3, 2, 10, 30, tzinfo=CST))
    assert funds.transactions(ledger, FUNDS, early, ("账户A", "账户B"), 10)["count"] == 0


def test_time_charts_carry_their_span_for_the_slider(ledger):
    meta = funds.figure(ledger, FUNDS, ChartView(until=dt.datetime(2024, 3, 2, tzinfo=CST)))
    assert meta["meta"]["span"] == ["2024-03-02T10:00:00+08:00", "2024-03-04T10:00:00+08:00"]
    assert meta["meta"]["links"] == [] and meta["meta"]["total"] == 0, "before any: empty"


def test_the_network_is_laid_out_the_same_every_time(tmp_path):
    path = tmp_path / "net.csv"
    path.write_text("source,target,relation\n李某,张某,招募\n李某,王某,委托\n张某,陈某,诈骗\n")
    roles = {"source": "source", "target": "target", "relation": "relation"}
    first = network.figure(path, roles, ChartView())
    again = network.figure(path, roles, ChartView())
    assert first["meta"]["positions"] == again["meta"]["positions"]
    assert first["meta"]["degree"]["李某"] == 2
    focused = network.figure(path, roles, ChartView(focus=("张某",)))
    assert focused["meta"]["lit"] == ["张某", "李某", "陈某"]


def test_the_timeline_reveals_events_until_a_time(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text(
        "start,end,actor,event\n2026-01-05,,李某,广告\n2026-01-10,2026-02-28,王某,搭建平台\n"
    )
    roles = {"start": "start", "end": "end", "actor": "actor", "event": "event"}
    until = dt.datetime(2026, 1, 6, tzinfo=CST)
    meta = timeline.figure(path, roles, ChartView(until=until))["meta"]
    assert meta["events"] == [["李某", "广告"]] and meta["actors"] == ["李某", "王某"]


def test_the_trajectory_numbers_visits_in_time_order_and_names_each_place_once(tmp_path):
    path = tmp_path / "tr.csv"
    path.write_text(
        "time,lat,lon,place\n"
        "2026-03-08T14:20:00+08:00,30.55,114.31,网吧\n"
        "2026-03-08T09:40:00+08:00,30.54,114.30,住处\n"
        "2026-03-09T09:00:00+08:00,30.54,114.30,住处\n"
    )
    roles = {"time": "time", "lat": "lat", "lon": "lon", "place": "place"}
    figure = trajectory.figure(path, roles, ChartView())
    labels = sorted(a["text"] for a in figure["layout"]["annotations"] if a.get("showarrow"))
    assert labels[0] == "<b>住处</b><br><b>1</b> 2026-03-08 09:40<br><b>3</b> 2026-03-09 09:00"
    assert labels[1] == "<b>网吧</b><br><b>2</b> 2026-03-08 14:20"
    until = dt.datetime(2026, 3, 8, 12, 0, tzinfo=CST)
    early = trajectory.figure(path, roles, ChartView(until=until))
    assert early["meta"]["points"] == 1
    assert early["layout"]["title"]["text"] == "1 / 3 个位置点 · 截至 2026-03-08 12:00"


def test_a_large_network_draws_its_most_connected_people_and_a_focused_one(tmp_path):
    """A star of 200 around 李某 plus a pair far out: the 60 most connected are drawn, the
    caption says how many there are, and a focus brings a person and their contacts in."""
    path = tmp_path / "net.csv"
    rows = [f"李某,人员{i:03d},通话" for i in range(200)] + ["赵某,钱某,转账", "钱某,李某,"]
    path.write_text("source,target,relation\n" + "\n".join(rows) + "\n", encoding="utf-8")
    roles = {"source": "source", "target": "target", "relation": "relation"}
    figure = network.figure(path, roles, ChartView())
    assert len(figure["meta"]["nodes"]) == network.SHOWN
    assert "李某" in figure["meta"]["nodes"] and figure["meta"]["degree"]["李某"] == 201
    assert "关联最多的 60 人（共 203 人）" in figure["layout"]["title"]["text"]
    focused = network.figure(path, roles, ChartView(focus=("赵某",)))
    assert {"赵某", "钱某"} <= set(focused["meta"]["nodes"])
    assert focused["meta"]["lit"] == ["赵某", "钱某"]


def test_a_long_timeline_draws_the_latest_events_up_to_the_time(tmp_path):
    path = tmp_path / "t.csv"
    start = dt.datetime(2026, 1, 1, tzinfo=CST)
    lines = [
        f"{(start + dt.timedelta(hours=i)).isoformat()},,人员{i % 3},第{i}次登录"
        for i in range(700)
    ]
    path.write_text("start,end,actor,event\n" + "\n".join(lines) + "\n", encoding="utf-8")
    roles = {"start": "start", "end": "end", "actor": "actor", "event": "event"}
    until = start + dt.timedelta(hours=599)
    figure = timeline.figure(path, roles, ChartView(until=until))
    events = figure["meta"]["events"]
    drawn = len(events)  # as many of the latest as have room for their labels
    assert 3 <= drawn < 600 and events[-1][1] == "第599次登录"
    assert [text for _, text in events] == [f"第{i}次登录" for i in range(600 - drawn, 600)]
    assert figure["layout"]["title"]["text"].startswith(f"画出最近 {drawn} 个 · 600 / 700 个事件")


def test_a_long_trajectory_writes_the_latest_points_numbered_in_the_whole(tmp_path):
    path = tmp_path / "tr.csv"
    start = dt.datetime(2026, 3, 1, tzinfo=CST)
    lines = [
        f"{(start + dt.timedelta(minutes=i)).isoformat()},{30 + i / 1000},{114 + i / 1000},点{i}"
        for i in range(600)
    ]
    path.write_text("time,lat,lon,place\n" + "\n".join(lines) + "\n", encoding="utf-8")
    roles = {"time": "time", "lat": "lat", "lon": "lon", "place": "place"}
    figure = trajectory.figure(path, roles, ChartView())
    assert figure["meta"]["points"] == 600 and figure["meta"]["written"] == trajectory.LINES
    assert figure["data"][2]["text"][0] == 600 - trajectory.LINES + 1
    early = trajectory.figure(path, roles, ChartView(until=start + dt.timedelta(minutes=9)))
    assert early["meta"]["frame"] == figure["meta"]["frame"], "framed for the whole"


def test_account_labels_stack_their_words_and_shorten_only_very_long_ones(ledger, tmp_path):
    from presenter.charts.style import stacked

    assert stacked("周某 6217000000000000202") == "周某<br>6217000000000000202"
    assert stacked("TDEMO000000000000000000000001") == "TDEMO0…000001"
    assert stacked("<b>出口</b> x") == "&lt;b&gt;出口&lt;/b&gt;<br>x"


def test_captions_and_hovers_speak_the_decks_or_the_asked_language(ledger):
    english = funds.figure(ledger, FUNDS, ChartView(fold=30, lang="en"))
    assert english["layout"]["title"]["text"] == "Paid out by the victims: ¥70,000.00"
    assert "transactions" in english["data"][0]["link"]["hovertemplate"]
    assert "笔" not in str(english["data"]) and "元" not in str(english["data"])
    flow = funds.transactions(ledger, FUNDS, ChartView(lang="en"), ("账户A", "账户B"), 10)
    assert flow["caption"] == "账户A → 账户B: 1 transactions, ¥49,000.00 in all"
    chinese = funds.figure(ledger, FUNDS, ChartView())
    assert chinese["layout"]["title"]["text"] == "被害人转出合计 70,000.00 元"
