"""The presentation record: a whole chain passes; a changed, removed or inserted line is named."""

from __future__ import annotations

import hashlib
import json
import threading

import pytest

from presenter.live.record import Record, verify_record

from .conftest import run_app


@pytest.fixture
def record_file(tmp_path):
    record = Record.start(tmp_path / "records", "demo", title="测试")
    for n in range(1, 6):
        record.append("state", {"seq": n, "item": f"E0{n}"}, "presenter", by="presenter")
    record.close()
    return record.path


def lines(path) -> list[bytes]:
    return path.read_bytes().splitlines(keepends=True)


def write(path, rows: list[bytes]) -> None:
    path.write_bytes(b"".join(rows))


def test_a_whole_record_passes(record_file):
    check = verify_record(record_file)
    assert (check.ok, check.entries) == (True, 6)
    first = json.loads(lines(record_file)[0])
    assert first["event"] == "start" and first["deck"] == "demo" and first["prev"] == "0" * 64


def test_each_line_holds_the_hash_of_the_line_before(record_file):
    rows = lines(record_file)
    for before, after in zip(rows, rows[1:], strict=False):
        assert json.loads(after)["prev"] == hashlib.sha256(before).hexdigest()


def test_a_changed_line_is_named(record_file):
    rows = lines(record_file)
    rows[2] = rows[2].replace(b'"E02"', b'"E09"')
    write(record_file, rows)
    check = verify_record(record_file)
    assert (check.ok, check.line, check.code) == (False, 3, "changed")


def test_a_changed_last_line_is_named(record_file):
    rows = lines(record_file)
    rows[-1] = rows[-1].replace(b'"presenter"', b'"expert"', 1)
    write(record_file, rows)
    assert (verify_record(record_file).line, verify_record(record_file).code) == (6, "changed")


def test_a_removed_line_is_named(record_file):
    rows = lines(record_file)
    del rows[2]
    write(record_file, rows)
    check = verify_record(record_file)
    assert (check.line, check.code, check.params) == (3, "removed", {"expected": 3, "found": 4})


def test_a_duplicated_line_is_an_insertion(record_file):
    rows = lines(record_file)
    rows.insert(2, rows[1])
    write(record_file, rows)
    check = verify_record(record_file)
    assert (check.line, check.code) == (3, "inserted")


def test_a_forged_line_with_its_own_valid_hash_is_an_insertion(record_file):
    rows = lines(record_file)
    entry = json.loads(rows[2])
    entry.pop("hash")
    entry["state"] = {"seq": 99, "item": "E99"}
    entry["prev"] = hashlib.sha256(b"somewhere else").hexdigest()
    canonical = json.dumps(entry, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    entry["hash"] = hashlib.sha256(canonical.encode()).hexdigest()
    rows[2] = json.dumps(entry, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()
    write(record_file, [*rows[:2], rows[2] + b"\n", *rows[3:]])
    check = verify_record(record_file)
    assert (check.line, check.code) == (3, "inserted")


def test_a_torn_last_line_and_an_empty_file_fail(record_file, tmp_path):
    write(record_file, [*lines(record_file)[:-1], lines(record_file)[-1][:-10]])
    assert (verify_record(record_file).line, verify_record(record_file).code) == (6, "incomplete")
    empty = tmp_path / "empty.jsonl"
    empty.write_bytes(b"")
    assert verify_record(empty).code == "empty"


def test_appends_are_on_disk_when_append_returns(tmp_path):
    record = Record.start(tmp_path, "demo")
    record.append("state", {"seq": 1}, "presenter")
    assert len(record.path.read_bytes().splitlines()) == 2
    record.close()


def test_appends_from_many_threads_make_one_whole_chain(tmp_path):
    record = Record.start(tmp_path, "demo")

    def write_some() -> None:
        for i in range(40):
            record.append("state", {"seq": i}, "presenter")

    threads = [threading.Thread(target=write_some) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    record.close()
    assert verify_record(record.path).entries == 1 + 8 * 40
    numbers = [json.loads(row)["n"] for row in lines(record.path)]
    assert numbers == list(range(1, 322))


def test_verify_record_command_exit_codes_and_messages(tmp_path):
    from presenter.live.signing import Signer

    record = Record.start(tmp_path / "records", "demo", Signer.of_instance(tmp_path), title="测试")
    for n in range(1, 5):
        record.append("state", {"seq": n, "item": f"E0{n}"}, "presenter", by="presenter")
    record.end(by="presenter")
    record_file = record.path
    whole = run_app("verify-record", str(record_file), "--lang", "en")
    assert whole.returncode == 0 and "6 entries, the chain is whole" in whole.stdout
    assert "ends with its closing entry, entry 6" in whole.stdout
    rows = lines(record_file)
    del rows[3]
    write(record_file, rows)
    broken = run_app("verify-record", str(record_file))
    assert broken.returncode == 1
    assert f"{record_file}:4:" in broken.stderr and "删除" in broken.stderr
    missing = run_app("verify-record", str(record_file) + ".nope", "--lang", "en")
    assert missing.returncode == 1 and "Traceback" not in missing.stderr
    assert "cannot be read" in missing.stderr
