"""The HTTP server: Werkzeug's WSGI handler behind a doorway that idle connections cannot fill.

A connection waits in the doorway, costing a socket and no thread, until its request line and
headers are in; only then does it get a thread of its own, for that one request (a WebSocket
keeps it for its life). Waiting connections that send nothing are dropped after a while, and
the oldest is dropped first when the doorway is full, so a flood of idle connections never
locks out the presenter. Requests being served are capped per client address and in total,
with a short 503. See docs/decisions.md ("The server").
"""

from __future__ import annotations

import contextlib
import errno
import io
import re
import selectors
import signal
import socket
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from werkzeug.serving import WSGIRequestHandler

WSGIApp = Callable[..., object]


def _waiting_capacity(max_active: int) -> int:
    """How many connections may wait for their headers at once: what select() can watch
    (Windows), else what the process's file limit (raised if it may be) leaves beside the
    requests being served."""
    if selectors.DefaultSelector is selectors.SelectSelector:
        return 500  # select() watches at most 512 sockets; the listener and waker are two
    try:
        import resource
    except ImportError:  # pragma: no cover - every POSIX system has it
        return 1000
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    wanted = 8192 if hard == resource.RLIM_INFINITY else min(hard, 8192)
    if soft != resource.RLIM_INFINITY and soft < wanted:
        with contextlib.suppress(ValueError, OSError):
            resource.setrlimit(resource.RLIMIT_NOFILE, (wanted, hard))
            soft = wanted
    if soft == resource.RLIM_INFINITY:
        soft = 8192
    # each request served may hold a socket and a file; 256 for everything else
    return max(64, min(4096, soft - 2 * max_active - 256))


@dataclass(frozen=True)
class Limits:
    """What one client, or all of them together, may hold of the server."""

    header_timeout: float = 60.0
    """Seconds a connection may take to send its request line and headers."""
    io_timeout: float = 60.0
    """Seconds one read or write of a request may block (not a WebSocket's)."""
    max_header_bytes: int = 64 * 1024
    max_active: int = 128
    """Requests served at once: a thread each; an open WebSocket is one."""
    max_active_per_address: int = 64
    max_waiting: int | None = None
    """Connections waiting for their headers, in the doorway (no thread); None: as many as
    the process's file limit allows (at most 4,096; 500 on Windows)."""
    stop_grace: float = 2.0
    """Seconds requests in flight get to finish when the server stops."""


@dataclass(eq=False)
class _Waiting:
    sock: socket.socket
    address: tuple
    since: float
    head: bytes = b""


_HEAD_END = re.compile(rb"\r?\n\r?\n")
_WEBSOCKET = re.compile(rb"(?im)^upgrade:[ \t]*websocket[ \t]*\r?$")
_LISTENER, _WAKER = object(), object()


class _Prefixed(io.RawIOBase):
    """The bytes the doorway already read, then the socket."""

    def __init__(self, prefix: bytes, sock: socket.socket) -> None:
        self._prefix = memoryview(prefix)
        self._sock = sock

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:  # type: ignore[override]
        if self._prefix:
            n = min(len(buffer), len(self._prefix))
            buffer[:n] = self._prefix[:n]
            self._prefix = self._prefix[n:]
            return n
        return self._sock.recv_into(buffer)


class _Handler(WSGIRequestHandler):
    """Werkzeug's WSGI handler for exactly one request, starting from the doorway's bytes."""

    protocol_version = "HTTP/1.1"  # chunked responses; Werkzeug closes every connection

    def __init__(self, sock: socket.socket, client: tuple, server: CourtServer, head: bytes):
        self._head = head
        super().__init__(sock, client, server)  # type: ignore[arg-type]

    def setup(self) -> None:
        super().setup()
        self.rfile.close()
        self.rfile = io.BufferedReader(_Prefixed(self._head, self.connection))

    def handle(self) -> None:
        # one request per connection: after a WebSocket, the bytes on the socket are frames
        try:
            self.handle_one_request()
        except (ConnectionError, TimeoutError) as error:
            self.connection_dropped(error)

    def log(self, type: str, message: str, *args: object) -> None:
        """Quiet: no access log, and no line per malformed request (the app's own errors are
        still printed, through the server)."""


def _reply(sock: socket.socket, status: str, text: str) -> None:
    """A short plain-text answer, sent without blocking, before closing."""
    body = text.encode() + b"\n"
    head = (
        f"HTTP/1.1 {status}\r\nContent-Type: text/plain; charset=utf-8\r\n"
        f"Content-Length: {len(body)}\r\nRetry-After: 1\r\nConnection: close\r\n\r\n"
    )
    with contextlib.suppress(OSError):
        sock.setblocking(False)
        sock.send(head.encode() + body)


