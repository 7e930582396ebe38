"""A whole deck prepared in the editor alone, as a clerk does it: a new case, evidence added
from a folder as offices receive it, every blank filled with the mouse and the keyboard,
facts linked in the matrix, exhibits reordered by dragging; `check` then finds no error."""

from __future__ import annotations

import re
import shutil
import tomllib
from pathlib import Path

import pytest
from PIL import Image

from presenter import create_editor

from .conftest import DEMO_DECK, serving

KEY = "Tb6Hn2Wq9Lr4Xs7Kd3Mz8Pv5"


def evidence_folder(root: Path) -> Path:
    """Evidence as an office receives it: a phone photo with EXIF and a name with spaces, a
    bank's GBK export with title rows, a GBK chat export in a folder of its own with a stray
    quote, and a source file."""
    root.mkdir()
    picture = Image.new("RGB", (1600, 1200), (200, 180, 150))
    exif = Image.Exif()
    exif[0x010F], exif[0x0110] = "Apple", "iPhone 13"
    picture.save(root / "现场 照片 01.jpg", exif=exif)
    bank = [
        "交易明细查询",
        "账号：6222020200001234567",
        "交易时间,对方户名,金额,摘要",
        "2026-03-08 10:01:00,孙某,50000.00,转账",
        "2026-03-09 11:02:00,吴某,-30000.00,转账",
    ]
    (root / "银行流水.csv").write_bytes("\r\n".join(bank).encode("gbk"))
    (root / "微信聊天").mkdir()
    chat = ["时间,发送人,内容", "2026-03-01 09:30:00,明远老师,陈姐您好",
            '2026-03-01 09:32:00,明远老师,"稳赚不赔，""内部消息"""']  # fmt: skip
    (root / "微信聊天" / "聊天记录.csv").write_bytes("\r\n".join(chat).encode("gbk"))
    (root / "login.php").write_text("<?php\n// 后台登录\nif ($u == 'admin_w') { grant(); }\n")
    return root


@pytest.fixture
def editor_url(tmp_path: Path):
    app = create_editor(tmp_path / "decks", instance_path=tmp_path / "instance", key=KEY)
    with serving(app) as url:
        yield url


def settled(page) -> None:
    """Every write done, and the check run on what was written."""
    page.wait_for_function(
        "() => (document.body.dataset.pending ?? '0') === '0' && document.body.dataset.checked"
    )


def type_into(page, key: str, text: str) -> None:
    field = page.locator(f'[data-key="{key}"] :is(input, textarea)').first
    field.click()
    field.press("Control+a")
    page.keyboard.type(text)
    page.keyboard.press("Tab")  # leaving the field commits it, as a person moves on
    settled(page)


def choose(page, key: str, value: str) -> None:
    page.locator(f'[data-key="{key}"] select').select_option(value)
    settled(page)


def findings(page) -> list[str]:
    return page.locator("#editor-main .finding.error").all_inner_texts()


