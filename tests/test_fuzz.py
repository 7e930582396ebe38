"""Random parameters to every HTTP route and random payloads to every socket event, from every
kind of client: never a 500, never a traceback, always an acknowledgement."""

from __future__ import annotations

import shutil
from pathlib import Path
from urllib.parse import quote, urlencode

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from presenter.deck import load_deck
from presenter.live.machine import ACTIONS

from .conftest import DEMO_DECK, PRESENTER_KEY, PUBLIC_KEY, SCREEN_KEY, court_app, keyed_client

pytestmark = pytest.mark.filterwarnings(
    # hypothesis notes any change of the global `random` state while it draws; a socket.io
    # client of another test, reconnecting in its own thread, changes it (jittered delays)
    "ignore:Do not use the `random` module inside strategies"
)

FUZZ = settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    derandomize=True,
)


@pytest.fixture(scope="module")
def demo_app(tmp_path_factory):
    root = tmp_path_factory.mktemp("fuzz")
    deck = Path(shutil.copytree(DEMO_DECK, root / "decks" / "demo"))
    with court_app(deck, root / "instance") as app:
        yield app


@pytest.fixture(scope="module")
def browsers(demo_app):
    """A presenter's, a court screen's, a public screen's and a stranger's browser."""
    return [
        keyed_client(demo_app, PRESENTER_KEY),
        keyed_client(demo_app, SCREEN_KEY),
        keyed_client(demo_app, PUBLIC_KEY),
        demo_app.test_client(),
    ]


DECK = load_deck(DEMO_DECK).deck
ITEMS = st.sampled_from([e.id for e in DECK.exhibits]) | st.text(max_size=12)
NAMES = st.sampled_from([n for e in DECK.exhibits for n in e.files]) | st.text(max_size=30)
NUMBER = st.floats(allow_nan=True, allow_infinity=True) | st.integers(-(10**12), 10**12)
VALUES = (
    st.text(max_size=40)
    | NUMBER.map(str)
    | st.lists(NUMBER, min_size=0, max_size=5).map(lambda v: ",".join(map(str, v)))
    | st.sampled_from(["public", "en", "1", "0", "-1", "0,0,0.00001,0.00001", "1e308", "nan"])
)
QUERY = st.dictionaries(
    st.sampled_from(["start", "region", "thumb", "as", "lang", "key", "name", "v", "x"]),
    VALUES,
    max_size=4,
)
PATHS = st.one_of(
    st.builds(lambda i, p: f"/screen/exhibit/{quote(i, safe='')}/{quote(p, safe='')}", ITEMS,
              st.sampled_from(["content", "facts", "corroboration"]) | st.text(max_size=8)),
    st.builds(lambda i, n: f"/files/{quote(i, safe='')}/{quote(n)}", ITEMS, NAMES),
    st.builds(lambda i, n: f"/images/{quote(i, safe='')}/{quote(n)}", ITEMS, NAMES),
    st.builds(lambda i, n: f"/pages/{quote(i, safe='')}/{n}.png", ITEMS, st.integers(-2, 10**6)),
    st.builds(lambda i, r: f"/{r}/{quote(i, safe='')}/{'rows' if r == 'tables' else 'messages'}",
              ITEMS, st.sampled_from(["tables", "chats"])),
    st.builds(lambda i, r: f"/charts/{quote(i, safe='')}/{r}", ITEMS,
              st.sampled_from(["figure", "transactions"])),
    st.sampled_from(["/", "/present", "/present/deck.json", "/present/case", "/screen",
                     "/screen/pairing", "/screen/case", "/vendor/plotly-7.1.0.min.js",
                     "/static/js/live.js", "/static/../pyproject.toml"]),
    st.text(max_size=40).map(lambda t: "/" + quote(t)),
)  # fmt: skip