def _close(sock: socket.socket) -> None:
    with contextlib.suppress(OSError):
        sock.close()


class CourtServer:
    """Serves one WSGI app on one address until `shutdown()`."""

    multithread = True
    multiprocess = False
    passthrough_errors = False
    ssl_context = None
    _server_version = "Shizheng"

    def __init__(self, app: WSGIApp, host: str, port: int, limits: Limits | None = None):
        self.app = app
        self.limits = limits or Limits()
        self._capacity = self.limits.max_waiting or _waiting_capacity(self.limits.max_active)
        family = socket.AF_INET6 if ":" in host else socket.AF_INET
        dualstack = host == "::" and socket.has_dualstack_ipv6()
        self.socket = socket.create_server(
            (host, port), family=family, backlog=1024, dualstack_ipv6=dualstack
        )
        self.socket.setblocking(False)
        self.server_address = self.socket.getsockname()[:2]
        self.port: int = self.server_address[1]
        self._selector = selectors.DefaultSelector()
        self._wake_in, self._wake_out = socket.socketpair()
        self._wake_in.setblocking(False)
        self._wake_out.setblocking(False)
        self._waiting: dict[_Waiting, None] = {}  # oldest first
        self._lock = threading.Condition()
        self._active: Counter[str] = Counter()
        self._serving: dict[socket.socket, bool] = {}  # socket -> is a WebSocket
        self._stopping = threading.Event()
        self._paused_until = 0.0

    # -- the doorway (one thread: the one that calls serve_forever) --

    def serve_forever(self) -> None:
        """Accept and serve until `shutdown()`; then stop the requests in flight and return."""
        self._selector.register(self.socket, selectors.EVENT_READ, _LISTENER)
        self._selector.register(self._wake_in, selectors.EVENT_READ, _WAKER)
        try:
            while not self._stopping.is_set():
                timeout = self._expire(time.monotonic())
                for key, _ in self._selector.select(timeout):
                    if key.data is _LISTENER:
                        self._accept()
                    elif key.data is _WAKER:
                        with contextlib.suppress(OSError):
                            self._wake_in.recv(512)
                    elif key.data in self._waiting:
                        self._read(key.data)
        finally:
            self._close_doorway()
            self._stop_requests()

    def shutdown(self) -> None:
        """Ask `serve_forever` to stop; safe from a signal handler and from any thread."""
        self._stopping.set()
        with contextlib.suppress(OSError):
            self._wake_out.send(b"x")

    def _expire(self, now: float) -> float:
        """Drop connections that took too long to send their headers; the time to wait."""
        limit = self.limits.header_timeout
        while self._waiting:
            oldest = next(iter(self._waiting))
            if now - oldest.since < limit:
                break
            _reply(oldest.sock, "408 Request Timeout", "request timeout")
            self._drop(oldest)
        if self._paused_until and now >= self._paused_until:
            self._paused_until = 0.0
            self._selector.register(self.socket, selectors.EVENT_READ, _LISTENER)
        timeout = 0.5  # signal handlers run between waits (Windows does not interrupt them)
        if self._waiting:
            timeout = min(timeout, next(iter(self._waiting)).since + limit - now)
        if self._paused_until:
            timeout = min(timeout, self._paused_until - now)
        return max(timeout, 0.0)

    def _accept(self) -> None:
        for _ in range(64):
            try:
                sock, address = self.socket.accept()
            except (BlockingIOError, InterruptedError):
                return
            except OSError as error:
                if error.errno not in (errno.EMFILE, errno.ENFILE, errno.ENOBUFS, errno.ENOMEM):
                    continue  # the client gave up before we took it (ECONNABORTED)
                if self._waiting:  # out of files: the longest waiter makes room
                    self._drop(next(iter(self._waiting)))
                    continue
                self._selector.unregister(self.socket)  # else pause instead of spinning
                self._paused_until = time.monotonic() + 0.1
                return
            if len(self._waiting) >= self._capacity:
                self._drop(next(iter(self._waiting)))
            sock.setblocking(False)
            waiting = _Waiting(sock, address, time.monotonic())
            self._waiting[waiting] = None
            self._selector.register(sock, selectors.EVENT_READ, waiting)

    def _read(self, waiting: _Waiting) -> None:
        try:
            data = waiting.sock.recv(16384)
        except (BlockingIOError, InterruptedError):
            return
        except OSError:
            data = b""
        if not data:
            self._drop(waiting)
            return
        start = max(0, len(waiting.head) - 3)
        waiting.head += data
        if not _HEAD_END.search(waiting.head, start):
            if len(waiting.head) > self.limits.max_header_bytes:
                _reply(waiting.sock, "431 Request Header Fields Too Large", "header too large")
                self._drop(waiting)
            return
        self._selector.unregister(waiting.sock)
        del self._waiting[waiting]
        self._dispatch(waiting)

    def _drop(self, waiting: _Waiting) -> None:
        self._selector.unregister(waiting.sock)
        del self._waiting[waiting]
        _close(waiting.sock)

    def _close_doorway(self) -> None:
        for waiting in list(self._waiting):
            self._drop(waiting)
        self._selector.close()
        for sock in (self.socket, self._wake_in, self._wake_out):
            _close(sock)

    # -- requests, a thread each --

    def _dispatch(self, waiting: _Waiting) -> None:
        sock, host = waiting.sock, str(waiting.address[0])
        refusal = None
        with self._lock:
            if sum(self._active.values()) >= self.limits.max_active:
                refusal = "the presenter is serving too many connections; try again"
            elif self._active[host] >= self.limits.max_active_per_address:
                refusal = f"too many connections from {host}"
            else:
                self._active[host] += 1
                self._serving[sock] = bool(_WEBSOCKET.search(waiting.head))
        if refusal:
            _reply(sock, "503 Service Unavailable", refusal)
            _close(sock)
            return
        thread = threading.Thread(
            target=self._serve, args=(waiting, host), name=f"http {host}", daemon=True
        )
        thread.start()

    def _serve(self, waiting: _Waiting, host: str) -> None:
        sock = waiting.sock
        try:
            sock.setblocking(True)
            # a WebSocket may stay quiet for as long as it is open; nothing else may
            sock.settimeout(None if self._serving.get(sock) else self.limits.io_timeout)
            _Handler(sock, waiting.address, self, waiting.head)
        except Exception as error:  # a bug in the handler: say so, keep serving
            self.log("error", f"Error on request from {host}: {error!r}")
        finally:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
            _close(sock)
            with self._lock:
                self._active[host] -= 1
                if not self._active[host]:
                    del self._active[host]
                self._serving.pop(sock, None)
                self._lock.notify_all()

    def _stop_requests(self) -> None:
        """Close WebSockets now, give other requests a moment, then cut them off."""
        with self._lock:
            self._cut(lambda websocket: websocket)
            self._lock.wait_for(lambda: not self._serving, self.limits.stop_grace)
            self._cut(lambda websocket: True)
            self._lock.wait_for(lambda: not self._serving, self.limits.stop_grace)

    def _cut(self, which: Callable[[bool], bool]) -> None:
        for sock, websocket in list(self._serving.items()):
            if which(websocket):
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)

    def log(self, type: str, message: str, *args: object) -> None:
        """The app's errors, on stderr (Werkzeug's handler calls this)."""
        if not self._stopping.is_set():
            print(message % args if args else message, file=sys.stderr, flush=True)


