"""Headers on every response: evidence is hostile, so nothing but our own files may run; and
no request for a host this server does not serve (DNS rebinding)."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from flask import Flask, Response, current_app, request

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        # plotly.js positions its SVG with style attributes; attributes cannot run code, and
        # no evidence text can carry one (nh3 drops them, Jinja escapes them)
        "style-src-attr 'unsafe-inline'",
        "img-src 'self' data: blob:",
        "media-src 'self' blob:",
        "font-src 'self'",
        "connect-src 'self' ws://{host} wss://{host}{peers}",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-src {frames}",
        "frame-ancestors {framers}",
    ]
)


EVIDENCE_FILE_POLICY = "sandbox; default-src 'none'"
"""Every response under /files: a phishing page or an SVG opened from there is sandboxed in
an opaque origin and may load nothing, so it can neither run in the app's origin nor call
out."""

_HOST = re.compile(r"[A-Za-z0-9.\-]+(:\d{1,5})?|\[[0-9A-Fa-f:.]+\](:\d{1,5})?")


def _harden(response: Response) -> Response:
    # 'self' covers ws: of the same host only in newer browsers: name it for the socket
    host = request.host if _HOST.fullmatch(request.host) else "localhost"
    if request.path.startswith("/files/"):
        # an evidence file is data: opened on its own it runs nothing, fetches nothing
        response.headers["Content-Security-Policy"] = EVIDENCE_FILE_POLICY
    else:
        framers = current_app.config.get("FRAME_ANCESTORS") or "'none'"
        frames = current_app.config.get("FRAME_SOURCES") or "'self'"
        # the other processes of one presentation: a page asks them whether they answer
        peers = "".join(f" {peer}" for peer in current_app.config.get("PEERS", ()))
        response.headers["Content-Security-Policy"] = CONTENT_SECURITY_POLICY.format(
            host=host, framers=framers, frames=frames, peers=peers
        )
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Referrer-Policy"] = "no-referrer"
    if not current_app.config.get("FRAME_ANCESTORS"):
        response.headers["X-Frame-Options"] = "DENY"
    return response


def init_app(app: Flask) -> None:
    app.after_request(_harden)


LOOPBACK_HOSTS = ("localhost", "127.0.0.1", "::1")
_HOST_PARTS = re.compile(r"\[([0-9a-f:.]+)\](?::\d{1,5})?|([a-z0-9._-]+?)\.?(?::\d{1,5})?")


def host_name(header: str) -> str | None:
    """The name or address a Host header names, lowercase, without port, brackets or final
    dot; None when it is not a host name."""
    match = _HOST_PARTS.fullmatch(header.strip().lower())
    return (match.group(1) or match.group(2)) if match else None


def _served_name(entry: str) -> str | None:
    """A `SERVED_HOSTS` entry as `host_name` gives it: a bare IPv6 address (a zone dropped)
    as it is, anything else as if it were a Host header."""
    if entry.count(":") > 1 and not entry.startswith("["):
        return entry.split("%")[0].lower()
    return host_name(entry)


class HostCheck:
    """WSGI middleware: a request whose Host is not one the server serves is refused, before
    any page, file or socket sees it. A web page whose name an attacker re-points at this
    machine (DNS rebinding) still sends its own name as Host, so it gets nothing."""

    def __init__(self, wsgi_app: Callable[..., Iterable[bytes]], config: Mapping[str, Any]):
        self.wsgi_app = wsgi_app
        self.config = config

    def served(self) -> set[str]:
        hosts = self.config.get("SERVED_HOSTS") or LOOPBACK_HOSTS
        return {name for name in map(_served_name, hosts) if name}

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]):
        name = host_name(environ.get("HTTP_HOST", ""))
        if name in self.served():
            return self.wsgi_app(environ, start_response)
        status = "400 Bad Request" if name is None else "421 Misdirected Request"
        body = b"unknown host\n" if name else b"missing or malformed Host header\n"
        start_response(
            status,
            [
                ("Content-Type", "text/plain; charset=utf-8"),
                ("Content-Length", str(len(body))),
                ("X-Content-Type-Options", "nosniff"),
            ],
        )
        return [body]


def check_hosts(app: Flask) -> None:
    """Refuse unknown hosts on every path, /socket.io/ included: call after Socket.IO has
    wrapped the app. `SERVED_HOSTS` (names or addresses; ports are ignored) defaults to the
    loopback names, which Flask's test client uses."""
    app.config.setdefault("SERVED_HOSTS", list(LOOPBACK_HOSTS))
    app.wsgi_app = HostCheck(app.wsgi_app, app.config)  # type: ignore[method-assign]
