"""The presentation record, readable (Art. 49): what the court screens showed, and when.

Reads a record file as it is, verifies its hash chain and its anchors first (the closing
entry, the signed checkpoints: presenter.live.record.audit), and writes the verdict at the
top of an HTML page or a CSV, then the time on screen of each exhibit and every entry in
order. Entries after the first bad line are still listed (they may be all there is to
read) but marked as outside the verified chain.

An exhibit counts as shown only while the screens showed it: not blank, black, white or the
opening title (`logo`), not the case matrix. Times are the deck's time zone's, as people
read them (the JSON-lines file keeps the offsets).
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup

from .. import PROJECT_ROOT, formatting, i18n
from ..live.record import CHECKPOINT, CLOSE, RecordCheck, audit, describe, describe_finding
from .catalogue import write_spreadsheet_csv

BLANKS = {"black": "record.black", "white": "record.white", "logo": "record.logo"}
"""What the screens show instead of an exhibit: nothing of it is on screen then."""


@dataclass(frozen=True)
class Entry:
    n: int
    time: str
    event: str
    item: str
    panel: str
    step: str
    blank: str
    controller: str
    by: str
    what: str
    verified: bool
    """Whether the entry is inside the verified part of the chain."""
    moment: dt.datetime | None
    shown: tuple[str, ...] = ()
    """The exhibits on the screens: the item, or both halves of a side-by-side view."""


@dataclass(frozen=True)
class Showing:
    """One exhibit's time on the screens."""

    item: str
    first: str
    seconds: float
    panels: tuple[str, ...]


@dataclass(frozen=True)
class Report:
    name: str
    check: RecordCheck
    verdict: str
    deck: str
    title: str
    entries: tuple[Entry, ...]
    exhibits: tuple[Showing, ...]
    demonstratives: tuple[Demonstrative, ...] = ()
    findings: tuple[tuple[str, bool], ...] = ()
    """What anchors the chain, in words, each with whether it is bad."""
    fingerprint: str = ""
    """The signing key's fingerprint, as people copy it."""
    zone: str = ""
    """The time zone of the times shown."""

    @property
    def ok(self) -> bool:
        return self.check.ok and not any(bad for _, bad in self.findings)


def read_report(path: Path, lang: str) -> Report:
    t = i18n.translator(lang)
    result = audit(path)
    check = result.check
    verdict = describe(check, path.name, lang)
    trusted = check.entries
    raws: list[tuple[int, dict]] = []
    deck = title = fingerprint = ""
    zone_name = "+08:00"
    for index, raw in enumerate(Path(path).read_bytes().split(b"\n"), 1):
        try:
            entry = json.loads(raw)
        except (UnicodeDecodeError, json.JSONDecodeError):
            continue
        if not isinstance(entry, dict):
            continue
        if entry.get("event") == "start" and not raws:
            deck, title = str(entry.get("deck", "")), str(entry.get("title", ""))
            zone_name = str(entry.get("timezone") or zone_name)
        raws.append((index, entry))
    try:
        tz = formatting.zone(zone_name)
    except (ValueError, TypeError):
        zone_name, tz = "+08:00", formatting.zone("+08:00")
    # the key that really signs, worked out from the key itself (never a field's say-so)
    fingerprint = next(
        (str(f.params["fingerprint"]) for f in result.findings if f.code == "key"), ""
    )
    entries, before = [], {}
    for index, entry in raws:
        if entry.get("event") == CHECKPOINT and not isinstance(entry.get("state"), dict):
            entry = {**entry, "state": before}  # a checkpoint changes nothing on screen
        entries.append(_entry(entry, index <= trusted, t, tz))
        before = entry.get("state") if isinstance(entry.get("state"), dict) else {}
    findings = tuple((describe_finding(f, lang), f.bad) for f in result.findings if f.code != "key")
    return Report(
        path.name, check, verdict, deck, title, tuple(entries), tuple(_by_exhibit(entries, t)),
        tuple(demonstratives([e for _, e in raws], tz)), findings,
        fingerprint, zone_name,
    )  # fmt: skip


def _entry(entry: dict, verified: bool, t, tz: dt.tzinfo) -> Entry:
    state = entry.get("state") if isinstance(entry.get("state"), dict) else {}
    command = entry.get("command") if isinstance(entry.get("command"), dict) else {}
    details = entry.get("details") if isinstance(entry.get("details"), dict) else {}
    event = str(entry.get("event", ""))
    controller = _text(entry.get("controller")) or _text(state.get("controller"))
    label = _text(entry.get("label"))
    panel, by = _text(state.get("panel")), _text(entry.get("by"))
    return Entry(
        n=entry.get("n") if isinstance(entry.get("n"), int) else 0,
        time=_local(entry.get("time"), tz),
        event=event,
        item=_text(state.get("item")),
        panel=t("panel." + panel) if panel else "",
        step=_step(state.get("step"), t, label) if state.get("item") else "",
        blank=_screen(state, t),
        controller=t("record.role." + controller) if controller else "",
        by=t("record.role." + by) if by else "",
        what=_what(event, command, details, t, label),
        verified=verified,
        moment=_moment(entry.get("time")),
        shown=_shown(state),
    )


