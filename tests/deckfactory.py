"""A small, valid, warning-free deck written into a folder, for tests to break in one place."""

from __future__ import annotations

import hashlib
from pathlib import Path

from PIL import Image

from presenter.integrity import hash_bytes

CHAT_MD = "items/e01-chat.md"
SHOT_MD = "items/e02-shot.md"
CODE_MD = "items/e03-code.md"
FUNDS_MD = "items/e04-funds.md"
"""The factory deck's items, relative to the deck folder."""

CHAT_CSV = (
    "时间,发送人,内容\n"
    "2024-03-01 10:00,阳光总在风雨后,你好\n"
    "2024-03-01 10:01,陈某,你好老师\n"
    "2024-03-01 10:02,阳光总在风雨后,下载这个APP\n"
)
FUNDS_CSV = (
    "time,from,to,amount\n"
    "2024-03-02T10:00:00+08:00,陈某,账户A,50000\n"
    "2024-03-02T11:00:00+08:00,账户A,账户B,49000\n"
)
CODE = "<?php\n// admin sets a fake profit\n$profit = $_POST['profit'];\nsave($profit);\n"

DECK_TOML = """\
format = 1

[case]
title = "测试诈骗案"
number = "某检刑诉〔2026〕99号"
defendants = ["张某"]

[[fact]]
id = "F1"
text = "张某冒充投资导师联系被害人"
element = "identity"

[[fact]]
id = "F2"
text = "被害人向账户A转账五万元"
element = "consequence"

[[evidence]]
id = "C1"
kind = "victim_statement"
title = "被害人陈某陈述"
excerpt = "对方微信名叫“阳光总在风雨后”"
"""

CHAT_ITEM = """\
+++
id = "E01"
title = "张某手机微信聊天记录"
type = "communication"
view = "chat"
files = ["files/chat.csv"]

[columns]
time = "时间"
sender = "发送人"
text = "内容"

[source]
method = "seizure"
collected_at = 2024-03-05T14:30:00+08:00
collectors = ["侦查员甲", "侦查员乙"]
medium = {{ brand = "Apple", model = "iPhone 13", serial = "F2L000000000" }}

[[source.hash]]
file = "files/chat.csv"
algorithm = "sha256"
value = "{chat_sha256}"

[[shows]]
fact = "F1"
aspect = "identity"
how = "自称投资导师"

[[corroborates]]
with = "C1"
fact = "F1"
point = "昵称一致"

[[step]]
label = "第一次接触"
messages = "1-2"

[[challenge]]
ground = "legality"
claim = "提取时无见证人"
response = "有见证人签名"
+++
聊天记录显示张某自称投资导师。

???
私人备注：注意第 3 条消息。
"""

IMAGE_ITEM = """\
+++
id = "E02"
title = "虚假平台截图"
type = "platform_post"
view = "image"
files = ["files/shot.png"]

[source]
method = "online"
url = "https://invest-demo.example/"

[[source.hash]]
file = "files/shot.png"
algorithm = "md5"
value = "{shot_md5}"

[[shows]]
fact = "F1"
aspect = "means"

[[shows]]
fact = "F2"
aspect = "funds"

[[step]]
label = "收益金额"
region = [0.1, 0.1, 0.5, 0.5]
+++
虚假交易平台的页面截图。
"""

CODE_ITEM = """\
+++
id = "E03"
title = "平台后台源代码"
type = "tool"
view = "code"
files = ["files/admin.php"]

[source]
method = "onsite"

[[source.hash]]
file = "files/admin.php"
algorithm = "sm3"
value = "{admin_sm3}"

[[shows]]
fact = "F2"
aspect = "means"

[[step]]
label = "修改收益"
lines = "2-3"
+++
"""

FUNDS_ITEM = """\
+++
id = "E04"
title = "资金流向"
type = "behaviour"
view = "chart"
chart = "funds"
files = ["files/funds.csv"]

[source]
method = "retrieval"

[[source.hash]]
file = "files/funds.csv"
algorithm = "sha1"
value = "{funds_sha1}"

[[shows]]
fact = "F2"
aspect = "funds"

[[step]]
label = "第一笔"
until = 2024-03-02T10:30:00+08:00
focus = ["账户A"]
+++
"""


def write_deck(root: Path) -> Path:
    """Write the deck into `root` (a folder named like a deck id) and return it."""
    files = root / "files"
    items = root / "items"
    files.mkdir(parents=True)
    items.mkdir()
    (files / "chat.csv").write_text(CHAT_CSV, encoding="utf-8")
    (files / "funds.csv").write_text(FUNDS_CSV, encoding="utf-8")
    (files / "admin.php").write_text(CODE, encoding="utf-8")
    Image.new("RGB", (64, 48), (200, 30, 30)).save(files / "shot.png")
    digests = {
        "chat_sha256": hashlib.sha256((files / "chat.csv").read_bytes()).hexdigest(),
        "shot_md5": hashlib.md5((files / "shot.png").read_bytes()).hexdigest(),
        "admin_sm3": hash_bytes((files / "admin.php").read_bytes(), "sm3"),
        "funds_sha1": hashlib.sha1((files / "funds.csv").read_bytes()).hexdigest(),
    }
    (root / "deck.toml").write_text(DECK_TOML, encoding="utf-8")
    for name, template in [
        ("e01-chat.md", CHAT_ITEM),
        ("e02-shot.md", IMAGE_ITEM),
        ("e03-code.md", CODE_ITEM),
        ("e04-funds.md", FUNDS_ITEM),
    ]:
        (items / name).write_text(template.format(**digests), encoding="utf-8")
    return root


def edit(path: Path, old: str, new: str) -> None:
    """Replace exactly one occurrence of `old` in a file of the deck."""
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} occurs {text.count(old)} times in {path}"
    path.write_text(text.replace(old, new), encoding="utf-8")
