"""Shizheng (示证): a local web presenter for electronic evidence in cybercrime trials."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from flask import Flask

from .deck import Deck

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def create_app(
    deck: Deck,
    *,
    instance_path: str | Path | None = None,
    test_config: Mapping[str, Any] | None = None,
) -> Flask:
    """The app factory: one app serves one loaded deck."""
    app = Flask(
        __name__,
        instance_path=str(Path(instance_path or PROJECT_ROOT / "instance").resolve()),
        template_folder=str(PROJECT_ROOT / "templates"),
        static_folder=str(PROJECT_ROOT / "static"),
    )
    app.config.from_mapping(DECK=deck)
    if test_config:
        app.config.from_mapping(test_config)
    Path(app.instance_path, deck.id).mkdir(parents=True, exist_ok=True)

    from .web import pages, security

    security.init_app(app)
    app.register_blueprint(pages.bp)
    return app