@FUZZ
@given(path=PATHS, query=QUERY, who=st.integers(0, 3))
def test_no_route_answers_a_500_to_anything(browsers, path, query, who):
    url = path + ("?" + urlencode(query) if query else "")
    with browsers[who].get(url) as response:
        assert response.status_code < 500, (url, response.status_code)


def _nested(children: st.SearchStrategy) -> st.SearchStrategy:
    return st.lists(children, max_size=4) | st.dictionaries(
        st.text(max_size=10), children, max_size=4
    )


JSON = st.recursive(
    st.none() | st.booleans() | NUMBER | st.text(max_size=30), _nested, max_leaves=12
)
FIELDS = ["item", "step", "page", "panel", "mode", "region", "x", "y", "op", "position",
          "to", "screen", "sort", "desc", "filter", "start", "until", "focus", "fold", "flow",
          "show", "confirm", "code", "approve", "public", "revoke"]  # fmt: skip
COMMANDS = st.one_of(
    JSON,
    st.builds(
        lambda action, fields: {"action": action, **fields},
        st.sampled_from([*ACTIONS, "pair", "nothing"]) | st.text(max_size=10),
        st.dictionaries(st.sampled_from(FIELDS), JSON, max_size=4),
    ),
)


@pytest.fixture(scope="module")
def sockets(demo_app, browsers):
    socketio = demo_app.extensions["socketio"]
    clients = [
        socketio.test_client(demo_app, namespace="/live", auth={"key": key, "role": role})
        for key, role in (
            (PRESENTER_KEY, "presenter"),
            (PRESENTER_KEY, "expert"),
            (SCREEN_KEY, "screen"),
            (PUBLIC_KEY, "screen"),
        )
    ]
    assert all(c.is_connected("/live") for c in clients)
    yield clients
    for client in clients:
        client.disconnect(namespace="/live")


@FUZZ
@given(payload=COMMANDS, who=st.integers(0, 3))
def test_every_command_gets_an_acknowledgement(sockets, payload, who):
    ack = sockets[who].emit("command", payload, namespace="/live", callback=True)
    assert isinstance(ack, dict) and isinstance(ack.get("ok"), bool), (payload, ack)
    assert ack["ok"] or isinstance(ack.get("error"), str)


@FUZZ
@given(event=st.sampled_from(["command", "name", "clock"]), payload=JSON, who=st.integers(0, 3))
def test_any_payload_to_any_event_is_answered_or_ignored_never_crashes(
    sockets, event, payload, who
):
    answer = sockets[who].emit(event, payload, namespace="/live", callback=True)
    if event == "command":
        assert answer["ok"] is False or isinstance(answer.get("seq"), int)
    if event == "clock":
        assert isinstance(answer, float)
    assert sockets[who].is_connected("/live")


def test_a_command_with_no_payload_or_too_many_is_acknowledged(sockets):
    refused = {"ok": False, "error": "bad_command"}
    assert sockets[0].emit("command", namespace="/live", callback=True) == refused
    extra = sockets[0].emit("command", {"action": "next"}, 2, namespace="/live", callback=True)
    assert extra == refused
    assert isinstance(sockets[2].emit("clock", 1, 2, 3, namespace="/live", callback=True), float)
    sockets[2].emit("name", "judge", {"x": 1}, namespace="/live")
    assert sockets[2].is_connected("/live")


AUTH = st.none() | st.dictionaries(
    st.sampled_from(["key", "role", "name"]) | st.text(max_size=6),
    JSON | st.sampled_from([PRESENTER_KEY, SCREEN_KEY, PUBLIC_KEY, "screen", "presenter"]),
    max_size=3,
)
"""A connection's auth is an object (the protocol's CONNECT payload), of any content."""


@FUZZ
@given(auth=AUTH)
def test_any_connection_attempt_is_refused_or_taken_never_crashes(demo_app, auth):
    client = demo_app.extensions["socketio"].test_client(demo_app, namespace="/live", auth=auth)
    if client.is_connected("/live"):
        client.disconnect(namespace="/live")
