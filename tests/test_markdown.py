"""Markdown from a deck is rendered inert: nothing runs, nothing is fetched from outside."""

from __future__ import annotations

import pytest

from presenter.views.markdown import safe_markdown


@pytest.mark.parametrize(
    "source",
    [
        "<script>alert(1)</script>",
        '<img src="x.png" onerror="alert(1)">',
        '<a href="javascript:alert(1)">a</a>',
        "[a](javascript:alert(1))",
        "[a](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
        '<a href="JaVaScRiPt:alert(1)">a</a>',
        '<div onclick="alert(1)">x</div>',
        '<iframe src="https://example.com"></iframe>',
        '<svg onload="alert(1)"></svg>',
        '<p style="background:url(https://example.com/t.png)">x</p>',
    ],
)
def test_nothing_that_runs_survives(source):
    html = str(safe_markdown(source)).lower()
    for marker in ("<script", "onerror", "onclick", "onload", "javascript:", "data:", "<iframe",
                   "<svg", "style="):  # fmt: skip
        assert marker not in html, (source, html)


def test_a_remote_image_becomes_plain_text():
    html = str(safe_markdown('前文 ![截图](https://example.com/a.png "t") 后文'))
    assert "<img" not in html
    assert '<span class="remote-image">[截图] https://example.com/a.png</span>' in html
    assert html.startswith("<p>前文 ") and html.endswith(" 后文</p>")
    raw = str(safe_markdown('<p>x</p>\n\n<img alt="a&quot;b<c" src="//example.com/p.png">y'))
    assert "<img" not in raw and "[a&#34;b&lt;c] //example.com/p.png" in raw and "y" in raw


def test_a_local_image_and_ordinary_markdown_stay():
    html = str(safe_markdown("**粗体**\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n![图](local.png)"))
    assert "<strong>粗体</strong>" in html and "<table>" in html
    assert '<img alt="图" src="local.png">' in html
