"""A new deck from a folder of evidence: one exhibit per file, or per sub-folder.

Every file is copied into the deck and hashed (SHA-256 and MD5) in the same read. The view
is guessed from the file's content, not its name; what the files say of themselves (size,
modification time, EXIF capture time and camera) goes into the exhibit's source. Whatever
only a person can know (the Art. 27 category, how and by whom it was collected, the facts it
shows) is written as `TODO`, which `check` reports with its file and key until filled in.
The deck is built beside its destination and moved there whole: an existing deck is never
touched, and a failed run leaves nothing behind.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import filetype
from PIL import ExifTags, Image, UnidentifiedImageError

from . import i18n, integrity
from .deck.checks import fits_view
from .deck.loader import DECK_ID, TODO

ALGORITHMS = ("sha256", "md5")
SNIFF_BYTES = 64 << 10
CHAT_HEADERS: dict[str, tuple[str, ...]] = {
    "time": ("时间", "发送时间", "time", "timestamp", "date"),
    "sender": ("发送人", "发送者", "发送方", "昵称", "sender", "from", "author"),
    "text": ("内容", "消息", "消息内容", "text", "message", "content", "body"),
}
"""Column names of chat exports, by the chat view's column roles."""

Progress = Callable[[int, int], None]


class ScaffoldError(Exception):
    """Something the user can fix: the message says what and where."""


@dataclass(frozen=True)
class Attributes:
    """What a file says of itself."""

    size: int
    modified: str
    taken: str = ""
    make: str = ""
    model: str = ""


@dataclass
class EvidenceFile:
    source: Path
    deck_path: str
    mime: str
    view: str | None
    attributes: Attributes
    digests: dict[str, str] = field(default_factory=dict)


@dataclass
class Planned:
    """One exhibit to write."""

    id: str
    title: str
    files: list[EvidenceFile]
    view: str | None
    columns: dict[str, str] = field(default_factory=dict)
    why_no_view: str = ""


@dataclass(frozen=True)
class Scaffolded:
    deck: Path
    exhibits: tuple[Planned, ...]
    skipped: tuple[str, ...]


def scaffold(
    deck_dir: Path,
    evidence: Path,
    progress: Callable[[int], Progress] | None = None,
    language: str = "zh-CN",
) -> Scaffolded:
    """Write a new deck at `deck_dir` from the folder `evidence`.

    `progress(total_bytes)` gives the callback fed with (bytes copied, total) as files are
    copied and hashed.
    """
    deck_dir = Path(deck_dir)
    if not DECK_ID.match(deck_dir.name):
        raise ScaffoldError(i18n.pick(WORDS["bad_id"], language).format(name=deck_dir.name))
    if deck_dir.exists() and (not deck_dir.is_dir() or any(deck_dir.iterdir())):
        raise ScaffoldError(i18n.pick(WORDS["exists"], language).format(path=deck_dir))
    if not evidence.is_dir():
        raise ScaffoldError(i18n.pick(WORDS["no_folder"], language).format(path=evidence))
    planned, skipped = plan(evidence)
    if not planned:
        raise ScaffoldError(i18n.pick(WORDS["empty"], language).format(path=evidence))
    deck_dir.parent.mkdir(parents=True, exist_ok=True)
    building = Path(tempfile.mkdtemp(prefix=f".{deck_dir.name}.", dir=deck_dir.parent))
    try:
        _copy_and_hash(planned, building, progress)
        (building / "items").mkdir()
        (building / "deck.toml").write_text(deck_toml(language), encoding="utf-8")
        for exhibit in planned:
            text = item_text(exhibit, language)
            (building / "items" / f"{exhibit.id}.md").write_text(text, encoding="utf-8")
        if deck_dir.exists():
            deck_dir.rmdir()  # empty, checked above; rename() will not replace it otherwise
        building.rename(deck_dir)
    except BaseException:
        shutil.rmtree(building, ignore_errors=True)
        raise
    return Scaffolded(deck_dir, tuple(planned), tuple(skipped))


