"""A real laundering ledger: 200,000 transfers among 200 card accounts, money going round
rings (A→B→C→A) and back and forth. Its fund-flow chart is a DAG of at most CAP flows whose
totals stay true, and it draws on a court screen and in the pre-trial bundle."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import random
from collections import defaultdict
from pathlib import Path

import networkx as nx
import pytest

from presenter.charts import ChartView, funds

from .conftest import PRESENTER_KEY, SCREEN_KEY, serve_deck, wait_until
from .deckfactory import FUNDS_MD, edit, write_deck

ROLES = {"time": "time", "from": "from", "to": "to", "amount": "amount", "channel": "channel"}
START = dt.datetime(2026, 3, 1, tzinfo=dt.timezone(dt.timedelta(hours=8)))
TRANSFERS = 200_000


def laundering_ledger(path: Path, transfers: int = TRANSFERS, seed: int = 13) -> None:
    """Write a seeded ledger of `transfers` among 200 card accounts: 40 victims pay into a
    first layer of 50 cards, which pay a second and a third layer on to 10 exits; 40 rings
    of 3 or 4 cards pass the same amount round and back to where it started; random pairs
    of cards send money and part or more of it back."""
    rng = random.Random(seed)
    victims = [f"被害人{i:02d} 6222{i:015d}" for i in range(40)]
    layers = [[f"卡{k}{i:02d} 62{17 + k}{i:015d}" for i in range(50)] for k in range(3)]
    exits = [f"出口{i:02d} 6230{i:015d}" for i in range(10)]
    cards = [card for layer in layers for card in layer]
    rings = [rng.sample(cards, rng.choice((3, 4))) for _ in range(40)]
    rows: list[tuple[str, str, float]] = []
    while len(rows) < transfers:
        kind = rng.random()
        amount = rng.randrange(1_000, 5_000_000) / 100
        if kind < 0.10:
            rows.append((rng.choice(victims), rng.choice(layers[0]), amount))
        elif kind < 0.55:
            k = rng.randrange(2)
            rows.append((rng.choice(layers[k]), rng.choice(layers[k + 1]), amount))
        elif kind < 0.70:
            ring = rng.choice(rings)
            rows += [(a, b, amount) for a, b in zip(ring, ring[1:] + ring[:1], strict=True)]
        elif kind < 0.85:
            a, b = rng.sample(cards, 2)
            rows += [(a, b, amount), (b, a, round(amount * rng.uniform(0.2, 1.5), 2))]
        else:
            rows.append((rng.choice(layers[2]), rng.choice(exits), amount))
    with open(path, "w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(["time", "from", "to", "amount", "channel"])
        for i, (payer, payee, amount) in enumerate(rows[:transfers]):
            moment = (START + dt.timedelta(seconds=7 * i)).isoformat()
            writer.writerow([moment, payer, payee, f"{amount:.2f}", "网银"])


@pytest.fixture(scope="module")
def rings(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("rings") / "funds.csv"
    laundering_ledger(path)
    return path


def sums(path: Path) -> tuple[dict[tuple[str, str], list], set[str]]:
    """The ledger summed by hand, apart from the code under test: {(from, to): [amount,
    count]}, and the accounts that received nothing (the victims)."""
    pairs: dict[tuple[str, str], list] = defaultdict(lambda: [0.0, 0])
    with open(path, encoding="utf-8") as stream:
        for row in csv.DictReader(stream):
            pair = pairs[row["from"], row["to"]]
            pair[0] += float(row["amount"])
            pair[1] += 1
    received = {to for _, to in pairs}
    return pairs, {payer for payer, _ in pairs} - received


def test_the_ledger_has_rings_and_money_both_ways(rings):
    pairs, victims = sums(rings)
    assert sum(count for _, count in pairs.values()) == TRANSFERS
    accounts = {a for pair in pairs for a in pair}
    assert len(accounts) == 200 and len(victims) == 40
    assert not nx.is_directed_acyclic_graph(nx.DiGraph(list(pairs)))
    assert sum(1 for a, b in pairs if (b, a) in pairs) > 1000


def test_a_laundering_ledgers_flows_form_a_dag_of_at_most_cap_links(rings):
    # every account named (fold 200), so that rings are drawn; as many flows as have room
    # for their amounts (tests/test_charts_funds_read.py), at most CAP
    figure = funds.figure(rings, ROLES, ChartView(fold=200))
    link = figure["data"][0]["link"]
    graph = nx.DiGraph(zip(link["source"], link["target"], strict=True))
    assert nx.is_directed_acyclic_graph(graph)
    assert 0 < len(link["source"]) == len(figure["meta"]["links"]) <= funds.CAP
    assert all(value > 0 for value in link["value"])
    meta = figure["meta"]
    assert [meta["nodes"][i] for i in link["source"]] == [lk[0] for lk in meta["links"]]
    assert [meta["nodes"][i] for i in link["target"]] == [lk[1] for lk in meta["links"]]
    # every flow that goes back is drawn to its account's ↩ copy, in the last column
    x = dict(zip(meta["nodes"], figure["data"][0]["node"]["x"], strict=True))
    copies = [n for n in meta["nodes"] if n.startswith(funds.RETURN)]
    assert copies and all(x[n] == max(x.values()) for n in copies)
    for source, target, *_ in meta["links"]:
        assert target.startswith(funds.RETURN) or x[source] < x[target]


def test_a_laundering_ledgers_totals_stay_true(rings):
    pairs, victims = sums(rings)
    view = ChartView(fold=200)  # every account named: the flows between cards are drawn
    figure = funds.figure(rings, ROLES, view)
    meta = figure["meta"]
    paid_out = sum(amount for (payer, _), (amount, _) in pairs.items() if payer in victims)
    assert meta["total"] == pytest.approx(paid_out, abs=0.01)
    # 元 for every figure: 万元 only where the amount column's name says so
    assert f"{paid_out:,.2f} 元" in figure["layout"]["title"]["text"]
    # a node's in and out are all the money of the accounts it stands for, netting or not
    named = {a for pair in pairs for a in pair}  # fold 200: no account folds
    for name, (into, out) in zip(meta["nodes"], meta["through"], strict=True):
        account = name.removeprefix(funds.RETURN)
        if account == funds.OTHER:
            continue
        assert into == pytest.approx(
            sum(a for (p, q), (a, _) in pairs.items() if q == account and p != account), abs=0.01
        )
        assert out == pytest.approx(sum(a for (p, _), (a, _) in pairs.items() if p == account))
    # a drawn flow is the net of both ways, and says both gross amounts and counts
    folded = defaultdict(lambda: [0.0, 0])
    for (p, q), (amount, count) in pairs.items():
        p, q = (p if p in named else funds.OTHER), (q if q in named else funds.OTHER)
        if p != q:
            folded[p, q][0] += amount
            folded[p, q][1] += count
    netted = 0
    for (source, target, net, count), gross in zip(meta["links"], meta["gross"], strict=True):
        target = target.removeprefix(funds.RETURN)
        paid, back = folded[source, target], folded.get((target, source), [0.0, 0])
        assert gross == [pytest.approx(paid[0], abs=0.01), paid[1],
                         pytest.approx(back[0], abs=0.01), back[1]]  # fmt: skip
        assert net == pytest.approx(paid[0] - back[0], abs=0.02) and count == paid[1] + back[1]
        netted += back[1] > 0
    assert netted > 2
    # nothing disappears: what is drawn and what is not are every pair, net
    pairs_net = sum(
        abs(folded[p, q][0] - folded.get((q, p), [0.0])[0])
        for p, q in folded
        if (q, p) not in folded or p < q
    )
    drawn = sum(net for _, _, net, _ in meta["links"])
    assert drawn + meta["hidden"]["amount"] == pytest.approx(pairs_net, rel=1e-9)
    assert meta["hidden"]["flows"] > 0 and "较小资金往来未画出" in figure["layout"]["title"]["text"]


def test_a_netted_flow_lists_its_transactions_both_ways(rings):
    view = ChartView(fold=200)  # every account named: the flows between cards are drawn
    meta = funds.figure(rings, ROLES, view)["meta"]
    index = next(
        i
        for i, (gross, link) in enumerate(zip(meta["gross"], meta["links"], strict=True))
        if gross[3] > 0 and funds.OTHER not in (link[0], link[1].removeprefix(funds.RETURN))
    )
    source, target, net, count = meta["links"][index]
    data = funds.transactions(rings, ROLES, view, (source, target), 50)
    assert (data["count"], data["total"]) == (count, pytest.approx(net, abs=0.01))
    assert data["caption"].startswith(f"{source} → {target}：{count:,} 笔，净额")
    assert {row[2] for row in data["rows"]} <= {source, target.removeprefix(funds.RETURN)}
    back = next(lk for lk in meta["links"] if lk[1].startswith(funds.RETURN))
    data = funds.transactions(rings, ROLES, view, (back[0], back[1]), 50)
    assert data["count"] == back[3] and data["total"] == pytest.approx(back[2], abs=0.01)
    view = ChartView()  # 30 of each role named: the other cards are drawn as 其他
    links = funds.figure(rings, ROLES, view)["meta"]["links"]
    other = next(lk for lk in links if funds.OTHER in lk[:2])
    data = funds.transactions(rings, ROLES, view, (other[0], other[1]), 50)
    assert data["count"] == other[3] and data["total"] == pytest.approx(other[2], abs=0.01)


def test_a_focus_lights_paths_of_the_drawn_dag(rings):
    meta = funds.figure(rings, ROLES, ChartView())["meta"]
    account = meta["nodes"][3]
    focused = funds.figure(rings, ROLES, ChartView(focus=(account,)))["meta"]
    assert account in focused["lit"] and len(focused["lit"]) < len(focused["nodes"])
    assert len(focused["links"]) <= funds.CAP


# --- in a browser: a court screen, the bundle's page and print.html ------------------------


def rings_deck(root: Path) -> Path:
    """The factory deck with the laundering ledger as its fund-flow exhibit (E04)."""
    deck = write_deck(root)
    ledger = deck / "files" / "funds.csv"
    old = hashlib.sha1(ledger.read_bytes()).hexdigest()
    laundering_ledger(ledger)
    edit(deck / FUNDS_MD, old, hashlib.sha1(ledger.read_bytes()).hexdigest())
    return deck


SANKEY_DRAWN = """(sel) => {
  const nodes = document.querySelectorAll(sel + ' .sankey-node');
  const links = document.querySelectorAll(sel + ' .sankey-link');
  return nodes.length > 3 && links.length > 3;  // as many as have room for their amounts
}"""


def test_a_laundering_ledger_draws_on_a_court_screen(tmp_path, browser):
    deck = rings_deck(tmp_path / "decks" / "rings")
    with serve_deck(deck, tmp_path / "instance") as served:
        context = browser.new_context(viewport={"width": 1600, "height": 900})
        try:
            screen = context.new_page()
            presenter = context.new_page()
            errors: list[str] = []
            screen.on("pageerror", lambda e: errors.append(str(e)))
            screen.goto(f"{served.url}screen?key={SCREEN_KEY}&name=judge")
            presenter.goto(f"{served.url}present?key={PRESENTER_KEY}")
            wait_until(lambda: screen.evaluate("document.documentElement.dataset.seq"), 30)
            stage = "document.getElementById('stage').dataset"
            wait_until(lambda: presenter.evaluate(f"{stage}.seq"), 30)
            presenter.keyboard.press("ArrowRight")  # the picture back from the case title
            presenter.keyboard.type("4")
            presenter.keyboard.press("Enter")
            # Playwright raises on "Target crashed" if the renderer runs out of memory
            wait_until(lambda: screen.evaluate(f"{stage}.item") == "E04", 20)
            try:
                screen.wait_for_function(SANKEY_DRAWN, arg="#stage", timeout=20_000)
            finally:
                screen.screenshot(path=str(tmp_path / "E04-screen.png"))
            count = screen.evaluate("document.querySelectorAll('#stage .sankey-link').length")
            assert count <= funds.CAP
            assert screen.evaluate("document.getElementById('stage').dataset.item") == "E04"
            assert errors == []
        finally:
            context.close()


def test_a_laundering_ledger_draws_in_the_bundle_and_its_print_page(tmp_path, browser, cli):
    deck = rings_deck(tmp_path / "rings")
    out = tmp_path / "bundle"
    result = cli("export", deck, "--out", out, "--instance", cli.instance)
    assert result.exit_code == 0, result.output
    context = browser.new_context()
    try:
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        for name in ("E04.html", "print.html"):
            page.goto((out / name).as_uri())
            page.wait_for_function(SANKEY_DRAWN, arg=".bundle-chart", timeout=20_000)
            page.wait_for_selector(".bundle-chart:not([data-drawn])", state="detached")
        assert errors == []
    finally:
        context.close()
