"""The command line: serve a deck (the default), check a deck, hash files."""

from __future__ import annotations

import contextlib
import os
import sys
from pathlib import Path

import click

from . import integrity
from .deck import DeckReport, load_deck, summary
from .i18n import pick
from .i18n.cli import CLI_WORDS

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEMO_DECK = PROJECT_ROOT / "decks" / "demo"
DEFAULT_INSTANCE = PROJECT_ROOT / "instance"
PROGRESS_THRESHOLD = 64 << 20
"""Files above this size get a progress bar while they are hashed or converted."""
CONVERSION_THRESHOLD = 4 << 20
"""Originals above this size get a progress bar while their display copy is made (a 60 MB
workbook takes half a minute)."""
CONVERSION_MARK = "→"
"""In a progress label from the check: the display copy of the file named before it."""
DISPLAY_COPIES = "display"
"""The instance's folder of display copies derived from originals (presenter.originals)."""


class DefaultToServe(click.Group):
    """`python app.py [DECK_DIR] [options]` serves; any other first word names a command."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if not args or (args[0] not in self.commands and args[0] not in ("--help", "-h")):
            args = ["serve", *args]
        return super().parse_args(ctx, args)


def _language() -> str:
    return os.environ.get("SHIZHENG_LANG", "zh-CN")


ASPECTS = ("4:3", "16:10", "16:9", "21:9")
"""The shapes of court screens: projectors (4:3, 16:10), displays (16:9) and wide walls."""

LANG_OPTION = click.option(
    "--lang",
    type=click.Choice(["zh-CN", "en"]),
    default=_language,
    show_default="zh-CN, or $SHIZHENG_LANG",
    help="Language of the report.",
)
INSTANCE_OPTION = click.option(
    "--instance",
    type=click.Path(file_okay=False, path_type=Path),
    default=DEFAULT_INSTANCE,
    show_default="instance/ beside app.py",
    help="Folder for runtime data: state, records, caches.",
)


@click.group(cls=DefaultToServe, context_settings={"help_option_names": ["-h", "--help"]})
def main() -> None:
    """Shizheng (示证): present electronic evidence in court.

    Without a command, serves a deck (the demo deck unless DECK_DIR is given).
    """


class _Bar:
    """A click progress bar on stderr for one large file, fed by integrity's callbacks."""

    def __init__(self, label: str, size: int) -> None:
        self._bar = click.progressbar(length=size, label=label, file=sys.stderr, width=30)
        self._bar.__enter__()
        self._done = 0

    def __call__(self, done: int, total: int) -> None:
        self._bar.update(done - self._done)
        self._done = done
        if done >= total:
            self._bar.__exit__(None, None, None)


def _progress(name: str, size: int) -> _Bar | None:
    # a conversion (its label "… → 展示件") takes far longer a byte than hashing does
    threshold = CONVERSION_THRESHOLD if CONVERSION_MARK in name else PROGRESS_THRESHOLD
    return _Bar(name, size) if size > threshold else None


@contextlib.contextmanager
def _told(failure: type[Exception]):
    """A failure the user can fix (`failure`, or the file system's) said in a line, exit 1."""
    try:
        yield
    except failure as error:
        click.echo(str(error), err=True)
        sys.exit(1)
    except OSError as error:
        click.echo(f"{error.filename}: {error.strerror}", err=True)
        sys.exit(1)


def check_report(deck_dir: Path, instance: Path, force: bool = False) -> DeckReport:
    from .originals import Store

    cache = None if force else integrity.HashCache(instance / "hash-cache.sqlite3")
    store = Store(instance / DISPLAY_COPIES)
    return load_deck(deck_dir, hash_cache=cache, progress=_progress, store=store)


def print_report(report: DeckReport, language: str) -> None:
    for problem in report.problems:
        click.echo(problem.render(language))
    click.echo(summary(list(report.problems), language))


