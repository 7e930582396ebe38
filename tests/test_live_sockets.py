"""LIVE-PROTOCOL over real sockets: python-socketio clients against `python app.py` serving."""

from __future__ import annotations

import json
import os
import signal
import threading
from contextlib import ExitStack

import pytest
import socketio

from presenter.deck import load_deck

from .conftest import (
    DEMO_DECK,
    PRESENTER_KEY,
    PUBLIC_KEY,
    SCREEN_KEY,
    cookie,
    pairing_screen,
    serve_deck,
    wait_until,
)


class Follower:
    """A real Socket.IO client that keeps every event it receives."""

    def __init__(self, url: str, **auth: str) -> None:
        self.url = url
        self.auth = auth
        self.events: list[tuple[str, object]] = []
        self.states: list[dict] = []
        self.lock = threading.Lock()
        self.sio = socketio.Client(reconnection_delay=0.1, reconnection_delay_max=0.5)
        self.sio.on("*", self._any, namespace="/live")

    def _any(self, event: str, data: object) -> None:
        with self.lock:
            self.events.append((event, data))
            if event == "state":
                self.states.append(data)  # type: ignore[arg-type]

    def connect(self) -> Follower:
        self.sio.connect(
            self.url,
            namespaces=["/live"],
            auth=self.auth,
            transports=["websocket"],
            wait_timeout=20,
        )
        wait_until(lambda: self.states, timeout=20)
        return self

    def send(self, **command: object) -> dict:
        return self.sio.call("command", command, namespace="/live", timeout=10)

    @property
    def last(self) -> dict:
        with self.lock:
            return self.states[-1]

    def close(self) -> None:
        self.sio.disconnect()


@pytest.fixture
def server(deck_copy, tmp_path):
    with serve_deck(deck_copy, tmp_path / "instance") as served:
        yield served


@pytest.fixture
def clients(server):
    with ExitStack() as stack:

        def make(**auth: str) -> Follower:
            follower = Follower(server.url, **auth).connect()
            stack.callback(follower.close)
            return follower

        yield make


def presenter(clients, role: str = "presenter") -> Follower:
    return clients(key=PRESENTER_KEY, role=role, name=role)


def screen(clients, name: str = "judge") -> Follower:
    return clients(key=SCREEN_KEY, role="screen", name=name)


def gallery(clients) -> Follower:
    """The public gallery's screen: the public-screen key."""
    return clients(key=PUBLIC_KEY, role="screen", name="public")


def test_a_client_gets_the_state_right_after_connecting(clients):
    judge = screen(clients)
    state = judge.states[0]
    assert state["deck"] == "demo" and state["item"] == "E01"
    assert set(state) >= {"seq", "panel", "step", "blank", "region", "pointer", "media"}
    assert state["controller"] == "presenter"


def test_every_screen_follows_in_seq_order(clients):
    judge, public = screen(clients), gallery(clients)
    boss = presenter(clients)
    acks = [boss.send(action="blank", mode=None)]
    for _ in range(12):
        acks.append(boss.send(action="next"))
    assert all(a["ok"] for a in acks)
    final = acks[-1]["seq"]
    for follower in (judge, public, boss):
        wait_until(lambda f=follower: f.last["seq"] == final)
        seqs = [s["seq"] for s in follower.states]
        assert seqs == sorted(set(seqs)), "seq never goes backwards nor repeats"
    assert judge.last == boss.last


def test_refused_commands_say_why_and_change_nothing(clients):
    boss = presenter(clients)
    before = boss.last["seq"]
    assert boss.send(action="goto", item="E99") == {"ok": False, "error": "unknown_item"}
    assert boss.send(action="step", step=99)["error"] == "step_out_of_range"
    assert boss.send(action="fly")["error"] == "unknown_action"
    assert boss.send(action="panel", panel="source")["seq"] == before + 1


def test_an_unknown_key_is_refused_at_connect(server):
    for auth in (
        {"key": "not-a-key-at-all-0000000000"},
        {},
        {"key": SCREEN_KEY, "role": "presenter"},
    ):
        client = socketio.Client(reconnection=False)
        with pytest.raises(socketio.exceptions.ConnectionError):
            client.connect(server.url, namespaces=["/live"], auth=auth, transports=["websocket"])


