"""The command line: serve a deck (the default), check a deck, hash files."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from . import integrity
from .deck import DeckReport, load_deck, summary

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEMO_DECK = PROJECT_ROOT / "decks" / "demo"
DEFAULT_INSTANCE = PROJECT_ROOT / "instance"
PROGRESS_THRESHOLD = 64 << 20
"""Files above this size get a progress bar while they are hashed."""


class DefaultToServe(click.Group):
    """`python app.py [DECK_DIR] [options]` serves; any other first word names a command."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if not args or (args[0] not in self.commands and args[0] not in ("--help", "-h")):
            args = ["serve", *args]
        return super().parse_args(ctx, args)


def _language() -> str:
    return os.environ.get("SHIZHENG_LANG", "zh-CN")


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
    return _Bar(name, size) if size > PROGRESS_THRESHOLD else None


def check_report(deck_dir: Path, instance: Path, force: bool = False) -> DeckReport:
    cache = None if force else integrity.HashCache(instance / "hash-cache.sqlite3")
    return load_deck(deck_dir, hash_cache=cache, progress=_progress)


def print_report(report: DeckReport, language: str) -> None:
    for problem in report.problems:
        click.echo(problem.render(language))
    click.echo(summary(list(report.problems), language))


@main.command()
@click.argument("deck_dir", type=click.Path(path_type=Path))
@click.option("--force", is_flag=True, help="Re-read every file, ignoring the hash cache.")
@LANG_OPTION
@INSTANCE_OPTION
def check(deck_dir: Path, force: bool, lang: str, instance: Path) -> None:
    """Validate a deck: every problem with its file and key; exit 0, or 1 on any error."""
    report = check_report(deck_dir, instance, force)
    print_report(report, lang)
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


@main.command()
@click.argument("deck_dir", required=False, type=click.Path(path_type=Path), default=DEMO_DECK)
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=5000, show_default=True, type=int, help="Port to listen on.")
@LANG_OPTION
@INSTANCE_OPTION
def serve(deck_dir: Path, host: str, port: int, lang: str, instance: Path) -> None:
    """Serve a deck to the presenter and the court screens (default: the demo deck)."""
    from . import create_app

    report = check_report(deck_dir, instance)
    if report.deck is None:
        print_report(report, lang)
        sys.exit(1)
    for problem in report.warnings:
        click.echo(problem.render(lang), err=True)
    app = create_app(report.deck, instance_path=instance)
    click.echo(f"Presenter:  http://{host}:{port}/")
    app.run(host=host, port=port, debug=False, use_reloader=False)
