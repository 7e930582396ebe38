"""What a deck must hold beyond its schema: references, files, views, integrity, and warnings."""

from __future__ import annotations

import functools
import os
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from pathlib import Path, PurePosixPath

from .. import csvfile, originals, transcript
from ..bounds import CELL, CUES, LINE
from ..integrity import HashCache, Progress, hash_file
from ..masking import mask_text
from . import chain, replay
from .loader import DeckToml, ItemFile, Located, misnamed_items
from .model import DIGEST_LENGTH, STEP_KEYS, DeckFile, Exhibit, Redaction
from .problems import Problem

_TABLES = tuple(sorted(originals.DELIMITED | originals.SPREADSHEETS))
EXTENSIONS: dict[str, tuple[str, ...]] = {
    "image": (".png", ".jpg", ".jpeg", ".webp", ".gif", ".tif", ".tiff", ".bmp", ".svg")
    + tuple(sorted(originals.PHOTOS)),
    "video": (".mp4", ".m4v", ".webm", ".ogv") + tuple(sorted(originals.VIDEOS)),
    "audio": (".mp3", ".wav", ".ogg", ".oga", ".opus", ".m4a", ".aac", ".flac")
    + tuple(sorted(originals.SOUNDS)),
    "chat": _TABLES,
    "table": _TABLES,
    "chart": _TABLES,
    "document": (".pdf",),
}
"""The originals each view shows, as they are or through a display copy; code takes any
text file, markdown none. Any other file of an item (a forensic image, an archive) is carried
as an original: hashed, verified, listed and bundled, not shown."""

CSV_VIEWS = ("chat", "table", "chart")

COLUMN_ROLES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "chat": (("time", "sender", "text"), ("attachment",)),
    "table": ((), ("amount", "time", "debit", "credit", "direction", "category")),
    "funds": (("time", "from", "to", "amount"), ("channel",)),
    "network": (("source", "target"), ("relation", "weight", "source_role", "target_role")),
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
    store: originals.Store | None = None
    copies: dict[tuple[str, str], originals.Derivation] = dataclass_field(default_factory=dict)
    """Display copies made for the deck, by item id and the original's deck path (a file two
    items list may be shown by each its own way: another sheet, another encoding)."""
    uncopied: set[tuple[str, str]] = dataclass_field(default_factory=set)
    """Originals whose display copy could not be made: said once, not read again."""

    @property
    def deck(self) -> DeckFile | None:
        return self.toml.deck

    def shown(self, exhibit: Exhibit, name: str, path: Path) -> Path:
        """The file a view reads for the item file `name` at `path`: its copy, or itself."""
        copy = self.copies.get((exhibit.id, name))
        return copy.copy if copy is not None else path


def check_deck_file(ctx: Context) -> None:
    """Ids, facts and order in deck.toml."""
    deck, where = ctx.deck, ctx.toml.where
    ctx.problems.extend(misnamed_items(ctx.root))
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
        if mask_text(item_id) != item_id:
            ctx.problems.append(item.where.error("id_holds_number", "id", id=item_id))
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
    exhibit = _paths_spelled_right(ctx, exhibit, where)
    _check_references(ctx, exhibit, where)
    _check_collected_at(ctx, exhibit, where)
    start = len(ctx.problems)
    usable = _check_files(ctx, exhibit, where)
    _set_aside_empty_files(ctx, exhibit, where, usable, start)
    _check_clips(ctx, exhibit, where, usable)
    _check_view(ctx, exhibit, where, usable)
    _check_transcript(ctx, exhibit, where, usable)
    _check_map(ctx, exhibit, where, usable)
    _check_redactions(ctx, exhibit, where, usable)
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
    if extensions is None or (view == "chat" and not lower.endswith(_TABLES)):
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
        usable[name] = path  # type: ignore[assignment]
    shown = [f for f in exhibit.files if f != exhibit.transcript and fits_view(exhibit.view, f)]
    if exhibit.view in CSV_VIEWS:
        if len(exhibit.data_files) != 1:
            ctx.problems.append(
                where.error("file_count", "files", view=exhibit.view, expected="CSV/XLSX")
            )
    elif exhibit.view != "markdown" and not exhibit.files:
        ctx.problems.append(where.error("missing_key", "files"))
    elif exhibit.view != "markdown" and not shown:
        expected = ", ".join(EXTENSIONS[exhibit.view])
        ctx.problems.append(
            where.error(
                "wrong_extension",
                "files",
                0,
                path=exhibit.files[0],
                view=exhibit.view,
                expected=expected,
            )
        )
    _derive_copies(ctx, exhibit, where, usable)
    return usable


