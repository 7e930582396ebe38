"""The server: idle connections cannot stall it, it starts with our lines only, it stops on
SIGTERM, and it answers only for the hosts it serves (DNS rebinding)."""

from __future__ import annotations

import contextlib
import http.client
import http.cookiejar
import signal
import socket
import threading
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
import socketio

from presenter.web.server import CourtServer, Limits

from .conftest import PRESENTER_KEY, SCREEN_KEY, serve_deck

IDLE = 500
MAC_FILE_LIMIT = 256
"""The number of open files a Mac allows a process by default (Linux: 1,024)."""


@contextlib.contextmanager
def file_limit_for_children(soft: int) -> Iterator[None]:
    """Processes started inside get `soft` as their open-file limit, as on a Mac; this one
    gets its own back when they have started."""
    resource = pytest.importorskip("resource")
    before = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (soft, before[1]))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_NOFILE, before)


@contextlib.contextmanager
def server_with_file_limit(deck: Path, instance: Path, soft: int):
    with contextlib.ExitStack() as stack:
        with file_limit_for_children(soft):
            served = stack.enter_context(serve_deck(deck, instance))
        yield served


def port_of(url: str) -> int:
    return int(url.rsplit(":", 1)[1].strip("/"))


def idle_connections(port: int, count: int, stack: contextlib.ExitStack) -> list[socket.socket]:
    """`count` connections that never finish a request: half send nothing, half stop in the
    middle of the request line."""
    held = []
    for n in range(count):
        sock = stack.enter_context(socket.create_connection(("127.0.0.1", port), timeout=10))
        if n % 2:
            sock.sendall(b"GET / HT")
        held.append(sock)
    return held


def still_held(sock: socket.socket) -> bool:
    """Open, and the server has neither answered nor closed it."""
    sock.setblocking(False)
    try:
        sock.recv(1, socket.MSG_PEEK)
    except BlockingIOError:
        return True
    except OSError:
        return False
    return False


def threads_of(pid: int) -> int | None:
    status = Path(f"/proc/{pid}/status")
    if not status.exists():
        return None
    return int(status.read_text().split("Threads:")[1].split()[0])


def browser(url: str, key: str) -> int:
    """Open a link as a browser does (following its redirect with the cookie): the status."""
    opener = urllib.request.build_opener(
        urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
    )
    with opener.open(f"{url}{key}", timeout=20) as response:
        response.read()
        return response.status


def presenter_client(url: str) -> socketio.Client:
    client = socketio.Client(reconnection=False)
    client.connect(
        url,
        namespaces=["/live"],
        auth={"key": PRESENTER_KEY, "role": "presenter", "name": "presenter"},
        transports=["websocket"],
        wait_timeout=20,
    )
    return client


def test_idle_connections_do_not_stall_the_presenter(deck_dir, tmp_path):
    with (
        server_with_file_limit(deck_dir, tmp_path / "instance", MAC_FILE_LIMIT) as served,
        contextlib.ExitStack() as stack,
    ):
        held = idle_connections(port_of(served.url), IDLE, stack)
        boss = presenter_client(served.url)
        stack.callback(boss.disconnect)
        commands = [{"action": "blank", "mode": "black"}, {"action": "blank", "mode": None}]
        acks = [boss.call("command", c, namespace="/live", timeout=20) for c in commands * 2]
        assert all(ack["ok"] for ack in acks), acks
        assert browser(served.url, f"present?key={PRESENTER_KEY}") == 200
        assert browser(served.url, f"screen?key={SCREEN_KEY}") == 200
        assert all(still_held(sock) for sock in held), "the idle connections were cut off"
        threads = threads_of(served.process.pid)
        assert threads is None or threads < IDLE // 5, f"{threads} threads for idle sockets"


def test_start_up_prints_our_lines_and_no_development_server_warning(deck_dir, tmp_path):
    with serve_deck(deck_dir, tmp_path / "instance") as served:
        pass
    assert f"{served.url}present?key={PRESENTER_KEY}" in served.out
    assert f"{served.url}screen?key={SCREEN_KEY}" in served.out
    printed = served.out + served.err
    for words in ("development server", "WARNING", "Do not use it in a production", "Werkzeug"):
        assert words not in printed


def test_sigterm_stops_the_server_while_requests_are_in_flight(deck_dir, tmp_path):
    with serve_deck(deck_dir, tmp_path / "instance") as served:
        boss = presenter_client(served.url)  # a WebSocket: a request that never ends
        port = port_of(served.url)
        poll = http.client.HTTPConnection("127.0.0.1", port, timeout=20)
        poll.request("GET", "/socket.io/?EIO=4&transport=polling")
        session = poll.getresponse().read().decode()
        sid = session.split('"sid":"')[1].split('"')[0]
        poll.request("GET", f"/socket.io/?EIO=4&transport=polling&sid={sid}")  # a long poll
        served.process.send_signal(signal.SIGTERM)
        assert served.process.wait(timeout=20) == 0
        poll.close()
        boss.disconnect()
    assert "Traceback" not in served.err