@main.command()
@click.argument("deck_dir", type=click.Path(path_type=Path))
@click.option("--force", is_flag=True, help="Re-read every file, ignoring the hash cache.")
@click.option(
    "--redactions",
    is_flag=True,
    help="Also find ID, mobile and bank card numbers in the pictures and PDF pages, and list them.",
)
@click.option("--confirm", multiple=True, metavar="ID", help="Black out this found number.")
@click.option("--dismiss", multiple=True, metavar="ID", help="Show this found number.")
@click.option("--confirm-all", is_flag=True, help="Black out every found number not decided.")
@LANG_OPTION
@INSTANCE_OPTION
def check(
    deck_dir: Path,
    force: bool,
    redactions: bool,
    confirm: tuple[str, ...],
    dismiss: tuple[str, ...],
    confirm_all: bool,
    lang: str,
    instance: Path,
) -> None:
    """Validate a deck: every problem with its file and key; exit 0, or 1 on any error.
    With --redactions (or a decision), the numbers found in its pictures for public screens."""
    report = check_report(deck_dir, instance, force)
    print_report(report, lang)
    if report.deck is not None and (redactions or confirm or dismiss or confirm_all):
        from .redaction.report import redactions_report

        folder = instance / report.deck.id
        decisions = (confirm, dismiss, confirm_all)
        for line in redactions_report(folder, report.deck, lang, *decisions, bar=_Bar):
            click.echo(line)
    sys.exit(1 if report.errors else 0)


@main.command("hash")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--algorithm",
    "-a",
    "algorithms",
    multiple=True,
    type=click.Choice(integrity.ALGORITHMS, case_sensitive=False),
    help="md5, sha1, sha256 or sm3; repeat for several (all in one read). Default sha256.",
)
def hash_command(files: tuple[Path, ...], algorithms: tuple[str, ...]) -> None:
    """Print integrity check values as `ALGO  VALUE  FILE` lines."""
    wanted = [a.lower() for a in algorithms] or ["sha256"]
    failed = False
    for path in files:
        try:
            size = path.stat().st_size
            digests = integrity.hash_file(path, wanted, _progress(str(path), size))
        except OSError as error:
            click.echo(f"{path}: {error.strerror}", err=True)
            failed = True
            continue
        for algorithm in wanted:
            click.echo(f"{algorithm}  {digests[algorithm]}  {path}")
    sys.exit(1 if failed else 0)


@main.command("new")
@click.argument("deck_dir", type=click.Path(path_type=Path))
@click.option(
    "--from",
    "evidence",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="The folder of evidence: one exhibit per file or per sub-folder.",
)
@LANG_OPTION
@INSTANCE_OPTION
def new_command(deck_dir: Path, evidence: Path, lang: str, instance: Path) -> None:
    """Scaffold a new deck from a folder of evidence; then report what is left to fill in."""
    from .scaffold import ScaffoldError, scaffold

    def bar(total: int) -> _Bar:
        return _Bar(_words(lang, "copying"), total)

    with _told(ScaffoldError):
        made = scaffold(deck_dir, evidence, bar, lang)
    for name in made.skipped:
        click.echo(_words(lang, "skipped").format(name=name), err=True)
    for exhibit in made.exhibits:
        view = exhibit.view or "TODO"
        click.echo(f"{exhibit.id}  {view:<8}  {exhibit.title}  ({len(exhibit.files)})")
    report = check_report(deck_dir, instance)
    print_report(report, lang)


@main.command("import")
@click.argument("deck_dir", type=click.Path(path_type=Path))
@click.option(
    "--from",
    "source",
    required=True,
    type=click.Path(path_type=Path),
    help="A UFDR, a CASE/UCO JSON-LD file, a WeChat/QQ chat export (CSV, HTML, TXT, or its"
    " folder), or with --mapping any CSV/XLSX.",
)
@click.option(
    "--mapping",
    type=click.Path(dir_okay=False, path_type=Path),
    help="A spreadsheet's mapping file (TOML: title, type, view, [columns]; docs/import.md).",
)
@LANG_OPTION
@INSTANCE_OPTION
def import_command(
    deck_dir: Path, source: Path, mapping: Path | None, lang: str, instance: Path
) -> None:
    """Make a deck, or add to one, from a forensic report or an export; then report what is
    left to fill in."""
    from .importing import ImportFailure, import_into

    with _told(ImportFailure):
        made = import_into(deck_dir, source, lang, mapping)
    for note in made.notes:
        click.echo(note, err=True)
    for item in made.items:
        click.echo(f"{item.id}  {item.view or 'TODO':<8}  {item.title}  ({len(item.files)})")
    print_report(check_report(deck_dir, instance), lang)


