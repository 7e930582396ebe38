"""What a deck must hold beyond its schema: references, files, views, integrity, and warnings."""

from __future__ import annotations

import functools
import os
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from .. import csvfile, transcript
from ..bounds import CELL, CUES, LINE
from ..integrity import HashCache, Progress, hash_file
from . import chain, replay
from .loader import DeckToml, ItemFile, Located
from .model import DIGEST_LENGTH, STEP_KEYS, DeckFile, Exhibit
from .problems import Problem

EXTENSIONS: dict[str, tuple[str, ...]] = {
    "image": (".png", ".jpg", ".jpeg", ".webp", ".gif", ".tif", ".tiff", ".bmp", ".svg"),
    "video": (".mp4", ".webm"),
    "audio": (".mp3", ".wav", ".ogg", ".m4a"),
    "chat": (".csv",),
    "table": (".csv",),
    "chart": (".csv",),
    "document": (".pdf",),
}
"""The files each view shows; code takes any text file, markdown none."""

CSV_VIEWS = ("chat", "table", "chart")

COLUMN_ROLES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "chat": (("time", "sender", "text"), ("attachment",)),
    "table": ((), ("amount", "time")),
    "funds": (("time", "from", "to", "amount"), ("channel",)),
    "network": (("source", "target"), ("relation", "weight")),
    "timeline": (("start", "actor", "event"), ("end",)),
    "trajectory": (("time", "lat", "lon"), ("label", "place")),
}
"""(required, optional) column roles, by view or chart kind."""

ProgressFactory = Callable[[str, int], Progress | None]
"""Given a file (relative path) and its size, a progress callback for hashing it, or None."""


@dataclass
class Context:
    root: Path
    toml: DeckToml
    items: list[ItemFile]
    problems: list[Problem]
    hash_cache: HashCache | None
    verify_hashes: bool
    progress: ProgressFactory | None

    @property
    def deck(self) -> DeckFile | None:
        return self.toml.deck


def check_deck_file(ctx: Context) -> None:
    """Ids, facts and order in deck.toml."""
    deck, where = ctx.deck, ctx.toml.where
    if deck is None:
        return
    seen: dict[str, str] = {}
    for i, fact in enumerate(deck.facts):
        if fact.id in seen:
            ctx.problems.append(
                where.error("duplicate_id", "fact", i, "id", id=fact.id, other="deck.toml")
            )
        seen[fact.id] = "deck.toml"
    owners: dict[str, str] = {}
    for i, evidence in enumerate(deck.evidence):
        if evidence.id in owners:
            ctx.problems.append(
                where.error("duplicate_id", "evidence", i, "id", id=evidence.id, other="deck.toml")
            )
        owners[evidence.id] = "deck.toml"
    for item in ctx.items:
        item_id = item.raw_id
        if item_id is None:
            continue
        if item_id in owners:
            ctx.problems.append(
                item.where.error("duplicate_id", "id", id=item_id, other=owners[item_id])
            )
        else:
            owners[item_id] = item.where.path
    if deck.order is not None:
        item_ids = [i.raw_id for i in ctx.items if i.raw_id]
        counts = Counter(deck.order)
        for i, entry in enumerate(deck.order):
            if entry not in item_ids:
                ctx.problems.append(where.error("order_unknown", "order", i, id=entry))
            elif counts[entry] > 1 and deck.order.index(entry) == i:
                ctx.problems.append(where.error("order_duplicate", "order", i, id=entry))
        missing = [i for i in item_ids if i not in counts]
        if missing:
            ctx.problems.append(where.error("order_missing", "order", ids=", ".join(missing)))


def check_item(ctx: Context, item: ItemFile) -> None:
    exhibit, where = item.exhibit, item.where
    if exhibit is None:
        _check_raw_files(ctx, item)
        return
    _check_references(ctx, exhibit, where)
    usable = _check_files(ctx, exhibit, where)
    _check_view(ctx, exhibit, where, usable)
    _check_transcript(ctx, exhibit, where, usable)
    _check_hashes(ctx, exhibit, where, usable)
    if not exhibit.shows:
        ctx.problems.append(where.warning("no_shows", "shows"))
    if exhibit.files and not exhibit.source.hashes:
        ctx.problems.append(where.warning("no_hash", "source", "hash"))
    for i, defect in enumerate(exhibit.source.defects):
        if not defect.remedy.strip():
            ctx.problems.append(
                where.warning(
                    "defect_unremedied", "source", "defect", i, "remedy", what=defect.what
                )
            )


