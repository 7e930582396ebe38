"""The evidence chain: independent origins per fact and 孤证, on crafted decks, and the same
verdict in `check`."""

from __future__ import annotations

from presenter.deck import Corroboration, Evidence, Exhibit, Fact, Medium, Shows, Source
from presenter.deck.chain import analyse
from tests.deckfactory import CHAT_MD, CODE_MD, SHOT_MD, edit
from tests.test_deck_check import NEW_FACT

F1 = Fact(id="F1", text="张某冒充投资导师", element="identity")
F2 = Fact(id="F2", text="被害人转账", element="consequence")
CONFESSION = Evidence(id="C1", kind="confession", title="张某供述")
CONFESSION_2 = Evidence(id="C2", kind="confession", title="李某供述")
STATEMENT = Evidence(id="C3", kind="victim_statement", title="陈某陈述")


def item(
    item_id: str,
    *facts: str,
    serial: str = "",
    holder: str = "",
    links: tuple[tuple[str, str | None], ...] = (),
    excluded: bool = False,
) -> Exhibit:
    return Exhibit(
        id=item_id,
        title=item_id,
        type="communication",
        view="markdown",
        source=Source(
            method="seizure", holder=holder, medium=Medium(serial=serial) if serial else None
        ),
        shows=tuple(Shows(fact=f, aspect="other") for f in facts),
        corroborates=tuple(Corroboration(**{"with": w, "fact": f}) for w, f in links),
        excluded=excluded,
    )


def support(*exhibits: Exhibit, evidence=(CONFESSION, CONFESSION_2, STATEMENT), facts=(F1,)):
    return analyse(facts, evidence, exhibits)[0]


def origins(s) -> list[tuple[str, ...]]:
    return [o.members for o in s.origins]


def test_two_items_from_one_phone_are_one_origin():
    s = support(item("E1", "F1", serial="IMEI-1"), item("E2", "F1", serial="IMEI-1"))
    assert s.items == ("E1", "E2")
    assert origins(s) == [("E1", "E2")]
    assert s.origins[0].shared == ("serial",)
    assert s.lone


def test_serial_compares_without_case_or_surrounding_space():
    s = support(item("E1", "F1", serial="f2l-01"), item("E2", "F1", serial=" F2L-01 "))
    assert origins(s) == [("E1", "E2")]


def test_items_of_one_holder_are_one_origin_and_joins_are_transitive():
    s = support(
        item("E1", "F1", serial="A", holder="张某"),
        item("E2", "F1", serial="B", holder="张某"),
        item("E3", "F1", serial="B"),
        item("E4", "F1", holder="李某"),
    )
    assert origins(s) == [("E1", "E2", "E3"), ("E4",)]
    assert s.origins[0].shared == ("holder", "serial")
    assert not s.lone


def test_two_independent_items_are_not_lone():
    s = support(item("E1", "F1", serial="A"), item("E2", "F1", serial="B"))
    assert len(s.origins) == 2 and not s.lone


def test_a_confession_alone_is_flagged():
    """E1 shows another fact and names the confession for F1: the confession alone is F1's
    support."""
    s = support(item("E1", "F2", links=(("C1", "F1"),)))
    assert s.items == () and s.evidence == ("C1",)
    assert s.confession_only and s.lone


def test_confessions_alone_are_flagged_however_many():
    s = support(item("E1", "F2", links=(("C1", "F1"), ("C2", "F1"))))
    assert origins(s) == [("C1",), ("C2",)]
    assert s.confession_only and s.lone


def test_nothing_at_all_is_not_shown_rather_than_lone():
    s = support(item("E1", "F2"))
    assert not s.shown and not s.lone


def test_a_confession_with_an_independent_item_is_not_lone():
    s = support(item("E1", "F1", links=(("C1", "F1"),)))
    assert origins(s) == [("E1",), ("C1",)]
    assert not s.lone and not s.confession_only


def test_one_item_corroborated_by_a_statement_is_not_lone():
    s = support(item("E1", "F1", links=(("C3", None),)))
    assert s.evidence == ("C3",) and not s.lone


def test_a_link_for_another_fact_does_not_count():
    s = support(item("E1", "F1", links=(("C3", "F2"),)))
    assert s.evidence == () and s.lone


def test_a_link_without_fact_counts_only_for_facts_the_item_shows():
    s = support(item("E1", "F2", links=(("C3", None),)))
    assert not s.shown


def test_a_corroborating_item_counts_but_joins_its_origin():
    s = support(
        item("E1", "F1", holder="张某", links=(("E2", "F1"),)),
        item("E2", holder="张某"),
    )
    assert s.items == ("E1", "E2") and origins(s) == [("E1", "E2")] and s.lone
    s = support(item("E1", "F1", holder="张某", links=(("E2", "F1"),)), item("E2"))
    assert origins(s) == [("E1",), ("E2",)] and not s.lone


def test_an_excluded_item_supports_nothing():
    s = support(item("E1", "F1", serial="A"), item("E2", "F1", serial="B", excluded=True))
    assert s.items == ("E1",) and s.lone


def test_check_warns_of_two_items_from_one_phone(cli, deck_dir):
    """The deck factory's F1 rests on E01 (a phone), E02 and C1: leave it E01 and E03, taken
    from the same phone; check's 孤证 names both."""
    edit(deck_dir / SHOT_MD, '[[shows]]\nfact = "F1"\naspect = "means"\n', "")
    edit(deck_dir / CHAT_MD, 'with = "C1"', 'with = "E03"')
    edit(deck_dir / CODE_MD, "[source]", '[source]\nmedium = { serial = "F2L000000000" }')
    result = cli.check(deck_dir)
    warnings = [line for line in result.output.splitlines() if ": warning: " in line]
    assert result.exit_code == 0, result.output
    assert len(warnings) == 1 and "孤证" in warnings[0] and "F1" in warnings[0], result.output
    assert "E01、E03" in warnings[0], warnings[0]


def test_check_warns_of_a_confession_alone(cli, deck_dir):
    """A new fact F3 that E03 names the (now) confession C1 for, and nothing else."""
    edit(deck_dir / "deck.toml", 'kind = "victim_statement"', 'kind = "confession"')
    edit(deck_dir / "deck.toml", "[[evidence]]", NEW_FACT + "\n[[evidence]]")
    edit(deck_dir / CODE_MD, "[[shows]]", '[[corroborates]]\nwith = "C1"\nfact = "F3"\n\n[[shows]]')
    result = cli.check(deck_dir)
    warnings = [line for line in result.output.splitlines() if ": warning: " in line]
    assert result.exit_code == 0, result.output
    assert len(warnings) == 1 and "F3" in warnings[0] and "confession" in warnings[0], result.output
