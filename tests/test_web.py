"""The exhibit list page over real HTTP: content, language, escaping, security headers."""

from __future__ import annotations

from presenter import create_app
from presenter.deck import load_deck

from .conftest import PRESENTER_KEY, keyed_client
from .deckfactory import edit


def test_index_lists_the_exhibits_in_order(client):
    response = client.get("/")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    titles = ["张某手机微信聊天记录", "虚假平台截图", "平台后台源代码", "资金流向"]
    positions = [html.index(title) for title in titles]
    assert positions == sorted(positions)
    assert "测试诈骗案" in html and "某检刑诉〔2026〕99号" in html
    assert "网络通讯信息" in html and "扣押、封存原始存储介质" in html


def test_index_never_shows_presenter_only_content(client):
    html = client.get("/").get_data(as_text=True)
    assert "私人备注" not in html
    assert "提取时无见证人" not in html


def test_every_response_carries_the_content_security_policy(client):
    for url in ("/", "/static/css/app.css", "/no-such-page"):
        with client.get(url) as response:
            policy = response.headers["Content-Security-Policy"]
            assert "script-src 'self'" in policy and "object-src 'none'" in policy
            assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_english_on_request(client):
    html = client.get("/?lang=en").get_data(as_text=True)
    assert '<html lang="en">' in html
    assert "Exhibits" in html and "communications" in html


def test_hostile_titles_are_escaped(deck_dir, instance):
    edit(
        deck_dir / "items/e03-code.md",
        'title = "平台后台源代码"',
        'title = "<script>alert(1)</script>"',
    )
    report = load_deck(deck_dir)
    app = create_app(report, instance_path=instance, presenter_key=PRESENTER_KEY)
    html = keyed_client(app, PRESENTER_KEY).get("/").get_data(as_text=True)
    app.extensions["shizheng.court"].record.close()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_static_urls_carry_a_content_hash(client):
    html = client.get("/").get_data(as_text=True)
    assert "/static/css/app.css?v=" in html
