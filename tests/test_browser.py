"""The pages in a real headless Chromium: they render, in Chinese, with nothing blocked."""

from __future__ import annotations

from .conftest import PRESENTER_KEY


def test_exhibit_list_renders_in_chromium_without_errors(live_server, page):
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.goto(f"{live_server}/?key={PRESENTER_KEY}")
    assert page.locator("h1").inner_text() == "测试诈骗案"
    rows = page.locator("table.exhibits tbody tr")
    assert rows.count() == 4
    assert "张某手机微信聊天记录" in rows.nth(0).inner_text()
    # The stylesheet applied under the CSP: the header rule is drawn.
    border = page.eval_on_selector("header.case", "e => getComputedStyle(e).borderBottomStyle")
    assert border == "solid"
    assert problems == []
