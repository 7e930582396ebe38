"""The presenter's tools (issue 16), in Chromium: drawing on the miniature with the mouse and
the keys, side by side from the corroborating exhibits and from the keys, the public
gallery's redaction boxes and the detected numbers waiting for a decision, saving a
demonstrative; and the keyboard alone still drives after every tool was used."""

from __future__ import annotations

import json
import math
import re
import shutil
import threading

import pytest

from presenter.live.machine import REASONS
from presenter.web.security import CONTENT_SECURITY_POLICY

from .conftest import DEMO_DECK, PRESENTER_KEY, serve_deck, wait_until

IMAGE = ("E02", 2)
"""The demo's picture exhibit: its id and its number in the list."""
CHAT = ("E04", 4)
"""A chat: it corroborates E08, and E17 corroborates it."""
CHAT_PARTNERS = ["E08", "E17"]
PICTURE = "#stage .stage-content img[data-role=zoomable]"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """One server for the module, on a copy of the demo deck."""
    root = tmp_path_factory.mktemp("tools")
    deck = shutil.copytree(DEMO_DECK, root / "decks" / "demo")
    with serve_deck(deck, root / "instance") as served:
        served.instance = root / "instance"
        yield served


class Court:
    """A second presenter connection: it sees every state the server sends, and sets the
    scene before a test (what the test drives goes through the page)."""

    def __init__(self, url: str) -> None:
        import socketio

        self.state: dict | None = None
        self.lock = threading.Lock()
        self.client = socketio.Client(reconnection=False)
        self.client.on("state", self._state, namespace="/live")
        self.client.connect(
            url,
            namespaces=["/live"],
            auth={"key": PRESENTER_KEY, "role": "presenter", "name": "court"},
            transports=["websocket"],
            wait_timeout=30,
        )
        wait_until(lambda: self.state is not None, 30)

    def _state(self, state: dict) -> None:
        with self.lock:
            if self.state is None or state["seq"] >= self.state["seq"]:
                self.state = state

    def send(self, command: dict) -> dict:
        answer = self.client.call("command", command, namespace="/live", timeout=30)
        assert answer.get("ok"), (command, answer)
        wait_until(lambda: self.state["seq"] >= answer["seq"], 10)
        return answer

    def until(self, condition, timeout: float = 10.0) -> dict:
        """The state, once `condition(state)` holds."""
        wait_until(lambda: condition(self.state), timeout)
        return self.state

    def scene(self, item: str) -> None:
        """One exhibit on the screens at its start, nothing side by side, drawn or masked."""
        if self.state.get("compare"):
            self.send({"action": "compare", "items": []})
        if self.state.get("blank"):
            self.send({"action": "blank", "mode": None})
        self.send({"action": "goto", "item": item})
        if self.state["step"] or self.state["region"]:
            self.send({"action": "step", "step": 0})
        if self.state["annotations"]:
            self.send({"action": "annotate", "op": "clear"})
        if self.state["redaction"]["boxes"]:
            for _ in self.state["redaction"]["boxes"]:
                self.send({"action": "redact", "op": "remove", "index": 0})


@pytest.fixture(scope="module")
def court(server):
    court = Court(server.url)
    yield court
    court.client.disconnect()


class Presenter:
    """The presenter's page at 1366×768 (the laptops in court); its errors are kept."""

    def __init__(self, browser, url: str, before=None) -> None:
        self.context = browser.new_context(viewport={"width": 1366, "height": 768})
        self.page = self.context.new_page()
        self.errors: list[str] = []
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.warnings: list[str] = []
        self.page.on("console", self._console)
        if before:
            before(self.page)
        self.response = self.page.goto(url)

    def _console(self, message) -> None:
        if message.type == "error":
            self.errors.append(message.text)
        elif message.type == "warning":
            self.warnings.append(message.text)

    def seq(self) -> int:
        value = self.page.evaluate("document.getElementById('stage').dataset.seq")
        return int(value) if value else -1

    def caught_up(self, court: Court) -> None:
        """The miniature has drawn the court's latest state."""
        wait_until(lambda: self.seq() >= court.state["seq"], 20)

    def picture(self) -> dict:
        """The miniature's picture, once loaded: its box on the page."""
        self.page.wait_for_function(
            f"() => {{ const i = document.querySelector('{PICTURE}');"
            " return i && i.complete && i.naturalWidth > 0 }",
            timeout=20000,
        )
        return self.page.locator(PICTURE).bounding_box()

    def drag(self, box: dict, points: list[tuple[float, float]], steps: int = 8) -> None:
        """Press on the first point (fractions of `box`), move through the others, let go."""
        at = [(box["x"] + x * box["width"], box["y"] + y * box["height"]) for x, y in points]
        mouse = self.page.mouse
        mouse.move(*at[0])
        mouse.down()
        for point in at[1:]:
            mouse.move(*point, steps=steps)
        mouse.up()

    def tool(self) -> str:
        return self.page.locator("#draw-tools").get_attribute("data-tool") or ""