def test_a_clerk_prepares_a_whole_case_in_the_editor_and_check_finds_no_error(
    page, editor_url: str, tmp_path: Path, cli
) -> None:
    folder = evidence_folder(tmp_path / "收到的证据")
    page.set_viewport_size({"width": 1366, "height": 768})
    page.goto(f"{editor_url}/?key={KEY}")

    # a new case
    page.get_by_label("案件名称").fill("张某等人电信网络诈骗案")
    page.get_by_label("文件夹名").fill("zhang-2026")
    page.get_by_role("button", name="新建").click()
    page.wait_for_url(re.compile(r"/deck/zhang-2026$"))
    settled(page)

    # evidence: three files, then a folder that is one exhibit
    files = [folder / "现场 照片 01.jpg", folder / "银行流水.csv", folder / "login.php"]
    page.set_input_files("#file-input", [str(f) for f in files])
    page.wait_for_selector(".upload.done")
    settled(page)
    page.set_input_files("#folder-input", str(folder / "微信聊天"))
    page.wait_for_function("() => document.querySelectorAll('.upload.done').length === 2")
    settled(page)
    assert page.locator("#exhibit-list li").count() == 4

    # the case and its facts
    page.locator(".nav-case").click()
    settled(page)
    type_into(page, "case.court", "某市某区人民法院")
    type_into(page, "case.defendants", "张某")
    type_into(page, "fact[0].text", "张某冒充投资导师骗取被害人钱款")
    choose(page, "fact[0].element", "conduct")
    page.get_by_role("button", name="添加：待证事实").click()
    settled(page)
    type_into(page, "fact[1].text", "被害人向指定账户转账")
    choose(page, "fact[1].element", "consequence")
    assert findings(page) == []

    # every exhibit: its kind, how it was collected and by whom, what it shows
    kinds = {
        "现场 照片 01": "file",
        "银行流水": "behaviour",
        "login": "tool",
        "微信聊天": "communication",
    }
    for index in range(4):
        page.locator("#exhibit-list .open-item").nth(index).click()
        settled(page)
        title = page.locator('[data-key="title"] input').input_value()
        choose(page, "type", kinds[title])
        choose(page, "source.method", "seizure")
        type_into(page, "source.collectors", "侦查员甲\n侦查员乙")
        type_into(page, "source.collected_at", "2026-04-02T15:00")
        type_into(page, "shows[0].fact", "F1" if index % 2 else "F2")
        choose(page, "shows[0].aspect", "means")
        type_into(page, "shows[0].how", "据此证明")
        assert findings(page) == [], (title, findings(page))

    # the matrix: a click links an exhibit to a fact
    page.locator(".nav-matrix").click()
    cell = page.get_by_role("button", name="E01 证明 F1")
    pressed = cell.get_attribute("aria-pressed")
    cell.click()
    settled(page)
    assert page.get_by_role("button", name="E01 证明 F1").get_attribute("aria-pressed") != pressed

    # the last exhibit dragged to the top; then with the keyboard, one down
    last = page.locator("#exhibit-list li").nth(3)
    last.drag_to(page.locator("#exhibit-list li").nth(0))
    settled(page)
    page.locator("#exhibit-list li").nth(0).locator(".move").nth(1).focus()
    page.keyboard.press("Enter")
    settled(page)
    # the focus stays on the moved exhibit's button through every redraw: Enter again moves it on
    moved = "() => document.activeElement.closest('#exhibit-list li')?.dataset.name"
    assert page.evaluate(moved) == page.locator("#exhibit-list li").nth(1).get_attribute(
        "data-name"
    )

    deck = tmp_path / "decks" / "zhang-2026"
    data = tomllib.loads((deck / "deck.toml").read_text("utf-8"))
    assert data["order"][1] == "E04" and sorted(data["order"]) == ["E01", "E02", "E03", "E04"]

    # undo with the keyboard gives back the order before the last move
    page.keyboard.press("Control+z")
    settled(page)
    data = tomllib.loads((deck / "deck.toml").read_text("utf-8"))
    assert data["order"][0] == "E04"

    result = cli.check(deck)
    assert result.exit_code == 0, result.output
    assert "0 errors" in result.output


def step_values(path: Path, index: int) -> dict:
    text = path.read_text("utf-8")
    return tomllib.loads(text.split("+++")[1])["step"][index]


def point_at(page, item: int, step: int) -> None:
    page.locator("#exhibit-list .open-item").nth(item).click()
    settled(page)
    page.locator(f'[data-key="step[{step}]"] button.point').click()
    page.wait_for_selector("dialog.pointing[open] .point-image, dialog.pointing[open] > div")


def apply_pointing(page) -> None:
    page.locator("dialog.pointing").get_by_role("button", name="确定").click()
    settled(page)


