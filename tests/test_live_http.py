"""Keys, cookies and what a screen may fetch, over real HTTP through Flask's test client."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from presenter import create_app
from presenter.deck import load_deck

from .conftest import DEMO_DECK, PRESENTER_KEY, PUBLIC_KEY, SCREEN_KEY, court_app, keyed_client


def test_a_key_becomes_an_httponly_strict_cookie_and_leaves_the_url(app):
    client = app.test_client()
    response = client.get(f"/present?key={PRESENTER_KEY}&lang=en")
    assert response.status_code == 303
    assert response.headers["Location"] == "/present?lang=en"
    cookie = response.headers["Set-Cookie"]
    name = app.extensions["shizheng.court"].cookies["presenter"]
    assert name.startswith("shizheng_presenter_") and cookie.startswith(f"{name}={PRESENTER_KEY}")
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie
    assert client.get("/present?lang=en").status_code == 200


def test_an_unknown_key_opens_nothing(app):
    client = app.test_client()
    assert client.get("/present?key=not-the-key-000000000000").status_code == 403
    assert client.get("/screen/exhibit/E01/content").status_code == 403
    assert client.get("/present/deck.json").status_code == 403


def test_a_screen_key_never_opens_a_presenter_page_or_endpoint(screen_client):
    assert screen_client.get("/present").status_code == 403
    assert screen_client.get("/present/deck.json").status_code == 403
    assert screen_client.get(f"/present?key={SCREEN_KEY}").status_code == 403
    assert screen_client.get("/screen").status_code == 200
    assert screen_client.get("/").status_code == 302


def test_presenter_data_holds_the_notes_and_challenges(client):
    data = client.get("/present/deck.json").get_json()
    chat = next(e for e in data["exhibits"] if e["id"] == "E01")
    assert "注意第 3 条消息" in chat["notes"]
    assert chat["challenges"]["legality"][0]["claim"] == "提取时无见证人"


def test_screen_fragments_hold_no_presenter_only_text(screen_client):
    for item in ("E01", "E02", "E03", "E04"):
        for panel in ("content", "source", "facts", "corroboration"):
            response = screen_client.get(f"/screen/exhibit/{item}/{panel}")
            assert response.status_code == 200, (item, panel)
            html = response.get_data(as_text=True)
            assert "私人备注" not in html and "有见证人签名" not in html
    assert screen_client.get("/screen/exhibit/E01/notes").status_code == 404


def test_every_page_carries_the_content_security_policy(client, screen_client):
    for response in (
        client.get("/present"),
        client.get("/"),
        screen_client.get("/screen"),
        screen_client.get("/screen/exhibit/E02/content"),
        client.get("/nowhere"),
    ):
        policy = response.headers["Content-Security-Policy"]
        assert "script-src 'self'" in policy and "object-src 'none'" in policy
        assert "frame-ancestors 'none'" in policy
        assert "connect-src 'self' ws://localhost wss://localhost" in policy


def test_pages_have_no_inline_script(client, screen_client):
    for html in (
        client.get("/present").get_data(as_text=True),
        screen_client.get("/screen").get_data(as_text=True),
    ):
        for chunk in html.split("<script")[1:]:
            head = chunk.split(">", 1)[0]
            assert "src=" in head or 'type="application/json"' in head, head


def test_hashed_static_urls_are_kept_and_module_imports_are_always_revalidated(screen_client):
    import re

    html = screen_client.get("/screen").get_data(as_text=True)
    hashed = re.search(r'src="(/static/js/screen\.js\?v=[0-9a-f]{12})"', html).group(1)
    kept = screen_client.get(hashed)
    assert "immutable" in kept.headers["Cache-Control"]
    kept.close()
    # stage.js is imported by screen.js as "./stage.js": no hash, so no stale copy may be used
    imported = screen_client.get("/static/js/stage.js")
    assert imported.headers["Cache-Control"] == "no-cache"
    assert imported.headers.get("ETag") or imported.headers.get("Last-Modified")
    imported.close()


def fetch(client, url: str, **headers: str) -> tuple[int, bytes]:
    """Status and body of a GET, with the response (an open file, maybe) closed."""
    response = client.get(url, headers=headers)
    try:
        return response.status_code, response.data
    finally:
        response.close()


def test_files_are_served_with_ranges_and_only_when_listed(screen_client):
    status, whole = fetch(screen_client, "/files/E02/files/shot.png")
    assert status == 200
    assert fetch(screen_client, "/files/E02/files/shot.png", Range="bytes=0-9") == (206, whole[:10])
    assert fetch(screen_client, "/files/E02/files/shot.png", Range="bytes=-4") == (206, whole[-4:])
    for url in ("/files/E02/files/chat.csv", "/files/E02/deck.toml", "/files/E02/../deck.toml"):
        assert fetch(screen_client, url)[0] == 404, url


@pytest.fixture
def tampered(deck_dir, instance):
    """A deck whose E03 file no longer matches its recorded hash (Art. 44)."""
    (deck_dir / "files" / "admin.php").write_text("<?php // changed\n\n\n\n", encoding="utf-8")
    report = load_deck(deck_dir)
    app = create_app(
        report, instance_path=instance, presenter_key=PRESENTER_KEY, screen_key=SCREEN_KEY
    )
    yield app
    app.extensions["shizheng.court"].record.close()


def test_an_exhibit_failing_its_hash_stays_off_the_screens_until_confirmed(tampered):
    screen = keyed_client(tampered, SCREEN_KEY)
    presenter = keyed_client(tampered, PRESENTER_KEY)
    assert screen.get("/screen/exhibit/E03/content").status_code == 403
    assert fetch(screen, "/files/E03/files/admin.php")[0] == 403
    assert presenter.get("/screen/exhibit/E03/content").status_code == 200
    data = presenter.get("/present/deck.json").get_json()
    assert [e["id"] for e in data["exhibits"] if e["unverified"]] == ["E03"]
    court = tampered.extensions["shizheng.court"]
    refused = court.presentation.command({"action": "goto", "item": "E03"}, "presenter")
    assert refused.ack() == {"ok": False, "error": "unverified", "item": "E03"}
    court.presentation.command({"action": "goto", "item": "E03", "confirm": True}, "presenter")
    assert screen.get("/screen/exhibit/E03/content").status_code == 200
    entries = court.record.path.read_text(encoding="utf-8").splitlines()
    assert '"confirmed":"unverified"' in entries[-1]


def test_keys_and_approved_screens_are_kept_for_a_restart(deck_dir, instance):
    report = load_deck(deck_dir)
    first = create_app(report, instance_path=instance)
    access = first.extensions["shizheng.court"].access
    pairing, new = access.request_pairing("gallery", None, "10.0.0.5")
    assert new and access.answer(pairing.code, approve=True, public=True)
    first.extensions["shizheng.court"].record.close()
    again = create_app(report, instance_path=instance)
    kept = again.extensions["shizheng.court"].access
    assert kept.keys == access.keys and len(set(kept.keys.values())) == 3
    assert kept.kind(pairing.token) == "public"
    assert (instance / deck_dir.name / "keys.json").stat().st_mode & 0o077 == 0
    again.extensions["shizheng.court"].record.close()
    given = create_app(report, instance_path=instance, presenter_key=PRESENTER_KEY)
    assert given.extensions["shizheng.court"].access.presenter_key == PRESENTER_KEY
    given.extensions["shizheng.court"].record.close()


def test_plotly_is_served_from_the_installed_package(screen_client):
    import plotly

    status, body = fetch(screen_client, f"/vendor/plotly-{plotly.__version__}.min.js")
    assert status == 200 and b"plotly" in body[:2000].lower()
    assert fetch(screen_client, "/vendor/plotly-0.0.1.min.js")[0] == 404


@pytest.fixture
def demo_app(instance):
    with court_app(DEMO_DECK, instance) as app:
        yield app


@pytest.fixture
def demo_screen(demo_app):
    """A screen's browser on the demo deck."""
    return keyed_client(demo_app, SCREEN_KEY)