def _check_references(ctx: Context, exhibit: Exhibit, where: Located) -> None:
    facts, evidence = ctx.toml.ids("fact"), ctx.toml.ids("evidence")
    if facts is None or evidence is None:
        return
    others = evidence | {i.raw_id for i in ctx.items if i.raw_id}
    for i, shows in enumerate(exhibit.shows):
        if shows.fact not in facts:
            ctx.problems.append(where.error("unknown_fact", "shows", i, "fact", id=shows.fact))
    for i, link in enumerate(exhibit.corroborates):
        if link.with_ == exhibit.id:
            ctx.problems.append(where.error("self_reference", "corroborates", i, "with"))
        elif link.with_ not in others:
            ctx.problems.append(
                where.error("unknown_reference", "corroborates", i, "with", id=link.with_)
            )
        if link.fact is not None and link.fact not in facts:
            ctx.problems.append(
                where.error("unknown_fact", "corroborates", i, "fact", id=link.fact)
            )


EVIDENCE_FOLDER = "files"
"""Where a deck keeps its exhibit files (DECK-FORMAT): the only place one may be."""


def evidence_folder(root: Path) -> Path:
    return (root / EVIDENCE_FOLDER).resolve()


def is_deck_file(root: Path, path: Path) -> bool:
    """Whether `path` is, under any name (a symlinked folder, a hard link), the deck's own
    deck.toml or an item: the files that hold the presenter's notes."""
    try:
        target = os.stat(path)
        items, deck_toml = os.stat(root / "items"), os.stat(root / "deck.toml")
    except OSError:
        return False
    # asked on every file request (each range of a video): the items' identities are read
    # again only when the items folder or deck.toml changed
    identity = (items.st_mtime_ns, deck_toml.st_ino, deck_toml.st_mtime_ns)
    return (target.st_dev, target.st_ino) in _deck_file_ids(str(root), identity)


@functools.lru_cache(maxsize=16)
def _deck_file_ids(root: str, identity: tuple[int, ...]) -> frozenset[tuple[int, int]]:
    ids = set()
    for file in [Path(root, "deck.toml"), *Path(root, "items").glob("*")]:
        try:
            known = os.stat(file)
        except OSError:
            continue
        ids.add((known.st_dev, known.st_ino))
    return frozenset(ids)


def confine(root: Path, relative: str) -> tuple[Path | None, str | None]:
    """The file a deck path names, or the code of why it may not be used.

    Paths never leave the deck's files/ folder: no absolute path, no '..', no symlink
    pointing out of it, and so never an item (its notes, challenges and review) or deck.toml.
    """
    pure = PurePosixPath(relative)
    if (
        pure.is_absolute()
        or relative.startswith("\\")
        or (len(relative) > 1 and relative[1] == ":")
    ):
        return None, "path_absolute"
    if ".." in pure.parts:
        return None, "path_parent"
    target = root / pure
    if not target.exists() and not target.is_symlink():
        return None, "file_missing"
    resolved = target.resolve()
    if not resolved.is_relative_to(root.resolve()):
        return None, "path_escapes"
    if not resolved.is_relative_to(evidence_folder(root)) or is_deck_file(root, resolved):
        return None, "path_outside_files"  # items/*.md hold notes, challenges and review
    if not resolved.is_file():
        return None, "not_a_file"
    return resolved, None


def _check_raw_files(ctx: Context, item: ItemFile) -> None:
    """Missing or escaping files of an item whose front matter is otherwise invalid."""
    files = (item.raw or {}).get("files")
    if not isinstance(files, list):
        return
    for i, name in enumerate(files):
        if isinstance(name, str):
            _, code = confine(ctx.root, name)
            if code:
                ctx.problems.append(item.where.error(code, "files", i, path=name))


def fits_view(view: str, name: str) -> bool:
    """Whether a file of this name is one the view shows (chat also takes its attachments)."""
    extensions = EXTENSIONS.get(view)
    lower = name.lower()
    if extensions is None or (view == "chat" and not lower.endswith(".csv")):
        return True
    return lower.endswith(extensions)


