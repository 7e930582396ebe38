"""The pre-trial bundle (Art. 46): the case for the court and the defence, as plain files.

The pages are drawn by the same views and panels as the court screens, in the app's own
request context (so what the bundle shows is what a screen shows, masked as a `public` screen
with `--mask`); every URL of the app they name is fetched through the app once and saved
under `assets/`, and the page is rewritten to point at the saved file. What a screen loads as
it goes (a document's other pages, a chart's figure, more rows) is written out whole or as
data files instead, so the folder opens from `file://` with no server and no network.

Only what the court may see is read: items are rendered through the court's renderers, the
deck's item files (which hold the presenter's notes, challenges and review) are never copied,
and excluded items (Art. 44) are left out.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import html
import json
import mimetypes
import re
import shutil
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, urlsplit

from flask import Flask, g, render_template, url_for
from werkzeug.exceptions import HTTPException

from .. import formatting, i18n
from ..deck import Deck, DeckReport, Exhibit
from ..i18n.export import BUNDLE_WORDS
from ..masking import AppUrl, mask_text
from . import catalogue, leaveout
from .manifest import SEAL, write_manifest

ROWS_SHOWN = 1000
"""A table's rows written into its page; the whole file is in the bundle (unless masked)."""
MESSAGES_SHOWN = 5000
CATALOGUE_NAME = "证据目录"
SEALED = ("index.html", f"{CATALOGUE_NAME}.docx")
"""The files that print the manifest's SHA-256 (sealed: presenter.export.manifest)."""

_APP_REF = re.compile(r'\b(src|href)="(/[^"]*)"')
_APP_DATA = re.compile(r'\sdata-[a-z-]+="/[^"]*"')
"""data-* attributes holding app URLs a screen's scripts fetch from: dead in a bundle."""


class ExportError(Exception):
    """Something the user can fix: the message says what and where."""


@dataclass(frozen=True)
class Exported:
    folder: Path
    archive: Path | None
    pdf: Path | None


def export_bundle(
    report: DeckReport,
    out: Path,
    *,
    items: Iterable[str] | None = None,
    mask: bool = False,
    lang: str | None = None,
    catalogue_only: bool = False,
    pdf: bool = False,
    instance: Path | None = None,
) -> Exported:
    """Write the bundle for the loaded deck of `report` into the new folder `out` (and
    `out.zip`); with `catalogue_only`, only the 证据目录 as DOCX and CSV. A masked bundle's
    pictures are redacted with the detection results and decisions of the instance folder
    `instance` (detection runs there first where it has not run)."""
    deck = report.deck
    if deck is None:
        raise ExportError("the deck did not load")
    lang = lang or deck.case.language
    say = i18n.pick_all(BUNDLE_WORDS, lang)
    chosen = _choose(deck, items, say)
    out = Path(out)
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        raise ExportError(say["exists"].format(path=out))
    out.parent.mkdir(parents=True, exist_ok=True)
    building = Path(tempfile.mkdtemp(prefix=f".{out.name}.", dir=out.parent))
    building.chmod(0o777 & ~_umask())  # as readable as what it holds (mkdtemp makes it 0700)
    printed = None
    try:
        with tempfile.TemporaryDirectory() as temporary:
            from .. import create_app

            app = create_app(report, instance_path=temporary)
            if mask:
                _redact_as_for_the_public(app, deck, instance)
            try:
                with app.test_request_context("/", base_url="http://localhost"):
                    g.mask_public = mask
                    writer = _Writer(app, building, deck, chosen, mask=mask, lang=lang)
                    writer.catalogue(alone=catalogue_only)
                    if not catalogue_only:
                        writer.pages()
            finally:
                app.extensions["shizheng.court"].close()
        if pdf and not catalogue_only:
            from .printing import print_pdf

            printed = print_pdf(building / "print.html", building / f"{CATALOGUE_NAME}.pdf")
        if not catalogue_only:
            write_manifest(building, sealed=SEALED)
        if out.exists():
            out.rmdir()
        building.rename(out)
    except BaseException:
        shutil.rmtree(building, ignore_errors=True)
        raise
    archive = None
    if not catalogue_only:
        archive = Path(shutil.make_archive(str(out), "zip", root_dir=out.parent, base_dir=out.name))
    return Exported(out, archive, out / printed.name if printed else None)