def plan(evidence: Path) -> tuple[list[Planned], list[str]]:
    """The exhibits the folder's entries make, by name; and the hidden entries left out."""
    planned: list[Planned] = []
    skipped: list[str] = []
    entries = sorted(evidence.iterdir(), key=lambda p: p.name)
    for entry in entries:
        if entry.name.startswith("."):
            skipped.append(entry.name)
            continue
        if entry.is_dir():
            members = [
                p
                for p in sorted(entry.rglob("*"))
                if p.is_file()
                and not any(part.startswith(".") for part in p.relative_to(entry).parts)
            ]
            if not members:
                skipped.append(entry.name + "/")
                continue
            files = [_examine(p, evidence) for p in members]
            title = entry.name
        elif entry.is_file():
            files = [_examine(entry, evidence)]
            title = entry.stem
        else:
            skipped.append(entry.name)
            continue
        exhibit = Planned(f"E{len(planned) + 1:02d}", title, files, None)
        _choose_view(exhibit)
        planned.append(exhibit)
    return planned, skipped


def _examine(path: Path, evidence: Path) -> EvidenceFile:
    relative = path.relative_to(evidence).as_posix()
    with path.open("rb") as stream:
        head = stream.read(SNIFF_BYTES)
    kind = filetype.guess(head)
    mime = kind.mime if kind else ("text/plain" if _is_text(head) else "application/octet-stream")
    view = _view_of(mime, path.name, head)
    stat = path.stat()
    modified = dt.datetime.fromtimestamp(stat.st_mtime).astimezone()
    attributes = Attributes(stat.st_size, modified.isoformat(timespec="seconds"))
    if mime.startswith("image/"):
        attributes = _with_exif(path, attributes)
    return EvidenceFile(path, f"files/{relative}", mime, view, attributes)


def _is_text(head: bytes) -> bool:
    if b"\0" in head:
        return False
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as error:
        return error.start >= len(head) - 3  # a character cut at the end of the sample
    return True


def _view_of(mime: str, name: str, head: bytes) -> str | None:
    """The view that shows this content, when the file's name is one that view takes."""
    kind = mime.split("/")[0]
    if mime == "application/pdf":
        view = "document"
    elif kind in ("image", "video", "audio"):
        view = kind
    elif mime == "text/plain":
        view = "table" if name.lower().endswith(".csv") else "code"
    else:
        return None
    return view if fits_view(view, name) else None


def _with_exif(path: Path, attributes: Attributes) -> Attributes:
    try:
        with Image.open(path) as image:
            exif = image.getexif()
    except (OSError, UnidentifiedImageError, ValueError):
        return attributes
    detail = exif.get_ifd(ExifTags.IFD.Exif)
    taken = detail.get(ExifTags.Base.DateTimeOriginal) or exif.get(ExifTags.Base.DateTime)
    offset = detail.get(ExifTags.Base.OffsetTimeOriginal, "")
    return Attributes(
        attributes.size,
        attributes.modified,
        taken=_exif_time(_clean(taken), _clean(offset)),
        make=_clean(exif.get(ExifTags.Base.Make)),
        model=_clean(exif.get(ExifTags.Base.Model)),
    )


def _clean(value: object) -> str:
    return str(value).replace("\0", "").strip() if isinstance(value, str | bytes) else ""


def _exif_time(taken: str, offset: str) -> str:
    """EXIF's "2024:03:05 14:30:00" (and "+08:00") as an ISO time; as written if odd."""
    try:
        moment = dt.datetime.strptime(taken, "%Y:%m:%d %H:%M:%S")
    except ValueError:
        return taken
    return moment.isoformat() + offset


_MANY = frozenset({"image", "document", "audio", "video", "code"})
"""Views that take several files of their kind (one exhibit of a folder of them)."""


