"""Several processes carrying one presentation through a real Redis (`serve --redis`): commands
on one reach the screens of another, two presenters racing never fork it, every process keeps
the same record, a process with another deck is refused, a killed process's presenter and
screens move to a standby, and a Redis master killed under Sentinel is replaced."""

from __future__ import annotations

import contextlib
import json
import re
import shutil
import signal
import threading
import urllib.error
import urllib.parse
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path

import pytest

from presenter.live.record import verify_record

from .conftest import (
    DEMO_DECK,
    PRESENTER_KEY,
    PUBLIC_KEY,
    SCREEN_KEY,
    Served,
    cookie,
    pairing_screen,
    run_app,
    serve_app,
    wait_until,
)
from .redis_servers import SentinelSet, free_port, redis_server
from .test_live_sockets import Follower

pytestmark = pytest.mark.skipif(
    shutil.which("redis-server") is None, reason="make test installs redis-server"
)


def deck_for(root: Path, name: str) -> Path:
    """A process's own copy of the demo deck (the same deck id: the folder's name)."""
    deck = root / name / "demo"
    if not deck.exists():
        shutil.copytree(DEMO_DECK, deck)
    return deck


@contextlib.contextmanager
def process(
    root: Path, name: str, redis: str, port: int, peers: tuple[int, ...] = ()
) -> Iterator[Served]:
    """`python app.py DECK --redis URL --peer ...` with the tests' keys, answering."""
    more = [arg for p in peers for arg in ("--peer", f"http://127.0.0.1:{p}")]
    with serve_app(
        str(deck_for(root, name)), "--redis", redis, *more,
        "--presenter-key", PRESENTER_KEY, "--screen-key", SCREEN_KEY, "--public-key", PUBLIC_KEY,
        "--instance", str(root / f"instance-{name}"), port=port,
    ) as served:  # fmt: skip
        wait_until(lambda: served.get("alive") is not None, timeout=60)
        yield served


@contextlib.contextmanager
def two_processes(root: Path, redis: str, standby: bool = False) -> Iterator[tuple[Served, Served]]:
    """A and B on one Redis; with `standby`, each is given as the other's peer."""
    ports = free_port(), free_port()
    with (
        process(root, "a", redis, ports[0], ports[1:] if standby else ()) as a,
        process(root, "b", redis, ports[1], ports[:1] if standby else ()) as b,
    ):
        yield a, b


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    """One Redis and two processes, A and B, each the other's standby."""
    root = tmp_path_factory.mktemp("cluster")
    with redis_server(root / "redis") as redis, two_processes(root, redis.url, True) as (a, b):
        yield root, redis, a, b


@pytest.fixture
def follow():
    with ExitStack() as stack:

        def make(served: Served, key: str, role: str = "screen") -> Follower:
            follower = Follower(served.url, key=key, role=role, name=role).connect()
            stack.callback(follower.close)
            return follower

        yield make


def test_commands_on_one_process_reach_the_screens_of_another(cluster, follow):
    _, _, a, b = cluster
    screen_b = follow(b, SCREEN_KEY)
    public_b = follow(b, PUBLIC_KEY)
    presenter_a = follow(a, PRESENTER_KEY, "presenter")
    ack = presenter_a.send(action="goto", item="E03")
    assert ack["ok"], ack
    wait_until(lambda: screen_b.last["seq"] == ack["seq"] and public_b.last["seq"] == ack["seq"])
    assert screen_b.last["item"] == "E03"
    # the standby's own copy of the exhibit opens there for its screens: it knows what is shown
    opener = b.browser
    opener.open(f"{b.url}screen?key={SCREEN_KEY}").read()
    page = opener.open(f"{b.url}screen/exhibit/E03/content").read().decode()
    assert 'data-item="E03"' in page
    # what a screen of B asks right after a state from A is answered from that state
    ack = presenter_a.send(action="goto", item="E01")
    assert presenter_a.send(action="chart", focus=["张某"])["ok"]
    focused = presenter_a.send(action="chart", focus=[])
    wait_until(lambda: screen_b.last["seq"] == focused["seq"])
    figure = json.loads(opener.open(f"{b.url}charts/E01/figure").read())
    assert figure["seq"] == focused["seq"]
    ack = presenter_a.send(action="goto", item="E03")
    # a screen that connects to B later takes the snapshot A made
    late = follow(b, SCREEN_KEY)
    assert late.last["seq"] == ack["seq"] and late.last["item"] == "E03"
    # the presenter's clocks, set on A, are where a presenter moving to B finds them
    assert presenter_a.send(action="goto", item="E02")["ok"]
    presenter_a.sio.call("timer", {"countdown": 600}, namespace="/live")
    presenter_b = follow(b, PRESENTER_KEY, "presenter")
    clocks = [d for e, d in presenter_b.events if e == "timers"][0]
    assert clocks["countdown"]["seconds"] == 600
    # the presenter on A sees the screens of both processes, B's named by its process
    wait_until(lambda: len({s.get("process") for s in _screens(presenter_a)}) == 2)
    port_b = b.url.rstrip("/").rsplit(":", 1)[1]
    on_b = [s for s in _screens(presenter_a) if s["process"].endswith(f":{port_b}")]
    assert any(s["role"] == "screen" and not s.get("public") for s in on_b)
    assert any(s["role"] == "screen" and s.get("public") for s in on_b)