def test_screens_cannot_command(clients):
    judge = screen(clients)
    seq = judge.last["seq"]
    answer = judge.send(action="next")
    assert answer == {"ok": False, "error": "screen_cannot_command"}
    assert judge.send(action="pair", code="000000", approve=True)["ok"] is False
    assert judge.last["seq"] == seq


def test_the_expert_drives_only_after_the_handover(clients):
    boss, expert, judge = presenter(clients), presenter(clients, "expert"), screen(clients)
    assert expert.send(action="next")["error"] == "not_in_control"
    assert boss.send(action="handover", to="expert")["ok"]
    assert expert.send(action="goto", item="E07")["ok"]
    wait_until(lambda: judge.last["item"] == "E07" and judge.last["controller"] == "expert")
    assert boss.send(action="next")["error"] == "not_in_control"
    assert boss.send(action="handover", to="presenter")["ok"]  # take back
    assert expert.send(action="next")["error"] == "not_in_control"


def test_presenter_only_text_never_reaches_a_screen(clients):
    deck = load_deck(DEMO_DECK, verify_hashes=False).deck
    secrets = [e.notes.strip()[:20] for e in deck.exhibits if e.notes.strip()]
    secrets += [c.response[:20] for e in deck.exhibits for c in e.challenges]
    judge = screen(clients)
    boss = presenter(clients)
    boss.send(action="blank", mode=None)
    for exhibit in deck.exhibits:
        boss.send(action="goto", item=exhibit.id)
        for panel in ("source", "facts", "corroboration", "content"):
            boss.send(action="panel", panel=panel)
    wait_until(lambda: judge.last["seq"] == boss.last["seq"])
    heard = repr(judge.events)
    assert secrets and not [s for s in secrets if s in heard]
    assert not any(event in ("screens", "pairings", "deck_problems") for event, _ in judge.events)


def test_pairing_lets_a_screen_without_a_key_in(server, clients):
    boss = presenter(clients)
    browser, jar, code = pairing_screen(server.url)
    wait_until(lambda: any(e == "pairing" and d["code"] == code for e, d in boss.events))
    change = [d for e, d in boss.events if e == "pairing"][-1]
    assert change == {"code": code, "name": "gallery", "status": "pending", "public": False}
    token = cookie(jar, "pair")
    refused = socketio.Client(reconnection=False)
    with pytest.raises(socketio.exceptions.ConnectionError):
        refused.connect(
            server.url, namespaces=["/live"], auth={"key": token}, transports=["websocket"]
        )  # noqa: E501
    assert boss.send(action="pair", code=code, approve=True) == {"ok": True}
    assert '"approved"' in browser.open(server.url + "screen/pairing").read().decode()
    paired = clients(key=token, role="screen", name="gallery")
    assert paired.last["deck"] == "demo"
    assert 'class="stage"' in browser.open(server.url + "screen").read().decode()
    # the presenter withdraws it: the screen is disconnected and its secret opens nothing
    assert boss.send(action="pair", code=code, revoke=True) == {"ok": True}
    wait_until(lambda: not paired.sio.connected or paired.sio.namespaces == {})
    assert 'id="pairing-code"' in browser.open(server.url + "screen").read().decode()
    with pytest.raises(socketio.exceptions.ConnectionError):
        socketio.Client(reconnection=False).connect(
            server.url, namespaces=["/live"], auth={"key": token}, transports=["websocket"]
        )


def test_a_pairing_approved_as_the_public_gallery_is_masked(server, clients):
    boss = presenter(clients)
    browser, jar, code = pairing_screen(server.url)
    assert boss.send(action="pair", code=code, approve=True, public=True) == {"ok": True}
    boss.send(action="goto", item="E08")
    answer = boss.send(action="table", filter="6222000000000000101")
    paired = clients(key=cookie(jar, "pair"), role="screen", name="judge")  # the name: no part
    wait_until(lambda: paired.last["seq"] == answer["seq"])
    assert paired.last["table"]["filter"] == "622200*********0101"
    rows = browser.open(server.url + "tables/E08/rows?as=whole").read().decode()
    assert "6222000000000000101" not in rows and "622200*********0101" in rows


