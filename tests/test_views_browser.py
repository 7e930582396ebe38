"""Every view of the demo deck on a Chromium screen: it shows, a step changes it, the
screen's data-seq follows. Screenshots of each go to the test's temporary folder."""

from __future__ import annotations

import shutil

import pytest

from .conftest import DEMO_DECK, PRESENTER_KEY, SCREEN_KEY, serve_deck, wait_until

STEP_EFFECT = {
    # exhibit: (a selector inside the screen's stage that the view draws,
    #           a JS expression on the stage that becomes true once step 1 is applied)
    "E01": (
        ".chart-frame .main-svg",
        "s.querySelector('[data-role=chart]').dataset.key !== 'null'",
    ),
    "E02": ("img.exhibit-image", "!!s.querySelector('img.callout')"),
    "E03": ("table.data", "s.querySelectorAll('tr.hl').length === 2"),
    "E04": ("ol.chat", "s.querySelectorAll('.msg.hidden').length === 18"),
    "E05": ("audio", "true"),
    "E06": ("video", "true"),
    "E07": ("pre.code", "s.querySelectorAll('.line.hl').length === 13"),
    "E08": ("table.data", "s.querySelectorAll('tr.hl').length === 7"),
    "E09": (".markdown-view table", None),
    "E10": (
        ".chart-frame .main-svg",
        "s.querySelector('[data-role=chart]').dataset.key !== 'null'",
    ),
    "E11": (
        ".chart-frame .main-svg",
        "s.querySelector('[data-role=chart]').dataset.key !== 'null'",
    ),
    "E12": ("img.pdf-page", "!!s.querySelector('.document-page img.callout')"),
    "E13": (
        ".chart-frame .main-svg",
        "s.querySelector('[data-role=chart]').dataset.key !== 'null'",
    ),
}


@pytest.fixture(scope="module")
def court(tmp_path_factory, browser):
    folder = tmp_path_factory.mktemp("views")
    deck = shutil.copytree(DEMO_DECK, folder / "decks" / "demo")
    with serve_deck(deck, folder / "instance") as served:
        context = browser.new_context(viewport={"width": 1600, "height": 900})
        screen = context.new_page()
        presenter = context.new_page()
        errors: list[str] = []
        for page in (screen, presenter):
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
            # Playwright's request log: nothing may leave the app (maps, fonts, scripts)
            page.on(
                "request",
                lambda r: (
                    None
                    if r.url.startswith((served.url, "data:", "blob:"))
                    else errors.append(f"request outside the app: {r.url}")
                ),
            )
        screen.goto(f"{served.url}screen?key={SCREEN_KEY}&name=judge")
        presenter.goto(f"{served.url}present?key={PRESENTER_KEY}")
        wait_until(lambda: screen.evaluate("document.documentElement.dataset.seq"), 30)
        wait_until(lambda: presenter.evaluate("document.getElementById('stage').dataset.seq"))
        presenter.keyboard.press("ArrowRight")
        yield screen, presenter, errors, folder
        context.close()


def seq(page) -> int:
    return int(page.evaluate("document.documentElement.dataset.seq") or -1)


def caught_up(presenter, screen) -> bool:
    """The presenter's miniature has the state the screen shows: a key or a click there counts
    from the state its own page has (media, table, chart)."""
    mini = presenter.evaluate("document.getElementById('stage').dataset.seq")
    return int(mini or -1) >= seq(screen)


def stage_is(screen, expression: str) -> bool:
    return screen.evaluate(
        f"(() => {{ const s = document.getElementById('stage'); return {expression}; }})()"
    )  # noqa: E501


def show(presenter, screen, item: str) -> None:
    """Type the exhibit's number and Enter on the presenter, as a trial technician does; wait
    until the screen and the presenter's miniature both have it at step 0 (the presenter's
    keys act on the exhibit its own page knows)."""
    presenter.keyboard.type(str(int(item[1:])))
    presenter.keyboard.press("Enter")
    shown = f"s.dataset.item === '{item}' && s.dataset.step === '0'"
    wait_until(lambda: stage_is(screen, shown) and stage_is(presenter, shown), 15)