def _derive_copies(ctx: Context, exhibit: Exhibit, where: Located, usable: dict[str, Path]):
    """Display copies of the originals the view cannot show as they are (Art. 30(3), 31(3)):
    made once into the instance folder, their derivation recorded."""
    for i, name in enumerate(exhibit.files):
        if name not in usable or (name != exhibit.transcript and not fits_view(exhibit.view, name)):
            continue
        if exhibit.view == "markdown":
            continue
        request = originals.request_for(exhibit, name, usable[name])
        if request is None:
            continue
        store = ctx.store or originals.default_store()
        try:
            made = store.copy_of(name, usable[name], request, _fraction(ctx, name))
            ctx.copies[exhibit.id, name] = made
        except originals.DeriveError as error:
            ctx.uncopied.add((exhibit.id, name))
            zh, en = error.words
            # a chat's attachment that cannot be played is a file the chat names, not shown; a
            # recording played as it is whose metadata cannot be left out is only kept off the
            # public screen
            attachment = exhibit.view == "chat" and name != exhibit.data_file
            severity = "warning" if attachment or request.kind == "strip" else "error"
            ctx.problems.append(
                _table_request_problem(where, name, usable[name], request)
                or where.problem(
                    severity, "display_copy_failed", "files", i, path=name, detail_zh=zh,
                    detail_en=en,
                )
            )  # fmt: skip


def _fraction(ctx: Context, name: str) -> originals.Progress | None:
    """The hashing progress bar, fed a fraction: shown for a large original's conversion."""
    if ctx.progress is None:
        return None
    try:
        size = max(1, (ctx.root / name).stat().st_size)
    except OSError:
        return None
    bar = ctx.progress(f"{name} → 展示件", size)
    if bar is None:
        return None
    reached = [0]

    def tell(fraction: float) -> None:
        done = int(fraction * size)
        if reached[0] < size and done > reached[0]:
            reached[0] = min(done, size)
            bar(reached[0], size)

    return tell


def _main_file(exhibit: Exhibit, usable: dict[str, Path]) -> tuple[str, Path] | None:
    """The file the view shows and the steps refer to: the table of CSV views, else the
    first the view shows."""
    if exhibit.view in CSV_VIEWS:
        name = exhibit.data_file
        return (name, usable[name]) if name in usable else None
    for name in exhibit.files:
        if name != exhibit.transcript and fits_view(exhibit.view, name):
            return (name, usable[name]) if name in usable else None
    return None


def _check_view(ctx: Context, exhibit: Exhibit, where: Located, usable: dict[str, Path]) -> None:
    view = exhibit.view
    _check_table_keys(ctx, exhibit, where)
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
    if _check_several(ctx, exhibit, where, usable):
        return  # several files shown one at a time: each checked with the steps that show it
    main = _main_file(exhibit, usable)
    if main is None:
        return
    name, path = main
    if (exhibit.id, name) in ctx.uncopied:
        return  # why it cannot be shown is said at its place in `files`
    path = ctx.shown(exhibit, name, path)
    if view in CSV_VIEWS and roles is not None:
        start = len(ctx.problems)
        _check_csv(ctx, exhibit, where, name, path, roles)
        if view == "table":
            _check_amounts(ctx, exhibit, where, name, path)
        if exhibit.chart == "funds" and not any(p.is_error for p in ctx.problems[start:]):
            _check_funds_focus(ctx, exhibit, where, path)
    elif view == "code":
        _check_text_lines(ctx, exhibit, where, name, path)
        _check_long_lines(ctx, where, name, path)
    elif view == "document":
        _check_pdf(ctx, exhibit, where, name, path)
    elif view == "image":
        _check_image(ctx, where, name, path)


