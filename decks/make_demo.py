"""Write the demo deck, decks/demo/: a fictional investment-scam case, files and items.

Everything in decks/demo/ comes from this script, so run it again after editing it:

    .venv/bin/python decks/make_demo.py

It needs Pillow, the Noto CJK fonts (Debian: fonts-noto-cjk) and ffmpeg with libvpx (Debian:
ffmpeg). The output is the same byte for byte on every run with the same versions, so the
recorded hashes in the items do not churn. Every person, number, address and account in it is
made up: names are "X某", domains end in .example, IP addresses are from the documentation
ranges (RFC 5737), card and phone numbers are padded with zeros.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
import random
import shutil
import struct
import subprocess
import sys
import wave
from pathlib import Path
from string import Template

from PIL import Image, ImageDraw, ImageFont

ROOT = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT.parent))

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
CALL_WORDS = [
    # what each turn of CALL says (E05's transcript, and the table in its body)
    ("明远老师", "陈姐，今晚行情我跟您说一下。"),
    ("陈某", "老师，我钱都投进去了。"),
    ("明远老师", "这波稳赚不赔，我带的学员没有亏过的。"),
    ("陈某", "可我手上真没钱了。"),
    ("明远老师", "可以找亲戚借一点，这波翻倍，下周就能还上。"),
    ("陈某", "我想想吧。"),
    ("明远老师", "名额就剩今晚，过了就没有了。"),
]
CALL_END = 33.0
"""Where the last turn ends (the recording is 34 seconds)."""


def srt_time(seconds: float) -> str:
    millis = round(seconds * 1000)
    hours, minutes, whole = millis // 3_600_000, millis // 60_000 % 60, millis // 1000 % 60
    return f"{hours:02d}:{minutes:02d}:{whole:02d},{millis % 1000:03d}"


def call_transcript() -> str:
    """E05's transcript as SRT: each turn from its start until just before the next."""
    ends = [start - 0.3 for start, _, _ in CALL[1:]] + [CALL_END]
    turns = zip(CALL, ends, CALL_WORDS, strict=True)
    blocks = [
        f"{n}\n{srt_time(start)} --> {srt_time(end)}\n{who}：{words}\n"
        for n, ((start, _, _), end, (who, words)) in enumerate(turns, 1)
    ]
    return "\n".join(blocks)


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


def encode_webm(frames: list[Image.Image], path: Path) -> None:
    if shutil.which("ffmpeg") is None:
        sys.exit("make_demo: ffmpeg is needed for the demo video (Debian: apt install ffmpeg)")
    w, h = frames[0].size
    command = [
        "ffmpeg", "-loglevel", "error", "-y",
        "-f", "rawvideo", "-pix_fmt", "rgb24", "-s", f"{w}x{h}", "-r", str(FPS), "-i", "-",
        "-c:v", "libvpx-vp9", "-b:v", "0", "-crf", "40", "-deadline", "good", "-cpu-used", "4",
        "-threads", "1", "-row-mt", "0", "-pix_fmt", "yuv420p",
        "-map_metadata", "-1", "-fflags", "+bitexact", "-flags:v", "+bitexact",
        str(path),
    ]  # fmt: skip
    data = b"".join(frame.tobytes() for frame in frames)
    subprocess.run(command, input=data, check=True)


# --- CSVs -----------------------------------------------------------------------------------


