"""Write the demo deck, decks/demo/: a fictional investment-scam case, files and items.

The case's words are real files in decks/demo.source/ (deck.toml, the items, the CSVs and
code, as a person writes them); this script makes the binary files (pictures, sound, video,
the PDF, a GBK bank statement, a workbook) and fills in the items' recorded hashes. Run it
again after editing either:

    .venv/bin/python decks/make_demo.py

It needs Pillow, the Noto CJK fonts (Debian: fonts-noto-cjk) and the project's dependencies
(ffmpeg comes with imageio-ffmpeg). The output is the same byte for byte on every run with the
same versions, so the recorded hashes in the items do not churn. Every person, number, address and account in it is
made up: names are "X某", domains end in .example, IP addresses are from the documentation
ranges (RFC 5737), card and phone numbers are padded with zeros.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import math
import random
import shutil
import struct
import subprocess
import sys
import tempfile
import tomllib
import wave
import zipfile
from pathlib import Path
from string import Template

from PIL import Image, ImageDraw, ImageFont

ROOT = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT.parent))

import imageio_ffmpeg  # noqa: E402
import tomlkit  # noqa: E402

from presenter.integrity import hash_file  # noqa: E402

DECK = ROOT / "demo"
FONT_DIR = Path("/usr/share/fonts/opentype/noto")
SC = 2
"""Index of Simplified Chinese in the Noto CJK collections."""
CST = dt.timezone(dt.timedelta(hours=8))

INK = (33, 37, 41)
GREY = (108, 117, 125)
LINE = (222, 226, 230)
PAPER = (255, 255, 255)
RED = (214, 48, 49)
GREEN = (0, 148, 50)
GOLD = (196, 140, 0)
NAVY = (19, 41, 75)


def font(size: int, bold: bool = False) -> ImageFont.FreeTypeFont:
    name = "NotoSansCJK-Bold.ttc" if bold else "NotoSansCJK-Regular.ttc"
    return ImageFont.truetype(str(FONT_DIR / name), size, index=SC)


# --- images -------------------------------------------------------------------------------


def recruit_ad() -> Image.Image:
    """A job-board post: the recruiter's advertisement (E02)."""
    im = Image.new("RGB", (1280, 860), (244, 246, 248))
    d = ImageDraw.Draw(im)
    d.rectangle((0, 0, 1280, 64), fill=(0, 122, 204))
    d.text((32, 14), "同城招聘网", font=font(26, True), fill=PAPER)
    d.text((1000, 20), "jobs-board.example", font=font(20), fill=PAPER)
    d.rectangle((120, 100, 1160, 820), fill=PAPER, outline=LINE)
    d.text((160, 130), "【高薪诚聘】网络客服  日结 800–1500 元", font=font(40, True), fill=RED)
    d.text(
        (160, 196),
        "发布人：李经理    发布时间：2026-01-05 09:12    浏览 3,214",
        font=font(20),
        fill=GREY,
    )
    d.line((160, 240, 1120, 240), fill=LINE, width=2)
    body = [
        "● 无需经验，公司统一培训“话术”，手把手带你出单",
        "● 工作内容：添加客户微信，分享“投资心得”，引导客户在平台开户",
        "● 待遇：底薪 3000 + 提成（按客户入金的 8% 结算），上不封顶",
        "● 要求：18–35 岁，会用微信，能适应晚班，服从团队安排",
        "● 公司提供：工作手机、微信号、客户资源",
    ]
    for i, line in enumerate(body):
        d.text((160, 270 + i * 58), line, font=font(28), fill=INK)
    d.rectangle((160, 580, 1120, 700), fill=(255, 248, 225), outline=GOLD)
    d.text((190, 600), "联系人：李经理", font=font(30, True), fill=INK)
    d.text((190, 646), "微信：li_hr_demo    电话：138 0000 0001", font=font(28), fill=INK)
    d.text((160, 740), "举报  |  收藏  |  分享", font=font(22), fill=GREY)
    return im


def phone_frame(title: str) -> tuple[Image.Image, ImageDraw.ImageDraw]:
    im = Image.new("RGB", (540, 960), (246, 247, 251))
    d = ImageDraw.Draw(im)
    d.rectangle((0, 0, 540, 40), fill=NAVY)
    d.rectangle((0, 40, 540, 110), fill=(27, 58, 107))
    d.text((24, 56), title, font=font(28, True), fill=PAPER)
    return im, d