def _choose_view(exhibit: Planned) -> None:
    files = exhibit.files
    views = {f.view for f in files}
    csvs = [f for f in files if f.deck_path.lower().endswith(".csv") and f.view == "table"]
    chat = _chat_columns(csvs[0].source) if len(csvs) == 1 else None
    if chat is not None:
        exhibit.view, exhibit.columns = "chat", chat
        exhibit.files = csvs + [f for f in files if f is not csvs[0]]
    elif len(views) == 1 and None not in views and (len(files) == 1 or views <= _MANY):
        exhibit.view = views.pop()
    elif all(f.view == "code" or f.mime.startswith("image/") for f in files) and any(
        f.view == "code" for f in files
    ):
        # a website dump: its pages and scripts, with their images
        pages = sorted(
            (f for f in files if f.view == "code"),
            key=lambda f: (not f.deck_path.lower().endswith((".html", ".htm")), f.deck_path),
        )
        exhibit.view = "code"
        exhibit.files = pages + [f for f in files if f not in pages]
    else:
        exhibit.view = None
        exhibit.why_no_view = ", ".join(sorted({f.mime for f in files}))


def _chat_columns(path: Path) -> dict[str, str] | None:
    """The chat column mapping when the CSV's header names a time, a sender and a text."""
    try:
        with path.open(encoding="utf-8-sig", newline="") as stream:
            header = next(csv.reader(stream), [])
    except (OSError, UnicodeDecodeError, csv.Error):
        return None
    found: dict[str, str] = {}
    for role, names in CHAT_HEADERS.items():
        match = next((h for h in header if h.strip().lower() in names), None)
        if match is None:
            return None
        found[role] = match
    return found


def _copy_and_hash(
    planned: list[Planned], building: Path, progress: Callable[[int], Progress] | None
) -> None:
    files = [f for exhibit in planned for f in exhibit.files]
    total = sum(f.attributes.size for f in files)
    report = progress(total) if progress else None
    done = 0
    for evidence_file in files:
        target = building / evidence_file.deck_path
        target.parent.mkdir(parents=True, exist_ok=True)
        start = done

        def step(read: int, _size: int, start: int = start) -> None:
            if report:
                report(start + read, total)

        with target.open("xb") as copy:
            evidence_file.digests = integrity.hash_file(
                evidence_file.source, ALGORITHMS, step, copy_to=copy
            )
        shutil.copystat(evidence_file.source, target)
        done += evidence_file.attributes.size
    if report and total == 0:
        report(0, 0)


def _toml(value: str) -> str:
    """A TOML basic string (JSON's escapes are TOML's, and it never writes `\\/`)."""
    return json.dumps(value, ensure_ascii=False)


def _toml_lines(value: str) -> str:
    """A TOML multi-line basic string, one escaped line per line of `value`."""
    return '"""\n' + "\n".join(_toml(line)[1:-1] for line in value.split("\n")) + '"""'


def deck_toml(language: str) -> str:
    words = _words(language)
    return f"""format = 1

[case]
title = {_toml(TODO)}  # {words["case_title"]}
# number = ""
# court = ""
charges = []
defendants = []
presenters = []

[[fact]]  # {words["fact"]}
id = "F1"
text = {_toml(TODO)}
element = {_toml(TODO)}  # identity | conduct | intent | consequence
"""


def item_text(exhibit: Planned, language: str) -> str:
    words = _words(language)
    lines = [
        "+++",
        f"id = {_toml(exhibit.id)}",
        f"title = {_toml(exhibit.title)}",
        f"type = {_toml(TODO)}  # {words['type']}",
    ]
    if exhibit.view is None:
        lines.append(
            f"view = {_toml(TODO)}  # {words['no_view'].format(types=exhibit.why_no_view)}"
        )
    else:
        lines.append(f"view = {_toml(exhibit.view)}  # {words['guessed']}")
    lines.append("files = [")
    lines += [f"  {_toml(f.deck_path)}," for f in exhibit.files]
    lines.append("]")
    if exhibit.columns:
        lines += ["", "[columns]"]
        lines += [f"{role} = {_toml(name)}" for role, name in exhibit.columns.items()]
    lines += [
        "",
        "[source]",
        f"method = {_toml(TODO)}  # {words['method']}",
        f"collectors = [{_toml(TODO)}]",
        "# collected_at = 2024-03-05T14:30:00+08:00",
        '# witnesses = [""]',
        '# holder = ""',
        '# location = ""',
        '# tool = ""',
        '# documents = [""]',
        f"procedure = {_toml_lines(_attributes_text(exhibit, words))}",
    ]
    camera = next((f for f in exhibit.files if f.attributes.make or f.attributes.model), None)
    if camera is not None:
        lines.append(f"# {words['medium'].format(file=camera.deck_path)}")
        lines.append(
            f"medium = {{ brand = {_toml(camera.attributes.make)},"
            f" model = {_toml(camera.attributes.model)} }}"
        )
    for evidence_file in exhibit.files:
        for algorithm in ALGORITHMS:
            lines += [
                "",
                "[[source.hash]]",
                f"file = {_toml(evidence_file.deck_path)}",
                f"algorithm = {_toml(algorithm)}",
                f"value = {_toml(evidence_file.digests[algorithm])}",
            ]
    lines += [
        "",
        f"[[shows]]  # {words['shows']}",
        f"fact = {_toml(TODO)}",
        f"aspect = {_toml(TODO)}  # means | relationship | funds | trajectory | identity | other",
        f"how = {_toml(TODO)}",
        "+++",
        "",
    ]
    return "\n".join(lines)