def csv_text(header: list[str], rows: list[list[object]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue()


TEACHER = "汇鑫-明远老师"
VICTIM = "陈某"

CHAT = [
    ("2026-02-20 19:02", TEACHER, "陈姐您好，我是汇鑫财经的明远，群里看到您对理财感兴趣？", ""),
    ("2026-02-20 19:05", VICTIM, "你好，是的，随便看看。", ""),
    ("2026-02-20 19:06", TEACHER, "我做黄金期货十二年了，带学员只收盈利的一成，不赚钱不收费。", ""),
    ("2026-02-20 19:08", VICTIM, "真的能赚吗？我怕被骗。", ""),
    (
        "2026-02-20 19:09",
        TEACHER,
        "您先看，不用投钱。这是我学员昨天的收益截图。",
        "files/chat/profit-screenshot.png",
    ),
    ("2026-02-20 19:15", VICTIM, "一天就一万多？", ""),
    ("2026-03-07 20:11", TEACHER, "今晚有一波行情，名额只有五个，我给您留了一个。", ""),
    (
        "2026-03-07 20:12",
        TEACHER,
        "下载汇鑫国际APP开户，扫这个码。",
        "files/chat/app-download-qr.png",
    ),
    ("2026-03-07 20:30", VICTIM, "开好了，要充多少？", ""),
    ("2026-03-07 20:31", TEACHER, "第一次少一点，两万试试水。充值找客服要收款卡号。", ""),
    ("2026-03-08 10:02", VICTIM, "转了两万，到账了。", ""),
    ("2026-03-08 21:40", TEACHER, "今晚赚了2360，恭喜陈姐！", ""),
    ("2026-03-10 20:05", TEACHER, "下周有大行情，资金量大收益才大，建议加到十万以上。", ""),
    ("2026-03-10 20:20", VICTIM, "我再凑凑，先转三万。", ""),
    ("2026-03-12 09:48", VICTIM, "又转了五万。", ""),
    ("2026-03-15 11:30", VICTIM, "六万也转了，这是我全部存款了。", ""),
    ("2026-03-17 20:16", TEACHER, "机会难得，可以找亲戚借一点，这波翻倍。", ""),
    ("2026-03-18 14:03", VICTIM, "借了七万六，已经转了。", ""),
    ("2026-03-20 16:47", VICTIM, "又借了八万，转好了。", ""),
    ("2026-03-21 09:12", VICTIM, "再追加七万，下周我想提一部分出来还钱。", ""),
    ("2026-03-21 21:06", VICTIM, "老师，提现失败了，说要交三成保证金？", ""),
    ("2026-03-21 21:10", TEACHER, "这是平台的风控规定，交了保证金马上解冻，我也没办法。", ""),
    ("2026-03-21 21:15", VICTIM, "我已经没有钱了，你们是不是骗子？", ""),
    ("2026-03-21 21:16", TEACHER, "（对方已将你删除）", ""),
]

CHEN = "陈某"
LIU = "刘某"
SUN = "孙某 6222000000000000101"
ZHOU = "周某 6217000000000000202"
WU = "吴某 6228000000000000303"
ZHENG = "郑某 6230000000000000404"
OTC = "赵某（OTC 承兑商）"

DEPOSITS = [  # date-time, victim, amount: the seven transfers in the victim's statement
    ("2026-03-08T10:00:00+08:00", CHEN, 20_000),
    ("2026-03-10T20:25:00+08:00", CHEN, 30_000),
    ("2026-03-12T09:45:00+08:00", CHEN, 50_000),
    ("2026-03-15T11:26:00+08:00", CHEN, 60_000),
    ("2026-03-18T14:00:00+08:00", CHEN, 76_000),
    ("2026-03-20T16:44:00+08:00", CHEN, 80_000),
    ("2026-03-21T09:10:00+08:00", CHEN, 70_000),
    ("2026-03-11T15:20:00+08:00", LIU, 40_000),
    ("2026-03-19T10:05:00+08:00", LIU, 80_000),
]


def funds_rows() -> list[list[object]]:
    """Every victim transfer, then the layering through second-level cards to USDT."""
    rows: list[list[object]] = []
    for when, victim, amount in DEPOSITS:
        first = SUN if victim == CHEN else ZHOU
        rows.append([when, victim, first, amount, "手机银行"])
    layering = [
        ("2026-03-08T11:20:00+08:00", SUN, WU, 20_000),
        ("2026-03-10T21:30:00+08:00", SUN, ZHENG, 30_000),
        ("2026-03-11T16:40:00+08:00", ZHOU, WU, 30_000),
        ("2026-03-11T16:42:00+08:00", ZHOU, ZHENG, 10_000),
        ("2026-03-12T10:50:00+08:00", SUN, ZHENG, 50_000),
        ("2026-03-15T12:30:00+08:00", SUN, WU, 60_000),
        ("2026-03-18T15:10:00+08:00", SUN, ZHENG, 75_000),
        ("2026-03-19T11:15:00+08:00", ZHOU, WU, 80_000),
        ("2026-03-20T17:50:00+08:00", SUN, WU, 80_000),
        ("2026-03-21T10:20:00+08:00", SUN, ZHENG, 70_000),
    ]
    rows += [[when, a, b, amount, "网银"] for when, a, b, amount in layering]
    for date, source, cny, _rate, wallet in LEDGER:
        second = WU if source.startswith("吴某") else ZHENG
        rows.append([f"{date}T21:00:00+08:00", second, OTC, cny, "OTC 承兑"])
        usdt_cny = round(cny * 0.99)
        rows.append([f"{date}T21:30:00+08:00", OTC, wallet, usdt_cny, "USDT-TRC20（折合人民币）"])
    rows.sort(key=lambda row: str(row[0]))
    return rows


# --- items ----------------------------------------------------------------------------------

DECK_TOML = """\
# Generated by decks/make_demo.py: edit there, then run it again.
format = 1
order = ["E01", "E02", "E03", "E04", "E05", "E06", "E07", "E08", "E09", "E10", "E11", "E12", "E13"]

[case]
title = "李某、张某等四人电信网络诈骗案（“汇鑫国际”虚假投资平台）"
number = "示例检刑诉〔2026〕0001号"
court = "某市某区人民法院"
charges = ["诈骗罪", "掩饰、隐瞒犯罪所得罪"]
defendants = ["李某", "张某", "王某", "赵某"]
presenters = ["检察员 周某", "检察官助理 吴某某"]
language = "zh-CN"

[[fact]]
id = "F1"
text = "张某系微信号“汇鑫-明远老师”的实际使用人，冒充投资导师与被害人陈某联系"
element = "identity"

[[fact]]
id = "F2"
text = "李某以“高薪招聘网络客服”为名招募张某等人，组织分工并按客户入金的8%发放提成"
element = "conduct"

[[fact]]
id = "F3"
text = "王某搭建并运营“汇鑫国际”虚假交易平台，可在后台任意设定客户盈亏并拦截提现"
element = "conduct"

[[fact]]
id = "F4"
text = "赵某收购他人银行卡接收被害人资金，经二级账户分散转移后兑换为USDT转出"
element = "conduct"

[[fact]]
id = "F5"
text = "各被告人明知平台虚假、客户资金“只进不出”，仍共同引诱被害人入金"
element = "intent"

[[fact]]
id = "F6"
text = "被害人陈某于2026年3月8日至21日向平台指定账户转账七笔共计人民币386,000元，刘某转账两笔共计120,000元"
element = "consequence"

[[fact]]
id = "F7"
text = "王某系平台管理后台账号“admin_w”的实际使用人"
element = "identity"

[[evidence]]
id = "C1"
kind = "confession"
title = "被告人王某供述（2026-05-13）"
excerpt = "平台是我按李某的要求搭的，后台可以直接改客户的收益。提现按钮设了审核，实际上一笔都不会通过。后台账号admin_w只有我一个人用。"
cite = "侦查卷三第5–9页"

[[evidence]]
id = "C2"
kind = "victim_statement"
title = "被害人陈某陈述（2026-04-02）"
excerpt = "一个叫“明远老师”的人加我微信，说跟着他炒黄金稳赚。我先后转了七笔，一共三十八万六千元，后来提现不了，要我再交三成保证金，我才知道被骗了。"
cite = "侦查卷二第12–15页"

[[evidence]]
id = "C3"
kind = "witness_testimony"
title = "证人孙某证言（2026-05-20）"
excerpt = "我把自己名下的银行卡和U盾以一千五百元卖给了赵某，之后卡里进出的钱都和我没关系，我也不知道是谁的钱。"
cite = "侦查卷四第3–6页"

[[evidence]]
id = "C4"
kind = "physical"
title = "扣押的王某笔记本电脑一台"
excerpt = "扣押清单第3项：笔记本电脑一台，序列号 PF-DEMO-0003，于王某住处书桌上扣押。"
cite = "侦查卷一第22页"

[[evidence]]
id = "C5"
kind = "documentary"
title = "某银行调取的账户交易明细"
excerpt = "孙某名下尾号0101账户于2026年3月8日至21日收入七笔共计386,000元，每笔均在两小时内转入吴某、郑某名下账户，共计385,000元。"
cite = "侦查卷五第1–40页"

[[evidence]]
id = "C6"
kind = "appraisal"
title = "电子数据鉴定意见书（示例鉴定所〔2026〕电鉴字第0001号）"
excerpt = "送检服务器镜像中的“汇鑫国际”交易程序具有在管理后台修改客户盈亏、将提现申请自动置为“审核拒绝”的功能。"
cite = "侦查卷六第1–18页"

[[evidence]]
id = "C7"
kind = "confession"
title = "被告人张某供述（2026-05-12）"
excerpt = "“明远老师”这个微信号是李某给我的工作号，一直是我在用。每天按话术本跟客户聊，客户入金后李某按8%给我提成。"
cite = "侦查卷三第1–4页"

[[evidence]]
id = "C8"
kind = "record"
title = "远程勘验笔录（平台服务器）"
excerpt = "对 huixin-trade.example 服务器进行远程勘验，提取管理后台登录日志及数据库，全程录像。"
cite = "侦查卷一第30–41页"
"""

HEADER = "# Generated by decks/make_demo.py: edit there, then run it again.\n"

ITEMS: dict[str, str] = {}

ITEMS["e01-network"] = """\
id = "E01"
title = "团伙人员关系图（据四部手机通讯录、聊天及通话记录整理）"
type = "communication"
view = "chart"
chart = "network"
files = ["files/network.csv"]

[source]
method = "seizure"
collected_at = 2026-05-12T16:00:00+08:00
collectors = ["侦查员甲", "侦查员乙"]
witnesses = ["见证人丙"]
holder = "李某、张某、王某、赵某"
location = "某市某区某路1号（抓获现场）"
tool = "手机取证系统（示例版）V5.2"
procedure = \"\"\"
1. 对扣押的四部手机分别制作镜像并计算校验值；
2. 提取通讯录、微信好友、聊天及通话记录；
3. 以联系次数为权重整理人员关系，形成本表。
\"\"\"
recorded = true
documents = ["扣押笔录", "扣押清单", "电子数据提取笔录"]
$hashes
[[shows]]
fact = "F2"
aspect = "relationship"
how = "李某与张某、王某、赵某均有高频联系，处于团伙中心"

[[shows]]
fact = "F5"
aspect = "relationship"
how = "四名被告人分工明确、长期联络，证明其共同犯罪的意思联络"

[[corroborates]]
with = "C7"
fact = "F2"
point = "张某供述的上下线关系与通讯记录反映的联系一致"

[[step]]
label = "组织者：李某"
focus = ["李某"]

[[step]]
label = "“老师”：张某及其联系的被害人"
focus = ["张某"]

[[step]]
label = "卡商：赵某及收购的银行卡"
focus = ["赵某"]
+++
本图由四部扣押手机中的通讯录、微信聊天及通话记录整理而成，连线粗细代表联系次数。

???
先讲全貌再分步：李某居中，三条线分别通向“老师”、技术和资金。辩方可能说“联系多不等于共谋”，用 E03 提成表接上。
"""

ITEMS["e02-recruit-ad"] = """\
id = "E02"
title = "李某发布的“高薪招聘网络客服”广告网页截图"
type = "platform_post"
view = "image"
files = ["files/recruit-ad.png"]

[source]
method = "online"
collected_at = 2026-04-10T10:20:00+08:00
collectors = ["侦查员甲", "侦查员丁"]
tool = "网络在线提取系统（示例版）V3.1"
url = "https://jobs-board.example/post/000123"
procedure = \"\"\"
在侦查机关办公场所，通过专用计算机访问该网页，截图并计算校验值，全程录像。
\"\"\"
recorded = true
documents = ["网络在线提取笔录"]
$hashes
[[shows]]
fact = "F2"
aspect = "means"
how = "以“日结高薪”“按客户入金8%提成”招募人员，工作内容即“引导客户在平台开户”"

[[corroborates]]
with = "C7"
fact = "F2"
point = "张某供述系看到此类招聘广告后加入，提成比例同为8%"

[[step]]
label = "招聘标题"
region = [0.09, 0.13, 0.82, 0.12]

[[step]]
label = "工作内容与提成"
region = [0.09, 0.30, 0.82, 0.36]

[[step]]
label = "联系人：李经理"
region = [0.12, 0.67, 0.76, 0.15]

[[challenge]]
ground = "relevance"
claim = "广告发布人“李经理”不能证明就是李某"
response = "联系电话与李某扣押手机号码一致；张某供述系通过该微信号（li_hr_demo）联系李某入职。"
+++
网页于 2026 年 4 月 10 日在线提取，提取时页面仍可访问。

???
先放大标题，再放大“按客户入金的 8%”——这是本案提成比例的第一次出现。
"""

ITEMS["e03-commission"] = """\
id = "E03"
title = "李某手机中的“团队业绩提成表”"
type = "file"
view = "table"
files = ["files/commission.csv"]

[columns]
amount = "客户入金（元）"

[source]
method = "seizure"
collected_at = 2026-05-12T16:00:00+08:00
collectors = ["侦查员甲", "侦查员乙"]
witnesses = ["见证人丙"]
holder = "李某"
location = "某市某区某路1号（抓获现场）"
tool = "手机取证系统（示例版）V5.2"
recorded = true
documents = ["扣押笔录", "扣押清单", "电子数据提取笔录"]
medium = { brand = "示例牌", model = "DEMO-X1", capacity = "256GB", serial = "DEMO-LI-0001", identifier = "IMEI 860000000000001" }
$hashes
[[shows]]
fact = "F2"
aspect = "funds"
how = "按成员列出客户入金与8%提成，李某按月结算"

[[shows]]
fact = "F5"
aspect = "means"
how = "备注栏写明“客户只进不出”“出金一律走风控”"

[[corroborates]]
with = "C7"
fact = "F2"
point = "张某3月提成与其供述的提成数额一致"

[[step]]
label = "张某三月业绩：陈某、刘某"
rows = "1-2"

[[step]]
label = "备注：只进不出"
rows = "5"
+++
表格提取自李某手机“备忘录”应用的附件，金额单位为人民币元。
"""

ITEMS["e04-chat"] = """\
id = "E04"
title = "张某手机微信聊天记录（与被害人陈某）"
type = "communication"
view = "chat"
files = ["files/chat-zhang-chen.csv", "files/chat/profit-screenshot.png", "files/chat/app-download-qr.png"]

[columns]
time = "时间"
sender = "发送人"
text = "内容"
attachment = "附件"

[source]
method = "seizure"
collected_at = 2026-05-12T16:30:00+08:00
collectors = ["侦查员甲", "侦查员乙"]
witnesses = ["见证人丙"]
holder = "张某"
location = "某市某区某路1号（抓获现场）"
tool = "手机取证系统（示例版）V5.2"
procedure = \"\"\"
1. 扣押张某手机并当场封存，制作扣押清单；
2. 在取证室启封，以只读方式制作镜像，计算镜像校验值；
3. 从镜像中解析微信数据库，导出与“陈某”的会话。
\"\"\"
recorded = true
documents = ["扣押笔录", "扣押清单", "电子数据提取笔录"]
medium = { brand = "示例牌", model = "DEMO-X2", capacity = "128GB", serial = "DEMO-ZHANG-0002", identifier = "IMEI 860000000000002" }
$hashes
[[source.defect]]
what = "电子数据提取笔录未记载见证人身份证件信息"
remedy = "侦查机关出具《情况说明》并附见证人身份信息，见证人出具证言确认在场"

[[shows]]
fact = "F1"
aspect = "identity"
how = "会话所在手机为张某随身扣押，微信号“汇鑫-明远老师”登录于该手机"

[[shows]]
fact = "F5"
aspect = "means"
how = "以“名额有限”“翻倍”诱导加码，提现受阻后将被害人删除"

[[shows]]
fact = "F6"
aspect = "funds"
how = "被害人逐笔告知转账，时间、金额与平台入金记录一致"

[[corroborates]]
with = "C2"
fact = "F1"
point = "被害人陈述的微信昵称、首次联系时间与聊天记录一致"

[[corroborates]]
with = "E08"
fact = "F6"
point = "聊天中七次转账的时间、金额与平台入金记录逐笔对应"

[[step]]
label = "首次接触与“晒收益”"
messages = "1-6"

[[step]]
label = "引导下载APP、首笔入金"
messages = "1-12"

[[step]]
label = "诱导借钱加码"
messages = "1-20"

[[step]]
label = "提现受阻、删除好友"
messages = "1-24"

[[challenge]]
ground = "legality"
claim = "提取笔录没有见证人身份信息，程序违法"
response = "属程序瑕疵，已补正：侦查机关出具情况说明并附见证人身份信息，见证人证言确认全程在场；提取过程有同步录像，校验值一致。"

[[challenge]]
ground = "objectivity"
claim = "聊天记录可能被删改"
response = "导出文件的SHA-256与提取时记录一致；聊天内容与被害人手机中的记录（E06录屏所在手机）及平台入金记录相互印证。"

[review]
legality = "扣押、封存、提取程序完整；见证人信息缺失已补正。"
objectivity = "校验值一致，与被害人陈述、入金记录相互印证。"
+++
聊天记录自张某手机微信数据库导出，共 24 条，附件为对方发送的图片。

???
第三步停住，让法庭看清“可以找亲戚借一点”。辩方如主张瑕疵，按 C 键调出补正材料。
"""

ITEMS["e05-call"] = """\
id = "E05"
title = "被害人陈某手机中的通话录音（与“明远老师”，2026-03-17）"
type = "communication"
view = "audio"
files = ["files/call-2026-03-17.wav", "files/call-2026-03-17.srt"]
transcript = "files/call-2026-03-17.srt"

[source]
method = "retrieval"
collected_at = 2026-04-02T15:00:00+08:00
collectors = ["侦查员丁", "侦查员戊"]
holder = "陈某"
location = "某市公安局某分局反诈中心"
procedure = "被害人报案时主动提供，侦查机关以调取证据通知书调取，当场计算校验值。"
documents = ["调取证据通知书", "调取证据清单"]
$hashes
[[shows]]
fact = "F1"
aspect = "identity"
how = "通话对方号码为张某工作手机号码，对方自称“明远老师”"

[[shows]]
fact = "F5"
aspect = "means"
how = "对方称“稳赚不赔”“借钱也值得”"

[[corroborates]]
with = "C2"
fact = "F1"
point = "被害人陈述3月17日晚接到“明远老师”电话，劝其借钱加仓"

[[step]]
label = "“老师”：稳赚不赔"
clip = ["00:00:09", "00:00:15"]

[[step]]
label = "“老师”：找亲戚借一点"
clip = ["00:00:18", "00:00:26"]

[[challenge]]
ground = "objectivity"
claim = "未做声纹鉴定，不能证明说话人是张某"
response = "本录音用以证明通话内容；说话人身份由通话号码的机主、张某供述（C7）及聊天记录（E04）共同证明。"
+++
录音由被害人手机自动通话录音功能生成。

| 时间 | 说话人 | 内容 |
| --- | --- | --- |
| 00:02 | 明远老师 | 陈姐，今晚行情我跟您说一下。 |
| 00:06 | 陈某 | 老师，我钱都投进去了。 |
| 00:09 | 明远老师 | 这波稳赚不赔，我带的学员没有亏过的。 |
| 00:15 | 陈某 | 可我手上真没钱了。 |
| 00:18 | 明远老师 | 可以找亲戚借一点，这波翻倍，下周就能还上。 |
| 00:26 | 陈某 | 我想想吧。 |
| 00:28 | 明远老师 | 名额就剩今晚，过了就没有了。 |

???
录音只有 34 秒，完整播放一遍即可；两个片段用于质证时回放。
"""

ITEMS["e06-recording"] = """\
id = "E06"
title = "被害人陈某手机录屏：“汇鑫国际”APP资产页与提现被拒"
type = "file"
view = "video"
files = ["files/withdraw-recording.webm"]

[source]
method = "retrieval"
collected_at = 2026-04-02T15:00:00+08:00
collectors = ["侦查员丁", "侦查员戊"]
holder = "陈某"
location = "某市公安局某分局反诈中心"
procedure = "被害人于2026年3月21日提现失败时自行录屏，报案时提供，侦查机关调取并计算校验值。"
documents = ["调取证据通知书", "调取证据清单"]
$hashes
[[shows]]
fact = "F3"
aspect = "means"
how = "APP显示虚高收益，提现后提示“缴纳30%保证金后解冻”"

[[shows]]
fact = "F6"
aspect = "funds"
how = "被害人申请提现100,000元未获支付"

[[corroborates]]
with = "E07"
fact = "F3"
point = "提现被拒的提示文字与源代码中 withdrawAudit() 返回的文字一致"

[[step]]
label = "虚高的“总资产”"
clip = ["00:00:00", "00:00:08"]

[[step]]
label = "申请提现、被拒"
clip = ["00:00:08", "00:00:24"]
+++
录屏时长 24 秒，画面左上角为手机系统时间。
"""

ITEMS["e07-source-code"] = """\
id = "E07"
title = "“汇鑫国际”平台后台源代码（TradeAdmin.php）"
type = "tool"
view = "code"
files = ["files/platform/TradeAdmin.php"]

[source]
method = "onsite"
collected_at = 2026-05-12T18:10:00+08:00
collectors = ["侦查员甲", "侦查员己"]
witnesses = ["见证人丙"]
holder = "王某"
location = "某市某区某小区3栋（王某住处）"
tool = "现场勘验取证工具（示例版）V2.0"
procedure = \"\"\"
王某笔记本电脑处于开机状态，其中运行的远程连接会话已登录平台服务器。为防止数据灭失，
现场对服务器网站目录进行提取，计算校验值并制作提取笔录；随后扣押该笔记本电脑（见物证 C4）。
\"\"\"
recorded = true
documents = ["现场勘验笔录", "电子数据提取笔录", "扣押清单"]
$hashes
[[shows]]
fact = "F3"
aspect = "means"
how = "setProfit() 可任意设定客户盈亏；quote() 按管理员设定生成行情"

[[shows]]
fact = "F5"
aspect = "means"
how = "withdrawAudit() 对所有提现申请一律返回“审核拒绝”，并要求缴纳保证金"

[[corroborates]]
with = "C6"
fact = "F3"
point = "鉴定意见确认程序具有修改盈亏、自动拒绝提现的功能"

[[corroborates]]
with = "C1"
fact = "F5"
point = "王某供述“提现一笔都不会通过”与代码逻辑一致"

[[step]]
label = "管理员任意设定客户盈亏"
lines = "13-25"

[[step]]
label = "行情由后台“画”出来"
lines = "27-39"

[[step]]
label = "提现一律拒绝"
lines = "41-54"

[[step]]
label = "交了保证金，再冻结一次"
lines = "56-60"

[[challenge]]
ground = "objectivity"
claim = "代码可能是侦查机关事后植入"
response = "提取时即计算SM3校验值，与当庭核验一致；鉴定意见（C6）对服务器镜像独立分析得出相同结论。"

[review]
objectivity = "校验值一致；与鉴定意见、录屏相互印证。"
legality = "现场提取系为防止数据灭失，符合规定，已同步录像。"
relevance = "直接证明平台的欺诈功能。"
+++
源代码自平台服务器网站目录提取，注释为原文。

???
三段代码各停十秒，读出注释“客户看到的盈亏由这里决定”。
"""

ITEMS["e08-deposits"] = """\
id = "E08"
title = "平台数据库“会员资金流水”表（涉案记录）"
type = "behaviour"
view = "table"
files = ["files/platform-deposits.csv"]

[columns]
time = "时间"
amount = "金额（元）"

[source]
method = "freeze"
collected_at = 2026-04-15T09:30:00+08:00
collectors = ["侦查员甲", "侦查员丁"]
location = "某云服务商（示例云）"
tool = "电子数据冻结系统（示例版）"
url = "https://huixin-trade.example/"
procedure = \"\"\"
1. 向云服务商送达协助冻结电子数据通知书，冻结平台服务器及数据库；
2. 冻结期间导出“会员资金流水”表，计算校验值。
\"\"\"
documents = ["协助冻结电子数据通知书", "电子数据提取笔录"]
$hashes
[[source.change]]
what = "删除与本案被害人无关的会员流水 1,203 条，仅保留陈某、刘某的记录"
why = "无关记录涉及其他案件被害人的个人信息；完整导出文件随卷移送，校验值另行记录"

[[shows]]
fact = "F6"
aspect = "funds"
how = "陈某七笔入金共386,000元、刘某两笔共120,000元，出金申请均为“审核拒绝”"

[[shows]]
fact = "F3"
aspect = "means"
how = "出金申请状态全部为“审核拒绝”"

[[corroborates]]
with = "C5"
fact = "F6"
point = "入金时间、金额与银行交易明细逐笔一致"

[[step]]
label = "陈某的七笔入金"
rows = "1-7"

[[step]]
label = "提现申请：审核拒绝"
rows = "10-11"
+++
金额单位为人民币元。本表为删减后的涉案记录，删减情况见“来源与形成”。
"""

ITEMS["e09-login-log"] = """\
id = "E09"
title = "平台管理后台登录日志检查记录（摘录）"
type = "system_log"
view = "markdown"

[source]
method = "online"
collected_at = 2026-04-15T10:40:00+08:00
collectors = ["侦查员甲", "侦查员丁"]
tool = "远程勘验系统（示例版）V1.8"
url = "https://huixin-trade.example/admin/"
procedure = "远程勘验中查看管理后台登录日志，摘录“admin_w”账号的登录记录，全程录像（见勘验笔录 C8）。"
recorded = true
documents = ["远程勘验笔录"]

[[shows]]
fact = "F7"
aspect = "identity"
how = "admin_w 的登录地址为王某住处宽带及其手机所在网络"

[[corroborates]]
with = "C8"
fact = "F7"
point = "勘验笔录记载的提取过程与本记录一致"

[[corroborates]]
with = "C1"
fact = "F7"
point = "王某供述 admin_w 只有其一人使用"
+++
## admin_w 账号登录记录（2026 年 3 月，摘录）

| 登录时间 | 来源 IP | 归属 | 操作 |
| --- | --- | --- | --- |
| 03-08 09:51 | 203.0.113.25 | 王某住处宽带 | 修改会员盈亏 |
| 03-12 22:14 | 203.0.113.25 | 王某住处宽带 | 修改行情参数 |
| 03-15 13:02 | 198.51.100.77 | 移动网络（王某手机号码） | 审核提现 |
| 03-21 21:05 | 203.0.113.25 | 王某住处宽带 | 审核提现 |

登录时间与王某手机定位（E10）所示位置吻合。

???
IP 地址的归属由运营商调取回函证明（侦查卷五第41页），被问到时出示。
"""

ITEMS["e10-trajectory"] = """\
id = "E10"
title = "王某手机定位与后台登录地点轨迹（2026年3月）"
type = "behaviour"
view = "chart"
chart = "trajectory"
files = ["files/trajectory-wang.csv"]

[columns]
label = "事件"
place = "地点"

[source]
method = "retrieval"
collected_at = 2026-04-20T10:00:00+08:00
collectors = ["侦查员丁", "侦查员戊"]
holder = "某通信运营商（示例）"
procedure = "以调取证据通知书向运营商调取王某手机号码的基站定位记录，与后台登录日志按时间合并。"
documents = ["调取证据通知书", "调取证据清单"]
$hashes
[[shows]]
fact = "F7"
aspect = "trajectory"
how = "每次 admin_w 登录时，王某手机均位于登录 IP 所在地"

[[corroborates]]
with = "E09"
fact = "F7"
point = "登录时间、地点与登录日志吻合"

[[step]]
label = "3月8日：首次修改盈亏"
until = 2026-03-08T23:59:00+08:00

[[step]]
label = "3月15日：外出时用手机审核提现"
until = 2026-03-15T23:59:00+08:00

[[step]]
label = "3月21日：陈某提现被拒当晚"
until = 2026-03-21T23:59:00+08:00
+++
轨迹点为运营商基站定位，精度约数百米。
"""

ITEMS["e11-funds"] = """\
id = "E11"
title = "被害人资金流向（银行交易明细及OTC承兑记录）"
type = "behaviour"
view = "chart"
chart = "funds"
files = ["files/funds.csv"]

[source]
method = "retrieval"
collected_at = 2026-04-25T14:00:00+08:00
collectors = ["侦查员丁", "侦查员戊"]
holder = "某银行（示例）"
procedure = \"\"\"
向银行调取孙某、周某、吴某、郑某名下账户交易明细（见书证 C5），
与赵某电脑中的《收U对账单》（E12）合并整理为本表。
\"\"\"
documents = ["调取证据通知书", "调取证据清单"]
$hashes
[[shows]]
fact = "F4"
aspect = "funds"
how = "被害人资金进入孙某、周某卡后两小时内转入吴某、郑某卡，再经赵某兑换为USDT"

[[shows]]
fact = "F6"
aspect = "funds"
how = "陈某386,000元、刘某120,000元全部进入团伙控制的账户"

[[corroborates]]
with = "C3"
fact = "F4"
point = "孙某证言：其银行卡已卖给赵某"

[[corroborates]]
with = "C5"
fact = "F6"
point = "银行交易明细与本图一级账户流入一致"

[[corroborates]]
with = "E12"
fact = "F4"
point = "赵某《收U对账单》记载的兑换与本图承兑出口的金额、时间一致"

[[step]]
label = "第一笔：陈某→孙某卡→吴某卡"
until = 2026-03-08T12:00:00+08:00

[[step]]
label = "至3月15日"
until = 2026-03-15T23:59:00+08:00

[[step]]
label = "全部资金流向"
until = 2026-03-22T23:59:00+08:00

[[step]]
label = "赵某的承兑出口"
focus = ["赵某（OTC 承兑商）"]

[[challenge]]
ground = "relevance"
claim = "二级账户中的资金可能来自其他人，不能全部认定为本案赃款"
response = "本图只计入可逐笔追溯的金额：每笔转出均发生在对应入金后两小时内，且金额不超过该卡当时余额。"
+++
金额单位为人民币元；USDT 按对账单汇率折合人民币。

???
第三步后停下，强调“两小时内”。如法庭要求，点击流向查看逐笔明细。
"""

ITEMS["e12-ledger"] = """\
id = "E12"
title = "赵某笔记本电脑中的《收U对账单》"
type = "file"
view = "document"
files = ["files/usdt-ledger.pdf"]

[source]
method = "seizure"
collected_at = 2026-05-12T17:20:00+08:00
collectors = ["侦查员乙", "侦查员庚"]
witnesses = ["见证人辛"]
holder = "赵某"
location = "某市某区某大厦12层（赵某办公室）"
tool = "计算机取证系统（示例版）V9.0"
recorded = true
documents = ["扣押笔录", "扣押清单", "电子数据提取笔录"]
medium = { brand = "示例牌", model = "DEMO-BOOK 14", capacity = "512GB", serial = "DEMO-ZHAO-0004", identifier = "MAC 00-00-5E-00-53-01" }
$hashes
[[shows]]
fact = "F4"
aspect = "funds"
how = "对账单记载二级卡来款、兑换汇率、USDT 数额及出U地址"

[[shows]]
fact = "F5"
aspect = "relationship"
how = "约定“客户资金两小时内分散转出”“冻结风险由赵某承担”"

[[corroborates]]
with = "C3"
fact = "F4"
point = "对账单约定的收卡价格（每张1,500元）与孙某证言一致"

[[step]]
label = "与“李总团队”的约定"
page = 1
region = [0.07, 0.18, 0.86, 0.25]

[[step]]
label = "兑换明细与合计"
page = 2

[[step]]
label = "出U地址"
page = 3
+++
对账单为 PDF 文件，共 3 页。
"""

ITEMS["e13-timeline"] = """\
id = "E13"
title = "作案经过时间线"
type = "behaviour"
view = "chart"
chart = "timeline"
files = ["files/timeline.csv"]

[source]
method = "seizure"
collected_at = 2026-05-12T16:00:00+08:00
collectors = ["侦查员甲", "侦查员乙"]
procedure = "根据 E02—E12 各项电子数据中的时间信息整理，每一事件均可回溯至所列电子数据。"
documents = ["电子数据提取笔录"]
$hashes
[[shows]]
fact = "F2"
aspect = "other"
how = "招募、搭建平台、引流、诱骗、转移资金依次发生，分工衔接"

[[shows]]
fact = "F6"
aspect = "other"
how = "被害人七笔转账集中于3月8日至21日"

[[step]]
label = "一月：招募与搭建"
until = 2026-02-01

[[step]]
label = "二月至三月初：接触被害人"
until = 2026-03-08

[[step]]
label = "三月：入金、洗钱、提现被拒"
until = 2026-03-22

[[step]]
label = "案发与抓获"
until = 2026-05-13
+++
每一事件后括号内为其依据的电子数据编号。
"""

HASHES = {
    "E01": [("files/network.csv", "sha256")],
    "E02": [("files/recruit-ad.png", "md5"), ("files/recruit-ad.png", "sha256")],
    "E03": [("files/commission.csv", "sha256")],
    "E04": [
        ("files/chat-zhang-chen.csv", "sha256"),
        ("files/chat/profit-screenshot.png", "sha256"),
        ("files/chat/app-download-qr.png", "sha256"),
    ],
    "E05": [("files/call-2026-03-17.wav", "sha256"), ("files/call-2026-03-17.srt", "sha256")],
    "E06": [("files/withdraw-recording.webm", "sha1")],
    "E07": [("files/platform/TradeAdmin.php", "sm3")],
    "E08": [("files/platform-deposits.csv", "sha256")],
    "E10": [("files/trajectory-wang.csv", "sha256")],
    "E11": [("files/funds.csv", "sha256")],
    "E12": [("files/usdt-ledger.pdf", "sm3"), ("files/usdt-ledger.pdf", "sha256")],
    "E13": [("files/timeline.csv", "sha256")],
}
"""The recorded integrity values (Art. 31): file and algorithm, by exhibit."""


TRADE_ADMIN = """\
<?php
// 汇鑫国际 交易后台 —— 管理员操作
// huixin-trade.example/admin

namespace Admin;

use Model\\Member;
use Model\\Quote;
use Model\\Withdraw;

class TradeAdmin
{
    // 客户看到的盈亏由这里决定：管理员输入金额，直接写入会员账户
    public function setProfit(int $memberId, float $amount, string $note = ''): void
    {
        $member = Member::find($memberId);
        $member->balance += $amount;            // 不经过任何真实成交
        $member->today_profit = $amount;
        $member->save();
        Log::admin('set_profit', [
            'member' => $memberId,
            'amount' => $amount,
            'note'   => $note,                  // 例：新客户首日小赚，建立信任
        ]);
    }

    // 行情：不接任何交易所，按后台设定的走势生成 K 线
    public function quote(string $symbol, int $minute): array
    {
        $plan = Quote::plan($symbol);          // 管理员预先画好的走势
        $base = $plan->base;
        $price = $base + $plan->trend * $minute
            + sin($minute / 7) * $plan->swing;  // 加一点波动，看起来像真的
        return [
            'symbol' => $symbol,
            'price'  => round($price, 2),
            'time'   => $minute,
        ];
    }

    // 提现审核：一律拒绝，提示缴纳保证金
    public function withdrawAudit(int $withdrawId): array
    {
        $w = Withdraw::find($withdrawId);
        $w->status = 'rejected';               // 审核拒绝
        $w->save();
        $deposit = round($w->amount * 0.30, 2);
        return [
            'ok'      => false,
            'message' => '您的账户存在异常交易，资金已被风控冻结。'
                . '请缴纳提现金额 30% 的风险保证金后解冻。',
            'deposit' => $deposit,              // 保证金同样进入收款卡
        ];
    }

    // 保证金到账后：再次冻结，理由换成“流水不足”
    public function afterDeposit(int $memberId): void
    {
        Member::find($memberId)->freeze('流水不足，需完成三倍流水');
    }
}
"""


def make_media(deck: Path) -> None:
    """The binary files: images, the call, the screen recording, the PDF."""
    files = deck / "files"
    save_png(recruit_ad(), files / "recruit-ad.png")
    save_png(app_balance(86_412.00, 11_874.00, "19:09"), files / "chat/profit-screenshot.png")
    save_png(
        qr_code("扫码下载 汇鑫国际 APP\nhuixin-trade.example/app", seed=3),
        files / "chat/app-download-qr.png",
    )
    (files / "call-2026-03-17.wav").write_bytes(call_recording())
    encode_webm(recording_frames(), files / "withdraw-recording.webm")
    save_pdf(ledger_pages(), files / "usdt-ledger.pdf")


def data_texts() -> dict[str, str]:
    """The text files (CSVs, source code, deck.toml), by path in the deck."""
    deposits = [
        [f"HX2603{i + 1:04d}", "m_1001" if v == CHEN else "m_1002", v, when[:16].replace("T", " "),
         amount, "入金", SUN if v == CHEN else ZHOU, "已到账"]
        for i, (when, v, amount) in enumerate(DEPOSITS)
    ]  # fmt: skip
    deposits += [
        ["HX2603W001", "m_1002", LIU, "2026-03-20 10:30", 30_000, "出金", "某银行 尾号0008", "审核拒绝"],
        ["HX2603W002", "m_1001", CHEN, "2026-03-21 21:04", 100_000, "出金", "某银行 尾号0009", "审核拒绝"],
    ]  # fmt: skip
    return {
        "deck.toml": DECK_TOML,
        "files/platform/TradeAdmin.php": TRADE_ADMIN,
        "files/call-2026-03-17.srt": call_transcript(),
        "files/chat-zhang-chen.csv": csv_text(
            ["时间", "发送人", "内容", "附件"], [list(m) for m in CHAT]
        ),
        "files/network.csv": csv_text(
            ["source", "target", "relation", "weight"],
            [
                ["李某", "张某", "招募、发放提成", 186],
                ["李某", "钱某", "招募、发放提成", 97],
                ["李某", "王某", "委托搭建平台", 64],
                ["李某", "赵某", "资金结算", 52],
                ["王某", "张某", "开通会员账号", 23],
                ["张某", "陈某", "冒充导师诱骗", 24],
                ["钱某", "刘某", "冒充导师诱骗", 31],
                ["赵某", "孙某", "收购银行卡", 6],
                ["赵某", "周某", "收购银行卡", 4],
                ["赵某", "吴某", "收购银行卡", 9],
                ["赵某", "郑某", "收购银行卡", 8],
            ],
        ),
        "files/commission.csv": csv_text(
            ["月份", "成员", "客户", "客户入金（元）", "提成比例", "提成（元）", "备注"],
            [
                ["2026-03", "张某", "陈某", 386_000, "8%", 30_880, ""],
                ["2026-03", "钱某", "刘某", 120_000, "8%", 9_600, ""],
                ["2026-02", "张某", "（其他客户）", 45_000, "8%", 3_600, ""],
                ["2026-02", "钱某", "（其他客户）", 28_000, "8%", 2_240, ""],
                ["2026-03", "全体", "", "", "", "", "客户只进不出，出金一律走风控，不得私下承诺"],
            ],
        ),
        "files/trajectory-wang.csv": csv_text(
            ["time", "lat", "lon", "事件", "地点"],
            [
                ["2026-03-08T09:40:00+08:00", 30.5412, 114.3021, "住处", "某小区3栋"],
                [
                    "2026-03-08T09:51:00+08:00",
                    30.5412,
                    114.3021,
                    "admin_w 登录：修改盈亏",
                    "某小区3栋",
                ],
                ["2026-03-08T14:20:00+08:00", 30.5508, 114.3186, "", "某网吧"],
                [
                    "2026-03-12T22:14:00+08:00",
                    30.5412,
                    114.3021,
                    "admin_w 登录：修改行情",
                    "某小区3栋",
                ],
                ["2026-03-15T11:40:00+08:00", 30.5803, 114.2710, "", "某商场"],
                [
                    "2026-03-15T13:02:00+08:00",
                    30.5830,
                    114.2652,
                    "admin_w 登录：审核提现",
                    "某咖啡馆",
                ],
                ["2026-03-15T18:30:00+08:00", 30.5412, 114.3021, "住处", "某小区3栋"],
                ["2026-03-21T20:50:00+08:00", 30.5412, 114.3021, "住处", "某小区3栋"],
                [
                    "2026-03-21T21:05:00+08:00",
                    30.5412,
                    114.3021,
                    "admin_w 登录：审核提现",
                    "某小区3栋",
                ],
            ],
        ),
        "files/funds.csv": csv_text(["time", "from", "to", "amount", "channel"], funds_rows()),
        "files/timeline.csv": csv_text(
            ["start", "end", "actor", "event"],
            [
                ["2026-01-05", "", "李某", "发布“高薪招聘网络客服”广告（E02）"],
                ["2026-01-10", "2026-02-28", "王某", "搭建“汇鑫国际”平台（E07、E09）"],
                ["2026-02-01", "", "赵某", "以每张1,500元收购孙某等人银行卡（E12）"],
                ["2026-02-20", "", "张某", "以“明远老师”身份添加陈某微信（E04）"],
                ["2026-03-08", "2026-03-21", "陈某", "七次向孙某卡转账共386,000元（E08、E11）"],
                ["2026-03-11", "2026-03-21", "赵某", "二级卡资金兑换为USDT转出（E11、E12）"],
                ["2026-03-17", "", "张某", "电话劝陈某借钱加仓（E05）"],
                ["2026-03-21", "", "王某", "以admin_w审核拒绝陈某提现（E08、E09）"],
                ["2026-03-21", "", "陈某", "提现被拒、录屏（E06）"],
                ["2026-04-02", "", "陈某", "报案"],
                ["2026-05-12", "", "李某", "四名被告人被抓获"],
            ],
        ),
        "files/platform-deposits.csv": csv_text(
            ["订单号", "会员账号", "会员", "时间", "金额（元）", "类型", "收/付款账户", "状态"],
            deposits,
        ),
    }


def hash_blocks(deck: Path, exhibit_id: str) -> str:
    blocks = []
    for name, algorithm in HASHES.get(exhibit_id, []):
        digest = hash_file(deck / name, [algorithm])[algorithm]
        blocks.append(
            f'[[source.hash]]\nfile = "{name}"\nalgorithm = "{algorithm}"\nvalue = "{digest}"\n'
        )
    return "\n".join(blocks)


def item_texts(deck: Path) -> dict[str, str]:
    """The items, by path in the deck, with the hashes of the files already in `deck`."""
    texts = {}
    for stem, text in ITEMS.items():
        front, _, body = text.partition("+++\n")
        exhibit_id = front.split('"', 2)[1]
        front = Template(front).substitute(hashes=hash_blocks(deck, exhibit_id))
        texts[f"items/{stem}.md"] = f"+++\n{HEADER}{front}+++\n{body}"
    return texts


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
    write_texts(DECK, data_texts())
    write_texts(DECK, item_texts(DECK))
    total = sum(p.stat().st_size for p in DECK.rglob("*") if p.is_file())
    print(f"wrote {DECK.relative_to(ROOT.parent)}: {total / 1e6:.1f} MB")


if __name__ == "__main__":
    main()