@contextlib.contextmanager
def _stop_on_signals(server: CourtServer) -> Iterator[None]:
    """Ctrl+C and SIGTERM (and Ctrl+Break on Windows) stop the server instead of killing it."""
    names = ("SIGINT", "SIGTERM", "SIGBREAK")
    wanted = [getattr(signal, name) for name in names if hasattr(signal, name)]
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    before = {number: signal.signal(number, lambda *_: server.shutdown()) for number in wanted}
    try:
        yield
    finally:
        for number, handler in before.items():
            signal.signal(number, handler)


def run(server: CourtServer) -> None:
    """Serve until Ctrl+C or SIGTERM, then return once the requests in flight are stopped."""
    with _stop_on_signals(server):
        server.serve_forever()


def served_hosts(host: str) -> list[str]:
    """The names a request's Host may give for a server listening on `host`: the loopback
    names, `host` itself, and on every interface (0.0.0.0, ::) this machine's addresses and
    names, as a screen on the court's network reaches it."""
    from .security import LOOPBACK_HOSTS

    names = [*LOOPBACK_HOSTS]
    if host not in ("0.0.0.0", "::", ""):
        return list(dict.fromkeys([*names, host.lower()]))
    for family, route in ((socket.AF_INET, "192.0.2.1"), (socket.AF_INET6, "2001:db8::1")):
        with contextlib.suppress(OSError), socket.socket(family, socket.SOCK_DGRAM) as probe:
            probe.connect((route, 9))  # no packet is sent: this only picks a route
            names.append(probe.getsockname()[0])
    for name in {socket.gethostname(), socket.getfqdn()}:
        names.append(name)
        with contextlib.suppress(OSError, UnicodeError):
            names += [str(info[4][0]) for info in socket.getaddrinfo(name, None)]
    names = [name.split("%")[0].lower() for name in names]
    return [name for name in dict.fromkeys(names) if name not in ("0.0.0.0", "::")]