@pytest.fixture
def presenter(browser, server, court):
    opened: list[Presenter] = []

    def open_page(item: str | None = IMAGE[0], before=None) -> Presenter:
        if item:
            court.scene(item)
        page = Presenter(browser, f"{server.url}present?key={PRESENTER_KEY}", before)
        page.caught_up(court)
        opened.append(page)
        return page

    yield open_page
    for page in opened:
        page.context.close()


def near(point, expected, tolerance: float = 0.02) -> bool:
    return all(abs(a - b) <= tolerance for a, b in zip(point, expected, strict=True))


def added(court: Court, count: int) -> dict:
    """The shape the state holds once it holds `count` of them: the last one."""
    return court.until(lambda s: len(s["annotations"]) == count)["annotations"][-1]


# --- drawing ---------------------------------------------------------------------------


def test_each_shape_drawn_with_the_mouse_reaches_the_state_in_the_pictures_coordinates(
    presenter, court
):
    p = presenter()
    box = p.picture()
    p.page.keyboard.press("d")  # drawing on: the pen first
    assert p.tool() == "pen"
    assert p.page.locator("#draw-toggle").get_attribute("aria-pressed") == "true"

    # a long wavy stroke: shown at once while drawn, sent thinned
    wave = [(0.2 + 0.6 * i / 600, 0.5 + 0.2 * math.sin(i / 15)) for i in range(601)]
    at = [(box["x"] + x * box["width"], box["y"] + y * box["height"]) for x, y in wave]
    p.page.mouse.move(*at[0])
    p.page.mouse.down()
    for point in at[1:300]:
        p.page.mouse.move(*point)
    assert p.page.locator(".draw-layer svg.draw-preview polyline").count() == 1, "a preview"
    for point in at[300:]:
        p.page.mouse.move(*point)
    p.page.mouse.up()
    pen = added(court, 1)
    assert pen["kind"] == "pen" and pen["color"] == "#e02020", "red by default"
    assert 10 <= len(pen["points"]) <= 200, len(pen["points"])
    assert near(pen["points"][0], wave[0], 0.01) and near(pen["points"][-1], wave[-1], 0.01)
    assert all(0.19 <= x <= 0.81 and 0.29 <= y <= 0.71 for x, y in pen["points"])
    p.page.wait_for_function(
        "() => document.querySelectorAll('.draw-layer svg.draw-preview').length <= 1"
        " && !document.querySelector('.draw-layer svg.draw-preview polyline')"
    )  # the server's state replaced the preview

    p.page.click("[data-tool=highlight]")
    p.drag(box, [(0.2, 0.3), (0.5, 0.32), (0.8, 0.3)])
    highlight = added(court, 2)
    assert highlight["kind"] == "highlight" and near(highlight["points"][-1], (0.8, 0.3))

    # a rectangle over the picture's centre: its corners around 0.5 of the picture
    p.page.click("#draw-colours [data-colour=blue]")
    for count, kind in enumerate(("rect", "ellipse", "arrow"), start=3):
        p.page.click(f"[data-tool={kind}]")
        assert p.tool() == kind
        p.drag(box, [(0.4, 0.4), (0.6, 0.6)])
        shape = added(court, count)
        assert shape["kind"] == kind and shape["color"] == "#1565c0"
        assert len(shape["points"]) == 2
        assert near(shape["points"][0], (0.4, 0.4)) and near(shape["points"][1], (0.6, 0.6))
    assert court.state["region"] is None, "no callout while drawing"
    wait_until(lambda: p.page.locator("#stage").get_attribute("data-marks") == "5", 10)
    assert p.errors == []