def _text(value: object) -> str:
    """A field a record holds as text; anything else (a file edited by hand) as nothing."""
    return value if isinstance(value, str) else ""


def _local(text: object, tz: dt.tzinfo) -> str:
    """A record time as people read it: in the deck's time zone, to the second, no offset."""
    moment = _moment(text)
    if moment is None:
        return _text(text)
    try:
        return f"{moment.astimezone(tz):%Y-%m-%d %H:%M:%S}"
    except OverflowError:  # year 9999 in another zone: as written
        return _text(text)


def _screen(state: dict, t) -> str:
    """What the screens showed instead of the exhibit, if they did."""
    blank = state.get("blank")
    if isinstance(blank, str) and blank in BLANKS:
        return t(BLANKS[blank])
    return t("record.case_matrix") if state.get("case") is True else ""


def _shown(state: dict) -> tuple[str, ...]:
    """The exhibits the screens showed: none while blank, on the title or the matrix."""
    if state.get("blank") is not None or state.get("case") is True:
        return ()
    compare = state.get("compare")
    items = compare.get("items") if isinstance(compare, dict) else None
    if isinstance(items, list) and all(isinstance(i, str) for i in items):
        return tuple(dict.fromkeys(items))
    return (state["item"],) if _text(state.get("item")) else ()


def _what(event: str, command: dict, details: dict, t, label: str = "") -> str:
    if event == CHECKPOINT:
        return t("record.checkpoint").format(
            n=_text(str(details.get("n", ""))), head=_text(details.get("head"))[:16]
        )
    if event == CLOSE:
        return t("record.close" if details.get("reason") != "shutdown" else "record.shutdown")
    if event == "verify":
        outcome = t("record.match") if details.get("ok") else t("record.mismatch")
        results = details.get("results")
        files = "、".join(
            f"{r.get('file', '')} {str(r.get('algorithm', '')).upper()}"
            for r in (results if isinstance(results, list) else [])
            if isinstance(r, dict)
        )
        return t("record.verified").format(
            item=details.get("item", ""), outcome=outcome, files=files
        )
    if details.get("confirmed"):
        return f"{t('record.confirmed')} {details['confirmed']}"
    if event in ("start", "reload"):
        return t("record." + event)
    if event == "demonstrative":
        return t("record.demonstrative").format(
            file=details.get("file", ""), sha256=details.get("sha256", "")
        )
    action = str(command.get("action", ""))
    if action == "step" and isinstance(command.get("step"), int) and command["step"] > 0:
        return t("record.to_step").format(step=_step(command["step"], t, label))
    if action in SAID:
        return f"{t('record.action.' + action)}：{SAID[action](command, t)}"
    words = [t("record.action." + action) if action else event]
    words += [_value(action, k, v, t, label) for k, v in command.items() if k != "action"]
    if action in ("next", "prev") and label:
        words.append(t("record.now_step").format(label=label))
    return " ".join(w for w in words if w)


def _annotate(command: dict, t) -> str:
    op, shape = command.get("op"), command.get("shape")
    if op == "add" and isinstance(shape, dict):
        kind = t("record.shape." + str(shape.get("kind")))
        said = t("record.annotate.add").format(kind=kind, color=shape.get("color", ""))
        return f"{said} {shape['text']}" if shape.get("text") else said
    return t("record.annotate." + str(op)) if op in ("undo", "clear") else ""


def _compare(command: dict, t) -> str:
    items = command.get("items")
    if items == []:
        return t("record.compare.end")
    if isinstance(items, list) and len(items) == 2:
        return t("record.compare.start").format(
            first=items[0], second=items[1], layout=command.get("layout") or "50/50",
            direction=t("record.compare." + str(command.get("direction") or "row")),
        )  # fmt: skip
    if command.get("swap") is True:
        return t("record.compare.swap")
    return t("record.compare.layout").format(layout=command.get("layout", ""))


def _redact(command: dict, t) -> str:
    op = str(command.get("op", ""))
    if op not in ("add", "remove", "clear", "confirm", "dismiss"):
        return ""
    box = command.get("box")
    numbers = isinstance(box, list) and all(
        isinstance(v, int | float) and not isinstance(v, bool) for v in box
    )
    shown = "[" + ", ".join(f"{v:.3f}" for v in box) + "]" if numbers else ""  # type: ignore[union-attr]
    return t("record.redact." + op).format(box=shown, proposal=command.get("proposal", ""))