@pytest.mark.parametrize("item", sorted(STEP_EFFECT))
def test_each_view_shows_and_follows_its_first_step(court, item):
    screen, presenter, errors, folder = court
    show(presenter, screen, item)
    selector, effect = STEP_EFFECT[item]
    wait_until(lambda: screen.locator(f"#stage {selector}").count() > 0, 15)
    screen.screenshot(path=str(folder / f"{item}-screen.png"))
    if effect is not None:
        before = seq(screen)
        presenter.keyboard.press("ArrowRight")
        wait_until(lambda: seq(screen) > before and stage_is(screen, "s.dataset.step === '1'"), 15)
        wait_until(lambda: stage_is(screen, effect), 15)
        screen.screenshot(path=str(folder / f"{item}-step1-screen.png"))
    assert errors == []
    assert errors == []


def test_the_screen_video_follows_play_pause_and_seek(court):
    screen, presenter, errors, _ = court
    show(presenter, screen, "E06")
    video = "document.querySelector('#stage video')"
    wait_until(lambda: screen.evaluate(f"{video}?.readyState >= 1"), 15)
    presenter.keyboard.press("p")
    wait_until(lambda: screen.evaluate(f"!{video}.paused && {video}.currentTime > 1"), 15)
    assert screen.evaluate(f"{video}.muted"), "sound comes from the presenter's machine"
    wait_until(lambda: caught_up(presenter, screen), 15)  # P pauses what the page knows plays
    presenter.keyboard.press("p")
    wait_until(lambda: screen.evaluate(f"{video}.paused"), 15)
    wait_until(lambda: caught_up(presenter, screen), 15)  # L seeks from the page's position
    presenter.keyboard.press("l")  # +5 s
    wait_until(lambda: screen.evaluate(f"{video}.currentTime > 5.5"), 15)
    # both re-align on the paused position: they agree within a few frames
    wait_until(
        lambda: (
            abs(
                screen.evaluate(f"{video}.currentTime") - presenter.evaluate(f"{video}.currentTime")
            )
            < 0.1
        ),
        15,
    )
    assert errors == []


def test_the_screen_follows_the_presenters_sort_and_filter_of_a_table(court):
    screen, presenter, errors, folder = court
    show(presenter, screen, "E08")
    presenter.locator("#stage th[data-col='4']").click()  # 金额（元）, ascending
    sorted_by = "#stage th[data-col='4']"
    wait_until(lambda: screen.locator(sorted_by).get_attribute("data-sort") == "asc", 15)
    amounts = screen.locator("#stage tbody tr td:nth-child(6)").all_inner_texts()
    figures = [float(a.replace(",", "")) for a in amounts]  # grouped as the court reads them
    assert figures == sorted(figures)
    wait_until(lambda: caught_up(presenter, screen), 15)  # the filter keeps the page's sort
    presenter.locator("#table-filter").fill("陈某")
    presenter.locator("#table-filter").press("Enter")
    arranged = "#stage .table-arranged"
    wait_until(lambda: "陈某" in (screen.locator(arranged).text_content() or ""), 15)
    rows = screen.locator("#stage tbody tr").all_inner_texts()
    assert rows and all("陈某" in row for row in rows)
    screen.screenshot(path=str(folder / "E08-arranged-screen.png"))
    presenter.locator("#table-clear").click()
    wait_until(lambda: screen.locator(arranged).is_hidden(), 15)
    assert screen.locator(sorted_by).get_attribute("data-sort") == ""
    assert errors == []


IMAGES_LOADED = "[...document.querySelectorAll('#stage img')].every(i => i.complete)"


@pytest.mark.parametrize("item", ["E02", "E11"])
def test_the_three_article_47_panels_show_on_the_screen(court, item):
    screen, presenter, errors, folder = court
    show(presenter, screen, item)
    for panel in ("source", "facts", "corroboration"):
        presenter.locator(f"#panels button[data-panel='{panel}']").click()
        wait_until(lambda p=panel: screen.locator(f"#stage article.panel-{p}").count() == 1, 15)
        wait_until(lambda: screen.evaluate(IMAGES_LOADED), 15)
        screen.screenshot(path=str(folder / f"{item}-{panel}-screen.png"))
    presenter.locator("#panels button[data-panel='content']").click()
    wait_until(lambda: screen.locator("#stage article.panel").count() == 0, 15)
    assert errors == []