def test_undo_and_clear_by_key_and_a_click_is_no_shape(presenter, court):
    p = presenter()
    box = p.picture()
    p.page.click("[data-tool=rect]")
    for n in range(3):
        p.drag(box, [(0.1 + 0.2 * n, 0.1), (0.25 + 0.2 * n, 0.3)])
        added(court, n + 1)
    p.page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    p.caught_up(court)
    assert len(court.state["annotations"]) == 3, "a click is no shape"
    p.page.keyboard.press("z")
    court.until(lambda s: len(s["annotations"]) == 2)
    p.page.keyboard.press("Control+z")
    court.until(lambda s: len(s["annotations"]) == 1)
    p.page.keyboard.press("x")
    court.until(lambda s: s["annotations"] == [])
    p.page.wait_for_function("() => document.getElementById('draw-undo').disabled")
    p.page.keyboard.press("z")  # nothing left to undo: nothing is sent, nothing refused
    assert p.page.locator("#toast").is_hidden()
    assert p.errors == []


def test_a_text_label_is_placed_with_the_keyboard_alone(presenter, court):
    p = presenter()
    p.picture()
    walked = []
    for _ in range(6):
        p.page.keyboard.press("d")
        walked.append(p.tool())
    assert walked == ["pen", "highlight", "arrow", "rect", "ellipse", "text"]
    p.page.keyboard.press("k")  # the next colour: yellow
    p.page.keyboard.press("Enter")
    field = p.page.locator(".draw-layer input.label-field")
    assert field.evaluate("e => e === document.activeElement")
    p.page.keyboard.type("联系电话 DW")  # letters that are keys are text here
    p.page.keyboard.press("Enter")
    label = added(court, 1)
    assert label["kind"] == "text" and label["text"] == "联系电话 DW"
    assert label["color"] == "#ffd400" and len(label["points"]) == 1
    assert p.tool() == "text", "typing D in the label changed no tool"
    assert field.count() == 0
    # Escape cancels a label, then turns drawing off
    p.page.keyboard.press("Enter")
    p.page.keyboard.type("作废")
    p.page.keyboard.press("Escape")
    assert field.count() == 0 and p.tool() == "text"
    p.page.keyboard.press("Escape")
    assert p.tool() == ""
    assert len(court.state["annotations"]) == 1, "the cancelled label was never sent"
    p.page.keyboard.press("d")
    p.page.keyboard.press("d")
    p.page.keyboard.press("Escape")
    assert p.tool() == ""
    assert p.errors == []


def test_with_drawing_off_a_drag_is_a_callout_again_and_a_double_click_clears_it(presenter, court):
    p = presenter()
    box = p.picture()
    p.drag(box, [(0.25, 0.25), (0.75, 0.75)])  # drawing off: a callout
    region = court.until(lambda s: s["region"] is not None)["region"]
    assert near(region, (0.25, 0.25, 0.5, 0.5), 0.03), region
    p.caught_up(court)
    p.page.keyboard.press("d")
    stage = p.page.locator("#stage").bounding_box()
    p.page.mouse.dblclick(stage["x"] + stage["width"] / 2, stage["y"] + stage["height"] / 2)
    p.page.keyboard.press("Escape")  # drawing off
    assert court.state["region"] == region, "a double click while drawing keeps the callout"
    p.page.mouse.dblclick(stage["x"] + stage["width"] / 2, stage["y"] + stage["height"] / 2)
    court.until(lambda s: s["region"] is None)
    p.caught_up(court)
    p.page.keyboard.press("d")  # on again: a drag draws, no callout
    p.drag(p.picture(), [(0.3, 0.3), (0.6, 0.5)])
    added(court, 1)
    assert court.state["region"] is None
    assert p.errors == []


def test_the_miniature_tells_a_refused_shape_in_words(presenter, court):
    court.scene(CHAT[0])
    p = presenter(None)
    p.page.locator("#stage .stage-content").wait_for()
    p.page.click("#redact-tool")  # a chat has no picture to mask
    view = p.page.locator("#stage .stage-content .exhibit-view").bounding_box()
    p.drag(view, [(0.3, 0.3), (0.6, 0.6)])
    toast = p.page.locator("#toast")
    toast.wait_for(state="visible")
    assert toast.inner_text() == REASONS["bad_redaction"][0]
    assert court.state["redaction"]["boxes"] == []
    assert p.errors == []


