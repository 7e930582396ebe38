"""Breaking the court screens' layout (issue 14 §1–§2) with evidence the demo deck was not
written for: a URL without spaces, a paragraph taller than the screen, a 5,000-character chat
message, a table of 30 long columns, a caption of 20 paragraphs, a source panel with 40
hashes, a case of 60 exhibits with long titles and a 1,000-character fact.

Every test here is a defect once found by a tester, in headless Chromium, with the
project's own FIT_CHECK (tests/fit_check.js), kept so that it stays fixed.
"""

from __future__ import annotations

import hashlib
import re
import shutil
from pathlib import Path

import pytest

from .conftest import DEMO_DECK, PRESENTER_KEY, SCREEN_KEY, serve_app, wait_until
from .screens import BODY_PX_AT_1080, FIT_CHECK, Screens

SOURCE = """[source]
method = "seizure"
collected_at = 2026-05-12T16:00:00+08:00
collectors = ["侦查员甲", "侦查员乙"]
holder = "张某"
"""

CHAT_COLUMNS = '[columns]\ntime = "时间"\nsender = "发送人"\ntext = "内容"\nattachment = "附件"\n'


def item(deck: Path, ident: str, title: str, view: str, body: str, files=(), extra="") -> str:
    listed = "files = [" + ", ".join(f'"{f}"' for f in files) + "]\n" if files else ""
    (deck / "items" / f"{ident.lower()}.md").write_text(
        f'+++\nid = "{ident}"\ntitle = "{title}"\ntype = "file"\nview = "{view}"\n{listed}'
        f'{extra}\n{SOURCE}\n[[shows]]\nfact = "F8"\naspect = "identity"\nhow = "测试"\n'
        f"+++\n{body}\n",
        encoding="utf-8",
    )
    return ident


def hostile_deck(deck: Path) -> Path:
    """The demo deck with the exhibits real cases bring (X01–X06), 47 more exhibits of
    200-character titles (the case then has 60 exhibits) and a fact of 1,000 characters."""
    files = deck / "files" / "x"
    files.mkdir()
    ids = []
    url = "https://evidence.example/download?token=" + "a1B2c3D4e5" * 56  # 600 characters
    ids.append(item(deck, "X01", "长网址与无空格哈希", "markdown",
                    f"网址：{url}\n\n哈希：{'9f' * 300}\n\n结尾段落。"))  # fmt: skip
    sentences = "".join(
        f"第{n}句，检察机关依法出示电子数据，被告人对此无异议。" for n in range(1, 160)
    )
    ids.append(item(deck, "X02", "超过一屏的单个段落", "markdown",
                    f"开头段落。\n\n{sentences}\n\n结尾段落。"))  # fmt: skip
    rows = [
        "时间,发送人,内容,附件",
        "2026-03-01 10:00,张某,你好,",
        "2026-03-01 10:01,陈某," + "我把钱转过去了，你看一下" * 420 + ",",  # 5,040 characters
        "2026-03-01 10:03,陈某,结尾消息,",
    ]
    (files / "long-msg.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    ids.append(item(deck, "X03", "五千字的聊天消息", "chat", "测试。", ["files/x/long-msg.csv"],
                    CHAT_COLUMNS + '\n[[step]]\nlabel = "全部"\nmessages = "1-3"\n'))  # fmt: skip
    header = ",".join(f"列{c:02d}" for c in range(30))
    cells = [",".join(f"第{r}行第{c}列" + "长文本内容" * 38 for c in range(30)) for r in range(4)]
    (files / "wide.csv").write_text(header + "\n" + "\n".join(cells) + "\n", encoding="utf-8")
    ids.append(item(deck, "X04", "三十列长单元格表格", "table", "测试。", ["files/x/wide.csv"]))
    hashes = ""
    names = []
    for n in range(40):
        png = files / f"img{n:02d}.png"
        png.write_bytes(tiny_png(n))
        names.append(f"files/x/img{n:02d}.png")
        digest = hashlib.sha256(png.read_bytes()).hexdigest()
        hashes += (
            f'\n[[source.hash]]\nfile = "files/x/img{n:02d}.png"\n'
            f'algorithm = "sha256"\nvalue = "{digest}"\n'
        )
    ids.append(item(deck, "X05", "四十个校验值", "image", "测试。", names))
    x05 = deck / "items" / "x05.md"
    hashed = x05.read_text("utf-8").replace('holder = "张某"\n', f'holder = "张某"\n{hashes}')
    x05.write_text(hashed, encoding="utf-8")
    caption = "\n\n".join(
        f"第{n}段说明：" + "该图片系从被告人手机相册中提取，拍摄时间与聊天记录吻合。" * 3
        for n in range(1, 21)
    )
    ids.append(item(deck, "X06", "二十段说明的图片", "image", caption, ["files/recruit-ad.png"]))
    code = [
        f"// line {n}: " + ("s = '" + "Q" * 2000 + "';" if n == 10 else "x = compute(x);")
        for n in range(1, 41)
    ]
    (files / "long-line.js").write_text("\n".join(code) + "\n", encoding="utf-8")
    ids.append(item(deck, "X07", "两千字的代码行", "code", "测试。", ["files/x/long-line.js"]))
    wrapped = [
        f"// {n:04d} " + "转账记录 amount=386000 account=6222000011112222 " * 6 for n in range(5000)
    ]
    (files / "wrapped.js").write_text("\n".join(wrapped) + "\n", encoding="utf-8")
    ids.append(item(deck, "X08", "五千行长代码", "code", "测试。", ["files/x/wrapped.js"]))
    for n in range(47):
        ids.append(item(deck, f"Y{n:02d}", f"{n}{'超长标题' * 50}"[:200], "markdown", f"填充{n}。"))
    toml = (deck / "deck.toml").read_text(encoding="utf-8")
    toml = re.sub(
        r"order = \[(.*?)\]",
        lambda m: f"order = [{m[1]}, " + ", ".join(f'"{i}"' for i in ids) + "]",
        toml,
    )
    fact = ("F8 事实：" + "被告人明知他人利用信息网络实施犯罪，仍为其提供支付结算帮助，" * 30)[
        :1000
    ]
    toml += f'\n[[fact]]\nid = "F8"\ntext = "{fact}"\nelement = "conduct"\n'
    (deck / "deck.toml").write_text(toml, encoding="utf-8")
    return deck