@pytest.fixture
def demo_public(demo_app):
    """The public gallery's screen on the demo deck."""
    return keyed_client(demo_app, PUBLIC_KEY)


def test_the_pages_name_what_the_installed_plotly_js_looks_for(screen_client):
    """plotly.js injects no <style> (forbidden by the CSP) only when it finds these ids; both
    belong to one plotly.js version, so upgrading plotly must update the template."""
    from presenter.web.files import plotly_js

    script = plotly_js().read_text(encoding="utf-8")
    html = screen_client.get("/screen").get_data(as_text=True)
    assert "plotly.js v4.1.1" in script[:200] and "css/plotly-4.1.1.css" in html
    assert 'id="plotly.js-style-global" class="no-inline-styles"' in html
    maplibre = "9f215cf04c5486422605d13261cb87401f4e7763b6296af81e98efbc0130da53"
    assert f'getElementById("{maplibre}")' in script and f'id="{maplibre}"' in html


def test_document_pages_render_to_png_once_and_are_cached(demo_screen, instance):
    import io

    from PIL import Image

    status, png = fetch(demo_screen, "/pages/E12/2.png")
    assert status == 200
    assert Image.open(io.BytesIO(png)).size[0] == 1600
    cached = list((instance / "demo" / "cache" / "pages").glob("*.png"))
    assert len(cached) == 1
    mtime = cached[0].stat().st_mtime_ns
    assert fetch(demo_screen, "/pages/E12/2.png") == (200, png)
    assert cached[0].stat().st_mtime_ns == mtime
    assert fetch(demo_screen, "/pages/E12/4.png")[0] == 404
    assert fetch(demo_screen, "/pages/E11/1.png")[0] == 404