def _umask() -> int:
    """The process's umask, read without setting it (os.umask would, for every thread)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("Umask:"):
                return int(line.split()[1], 8)
    except (OSError, ValueError, IndexError):
        pass
    return 0o022


def _redact_as_for_the_public(app: Flask, deck: Deck, instance: Path | None) -> None:
    """A masked bundle's pictures, pages and videos are a public screen's: every box that
    holds blacked out (presenter.redaction.apply), with detection's results and decisions
    from `instance` (or the bundle's own temporary instance), run now where it has not run,
    and a video's redacted copy made before its page is written. A picture detection could
    not read is left out (a public screen is never sent a picture not checked)."""
    from ..redaction.detect import detect_deck

    if instance is not None:
        app.config["REDACTION_INSTANCE"] = str(instance)
    app.config["REDACTION_WAIT"] = True
    detect_deck(Path(instance or app.instance_path, deck.id), deck)


def _choose(deck: Deck, items: Iterable[str] | None, say: dict[str, str]) -> list[Exhibit]:
    """The exhibits asked for, in the deck's order; never an excluded one (Art. 44)."""
    shown = [e for e in deck.exhibits if not e.excluded]
    if items is None:
        return shown
    wanted = [i.strip() for i in items if i.strip()]
    known = {e.id for e in deck.exhibits}
    unknown = [i for i in wanted if i not in known]
    if unknown:
        raise ExportError(say["unknown"].format(ids=", ".join(unknown)))
    excluded = [i for i in wanted if deck.exhibit(i).excluded]  # type: ignore[union-attr]
    if excluded:
        raise ExportError(say["excluded"].format(ids=", ".join(excluded)))
    return [e for e in shown if e.id in wanted]


_NO_DIGITS = str.maketrans("0123456789", "ghijklmnop")
"""A masked bundle's asset names are hex written without digits (as file tokens are), so
masking never reads a number in one."""

DERIVATIONS = "derivations.json"
"""The bundle's record of display copies derived from originals (presenter.originals)."""


class _Writer:
    """Writes one bundle, fetching what its pages name through the app."""

    def __init__(
        self, app: Flask, root: Path, deck: Deck, exhibits: list[Exhibit], *, mask: bool, lang: str
    ) -> None:
        self.app, self.root, self.deck, self.exhibits = app, root, deck, exhibits
        self.mask, self.lang = mask, lang
        self.t = i18n.translator(lang)
        self.chosen = {e.id for e in exhibits}
        # a court screen's rights, never the presenter's: the public screen's with --mask
        court = app.extensions["shizheng.court"]
        kind = "public" if mask else "screen"
        self.client = app.test_client()
        self.client.set_cookie(court.cookies[kind], court.access.keys[kind])
        self.routes = app.url_map.bind("localhost")
        self.saved: dict[str, str | None] = {}
        self.left_out: dict[str, leaveout.Reason] = {}
        """The originals a masked bundle does not carry, by deck path: why (_copy_files)."""
        self.rows = catalogue.rows(deck, exhibits, lang, mask=mask)
        # when, in the deck's time zone as the court reads every time
        self.exported = formatting.moment(
            dt.datetime.now(dt.UTC), formatting.deck_zone(deck.case), seconds=True
        ).split(".")[0]

    # -- the catalogue ----------------------------------------------------------------------
    def catalogue(self, alone: bool = False) -> None:
        """The paperwork: the 证据目录 (DOCX and CSV) and the 举证提纲 (DOCX; and as
        outline.html unless `alone`, the paperwork exported by itself). In a bundle the
        catalogue's DOCX prints the manifest's SHA-256 (`SEAL` until the manifest is
        written: presenter.export.manifest)."""
        from . import outline

        catalogue.write_docx(
            self.rows,
            self.deck,
            self.root / f"{CATALOGUE_NAME}.docx",
            self.lang,
            self.mask,
            seal=None if alone else SEAL,
        )
        catalogue.write_csv(self.rows, self.root / f"{CATALOGUE_NAME}.csv", self.lang)
        points = outline.outline(self.deck, self.exhibits, self.lang, mask=self.mask)
        name = outline.OUTLINE_NAME
        outline.write_docx(points, self.deck, self.root / f"{name}.docx", self.lang, self.mask)
        if alone:
            return
        self._page("outline.html", "bundle/outline.html", points=points, outline_name=name)
        self.derivations()

    def derivations(self) -> None:
        """How each display copy the pages show was derived from its original (which the
        bundle carries): tool, parameters and both hashes. Not in a masked bundle, which
        carries only the originals that hold no number (the derived ones: pictures, media,
        documents, spreadsheets, are never among them)."""
        made = [
            self.deck.displays[exhibit.id, name].record()
            for exhibit in self.exhibits
            for name in exhibit.files
            if (exhibit.id, name) in self.deck.displays
        ]
        if made and not self.mask:
            text = json.dumps({"derivations": made}, ensure_ascii=False, indent=1) + "\n"
            self._write(DERIVATIONS, text.encode("utf-8"))

    # -- the pages --------------------------------------------------------------------------
    def pages(self) -> None:
        from ..views import render_matrix, render_panel
        from ..views.files import shown_as_is

        copied = self._copy_files()
        chosen = self.chosen
        sections = []
        for i, exhibit in enumerate(self.exhibits):
            content, scripts, note = self._content(exhibit, copied)
            panels = [
                render_panel(
                    panel,
                    exhibit,
                    self.deck,
                    lang=self.lang,
                    file_url=lambda name: name,
                    may_show=lambda item: item in chosen,
                )
                for panel in ("source", "facts", "corroboration")
            ]
            files = [
                {
                    "name": name,
                    "href": quote(name),  # `evil.html#.png` names a file, not evil.html
                    "open": shown_as_is(name),
                    "sha256": copied[name],
                    # a trajectory's base map: an aid to the eye, not evidence (as the
                    # Source panel says)
                    "aid": exhibit.basemap is not None and name == exhibit.basemap.file,
                }
                if name in copied
                else {"name": mask_text(name), "left_out": self.left_out[name].words(self.lang)}
                for name in exhibit.files
                if name in copied or name in self.left_out
            ]
            section = {
                "exhibit": exhibit,
                "content": content,
                "panels": panels,
                "note": note,
                "files": files,
                "scripts": scripts,
                "previous": self.exhibits[i - 1] if i else None,
                "next": self.exhibits[i + 1] if i + 1 < len(self.exhibits) else None,
            }
            sections.append(section)
            self._page(f"{exhibit.id}.html", "bundle/exhibit.html", section=section)
        matrix = render_matrix(
            self.deck, lang=self.lang, presenter=False, may_show=lambda item: item in chosen
        )
        self._page("matrix.html", "bundle/matrix.html", matrix=matrix)
        self._page("index.html", "bundle/index.html", left_out=self._left_out_list())
        scripts = [s for section in sections for s in section["scripts"]]
        self._page(
            "print.html",
            "bundle/print.html",
            sections=sections,
            matrix=matrix,
            scripts=list(dict.fromkeys(scripts)),
        )

    def _page(self, name: str, template: str, **context: object) -> None:
        page = render_template(
            template,
            deck=self.deck,
            rows=self.rows,
            exhibits=self.exhibits,
            t=self.t,
            lang=self.lang,
            masked=self.mask,
            exported=self.exported,
            seal=SEAL,
            catalogue_name=CATALOGUE_NAME,
            **context,
        )
        (self.root / name).write_text(self._freeze(page), encoding="utf-8")

    def _content(self, exhibit: Exhibit, copied: dict[str, str]) -> tuple[str, list[str], str]:
        """The exhibit's view, written whole; the data scripts it needs; a note under it. An
        exhibit of several files (a gallery, a code folder) shows each of them, in turn."""
        from ..views import Rendered, render_exhibit
        from ..views.several import chosen

        files = chosen(exhibit).files
        template, context, scripts, note = self._view(exhibit, copied)
        if len(files) > 1:
            t = i18n.translator(self.lang)
            views = []
            for index in range(len(files)):
                query = {"file": str(index)} if index else None
                with self.app.test_request_context(
                    "/", base_url="http://localhost", query_string=query
                ):
                    g.mask_public = self.mask
                    template, context, _, _ = self._view(exhibit, copied)
                    views.append(render_template(template, exhibit=exhibit, t=t, **context))
            template, context = "bundle/several.html", {"views": [Rendered(v) for v in views]}
        return render_exhibit(exhibit, template, context, lang=self.lang), scripts, note

    def _view(self, exhibit: Exhibit, copied: dict[str, str]) -> tuple[str, dict, list[str], str]:
        """The template and context of the exhibit's view of the file this request asks for
        (`?file=`), the data scripts it needs, a note under it."""
        from ..views import RENDERERS, chat
        from ..views.files import file_ref
        from ..views.table import Reading, table_index
        from ..views.tabledata import shorten_cells

        def file_url(name: str) -> str:
            if name in copied:
                # a name is a path, never a query or a fragment; and an address, which the
                # masking of a page leaves as it is (`x 20240221103212.txt` quoted is no card)
                return AppUrl(quote(name))
            return url_for("files.exhibit_file", item=exhibit.id, name=file_ref(name))

        view = exhibit.view
        context = RENDERERS[view](exhibit, self.deck, file_url)
        template, scripts, note = f"views/{view}.html", [], ""
        if view == "table":
            index = table_index(exhibit, self.deck)
            rows = shorten_cells(index.page(0, ROWS_SHOWN), self.t("cut.cell"))
            context["rows"] = Reading.of(exhibit, self.deck, index.header).cells(rows)
            if index.rows > ROWS_SHOWN:
                note = self.t("bundle.rows_shown").format(
                    shown=f"{ROWS_SHOWN:,}", total=f"{index.rows:,}"
                )
        elif view == "chat":
            context["messages"], total = chat.messages(
                exhibit, self.deck, file_url, 0, MESSAGES_SHOWN
            )
            context["before"] = total  # the bundle is read whole, not replayed
            if total > MESSAGES_SHOWN:
                note = self.t("bundle.messages_shown").format(
                    shown=f"{MESSAGES_SHOWN:,}", total=f"{total:,}"
                )
        elif view == "document":
            template = "bundle/document.html"
        elif view == "chart":
            template = "bundle/chart.html"
            scripts = self._chart_scripts(exhibit)
        return template, context, scripts, note

    def _chart_scripts(self, exhibit: Exhibit) -> list[str]:
        figure = self.client.get(url_for("files.chart_figure", item=exhibit.id, lang=self.lang))
        if figure.status_code != 200:
            raise ExportError(f"{exhibit.id}: {figure.status_code}")
        name = f"assets/chart-{exhibit.id}.js"
        data = json.dumps(figure.get_json(), ensure_ascii=True, separators=(",", ":"))
        self._write(name, f"(window.shizhengCharts = window.shizhengCharts || {{}})"
                          f"[{json.dumps(exhibit.id)}] = {data};\n".encode())  # fmt: skip
        return [name]  # a trajectory's base map is inside the figure (charts.basemap)

    def _copy_files(self) -> dict[str, str]:
        """The exhibits' own files, byte for byte at their deck paths (so their recorded
        check values can be verified), each hashed as it is copied: their SHA-256 by deck
        path. A masked bundle carries only those a public screen would show unchanged, the
        bytes checked being the bytes written, and keeps why it leaves out each other one
        (presenter.export.leaveout) in `left_out`."""
        from ..deck.checks import confine
        from ..integrity import hash_file

        copied: dict[str, str] = {}
        for exhibit in self.exhibits:
            for name in exhibit.files:
                if name in copied or name in self.left_out:
                    continue
                source, problem = confine(self.deck.root, name)
                if source is None:  # changed on disk since the check: never copy it
                    raise ExportError(f"{exhibit.id}: {name}: {problem}")
                target = self.root / name
                if self.mask:
                    checked = leaveout.check(name, source, exhibit.encoding)
                    if isinstance(checked, leaveout.Reason):
                        self.left_out[name] = checked
                        continue
                    target.parent.mkdir(parents=True, exist_ok=True)
                    target.write_bytes(checked)
                    copied[name] = hashlib.sha256(checked).hexdigest()
                else:
                    target.parent.mkdir(parents=True, exist_ok=True)
                    with open(target, "wb") as copy:
                        copied[name] = hash_file(source, ["sha256"], copy_to=copy)["sha256"]
                shutil.copystat(source, target)
        return copied

    def _left_out_list(self) -> list[dict[str, str]]:
        """The index's list of originals left out: the masked deck path, the exhibits that
        have it, why in words; never a number masking hides."""
        return [
            {
                "name": mask_text(name),
                "exhibits": self.t("join.list").join(
                    e.id for e in self.exhibits if name in e.files
                ),
                "reason": reason.words(self.lang),
            }
            for name, reason in self.left_out.items()
        ]

    # -- assets -----------------------------------------------------------------------------
    def _freeze(self, page: str) -> str:
        """The page with every app URL it loads saved under assets/ and pointed at there."""
        page = _APP_DATA.sub("", page)

        def saved(match: re.Match[str]) -> str:
            name = self._asset(html.unescape(match[2]))
            return f'{match[1]}="{name}"' if name else ""  # a link to nothing: dropped

        return _APP_REF.sub(saved, page)

    def _allowed(self, url: str) -> bool:
        """Whether a URL named by a page may be fetched into the bundle: the app's own static
        and vendored files, and the files, pages and pictures of the exported exhibits.
        Nothing else, whoever wrote the link (an exhibit's Markdown may name any route)."""
        parts = urlsplit(url)
        if parts.scheme or parts.netloc:
            return False
        try:
            endpoint, args = self.routes.match(parts.path, method="GET")
        except HTTPException:
            return False
        if endpoint in ("static", "files.plotly"):
            return True
        exhibit_routes = ("files.exhibit_file", "files.image", "files.document_page")
        return endpoint in exhibit_routes and args.get("item") in self.chosen

    def _asset(self, url: str) -> str | None:
        """The bundle's copy of what the app serves at `url`, fetched as a court screen;
        None when it is not on the allow-list, serves nothing, or is an original that only
        downloads (HTML, SVG, scripts...): such a link is dropped from the page."""
        if url in self.saved:
            return self.saved[url]
        if not self._allowed(url):
            self.saved[url] = None
            return None
        response = self.client.get(url)
        disposition = response.headers.get("Content-Disposition", "")
        if response.status_code != 200 or disposition.startswith("attachment"):
            response.close()
            self.saved[url] = None
            return None
        data, mimetype = response.get_data(), response.mimetype or ""
        response.close()
        path = urlsplit(url).path
        guessed = mimetypes.guess_extension(mimetype) or ""
        suffix = Path(path).suffix or guessed
        if mimetype.startswith(("image/", "video/", "audio/")):
            # a drawn SVG is a PNG, a MOV's display copy an MP4: say so
            suffix = guessed or suffix
        if self.mask:
            # named by what it holds, in letters: a URL names a file, and a file name can
            # hold a number (a short digest of the URL could be tried against masked names)
            digest = hashlib.sha256(data).hexdigest()[:16].translate(_NO_DIGITS)
            name = f"assets/{digest}{suffix if mask_text(suffix) == suffix else guessed}"
        else:
            digest = hashlib.sha256(url.encode()).hexdigest()[:10]
            stem = re.sub(r"[^A-Za-z0-9_.-]", "_", Path(path).stem)[:40]
            name = f"assets/{stem}-{digest}{suffix}"
        self._write(name, data)
        self.saved[url] = name
        return name

    def _write(self, name: str, data: bytes) -> None:
        target = self.root / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