def _check_funds_focus(ctx: Context, exhibit: Exhibit, where: Located, path: Path) -> None:
    """A warning for a fund-flow chart's step that only focuses (no `until`), where the
    focus lights every flow drawn: the screens show exactly the opening picture."""
    from ..charts import FOLD, ROLES, ChartView, funds  # the figure's own rule, as in court
    from ..formatting import deck_zone, zone_key

    roles = {role: exhibit.column(role) for role in ROLES["funds"]}
    zone = zone_key(deck_zone(ctx.deck.case if ctx.deck else None))
    for i, step in enumerate(exhibit.steps):
        if not step.focus or step.until is not None:
            continue
        view = ChartView(focus=tuple(step.focus), fold=FOLD, zone=zone)
        if funds.focus_unchanged(path, roles, view):
            names = "、".join(step.focus)
            warning = where.warning(
                "funds_focus_unchanged", "step", i, "focus", names=names, number=i + 1
            )
            ctx.problems.append(warning)


# --- tables as banks and platforms deliver them ---------------------------------------------

PREFLIGHT_BYTES = 64 << 20
"""An original larger than this is not read again in the checking process to say why its
copy failed (the copy is made in a limited child): the failure's own words stand."""


def _check_table_keys(ctx: Context, exhibit: Exhibit, where: Located) -> None:
    """`header_row` and `sheet` are for the views that read a table, `sheet` for a workbook
    only; `encoding` for the views that read text (a table, code, a transcript)."""
    tables = exhibit.view in CSV_VIEWS
    reads_text = tables or exhibit.view == "code" or exhibit.transcript is not None
    for key, allowed in (("header_row", tables), ("sheet", tables), ("encoding", reads_text)):
        if getattr(exhibit, key) is not None and not allowed:
            ctx.problems.append(where.error("key_not_for_view", key, view=exhibit.view))
    if exhibit.sheet is not None and tables:
        table = exhibit.data_file
        if table is not None and originals.suffix_of(table) not in originals.SPREADSHEETS:
            ctx.problems.append(where.error("sheet_not_workbook", "sheet", path=table))


def _table_request_problem(
    where: Located, name: str, path: Path, request: originals.Request
) -> Problem | None:
    """Why a table's copy failed, when it is the item's `sheet` or `header_row`: said at
    that key (else None, and the failure's own words stand)."""
    from python_calamine import CalamineError

    from ..originals import sheets

    if request.kind != "table" or path.stat().st_size > PREFLIGHT_BYTES:
        return None
    try:
        if request.sheet is not None and path.suffix.lower() in originals.SPREADSHEETS:
            names = sheets.sheet_names(path)
            if request.sheet not in names:
                listed = "、".join(names)
                return where.error(
                    "sheet_not_found", "sheet", path=name, sheet=request.sheet, sheets=listed
                )
        if request.header_row is not None:
            rows = sheets.row_count(path, request, request.header_row)
            if request.header_row > rows:
                return where.error(
                    "header_row_beyond", "header_row", row=request.header_row, path=name, rows=rows
                )
    except (originals.DeriveError, CalamineError, OSError, ValueError):
        return None
    return None


def _check_amounts(ctx: Context, exhibit: Exhibit, where: Located, name: str, path: Path) -> None:
    """A warning for amount cells (`amount`, `debit`, `credit`) that read as no amount: they
    are left out of the totals and the sort; the first is named."""
    from ..cells import Signing, bad_amount

    roles = {role: exhibit.column(role) for role in ("amount", "debit", "credit", "direction")}
    try:
        rows = csvfile.records(path)
        header = next(rows, [])
        signing = Signing.of(header, roles)
        if not signing.columns:
            return
        first, count = None, 0
        for number, row in enumerate(rows, 1):
            column = bad_amount(row, signing)
            if column is not None:
                count += 1
                first = first or (number, column, row[column])
    except csvfile.CsvError:
        return  # said by _check_csv
    if first is not None:
        row, column, cell = first
        ctx.problems.append(
            where.warning(
                "amount_unreadable", "columns", path=name, row=row, column=header[column],
                cell=cell[:40], cells=count,
            )
        )  # fmt: skip


