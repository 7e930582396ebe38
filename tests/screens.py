"""Every demo exhibit on court screens of every size: walked by a presenter, checked and
photographed on each screen.

Used by the browser test of fit and legibility (tests/test_screens_fit.py) and by
`make screenshots` (`python -m tests.screens OUT`), which writes a PNG per exhibit, panel,
page and screen size into OUT for anyone to look at.
"""

from __future__ import annotations

import contextlib
import sys
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

SIZES: tuple[tuple[int, int], ...] = ((1024, 768), (1920, 1080), (2560, 1080), (3840, 2160))
PANELS = ("content", "source", "facts", "corroboration")
BODY_PX_AT_1080 = 28
"""The smallest text on a court screen, in px of a picture 1080 px high (scaled with it)."""

FIT_CHECK = (Path(__file__).parent / "fit_check.js").read_text(encoding="utf-8")
"""What is wrong with the picture on a screen (a function of the minimum text size): text
too small, outside the picture, cut by its box or over other text; [] when nothing is."""


def chart_drawn(page, seq: int) -> bool:
    """The screen drew the chart figure of state `seq` or a later one (views/chart.js)."""
    return page.evaluate(
        "(seq) => Number(document.querySelector('#stage [data-role=chart]')"
        "?.dataset.drawn ?? -1) >= seq",
        seq,
    )


@dataclass(frozen=True)
class Shot:
    """One picture the screens show: which exhibit, panel, step and page."""

    item: str
    panel: str
    step: int
    page: int

    @property
    def name(self) -> str:
        return f"{self.item}-{self.panel}-s{self.step}-p{self.page}"


class Screens:
    """One court screen per size, in one browser, following one presenter."""

    def __init__(self, browser, url: str, presenter_key: str, screen_key: str, sizes=SIZES):
        import socketio

        self.url = url
        self.contexts = []
        self.pages = {}
        for width, height in sizes:
            context = browser.new_context(viewport={"width": width, "height": height})
            page = context.new_page()
            page.goto(f"{url}screen?key={screen_key}&name=s{width}x{height}")
            self.contexts.append(context)
            self.pages[(width, height)] = page
        self.client = socketio.Client(reconnection=False)
        self.client.connect(
            url,
            namespaces=["/live"],
            auth={"key": presenter_key, "role": "presenter", "name": "walker"},
            transports=["websocket"],
            wait_timeout=30,
        )

    def send(self, command: dict) -> int:
        """Carry out a command and wait until every screen has drawn its state: its seq."""
        from .conftest import wait_until

        answer = self.client.call("command", command, namespace="/live", timeout=30)
        assert answer.get("ok"), (command, answer)
        seq = answer["seq"]
        for page in self.pages.values():
            wait_until(
                lambda p=page: int(p.evaluate("document.documentElement.dataset.seq || -1")) >= seq,
                30,
            )
        return seq

    def pages_of(self) -> int:
        """How many pages the screens cut the content into (the same on every screen)."""
        counts = {
            size: int(page.evaluate("document.getElementById('stage').dataset.pages || 1"))
            for size, page in self.pages.items()
        }
        assert len(set(counts.values())) == 1, f"screens cut different pages: {counts}"
        return next(iter(counts.values()))

    def walk(self, exhibits: list[tuple[str, int]]) -> Iterator[Shot]:
        """Every exhibit (id, number of steps), panel, last step of the content and page."""
        self.send({"action": "blank", "mode": None})
        for item, steps in exhibits:
            self.send({"action": "goto", "item": item})
            for panel in PANELS:
                self.send({"action": "panel", "panel": panel})
                for step in sorted({0, steps} if panel == "content" else {0}):
                    self.send({"action": "step", "step": step})
                    yield from self.each_page(Shot(item, panel, step, 1))
        self.send({"action": "case", "show": True})
        yield from self.each_page(Shot("case", "matrix", 0, 1))
        self.send({"action": "case", "show": False})

    def each_page(self, shot: Shot) -> Iterator[Shot]:
        pages = self.pages_of()
        for n in range(1, pages + 1):
            if pages > 1:
                self.send({"action": "page", "page": n})
            yield Shot(shot.item, shot.panel, shot.step, n)

    def problems(self) -> dict[tuple[int, int], list[str]]:
        out = {}
        for size, page in self.pages.items():
            found = page.evaluate(FIT_CHECK, BODY_PX_AT_1080)
            if found:
                out[size] = found
        return out

    def photograph(self, folder: Path, shot: Shot) -> None:
        for (width, height), page in self.pages.items():
            page.screenshot(path=str(folder / f"{shot.name}-{width}x{height}.png"))

    def close(self) -> None:
        self.client.disconnect()
        for context in self.contexts:
            context.close()


def demo_exhibits(deck_dir: Path) -> list[tuple[str, int]]:
    from presenter.deck import load_deck

    deck = load_deck(deck_dir, verify_hashes=False).deck
    return [(e.id, len(e.steps)) for e in deck.exhibits if not e.excluded]


@contextlib.contextmanager
def demo_screens(
    browser,
    sizes=SIZES,
    aspect: str = "16:9",
    prepare: Callable[[Path], None] | None = None,
) -> Iterator[tuple[Screens, list[tuple[str, int]]]]:
    """The demo deck served with the tests' keys for screens of a shape, and a screen of
    every size following it; `prepare` may change the deck's copy before it is served."""
    import shutil

    from .conftest import DEMO_DECK, PRESENTER_KEY, SCREEN_KEY, serve_app, wait_until

    with tempfile.TemporaryDirectory() as temp:
        deck = Path(shutil.copytree(DEMO_DECK, Path(temp) / "demo"))
        if prepare is not None:
            prepare(deck)
        with serve_app(
            str(deck), "--presenter-key", PRESENTER_KEY, "--screen-key", SCREEN_KEY,
            "--instance", str(Path(temp) / "instance"), "--aspect", aspect,
        ) as served:  # fmt: skip
            wait_until(served.get, timeout=60)
            screens = Screens(browser, served.url, PRESENTER_KEY, SCREEN_KEY, sizes)
            try:
                yield screens, demo_exhibits(deck)
            finally:
                screens.close()


def main(
    out: Path,
    only: tuple[str, ...] = (),
    aspect: str = "16:9",
    report: Callable[[str], None] = print,
) -> int:
    """`make screenshots`: every picture into `out`; the fit problems found, if any."""
    from playwright.sync_api import sync_playwright

    from .conftest import CHROMIUM, CHROMIUM_FLAGS

    out.mkdir(parents=True, exist_ok=True)
    failures = 0
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        sizes = SIZES if aspect == "16:9" else ((1024, 768), (1600, 1200))
        with demo_screens(browser, sizes, aspect) as (screens, exhibits):
            chosen = [e for e in exhibits if not only or e[0] in only]
            for shot in screens.walk(chosen):
                screens.photograph(out, shot)
                for (width, height), found in screens.problems().items():
                    failures += 1
                    report(f"{shot.name} {width}x{height}: " + "; ".join(found))
        browser.close()
    report(f"screenshots in {out}")
    return 1 if failures else 0


if __name__ == "__main__":
    # python -m tests.screens OUT [--aspect 4:3] [ITEM ...]: those exhibits only, on screens
    # of that shape
    args = sys.argv[1:] or ["screenshots"]
    shape = "16:9"
    if "--aspect" in args:
        at = args.index("--aspect")
        shape = args[at + 1]
        del args[at : at + 2]
    sys.exit(main(Path(args[0]), tuple(args[1:]), shape))