SAID = {"annotate": _annotate, "compare": _compare, "redact": _redact}
"""The actions whose commands are said in words of their own."""


@dataclass(frozen=True)
class Demonstrative:
    """A demonstrative made in court: when, of which exhibit, its file and hash."""

    time: str
    item: str
    file: str
    sha256: str


def demonstratives(entries: list[dict], tz: dt.tzinfo) -> list[Demonstrative]:
    return [
        Demonstrative(
            _local(entry.get("time"), tz),
            str(details.get("item", "")),
            str(details.get("file", "")),
            str(details.get("sha256", "")),
        )  # fmt: skip
        for entry in entries
        if entry.get("event") == "demonstrative"
        and isinstance(details := entry.get("details"), dict)
    ]


def _value(action: str, key: str, value: object, t, label: str = "") -> str:
    """A command's argument as a reader of the record says it: steps counted from 1 with
    their labels, panels, screens and roles by name; anything else as `key=value`."""
    if action == "step" and key == "step":
        return _step(value, t, label)
    if key == "panel" and isinstance(value, str):
        return t("panel." + value)
    if action == "blank" and key == "mode":
        return (
            t(BLANKS[value]) if isinstance(value, str) and value in BLANKS else t("record.unblank")
        )
    if action == "handover" and key == "to" and isinstance(value, str):
        return "→ " + t("record.role." + value)
    if key == "item" and isinstance(value, str):
        return value
    if isinstance(value, dict | list):
        return ""
    return f"{key}={value}"


def _step(step: object, t, label: str = "") -> str:
    """A step as the presenter's page numbers it: 开始 before any step, then 1, 2, … with
    the step's label."""
    if not isinstance(step, int) or isinstance(step, bool) or step < 0:
        return ""
    if not step:
        return t("steps.start")
    return t("record.step_n").format(n=step) + (f" {label}" if label else "")


def _moment(text: object) -> dt.datetime | None:
    """A record time, with its offset (a time without one is no time the record writes)."""
    try:
        moment = dt.datetime.fromisoformat(str(text))
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else None


def _by_exhibit(entries: list[Entry], t) -> list[Showing]:
    """Each exhibit's first time on the screens, its time there (not blank, not the title
    or the matrix) and panels."""
    first: dict[str, str] = {}
    seconds: dict[str, float] = {}
    panels: dict[str, list[str]] = {}
    entries = [e for e in entries if e.verified]  # nothing outside the verified chain counts
    for this, after in zip(entries, [*entries[1:], None], strict=True):
        for item in this.shown:
            first.setdefault(item, this.time)
            if this.panel and this.panel not in panels.setdefault(item, []):
                panels[item].append(this.panel)
            if after is not None and this.moment and after.moment:
                span = (after.moment - this.moment).total_seconds()
                seconds[item] = seconds.get(item, 0.0) + max(span, 0.0)
    return [
        Showing(item, first[item], seconds.get(item, 0.0), tuple(panels.get(item, ())))
        for item in first
    ]


def write_html(report: Report, target: Path, lang: str) -> None:
    environment = Environment(
        loader=FileSystemLoader(PROJECT_ROOT / "templates"),
        autoescape=select_autoescape(default=True),
    )
    style = (PROJECT_ROOT / "static" / "css" / "record.css").read_text("utf-8")
    digest = base64.b64encode(hashlib.sha256(style.encode()).digest()).decode()
    page = environment.get_template("record/report.html").render(
        report=report,
        t=i18n.translator(lang),
        lang=lang,
        style=Markup(style),  # our own stylesheet, not evidence: written as it is hashed
        style_hash=digest,
        duration=format_seconds,
    )
    target.write_text(page, encoding="utf-8")


def write_csv(report: Report, target: Path, lang: str) -> None:
    t = i18n.translator(lang)
    header = [
        t("record.n"),
        t("record.time"),
        t("record.item"),
        t("record.panel"),
        t("record.step"),
        t("record.screen"),
        t("record.controller"),
        t("record.by"),
        t("record.what"),
        t("record.chain"),
    ]
    rows = (
        [str(e.n), e.time, e.item, e.panel, e.step, e.blank, e.controller, e.by, e.what,
         t("record.inside") if e.verified else t("record.outside")]
        for e in report.entries
    )  # fmt: skip
    top = [[report.verdict], *([words] for words, _ in report.findings)]
    if report.fingerprint:
        top.append([t("record.fingerprint").format(fingerprint=report.fingerprint)])
    top.append([t("record.zone").format(zone=report.zone)])
    write_spreadsheet_csv(target, [*top, header, *rows])


def format_seconds(seconds: float) -> str:
    whole = round(seconds)
    return f"{whole // 3600:d}:{whole % 3600 // 60:02d}:{whole % 60:02d}"
