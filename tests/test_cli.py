"""The command line as a user runs it: exit codes, output formats, help for every command."""

from __future__ import annotations

import hashlib

import pytest

from presenter.cli import main
from presenter.integrity import hash_bytes

from .conftest import PRESENTER_KEY, run_app, serve_app, wait_until
from .deckfactory import edit
from .test_integrity import ABC


def test_hash_prints_algo_value_file_lines_default_sha256(cli, tmp_path):
    path = tmp_path / "abc.txt"
    path.write_bytes(b"abc")
    result = cli("hash", path)
    assert result.exit_code == 0
    assert result.output == f"sha256  {ABC['sha256']}  {path}\n"


def test_hash_several_algorithms_and_files(cli, tmp_path):
    first, second = tmp_path / "a.txt", tmp_path / "b.txt"
    first.write_bytes(b"abc")
    second.write_bytes(b"")
    result = cli("hash", first, second, "--algorithm", "sm3", "-a", "MD5")
    assert result.exit_code == 0
    assert result.output.splitlines() == [
        f"sm3  {ABC['sm3']}  {first}",
        f"md5  {ABC['md5']}  {first}",
        f"sm3  {hash_bytes(b'', 'sm3')}  {second}",
        f"md5  {hashlib.md5(b'').hexdigest()}  {second}",
    ]


def test_hash_of_a_missing_file_says_which_and_exits_1(tmp_path):
    present = tmp_path / "a.txt"
    present.write_bytes(b"abc")
    result = run_app("hash", str(tmp_path / "missing.bin"), str(present))
    assert result.returncode == 1
    assert f"{tmp_path / 'missing.bin'}: No such file or directory" in result.stderr
    assert f"sha256  {ABC['sha256']}  {present}" in result.stdout
    assert "Traceback" not in result.stderr


def test_hash_refuses_an_unknown_algorithm(cli, tmp_path):
    path = tmp_path / "a.txt"
    path.write_bytes(b"abc")
    result = cli("hash", path, "--algorithm", "sha512")
    assert result.exit_code == 2
    assert "sha512" in result.output


@pytest.mark.parametrize("command", sorted(main.commands))
def test_every_command_has_help(cli, command):
    result = cli(command, "--help")
    assert result.exit_code == 0
    assert "Usage:" in result.output


def test_top_level_help_lists_the_commands(cli):
    result = cli("--help")
    assert result.exit_code == 0
    for command in ("check", "hash", "serve"):
        assert command in result.output


def test_check_exit_codes_through_the_real_entry_point(deck_dir, tmp_path):
    ok = run_app("check", str(deck_dir), "--instance", str(tmp_path / "i"), "--lang", "en")
    assert ok.returncode == 0, ok.stdout
    edit(deck_dir / "files" / "chat.csv", "你好老师", "你好先生")
    bad = run_app("check", str(deck_dir), "--instance", str(tmp_path / "i"), "--lang", "en")
    assert bad.returncode == 1
    assert "items/e01-chat.md:22: error: source.hash[0].value:" in bad.stdout
    assert "Traceback" not in bad.stdout + bad.stderr


def test_serve_refuses_a_broken_deck_with_the_report(deck_dir, tmp_path):
    (deck_dir / "deck.toml").write_text("format = 1\n[case\n", encoding="utf-8")
    result = run_app(str(deck_dir), "--instance", str(tmp_path / "i"), "--lang", "en")
    assert result.returncode == 1
    assert "deck.toml:2: error: case: TOML syntax error" in result.stdout
    assert "Traceback" not in result.stdout + result.stderr


def test_large_files_get_a_progress_bar_on_stderr(deck_dir, tmp_path, monkeypatch):
    from presenter import cli as cli_module

    monkeypatch.setattr(cli_module, "PROGRESS_THRESHOLD", 10)
    from click.testing import CliRunner

    result = CliRunner().invoke(
        main, ["check", str(deck_dir), "--instance", str(tmp_path / "i"), "--lang", "en"]
    )
    assert result.exit_code == 0
    assert "files/chat.csv" in result.stderr
    assert "files/chat.csv" not in result.stdout