def tiny_png(n: int) -> bytes:
    import io

    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (64, 64), (n * 6, 100, 200)).save(out, format="PNG")
    return out.getvalue()


SIZES = ((1920, 1080), (1024, 768), (800, 600))


@pytest.fixture(scope="module")
def hostile(browser, tmp_path_factory):
    """The hostile deck served for 16:9 screens, and a screen of each size following it."""
    root = tmp_path_factory.mktemp("break")
    deck = hostile_deck(Path(shutil.copytree(DEMO_DECK, root / "decks" / "demo")))
    with serve_app(
        str(deck), "--presenter-key", PRESENTER_KEY, "--screen-key", SCREEN_KEY,
        "--instance", str(root / "instance"),
    ) as served:  # fmt: skip
        wait_until(served.get, timeout=90)
        screens = Screens(browser, served.url, PRESENTER_KEY, SCREEN_KEY, SIZES)
        screens.send({"action": "blank", "mode": None})
        yield screens
        screens.close()


def every_page(screens: Screens, name: str) -> list[str]:
    """Turn every page of what the screens show: the FIT_CHECK problems of each, on each
    screen."""
    pages = screens.pages_of()
    problems = []
    for n in range(1, pages + 1):
        if pages > 1:
            screens.send({"action": "page", "page": n})
        for (width, height), page in screens.pages.items():
            found = page.evaluate(FIT_CHECK, BODY_PX_AT_1080)
            problems += [f"{name} page {n}/{pages} {width}x{height}: {p}" for p in found]
    return problems


def show(screens: Screens, item: str, panel: str = "content", step: int = 0) -> None:
    screens.send({"action": "case", "show": False})
    screens.send({"action": "goto", "item": item})
    screens.send({"action": "panel", "panel": panel})
    screens.send({"action": "step", "step": step})


def seen_text(screens: Screens, size=(1920, 1080)) -> str:
    """What a judge can read on every page: the text of the canvas inside the picture."""
    page = screens.pages[size]
    pages = screens.pages_of()
    text = ""
    for n in range(1, pages + 1):
        if pages > 1:
            screens.send({"action": "page", "page": n})
        text += page.evaluate(VISIBLE_TEXT)
    return text