# --- side by side ----------------------------------------------------------------------


def test_side_by_side_from_the_corroborating_list_and_from_the_keys(presenter, court):
    court.scene(CHAT[0])
    p = presenter(None)
    rows = p.page.locator("#corroborating li[data-item]")
    wait_until(lambda: rows.count() == len(CHAT_PARTNERS), 10)
    assert [rows.nth(i).get_attribute("data-item") for i in range(rows.count())] == CHAT_PARTNERS
    assert p.page.input_value("#compare-with") == CHAT_PARTNERS[0], "its first corroborating"

    p.page.click("#corroborating button[data-with=E08]")
    compare = court.until(lambda s: s["compare"] is not None)["compare"]
    assert compare["items"] == ["E04", "E08"] and compare["active"] == 0
    assert (compare["layout"], compare["direction"]) == ("50/50", "row")
    wait_until(lambda: p.page.locator("#stage").get_attribute("data-compare") == "row", 10)
    assert "E04 ｜ E08" in p.page.inner_text("#compare-state")

    p.page.keyboard.press("q")  # the keys drive the other half
    state = court.until(lambda s: s["compare"] and s["compare"]["active"] == 1)
    assert state["item"] == "E08"
    p.page.select_option("#compare-layout", "60/40")
    court.until(lambda s: s["compare"] and s["compare"]["layout"] == "60/40")
    p.page.select_option("#compare-direction", "column")
    court.until(lambda s: s["compare"] and s["compare"]["direction"] == "column")
    wait_until(lambda: p.page.locator("#stage").get_attribute("data-compare") == "column", 10)

    p.page.keyboard.press("a")  # ends it
    court.until(lambda s: s["compare"] is None)
    p.caught_up(court)
    assert p.page.input_value("#compare-with") == "E04", "E08's partner"
    p.page.keyboard.press("a")  # starts it again, with the partner chosen
    compare = court.until(lambda s: s["compare"] is not None)["compare"]
    assert compare["items"] == ["E08", "E04"]
    assert compare["layout"] == "60/40" and compare["direction"] == "column", "as chosen"
    p.page.keyboard.press("ArrowRight")  # the driven half walks its steps
    court.until(lambda s: s["compare"] and s["step"] == 1)
    p.page.click("#compare-end")
    court.until(lambda s: s["compare"] is None)
    assert p.errors == []


# --- redaction for the public gallery ----------------------------------------------------


def test_a_redaction_box_drawn_on_the_miniature_is_listed_and_removed(presenter, court):
    p = presenter()
    box = p.picture()
    p.page.click("#redact-tool")
    assert p.tool() == "redact"
    assert p.page.locator(".mini-frame.redacting").count() == 1
    p.drag(box, [(0.5, 0.6), (0.8, 0.7)])
    boxes = court.until(lambda s: len(s["redaction"]["boxes"]) == 1)["redaction"]["boxes"]
    assert boxes[0]["item"] == "E02" and (boxes[0]["file"], boxes[0]["page"]) == (0, 1)
    assert near(boxes[0]["box"], (0.5, 0.6, 0.3, 0.1)), boxes
    assert court.state["annotations"] == [], "a mask is no annotation"
    listed = p.page.locator("#redact-boxes button[data-remove]")
    listed.wait_for()
    wait_until(lambda: p.page.locator("#stage").get_attribute("data-masked") == "1", 10)
    listed.click()
    court.until(lambda s: s["redaction"]["boxes"] == [])
    wait_until(lambda: listed.count() == 0, 10)
    assert p.errors == []


PROPOSALS = [
    {
        "id": "0123456789abcdef",
        "item": "E12",
        "file": 0,
        "name": "files/usdt-ledger.pdf",
        "page": 2,
        "kind": "id_card",
        "masked": "3301**********123X",
        "box": [0.1, 0.2, 0.3, 0.04],
    },
    {
        "id": "fedcba9876543210",
        "item": "E02",
        "file": 0,
        "name": "files/recruit-ad.png",
        "page": 1,
        "kind": "mobile",
        "masked": "138****0001",
        "box": [0.3, 0.75, 0.25, 0.05],
    },
]