def status_bar(d: ImageDraw.ImageDraw, clock: str) -> None:
    d.text((20, 8), clock, font=font(18), fill=PAPER)
    d.text((440, 8), "4G  86%", font=font(18), fill=PAPER)


def app_balance(total: float, today: float, clock: str = "21:03") -> Image.Image:
    """The fake trading app's account page, as the victim saw it."""
    im, d = phone_frame("汇鑫国际 · 我的资产")
    status_bar(d, clock)
    d.rounded_rectangle((24, 136, 516, 380), radius=18, fill=PAPER, outline=LINE)
    d.text((48, 156), "总资产（元）", font=font(22), fill=GREY)
    d.text((48, 196), f"{total:,.2f}", font=font(52, True), fill=INK)
    d.text((48, 290), "今日盈亏", font=font(22), fill=GREY)
    d.text((48, 322), f"+{today:,.2f}", font=font(30, True), fill=RED)
    d.text((300, 290), "持仓品种", font=font(22), fill=GREY)
    d.text((300, 322), "伦敦金 XAU", font=font(28, True), fill=INK)
    # a rising curve: the "market" the platform draws for every customer alike
    d.rounded_rectangle((24, 404, 516, 700), radius=18, fill=PAPER, outline=LINE)
    d.text((48, 420), "收益曲线（近 14 日）", font=font(22), fill=GREY)
    points = [(60 + i * 33, 670 - int(12 * i + 40 * math.sin(i / 2) ** 2)) for i in range(14)]
    d.line(points, fill=RED, width=4)
    d.rounded_rectangle((24, 730, 260, 800), radius=12, fill=(0, 122, 204))
    d.text((100, 746), "充 值", font=font(28, True), fill=PAPER)
    d.rounded_rectangle((280, 730, 516, 800), radius=12, fill=GOLD)
    d.text((356, 746), "提 现", font=font(28, True), fill=PAPER)
    d.text((24, 900), "huixin-trade.example  客服在线 7×24", font=font(18), fill=GREY)
    return im


def app_withdraw(stage: int, typed: str, clock: str) -> Image.Image:
    """The withdrawal page: 0 typing, 1 under review, 2 refused."""
    im, d = phone_frame("汇鑫国际 · 提现")
    status_bar(d, clock)
    d.rounded_rectangle((24, 136, 516, 330), radius=18, fill=PAPER, outline=LINE)
    d.text((48, 156), "提现金额（元）", font=font(22), fill=GREY)
    d.text((48, 196), typed or "请输入金额", font=font(44, True), fill=INK if typed else GREY)
    d.text((48, 270), "到账银行卡：某银行 尾号 0009", font=font(22), fill=GREY)
    d.rounded_rectangle((24, 360, 516, 430), radius=12, fill=GOLD)
    d.text((218, 376), "提 交", font=font(28, True), fill=PAPER)
    if stage >= 1:
        d.rounded_rectangle((24, 470, 516, 560), radius=12, fill=(232, 240, 254))
        d.text((48, 494), "提现申请已提交，风控审核中……", font=font(24), fill=(0, 90, 170))
    if stage >= 2:
        d.rounded_rectangle((40, 600, 500, 880), radius=18, fill=PAPER, outline=RED, width=3)
        d.text((70, 624), "提现失败", font=font(34, True), fill=RED)
        lines = [
            "您的账户存在异常交易，",
            "资金已被风控冻结。",
            "请缴纳提现金额 30% 的",
            "风险保证金后解冻。",
        ]
        for i, line in enumerate(lines):
            d.text((70, 684 + i * 44), line, font=font(26), fill=INK)
    return im


def qr_code(caption: str, seed: int) -> Image.Image:
    """A QR-like picture (not a real code: it links nowhere) sent as a chat attachment."""
    rng = random.Random(seed)
    cells, cell = 29, 12
    im = Image.new("RGB", (cells * cell + 80, cells * cell + 130), PAPER)
    d = ImageDraw.Draw(im)
    for y in range(cells):
        for x in range(cells):
            finder = any(
                fx <= x < fx + 7 and fy <= y < fy + 7 for fx, fy in ((0, 0), (22, 0), (0, 22))
            )
            if finder:
                dx, dy = x % 22 if x >= 22 else x, y % 22 if y >= 22 else y
                on = dx in (0, 6) or dy in (0, 6) or (2 <= dx <= 4 and 2 <= dy <= 4)
            else:
                on = rng.random() < 0.5
            if on:
                d.rectangle(
                    (40 + x * cell, 40 + y * cell, 39 + (x + 1) * cell, 39 + (y + 1) * cell),
                    fill=INK,
                )
    for i, line in enumerate(caption.split("\n")):
        d.text((40, cells * cell + 52 + i * 32), line, font=font(22), fill=INK)
    return im


