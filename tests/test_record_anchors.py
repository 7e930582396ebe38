"""The record says what the court saw, and cannot be shortened unseen (issue 17 §1-2).

A hearing is driven through the court's own state machine; its record is then cut,
reordered, extended with a forged closing entry, and rewritten and re-signed with another
key, and `verify-record` (with the head noted down, the checkpoints a screen kept and the
key's fingerprint) must name each.
"""

from __future__ import annotations

import base64
import hashlib
import json
from pathlib import Path

import pytest

from presenter.export.record_report import read_report
from presenter.live.record import CHECKPOINT, CLOSE, audit
from presenter.live.signing import Signer, spaced

from .conftest import DEMO_DECK, court_app, serving, wait_until


@pytest.fixture
def hearing(tmp_path: Path):
    """A short hearing on the demo deck, ended by the presenter: the record's path, what the
    presenter noted down, every checkpoint the screens were sent, and the instance folder."""
    instance = tmp_path / "instance"
    with court_app(DEMO_DECK, instance) as app:
        court = app.extensions["shizheng.court"]
        sent: list[dict] = []
        court.on_checkpoint(sent.append)
        presentation = court.presentation
        for command in (
            {"action": "next"},
            {"action": "goto", "item": "E04"},
            {"action": "step", "step": 2},
            {"action": "goto", "item": "E02"},
            {"action": "panel", "panel": "source"},
            {"action": "goto", "item": "E05"},
        ):
            assert presentation.command(command, "presenter").ok, command
        path = court.record.path
        noted = court.end("presenter")
    return path, noted, sent, instance


def lines(path: Path) -> list[bytes]:
    return path.read_bytes().splitlines(keepends=True)


def findings(result) -> dict[str, bool]:
    return {f.code: f.bad for f in result.findings}