# --- items of several files, shown one at a time (a gallery, a file list) ------------------

SEVERAL_VIEWS = ("image", "video", "audio", "code", "document")
"""The views that show one of an item's files at a time, the presenter choosing which."""

NOT_CODE = (
    ".e01", ".ex01", ".l01", ".lx01", ".s01", ".aff", ".aff4", ".dd", ".raw", ".img", ".bin",
    ".iso", ".dmg", ".vmdk", ".vhd", ".vhdx", ".ufdr", ".ufd", ".tar", ".zip", ".7z", ".rar",
    ".gz", ".tgz", ".bz2", ".xz", ".zst", ".exe", ".dll", ".so", ".dylib", ".apk", ".ipa",
    ".jar", ".class", ".db", ".sqlite", ".sqlite3", ".doc", ".docx", ".ppt", ".pptx",
)  # fmt: skip
"""Files a code item carries without showing them as text: forensic images, archives,
programs, databases, office files (and the other views' pictures, media and PDFs)."""


def shown_files(exhibit: Exhibit) -> tuple[str, ...]:
    """The item's files its view shows one at a time, in the order of `files`: never the
    transcript, nor a file no view shows (a forensic image, an archive: hashed and listed on
    the Source panel only). Empty for the views that show one file whole (chat, table...)."""
    if exhibit.view not in SEVERAL_VIEWS:
        return ()
    files = [f for f in exhibit.files if f != exhibit.transcript]
    if exhibit.view != "code":
        return tuple(f for f in files if fits_view(exhibit.view, f))
    others = tuple(e for view in ("image", "video", "audio", "document") for e in EXTENSIONS[view])
    return tuple(f for f in files if not f.lower().endswith(NOT_CODE + others))


def find_file(exhibit: Exhibit, name: str) -> tuple[str | None, str | None]:
    """The item's file that `name` names, by its deck path or by its file name alone, and
    None with why not: `step_file_unknown` (no such file), `step_file_ambiguous` (two files of
    that name in different folders)."""
    files = [f for f in exhibit.files if f != exhibit.transcript]
    if name in files:
        return name, None
    named = [f for f in files if PurePosixPath(f).name == name]
    if len(named) > 1:
        return None, "step_file_ambiguous"
    return (named[0], None) if named else (None, "step_file_unknown")


def step_files(exhibit: Exhibit, shown: tuple[str, ...] | None = None) -> tuple[int, ...]:
    """The file each step shows, as its index in `shown` (default: `shown_files`): the file
    it names, else the one the step before it showed (the first for the first step)."""
    shown = shown_files(exhibit) if shown is None else shown
    current, files = 0, []
    for step in exhibit.steps:
        if step.file is not None:
            name, _ = find_file(exhibit, step.file)
            current = shown.index(name) if name in shown else current
        files.append(current)
    return tuple(files)


def _check_several(ctx: Context, exhibit: Exhibit, where: Located, usable: dict[str, Path]) -> bool:
    """The steps' `file` names, then each file the view shows with the steps that show it
    (lines, pages). False, leaving the item to the one-file checks, when it shows one file and
    no step names one."""
    shown = shown_files(exhibit)
    named = any(step.file is not None for step in exhibit.steps)
    if exhibit.view not in SEVERAL_VIEWS or (len(shown) <= 1 and not named):
        return False
    unknown: set[int] = set()  # steps whose file is not known: their ranges are not checked
    for i, step in enumerate(exhibit.steps):
        if step.file is None:
            unknown.update({i} if i - 1 in unknown else set())
            continue
        _, code = find_file(exhibit, step.file)
        if code is not None:
            unknown.add(i)
            paths = ", ".join(f for f in exhibit.files if PurePosixPath(f).name == step.file)
            ctx.problems.append(where.error(code, "step", i, "file", name=step.file, paths=paths))
    on = [-1 if i in unknown else n for i, n in enumerate(step_files(exhibit, shown))]
    for index, name in enumerate(shown):
        if name not in usable or (exhibit.id, name) in ctx.uncopied:
            continue  # missing, outside files/ or not convertible: said in `files`
        path = ctx.shown(exhibit, name, usable[name])
        steps = [(i, step) for i, step in enumerate(exhibit.steps) if on[i] == index]
        if exhibit.view == "code":
            _check_code_file(ctx, where, name, path, steps)
        elif exhibit.view == "document":
            _check_pdf_file(ctx, where, name, path, steps)
        elif exhibit.view == "image":
            _check_image(ctx, where, name, path)
    return True