def _attributes_text(exhibit: Planned, words: dict[str, str]) -> str:
    """The files' own attributes, as a Markdown list for the source's procedure."""
    rows = [words["attributes"]]
    for f in exhibit.files:
        a = f.attributes
        parts = [words["size"].format(size=a.size), words["modified"].format(time=a.modified)]
        if a.taken:
            parts.append(words["taken"].format(time=a.taken))
        if a.make or a.model:
            parts.append(words["camera"].format(device=" ".join(filter(None, (a.make, a.model)))))
        rows.append(
            words["file"].format(path=f.deck_path, mime=f.mime, parts=words["sep"].join(parts))
        )
    return "\n".join(rows)


def _words(language: str) -> dict[str, str]:
    return {key: i18n.pick(pair, language) for key, pair in WORDS.items()}


_TYPES = "platform_post | communication | identity | behaviour | tool | system_log | file"
WORDS: dict[str, tuple[str, str]] = {
    # (zh-CN, en): the messages, and the comments and text written into a new deck
    "bad_id": (
        "牌组文件夹名“{name}”只能由小写字母、数字和“-”组成",
        "the deck folder name '{name}' may only hold lowercase letters, digits and '-'",
    ),
    "exists": (
        "“{path}”已存在且不为空：不会覆盖已有的牌组",
        "'{path}' exists and is not empty: an existing deck is never overwritten",
    ),
    "no_folder": ("证据文件夹“{path}”不存在", "the evidence folder '{path}' does not exist"),
    "empty": ("证据文件夹“{path}”中没有任何文件", "the evidence folder '{path}' holds no file"),
    "case_title": ("案件名称", "the case's name"),
    "fact": ("待证事实：每项一条 [[fact]]", "a fact to prove: one [[fact]] each"),
    "type": (
        "电子数据类别（第27条）：" + _TYPES,
        "the Art. 27 category: " + _TYPES,
    ),
    "guessed": ("按文件内容推断，请核对", "guessed from the content: check it"),
    "no_view": (
        "没有视图能展示此类内容（{types}）：请转换格式，或改用 markdown 说明",
        "no view shows this content ({types}): convert it, or describe it in a markdown item",
    ),
    "method": (
        "收集方式（第28条）：seizure | onsite | online | freeze | retrieval",
        "how it was collected (Art. 28): seizure | onsite | online | freeze | retrieval",
    ),
    "medium": (
        "以下设备信息取自 {file} 的 EXIF（拍摄设备）：请核对是否为原始存储介质",
        "the device below comes from the EXIF of {file} (the camera): check that it is the"
        " original medium",
    ),
    "shows": ("证明对象：证明哪一项待证事实，如何证明", "what it proves: which fact, and how"),
    "attributes": (
        "文件属性（自动读取，请核对）：",
        "File attributes (read automatically, to be checked):",
    ),
    "size": ("大小 {size} 字节", "{size} bytes"),
    "modified": ("修改时间 {time}", "modified {time}"),
    "taken": ("EXIF 拍摄时间 {time}", "EXIF taken {time}"),
    "camera": ("拍摄设备 {device}", "camera {device}"),
    "file": ("- `{path}`（{mime}）：{parts}", "- `{path}` ({mime}): {parts}"),
    "sep": ("；", "; "),
}
