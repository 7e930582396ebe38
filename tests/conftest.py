"""Fixtures for real things: decks on disk, the app, the command line, a live server, a browser."""

from __future__ import annotations

import contextlib
import http.cookiejar
import os
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from werkzeug.serving import make_server

from presenter import create_app
from presenter.cli import main as cli_main
from presenter.deck import load_deck
from presenter.originals import Store

from .deckfactory import write_deck

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEMO_DECK = PROJECT_ROOT / "decks" / "demo"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]


def wait_until(condition: Callable[[], object], timeout: float = 10.0) -> object:
    """Poll `condition` until it is truthy; fail the test if it never is."""
    deadline = time.monotonic() + timeout
    while not (result := condition()):
        if time.monotonic() > deadline:
            raise AssertionError("condition not met in time")
        time.sleep(0.005)
    return result


@pytest.fixture
def deck_dir(tmp_path: Path) -> Path:
    """A valid, warning-free deck in a fresh folder named `case-1`."""
    return write_deck(tmp_path / "case-1")


@pytest.fixture
def deck_copy(tmp_path: Path) -> Path:
    """The demo deck in a folder of its own, free to be edited by a test."""
    return Path(shutil.copytree(DEMO_DECK, tmp_path / "decks" / "demo"))


@pytest.fixture
def instance(tmp_path: Path) -> Path:
    return tmp_path / "instance"


class Cli:
    """Runs `python app.py ...` in-process through click's runner."""

    def __init__(self, instance: Path) -> None:
        self.instance = instance

    def __call__(self, *args: str):
        result = CliRunner().invoke(cli_main, [str(a) for a in args], catch_exceptions=True)
        if result.exception and not isinstance(result.exception, SystemExit):
            raise result.exception
        return result

    def check(self, deck: Path, *more: str):
        return self("check", deck, "--lang", "en", "--instance", self.instance, *more)


@pytest.fixture
def cli(instance: Path) -> Cli:
    return Cli(instance)


def run_app(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """The real entry point in a child process, as a user runs it."""
    return subprocess.run(
        [sys.executable, str(PROJECT_ROOT / "app.py"), *args],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, **(env or {})},
        cwd=PROJECT_ROOT,
    )


class Served:
    """`python app.py serve ...` running in a child process on a free port."""

    def __init__(self, process: subprocess.Popen[str], port: int) -> None:
        self.process = process
        self.url = f"http://127.0.0.1:{port}/"
        self.out = self.err = ""
        self.cookies = http.cookiejar.CookieJar()
        self.browser = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.cookies))

    def get(self, path: str = "") -> str | None:
        """The page's text (whatever its status, keeping cookies as a browser does), or None
        while the server is not listening yet."""
        try:
            with self.browser.open(self.url + path.lstrip("/"), timeout=5) as response:
                return response.read().decode("utf-8")
        except urllib.error.HTTPError as error:
            return error.read().decode("utf-8")
        except OSError:
            assert self.process.poll() is None, self.process.communicate()
            return None