def _check_code_file(ctx, where: Located, name: str, path: Path, steps: list) -> None:
    try:
        with open(path, encoding="utf-8-sig") as stream:
            count = sum(1 for _ in stream)
    except UnicodeDecodeError as error:
        ctx.problems.append(where.error("unreadable", "files", path=name, detail=str(error)))
        return
    _check_steps_in_file(ctx, where, name, steps, "lines", count, ("行", "lines"))
    _check_long_lines(ctx, where, name, path)


def _check_pdf_file(ctx, where: Located, name: str, path: Path, steps: list) -> None:
    pages = _pdf_pages(ctx, where, name, path)
    if pages is not None:
        _check_steps_in_file(ctx, where, name, steps, "page", pages, ("页", "pages"))


def _pdf_pages(ctx, where: Located, name: str, path: Path) -> int | None:
    """The PDF's page count, or None with the reason it cannot be read said."""
    import pypdfium2

    from .pdf import page_count

    try:
        return page_count(path)
    except pypdfium2.PdfiumError as error:
        ctx.problems.append(where.error("unreadable", "files", path=name, detail=str(error)))
        return None


def _check_steps_in_file(ctx, where: Located, name: str, steps: list, key: str, count: int, unit):
    """`lines` or `page` of the steps that show the file `name` within its `count`."""
    for i, step in steps:
        value = getattr(step, key)
        last = value if isinstance(value, int) or value is None else value.last
        if last is not None and last > count:
            ctx.problems.append(
                where.error(
                    "step_out_of_range_in_file", "step", i, key, key=key, value=str(value),
                    path=name, count=count, unit_zh=unit[0], unit_en=unit[1],
                )
            )  # fmt: skip


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
            cell = row[at].strip() if at is not None and at < len(row) else ""
            if cell and exhibit.attachment(cell) is None:
                ctx.problems.append(
                    where.error(
                        "attachment_unlisted", "files", path=name, row=count, attachment=cell
                    )
                )
            elif cell.lower().endswith(PICTURES):
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
    missing = False
    for role in required + optional:
        if role in required or role in exhibit.columns:
            column = exhibit.column(role)
            if column not in header:
                missing = True
                key = ("columns", role) if role in exhibit.columns else ("files",)
                ctx.problems.append(
                    where.error("csv_missing_column", *key, path=name, column=column, role=role)
                )
    if missing and exhibit.header_row is not None:
        ctx.problems.append(
            where.error(
                "header_row_not_header", "header_row", row=exhibit.header_row,
                cells="、".join(cell for cell in header if cell)[:200],
            )
        )  # fmt: skip
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


PICTURES = (".png", ".jpg", ".jpeg", ".webp", ".gif", ".tif", ".tiff", ".bmp", ".svg", ".heic")
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
    pages = _pdf_pages(ctx, where, name, path)
    if pages is None:
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
    except (UnidentifiedImageError, OSError, SyntaxError, Image.DecompressionBombError) as error:
        # a header claiming a picture too large to draw (a bomb) is a file a screen never gets
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