def test_images_are_sent_as_derivatives_and_callouts_are_cut_from_the_original(app, deck_dir):
    import io

    from PIL import Image, ImageDraw

    big = Image.new("RGB", (6000, 4000), "white")
    ImageDraw.Draw(big).rectangle((3000, 2000, 4499, 2999), fill="red")
    big.save(deck_dir / "files" / "shot.png")
    presenter = keyed_client(app, PRESENTER_KEY)  # the hash now fails: only the presenter
    status, png = fetch(presenter, "/images/E02/files/shot.png")
    assert status == 200 and Image.open(io.BytesIO(png)).size == (2560, 1707)
    status, png = fetch(presenter, "/images/E02/files/shot.png?region=0.5,0.5,0.25,0.25")
    crop = Image.open(io.BytesIO(png)).convert("RGB")
    assert crop.size == (1500, 1000), "full resolution of the region, not the derivative"
    assert crop.getpixel((10, 10)) == (255, 0, 0) and crop.getpixel((1490, 990)) == (255, 0, 0)
    assert fetch(presenter, "/images/E02/files/shot.png?region=0.9,0,0.5,1")[0] == 400
    status, png = fetch(presenter, "/images/E02/files/shot.png?thumb=1")
    assert status == 200 and Image.open(io.BytesIO(png)).size == (480, 320)


def test_corroboration_sets_each_point_beside_its_piece_with_a_thumbnail(demo_screen):
    e11 = demo_screen.get("/screen/exhibit/E11/corroboration").get_data(as_text=True)
    assert e11.count('<li class="pair') == 4  # its own three, and E14 that cites it
    assert '<img class="thumb" src="/pages/E12/1.png" alt="">' in e11
    assert "赵某《收U对账单》记载的兑换" in e11 and "E12 赵某笔记本电脑中的《收U对账单》" in e11
    e12 = demo_screen.get("/screen/exhibit/E12/corroboration").get_data(as_text=True)
    assert 'class="pair cited-by"' in e12 and "E11 被害人资金流向" in e12, "both directions"
    assert "<img" not in e12, "a chart has no thumbnail"


def test_chat_attachments_are_thumbnails_made_on_the_server(demo_screen):
    import io

    from PIL import Image

    html = demo_screen.get("/screen/exhibit/E04/content").get_data(as_text=True)
    thumb = "/images/E04/files/chat/profit-screenshot.png?thumb=1"
    assert f'<img class="attachment" src="{thumb}" alt="profit-screenshot.png">' in html
    status, png = fetch(demo_screen, thumb)
    assert status == 200 and max(Image.open(io.BytesIO(png)).size) <= 480


def test_the_source_panel_shows_hashes_file_attributes_and_exif(client):
    html = client.get("/screen/exhibit/E02/source").get_data(as_text=True)
    assert "files/shot.png" in html and "MD5" in html and "一致" in html
    assert "修改时间" in html and "EXIF" in html


def test_a_public_screen_gets_personal_numbers_masked(demo_screen, demo_public):
    whole = demo_screen.get("/charts/E11/figure?as=public").get_data(as_text=True)
    public = demo_public.get("/charts/E11/figure?as=whole").get_data(as_text=True)
    assert "6222000000000000101" in whole
    assert "6222000000000000101" not in public and "622200*********0101" in public


def test_a_flows_transactions_follow_the_state_and_are_masked_for_the_public(
    demo_screen, demo_public
):
    court = demo_screen.application.extensions["shizheng.court"]
    court.presentation.command({"action": "goto", "item": "E11"}, "presenter")
    assert demo_screen.get("/charts/E11/transactions").status_code == 404, "no flow open"
    flow = ["周某 6217000000000000202", "吴某 6228000000000000303"]
    court.presentation.command({"action": "chart", "flow": flow}, "presenter")
    whole = demo_screen.get("/charts/E11/transactions").get_json()
    assert whole["flow"] == flow and whole["count"] == len(whole["rows"]) > 0
    assert whole["link"] is not None
    public = demo_public.get("/charts/E11/transactions").get_json()
    assert "6217000000000000202" not in json.dumps(public, ensure_ascii=False)
    assert public["link"] == whole["link"] and public["total"] == whole["total"]
    assert demo_screen.get("/charts/E10/transactions").status_code == 404