def test_kill_and_restart_resumes_where_it_was(deck_copy, tmp_path):
    instance = tmp_path / "instance"
    with serve_deck(deck_copy, instance) as first:
        judge = Follower(first.url, key=SCREEN_KEY, role="screen", name="judge").connect()
        boss = Follower(first.url, key=PRESENTER_KEY, role="presenter").connect()
        boss.send(action="blank", mode=None)
        boss.send(action="goto", item="E04")
        answer = boss.send(action="step", step=2)
        wait_until(lambda: judge.last["seq"] == answer["seq"])
        os.kill(first.process.pid, signal.SIGKILL)
        first.process.wait()
        wait_until(lambda: not judge.sio.connected)
        url = first.url
    port = int(url.rsplit(":", 1)[1].strip("/"))
    with serve_deck(deck_copy, instance, port=port) as second:
        wait_until(lambda: judge.sio.connected and judge.last["seq"] > answer["seq"] - 1, 30)
        state = judge.last
        assert (state["item"], state["step"], state["blank"]) == ("E04", 2, None)
        judge.close()
        boss.close()
    assert f"/present?key={PRESENTER_KEY}" in second.out
    assert f"/screen?key={SCREEN_KEY}" in second.out


def test_a_valid_edit_reloads_and_a_broken_one_is_told_to_the_presenter(clients, deck_copy):
    boss, judge = presenter(clients), screen(clients)
    boss.send(action="goto", item="E05")
    item = deck_copy / "items" / "e05-call.md"
    text = item.read_text(encoding="utf-8")
    item.write_text(text.replace("通话录音（与", "通话录音（更正，与"), encoding="utf-8")
    wait_until(lambda: any(e == "deck" and d["version"] == 2 for e, d in judge.events), 30)
    assert judge.last["item"] == "E05"
    item.write_text(text.replace('view = "audio"', 'view = "audi"'), encoding="utf-8")
    wait_until(lambda: any(e == "deck_problems" and d for e, d in boss.events), 30)
    problems = [d for e, d in boss.events if e == "deck_problems" and d][-1]
    assert any("items/e05-call.md" in line and "view" in line for line in problems)
    assert not any(e == "deck" and d["version"] == 3 for e, d in judge.events)


def last_problems(boss: Follower) -> list[str] | None:
    with boss.lock:
        found = [d for e, d in boss.events if e == "deck_problems"]
    return found[-1] if found else None


def test_the_watcher_survives_a_2000_deep_toml_and_a_fix_clears_the_banner(clients, deck_copy):
    boss, judge = presenter(clients), screen(clients)
    item = deck_copy / "items" / "e05-call.md"
    text = item.read_text(encoding="utf-8")
    item.write_text(text.replace("+++\n", "+++\nx = " + "[" * 2000 + "]" * 2000 + "\n", 1))
    wait_until(lambda: any("32" in line for line in last_problems(boss) or []), 30)
    assert any(line.startswith("items/e05-call.md:2:") for line in last_problems(boss))
    item.write_text(text.replace("通话录音（与", "通话录音（更正，与"), encoding="utf-8")
    wait_until(lambda: any(e == "deck" and d["version"] == 2 for e, d in judge.events), 30)
    wait_until(lambda: last_problems(boss) == [], 10)  # the banner goes without a reload


def test_an_exhibit_on_screen_that_a_reload_excludes_blanks_the_screens_until_confirmed(
    clients, deck_copy, server
):
    boss, judge = presenter(clients), screen(clients)
    boss.send(action="blank", mode=None)
    boss.send(action="goto", item="E05")
    item = deck_copy / "items" / "e05-call.md"
    text = item.read_text(encoding="utf-8")
    item.write_text(text.replace("+++\n", "+++\nexcluded = true\n", 1), encoding="utf-8")
    wait_until(lambda: any(e == "held" and d.get("item") == "E05" for e, d in boss.events), 30)
    wait_until(lambda: judge.last["blank"] == "black", 10)  # each client hears at its pace
    assert judge.last["item"] == "E05"
    assert [d for e, d in boss.events if e == "held"][-1] == {"item": "E05", "error": "excluded"}
    for command in ({"action": "next"}, {"action": "blank", "mode": None}):
        assert boss.send(**command) == {"ok": False, "error": "excluded", "item": "E05"}
    assert judge.last["blank"] == "black"
    confirmed = boss.send(action="goto", item="E05", confirm=True)
    assert confirmed["ok"]
    wait_until(lambda: judge.last["seq"] == confirmed["seq"])
    assert judge.last["blank"] is None and judge.last["item"] == "E05"