VISIBLE_TEXT = """() => {
  // the characters drawn inside the picture and inside every box that clips them
  const canvas = document.querySelector('#stage .stage-canvas');
  const clips = (el) => {
    const out = [canvas.getBoundingClientRect()];
    for (let a = el; a && a !== canvas; a = a.parentElement) {
      const s = getComputedStyle(a);
      const hides = s.overflowX !== 'visible' || s.overflowY !== 'visible';
      if (hides) out.push(a.getBoundingClientRect());
    }
    return out;
  };
  const walker = document.createTreeWalker(canvas, NodeFilter.SHOW_TEXT);
  let text = '';
  for (let node; (node = walker.nextNode()); ) {
    const el = node.parentElement;
    if (!el || !el.checkVisibility({ visibilityProperty: true, opacityProperty: true })) continue;
    const boxes = clips(el);
    const range = document.createRange();
    for (let i = 0; i < node.length; i++) {
      range.setStart(node, i); range.setEnd(node, i + 1);
      const r = range.getBoundingClientRect();
      if (r.width < 0.5) continue;
      const within = (b) =>
        r.left >= b.left - 1 && r.right <= b.right + 1 &&
        r.top >= b.top - 1 && r.bottom <= b.bottom + 1;
      if (boxes.every(within)) text += node.data[i];
    }
  }
  return text;
}"""


# --- text that never reaches the judge ----------------------------------------------------


def test_a_paragraph_taller_than_the_screen_is_shown_whole_over_pages(hostile):
    show(hostile, "X02")
    assert every_page(hostile, "X02-paragraph") == []
    text = seen_text(hostile)
    missing = [n for n in range(1, 160) if f"第{n}句" not in text]
    assert missing == [], f"sentences on no page: {missing[0]}..{missing[-1]} ({len(missing)})"


def test_a_5000_character_chat_message_is_shown_whole_with_its_cut_note(hostile):
    show(hostile, "X03", step=1)
    assert every_page(hostile, "X03-long-message") == []
    assert "已截断" in seen_text(hostile), "the court is told the message was cut"


def test_a_table_of_30_long_columns_is_readable(hostile):
    show(hostile, "X04")
    problems = every_page(hostile, "X04-wide-table")
    assert problems == [], "\n".join(problems[:12])


def test_an_exhibit_text_of_20_paragraphs_under_a_picture_is_cut_into_pages(hostile):
    show(hostile, "X06")
    problems = every_page(hostile, "X06-caption")
    assert problems == [], "\n".join(problems[:12])
    text = seen_text(hostile)
    assert all(f"第{n}段说明" in text for n in range(1, 21)), "every paragraph on some page"


def test_a_url_and_a_hash_without_spaces_wrap_inside_the_picture(hostile):
    show(hostile, "X01")
    problems = every_page(hostile, "X01-url")
    assert problems == [], "\n".join(problems)


# --- panels and the case's matrix ---------------------------------------------------------


def test_a_source_panel_of_40_hashes_fits_every_page_on_every_screen(hostile):
    show(hostile, "X05", "source")
    problems = every_page(hostile, "X05-source")
    assert problems == [], "\n".join(problems)


def test_a_case_matrix_of_60_exhibits_and_a_long_fact_fits_every_page(hostile):
    hostile.send({"action": "case", "show": True})
    try:
        problems = every_page(hostile, "case-matrix")
    finally:
        hostile.send({"action": "case", "show": False})
    assert problems == [], f"{len(problems)} problems, e.g.\n" + "\n".join(problems[:12])


# --- code ---------------------------------------------------------------------------------


def test_a_2000_character_code_line_and_its_cut_note_are_inside_the_picture(hostile):
    show(hostile, "X07")
    problems = every_page(hostile, "X07-long-line")
    assert problems == [], "\n".join(problems)


# held up from the first: long code lines wrap, and the last page of 5,000 lines is reachable
def test_a_5000_line_file_of_long_lines_shows_every_character(hostile):
    show(hostile, "X08")
    pages = hostile.pages_of()
    last = hostile.client.call("command", {"action": "page", "page": pages}, namespace="/live",
                               timeout=30)  # fmt: skip
    assert last.get("ok"), "the last page can be turned to"
    hostile.send({"action": "page", "page": 1})
    page = hostile.pages[(1920, 1080)]
    found = page.evaluate(FIT_CHECK, BODY_PX_AT_1080)
    assert found == [], "\n".join(found[:6])