def test_the_case_matrix_on_the_presenter_and_the_screens(court):
    """M opens the matrix with origins; shown on the screens without them; a cell goes to
    that exhibit's facts; the next arrow brings the exhibit back."""
    screen, presenter, errors, folder = court
    show(presenter, screen, "E04")
    presenter.keyboard.press("m")
    matrix = "#case table.matrix"
    wait_until(lambda: presenter.locator(matrix).count() == 1, 15)
    assert presenter.locator(f"{matrix} td.origins").count() == 7  # the demo's seven facts
    presenter.screenshot(path=str(folder / "case-presenter.png"))
    presenter.locator("#case-show").click()
    wait_until(lambda: stage_is(screen, "s.dataset.case === '1'"), 15)
    wait_until(lambda: screen.locator("#stage table.matrix").count() == 1, 15)
    court_html = screen.locator("#stage").inner_html()
    assert 'td class="origins' not in court_html and "孤证" not in court_html
    assert screen.locator("#stage table.matrix tbody tr").count() == 7
    screen.screenshot(path=str(folder / "case-screen.png"))
    presenter.locator(f"{matrix} tr[data-fact='F3'] td[data-column='E07'] button").click()
    wait_until(lambda: screen.locator("#stage article.panel-facts").count() == 1, 15)
    assert stage_is(screen, "s.dataset.item === 'E07' && s.dataset.case === ''")
    wait_until(lambda: presenter.locator("#case").is_hidden(), 15)
    wait_until(lambda: stage_is(presenter, "s.dataset.case === ''"), 15)  # the toggle reads it
    presenter.keyboard.press("m")
    presenter.locator("#case-show").click()
    wait_until(lambda: stage_is(screen, "s.dataset.case === '1'"), 15)
    presenter.keyboard.press("Escape")
    presenter.locator("#case-close").click()
    presenter.keyboard.press("ArrowRight")
    wait_until(lambda: screen.locator("#stage article.panel-facts").count() == 1, 15)
    assert stage_is(screen, "s.dataset.item === 'E07' && s.dataset.case === ''")
    assert errors == []


def chart_drawn(page, seq_after: int) -> bool:
    return page.evaluate(
        "(() => { const b = document.querySelector('#stage [data-role=chart]');"
        f" return !!b && Number(b.dataset.drawn) > {seq_after}; }})()"
    )


FLOW_DRAWN = """(() => {
  // the figure made room for the transactions, and the open flow is drawn in full colour
  const panel = document.querySelector('#stage .flow-panel').getBoundingClientRect();
  const nodes = [...document.querySelectorAll('#stage .sankey-node .node-rect')];
  const links = [...document.querySelectorAll('#stage .sankey-link')];
  return nodes.length > 0 && nodes.every(n => n.getBoundingClientRect().right <= panel.left + 1)
    && links.filter(l => getComputedStyle(l).fill === 'rgb(199, 119, 0)'
                         && getComputedStyle(l).fillOpacity === '0.85').length === 1;
})()"""