def _check_files(ctx: Context, exhibit: Exhibit, where: Located) -> dict[str, Path]:
    """Check every file of the item; the ones that can be read, by their deck path."""
    usable: dict[str, Path] = {}
    for i, name in enumerate(exhibit.files):
        if exhibit.files.index(name) < i:
            ctx.problems.append(where.error("duplicate_file", "files", i, path=name))
            continue
        path, code = confine(ctx.root, name)
        if code:
            ctx.problems.append(where.error(code, "files", i, path=name))
            continue
        if name != exhibit.transcript and not fits_view(exhibit.view, name):
            expected = ", ".join(EXTENSIONS[exhibit.view])
            ctx.problems.append(
                where.error(
                    "wrong_extension", "files", i, path=name, view=exhibit.view, expected=expected
                )
            )
            continue
        usable[name] = path  # type: ignore[assignment]
    if exhibit.view == "markdown" and exhibit.files:
        ctx.problems.append(where.error("markdown_files", "files"))
    elif exhibit.view in CSV_VIEWS:
        csvs = [f for f in exhibit.files if f.lower().endswith(".csv")]
        if len(csvs) != 1 or (exhibit.view != "chat" and len(exhibit.files) != 1):
            ctx.problems.append(
                where.error("file_count", "files", view=exhibit.view, expected="CSV")
            )
    elif exhibit.view != "markdown" and not exhibit.files:
        ctx.problems.append(where.error("missing_key", "files"))
    return usable


def _main_file(exhibit: Exhibit, usable: dict[str, Path]) -> tuple[str, Path] | None:
    """The file the view shows and the steps refer to: the CSV of CSV views, else the first."""
    for name in exhibit.files:
        if exhibit.view not in CSV_VIEWS or name.lower().endswith(".csv"):
            return (name, usable[name]) if name in usable else None
    return None


def _check_view(ctx: Context, exhibit: Exhibit, where: Located, usable: dict[str, Path]) -> None:
    view = exhibit.view
    if view == "chart" and exhibit.chart is None:
        ctx.problems.append(where.error("chart_required", "chart"))
    if view != "chart" and exhibit.chart is not None:
        ctx.problems.append(where.error("key_not_for_view", "chart", view=view))
    if exhibit.language is not None:
        if view != "code":
            ctx.problems.append(where.error("key_not_for_view", "language", view=view))
        elif not _known_language(exhibit.language):
            ctx.problems.append(where.error("unknown_language", "language", value=exhibit.language))
    roles = COLUMN_ROLES.get(exhibit.chart if view == "chart" else view)  # type: ignore[arg-type]
    if exhibit.columns and roles is None and not (view == "chart" and exhibit.chart is None):
        ctx.problems.append(where.error("key_not_for_view", "columns", view=view))
    allowed = sorted((roles or ((), ()))[0] + (roles or ((), ()))[1])
    for role in exhibit.columns:
        if roles is not None and role not in allowed:
            ctx.problems.append(
                where.error(
                    "column_role_unknown",
                    "columns",
                    role,
                    view=exhibit.chart or view,
                    role=role,
                    allowed=", ".join(allowed),
                )
            )
    for i, step in enumerate(exhibit.steps):
        for key in sorted(step.keys() - STEP_KEYS[view]):
            ctx.problems.append(
                where.error(
                    "step_key_not_for_view",
                    "step",
                    i,
                    key,
                    view=view,
                    key=key,
                    allowed=", ".join(sorted(STEP_KEYS[view])) or "label",
                )
            )
    main = _main_file(exhibit, usable)
    if main is None:
        return
    name, path = main
    if view in CSV_VIEWS and roles is not None:
        _check_csv(ctx, exhibit, where, name, path, roles)
    elif view == "code":
        _check_text_lines(ctx, exhibit, where, name, path)
        _check_long_lines(ctx, where, name, path)
    elif view == "document":
        _check_pdf(ctx, exhibit, where, name, path)
    elif view == "image":
        _check_image(ctx, where, name, path)


def _known_language(name: str) -> bool:
    from pygments.lexers import get_lexer_by_name
    from pygments.util import ClassNotFound

    try:
        get_lexer_by_name(name)
    except ClassNotFound:
        return False
    return True


