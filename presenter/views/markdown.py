"""Markdown from a deck, rendered inert: Python-Markdown, then nh3 with a strict allow-list."""

from __future__ import annotations

import markdown as markdown_lib
import nh3
from markupsafe import Markup

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


def _remote_images_as_text(element: str, attribute: str, value: str) -> str | None:
    """Keep only relative image sources: a remote image would leave the app (and track)."""
    if element == "img" and attribute == "src" and ("://" in value or value.startswith("//")):
        return None
    return value


def safe_markdown(text: str) -> Markup:
    """The Markdown as HTML that cannot run anything or fetch anything from outside."""
    if not text.strip():
        return Markup("")
    html = markdown_lib.markdown(text, extensions=["tables"])
    return Markup(
        nh3.clean(
            html,
            tags=TAGS,
            attributes=ATTRIBUTES,
            url_schemes={"http", "https", "mailto"},
            attribute_filter=_remote_images_as_text,
            link_rel="noopener noreferrer nofollow",
        )
    )