def save_png(im: Image.Image, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    im.save(path, format="PNG", optimize=True)


# --- the PDF --------------------------------------------------------------------------------

LEDGER = [
    # date, second-level card paying in, CNY received, rate, USDT address paid out to;
    # each conversion spends only what reached that card from the victims before it
    (
        "2026-03-11",
        "吴某 6228 0000 0000 0000 303",
        50_000,
        7.10,
        "TDEMO000000000000000000000000001",
    ),
    (
        "2026-03-12",
        "郑某 6230 0000 0000 0000 404",
        90_000,
        7.12,
        "TDEMO000000000000000000000000001",
    ),
    (
        "2026-03-15",
        "吴某 6228 0000 0000 0000 303",
        60_000,
        7.11,
        "TDEMO000000000000000000000000002",
    ),
    (
        "2026-03-18",
        "郑某 6230 0000 0000 0000 404",
        75_000,
        7.09,
        "TDEMO000000000000000000000000002",
    ),
    (
        "2026-03-20",
        "吴某 6228 0000 0000 0000 303",
        160_000,
        7.10,
        "TDEMO000000000000000000000000001",
    ),
    (
        "2026-03-21",
        "郑某 6230 0000 0000 0000 404",
        70_000,
        7.13,
        "TDEMO000000000000000000000000003",
    ),
]


def ledger_pages() -> list[Image.Image]:
    """《收U对账单》 found on the card dealer's laptop (E12): three A4 pages at 100 dpi."""
    pages = []
    w, h = 827, 1169
    # page 1: the cover and the terms between the dealer and the ring
    im = Image.new("RGB", (w, h), PAPER)
    d = ImageDraw.Draw(im)
    d.text((70, 90), "收U对账单（2026年3月）", font=font(40, True), fill=INK)
    d.text((70, 160), "出U方：赵某（OTC 承兑）        结算方：李总团队", font=font(22), fill=INK)
    terms = [
        "一、李总团队客户资金进入一级卡后，两小时内分散转入二级卡。",
        "二、二级卡资金由赵某按当日汇率兑换为 USDT（TRC20），",
        "    打入李总指定地址，赵某收取 1% 手续费。",
        "三、一级卡由赵某负责收购，每张 1,500 元，冻结风险由赵某承担。",
        "四、每日 22:00 对账，差额次日补齐。",
    ]
    for i, line in enumerate(terms):
        d.text((70, 240 + i * 46), line, font=font(22), fill=INK)
    d.text((70, 520), "本对账单共 3 页。", font=font(22), fill=GREY)
    d.text((70, 1080), "第 1 页 / 共 3 页", font=font(18), fill=GREY)
    pages.append(im)
    # page 2: the ledger itself
    im = Image.new("RGB", (w, h), PAPER)
    d = ImageDraw.Draw(im)
    d.text((70, 80), "明细", font=font(32, True), fill=INK)
    header = ["日期", "来款账户", "人民币", "汇率", "USDT"]
    xs = [70, 200, 470, 580, 670]
    y = 150
    d.rectangle((60, y - 8, 767, y + 36), fill=(241, 243, 245))
    for x, text in zip(xs, header, strict=True):
        d.text((x, y), text, font=font(20, True), fill=INK)
    total_cny = total_usdt = 0.0
    for date, source, cny, rate, _ in LEDGER:
        y += 56
        usdt = round(cny * 0.99 / rate, 2)
        total_cny += cny
        total_usdt += usdt
        row = [date, source[:3] + "…" + source[-3:], f"{cny:,}", f"{rate:.2f}", f"{usdt:,.2f}"]
        for x, text in zip(xs, row, strict=True):
            d.text((x, y), text, font=font(20), fill=INK)
        d.line((60, y + 40, 767, y + 40), fill=LINE)
    y += 70
    d.text((70, y), "合计", font=font(22, True), fill=INK)
    d.text((470, y), f"{total_cny:,.0f}", font=font(22, True), fill=RED)
    d.text((670, y), f"{total_usdt:,.2f}", font=font(22, True), fill=RED)
    d.text((70, 1080), "第 2 页 / 共 3 页", font=font(18), fill=GREY)
    pages.append(im)
    # page 3: the receiving addresses
    im = Image.new("RGB", (w, h), PAPER)
    d = ImageDraw.Draw(im)
    d.text((70, 80), "出U地址（李总指定）", font=font(32, True), fill=INK)
    addresses = sorted({row[4] for row in LEDGER})
    for i, address in enumerate(addresses):
        d.text((70, 160 + i * 60), f"{i + 1}. {address}", font=font(22), fill=INK)
    d.text((70, 400), "备注：地址 3 为新地址，3 月 21 日起启用。", font=font(22), fill=INK)
    d.text((70, 1080), "第 3 页 / 共 3 页", font=font(18), fill=GREY)
    pages.append(im)
    return pages


def save_pdf(pages: list[Image.Image], path: Path) -> None:
    fixed = dt.datetime(2026, 3, 22, 22, 0, tzinfo=CST).utctimetuple()
    pages[0].save(
        path,
        format="PDF",
        save_all=True,
        append_images=pages[1:],
        resolution=100.0,
        title="收U对账单",
        author="zhao",
        creationDate=fixed,
        modDate=fixed,
    )


# --- audio ----------------------------------------------------------------------------------

RATE = 8000
"""A telephone's sample rate."""

CALL = [
    # start second, speaker ("T" the "teacher", "V" the victim), syllables
    (2.0, "T", 14),
    (6.5, "V", 6),
    (9.0, "T", 20),
    (15.5, "V", 8),
    (18.5, "T", 26),
    (26.5, "V", 5),
    (28.5, "T", 16),
]
CALL_END = 33.0
"""Where the last turn ends (the recording is 34 seconds)."""


def call_recording() -> bytes:
    """A stand-in for a recorded call: ring tone, then two voices taking turns (E05).

    Voices are synthesised (harmonics under a syllable envelope), so the transcript in the
    item carries the words; what a court would hear from a real recording is its timing.
    """
    rng = random.Random(5)
    n = RATE * 34
    samples = [0.0] * n
    for start in (0.0, 1.0):  # a short ring-back tone: 440 + 480 Hz
        for i in range(int(start * RATE), int((start + 0.8) * RATE)):
            t = i / RATE
            samples[i] += 0.2 * (math.sin(2 * math.pi * 440 * t) + math.sin(2 * math.pi * 480 * t))
    for start, who, syllables in CALL:
        base = 118.0 if who == "T" else 215.0
        i = int(start * RATE)
        for _ in range(syllables):
            length = int(RATE * rng.uniform(0.16, 0.26))
            f0 = base * rng.uniform(0.9, 1.15)
            phase = 0.0
            for k in range(length):
                if i + k >= n:
                    break
                envelope = math.sin(math.pi * k / length) ** 2
                phase += 2 * math.pi * f0 * (1 + 0.04 * math.sin(k / 300)) / RATE
                voice = sum(math.sin(h * phase) / h for h in range(1, 9))
                samples[i + k] += 0.25 * envelope * voice
            i += length + int(RATE * rng.uniform(0.03, 0.09))
    noise = random.Random(7)
    frames = bytearray()
    for value in samples:
        value += noise.uniform(-0.01, 0.01)
        frames += struct.pack("<h", max(-32767, min(32767, int(value * 20000))))
    out = io.BytesIO()
    with wave.open(out, "wb") as wav:
        wav.setnchannels(1)
        wav.setsampwidth(2)
        wav.setframerate(RATE)
        wav.writeframes(bytes(frames))
    return out.getvalue()


# --- video ----------------------------------------------------------------------------------

FPS = 5


def recording_frames() -> list[Image.Image]:
    """The victim's screen recording (E06): balance, withdrawal typed, under review, refused."""
    frames = []
    for i in range(8 * FPS):  # 0–8 s: the balance ticks up, as it did every evening
        frames.append(app_balance(512_340 + 37.5 * i, 12_450 + 37.5 * i, "21:03"))
    amount = "100000"
    for i in range(4 * FPS):  # 8–12 s: the withdrawal is typed
        typed = amount[: min(len(amount), i // 2 + 1)]
        frames.append(app_withdraw(0, f"{int(typed):,}" if typed else "", "21:04"))
    for _ in range(4 * FPS):  # 12–16 s: under review
        frames.append(app_withdraw(1, "100,000", "21:04"))
    for _ in range(8 * FPS):  # 16–24 s: refused
        frames.append(app_withdraw(2, "100,000", "21:05"))
    return frames


def encode_mov(frames: list[Image.Image], path: Path) -> None:
    """A phone's screen recording: H.264 in a QuickTime MOV, as an iPhone saves it (the
    app shows it through an MP4 display copy). Made by the ffmpeg imageio-ffmpeg bundles."""
    w, h = frames[0].size
    command = [
        imageio_ffmpeg.get_ffmpeg_exe(), "-loglevel", "error", "-y",
        "-f", "rawvideo", "-pix_fmt", "rgb24", "-s", f"{w}x{h}", "-r", str(FPS), "-i", "-",
        "-c:v", "libx264", "-preset", "medium", "-crf", "28", "-threads", "1",
        "-pix_fmt", "yuv420p", "-f", "mov",
        "-map_metadata", "-1", "-fflags", "+bitexact", "-flags:v", "+bitexact",
        str(path),
    ]  # fmt: skip
    path.parent.mkdir(parents=True, exist_ok=True)
    data = b"".join(frame.tobytes() for frame in frames)
    subprocess.run(command, input=data, check=True)


# --- evidence as offices receive it (issue 15) ----------------------------------------------


STATEMENT = "孙某银行流水/交易明细 尾号0101.csv"
"""E14's original: the bank's statement as delivered, GBK with title rows and a totals row."""
CARDS = "赵某笔记本电脑/收卡登记.xlsx"
"""E15's original: the card dealer's own workbook."""
SCENE = ("王某住处/IMG_0001.JPG", "王某住处/IMG_0002.JPG", "王某住处/IMG_0003.HEIC")
"""E16's originals: three photos of one search, the last from an officer's iPhone."""
UFED = "张某手机（UFED）/IMG_0107.PNG"
"""E17's original, as the forensic tool extracted it (imported from its UFDR report)."""
TAKEN = ("2026:05:12 10:05:41", "2026:05:12 10:07:03", "2026:05:12 10:09:26")
HOME = (30.5412, 114.3021)
"""王某's home, where the trajectory (E10) places him: the photos' GPS."""


def bank_statement(deck: Path) -> None:
    """The statement as the bank sent it: the source's words, in GBK with CRLF line ends."""
    text = (SOURCE / "make" / "孙某 交易明细 尾号0101.csv").read_text(encoding="utf-8")
    target = deck / "files" / STATEMENT
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(text.replace("\r\n", "\n").replace("\n", "\r\n").encode("gbk"))


def card_register(deck: Path) -> None:
    """The dealer's workbook: a merged title, dates and prices as Excel keeps them."""
    import xlsxwriter

    with open(SOURCE / "make" / "赵某 收卡登记.csv", encoding="utf-8", newline="") as stream:
        title, header, *rows = list(csv.reader(stream))
    target = deck / "files" / CARDS
    target.parent.mkdir(parents=True, exist_ok=True)
    book = xlsxwriter.Workbook(str(target))
    book.set_properties({"author": "zhao", "created": dt.datetime(2026, 2, 18, 21, 40)})
    sheet = book.add_worksheet("2026年2月")
    bold = book.add_format({"bold": True})
    day = book.add_format({"num_format": "yyyy-mm-dd"})
    sheet.merge_range(0, 0, 0, len(header) - 1, title[0], bold)
    sheet.write_row(1, 0, header, bold)
    for r, row in enumerate(rows, 2):
        for c, cell in enumerate(row):
            if c == 0 and cell[:4].isdigit():
                sheet.write_datetime(r, c, dt.datetime.fromisoformat(cell), day)
            elif header[c] == "价格" and cell:
                sheet.write_number(r, c, int(cell))
            else:
                sheet.write_string(r, c, cell)
    sheet.set_column(0, 0, 12)
    sheet.set_column(3, 3, 24)
    book.close()


def scene_photo(n: int) -> Image.Image:
    """A search photo (E16): the desk, the laptop's screen, the note under the keyboard."""
    im = Image.new("RGB", (1600, 1200), (92, 78, 64))
    d = ImageDraw.Draw(im)
    d.rectangle((0, 760, 1600, 1200), fill=(140, 110, 80))  # the desk
    if n == 0:
        d.rectangle((420, 380, 1180, 860), fill=(40, 44, 52))  # a laptop, open
        d.rectangle((450, 410, 1150, 830), fill=(20, 24, 30))
        d.rectangle((360, 860, 1240, 930), fill=(170, 174, 180))
        d.rectangle((1280, 880, 1520, 1010), fill=PAPER, outline=INK, width=3)
        d.text((1300, 900), "物证标签 3", font=font(34, True), fill=INK)
        d.text((1300, 950), "PF-DEMO-0003", font=font(30), fill=INK)
    elif n == 1:
        d.rectangle((200, 140, 1400, 900), fill=(20, 24, 30))  # the screen, close
        d.rectangle((240, 180, 1360, 860), fill=PAPER)
        d.rectangle((240, 180, 1360, 250), fill=NAVY)
        d.text((270, 194), "汇鑫国际 · 管理后台", font=font(36, True), fill=PAPER)
        d.text((1030, 200), "admin_w 已登录", font=font(30), fill=PAPER)
        for i, line in enumerate(["会员管理", "盈亏设置", "行情计划", "提现审核"]):
            d.text((290, 300 + i * 120), line, font=font(44), fill=INK)
        d.text((700, 540), "提现审核：待审 3 笔", font=font(40, True), fill=RED)
    else:
        d.rectangle((300, 300, 1300, 700), fill=(170, 174, 180))  # the keyboard, lifted
        d.rectangle((600, 780, 1040, 1080), fill=(255, 236, 140))  # a sticky note
        d.text((640, 820), "后台", font=font(44, True), fill=INK)
        d.text((640, 900), "admin_w", font=font(52, True), fill=INK)
        d.text((640, 980), "hx@2026!", font=font(44), fill=INK)
    return im


def _exif(n: int) -> Image.Exif:
    """The camera's own record: when, with what, where (Make, Model, GPS)."""
    exif = Image.Exif()
    exif[0x010F], exif[0x0110] = ("Apple", "iPhone 13") if n == 2 else ("Canon", "EOS 90D")
    exif.get_ifd(0x8769)[0x9003] = TAKEN[n]  # DateTimeOriginal
    exif.get_ifd(0x8769)[0x9011] = "+08:00"  # OffsetTimeOriginal

    def dms(value: float) -> tuple[float, float, float]:
        minutes = (value % 1) * 60
        return (float(int(value)), float(int(minutes)), round((minutes % 1) * 60, 2))

    gps = exif.get_ifd(0x8825)
    gps[1], gps[2] = "N", dms(HOME[0])
    gps[3], gps[4] = "E", dms(HOME[1])
    return exif


def scene_photos(deck: Path) -> None:
    import pillow_heif

    for n, name in enumerate(SCENE):
        target = deck / "files" / name
        target.parent.mkdir(parents=True, exist_ok=True)
        if name.endswith(".HEIC"):
            heif = pillow_heif.from_pillow(scene_photo(n))
            heif.save(target, quality=70, exif=_exif(n).tobytes())
        else:
            scene_photo(n).save(target, "JPEG", quality=85, exif=_exif(n))


def city_map() -> Image.Image:
    """E10's base map (make/city-map.toml): a fictional city's blocks, parks, river and
    named streets, north up, its rows evenly spaced in Web Mercator northing as
    presenter.charts.basemap reads a picture, with names large enough for a court screen."""
    city = tomllib.loads((SOURCE / "make" / "city-map.toml").read_text(encoding="utf-8"))
    west, south, east, north = city["bounds"]
    roads = {**city["avenues"], **city["streets"]}
    width = round((east - west) * 111_320 * math.cos(math.radians(south)) / city["metres_per_px"])

    def northing(lat: float) -> float:
        return math.asinh(math.tan(math.radians(lat)))

    tall = northing(north) - northing(south)
    height = round(width * tall / math.radians(east - west))

    def at(lon: float, lat: float) -> tuple[float, float]:
        down = (northing(north) - northing(lat)) / tall
        return (lon - west) / (east - west) * width, down * height

    im = Image.new("RGB", (width, height), (236, 231, 222))
    d = ImageDraw.Draw(im)
    xs = sorted({at(*a)[0] for a, b in roads.values() if a[0] == b[0]} | {0, width})
    ys = sorted({at(*a)[1] for a, b in roads.values() if a[1] == b[1]} | {0, height})
    for x0, x1 in zip(xs, xs[1:], strict=False):
        for y0, y1 in zip(ys, ys[1:], strict=False):
            d.rounded_rectangle((x0 + 22, y0 + 22, x1 - 22, y1 - 22), 16, (222, 215, 204))
    parks = {name: (*at(w, n), *at(e, s)) for name, (w, s, e, n) in city["parks"].items()}
    for box in parks.values():
        d.rounded_rectangle(box, 24, (200, 226, 188))
    river = [at(114.372 - 0.0042 * i + 0.004 * math.sin(i / 3), 30.61 - 0.0027 * i)
             for i in range(35)]  # fmt: skip
    d.line(river, fill=(158, 202, 225), width=80, joint="curve")
    for names, fill, wide in ((city["streets"], PAPER, 16), (city["avenues"], (252, 214, 164), 26)):
        for edge, colour in ((6, (160, 150, 140)), (0, fill)):
            for a, b in names.values():
                d.line([at(*a), at(*b)], fill=colour, width=wide + edge)
    taken: list[tuple] = []
    _name(im, river[22], 0, city["river"], taken, (30, 90, 150))
    for name, (x0, y0, x1, y1) in parks.items():
        _name(im, ((x0 + x1) / 2, (y0 + y1) / 2), 0, name, taken, (46, 110, 50))
    named = dict.fromkeys(roads, 0)
    for share in (0.5, 0.15, 0.85, 0.3, 0.7, 0.4, 0.6, 0.25, 0.75):
        for name, (a, b) in roads.items():
            (x0, y0), (x1, y1) = at(*a), at(*b)
            angle = math.degrees(math.atan2(y0 - y1, x1 - x0)) % 180  # read upright
            angle -= 180 if angle > 90 else 0
            centre = (x0 + (x1 - x0) * share, y0 + (y1 - y0) * share)
            if named[name] < 3 and _name(im, centre, angle, name, taken):
                named[name] += 1
    d.text((width - 40, height - 40), city["note"], font=font(44), fill=GREY, anchor="rd",
           stroke_width=4, stroke_fill=PAPER)  # fmt: skip
    return im


def _name(im: Image.Image, centre, angle: float, name: str, taken: list, ink=(70, 64, 58)):
    """A name of the map at `centre`, turned by `angle` on a white halo, unless it would
    touch a name in `taken` or the map's edge; whether it was written (its box is taken)."""
    label = Image.new("RGBA", (64 * len(name) + 40, 100), (0, 0, 0, 0))
    ImageDraw.Draw(label).text((label.width / 2, 50), name, font=font(60, True), fill=ink,
                               anchor="mm", stroke_width=6, stroke_fill=PAPER)  # fmt: skip
    turned = label.rotate(angle, expand=True, resample=Image.Resampling.BICUBIC)
    left, top = round(centre[0] - turned.width / 2), round(centre[1] - turned.height / 2)
    box = (left - 30, top - 30, left + turned.width + 30, top + turned.height + 30)
    clear = not any(b[0] < box[2] and box[0] < b[2] and b[1] < box[3] and box[1] < b[3]
                    for b in taken)  # fmt: skip
    if not clear or box[0] < 0 or box[1] < 0 or box[2] > im.width or box[3] > im.height:
        return False
    im.paste(turned, (left, top), turned)
    taken.append(box)
    return True


def ufed_screenshot() -> Image.Image:
    """张某's phone: the work account's WeChat profile (E17), as the tool extracted it."""
    im, d = phone_frame("微信 · 我")
    d.rounded_rectangle((24, 140, 516, 330), radius=18, fill=PAPER, outline=LINE)
    d.rectangle((48, 170, 168, 290), fill=(198, 160, 90))
    d.text((190, 178), "汇鑫-明远老师", font=font(34, True), fill=INK)
    d.text((190, 232), "微信号：hx_mingyuan_demo", font=font(22), fill=GREY)
    for i, line in enumerate(["服务", "收藏", "朋友圈", "设置"]):
        d.text((48, 380 + i * 70), line, font=font(28), fill=INK)
    return im


def ufed_extraction(deck: Path) -> None:
    target = deck / "files" / UFED
    target.parent.mkdir(parents=True, exist_ok=True)
    save_png(ufed_screenshot(), target)


RECORDING = "陈某手机/屏幕录制 2026-03-21 21.04.12.MOV"
"""E06's original, under files/: the victim's screen recording as her phone named it."""


def make_media(deck: Path) -> None:
    """The binary files: images, the call, the screen recording, the PDF, and the evidence
    as offices receive it (a GBK statement, a workbook, photos, a forensic extraction)."""
    files = deck / "files"
    save_png(recruit_ad(), files / "recruit-ad.png")
    save_png(app_balance(86_412.00, 11_874.00, "19:09"), files / "chat/profit-screenshot.png")
    save_png(
        qr_code("扫码下载 汇鑫国际 APP\nhuixin-trade.example/app", seed=3),
        files / "chat/app-download-qr.png",
    )
    (files / "call-2026-03-17.wav").write_bytes(call_recording())
    encode_mov(recording_frames(), files / RECORDING)
    save_pdf(ledger_pages(), files / "usdt-ledger.pdf")
    bank_statement(deck)
    card_register(deck)
    scene_photos(deck)
    ufed_extraction(deck)
    save_png(city_map(), files / "city-map.png")


SOURCE = ROOT / "demo.source"
"""The demo's words: deck.toml, the items and the text files, as a person would write them.
Their recorded hashes are left empty (`value = ""`): this script fills them in."""
HEADER = "# Made by decks/make_demo.py from decks/demo.source/: edit there, then run it again.\n"


def source_texts() -> dict[str, str]:
    """Every text file of decks/demo.source/ that the deck holds as it is (deck.toml, the
    items, the CSVs and code), by path in the deck; make/ holds what binaries are made from."""
    return {
        path.relative_to(SOURCE).as_posix(): path.read_text(encoding="utf-8")
        for path in sorted(SOURCE.rglob("*"))
        if path.is_file() and path.relative_to(SOURCE).parts[0] != "make"
    }


def with_hashes(text: str, deck: Path) -> str:
    """An item with each `[[source.hash]]` value computed from the file in `deck`, its front
    matter otherwise exactly as written (tomlkit keeps every other byte); an item of a file
    extracted by a forensic tool first gains what `import` reads from the tool's report."""
    _, front, body = text.split("+++\n", 2)
    document = tomlkit.parse(front)
    if UFED in [name.removeprefix("files/") for name in document.get("files", [])]:
        imported = ufed_source(deck)
        for key, value in imported.items():
            if key not in document["source"] and value != "TODO":
                document["source"][key] = value
    for recorded in document.get("source", {}).get("hash", []):
        algorithm = recorded["algorithm"]
        recorded["value"] = hash_file(deck / recorded["file"], [algorithm])[algorithm]
    return f"+++\n{HEADER}{tomlkit.dumps(document)}+++\n{body}"


def ufed_source(deck: Path) -> dict:
    """E17's `[source]` as `python app.py import` reads it from the extraction's UFDR report
    (made here: report.xml from make/ and the extracted file), with the deck's file path."""
    from presenter.importing import import_into

    shot = (deck / "files" / UFED).read_bytes()
    report = Template((SOURCE / "make" / "ufdr-report.xml").read_text(encoding="utf-8"))
    xml = report.substitute(
        size=len(shot),
        sha256=hashlib.sha256(shot).hexdigest().upper(),
        md5=hashlib.md5(shot).hexdigest(),
    )
    with tempfile.TemporaryDirectory() as folder:
        ufdr = Path(folder) / "张某 iPhone 13.ufdr"
        with zipfile.ZipFile(ufdr, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.writestr("report.xml", xml)
            archive.writestr("files/Image/IMG_0107.PNG", shot)
        imported = Path(folder) / "decks" / "ufed"
        import_into(imported, ufdr, "zh-CN")
        (item,) = sorted((imported / "items").glob("*.md"))
        source = tomlkit.parse(item.read_text(encoding="utf-8").split("+++\n")[1])["source"]
    text = tomlkit.dumps({"source": source})
    moved = text.replace("files/张某 iPhone 13/IMG_0107.PNG", f"files/{UFED}")
    return tomlkit.parse(moved)["source"]


def texts(deck: Path) -> dict[str, str]:
    """The deck's text files as this script writes them, hashed against the binary files
    already in `deck`."""
    written = {}
    for name, text in source_texts().items():
        if name.startswith("items/"):
            text = with_hashes(text, deck)
        elif name == "deck.toml":
            text = HEADER + text
        written[name] = text
    return written


def write_texts(deck: Path, texts: dict[str, str]) -> None:
    for name, text in texts.items():
        path = deck / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8", newline="")


def main() -> None:
    if not (FONT_DIR / "NotoSansCJK-Regular.ttc").exists():
        sys.exit("make_demo: the Noto CJK fonts are needed (Debian: apt install fonts-noto-cjk)")
    if DECK.exists():
        shutil.rmtree(DECK)
    DECK.mkdir()
    make_media(DECK)
    write_texts(DECK, {n: t for n, t in source_texts().items() if not n.startswith("items/")})
    write_texts(DECK, texts(DECK))
    total = sum(p.stat().st_size for p in DECK.rglob("*") if p.is_file())
    print(f"wrote {DECK.relative_to(ROOT.parent)}: {total / 1e6:.1f} MB")


if __name__ == "__main__":
    main()