def _check_map(ctx: Context, exhibit: Exhibit, where: Located, usable: dict[str, Path]) -> None:
    """A trajectory's rows, coordinate system and base map (底图): rows whose time or
    coordinates cannot be read; the map one of the item's files (hashed, verified, bundled
    like them), of a kind drawn, not hostile, and covering the trajectory, read and composed
    as the chart does (presenter.charts.trajectory.problems)."""
    spec = exhibit.basemap
    for key, value in (("crs", exhibit.crs), ("map", spec)):
        if value is not None and exhibit.chart != "trajectory":
            ctx.problems.append(where.error("map_not_for_chart", key))
    if exhibit.chart != "trajectory":
        return
    if spec is not None and spec.file not in exhibit.files:
        ctx.problems.append(where.error("map_not_listed", "map", "file", path=spec.file))
        spec = None
    data = exhibit.data_file
    if data not in usable or (exhibit.id, data) in ctx.uncopied:
        return  # missing, outside files/ or unreadable: said at its place in `files`
    from ..charts import ROLES, trajectory  # the chart's own reading, so check and court agree
    from ..formatting import deck_zone, zone_key

    roles = {role: exhibit.column(role) for role in ROLES["trajectory"]}
    table = ctx.shown(exhibit, data, usable[data])
    found = usable.get(spec.file) if spec is not None else None
    zone = zone_key(deck_zone(ctx.deck.case if ctx.deck else None))
    found_problems = trajectory.problems(table, roles, exhibit, found, data, zone)
    for severity, code, key, params in found_problems:
        ctx.problems.append(where.problem(severity, code, *key, **params))


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
    if name not in usable or (exhibit.id, name) in ctx.uncopied:
        return  # missing, outside files/ or not convertible: said at its place in `files`
    try:
        cues = transcript.read(ctx.shown(exhibit, name, usable[name]))
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


# --- slips a person writing a deck for the first time makes ---------------------------------


def right_spelling(name: str) -> str | None:
    """How a deck path must be written, when `name` is the same path spelled otherwise
    (`./files/x`, `files\\x`, `files//x`, a space at an end); None when it cannot be told
    (absolute, with `..`, or empty: `confine` says why such a path may not be used)."""
    text = name.strip().replace("\\", "/")
    parts = [part for part in text.split("/") if part not in ("", ".")]
    if not parts or text.startswith("/") or ".." in parts or (len(text) > 1 and text[1] == ":"):
        return None
    return "/".join(parts)


def _paths_spelled_right(ctx: Context, exhibit: Exhibit, where: Located) -> Exhibit:
    """An error for each deck path spelled otherwise than it must be, saying how to write it;
    and the item as if each were written so, for the rest of its checks: one slip is one
    error, not a missing file and an unlisted hash besides. Nothing is rewritten: a path is
    the file's name in the hashes and the record."""

    def fix(name: str, *key: str | int) -> str:
        right = right_spelling(name)
        if right is None or right == name:
            return name
        ctx.problems.append(where.error("path_spelling", *key, path=name, fixed=right))
        return right

    source = exhibit.source
    hashes = [
        _with(h, file=fix(h.file, "source", "hash", i, "file")) for i, h in enumerate(source.hashes)
    ]
    records = [
        _with(r, file=fix(r.file, "source", "file", i, "file")) for i, r in enumerate(source.files)
    ]
    steps = [
        _with(step, file=fix(step.file, "step", i, "file")) if step.file is not None else step
        for i, step in enumerate(exhibit.steps)
    ]
    redactions = [
        _with(r, file=fix(r.file, "redact", i, "file")) if r.file is not None else r
        for i, r in enumerate(exhibit.redactions)
    ]
    return _with(
        exhibit,
        files=tuple(fix(name, "files", i) for i, name in enumerate(exhibit.files)),
        transcript=exhibit.transcript and fix(exhibit.transcript, "transcript"),
        source=_with(source, hashes=tuple(hashes), files=tuple(records)),
        steps=tuple(steps),
        redactions=tuple(redactions),
    )


def _with(frozen, **changes):
    """A copy of a frozen deck object with some fields changed (its init takes the deck's
    key names, not the field names, so dataclasses.replace cannot rebuild it)."""
    import copy

    twin = copy.copy(frozen)
    for name, value in changes.items():
        object.__setattr__(twin, name, value)
    return twin