def _check_csv(ctx, exhibit: Exhibit, where: Located, name: str, path: Path, roles) -> None:
    """Columns, attachments, step ranges and cells too long for a screen, read as the views
    read the file (presenter.csvfile)."""
    required, optional = roles
    attachment = exhibit.column("attachment") if exhibit.view == "chat" else None
    wanted = [k for k in ("messages", "rows") if any(getattr(s, k) for s in exhibit.steps)]
    shown = exhibit.view in ("chat", "table")  # cells a screen shows, and may cut
    count, long_cells, first_long = 0, 0, None
    pictures: set[int] = set()  # the chat messages with a picture attached
    try:
        rows = csvfile.records(path)
        header = next(rows, [])
        at = header.index(attachment) if attachment in header else None
        for count, row in enumerate(rows if wanted or shown or at is not None else (), 1):
            if at is not None and at < len(row) and row[at] and row[at] not in exhibit.files:
                ctx.problems.append(
                    where.error(
                        "attachment_unlisted", "files", path=name, row=count, attachment=row[at]
                    )
                )
            elif at is not None and at < len(row) and row[at].lower().endswith(PICTURES):
                pictures.add(count)
            if shown and max(map(len, row)) > CELL:
                long_cells += sum(len(cell) > CELL for cell in row)
                if first_long is None:
                    column = next(i for i, cell in enumerate(row) if len(cell) > CELL)
                    first_long = (count, column, len(row[column]))
    except csvfile.CsvError as error:
        detail = f"{error.line}: {error.detail}" if error.line else error.detail
        ctx.problems.append(where.error("unreadable", "files", path=name, detail=detail))
        return
    for role in required + optional:
        if role in required or role in exhibit.columns:
            column = exhibit.column(role)
            if column not in header:
                key = ("columns", role) if role in exhibit.columns else ("files",)
                ctx.problems.append(
                    where.error("csv_missing_column", *key, path=name, column=column, role=role)
                )
    if first_long is not None:
        row, i, length = first_long
        ctx.problems.append(
            where.warning(
                "csv_long_cell",
                "files",
                path=name,
                row=row,
                column=header[i] if i < len(header) else f"#{i + 1}",
                length=f"{length:,}",
                limit=f"{CELL:,}",
                cells=long_cells,
            )
        )
    units = {"messages": ("条消息", "messages"), "rows": ("行数据", "data rows")}
    for key in wanted:
        _check_range_steps(ctx, exhibit, where, key, count, units[key])
    if exhibit.view == "chat":
        _check_chat_steps(ctx, exhibit, where, count, pictures)


PICTURES = (".png", ".jpg", ".jpeg", ".webp", ".gif", ".tif", ".tiff", ".bmp", ".svg")
"""A chat attachment shown as a picture (a thumbnail, and large on a step)."""


def _check_chat_steps(
    ctx, exhibit: Exhibit, where: Located, count: int, pictures: set[int]
) -> None:
    """A picture shown large must be one; a callout needs it; and as the chat is replayed
    (presenter.deck.replay), a step that goes back or changes nothing is a warning."""
    for i, step in enumerate(exhibit.steps):
        if step.attachment is not None and step.attachment > count:
            ctx.problems.append(
                where.error(
                    "step_out_of_range", "step", i, "attachment", key="attachment",
                    value=step.attachment, count=count, unit_zh="条消息", unit_en="messages",
                ),
            )  # fmt: skip
        elif step.attachment is not None and step.attachment not in pictures:
            ctx.problems.append(
                where.error(
                    "attachment_not_picture", "step", i, "attachment", message=step.attachment
                )
            )
        if step.region is not None and step.attachment is None:
            ctx.problems.append(where.error("region_needs_attachment", "step", i, "region"))
    for i, shown in replay.backwards(exhibit.steps):
        value = str(exhibit.steps[i].messages)
        ctx.problems.append(
            where.warning("chat_step_backwards", "step", i, "messages", value=value, shown=shown)
        )
    for i in replay.unchanged(exhibit.steps):
        key = ("messages",) if exhibit.steps[i].messages is not None else ()
        ctx.problems.append(where.warning("chat_step_unchanged", "step", i, *key))