def with_proposals(page) -> None:
    """deck.json as it is once detection has proposed numbers to mask (its `proposals`)."""

    def fulfil(route):
        response = route.fetch()
        data = response.json()
        data["proposals"] = PROPOSALS
        route.fulfill(response=response, body=json.dumps(data))

    page.route(re.compile(r"/present/deck\.json"), fulfil)


def test_detected_numbers_wait_for_the_presenters_word(presenter, court):
    p = presenter(before=with_proposals)
    p.picture()
    rows = p.page.locator("#proposals li[data-proposal]")
    wait_until(lambda: rows.count() == 2, 10)
    first = rows.nth(0)
    assert first.get_attribute("data-proposal") == "fedcba9876543210", "the exhibit on screen first"
    assert first.inner_text().split()[:6] == [
        "E02",
        "·",
        "recruit-ad.png",
        "手机号",
        "138****0001",
        "确认遮挡",
    ]
    second = rows.nth(1).inner_text()
    assert "E12 · usdt-ledger.pdf · 第 2 页" in second and "身份证号" in second
    outline = p.page.locator(".redact-outlines rect.proposed")
    wait_until(lambda: outline.count() == 1, 10)
    first.locator("button[data-confirm]").click()
    court.until(lambda s: s["redaction"]["decisions"].get("fedcba9876543210") == "confirmed")
    wait_until(lambda: rows.count() == 1, 10)
    wait_until(lambda: p.page.locator(".redact-outlines rect.confirmed").count() == 1, 10)
    rows.nth(0).locator("button[data-dismiss]").click()
    court.until(lambda s: s["redaction"]["decisions"].get("0123456789abcdef") == "dismissed")
    wait_until(lambda: rows.count() == 0, 10)
    assert p.page.inner_text("#proposals") == "没有待确认的遮挡"
    assert p.errors == []


# --- a demonstrative ---------------------------------------------------------------------


def test_shift_s_saves_the_view_as_a_demonstrative_and_names_it(presenter, court):
    p = presenter()
    box = p.picture()
    p.page.click("[data-tool=ellipse]")
    p.drag(box, [(0.3, 0.3), (0.7, 0.6)])
    added(court, 1)
    p.page.keyboard.press("Shift+S")
    result = p.page.locator("#demonstrative-result")
    wait_until(lambda: re.search(r"\.png · SHA-256 [0-9a-f]{16}…", result.inner_text()), 30)
    assert court.state["panel"] == "content", "S with Shift is no panel key"
    assert p.errors == []


def test_a_chats_demonstrative_is_the_miniature_as_drawn(presenter, court, server):
    """A view laid out as text (a chat) exists only in the browser: the page sends the
    miniature, marks and all, and the server keeps it drawn again."""
    import json

    from PIL import Image

    p = presenter("E04")
    court.send({"action": "annotate", "op": "add",
                "shape": {"kind": "rect", "points": [[0.1, 0.1], [0.5, 0.5]]}})  # fmt: skip
    p.caught_up(court)
    marks = "document.getElementById('stage').dataset.marks"
    wait_until(lambda: p.page.evaluate(marks) == "1")
    p.page.click("#demonstrative")
    result = p.page.locator("#demonstrative-result")
    wait_until(lambda: ".png" in result.inner_text(), 30)
    folder = server.instance / "demo"
    records = sorted((folder / "records").glob("*.jsonl"))
    lines = [json.loads(line) for line in records[-1].read_text("utf-8").splitlines()]
    made = [line for line in lines if line["event"] == "demonstrative"][-1]["details"]
    assert made["drawn"] == "miniature" and made["item"] == "E04", p.warnings
    with Image.open(folder / "demonstratives" / made["file"]) as saved:
        colours = saved.convert("RGB").getcolors(1 << 20) or []
    assert len(colours) > 50, "the chat's text and the red mark, not a blank page"
    assert any(r > 180 and g < 80 and b < 80 for _, (r, g, b) in colours), "the red mark"
    assert p.errors == []