def _loaded(deck_dir: Path, instance: Path, lang: str) -> DeckReport:
    """The deck, checked; exits 1 with the report when it has any error."""
    report = check_report(deck_dir, instance)
    if report.deck is None or report.errors:
        print_report(report, lang)
        sys.exit(1)
    return report


def _item_list(ctx: click.Context, param: click.Parameter, value: str | None):
    return None if value is None else [v for v in value.split(",") if v.strip()]


@main.command("export")
@click.argument("deck_dir", type=click.Path(path_type=Path))
@click.option(
    "--out",
    required=True,
    type=click.Path(path_type=Path),
    help="A new folder for the bundle (DIR.zip is written beside it).",
)
@click.option("--items", callback=_item_list, help="Only these items, e.g. E01,E03.")
@click.option(
    "--mask", is_flag=True, help="Mask ID, mobile and card numbers, as on a public screen."
)
@click.option(
    "--catalogue-only",
    is_flag=True,
    help="Write only the paperwork: the 证据目录 (DOCX and CSV) and the 举证提纲 (DOCX).",
)
@click.option("--pdf", is_flag=True, help="Also print the bundle to one PDF (needs chromium).")
@LANG_OPTION
@INSTANCE_OPTION
def export_command(
    deck_dir: Path,
    out: Path,
    items: list[str] | None,
    mask: bool,
    catalogue_only: bool,
    pdf: bool,
    lang: str,
    instance: Path,
) -> None:
    """Write the pre-trial bundle (Art. 46): pages that open anywhere, the 证据目录, a manifest."""
    from .export.bundle import ExportError, export_bundle
    from .export.manifest import MANIFEST
    from .export.printing import PrintError

    report = _loaded(deck_dir, instance, lang)
    try:
        made = export_bundle(
            report, out, items=items, mask=mask, lang=lang, catalogue_only=catalogue_only,
            pdf=pdf, instance=instance,
        )  # fmt: skip
    except ExportError as error:
        click.echo(str(error), err=True)
        sys.exit(1)
    except PrintError as error:
        click.echo(_words(lang, "no_pdf").format(detail=error), err=True)
        sys.exit(1)
    click.echo(str(made.folder))
    if made.archive:
        click.echo(str(made.archive))
    if made.pdf:
        click.echo(str(made.pdf))
    if not catalogue_only:
        from .integrity import hash_file

        digest = hash_file(made.folder / MANIFEST, ["sha256"])["sha256"]
        click.echo(f"sha256  {digest}  {made.folder / MANIFEST}")