def _check_range_steps(ctx, exhibit: Exhibit, where: Located, key: str, count: int, unit) -> None:
    for i, step in enumerate(exhibit.steps):
        value = getattr(step, key)
        if value is not None and value.last > count:
            ctx.problems.append(
                where.error(
                    "step_out_of_range",
                    "step",
                    i,
                    key,
                    key=key,
                    value=str(value),
                    count=count,
                    unit_zh=unit[0],
                    unit_en=unit[1],
                )
            )


def _check_text_lines(ctx, exhibit: Exhibit, where: Located, name: str, path: Path) -> None:
    try:
        with open(path, encoding="utf-8-sig") as stream:
            count = sum(1 for _ in stream)
    except UnicodeDecodeError as error:
        ctx.problems.append(where.error("unreadable", "files", path=name, detail=str(error)))
        return
    _check_range_steps(ctx, exhibit, where, "lines", count, ("行", "lines"))


def _check_long_lines(ctx, where: Located, name: str, path: Path) -> None:
    """A warning when a line of a code file is longer than what a screen shows of it. Read a
    piece at a time: one line may be the whole of a 50 MB file."""
    lines = long_lines = 0
    first_long = None
    try:
        with open(path, encoding="utf-8-sig") as stream:  # lines split as the code view does
            length = 0
            while piece := stream.readline(1 << 16):
                length += len(piece)
                if not piece.endswith("\n"):
                    continue
                lines += 1
                if length - 1 > LINE:
                    long_lines += 1
                    first_long = first_long or (lines, length - 1)
                length = 0
            if length > LINE:
                long_lines += 1
                first_long = first_long or (lines + 1, length)
    except UnicodeDecodeError:
        return  # reported by _check_text_lines
    if first_long is not None:
        line, length = first_long
        ctx.problems.append(
            where.warning(
                "code_long_line",
                "files",
                path=name,
                line=line,
                length=f"{length:,}",
                limit=f"{LINE:,}",
                lines=long_lines,
            )
        )


def _check_pdf(ctx, exhibit: Exhibit, where: Located, name: str, path: Path) -> None:
    import pypdfium2

    from .pdf import page_count

    try:
        pages = page_count(path)
    except pypdfium2.PdfiumError as error:
        ctx.problems.append(where.error("unreadable", "files", path=name, detail=str(error)))
        return
    for i, step in enumerate(exhibit.steps):
        if step.page is not None and step.page > pages:
            ctx.problems.append(
                where.error(
                    "step_out_of_range",
                    "step",
                    i,
                    "page",
                    key="page",
                    value=step.page,
                    count=pages,
                    unit_zh="页",
                    unit_en="pages",
                )
            )


def _check_image(ctx, where: Located, name: str, path: Path) -> None:
    from PIL import Image, UnidentifiedImageError

    if path.suffix.lower() == ".svg":  # drawn to PNG for the screens (presenter/rendering.py)
        _check_svg(ctx, where, name, path)
        return
    try:
        with Image.open(path) as image:
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError) as error:
        ctx.problems.append(where.error("unreadable", "files", path=name, detail=str(error)))


def _check_svg(ctx, where: Located, name: str, path: Path) -> None:
    import xml.etree.ElementTree as ElementTree

    try:
        root = ElementTree.parse(path).getroot()  # expat refuses entity expansion bombs
    except (ElementTree.ParseError, OSError) as error:
        ctx.problems.append(where.error("unreadable", "files", path=name, detail=str(error)))
        return
    if not root.tag.endswith("svg"):
        detail = f"not an SVG picture (<{root.tag}>)"
        ctx.problems.append(where.error("unreadable", "files", path=name, detail=detail))


MEDIA_VIEWS = ("audio", "video")
"""The views that play, and may have a transcript."""