@contextlib.contextmanager
def serve_app(*args: str, port: int | None = None) -> Iterator[Served]:
    """Serve with the real entry point, as a user starts it; stopped on leaving."""
    if port is None:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
    process = subprocess.Popen(
        [sys.executable, str(PROJECT_ROOT / "app.py"), *args, "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=PROJECT_ROOT,
    )
    served = Served(process, port)
    try:
        yield served
    finally:
        process.terminate()
        served.out, served.err = process.communicate(timeout=30)


PRESENTER_KEY = "presenter-key-for-tests-0001"
SCREEN_KEY = "screen-key-for-tests-000002"
PUBLIC_KEY = "public-gallery-key-for-tests-03"


@contextlib.contextmanager
def serve_deck(deck: Path, instance: Path, port: int | None = None) -> Iterator[Served]:
    """Serve a deck with the tests' keys, and wait until it answers."""
    with serve_app(
        str(deck), "--presenter-key", PRESENTER_KEY, "--screen-key", SCREEN_KEY,
        "--public-key", PUBLIC_KEY, "--instance", str(instance), port=port,
    ) as served:  # fmt: skip
        wait_until(served.get, timeout=60)
        yield served


@contextlib.contextmanager
def court_app(deck: Path, instance: Path) -> Iterator:
    """The app serving a deck with the tests' three keys (TESTING: an exception in a view
    fails the test rather than answering 500); its record is closed afterwards."""
    report = load_deck(deck, store=Store(instance / "display"))
    assert report.deck is not None, [p.render("en") for p in report.problems]
    app = create_app(
        report,
        instance_path=instance,
        test_config={"TESTING": True},
        presenter_key=PRESENTER_KEY,
        screen_key=SCREEN_KEY,
        public_key=PUBLIC_KEY,
    )
    try:
        yield app
    finally:
        app.extensions["shizheng.court"].close()


@pytest.fixture
def app(deck_dir: Path, instance: Path):
    with court_app(deck_dir, instance) as app:
        yield app


def keyed_client(app, key: str):
    """A test client that opened a link with `key` (so it holds the key's cookie)."""
    client = app.test_client()
    assert client.get(f"/screen?key={key}").status_code == 303
    return client


def pairing_screen(url: str, name: str = "gallery"):
    """A browser without a key opening the screen page: its opener, its cookies, the code."""
    import re

    jar = http.cookiejar.CookieJar()
    browser = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = browser.open(f"{url}screen?name={name}").read().decode()
    return browser, jar, re.search(r'id="pairing-code">(\d{6})<', page)[1]


def cookie(jar, kind: str) -> str:
    """The value of this instance's cookie of a kind (its name carries the instance's tag)."""
    return next(c.value for c in jar if c.name.startswith(f"shizheng_{kind}_"))


@pytest.fixture
def client(app):
    """The presenter's browser."""
    return keyed_client(app, PRESENTER_KEY)


@pytest.fixture
def screen_client(app):
    """A court screen's browser."""
    return keyed_client(app, SCREEN_KEY)


@pytest.fixture
def public_client(app):
    """The public gallery's screen: opened with the public-screen key."""
    return keyed_client(app, PUBLIC_KEY)


@contextlib.contextmanager
def serving(app) -> Iterator[str]:
    """The app on a free port of 127.0.0.1, served by a real HTTP server in a thread."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join()


@pytest.fixture
def live_server(app) -> Iterator[str]:
    """The app on a free port of 127.0.0.1, served by a real HTTP server in a thread."""
    with serving(app) as url:
        yield url


@pytest.fixture(scope="session", autouse=True)
def shared_readings(tmp_path_factory):
    """Every instance of the suite (and every server it starts) keeps the numbers it finds in
    pictures in one folder: they are kept by content, so each picture is read once in the
    whole suite (presenter.redaction.detect.SHARED), really, by the OCR."""
    from presenter.redaction.detect import SHARED

    # one run's own: a test that changes a picture expects its reader to meet it anew
    os.environ[SHARED] = str(tmp_path_factory.mktemp("readings"))
    # the demo's pictures and the test deck's, read before any server starts: a server that
    # reads them itself changes its state while a test counts its changes
    from presenter.redaction.detect import detect_deck

    for deck in (DEMO_DECK, write_deck(tmp_path_factory.mktemp("factory") / "case-1")):
        detect_deck(tmp_path_factory.mktemp("instance"), load_deck(deck, verify_hashes=False).deck)
    yield
    os.environ.pop(SHARED, None)


def read_pictures(app) -> None:
    """Read the numbers in every picture and page of the app's deck now, as a server does in
    the background at start (a public screen shows none of them before)."""
    from presenter.redaction.detect import detect_deck

    court = app.extensions["shizheng.court"]
    detect_deck(court.folder, court.deck)


@pytest.fixture(scope="session", autouse=True)
def render_workers():
    """The render pool's workers, started by the first render of any test, stopped once the
    suite is done (a test that needs a fresh pool shuts it down itself)."""
    yield
    from presenter import rendering

    rendering.shutdown()


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium, headless, driven by Playwright."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):
    context = browser.new_context()
    page = context.new_page()
    yield page
    context.close()


def altered(frozen, **changes):
    """A copy of a frozen deck object with some fields changed (dataclasses.replace cannot
    rebuild them: their init takes the deck's key names, like `step`, not the field names)."""
    import copy

    twin = copy.copy(frozen)
    for name, value in changes.items():
        object.__setattr__(twin, name, value)
    return twin