def test_table_pages_come_from_the_server_and_are_masked_for_the_public(demo_screen, demo_public):
    data = demo_screen.get("/tables/E08/rows?start=5").get_json()
    assert data["total"] == 11 and data["start"] == 5 and len(data["rows"]) == 6
    assert data["rows"][0][0] == "HX26030006"
    public = demo_public.get("/tables/E08/rows?start=0").get_json()
    assert "6222000000000000101" in json.dumps(data["rows"], ensure_ascii=False)
    assert "6222000000000000101" not in json.dumps(public["rows"], ensure_ascii=False)
    assert demo_screen.get("/tables/E07/rows").status_code == 404
    html = demo_screen.get("/screen/exhibit/E08/content").get_data(as_text=True)
    assert "636,000.00" in html and "2026-03-08 10:00 — 2026-03-21 21:04" in html


def test_table_rows_follow_the_presenters_sort_and_filter_and_keep_their_numbers(
    demo_screen, demo_public
):
    court = demo_screen.application.extensions["shizheng.court"]
    court.presentation.command({"action": "goto", "item": "E08"}, "presenter")
    court.presentation.command({"action": "table", "sort": 4, "desc": True}, "presenter")
    data = demo_screen.get("/tables/E08/rows").get_json()
    amounts = [float(row[4].replace(",", "")) for row in data["rows"]]  # grouped for court
    assert amounts == sorted(amounts, reverse=True) and data["total"] == 11
    assert data["arranged"]["sort"] == "金额（元）" and data["arranged"]["desc"] is True
    assert sorted(data["numbers"]) == list(range(1, 12)), "each row keeps its number in the file"
    court.presentation.command(
        {"action": "table", "filter": "6222000000000000101"}, "presenter"
    )  # fmt: skip
    whole = demo_screen.get("/tables/E08/rows").get_json()
    public = demo_public.get("/tables/E08/rows").get_json()
    assert whole["total"] == public["total"] == whole["arranged"]["rows"] > 0
    assert all("6222000000000000101" in row[6] for row in whole["rows"])
    assert "6222000000000000101" not in json.dumps(public, ensure_ascii=False)
    assert Decimal(whole["arranged"]["total"]) == sum(
        Decimal(row[4].replace(",", "")) for row in whole["rows"]
    )  # exact: a string, never a float


def test_the_case_matrix_shows_origins_and_孤证_to_the_presenter_only(deck_dir, instance):
    """F3 (shown by E04 alone) is 孤证; E03 is excluded: the screens see neither."""
    from .deckfactory import CODE_MD, FUNDS_MD, edit

    fact = '\n[[fact]]\nid = "F3"\ntext = "张某使用电话13812345678联系"\nelement = "intent"\n'
    edit(deck_dir / "deck.toml", "[[evidence]]", fact + "\n[[evidence]]")
    edit(deck_dir / FUNDS_MD, "[[step]]", '[[shows]]\nfact = "F3"\naspect = "funds"\n\n[[step]]')
    edit(deck_dir / CODE_MD, 'view = "code"', 'view = "code"\nexcluded = true')
    app = create_app(
        load_deck(deck_dir),
        instance_path=instance,
        presenter_key=PRESENTER_KEY,
        screen_key=SCREEN_KEY,
        public_key=PUBLIC_KEY,
    )
    presenter, screen = keyed_client(app, PRESENTER_KEY), keyed_client(app, SCREEN_KEY)
    mine = presenter.get("/present/case").get_data(as_text=True)
    assert 'data-fact="F3" class="lone"' in mine and "孤证" in mine and "独立来源" in mine
    assert 'data-column="E03"' in mine and 'data-item="E04" data-panel="facts"' in mine
    assert 'data-item="E01" data-panel="corroboration"' in mine, "C1's cell goes to E01"
    assert screen.get("/present/case").status_code == 403
    court = screen.get("/screen/case").get_data(as_text=True)
    for presenter_only in ("孤证", "独立来源", 'data-column="E03"', "<button", "lone"):
        assert presenter_only not in court, presenter_only
    assert 'data-fact="F3"' in court and "↔ E01" in court and "13812345678" in court
    assert "13812345678" in screen.get("/screen/case?as=public").get_data(as_text=True)
    public = keyed_client(app, PUBLIC_KEY).get("/screen/case").get_data(as_text=True)
    assert "13812345678" not in public and "138****5678" in public
    app.extensions["shizheng.court"].record.close()