def _check_transcript(
    ctx: Context, exhibit: Exhibit, where: Located, usable: dict[str, Path]
) -> None:
    """A transcript is one of the item's files (so it is hashed, verified and exported like
    them), of a kind the reader knows, readable to its last line, and within what a screen
    is sent."""
    name = exhibit.transcript
    if name is None:
        return
    if exhibit.view not in MEDIA_VIEWS:
        ctx.problems.append(where.error("key_not_for_view", "transcript", view=exhibit.view))
        return
    if name not in exhibit.files:
        ctx.problems.append(where.error("transcript_not_listed", "transcript", path=name))
        return
    if not any(f != name for f in exhibit.files):
        ctx.problems.append(where.error("transcript_no_media", "files", view=exhibit.view))
    if not name.lower().endswith(transcript.SUFFIXES):
        ctx.problems.append(where.error("transcript_kind", "transcript", path=name))
        return
    if name not in usable:
        return  # missing or outside files/: said at its place in `files`
    try:
        cues = transcript.read(usable[name])
    except transcript.TranscriptError as error:
        at = f"{name}:{error.line}" if error.line else name
        zh, en = error.words
        ctx.problems.append(
            where.error("transcript_malformed", "transcript", at=at, detail_zh=zh, detail_en=en)
        )
        return
    if len(cues) > CUES:
        ctx.problems.append(
            where.warning(
                "transcript_long", "transcript", path=name, cues=f"{len(cues):,}", limit=f"{CUES:,}"
            )
        )
    long_lines = sum(len(cue.text) > CELL for cue in cues)
    if long_lines:
        ctx.problems.append(
            where.warning(
                "transcript_long_line", "transcript", path=name, lines=long_lines, limit=f"{CELL:,}"
            )
        )


def _check_hashes(ctx: Context, exhibit: Exhibit, where: Located, usable: dict[str, Path]) -> None:
    wanted: dict[str, list[int]] = {}
    for i, recorded in enumerate(exhibit.source.hashes):
        length = DIGEST_LENGTH[recorded.algorithm]
        if recorded.file not in exhibit.files:
            ctx.problems.append(
                where.error("hash_file_not_listed", "source", "hash", i, "file", path=recorded.file)
            )
        elif len(recorded.value) != length:
            ctx.problems.append(
                where.error(
                    "bad_hex_length",
                    "source",
                    "hash",
                    i,
                    "value",
                    algorithm=recorded.algorithm,
                    length=length,
                    actual=len(recorded.value),
                )
            )
        elif recorded.file in usable:
            wanted.setdefault(recorded.file, []).append(i)
    if not ctx.verify_hashes:
        return
    for name, indexes in wanted.items():
        path = usable[name]
        algorithms = [exhibit.source.hashes[i].algorithm for i in indexes]
        progress = ctx.progress(name, os.stat(path).st_size) if ctx.progress else None
        try:
            if ctx.hash_cache is not None:
                computed = ctx.hash_cache.hash_file(path, algorithms, progress)
            else:
                computed = hash_file(path, algorithms, progress)
        except OSError as error:
            ctx.problems.append(
                where.error("unreadable", "files", path=name, detail=error.strerror)
            )
            continue
        for i in indexes:
            recorded = exhibit.source.hashes[i]
            if computed[recorded.algorithm] != recorded.value:
                ctx.problems.append(
                    where.error(
                        "hash_mismatch",
                        "source",
                        "hash",
                        i,
                        "value",
                        path=name,
                        algorithm=recorded.algorithm,
                        recorded=recorded.value,
                        computed=computed[recorded.algorithm],
                    )
                )


def check_facts(ctx: Context) -> None:
    """Warnings on the case as a whole: facts nothing shows, and 孤证 (the evidence chain's
    own verdict, the one the case matrix shows)."""
    where = ctx.toml.where
    if ctx.deck is None or any(i.exhibit is None for i in ctx.items):
        return  # an item that could not be read may show any fact: no guessing
    exhibits = [i.exhibit for i in ctx.items if i.exhibit is not None]
    supports = chain.analyse(ctx.deck.facts, ctx.deck.evidence, exhibits)
    for i, support in enumerate(supports):
        fact = support.fact
        if not support.shown:
            ctx.problems.append(where.warning("fact_unshown", "fact", i, "id", id=fact.id))
        elif support.confession_only:
            ctx.problems.append(where.warning("fact_confession_only", "fact", i, "id", id=fact.id))
        elif support.lone:
            ctx.problems.append(
                where.warning(
                    "fact_uncorroborated",
                    "fact",
                    i,
                    "id",
                    id=fact.id,
                    item="、".join((*support.items, *support.evidence)),
                )
            )
