"""Shizheng (示证): a local web presenter for electronic evidence in cybercrime trials."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from flask import Flask

from .deck import Deck, DeckReport

PROJECT_ROOT = Path(__file__).resolve().parent.parent


class _App(Flask):
    """Flask whose `url_for` marks its URLs as the app's own (never masked as evidence)."""

    def url_for(self, *args: Any, **kwargs: Any) -> str:
        from .masking import AppUrl

        return AppUrl(super().url_for(*args, **kwargs))


def create_app(
    deck: Deck | DeckReport,
    *,
    instance_path: str | Path | None = None,
    test_config: Mapping[str, Any] | None = None,
    presenter_key: str | None = None,
    screen_key: str | None = None,
    public_key: str | None = None,
    public_mask: bool = True,
    start: str = "logo",
    aspect: str = "16:9",
    redis: str | None = None,
    peers: tuple[str, ...] = (),
    process: str = "",
) -> Flask:
    """The app factory: one app serves one loaded deck to the presenter and the screens.

    Keys are random, made once and kept in the instance folder (so screens come back after
    a restart), unless given (access.KeyClash when two are the same). Exhibits failing
    their hash (a report's `unverified`) are kept off the screens unless the presenter
    confirms them. `start`: what the screens show before the first exhibit (`logo`, the
    case's title, or `black`). `aspect`: the court screens' width:height; the court's
    picture is laid out at that ratio (letterboxed on a screen of another).

    `redis`: carry the presentation with every other process started with the same deck and
    URL (presenter.live.cluster); the keys, the signing key and the state are then theirs,
    and cluster.DeckDiffers or TermsDiffer (or the machine's Refused when Redis cannot be
    reached) says why this one may not join. `peers`: the addresses of the other processes,
    where the screens and the presenter move when this one stops answering. `process`: this
    one's name among them.
    """
    from . import formatting
    from .live import sockets
    from .live.access import Access, cookie_names, kept_keys
    from .live.cluster import Cluster, fingerprint
    from .live.court import Court
    from .live.signing import Signer
    from .web import auth, files, pages, presenter, screen, security

    report = deck if isinstance(deck, DeckReport) else DeckReport(deck, ())
    assert report.deck is not None, "create_app needs a loaded deck"
    app = _App(
        __name__,
        instance_path=str(Path(instance_path or PROJECT_ROOT / "instance").resolve()),
        template_folder=str(PROJECT_ROOT / "templates"),
        static_folder=str(PROJECT_ROOT / "static"),
    )
    app.config.from_mapping(DECK=report.deck, PUBLIC_MASK=public_mask, SCREEN_ASPECT=aspect)
    if test_config:
        app.config.from_mapping(test_config)
    folder = Path(app.instance_path, report.deck.id)
    given = {"presenter": presenter_key, "screen": screen_key, "public": public_key}
    keys = kept_keys(folder / "keys.json", given)
    cluster, signer = None, None
    if redis:
        cluster = Cluster(redis, report.deck.id, process or "local")
        terms = cluster.join({
            "fingerprint": fingerprint(report),
            "keys": keys,
            "signing": Signer.of_instance(Path(app.instance_path)).pem(),
            "public_mask": public_mask,
        })  # fmt: skip
        keys, signer = terms["keys"], Signer.from_pem(terms["signing"])
    app.config["PEERS"] = tuple(peers)
    app.config["REDIS"] = redis
    access = Access(keys, paired=folder / "paired-screens.json", shared=cluster)
    # file tokens for public screens, keyed by what no screen holds
    app.config["FILE_TOKEN_SECRET"] = hashlib.sha256(
        b"file-token:" + keys["presenter"].encode()
    ).digest()
    # JSON keeps its characters: full-width digits stay digits for the public masking
    app.json.ensure_ascii = False  # type: ignore[attr-defined]
    court = Court(
        report, Path(app.instance_path), access, cookie_names(folder), start,
        checkpoint_every=float(app.config.get("CHECKPOINT_EVERY", 60.0)),
        cluster=cluster, signer=signer,
    )  # fmt: skip
    app.extensions["shizheng.court"] = court

    app.jinja_env.finalize = screen.finalize
    formatting.install(app.jinja_env, lambda: formatting.deck_zone(court.deck.case))
    security.init_app(app)
    auth.init_app(app)
    for blueprint in (pages.bp, presenter.bp, screen.bp, files.bp):
        app.register_blueprint(blueprint)
    sockets.init_app(app, court)
    security.check_hosts(app)  # after Socket.IO: /socket.io/ is checked too
    return app


def create_editor(
    root: str | Path,
    *,
    instance_path: str | Path | None = None,
    key: str | None = None,
    opened: str | None = None,
    language: str = "zh-CN",
    test_config: Mapping[str, Any] | None = None,
) -> Flask:
    """The deck editor's app: the decks under `root`, to one person holding its key.

    The key is random, made once and kept in the instance folder, unless given. `opened`:
    the deck the front page opens (`edit DECK_DIR`).
    """
    from .editor.preview import LOOPBACK_FRAMERS
    from .editor.store import Store
    from .editor.workspace import Workspace
    from .live.access import editor_key
    from .web import editor, security

    app = _App(
        __name__,
        instance_path=str(Path(instance_path or PROJECT_ROOT / "instance").resolve()),
        template_folder=str(PROJECT_ROOT / "templates"),
        static_folder=str(PROJECT_ROOT / "static"),
    )
    app.config.from_mapping(
        EDITOR_KEY=editor_key(Path(app.instance_path, "editor-key.json"), key),
        EDITOR_OPEN=opened,
        EDITOR_LANGUAGE=language,
        FRAME_SOURCES=LOOPBACK_FRAMERS,  # the court-screen previews, on this machine
    )
    if test_config:
        app.config.from_mapping(test_config)
    app.json.ensure_ascii = False  # type: ignore[attr-defined]
    workspace = Workspace(Store(Path(root)), Path(app.instance_path))
    workspace.drop_stale_uploads()
    app.extensions["shizheng.editor"] = workspace
    security.init_app(app)
    app.register_blueprint(editor.bp)
    security.check_hosts(app)
    return app
