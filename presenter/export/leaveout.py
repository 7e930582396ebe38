"""The originals a masked bundle leaves out (遮蔽版未附的原始文件), and why.

A masked bundle is for the public, yet carries an original byte for byte where it can (so its
recorded check value can be verified): only where a public screen would show it unchanged.
That is a file whose deck path masking leaves as it is, and whose text masking leaves as it
is, read the ways a reader's editor could read it (the item's `encoding`, a byte-order mark,
UTF-8, or what charset-normalizer finds, and GB18030), with HTML character references
resolved. A picture, sound, video, document or other binary file is left out: its pixels,
sound, metadata (EXIF) or compressed text can hold a number no text check sees, and the
bundle's page already shows its redacted display copy.
"""

from __future__ import annotations

import codecs
import html
import re
import unicodedata
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

from .. import i18n
from ..masking import RESIDENT_ID, mask_text
from ..originals import PHOTOS, PLAYABLE, SOUNDS, SPREADSHEETS, VIDEOS
from ..views.files import PICTURES, PLAYED

CHECKED_SIZE = 4 << 20
"""Bytes of a text read and checked whole: a larger file is left out unchecked (masking
reads a text at about two megabytes a second, holding a hundred bytes a character)."""
SAMPLE = 1 << 20
"""Bytes charset-normalizer reads to find an encoding (as the display copies do)."""

UNCHECKED_BY_NAME = {
    "picture": PICTURES | PHOTOS | {".svg", ".svgz", ".tif", ".tiff", ".ico", ".jfif"},
    "media": PLAYED | VIDEOS | SOUNDS | frozenset(PLAYABLE),
    "document": SPREADSHEETS
    | {".pdf", ".ps", ".eps", ".rtf", ".doc", ".docx", ".odt", ".wps", ".ppt", ".pptx"}
    | {".odp", ".et", ".dps", ".xps", ".epub"},
    "encoded": frozenset({".eml", ".msg", ".mht", ".mhtml", ".mbox"}),
}
"""Kinds of file a text check cannot clear, by suffix, whatever their bytes look like (an
all-ASCII PDF decodes as text, yet draws its text with fonts; a mail's body is base64)."""
_ENCODED = re.compile(r";base64,|content-transfer-encoding|^\{\\rtf|^%PDF-|^%!PS", re.I | re.M)
"""Text that carries other content encoded: data URIs, MIME parts, RTF, PDF, PostScript."""
_CONTROL = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]")
"""Characters no text file holds (tab, line ends and form feed are text): a binary file,
or terminal escapes, which can draw a number masking does not read."""


@dataclass(frozen=True)
class Reason:
    """Why an original is left out: `code` is name or text (a number that would be masked,
    of `kinds`), or unchecked (a `what` no text check can clear)."""

    code: str
    kinds: tuple[str, ...] = ()
    what: str = ""

    def words(self, lang: str) -> str:
        t = i18n.translator(lang)
        if self.code == "unchecked":
            return t("left_out.unchecked").format(what=t("left_out." + self.what))
        joined = t("join.list").join(t("number." + k) for k in self.kinds)
        return t("left_out." + self.code).format(kinds=joined)


def check(name: str, source: Path, encoding: str | None) -> Reason | bytes:
    """The bytes of the original at deck path `name` (the file `source`) that a masked
    bundle may carry, exactly the bytes checked; or why it is left out. `encoding` is the
    item's, when detection should not decide."""
    kinds = numbers_in(name)
    if kinds:
        return Reason("name", tuple(kinds))
    suffix = Path(name).suffix.lower()
    for what, suffixes in UNCHECKED_BY_NAME.items():
        if suffix in suffixes:
            return Reason("unchecked", what=what)
    with open(source, "rb") as stream:
        data = stream.read(CHECKED_SIZE + 1)
    if len(data) > CHECKED_SIZE:
        return Reason("unchecked", what="large")
    texts = readings(data, encoding)
    if not texts:
        return Reason("unchecked", what="binary")
    if any(_ENCODED.search(text) for text in texts):
        return Reason("unchecked", what="encoded")
    found: list[str] = []
    for text in texts:
        found += numbers_in(text)
        if "&" in text:
            found += numbers_in(html.unescape(text))
        if "<" in text:  # markup: what a browser shows, whatever a comment or `>` hides
            for shown in as_a_browser_shows(text):
                found += numbers_in(shown)
    if found:
        return Reason("text", tuple(dict.fromkeys(found)))
    return data