@main.command("export-case")
@click.argument("deck_dir", type=click.Path(path_type=Path))
@click.option(
    "--out", required=True, type=click.Path(dir_okay=False, path_type=Path), help="FILE.jsonld"
)
@LANG_OPTION
@INSTANCE_OPTION
def export_case_command(deck_dir: Path, out: Path, lang: str, instance: Path) -> None:
    """Write the deck's provenance as CASE/UCO JSON-LD: each exhibit's collection, medium,
    files with their check values, and a provenance record."""
    import json

    from .export.case_uco import case_graph

    report = _loaded(deck_dir, instance, lang)
    graph = case_graph(report.deck)  # type: ignore[arg-type]
    try:
        out.write_text(json.dumps(graph, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    except OSError as error:
        click.echo(f"{out}: {error.strerror}", err=True)
        sys.exit(1)
    click.echo(str(out))


@main.command("verify-bundle")
@click.argument("folder", type=click.Path(path_type=Path))
@click.option(
    "--expect",
    metavar="SHA",
    help="The manifest's SHA-256 as printed by export, in the index and the 证据目录.",
)
@LANG_OPTION
def verify_bundle_command(folder: Path, expect: str | None, lang: str) -> None:
    """Re-hash a bundle against its manifest, and the manifest against the SHA-256 printed
    on paper: exit 0, or 1 naming each changed, missing or added file."""
    from .export.manifest import describe, verify_bundle

    check = verify_bundle(folder, expect)
    for line in describe(check, folder, lang, expect):
        click.echo(line, err=not check.ok)
    sys.exit(0 if check.ok else 1)


def _words(lang: str, key: str) -> str:
    return pick(CLI_WORDS[key], lang)


@main.command("verify-record")
@click.argument("file", type=click.Path(path_type=Path))
@click.option(
    "--expect",
    metavar="HEAD",
    help="The head noted down when the record ended (at least its first 16 hex digits).",
)
@click.option(
    "--checkpoints",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Signed checkpoints a court screen saved (its JSON file).",
)
@click.option(
    "--public-key",
    metavar="FP",
    help="The signing key's fingerprint as printed at start (at least 16 hex digits).",
)
@LANG_OPTION
def verify_record_command(
    file: Path, expect: str | None, checkpoints: Path | None, public_key: str | None, lang: str
) -> None:
    """Check a presentation record: its hash chain, its closing entry and signed checkpoints,
    and, when given, the head noted down, the checkpoints a screen kept and the key's
    fingerprint. Exit 0 when all hold, 1 naming each that does not."""
    from .i18n.record import MESSAGES
    from .live.record import audit, describe, describe_finding
    from .live.signing import read_checkpoints

    kept = None
    if checkpoints is not None:
        try:
            kept = read_checkpoints(checkpoints)
        except (OSError, ValueError) as error:
            detail = getattr(error, "strerror", None) or str(error)
            click.echo(
                f"{checkpoints}: {_words(lang, 'no_checkpoints').format(detail=detail)}", err=True
            )
            sys.exit(1)
    try:
        result = audit(file, expect, kept, public_key)
    except OSError as error:
        words = pick(MESSAGES["unreadable"], lang).format(detail=error.strerror)
        click.echo(f"{file}: {words}", err=True)
        sys.exit(1)
    click.echo(describe(result.check, str(file), lang), err=not result.check.ok)
    for finding in result.findings:
        click.echo(f"{file}: {describe_finding(finding, lang)}", err=finding.bad)
    sys.exit(0 if result.ok else 1)


@main.command("record")
@click.argument("file", type=click.Path(path_type=Path))
@click.option(
    "--out",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="FILE.html or FILE.csv.",
)
@LANG_OPTION
def record_command(file: Path, out: Path, lang: str) -> None:
    """Write a presentation record as a readable page or CSV, its chain's verdict and anchors
    at the top; exit 1 when the chain is broken or not anchored (the file is written all the
    same)."""
    from .export.record_report import read_report, write_csv, write_html

    suffix = out.suffix.lower()
    if suffix not in (".html", ".csv"):
        raise click.BadParameter(_words(lang, "record_out"), param_hint="--out")
    try:
        report = read_report(file, lang)
        (write_html if suffix == ".html" else write_csv)(report, out, lang)
    except OSError as error:
        click.echo(f"{error.filename}: {error.strerror}", err=True)
        sys.exit(1)
    click.echo(report.verdict, err=not report.check.ok)
    for words, bad in report.findings:
        click.echo(words, err=bad)
    sys.exit(0 if report.ok else 1)


def _key(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    from .live.access import key_problem

    lang = ctx.params.get("lang") or _language()
    problem = key_problem(value, lang) if value else None
    if problem:
        # name where the key came from: the option, or the environment variable
        from_env = ctx.get_parameter_source(param.name) == click.core.ParameterSource.ENVIRONMENT
        hint = f"${param.envvar}" if from_env and param.envvar else None
        raise click.BadParameter(problem, param_hint=hint)
    return value


_ORIGIN = r"https?://([A-Za-z0-9.\-]+|\[[0-9A-Fa-f:.]+\])(:\d{1,5})?"


def _peers(ctx, param, values: tuple[str, ...]) -> tuple[str, ...]:
    """Each `--peer` as an origin (`http://host:port`), or the option's error."""
    import re

    origins = []
    for value in values:
        origin = value.strip().rstrip("/")
        if not re.fullmatch(_ORIGIN, origin):
            raise click.BadParameter(f"{value!r}: http://host:port")
        origins.append(origin)
    return tuple(origins)


def _shown_url(url: str | None) -> str:
    """A Redis URL as printed: without its password."""
    import re

    return re.sub(r"//[^@/]*@", "//***@", url or "")


@main.command()
@click.argument("deck_dir", required=False, type=click.Path(path_type=Path), default=DEMO_DECK)
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=5000, show_default=True, type=int, help="Port to listen on.")
@click.option(
    "--presenter-key",
    envvar="SHIZHENG_PRESENTER_KEY",
    callback=_key,
    help="Key of the presenter link (default: random, kept in the instance folder).",
)
@click.option(
    "--screen-key",
    envvar="SHIZHENG_SCREEN_KEY",
    callback=_key,
    help="Key of the court screens' link (default: random, kept in the instance folder).",
)
@click.option(
    "--public-key",
    envvar="SHIZHENG_PUBLIC_KEY",
    callback=_key,
    help="Key of the public gallery's screen link, masked by the server (default: random, kept).",
)
@click.option(
    "--start",
    type=click.Choice(["logo", "black"]),
    default="logo",
    show_default=True,
    help="What the screens show before the first exhibit: the case's title, or black.",
)
@click.option(
    "--aspect",
    type=click.Choice(ASPECTS),
    default="16:9",
    show_default=True,
    help="The court screens' shape: the picture is laid out at that ratio, letterboxed on others.",
)
@click.option(
    "--no-public-mask",
    is_flag=True,
    help="Show ID, mobile and card numbers whole on the public screen too.",
)
@click.option(
    "--max-clients",
    type=click.IntRange(16, 4096),
    default=128,
    show_default=True,
    help="Screens and pages connected at once (a thread each); more for a large audience.",
)
@click.option(
    "--redis",
    "redis_url",
    envvar="SHIZHENG_REDIS",
    metavar="URL",
    help="Carry the presentation with every process started with the same deck and URL"
    " (redis://… or redis+sentinel://…); see docs/cluster.md.",
)
@click.option(
    "--peer",
    "peers",
    multiple=True,
    callback=_peers,
    metavar="URL",
    help="Another process's address (http://host:port), where screens move if this one"
    " stops answering; repeat for each.",
)
@LANG_OPTION
@INSTANCE_OPTION
def serve(
    deck_dir: Path,
    host: str,
    port: int,
    presenter_key: str | None,
    screen_key: str | None,
    public_key: str | None,
    start: str,
    aspect: str,
    no_public_mask: bool,
    max_clients: int,
    redis_url: str | None,
    peers: tuple[str, ...],
    lang: str,
    instance: Path,
) -> None:
    """Serve a deck to the presenter and the court screens (default: the demo deck)."""
    import threading

    from . import create_app
    from .live.access import KeyClash
    from .live.cluster import DeckDiffers, TermsDiffer
    from .live.machine import Refused
    from .live.signing import spaced
    from .live.sockets import live
    from .live.watch import watch_deck
    from .views.table import start_preparing
    from .web.server import run

    report = check_report(deck_dir, instance)
    if report.deck is None:
        print_report(report, lang)
        sys.exit(1)
    for problem in report.problems:
        click.echo(problem.render(lang), err=True)
    shown = _lan_address() if host in ("0.0.0.0", "::") else host
    try:
        app = create_app(
            report,
            instance_path=instance,
            presenter_key=presenter_key,
            screen_key=screen_key,
            public_key=public_key,
            public_mask=not no_public_mask,
            start=start,
            aspect=aspect,
            redis=redis_url,
            peers=peers,
            process=f"{shown}:{port}",
        )
    except KeyClash as clash:
        options = ", ".join(f"--{kind}-key" for kind in clash.kinds)
        raise click.UsageError(_words(lang, "key_clash").format(options=options)) from None
    except DeckDiffers as differs:
        items = ", ".join(differs.items)
        click.echo(_words(lang, "cluster_deck_differs").format(items=items), err=True)
        sys.exit(1)
    except TermsDiffer:
        click.echo(_words(lang, "cluster_terms_differ"), err=True)
        sys.exit(1)
    except (Refused, ValueError) as error:  # Redis away, or a URL it cannot read
        detail = str(error.__cause__ or error) if not isinstance(error, Refused) else "—"
        click.echo(
            _words(lang, "cluster_unreachable").format(url=_shown_url(redis_url), detail=detail),
            err=True,
        )
        sys.exit(1)
    court = app.extensions["shizheng.court"]
    start_preparing(court.deck, app.instance_path)  # tables ready before they are opened
    court.start_detecting()  # numbers in pictures found before a public screen shows them
    keys = court.access
    if redis_url:
        click.echo(_words(lang, "cluster_joined").format(url=_shown_url(redis_url)))
    # the labels are the protocol's, for people and scripts alike; Public is 旁听席屏幕
    base = f"http://{shown}:{port}"
    click.echo(f"Presenter:  {base}/present?key={keys.presenter_key}")
    click.echo(f"Screens:    {base}/screen?key={keys.screen_key}")
    click.echo(f"Public:     {base}/screen?key={keys.public_key}")
    click.echo(f"Expert:     {base}/present?key={keys.expert_key}")
    for peer in peers:  # the same links open there, should this process be down already
        click.echo(_words(lang, "standby").format(peer=peer))
    click.echo(_words(lang, "fingerprint").format(fingerprint=spaced(court.signer.fingerprint)))
    if shown != host:
        click.echo(_words(lang, "every_interface").format(host=host), err=True)

    def changed(new: DeckReport) -> None:
        with app.app_context():
            court.reload(new, lang)
            live().tell_control()  # the presenter's banner: the new errors, or none
        start_preparing(court.deck, app.instance_path)
        court.start_detecting()

    stop = threading.Event()
    server = _listening(app, host, port, max_clients)

    def failed(error: BaseException) -> None:
        with app.app_context():
            court.deck_problems = [_words(lang, "reload_failed").format(detail=repr(error))]
            live().tell_control()

    if not redis_url:  # with other processes, every copy of the deck must stay the same
        watch_deck(deck_dir, lambda: check_report(deck_dir, instance), changed, stop, failed)
    try:
        run(server)
    finally:
        stop.set()
        closing = court.stop()  # the closing entry: the record ends here, whole
        if closing is not None:
            click.echo(_head_words(lang, closing))
        if not redis_url:  # one of several stopping: the others still serve those screens
            court.access.end_session()  # a clean stop ends the session; a crash resumes it


@main.command("edit")
@click.argument("deck_dir", required=False, type=click.Path(path_type=Path))
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=5001, show_default=True, type=int, help="Port to listen on.")
@click.option(
    "--editor-key",
    envvar="SHIZHENG_EDITOR_KEY",
    callback=_key,
    help="Key of the editor's link (default: random, kept in the instance folder).",
)
@LANG_OPTION
@INSTANCE_OPTION
def edit_command(
    deck_dir: Path | None, host: str, port: int, editor_key: str | None, lang: str, instance: Path
) -> None:
    """Prepare decks in the browser: the decks under decks/ (or DECK_DIR's folder, opened)."""
    from . import create_editor
    from .i18n import pick
    from .i18n.editor import EDITOR_WORDS
    from .web.server import run

    root, opened = PROJECT_ROOT / "decks", None
    if deck_dir is not None:
        if (deck_dir / "deck.toml").is_file():
            root, opened = deck_dir.resolve().parent, deck_dir.resolve().name
        else:
            root = deck_dir
    app = create_editor(root, instance_path=instance, key=editor_key, opened=opened, language=lang)
    server = _listening(app, host, port)
    shown = _lan_address() if host in ("0.0.0.0", "::") else host
    click.echo(f"Editor:     http://{shown}:{port}/?key={app.config['EDITOR_KEY']}")
    if host not in ("127.0.0.1", "localhost", "::1"):
        click.echo(pick(EDITOR_WORDS["editor_exposed"], lang).format(host=host), err=True)
    try:
        run(server)
    finally:
        app.extensions["shizheng.editor"].previews.stop()


def _listening(app, host: str, port: int, clients: int | None = None):
    """The app's server on `host:port`, answering the names it is reached by (`clients`
    connections at once, when given); the command ends with the system's words when the
    address cannot be had."""
    from .web.server import CourtServer, Limits, served_hosts

    app.config["SERVED_HOSTS"] = served_hosts(host)
    limits = Limits(max_active=clients) if clients else None
    try:
        return CourtServer(app, host, port, limits)
    except OSError as error:
        click.echo(f"{host}:{port}: {error.strerror or error}", err=True)
        sys.exit(1)


def _head_words(lang: str, closing: dict) -> str:
    """The record's head as the clerk notes it down when the presentation ends."""
    from .live.signing import spaced

    return _words(lang, "record_ended").format(
        file=closing["file"], entries=closing["entries"], head=spaced(closing["head"])
    )


def _lan_address() -> str:
    """This machine's address on the local network, as screens will reach it."""
    import socket

    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        try:
            probe.connect(("192.0.2.1", 9))  # no packet is sent: this only picks a route
            return probe.getsockname()[0]
        except OSError:
            return socket.gethostbyname(socket.gethostname())