def _set_aside_empty_files(
    ctx: Context, exhibit: Exhibit, where: Located, usable: dict[str, Path], start: int
) -> None:
    """An empty (0-byte) file is an error, and nothing else is checked of it: what the file
    checks since `start` said of it is dropped, and it is no longer usable."""
    for i, name in enumerate(exhibit.files):
        path = usable.get(name)
        if path is None or path.stat().st_size > 0:
            continue
        del usable[name]
        ctx.copies.pop((exhibit.id, name), None)
        ctx.problems[start:] = [
            p for p in ctx.problems[start:] if p.path != where.path or p.params.get("path") != name
        ]
        ctx.problems.append(where.error("file_empty", "files", i, path=name))


def _check_collected_at(ctx: Context, exhibit: Exhibit, where: Located) -> None:
    """A collection cannot have happened later than now, read in the deck's time zone (a
    date: later than today there)."""
    import datetime as dt

    from ..formatting import deck_zone

    moment = exhibit.source.collected_at
    if moment is None:
        return
    now = dt.datetime.now(deck_zone(ctx.deck.case if ctx.deck else None))
    if isinstance(moment, dt.datetime):
        late, shown = moment > now, now.isoformat(timespec="minutes")
    else:
        late, shown = moment > now.date(), now.date().isoformat()
    if late:
        ctx.problems.append(
            where.error(
                "collected_in_future", "source", "collected_at", value=moment.isoformat(), now=shown
            )
        )


CLIP_SLACK = 0.05
"""Seconds a clip may end after the length ffmpeg reports (which it rounds to 1/100 s)."""


def _check_clips(ctx: Context, exhibit: Exhibit, where: Located, usable: dict[str, Path]) -> None:
    """A step's clip must end within the sound or video it plays (its length from ffmpeg)."""
    from .. import probe

    if exhibit.view not in MEDIA_VIEWS or not any(s.clip for s in exhibit.steps):
        return
    shown = shown_files(exhibit)
    on = step_files(exhibit, shown)
    for i, step in enumerate(exhibit.steps):
        name = shown[on[i]] if step.clip is not None and shown else None
        if name not in usable:
            continue  # missing, empty or outside files/: said at its place in `files`
        length = probe.duration(usable[name])
        if length is not None and step.clip.end > length + CLIP_SLACK:
            ctx.problems.append(
                where.error(
                    "clip_beyond_media", "step", i, "clip",
                    end=clock(step.clip.end), path=name, length=clock(length),
                )
            )  # fmt: skip


def clock(seconds: float) -> str:
    """Seconds as a clip writes them: 62.5 -> "00:01:02.5"."""
    whole = int(seconds)
    text = f"{whole // 3600:02d}:{whole % 3600 // 60:02d}:{whole % 60:02d}"
    fraction = f"{seconds - whole:.2f}"[1:].rstrip("0").rstrip(".")
    return text + fraction


# --- regions kept from the public screen (`[[redact]]`) -------------------------------------

REDACTED_VIEWS = ("image", "document", "video", "chat")
"""The views that send pixels to a screen: a `[[redact]]` on any other is a mistake (the
numbers in their text are masked on a public screen already)."""


def redactable_files(exhibit: Exhibit) -> tuple[str, ...]:
    """The item's files whose pixels a screen is sent, in the order of `files`: those an
    image, document or video item shows; a chat's picture and video attachments."""
    if exhibit.view == "chat":
        videos = EXTENSIONS["video"]
        return tuple(
            f for f in exhibit.files
            if f not in exhibit.data_files and f.lower().endswith(PICTURES + videos)
        )  # fmt: skip
    return shown_files(exhibit) if exhibit.view in REDACTED_VIEWS else ()


def is_video(name: str) -> bool:
    """Whether a deck path names a video (its redactions have times, not pages)."""
    return name.lower().endswith(EXTENSIONS["video"])