def test_fund_flows_focus_fold_time_and_a_flows_transactions(court):
    """On the presenter's miniature of E11: a click on a flow opens its transactions on the
    screen; a click on an account focuses it; the slider and the fold redraw the screen."""
    screen, presenter, errors, folder = court
    show(presenter, screen, "E11")
    wait_until(lambda: presenter.locator("#stage .sankey-link").count() > 0, 15)
    assert presenter.locator("#chart-controls").is_visible()
    assert presenter.locator("#table-controls").is_hidden()
    links = presenter.evaluate("document.querySelector('#stage [data-role=chart]').meta.links")
    before = seq(screen)
    presenter.locator("#stage .sankey-link").nth(0).dispatch_event("click")
    rows = "#stage .flow-panel tbody tr"
    wait_until(lambda: screen.locator(rows).count() == links[0][3], 15)
    caption = screen.locator("#stage .flow-caption").text_content()
    assert caption.startswith(f"{links[0][0]} → {links[0][1]}：{links[0][3]} 笔")
    assert all(links[0][1] in row for row in screen.locator(rows).all_inner_texts())
    lit = "document.querySelector('#stage [data-role=chart]').dataset.lit"
    wait_until(lambda: screen.evaluate(lit) == "0", 15)
    wait_until(lambda: screen.evaluate(FLOW_DRAWN), 15)
    screen.screenshot(path=str(folder / "E11-flow-screen.png"))
    # the same flow again closes it (once the presenter's page knows it is open)
    wait_until(lambda: caught_up(presenter, screen), 15)
    presenter.locator("#stage .sankey-link").nth(0).dispatch_event("click")
    wait_until(lambda: screen.locator("#stage .flow-panel").count() == 0, 15)
    assert seq(screen) > before
    # an account: focus, lit on the screen's figure
    node = presenter.evaluate("document.querySelector('#stage [data-role=chart]').meta.nodes[1]")
    presenter.locator("#stage .sankey-node").nth(1).dispatch_event("click")
    focus = "JSON.stringify(document.querySelector('#stage [data-role=chart]').meta.lit)"
    wait_until(lambda: node in (screen.evaluate(focus) or ""), 15)
    # the time slider: the earliest end of its range shows nothing but the first moments
    wait_until(lambda: caught_up(presenter, screen), 15)  # the slider keeps the page's focus
    at = seq(screen)
    presenter.locator("#chart-until").fill("0")
    presenter.locator("#chart-until").dispatch_event("change")
    wait_until(lambda: chart_drawn(screen, at), 15)
    total = "document.querySelector('#stage [data-role=chart]').meta.total"
    assert screen.evaluate(total) < 100_000
    wait_until(lambda: caught_up(presenter, screen), 15)  # the fold keeps the page's time
    at = seq(screen)
    presenter.locator("#chart-fold").fill("3")
    presenter.locator("#chart-fold").dispatch_event("change")
    wait_until(lambda: chart_drawn(screen, at), 15)
    presenter.locator("#chart-clear").click()
    wait_until(lambda: screen.evaluate(total) > 500_000, 15)
    assert errors == []


def test_a_network_node_click_focuses_that_person(court):
    screen, presenter, errors, _ = court
    show(presenter, screen, "E01")
    points = "#stage .scatterlayer .trace:last-child .point"
    wait_until(lambda: presenter.locator(points).count() > 0, 15)
    names = presenter.evaluate("document.querySelector('#stage [data-role=chart]').meta.nodes")
    box = presenter.locator(points).nth(0).bounding_box()
    assert box is not None
    presenter.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    lit = "document.querySelector('#stage [data-role=chart]').meta.lit"
    wait_until(lambda: names[0] in (screen.evaluate(lit) or []), 15)
    assert len(screen.evaluate(lit)) < len(names)
    assert errors == []


def test_a_screen_loads_plotly_js_at_its_first_chart_and_again_after_a_load_that_broke(
    court, browser
):
    """plotly.js (4.8 MB) is read only by a page that shows a chart; a copy cut off on the way
    (a 200 whose script does not run) is fetched again at the next chart drawn."""
    screen, presenter, _, _ = court
    show(presenter, screen, "E02")
    asked: list[str] = []

    def answer(route) -> None:
        asked.append(route.request.url)
        if len(asked) == 1:
            route.fulfill(status=200, content_type="text/javascript", body="var cut = function() {")
        else:
            route.continue_()

    context = browser.new_context(viewport={"width": 1280, "height": 720})
    try:
        fresh = context.new_page()
        fresh.route("**/vendor/plotly-*", answer)
        base = screen.url.split("/screen")[0]
        fresh.goto(f"{base}/screen?key={SCREEN_KEY}&name=clerk")
        wait_until(lambda: seq(fresh) >= 0 and stage_is(fresh, "s.dataset.item === 'E02'"), 15)
        assert asked == [], "a picture needs no plotly.js"
        show(presenter, screen, "E01")
        script = "!!document.querySelector('script[src*=\"/vendor/plotly-\"]')"
        wait_until(lambda: len(asked) == 1 and not fresh.evaluate(script), 15)
        chart = "document.querySelector('#stage [data-role=chart]')"
        assert not fresh.evaluate(f"!!{chart}.querySelector('.main-svg')")
        presenter.keyboard.press("ArrowRight")  # the chart's next step: plotly.js again
        wait_until(lambda: fresh.evaluate(f"{chart}.dataset.drawn") == str(seq(fresh)), 15)
        assert len(asked) == 2 and fresh.evaluate(f"!!{chart}.querySelector('.main-svg')")
    finally:
        context.close()
