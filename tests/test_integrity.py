"""Integrity check values: known answers, one read pass, the verified-hash cache."""

from __future__ import annotations

import hashlib
import os
import sqlite3
import time

import pytest

from presenter import integrity
from presenter.integrity import HashCache, hash_bytes, hash_file

from .conftest import wait_until

# Known answers: RFC 1321 (MD5), FIPS 180 (SHA-1, SHA-256), GB/T 32905-2016 (SM3).
ABC = {
    "md5": "900150983cd24fb0d6963f7d28e17f72",
    "sha1": "a9993e364706816aba3e25717850c26c9cd0d89d",
    "sha256": "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
    "sm3": "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0",
}
SM3_ABCD_16 = "debe9ff92275b8a138604889c18e5a4d6fdb70e5387e5765293dcba39c0c5732"


@pytest.mark.parametrize("algorithm", integrity.ALGORITHMS)
def test_known_answer_for_abc(algorithm):
    assert hash_bytes(b"abc", algorithm) == ABC[algorithm]


def test_sm3_second_standard_vector():
    assert hash_bytes(b"abcd" * 16, "sm3") == SM3_ABCD_16


def test_sm3_fallback_from_cryptography_gives_the_standard_answers():
    hasher = integrity._CryptographySM3()
    hasher.update(b"ab")
    hasher.update(b"c")
    assert hasher.hexdigest() == ABC["sm3"]
    other = integrity._CryptographySM3()
    other.update(b"abcd" * 16)
    assert other.hexdigest() == SM3_ABCD_16


def test_unknown_algorithm_is_refused():
    with pytest.raises(ValueError):
        integrity.new_hasher("sha512")


@pytest.fixture
def big_file(tmp_path):
    """A few MiB and an odd tail, so the threaded one-pass path and a partial chunk both run."""
    path = tmp_path / "image.dd"
    path.write_bytes(os.urandom(3 * integrity.CHUNK_SIZE + 12345))
    return path


def test_one_pass_gives_the_same_digests_as_separate_passes(big_file):
    together = hash_file(big_file, integrity.ALGORITHMS)
    data = big_file.read_bytes()
    for algorithm in integrity.ALGORITHMS:
        assert together[algorithm] == hash_file(big_file, [algorithm])[algorithm]
        assert together[algorithm] == hash_bytes(data, algorithm)
    assert together["sha256"] == hashlib.sha256(data).hexdigest()


def test_one_pass_reads_the_file_once_in_mebibyte_chunks(big_file):
    calls: list[tuple[int, int]] = []
    hash_file(big_file, ["sha256", "md5", "sm3"], lambda done, total: calls.append((done, total)))
    size = big_file.stat().st_size
    assert [done for done, _ in calls] == [
        min(size, (i + 1) * integrity.CHUNK_SIZE) for i in range(len(calls))
    ]
    assert calls[-1] == (size, size)
    assert len(calls) == 4


def test_empty_file_hashes_to_the_empty_digest(tmp_path):
    path = tmp_path / "empty"
    path.write_bytes(b"")
    assert hash_file(path, ["sha256"])["sha256"] == hashlib.sha256(b"").hexdigest()


def _settled(path) -> bool:
    """True once the file's ctime is older than the racy window: cache entries can be trusted."""
    return os.stat(path).st_ctime_ns + integrity.RACY_WINDOW_NS < time.time_ns()


def test_cache_hits_on_an_unchanged_file(tmp_path):
    path = tmp_path / "evidence.bin"
    path.write_bytes(b"A" * 1000)
    wait_until(lambda: _settled(path))
    cache = HashCache(tmp_path / "cache.sqlite3")
    assert cache.lookup(path, ["sha256"]) == {}
    first = cache.hash_file(path, ["sha256", "md5"])
    assert cache.lookup(path, ["sha256", "md5"]) == first
    assert HashCache(tmp_path / "cache.sqlite3").hash_file(path, ["sha256", "md5"]) == first


def test_cache_misses_after_a_same_size_change_with_the_mtime_put_back(tmp_path):
    path = tmp_path / "evidence.bin"
    path.write_bytes(b"A" * 1000)
    wait_until(lambda: _settled(path))
    cache = HashCache(tmp_path / "cache.sqlite3")
    before = cache.hash_file(path, ["sha256"])
    stat = os.stat(path)
    with open(path, "r+b") as stream:
        stream.seek(500)
        stream.write(b"B")
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    after = os.stat(path)
    assert (after.st_size, after.st_mtime_ns) == (stat.st_size, stat.st_mtime_ns)
    assert cache.lookup(path, ["sha256"]) == {}
    assert cache.hash_file(path, ["sha256"]) != before
    assert (
        cache.hash_file(path, ["sha256"])["sha256"] == hashlib.sha256(path.read_bytes()).hexdigest()
    )


def test_forced_verification_reads_the_file_whatever_the_cache_says(tmp_path):
    path = tmp_path / "evidence.bin"
    path.write_bytes(b"A" * 1000)
    wait_until(lambda: _settled(path))
    cache = HashCache(tmp_path / "cache.sqlite3")
    true = cache.hash_file(path, ["sha256"])["sha256"]
    with sqlite3.connect(cache.db_path) as db:
        db.execute("UPDATE digest SET value = ?", ("0" * 64,))
    assert cache.hash_file(path, ["sha256"])["sha256"] == "0" * 64  # served from the cache
    assert cache.hash_file(path, ["sha256"], force=True)["sha256"] == true


def test_an_entry_hashed_within_the_racy_window_of_a_change_is_not_trusted(tmp_path):
    """Timestamps are coarse: a change in the same tick as the hash could keep the ctime."""
    path = (tmp_path / "evidence.bin").resolve()
    path.write_bytes(b"A" * 1000)
    cache = HashCache(tmp_path / "cache.sqlite3")
    key = cache._key(path)
    ctime_ns = key[5]
    cache.store(path, key, ctime_ns + integrity.RACY_WINDOW_NS // 2, {"sha256": "0" * 64})
    assert cache.lookup(path, ["sha256"]) == {}
    cache.store(path, key, ctime_ns + 2 * integrity.RACY_WINDOW_NS, {"sha256": "0" * 64})
    assert cache.lookup(path, ["sha256"]) == {"sha256": "0" * 64}