def readings(data: bytes, encoding: str | None) -> list[str]:
    """Every way a reader may read `data` as text: by the item's encoding, a byte-order
    mark, UTF-8, else charset-normalizer's guess and GB18030 (GBK's superset, what a
    detector's East Asian guess is read as); none when it reads only as a binary file."""
    from ..originals.text import codec_name

    codecs_ = [codec_name(encoding)] if encoding else []
    if data.startswith(codecs.BOM_UTF8):
        codecs_.append("utf-8-sig")
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        codecs_.append("utf-16")
    elif b"\x00" not in data and _decodes(data, "utf-8"):
        codecs_.append("utf-8")
    else:
        import charset_normalizer

        best = charset_normalizer.from_bytes(data[:SAMPLE]).best()
        codecs_ += [codec_name(best.encoding) if best else None, "gb18030"]
    texts = []
    for codec in dict.fromkeys(c for c in codecs_ if c):
        try:
            text = data.decode(codec)
        except (UnicodeDecodeError, LookupError):
            continue
        if not _CONTROL.search(text):
            texts.append(text)
    return list(dict.fromkeys(texts))


def _decodes(data: bytes, codec: str) -> bool:
    try:
        data.decode(codec)
    except UnicodeDecodeError:
        return False
    return True


class _Shown(HTMLParser):
    """The text of a page as a browser lays it out (text nodes run together, as inline
    elements are), and its attribute values (a title or an alt is shown too)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.text: list[str] = []
        self.attributes: list[str] = []

    def handle_data(self, data: str) -> None:
        self.text.append(data)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.attributes += [value for _, value in attrs if value]


def as_a_browser_shows(text: str) -> list[str]:
    """A markup file's shown text, and its attribute values, each on its own."""
    parser = _Shown()
    try:
        parser.feed(text)
        parser.close()
    except (AssertionError, ValueError):  # a parser that gives up: what it read so far
        pass
    return ["".join(parser.text), *parser.attributes]


def numbers_in(text: str) -> list[str]:
    """The kinds of number (mobile, resident_id, card, other) masking hides in `text`, in
    the order found, each once; none when masking leaves the text as it is."""
    masked = mask_text(text)
    if masked == text:
        return []
    if len(masked) != len(text):  # masking stars digits one for one; if ever not, say so
        return ["other"]
    kinds: list[str] = []
    run: list[int] = []
    for i, (was, now) in enumerate(zip(text, masked, strict=True)):
        if was != now:
            run.append(i)
        elif run and _digit(was) is not None:  # every masked number keeps its last digits
            kinds.append(_kind(text, run))
            run = []
    if run:
        kinds.append(_kind(text, run))
    return list(dict.fromkeys(kinds))


def _kind(text: str, hidden: list[int]) -> str:
    """A masked number's kind by how much of it masking hid: a mobile's middle four, an ID's
    eight-digit birth date, a card's middle six to nine."""
    if len(hidden) == 4:
        return "mobile"
    if len(hidden) == 8 and _reads_as_id(text, hidden):
        return "resident_id"
    return "card" if 6 <= len(hidden) <= 9 else "other"


def _reads_as_id(text: str, hidden: list[int]) -> bool:
    """Whether the hidden eight digits, with the six before and the four after, are a
    resident ID (as masking's own pattern reads one)."""
    start, end = hidden[0], hidden[-1] + 1
    before = [c for c in text[max(0, start - 64) : start] if _digit(c) is not None][-6:]
    after = [c for c in text[end : end + 64] if _digit(c) is not None or c in "Xx"][:4]
    chars = [*before, *(text[i] for i in hidden), *after]
    digits = "".join(c if (d := _digit(c)) is None else str(d) for c in chars)
    return RESIDENT_ID.fullmatch(digits) is not None


def _digit(char: str) -> int | None:
    return unicodedata.digit(char, None)