def test_a_live_verification_that_fails_flags_the_exhibit_until_confirmed(
    clients, deck_copy, tmp_path
):
    boss, judge = presenter(clients), screen(clients)
    boss.send(action="blank", mode=None)
    boss.send(action="goto", item="E07")
    assert boss.send(action="verify") == {"ok": True, "started": True}
    wait_until(lambda: (judge.last.get("verification") or {}).get("ok") is True, 30)
    assert {r["algorithm"] for r in judge.last["verification"]["results"]} == {"sm3"}
    source = deck_copy / "files" / "platform" / "TradeAdmin.php"
    source.write_text(source.read_text(encoding="utf-8") + "// planted\n", encoding="utf-8")
    wait_until(lambda: any(e == "deck" and d["version"] == 2 for e, d in judge.events), 30)
    assert boss.send(action="verify")["ok"]
    wait_until(lambda: (judge.last.get("verification") or {}).get("ok") is False, 30)
    failed = judge.last["verification"]["results"][0]
    assert failed["recorded"] != failed["computed"] and failed["match"] is False
    assert any(e == "verify_progress" for e, _ in boss.events)
    assert not any(e == "verify_progress" for e, _ in judge.events)
    boss.send(action="goto", item="E06")
    assert boss.send(action="goto", item="E07") == {
        "ok": False,
        "error": "unverified",
        "item": "E07",
    }
    assert boss.send(action="goto", item="E07", confirm=True)["ok"]
    wait_until(lambda: judge.last["item"] == "E07")
    assert judge.send(action="verify")["error"] == "screen_cannot_command"
    record = next((tmp_path / "instance" / "demo" / "records").glob("*.jsonl"))
    entries = [json.loads(line) for line in record.read_text(encoding="utf-8").splitlines()]
    verdicts = [e["details"]["ok"] for e in entries if e["event"] == "verify"]
    assert verdicts == [True, False]
    assert entries[-1]["details"] == {"confirmed": "unverified"}


def test_a_public_screen_gets_the_table_filter_masked_and_others_get_it_whole(clients):
    judge, public = screen(clients), gallery(clients)
    boss = presenter(clients)
    boss.send(action="goto", item="E08")
    answer = boss.send(action="table", filter="6222000000000000101", sort=4)
    assert answer["ok"], answer
    for follower in (judge, public, boss):
        wait_until(lambda f=follower: f.last["seq"] == answer["seq"])
    assert judge.last["table"]["filter"] == boss.last["table"]["filter"] == "6222000000000000101"
    assert public.last["table"]["filter"] == "622200*********0101"
    everything = json.dumps([data for _, data in public.events], ensure_ascii=False)
    assert "6222000000000000101" not in everything
    # a name is only a name: the credential decides, whatever a screen calls itself
    judge.sio.emit("name", "public", namespace="/live")
    public.sio.emit("name", "judge", namespace="/live")
    again = boss.send(action="table", filter="6222000000000000101", sort=5)
    for follower in (judge, public):
        wait_until(lambda f=follower: f.last["seq"] == again["seq"])
    assert judge.last["table"]["filter"] == "6222000000000000101"
    assert public.last["table"]["filter"] == "622200*********0101"


def test_a_public_screen_gets_a_charts_focus_and_flow_masked(clients):
    public = gallery(clients)
    boss = presenter(clients)
    boss.send(action="goto", item="E11")
    account = "孙某 6222000000000000101"
    answer = boss.send(action="chart", focus=[account], flow=[account, "其他"])
    assert answer["ok"], answer
    wait_until(lambda: public.last["seq"] == answer["seq"])
    assert boss.last["chart"]["flow"] == [account, "其他"]
    assert public.last["chart"]["focus"] == ["孙某 622200*********0101"]
    assert public.last["chart"]["flow"] == ["孙某 622200*********0101", "其他"]
    everything = json.dumps([data for _, data in public.events], ensure_ascii=False)
    assert "6222000000000000101" not in everything