def test_a_demonstrative_not_saved_says_why(presenter, court):
    p = presenter()
    p.picture()
    court.send({"action": "case", "show": True})  # the case matrix: no exhibit's view
    p.caught_up(court)
    p.page.click("#demonstrative")
    result = p.page.locator("#demonstrative-result.failed")
    result.wait_for()
    words = REASONS["no_exhibit"][0]
    assert result.inner_text() == f"未能保存：{words}"
    assert p.page.inner_text("#toast") == words
    court.send({"action": "case", "show": False})
    assert p.errors == []


# --- the keyboard, the page --------------------------------------------------------------


def test_the_keyboard_alone_drives_after_every_tool_was_touched(presenter, court):
    p = presenter()
    box = p.picture()
    page = p.page
    page.click("#draw-toggle")
    for kind in ("pen", "highlight", "arrow", "rect", "ellipse", "text"):
        page.click(f"[data-tool={kind}]")
    page.click("[data-tool=rect]")
    p.drag(box, [(0.1, 0.1), (0.3, 0.3)])
    added(court, 1)
    for colour in ("red", "yellow", "green", "blue", "black", "white"):
        page.click(f"#draw-colours [data-colour={colour}]")
    page.click("#draw-undo")
    court.until(lambda s: s["annotations"] == [])
    p.drag(box, [(0.1, 0.1), (0.3, 0.3)])
    added(court, 1)
    page.click("#draw-clear")
    court.until(lambda s: s["annotations"] == [])
    page.click("#redact-tool")
    page.click("#redact-tool")
    page.select_option("#compare-with", "E03")
    page.select_option("#compare-layout", "60/40")
    page.select_option("#compare-direction", "column")
    page.click("#compare-start")
    court.until(lambda s: s["compare"] is not None)
    page.click("#compare-swap")
    court.until(lambda s: s["compare"] and s["compare"]["active"] == 1)
    page.click("#compare-end")
    court.until(lambda s: s["compare"] is None)
    p.caught_up(court)  # while the page still has it side by side, a layout is sent at once
    page.select_option("#compare-layout", "50/50")
    page.select_option("#compare-direction", "row")
    page.click("#demonstrative")
    page.locator("#demonstrative-result", has_text=".png").wait_for(timeout=30000)
    page.click("#draw-toggle")  # on again, with the last tool: drawing stays on while driving

    item, step = court.state["item"], court.state["step"]
    page.keyboard.press("ArrowRight")
    court.until(lambda s: s["item"] == item and s["step"] == step + 1)
    page.keyboard.press("b")
    court.until(lambda s: s["blank"] == "black")
    p.caught_up(court)  # B again brings back what the page knows is black
    page.keyboard.press("b")
    court.until(lambda s: s["blank"] is None)
    assert p.tool() == "rect"
    assert p.errors == []


def test_the_tools_are_in_view_at_1366_by_768_with_the_csp_intact(presenter, court, server):
    p = presenter()
    p.picture()
    host = server.url.split("/")[2]
    assert p.response.headers["content-security-policy"] == CONTENT_SECURITY_POLICY.format(
        host=host, framers="'none'", frames="'self'", peers=""
    )
    html = p.response.text()
    assert not re.search(r"<[^>]+\sstyle=", html), "no style attribute in the page"
    for script in re.findall(r"<script\b[^>]*>", html):
        assert "src=" in script or 'type="application/json"' in script, script
    # the tool bar under the miniature: one row each, none cut, none over another
    rows = [p.page.locator(sel).bounding_box() for sel in ("#draw-tools", "#compare-controls")]
    frame = p.page.locator(".mini-frame").bounding_box()
    for row in rows:
        assert frame["x"] - 1 <= row["x"]
        assert row["x"] + row["width"] <= frame["x"] + frame["width"] + 1
    buttons = p.page.locator("#draw-tools button")
    boxes = [buttons.nth(i).bounding_box() for i in range(buttons.count())]
    middles = [b["y"] + b["height"] / 2 for b in boxes]
    assert max(middles) - min(middles) < 2, "the drawing tools fit one row"
    for a, b in zip(boxes, boxes[1:], strict=False):
        assert a["x"] + a["width"] <= b["x"] + 0.5, "no button over another"
    keys = p.page.inner_text("p.hint")
    assert "D 绘图" in keys and "Q 切换操作半屏" in keys and "Shift+S" in keys
    assert p.errors == []
