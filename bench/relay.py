"""The baseline for bench/sync_latency.py: a bare python-socketio server on the same stack
(threading mode, simple-websocket under Werkzeug) that only numbers and rebroadcasts.

    python bench/relay.py PORT
"""

from __future__ import annotations

import sys
import threading

import socketio
from werkzeug.serving import run_simple

server = socketio.Server(async_mode="threading")
lock = threading.Lock()
state = {"seq": 0}


@server.on("connect", namespace="/live")
def connect(sid, environ, auth):
    server.emit("state", dict(state), to=sid, namespace="/live")


@server.on("command", namespace="/live")
def command(sid, data):
    with lock:
        state["seq"] += 1
        message = {**data, "seq": state["seq"]}
        server.emit("state", message, namespace="/live")
    return {"ok": True, "seq": message["seq"]}


if __name__ == "__main__":
    run_simple("127.0.0.1", int(sys.argv[1]), socketio.WSGIApp(server), threaded=True)