def test_serve_answers_over_http_until_stopped(deck_dir, tmp_path):
    with serve_app(
        str(deck_dir), "--instance", str(tmp_path / "i"), "--presenter-key", PRESENTER_KEY
    ) as served:
        wait_until(served.get, timeout=60)
        assert "张某手机微信聊天记录" in served.get(f"?key={PRESENTER_KEY}")
    assert served.url in served.out
    assert "Traceback" not in served.err


def test_serving_on_every_interface_prints_the_lan_address_and_a_warning(deck_dir, tmp_path):
    with serve_app(
        str(deck_dir), "--host", "0.0.0.0", "--instance", str(tmp_path), "--lang", "en"
    ) as served:
        wait_until(served.get, timeout=60)
    links = [
        line
        for line in served.out.splitlines()
        if line.startswith(("Presenter:", "Screens:", "Public:"))
    ]
    assert len(links) == 3 and not any("0.0.0.0" in line for line in links)
    assert len({line.split("key=")[1] for line in links}) == 3, "three different keys"
    assert "screen link, the public gallery the public link" in served.err


def test_keys_shorter_than_128_bits_are_refused(deck_dir):
    result = run_app(str(deck_dir), "--presenter-key", "short", env={"SHIZHENG_LANG": "en"})
    assert result.returncode == 2
    assert "--presenter-key" in result.stderr and "128 bits" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    "key",
    [
        "a" * 22, "ab" * 16, "abcabcabcabcabcabcabcabc", "0" * 40, "Passw0rd-Passw0rd-Passw0rd",
        "abcdefghijklmnopqrstuvwxyz0123456789", "qwertyuiopasdfghjklzxcvbnmQWERTYUIOP",
    ],
)  # fmt: skip
def test_a_key_with_too_little_randomness_is_refused(deck_dir, key):
    result = run_app(str(deck_dir), "--screen-key", key)
    assert result.returncode == 2, result.stdout
    assert "--screen-key" in result.stderr and "128" in result.stderr
    assert "Traceback" not in result.stderr


def test_two_keys_that_are_the_same_are_a_clear_error(deck_dir, tmp_path):
    key = "The-same-key-for-two-links-0042"
    for pair in (("--presenter-key", "--screen-key"), ("--screen-key", "--public-key")):
        result = run_app(
            str(deck_dir), pair[0], key, pair[1], key, "--instance", str(tmp_path),
            env={"SHIZHENG_LANG": "en"},
        )  # fmt: skip
        assert result.returncode == 2, result.stdout
        assert pair[0] in result.stderr and pair[1] in result.stderr
        assert "must all differ" in result.stderr and "Traceback" not in result.stderr
    assert "Traceback" not in result.stderr


def test_a_weak_key_from_the_environment_is_blamed_on_the_variable(deck_dir):
    result = run_app(str(deck_dir), env={"SHIZHENG_SCREEN_KEY": "a" * 22, "SHIZHENG_LANG": "en"})
    assert result.returncode == 2
    assert "$SHIZHENG_SCREEN_KEY" in result.stderr and "Traceback" not in result.stderr


def test_the_screens_start_on_the_title_or_black(deck_dir, tmp_path):
    from presenter import create_app
    from presenter.deck import load_deck

    for start in ("logo", "black"):
        app = create_app(load_deck(deck_dir), instance_path=tmp_path / start, start=start)
        assert app.extensions["shizheng.court"].state.blank == start
        app.extensions["shizheng.court"].record.close()
    result = run_app(str(deck_dir), "--start", "grey", env={"SHIZHENG_LANG": "en"})
    assert result.returncode == 2 and "--start" in result.stderr
