"""Text originals in the encodings offices receive them (GBK, GB18030, UTF-16, Big5): the
encoding detected by charset-normalizer unless the item's `encoding` says, and a UTF-8 copy."""

from __future__ import annotations

import codecs
import functools
from pathlib import Path

import charset_normalizer

from . import DeriveError, Made, Progress, Request

SAMPLE = 1 << 20
"""Bytes read to detect an encoding: enough for any statement's title rows and many rows."""
CHUNK = 1 << 20

_EAST_ASIAN = frozenset(
    {"big5", "big5hkscs", "cp950", "gb2312", "gbk", "gb18030", "hz", "euc_jp", "shift_jis"}
    | {"cp932", "euc_kr", "cp949", "johab", "iso2022_jp", "iso2022_kr"}
)
"""Encodings a detector may choose for Chinese text from the mainland: read as GB18030 (the
national standard, a superset of GBK) whenever it decodes so; `encoding = "big5"` says
otherwise for a file from Taiwan or Hong Kong."""

_CHINESE_FAMILY = {"gb2312": "gb18030", "gbk": "gb18030", "hz": "gb18030"}
"""GB2312 and GBK are subsets of GB18030: a file detected as one is read as the superset, so
a rare character further on (beyond the sample) still decodes."""


def is_utf8(path: Path) -> bool:
    """Whether the whole file decodes as UTF-8 (a BOM allowed); asked on every load of the
    deck, so answered from memory while the file is unchanged."""
    try:
        stat = path.stat()
    except OSError:
        return True  # unreadable: the file checks say so, not the encoding
    return _is_utf8(str(path.resolve()), stat.st_size, stat.st_mtime_ns)


@functools.lru_cache(maxsize=1024)
def _is_utf8(path: str, size: int, mtime_ns: int) -> bool:
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        with open(path, "rb") as stream:
            if stream.read(2) in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE):
                return False
            stream.seek(0)
            while chunk := stream.read(CHUNK):
                if b"\x00" in chunk:
                    return False  # UTF-16 without its BOM: text never holds NUL
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    except OSError:
        return True  # unreadable: the file checks say so, not the encoding
    return True


def codec_name(name: str) -> str | None:
    """Python's name of an encoding as a person writes it ("GBK", "utf16"), or None."""
    try:
        info = codecs.lookup(name.strip())
    except LookupError:
        return None
    return info.name if getattr(info, "_is_text_encoding", True) else None  # not rot13, zlib


def detect(path: Path, override: str | None = None) -> str:
    """The codec to read `path` with: `override` when given, else what charset-normalizer
    finds in the file's first megabyte."""
    if override is not None:
        codec = codec_name(override)
        if codec is None:
            raise DeriveError(f"未知的编码：{override}", f"unknown encoding: {override}")
        return _CHINESE_FAMILY.get(codec, codec)
    with open(path, "rb") as stream:
        sample = stream.read(SAMPLE)
    if sample.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    best = charset_normalizer.from_bytes(sample).best()
    if best is None:
        raise DeriveError(
            '无法识别文件的文字编码，请在证据项中写明 encoding（如 "gbk"）',
            'cannot tell the text encoding: set `encoding` in the item (e.g. "gbk")',
        )
    codec = codec_name(best.encoding) or "utf-8"
    if codec in _EAST_ASIAN and _decodes(sample, "gb18030"):
        return "gb18030"  # a short GBK text reads as Big5 or Shift-JIS as well: GBK is the usual
    return _CHINESE_FAMILY.get(codec, codec)


def _decodes(sample: bytes, codec: str) -> bool:
    try:
        codecs.getincrementaldecoder(codec)().decode(sample)  # a cut last character is fine
    except UnicodeDecodeError:
        return False
    return True


def text_copy(original: Path, target: Path, request: Request, progress: Progress) -> Made:
    """`original` decoded with its encoding and written as UTF-8, line ends as they were."""
    codec = detect(original, request.encoding)
    total = max(1, original.stat().st_size)
    decoder = codecs.getincrementaldecoder(codec)()
    done = 0
    with open(original, "rb") as source, open(target, "w", encoding="utf-8", newline="") as out:
        try:
            while chunk := source.read(CHUNK):
                out.write(decoder.decode(chunk))
                done += len(chunk)
                progress(done / total)
            out.write(decoder.decode(b"", final=True))
        except UnicodeDecodeError as error:
            at = done + error.start
            raise DeriveError(
                f"按 {codec} 编码读取时，第 {at} 字节处无法解码：请在证据项中写明正确的 encoding",
                f"byte {at} does not decode as {codec}: set the right `encoding` in the item",
            ) from None
    return Made(tool=_tool(request), parameters={"encoding": codec})


def _tool(request: Request) -> str:
    """The decoder, and the detector when it chose the encoding."""
    import platform

    python = f"Python {platform.python_version()} codecs"
    if request.encoding is not None:
        return python
    return f"{python}; charset-normalizer {charset_normalizer.__version__}"
