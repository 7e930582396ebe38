"""One renderer per exhibit view, for court: what a screen may show, nothing presenter-only.

Every renderer takes the exhibit, the deck and a `file_url(name)` for the exhibit's files,
and returns HTML built by a Jinja template (autoescaped) or by nh3 (Markdown).
"""

from __future__ import annotations

from collections.abc import Callable

from flask import render_template
from markupsafe import Markup

from .. import i18n
from ..deck import Deck, Exhibit
from . import chart, chat, code, document, image, markdown, media, table
from .files import FileUrl, file_ref, size_of
from .image import exif
from .markdown import safe_markdown


class Rendered(Markup):
    """HTML drawn by our own renderers, each printed value already finalized (masked for a
    public screen): a template that prints it again must not mask it again."""

    __slots__ = ()


RENDERERS: dict[str, Callable[[Exhibit, Deck, FileUrl], dict]] = {
    "image": image.context,
    "video": media.context,
    "audio": media.context,
    "chat": chat.context,
    "table": table.context,
    "code": code.context,
    "document": document.context,
    "markdown": markdown.context,
    "chart": chart.context,
}
"""The context each view's template (templates/views/<view>.html) is given, from the
view's own module."""


def render_content(exhibit: Exhibit, deck: Deck, *, lang: str, file_url: FileUrl) -> Rendered:
    """The exhibit itself, for court: its view and the Markdown above `???`."""
    context = RENDERERS[exhibit.view](exhibit, deck, file_url)
    return render_exhibit(exhibit, f"views/{exhibit.view}.html", context, lang=lang)


def render_exhibit(exhibit: Exhibit, template: str, context: dict, *, lang: str) -> Markup:
    """The exhibit's frame (id, title, category, the Markdown above `???`) around its view,
    drawn by `template` from `context`."""
    t = i18n.translator(lang)
    view = render_template(template, exhibit=exhibit, t=t, **context)
    return Rendered(
        render_template(
            "views/_exhibit.html",
            exhibit=exhibit,
            view=Rendered(view),
            body=safe_markdown(exhibit.body),
            t=t,
        )
    )


def render_matrix(
    deck: Deck, *, lang: str, presenter: bool, may_show: Callable[[str], bool]
) -> Markup:
    """The case's fact–evidence matrix: for court, or with origins and 孤证 for the presenter."""
    from .matrix import matrix

    context = matrix(deck, presenter=presenter, may_show=may_show)
    return Rendered(render_template("case/matrix.html", t=i18n.translator(lang), **context))


def thumbnail(exhibit: Exhibit) -> str | None:
    """A small picture of an exhibit, for the panels that name it: an image or a document's
    first page; None for the other views."""
    from flask import url_for

    if exhibit.view == "image":
        from ..deck.checks import shown_files

        first = next(iter(shown_files(exhibit)), exhibit.files[0])
        return url_for("files.image", item=exhibit.id, name=file_ref(first), thumb=1)
    if exhibit.view == "document":
        return url_for("files.document_page", item=exhibit.id, number=1)
    return None


def source_files(exhibit: Exhibit, deck: Deck) -> list[dict]:
    """Each original of the exhibit for the Source panel: its size (the original's, whose
    hash is verified), the attributes recorded at collection (`[[source.file]]`: never the
    times of this laptop's working copy, which are later than the seizure), what its EXIF
    says, and how its display copy was derived, if it has one; a trajectory's base map is
    marked as what it is, a demonstrative aid and not evidence (`aid`)."""
    recorded = {r.file: r for r in exhibit.source.files}
    aid = exhibit.basemap.file if exhibit.basemap else None
    return [
        {
            "name": name,
            "aid": name == aid,
            "size": size_of(deck.root / name),
            "record": recorded.get(name),
            "exif": exif(deck.root / name) if exhibit.view == "image" else {},
            "derivation": deck.derivation(exhibit, name),
        }
        for name in exhibit.files
    ]


def render_panel(
    panel: str,
    exhibit: Exhibit,
    deck: Deck,
    *,
    lang: str,
    file_url: FileUrl,
    unverified: bool = False,
    may_show: Callable[[str], bool] = lambda item: True,
) -> Markup:
    """Content, or one of the three Art. 47 panels: source, facts, corroboration.
    `unverified`: the exhibit's files failed their recorded hash at the last check;
    `may_show`: whether the screens may have another exhibit (for its thumbnail)."""
    if panel == "content":
        return render_content(exhibit, deck, lang=lang, file_url=file_url)
    facts = {f.id: f for f in deck.facts}
    others = {e.id: e for e in deck.evidence}
    exhibits = {e.id: e for e in deck.exhibits}
    # an exhibit the screens may not have (excluded, Art. 44) corroborates nothing in court
    cited_by = [
        (other, link)
        for other in deck.exhibits
        for link in other.corroborates
        if link.with_ == exhibit.id and may_show(other.id)
    ]
    links = [
        link for link in exhibit.corroborates if link.with_ not in exhibits or may_show(link.with_)
    ]
    return Rendered(
        render_template(
            f"panels/{panel}.html",
            exhibit=exhibit,
            facts=facts,
            others=others,
            exhibits=exhibits,
            cited_by=cited_by,
            links=links,
            thumbs={
                e.id: thumbnail(e) for e in deck.exhibits if e.id != exhibit.id and may_show(e.id)
            }
            if panel == "corroboration"
            else {},
            procedure=safe_markdown(exhibit.source.procedure),
            unverified=unverified,
            files=source_files(exhibit, deck) if panel == "source" else [],
            t=i18n.translator(lang),
        )
    )
