"""Markdown from a deck, rendered inert: Python-Markdown, then nh3 with a strict allow-list."""

from __future__ import annotations

from html.parser import HTMLParser

import markdown as markdown_lib
import nh3
from markupsafe import Markup

from ..deck import Deck, Exhibit
from .files import FileUrl

TAGS = {
    "p", "br", "hr", "h1", "h2", "h3", "h4", "h5", "h6", "strong", "em", "b", "i", "u", "s",
    "code", "pre", "blockquote", "ul", "ol", "li", "table", "thead", "tbody", "tr", "th", "td",
    "a", "img", "sup", "sub", "span", "div", "dl", "dt", "dd",
}  # fmt: skip
ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title"},
    "th": {"align"},
    "td": {"align"},
}


def _remote(src: str) -> bool:
    return "://" in src or src.startswith("//")


class _RemoteImages(HTMLParser):
    """Finds the `<img>` tags of sanitised HTML whose source is remote, with where they are."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[tuple[int, int], str, str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        if tag == "img" and _remote(values.get("src", "")):
            raw = self.get_starttag_text() or ""
            self.found.append((self.getpos(), raw, values.get("alt", ""), values["src"]))

    handle_startendtag = handle_starttag


def _remote_images_as_text(html: str) -> str:
    """A remote image would leave the app (and tell its server who looks): it becomes the
    plain text of its description and address, which the court can still read."""
    finder = _RemoteImages()
    finder.feed(html)
    finder.close()
    if not finder.found:
        return html
    starts = [0]
    for line in html.splitlines(keepends=True):
        starts.append(starts[-1] + len(line))
    out, done = [], 0
    for (line, column), raw, alt, src in finder.found:
        at = starts[line - 1] + column
        text = f"[{alt}] {src}" if alt else src
        out += [html[done:at], str(Markup('<span class="remote-image">{}</span>').format(text))]
        done = at + len(raw)
    return "".join(out) + html[done:]


def _app_links_only(tag: str, attribute: str, value: str) -> str | None:
    """A link written in evidence stays a link only to the app's own pages (root-relative),
    which the screens' and the bundle's rules then govern; to anywhere else (another site, a
    file beside a bundle page) it stays as text: a click in court must not leave the app or
    open an original."""
    if tag == "a" and attribute == "href":
        app_page = value.startswith("/") and not value.startswith("//") and "\\" not in value
        return value if app_page or value.startswith("#") else None
    return value


def safe_markdown(text: str) -> Markup:
    """The Markdown as HTML that cannot run anything or fetch anything from outside."""
    if not text.strip():
        return Markup("")
    html = markdown_lib.markdown(text, extensions=["tables"])
    clean = nh3.clean(
        html,
        tags=TAGS,
        attributes=ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
        attribute_filter=_app_links_only,
    )
    return Markup(_remote_images_as_text(clean))


def context(exhibit: Exhibit, deck: Deck, file_url: FileUrl) -> dict:
    """A markdown exhibit is its body, which every exhibit shows below its view."""
    return {}