REFUSED_PATHS = [
    "/",
    f"/present?key={PRESENTER_KEY}",
    f"/screen?key={SCREEN_KEY}",
    "/files/E02/files/shot.png",
    "/socket.io/?EIO=4&transport=polling",
]


def fetch(port: int, path: str, host: str) -> tuple[int, str, str]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=20)
    try:
        connection.request("GET", path, headers={"Host": host})
        response = connection.getresponse()
        return response.status, response.getheader("Content-Type", ""), response.read().decode()
    finally:
        connection.close()


def test_requests_for_other_hosts_are_refused_everywhere(deck_dir, tmp_path):
    with serve_deck(deck_dir, tmp_path / "instance") as served:
        port = port_of(served.url)
        for path in REFUSED_PATHS:
            status, kind, text = fetch(port, path, "evil.example")
            assert status in (400, 421), (path, status)
            assert kind.startswith("text/plain") and len(text) < 200, (path, kind, text)
            assert fetch(port, path, f"evil.example:{port}")[0] in (400, 421), path
        for host in (f"127.0.0.1:{port}", f"localhost:{port}"):
            assert fetch(port, f"/screen?key={SCREEN_KEY}", host)[0] == 303, host
            assert fetch(port, "/socket.io/?EIO=4&transport=polling", host)[0] == 200, host


def test_the_app_refuses_other_hosts_and_serves_the_test_clients_localhost(app, client):
    refused = app.test_client().get(
        "/socket.io/?EIO=4&transport=polling", base_url="http://evil.example"
    )
    assert refused.status_code in (400, 421) and refused.mimetype == "text/plain"
    assert client.get("/present").status_code == 200


# The doorway itself, on a tiny app, with small limits


@contextlib.contextmanager
def running(app, limits: Limits) -> Iterator[CourtServer]:
    server = CourtServer(app, "127.0.0.1", 0, limits)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        thread.join(timeout=20)
        assert not thread.is_alive()


def test_a_connection_that_never_sends_its_headers_is_dropped():
    def app(environ, start_response):
        start_response("200 OK", [("Content-Type", "text/plain")])
        return [b"ok"]

    with running(app, Limits(header_timeout=0.2)) as server:
        sock = socket.create_connection(("127.0.0.1", server.port), timeout=20)
        sock.sendall(b"GET / HTTP/1.1\r\nHost: x")
        answer = sock.recv(4096)
        assert answer.startswith(b"HTTP/1.1 408")
        assert sock.recv(4096) == b""
        sock.close()


def test_requests_beyond_the_per_address_cap_are_refused_with_a_503():
    release = threading.Event()
    started = threading.Semaphore(0)

    def app(environ, start_response):
        started.release()
        release.wait(20)
        start_response("200 OK", [("Content-Type", "text/plain")])
        return [b"ok"]

    with running(app, Limits(max_active_per_address=2)) as server:
        slow = [http.client.HTTPConnection("127.0.0.1", server.port, timeout=20) for _ in "ab"]
        for connection in slow:
            connection.request("GET", "/")
        for _ in slow:
            assert started.acquire(timeout=20)
        status, _, text = fetch(server.port, "/", "localhost")
        assert status == 503 and "too many connections from 127.0.0.1" in text
        release.set()
        assert [c.getresponse().status for c in slow] == [200, 200]


def test_only_a_websocket_may_stay_quiet_after_its_headers():
    def app(environ, start_response):
        start_response("200 OK", [("Content-Type", "text/plain")])
        return [repr(environ["werkzeug.socket"].gettimeout()).encode()]

    with running(app, Limits(io_timeout=7.0)) as server:
        plain = http.client.HTTPConnection("127.0.0.1", server.port, timeout=20)
        plain.request("GET", "/")
        assert plain.getresponse().read() == b"7.0"
        upgrade = http.client.HTTPConnection("127.0.0.1", server.port, timeout=20)
        upgrade.request("GET", "/", headers={"Upgrade": "websocket", "Connection": "Upgrade"})
        assert upgrade.getresponse().read() == b"None"


def test_stopping_cuts_off_requests_that_would_never_end():
    started = threading.Event()

    def app(environ, start_response):  # a WebSocket whose client never closes it
        started.set()
        while environ["werkzeug.socket"].recv(1):
            pass
        raise ConnectionError

    server = CourtServer(app, "127.0.0.1", 0, Limits(stop_grace=0.1))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    sock = socket.create_connection(("127.0.0.1", server.port), timeout=20)
    sock.sendall(b"GET / HTTP/1.1\r\nHost: localhost\r\nUpgrade: websocket\r\n\r\n")
    assert started.wait(20)
    server.shutdown()
    thread.join(timeout=20)
    assert not thread.is_alive()
    assert sock.recv(1) == b""
    sock.close()
