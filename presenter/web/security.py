"""Headers on every response: evidence is hostile, so nothing but our own files may run."""

from __future__ import annotations

import re

from flask import Flask, Response, request

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
        "connect-src 'self' ws://{host} wss://{host}",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


_HOST = re.compile(r"[A-Za-z0-9.\-]+(:\d{1,5})?|\[[0-9A-Fa-f:.]+\](:\d{1,5})?")


def _harden(response: Response) -> Response:
    # 'self' covers ws: of the same host only in newer browsers: name it for the socket
    host = request.host if _HOST.fullmatch(request.host) else "localhost"
    response.headers["Content-Security-Policy"] = CONTENT_SECURITY_POLICY.format(host=host)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Referrer-Policy"] = "no-referrer"
    response.headers["X-Frame-Options"] = "DENY"
    return response


def init_app(app: Flask) -> None:
    app.after_request(_harden)
