"""Real Redis servers for the tests and benchmarks: Debian's redis-server and redis-sentinel on
free loopback ports, each in a folder of its own, stopped (or killed) by the caller."""

from __future__ import annotations

import contextlib
import signal
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _answers(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5) as link:
            link.sendall(b"PING\r\n")
            return link.recv(64).startswith(b"+PONG")
    except OSError:
        return False


class RedisProcess:
    """One redis-server (or redis-sentinel) on a free loopback port."""

    def __init__(self, folder: Path, *config: str, sentinel: bool = False) -> None:
        self.port = free_port()
        self.folder = folder
        self.sentinel = sentinel
        folder.mkdir(parents=True, exist_ok=True)
        lines = [
            f"port {self.port}",
            "bind 127.0.0.1",
            f"dir {folder}",
            "save ''",
            "protected-mode no",
            *config,
        ]
        self.conf = folder / ("sentinel.conf" if sentinel else "redis.conf")
        self.conf.write_text("\n".join(lines) + "\n")
        self.start()

    def start(self) -> None:
        """Start it (again: on the same port, from what it left in its folder)."""
        program = "redis-sentinel" if self.sentinel else "redis-server"
        self.process = subprocess.Popen(
            [program, str(self.conf)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        deadline = time.monotonic() + 20
        while not _answers(self.port):
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"{program} did not start on {self.port}")
            time.sleep(0.05)

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def kill(self) -> None:
        """kill -9: no goodbye to anyone."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait()

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.kill()


@contextlib.contextmanager
def redis_server(folder: Path, *config: str) -> Iterator[RedisProcess]:
    server = RedisProcess(folder, *(config or ("appendonly yes", "appendfsync everysec")))
    try:
        yield server
    finally:
        server.stop()


class SentinelSet:
    """A master, a replica and a Sentinel watching them (quorum 1, quick to decide)."""

    MASTER = "shizheng"

    def __init__(self, folder: Path) -> None:
        self.master = RedisProcess(folder / "master", "appendonly yes")
        self.replica = RedisProcess(
            folder / "replica", "appendonly yes", f"replicaof 127.0.0.1 {self.master.port}"
        )
        self.sentinel = RedisProcess(
            folder / "sentinel",
            f"sentinel monitor {self.MASTER} 127.0.0.1 {self.master.port} 1",
            f"sentinel down-after-milliseconds {self.MASTER} 1000",
            f"sentinel failover-timeout {self.MASTER} 5000",
            f"sentinel parallel-syncs {self.MASTER} 1",
            sentinel=True,
        )

    @property
    def url(self) -> str:
        return f"redis+sentinel://127.0.0.1:{self.sentinel.port}/0/{self.MASTER}"

    def stop(self) -> None:
        for server in (self.sentinel, self.replica, self.master):
            server.stop()