def test_a_whole_hearing_holds_every_anchor(hearing, cli, tmp_path):
    path, noted, sent, instance = hearing
    entries = [json.loads(line) for line in lines(path)]
    assert entries[-1]["event"] == CLOSE and entries[-1]["hash"] == noted["head"]
    assert noted["entries"] == len(entries)
    # a checkpoint at each exhibit change, written to the record and sent to the screens,
    # and the closing one sent (the record has ended: it is not written)
    written = [e["details"] for e in entries if e["event"] == CHECKPOINT]
    assert len(written) >= 4 and written == sent[:-1]
    assert sent[-1]["n"] == noted["entries"] and sent[-1]["head"] == noted["head"]
    fingerprint = Signer.of_instance(instance).fingerprint
    assert entries[0]["fingerprint"] == fingerprint
    kept = tmp_path / "kept.json"
    kept.write_text(json.dumps({"checkpoints": sent}), "utf-8")
    result = cli(
        "verify-record", path, "--expect", noted["head"][:16], "--checkpoints", kept,
        "--public-key", spaced(fingerprint[:32]), "--lang", "en",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "ends with its closing entry" in result.output
    assert f"matches the head noted down (entry {noted['entries']})" in result.output
    assert f"match the record (up to entry {noted['entries']})" in result.output


def test_cutting_the_last_two_lines_is_caught(hearing, cli, tmp_path):
    path, noted, sent, _ = hearing
    path.write_bytes(b"".join(lines(path)[:-2]))
    assert cli("verify-record", path).exit_code == 1  # no closing entry
    kept = tmp_path / "kept.json"
    kept.write_text(json.dumps(sent), "utf-8")
    result = audit(path, noted["head"], sent)
    said = findings(result)
    assert result.check.ok  # the chain alone is whole: this is what it could not see
    assert said["not_closed"] and said["expect_missing"] and said["kept_beyond"]
    out = cli("verify-record", path, "--expect", noted["head"], "--checkpoints", kept)
    assert out.exit_code == 1
    assert "不是结束条目" in out.output and "不在本记录中" in out.output
    assert "记录末尾被截去" in out.output


def test_a_forged_closing_entry_after_a_cut_is_caught(hearing, tmp_path):
    """The chain needs no key: whoever cuts the end can chain a new closing entry on."""
    path, noted, sent, _ = hearing
    kept = lines(path)[:-3]
    last = json.loads(kept[-1])
    forged = {
        "n": last["n"] + 1, "time": last["time"], "event": CLOSE, "controller": None,
        "state": None, "prev": hashlib.sha256(kept[-1]).hexdigest(), "by": "presenter",
        "reason": "end",
    }  # fmt: skip
    forged["hash"] = hashlib.sha256(_canonical(forged)).hexdigest()
    path.write_bytes(b"".join(kept) + _canonical(forged) + b"\n")
    result = audit(path, noted["head"], sent)
    said = findings(result)
    assert result.check.ok and said["closed"] is False  # closed, as far as the file goes
    assert said["expect_missing"] and said["kept_beyond"] and not result.ok


def test_reordered_lines_break_the_chain(hearing):
    path, *_ = hearing
    rows = lines(path)
    rows[3], rows[4] = rows[4], rows[3]
    path.write_bytes(b"".join(rows))
    result = audit(path)
    assert not result.check.ok and result.check.line == 4 and not result.ok


def test_a_record_rewritten_and_re_signed_with_another_key_is_caught(hearing, tmp_path):
    """The attacker drops an exhibit's entries, re-chains every line and signs every
    checkpoint again with a key of their own: the chain, the closing entry and the inner
    checkpoints all hold, but not the printed fingerprint nor the screens' checkpoints."""
    path, noted, sent, instance = hearing
    theirs = Signer.of_instance(tmp_path / "attacker")
    original = [json.loads(line) for line in lines(path)]
    dropped = [e for e in original if (e.get("state") or {}).get("item") != "E02"]
    rewritten, prev, first = [], "0" * 64, None
    for n, entry in enumerate(dropped, 1):
        entry = {k: v for k, v in entry.items() if k != "hash"}
        entry.update(n=n, prev=prev)
        if entry["event"] == "start":
            entry.update(key=theirs.public_b64, fingerprint=theirs.fingerprint)
        if entry["event"] == CHECKPOINT:
            before = rewritten[-1]
            entry["details"] = theirs.checkpoint(first, before["n"], before["hash"], entry["time"])
        entry["hash"] = hashlib.sha256(_canonical(entry)).hexdigest()
        first = first or entry["hash"]
        line = _canonical(entry) + b"\n"
        prev = hashlib.sha256(line).hexdigest()
        rewritten.append(entry)
    path.write_bytes(b"".join(_canonical(e) + b"\n" for e in rewritten))
    alone = audit(path)
    assert alone.ok, alone  # consistent in itself: a chain and signatures cannot tell
    fingerprint = Signer.of_instance(instance).fingerprint
    said = findings(audit(path, None, sent, fingerprint))
    assert said["key_mismatch"] and said["kept_none"]


def test_a_checkpoint_with_a_bad_signature_is_named(hearing, tmp_path):
    path, noted, sent, _ = hearing
    forged = dict(sent[-1], n=sent[-1]["n"] + 5)  # the signature no longer covers it
    said = findings(audit(path, None, [*sent[:-1], forged]))
    assert said["kept_invalid"]
    signature = bytearray(base64.b64decode(sent[0]["signature"]))
    signature[0] ^= 1
    broken = dict(sent[0], signature=base64.b64encode(bytes(signature)).decode())
    assert findings(audit(path, None, [broken]))["kept_invalid"]


def test_a_changed_checkpoint_inside_the_record_is_named(hearing):
    path, *_ = hearing
    rows = [json.loads(line) for line in lines(path)]
    at = next(i for i, e in enumerate(rows) if e["event"] == CHECKPOINT)
    rows[at]["details"]["n"] = 1  # re-hashed and re-chained, but the signature is over n
    prev = "0" * 64
    for entry in rows:
        entry.pop("hash")
        entry["prev"] = prev
        entry["hash"] = hashlib.sha256(_canonical(entry)).hexdigest()
        prev = hashlib.sha256(_canonical(entry) + b"\n").hexdigest()
    path.write_bytes(b"".join(_canonical(e) + b"\n" for e in rows))
    result = audit(path)
    assert result.check.ok and findings(result)["inner_bad"] and not result.ok


def test_the_head_and_fingerprint_as_people_type_them(hearing, cli):
    path, noted, _, instance = hearing
    fingerprint = Signer.of_instance(instance).fingerprint
    typed = spaced(noted["head"][:20]).upper()
    assert cli("verify-record", path, "--expect", typed, "--public-key", "SHA256:" +
               fingerprint[:16]).exit_code == 0  # fmt: skip
    short = cli("verify-record", path, "--expect", noted["head"][:8], "--lang", "en")
    assert short.exit_code == 1 and "is too short or not hex" in short.output
    other = cli("verify-record", path, "--expect", "f" * 16, "--lang", "en")
    assert other.exit_code == 1 and "is not in this record" in other.output
    wrong = cli("verify-record", path, "--public-key", "0" * 64, "--lang", "en")
    assert wrong.exit_code == 1 and "is not the one given" in wrong.output
    bad_file = path.with_name("kept.json")
    bad_file.write_text("{not json", "utf-8")
    unreadable = cli("verify-record", path, "--checkpoints", bad_file, "--lang", "en")
    assert unreadable.exit_code == 1 and "cannot read the checkpoints" in unreadable.output


def test_a_checkpoint_every_minute_while_the_record_grows(tmp_path):
    """The minute is the court's setting (CHECKPOINT_EVERY); a record that does not grow is
    not signed again."""
    from presenter import create_app
    from presenter.deck import load_deck

    app = create_app(
        load_deck(DEMO_DECK), instance_path=tmp_path, test_config={"CHECKPOINT_EVERY": 0.05}
    )
    court = app.extensions["shizheng.court"]
    try:
        record = court.record
        before = record.count
        assert court.presentation.command({"action": "blank", "mode": "black"}, "presenter").ok
        wait_until(lambda: _events(record.path).count(CHECKPOINT) >= 1)
        signed = record.count
        # the thread has signed the entry above; idle, it writes nothing more
        assert court.presentation.command({"action": "blank", "mode": None}, "presenter").ok
        wait_until(lambda: _events(record.path).count(CHECKPOINT) >= 2)
        assert signed > before
    finally:
        court.record.close()


def test_typing_numbers_on_the_title_screen_shows_no_exhibit(tmp_path):
    """`2⏎ … 12⏎` before the first →: the screens showed only the case's title. The report
    counts no exhibit as shown until → brings the last one up."""
    with court_app(DEMO_DECK, tmp_path / "instance") as app:
        court = app.extensions["shizheng.court"]
        assert court.state.blank == "logo"
        for number in range(2, 13):
            item = f"E{number:02d}"
            assert court.presentation.command({"action": "goto", "item": item}, "presenter").ok
            assert court.state.blank == "logo"
        assert court.presentation.command({"action": "case", "show": True}, "presenter").ok
        assert court.presentation.command({"action": "next"}, "presenter").ok
        assert court.state.blank is None
        assert court.presentation.command({"action": "case", "show": False}, "presenter").ok
        path = court.record.path
        court.end("presenter")
    report = read_report(path, "en")
    assert [x.item for x in report.exhibits] == ["E12"]
    assert any(e.blank == "title screen" for e in report.entries)
    assert any(e.blank == "evidence chain" for e in report.entries)


def test_the_screens_and_the_presenter_are_told(tmp_path):
    """Over real sockets: every screen (the public one too) is sent each checkpoint and the
    last one on connecting; presenters get the head; only the presenter ends the record."""
    from .conftest import PRESENTER_KEY, PUBLIC_KEY, SCREEN_KEY
    from .test_live_sockets import Follower

    with court_app(DEMO_DECK, tmp_path / "instance") as app, serving(app) as url:
        presenter = Follower(url, key=PRESENTER_KEY, role="presenter").connect()
        screen = Follower(url, key=SCREEN_KEY, role="screen").connect()
        public = Follower(url, key=PUBLIC_KEY, role="screen").connect()
        expert_key = app.extensions["shizheng.court"].access.expert_key
        expert = Follower(url, key=expert_key, role="expert").connect()
        try:
            assert presenter.send(action="goto", item="E03")["ok"]
            assert presenter.send(action="next")["ok"]
            for follower in (screen, public):
                wait_until(lambda f=follower: _got(f, "checkpoint"))
            heads = _got(presenter, "record")
            assert heads[-1]["entries"] >= 3 and len(heads[-1]["head"]) == 64
            assert not _got(screen, "record")  # the head is the presenters'
            late = Follower(url, key=SCREEN_KEY, role="screen").connect()
            wait_until(lambda: _got(late, "checkpoint"))
            assert expert.send(action="end") == {"ok": False, "error": "not_allowed"}
            assert screen.send(action="end")["ok"] is False
            ended = presenter.send(action="end")
            assert ended["ok"] and len(ended["head"]) == 64
            wait_until(lambda: _got(screen, "checkpoint")[-1]["head"] == ended["head"])
            assert presenter.send(action="end") == {"ok": False, "error": "record_ended"}
            # the hearing goes on into a new record file, which starts with its own key
            assert presenter.send(action="next")["ok"]
            court = app.extensions["shizheng.court"]
            assert court.record.path.name != ended["file"] and court.record.count >= 2
            late.close()
        finally:
            for follower in (presenter, screen, public, expert):
                follower.close()


def _got(follower, event: str) -> list:
    with follower.lock:
        return [data for name, data in follower.events if name == event]


def _events(path: Path) -> list[str]:
    return [json.loads(line)["event"] for line in lines(path)]


def _canonical(entry: dict) -> bytes:
    return json.dumps(entry, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()


def test_in_chromium_the_head_is_in_view_the_screen_keeps_and_saves_checkpoints(
    tmp_path, browser, cli
):
    """As the court uses it: `python app.py` prints the key's fingerprint; the presenter's
    page shows the head at 1366×768 and ends the record with the keyboard and one click; a
    court screen keeps every checkpoint and saves them with S; verify-record then holds
    with all three anchors."""
    import re

    from .conftest import PRESENTER_KEY, SCREEN_KEY, serve_deck

    instance = tmp_path / "instance"
    with serve_deck(DEMO_DECK, instance) as served:
        screen_context = browser.new_context(viewport={"width": 1920, "height": 1080},
                                             accept_downloads=True)  # fmt: skip
        presenter_context = browser.new_context(viewport={"width": 1366, "height": 768})
        try:
            screen = screen_context.new_page()
            screen.goto(f"{served.url}screen?key={SCREEN_KEY}&name=clerk")
            screen.wait_for_function("() => document.documentElement.dataset.seq !== undefined")
            page = presenter_context.new_page()
            page.goto(f"{served.url}present?key={PRESENTER_KEY}")
            page.wait_for_function("() => Number(document.getElementById('record-head')"
                                   ".dataset.entries) >= 1")  # fmt: skip
            head = page.locator("#record-head")
            assert head.is_visible() and _inside(page, "#record-head")
            assert _inside(page, "#end-record")
            record = next((instance / "demo" / "records").glob("*.jsonl"))
            page.keyboard.press("3")
            page.keyboard.press("Enter")
            page.keyboard.press("ArrowRight")
            screen.wait_for_function(
                "() => JSON.parse(localStorage.getItem('shizheng.checkpoints') || '[]').length >= 1"
            )
            wait_until(lambda: head.get_attribute("data-head") == _last(record)["hash"])
            assert head.locator(".hash").inner_text() == _last(record)["hash"][:16]
            page.screenshot(path=str(tmp_path / "presenter-1366.png"))
            page.once("dialog", lambda dialog: dialog.accept())
            page.locator("#end-record").click()
            page.locator("#record-ended").wait_for(state="visible")
            closing = _last(record)
            assert closing["event"] == CLOSE
            shown = page.locator("#ended-head").inner_text()
            assert shown.replace(" ", "") == closing["hash"]
            page.keyboard.press("Escape")
            page.locator("#record-ended").wait_for(state="hidden")
            screen.wait_for_function(
                "head => JSON.parse(localStorage.getItem('shizheng.checkpoints'))"
                ".some(p => p.head === head)",
                arg=closing["hash"],
            )
            with screen.expect_download() as download:
                screen.keyboard.press("s")
            saved = tmp_path / "saved.json"
            download.value.save_as(saved)
        finally:
            screen_context.close()
            presenter_context.close()
    printed = re.search(r"((?:[0-9a-f]{4} ){15}[0-9a-f]{4})", served.out)
    assert printed, served.out
    result = cli(
        "verify-record", record, "--expect", shown, "--checkpoints", saved,
        "--public-key", printed[1], "--lang", "en",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "checkpoints a screen kept match the record" in result.output


def _inside(page, selector: str) -> bool:
    """Whether the element is wholly inside the window (not cut off, not pushed out)."""
    return page.evaluate(
        """s => { const r = document.querySelector(s).getBoundingClientRect();
                  return r.width > 0 && r.left >= 0 && r.right <= innerWidth
                         && r.top >= 0 && r.bottom <= innerHeight; }""",
        selector,
    )


def _last(path: Path) -> dict:
    return json.loads(lines(path)[-1])