def _screens(follower: Follower) -> list[dict]:
    with follower.lock:
        lists = [data for event, data in follower.events if event == "screens"]
    return lists[-1] if lists else []  # type: ignore[return-value]


def test_two_presenters_racing_on_two_processes_never_make_two_states_with_one_seq(cluster, follow):
    root, _, a, b = cluster
    presenter_a = follow(a, PRESENTER_KEY, "presenter")
    presenter_b = follow(b, PRESENTER_KEY, "presenter")
    screen_a, screen_b = follow(a, SCREEN_KEY), follow(b, SCREEN_KEY)
    acks: list[tuple[str, dict]] = []
    lock = threading.Lock()

    assert presenter_a.send(action="goto", item="E05")["ok"]

    def drive(name: str, presenter: Follower) -> None:
        for n in range(40):
            # every command changes the state: a pointer where it never was, a walk
            y = 0.3 if name == "a" else 0.6
            walk = {"action": "next" if n % 4 == 0 else "prev"}
            command = walk if n % 2 == 0 else {"action": "pointer", "x": (n + 1) / 100, "y": y}
            ack = presenter.send(**command)
            with lock:
                acks.append((name, {**ack, "walk": command is walk}))

    threads = [
        threading.Thread(target=drive, args=(name, p))
        for name, p in (("a", presenter_a), ("b", presenter_b))
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    done = [ack["seq"] for _, ack in acks if ack.get("ok")]
    assert len(done) == len(set(done)), "two commands were given one seq"
    assert {name for name, ack in acks if ack.get("ok")} == {"a", "b"}
    last = max(done)

    # a state made here and one made there can arrive in either order; a page keeps the
    # newest (live.js), so the newest each screen has heard is what it shows
    def newest(screen: Follower) -> int:
        with screen.lock:
            return max(state["seq"] for state in screen.states)

    wait_until(lambda: newest(screen_a) >= last and newest(screen_b) >= last)
    # every screen saw each seq with one state only
    for screen in (screen_a, screen_b):
        seen: dict[int, str] = {}
        for state in screen.states:
            body = json.dumps(state, sort_keys=True)
            assert seen.setdefault(state["seq"], body) == body
    assert screen_a.last == screen_b.last
    # "结束示证" on B; each process's copy of the record is whole, the same, and has every
    # recorded command in the order of seq
    closing = presenter_b.send(action="end")
    assert closing["ok"], closing
    copies = _records(root)
    wait_until(lambda: len({p.read_bytes() for p in _records(root)}) == 1, timeout=20)
    assert len(copies) == 2
    for copy in copies:
        assert verify_record(copy).ok
    entries = [json.loads(line) for line in copies[0].read_text().splitlines()]
    recorded = [e["state"]["seq"] for e in entries if e["event"] == "state"]
    assert recorded == sorted(recorded), "the record is out of order"
    walks = [ack["seq"] for _, ack in acks if ack.get("ok") and ack["walk"]]
    assert len(walks) == 40 and set(walks) <= set(recorded)  # pointer moves are not recorded
    assert entries[-1]["event"] == "close" and entries[-1]["hash"] == closing["head"]
    for copy in copies:
        check = run_app("verify-record", str(copy))
        assert check.returncode == 0, check.stdout + check.stderr
    # the next command starts the next record, in a new file of the same name everywhere
    assert presenter_a.send(action="next")["ok"]
    wait_until(lambda: {p.name for p in _records(root)} - {c.name for c in copies})
    wait_until(lambda: len({p.read_bytes() for p in _records(root)}) == 1, timeout=20)
    first = json.loads(_records(root)[0].read_text().splitlines()[0])
    assert first["event"] == "start" and first["n"] == 1


def _records(root: Path) -> list[Path]:
    """The newest record file of each process."""
    found = []
    for name in ("a", "b"):
        files = sorted((root / f"instance-{name}" / "demo" / "records").glob("*.jsonl"))
        found += files[-1:]
    return found


def test_a_pairing_approved_on_one_process_lets_the_screen_in_on_another(cluster, follow):
    _, _, a, b = cluster
    opener, jar, code = pairing_screen(b.url, "overflow-room")
    presenter_a = follow(a, PRESENTER_KEY, "presenter")
    wait_until(lambda: any(p["code"] == code for p in _pairings(presenter_a)))
    assert presenter_a.send(action="pair", code=code, approve=True) == {"ok": True}
    page = opener.open(f"{b.url}screen").read().decode()
    assert "pairing-code" not in page
    paired = follow(b, cookie(jar, "pair"))
    # revoked on A, it opens nothing on B any more, and its connection to B is cut
    assert presenter_a.send(action="pair", code=code, revoke=True) == {"ok": True}
    wait_until(lambda: not paired.sio.connected or paired.sio.namespaces == {})
    with pytest.raises(urllib.error.HTTPError):
        opener.open(f"{b.url}screen/case")


def _pairings(follower: Follower) -> list[dict]:
    with follower.lock:
        found = [d for e, d in follower.events if e == "pairing"]
        for event, data in follower.events:
            if event == "pairings":
                found += data  # type: ignore[operator]
    return found  # type: ignore[return-value]


def test_a_ticket_lets_a_page_in_on_the_standby_as_it_was_and_nothing_more(cluster, follow):
    _, _, a, b = cluster
    screen = follow(a, SCREEN_KEY)
    wait_until(lambda: any(e == "peers" for e, _ in screen.events))
    peers = next(d for e, d in screen.events if e == "peers")
    assert peers["peers"] == [b.url.rstrip("/")]
    ticket = peers["ticket"]
    assert SCREEN_KEY not in ticket and PRESENTER_KEY not in ticket

    def land(ticket: str, target: str) -> tuple[int, str, Served]:
        fresh = Served(b.process, int(b.url.rstrip("/").rsplit(":", 1)[1]))
        query = urllib.parse.urlencode({"ticket": ticket, "next": target})
        try:
            with fresh.browser.open(f"{fresh.url}land?{query}") as response:
                return 200, response.read().decode(), fresh
        except urllib.error.HTTPError as error:
            return error.code, "", fresh

    status, body, landed = land(ticket, "/screen?name=left")
    assert status == 200 and 'http-equiv="refresh"' in body and "/screen?name=left" in body
    # a query as a browser leaves it in the address bar
    assert land(ticket, "/screen?name=Room(2),a:b&x=%E5%B7%A6")[0] == 200
    assert "stage" in landed.get("screen?name=left")
    # a screen's ticket opens no presenter page; forged, tampered or off-site ones nothing
    with pytest.raises(urllib.error.HTTPError) as refused:
        landed.browser.open(f"{landed.url}present")
    assert refused.value.code == 403
    assert land(ticket[:-2] + "xx", "/screen")[0] == 403
    assert land("eyJjIjoicHJlc2VudGVyIn0.AAAAAA.forged", "/screen")[0] == 403
    hostile = (
        "//evil.example/", "https://evil.example/", "/files/../present", "/screen\n",
        '/screen?"><script>', "/screen?a b", "/screen\\evil", "/present/../files/x",
    )  # fmt: skip
    for target in hostile:
        assert land(ticket, target)[0] == 403
    with urllib.request.urlopen(f"{b.url}alive") as response:
        assert response.status == 204


def test_a_process_with_another_copy_of_the_deck_is_refused_and_told_which_exhibits(
    cluster, tmp_path
):
    _, redis, _, _ = cluster
    deck = tmp_path / "c" / "demo"
    shutil.copytree(DEMO_DECK, deck)
    item = deck / "items" / "e02-recruit-ad.md"
    item.write_text(item.read_text().replace("6999f4b3d402e54108dbf694a6cbfaa6", "0" * 32))
    result = run_app(
        str(deck), "--redis", redis.url, "--port", str(free_port()),
        "--instance", str(tmp_path / "instance"),
    )  # fmt: skip
    assert result.returncode == 1
    assert "E02" in result.stderr and "E01" not in result.stderr
    assert "Traceback" not in result.stderr
    # a copy whose file was changed, its recorded hash not: refused too, naming that exhibit
    changed = tmp_path / "d" / "demo"
    shutil.copytree(DEMO_DECK, changed)
    code = changed / "files" / "platform" / "TradeAdmin.php"
    code.write_bytes(code.read_bytes().replace(b"<?php", b"<?PHP", 1))
    result = run_app(
        str(changed), "--redis", redis.url, "--port", str(free_port()),
        "--instance", str(tmp_path / "instance3"),
    )  # fmt: skip
    assert result.returncode == 1, result.stderr
    refusal = result.stderr.splitlines()[-1]
    assert "E07" in refusal and "E02" not in refusal and "Traceback" not in result.stderr
    # a Redis that is not there: said, not a traceback
    gone = run_app(
        str(deck), "--redis", f"redis://:secret@127.0.0.1:{free_port()}/0", "--port",
        str(free_port()), "--instance", str(tmp_path / "instance2"),
    )  # fmt: skip
    assert gone.returncode == 1 and "Redis" in gone.stderr
    assert "secret" not in gone.stderr and "Traceback" not in gone.stderr


def test_while_redis_is_away_screens_keep_their_state_and_commands_are_refused(tmp_path, follow):
    with redis_server(tmp_path / "redis") as redis:
        with two_processes(tmp_path, redis.url) as (a, b):
            presenter = follow(a, PRESENTER_KEY, "presenter")
            screen = follow(b, SCREEN_KEY)
            _, _, code = pairing_screen(a.url, "clerk")
            assert presenter.send(action="pair", code=code, approve=True) == {"ok": True}
            ack = presenter.send(action="goto", item="E02")
            wait_until(lambda: screen.last["seq"] == ack["seq"])
            redis.kill()
            refused = presenter.send(action="next")
            assert refused == {"ok": False, "error": "cluster_lost"}
            # nor is a presenter's decision on a screen taken while it cannot be shared
            lost = presenter.send(action="pair", code=code, revoke=True)
            assert lost == {"ok": False, "error": "cluster_lost"}
            assert screen.sio.connected and screen.last["item"] == "E02"
            assert screen.last["seq"] == ack["seq"]
            assert a.process.poll() is None and b.process.poll() is None
            # nothing of the refused command reached either copy of the record
            for copy in _records(tmp_path):
                lines = copy.read_text().splitlines()
                assert json.loads(lines[-1])["event"] != "state" or (
                    json.loads(lines[-1])["state"]["seq"] <= ack["seq"]
                )


def test_kill_9_moves_the_presenter_and_five_screens_to_the_standby_where_it_stood(
    tmp_path, browser
):
    with redis_server(tmp_path / "redis") as redis:
        with two_processes(tmp_path, redis.url, True) as (a, b), ExitStack() as stack:
            pages = []
            for n in range(6):
                context = browser.new_context(viewport={"width": 1366, "height": 768})
                stack.callback(context.close)
                page = context.new_page()
                link = f"present?key={PRESENTER_KEY}" if n == 0 else f"screen?key={SCREEN_KEY}"
                page.goto(a.url + link)
                pages.append(page)
            presenter = Follower(a.url, key=PRESENTER_KEY, role="presenter").connect()
            stack.callback(presenter.close)
            presenter.send(action="goto", item="E03")
            presenter.send(action="blank", mode=None)
            presenter.send(action="panel", panel="source")
            ack = presenter.send(
                action="annotate", op="add",
                shape={"kind": "rect", "points": [[0.2, 0.2], [0.6, 0.6]], "color": "#ff0000"},
            )  # fmt: skip
            assert ack["ok"], ack
            seq = ack["seq"]
            for page in pages[1:]:
                page.wait_for_function(f"() => document.documentElement.dataset.seq == '{seq}'")
            presenter.close()
            a.process.send_signal(signal.SIGKILL)
            standby = b.url.rstrip("/")
            for page in pages:
                page.wait_for_url(
                    re.compile(re.escape(standby) + "/(present|screen)"), timeout=30000
                )
            for page in pages[1:]:
                page.wait_for_function(
                    f"() => document.documentElement.dataset.seq == '{seq}'", timeout=30000
                )
                stage = page.locator("[data-item]").first
                assert stage.get_attribute("data-item") == "E03"
                assert stage.get_attribute("data-marks") == "1"
            # the next command, from the presenter's keyboard on the standby, goes through
            pages[0].wait_for_function("() => document.querySelector('[data-seq]') !== null")
            pages[0].keyboard.press("ArrowRight")
            for page in pages[1:]:
                page.wait_for_function(
                    f"() => Number(document.documentElement.dataset.seq) > {seq}", timeout=30000
                )


def test_the_presentation_goes_on_when_sentinel_replaces_a_killed_redis_master(tmp_path, follow):
    sentinels = SentinelSet(tmp_path / "redis")
    try:
        with two_processes(tmp_path, sentinels.url) as (a, b):
            presenter = follow(a, PRESENTER_KEY, "presenter")
            screen = follow(b, SCREEN_KEY)
            ack = presenter.send(action="goto", item="E02")
            wait_until(lambda: screen.last["seq"] == ack["seq"])
            sentinels.master.kill()

            def goes_through():
                answer = presenter.send(action="next")
                return answer if answer.get("ok") else None

            after = wait_until(goes_through, timeout=30)
            assert after["seq"] > ack["seq"]
            wait_until(lambda: screen.last["seq"] >= after["seq"], timeout=20)
            # the record went on, in order, on the promoted replica and in each copy
            wait_until(lambda: len({p.read_bytes() for p in _records(tmp_path)}) == 1, timeout=20)
            for copy in _records(tmp_path):
                assert verify_record(copy).ok
    finally:
        sentinels.stop()


def test_a_deck_changed_between_sittings_is_taken_only_when_no_other_process_serves(tmp_path):
    from presenter.live.cluster import Cluster, DeckDiffers, TermsDiffer

    def terms(hashes: dict[str, str]) -> dict:
        keys = {"presenter": "p" * 24, "screen": "s" * 24, "public": "g" * 24}
        return {
            "fingerprint": {"deck": "demo", "items": hashes},
            "keys": keys,
            "signing": "pem",
            "public_mask": True,
        }

    with redis_server(tmp_path / "redis") as redis:
        first = Cluster(redis.url, "demo", "10.0.0.1:5000")
        shared = first.join(terms({"E01": "a", "E02": "b"}))
        assert shared["keys"]["presenter"] == "p" * 24
        other = Cluster(redis.url, "demo", "10.0.0.2:5000")
        changed = terms({"E01": "a", "E02": "c", "E03": "d"})
        changed["keys"] = {"presenter": "x" * 24, "screen": "y" * 24, "public": "z" * 24}
        with pytest.raises(DeckDiffers) as differs:
            other.join(changed)
        assert differs.value.items == ["E02", "E03"]
        unmasked = {**terms({"E01": "a", "E02": "b"}), "public_mask": False}
        with pytest.raises(TermsDiffer):  # the public gallery masked on one, not the other
            other.join(unmasked)
        first.redis.delete(first.key("clients:10.0.0.1:5000"))  # the first one has gone
        taken = other.join(changed)
        assert taken["fingerprint"]["items"] == changed["fingerprint"]["items"]
        assert taken["keys"]["presenter"] == "p" * 24  # the links printed before still open


def test_redis_back_empty_or_without_its_last_changes_never_forks_the_record(tmp_path, follow):
    import redis as redis_py

    with redis_server(tmp_path / "redis", "appendonly no") as store:
        with two_processes(tmp_path, store.url) as (a, b):
            presenter = follow(a, PRESENTER_KEY, "presenter")
            screen = follow(b, SCREEN_KEY)
            saved = presenter.send(action="goto", item="E02")
            redis_py.Redis.from_url(store.url).save()  # what Redis will come back with
            later = presenter.send(action="goto", item="E04")
            wait_until(lambda: screen.last["seq"] == later["seq"])
            wait_until(lambda: len({p.read_bytes() for p in _records(tmp_path)}) == 1)
            store.kill()
            store.start()  # from the file saved before the last change
            refused = presenter.send(action="next")
            assert refused == {"ok": False, "error": "cluster_behind"}, (saved, refused)
            assert screen.last["item"] == "E04"
            # the technician empties the presentation's keys: carried on from A, a new
            # record file in every copy, each whole and the same
            store_client = redis_py.Redis.from_url(store.url)
            for key in store_client.scan_iter("shizheng:demo:*"):
                store_client.delete(key)
            before = {p.name for p in _records(tmp_path)}
            after = presenter.send(action="next")
            assert after["ok"] and after["seq"] > later["seq"], after
            wait_until(lambda: screen.last["seq"] == after["seq"])
            wait_until(lambda: {p.name for p in _records(tmp_path)} != before)
            wait_until(lambda: len({p.read_bytes() for p in _records(tmp_path)}) == 1)
            for name in ("a", "b"):
                for copy in (tmp_path / f"instance-{name}" / "demo" / "records").glob("*"):
                    assert copy.suffix == ".jsonl" and verify_record(copy).ok, copy
            assert b.process.poll() is None and a.process.poll() is None