def test_steps_are_made_by_pointing_and_shown_as_a_court_screen_shows_them(
    page, tmp_path: Path
) -> None:
    root = tmp_path / "decks"
    shutil.copytree(DEMO_DECK, root / "demo")
    items = root / "demo" / "items"
    app = create_editor(root, instance_path=tmp_path / "instance", key=KEY)
    page.set_viewport_size({"width": 1366, "height": 768})
    with serving(app) as url:
        page.goto(f"{url}/deck/demo?key={KEY}")
        settled(page)

        # a region dragged on the picture (E02)
        point_at(page, 1, 0)
        picture = page.locator("dialog.pointing img")
        picture.wait_for()
        page.wait_for_function(
            "() => document.querySelector('dialog.pointing img').naturalWidth > 0"
        )
        box = picture.bounding_box()
        page.mouse.move(box["x"] + box["width"] * 0.25, box["y"] + box["height"] * 0.5)
        page.mouse.down()
        page.mouse.move(box["x"] + box["width"] * 0.75, box["y"] + box["height"] * 0.9, steps=4)
        page.mouse.up()
        apply_pointing(page)
        region = step_values(items / "e02-recruit-ad.md", 0)["region"]
        assert region == pytest.approx([0.25, 0.5, 0.5, 0.4], abs=0.01)
        assert page.locator('[data-key="step[0].region"] input').first.input_value() == str(
            region[0]
        )

        # messages of a chat (E04): a click shows the thread up to that message
        point_at(page, 3, 0)
        page.locator("dialog.pointing .pick button").nth(5).click()
        apply_pointing(page)
        assert step_values(items / "e04-chat.md", 0)["messages"] == "1-6"

        # rows of a table (E03): a run with Shift, one more with Ctrl
        point_at(page, 2, 0)
        rows = page.locator("dialog.pointing .pick button")
        rows.nth(1).click()
        rows.nth(2).click(modifiers=["Shift"])
        rows.nth(4).click(modifiers=["Control"])
        apply_pointing(page)
        assert step_values(items / "e03-commission.md", 0)["rows"] == "2-3,5"

        # lines of source code (E07)
        point_at(page, 6, 0)
        lines = page.locator("dialog.pointing .pick button")
        lines.nth(11).click()
        lines.nth(14).click(modifiers=["Shift"])
        apply_pointing(page)
        assert step_values(items / "e07-source-code.md", 0)["lines"] == "12-15"

        # a clip set at the recording's playhead (E05)
        point_at(page, 4, 0)
        page.wait_for_function(
            "() => document.querySelector('dialog.pointing audio').readyState >= 1"
        )
        for at, button in ((2, "开始 = 当前位置"), (5.5, "结束 = 当前位置")):
            page.evaluate(
                "(at) => new Promise((done) => { const a = document.querySelector("
                "'dialog.pointing audio'); a.addEventListener('seeked', done, {once: true});"
                " a.currentTime = at; })",
                at,
            )
            page.get_by_role("button", name=button).click()
        apply_pointing(page)
        assert step_values(items / "e05-call.md", 0)["clip"] == ["00:00:02", "00:00:05.5"]

        # a page of a PDF, and a region dragged on it (E12, its second step)
        point_at(page, 11, 1)
        number = page.locator("dialog.pointing input[type=number]")
        number.fill("3")
        number.dispatch_event("change")
        drawn = page.locator("dialog.pointing img")
        page.wait_for_function(
            "() => { const i = document.querySelector('dialog.pointing img');"
            " return i && i.src.endsWith('page=3') && i.complete && i.naturalWidth > 0; }"
        )
        box = drawn.bounding_box()
        page.mouse.move(box["x"] + box["width"] * 0.1, box["y"] + box["height"] * 0.2)
        page.mouse.down()
        page.mouse.move(box["x"] + box["width"] * 0.9, box["y"] + box["height"] * 0.4, steps=4)
        page.mouse.up()
        apply_pointing(page)
        ledger_step = step_values(items / "e12-ledger.md", 1)
        assert ledger_step["page"] == 3
        assert ledger_step["region"] == pytest.approx([0.1, 0.2, 0.8, 0.2], abs=0.01)

        # a chart's focus by its names, its `until` by the slider over its times (E11)
        point_at(page, 10, 0)
        page.locator("dialog.pointing .chart-plot .main-svg").first.wait_for()
        page.locator("dialog.pointing .names button", has_text="孙某").click()
        pressed = "dialog.pointing .names button[aria-pressed=true]"
        page.wait_for_function(f"() => document.querySelectorAll('{pressed}').length === 1")
        # a click on the chart's own node focuses it too; a second click takes it off
        node = page.locator("dialog.pointing .sankey-node .node-rect").first
        node.click(force=True)
        page.wait_for_function(f"() => document.querySelectorAll('{pressed}').length === 2")
        page.locator("dialog.pointing .sankey-node .node-rect").first.click(force=True)
        page.wait_for_function(f"() => document.querySelectorAll('{pressed}').length === 1")
        slider = page.locator("dialog.pointing input[type=range]")
        slider.fill("1000")
        slider.dispatch_event("change")
        page.wait_for_function(
            "() => document.querySelector('dialog.pointing output.until').value.startsWith("
            "'2026-03-21')"
        )
        apply_pointing(page)
        chart_step = step_values(items / "e11-funds.md", 0)
        assert chart_step["focus"] == ["孙某 6222000000000000101"]
        assert chart_step["until"].isoformat() == "2026-03-21T21:30:00+08:00"  # the last time

        # the preview: the court screen's own page, at the chosen step and shape
        page.locator("#exhibit-list .open-item").nth(1).click()
        settled(page)
        block = page.locator("fieldset.preview")
        block.locator("select").nth(2).select_option("1")
        block.get_by_role("button").click()
        screen = page.frame_locator("iframe.screen")
        screen.locator('.stage-content[data-item="E02"][data-panel="content"]').wait_for()
        screen.locator(".callout img, .callout").first.wait_for()
        block.locator("select").nth(0).select_option("source")
        block.locator("select").nth(1).select_option("4:3")
        block.get_by_role("button").click()
        screen.locator('.stage-content[data-item="E02"][data-panel="source"]').wait_for()
        assert "一致" in screen.locator(".stage-content").inner_text()
        assert page.locator("iframe.screen").get_attribute("class") == "screen aspect-4x3"

        # a blank in an item: no preview of it, and the check's reason
        e02 = items / "e02-recruit-ad.md"
        e02.write_text(e02.read_text("utf-8").replace('type = "platform_post"', 'type = "TODO"'))
        block.get_by_role("button").click()
        page.locator("fieldset.preview .preview-refused").wait_for()
        assert "E02" in page.locator("fieldset.preview .preview-refused").inner_text()
        app.extensions["shizheng.editor"].previews.stop()