def redaction_file(exhibit: Exhibit, redaction: Redaction) -> tuple[str | None, str | None]:
    """The file a `[[redact]]` covers, by deck path, or None and the code of why not: its
    `file`, else the item's one file with pixels."""
    files = redactable_files(exhibit)
    if redaction.file is None:
        return (files[0], None) if len(files) == 1 else (None, "redact_file_needed")
    name, code = find_file(exhibit, redaction.file)
    if code == "step_file_unknown":
        return None, "redact_file_unknown"
    if code is not None:
        return None, code
    return (name, None) if name in files else (None, "redact_file_no_pixels")


def _check_redactions(
    ctx: Context, exhibit: Exhibit, where: Located, usable: dict[str, Path]
) -> None:
    """Each `[[redact]]` is on a file of the item with pixels, on a page of its document,
    with a time range only on a video, and one that starts within it."""
    files = redactable_files(exhibit)
    if exhibit.redactions and not files:
        ctx.problems.append(where.error("redact_no_pixels", "redact", view=exhibit.view))
        return
    for i, redaction in enumerate(exhibit.redactions):
        name, code = redaction_file(exhibit, redaction)
        if name is None:
            ctx.problems.append(_redaction_file_problem(exhibit, where, i, redaction.file, code))
        elif is_video(name):
            _check_redaction_times(ctx, where, i, redaction, name, usable.get(name))
        else:
            _check_redaction_page(ctx, exhibit, where, i, redaction, name, usable.get(name))


def _redaction_file_problem(
    exhibit: Exhibit, where: Located, i: int, file: str | None, code: str | None
) -> Problem:
    if file is None:  # redact_file_needed
        paths = ", ".join(redactable_files(exhibit))
        return where.error(str(code), "redact", i, paths=paths)
    paths = ", ".join(f for f in exhibit.files if PurePosixPath(f).name == file)
    return where.error(str(code), "redact", i, "file", name=file, paths=paths)


def _check_redaction_page(
    ctx: Context,
    exhibit: Exhibit,
    where: Located,
    i: int,
    redaction: Redaction,
    name: str,
    path: Path | None,
) -> None:
    """A picture's or a document's redaction: no time range, a page within the file."""
    for key, value in (("from", redaction.start), ("to", redaction.end)):
        if value is not None:
            ctx.problems.append(where.error("redact_time_not_video", "redact", i, key, path=name))
    pages = _redaction_pages(ctx, exhibit, name, path)
    if pages is not None and (redaction.page or 1) > pages:
        ctx.problems.append(
            where.error(
                "step_out_of_range_in_file", "redact", i, "page", key="page",
                value=redaction.page, path=name, count=pages, unit_zh="页", unit_en="pages",
            )
        )  # fmt: skip


def _redaction_pages(ctx: Context, exhibit: Exhibit, name: str, path: Path | None) -> int | None:
    """The pages of a file a redaction is on: a picture has one; a document its count (None
    when it cannot be read: said at its place in `files`)."""
    if not name.lower().endswith(".pdf"):
        return 1
    if path is None or (exhibit.id, name) in ctx.uncopied:
        return None
    import pypdfium2

    from .pdf import page_count

    try:
        return page_count(ctx.shown(exhibit, name, path))
    except pypdfium2.PdfiumError:
        return None


def _check_redaction_times(
    ctx: Context, where: Located, i: int, redaction: Redaction, name: str, path: Path | None
) -> None:
    """A video's redaction: `from` before `to`, and `from` within the video (a box that
    starts after its end never covers anything; a `to` past the end holds to the end)."""
    from .. import probe

    start, end = redaction.start, redaction.end
    if start is not None and end is not None and start >= end:
        ctx.problems.append(
            where.error("redact_time_order", "redact", i, "to", start=clock(start), end=clock(end))
        )
        return
    if start is None or path is None:
        return
    length = probe.duration(path)
    if length is not None and start >= length:
        ctx.problems.append(
            where.error(
                "redact_after_media", "redact", i, "from", start=clock(start), path=name,
                length=clock(length),
            )
        )  # fmt: skip
