"""Hashing throughput: our one-pass SHA-256 + MD5 against coreutils `sha256sum` alone, and our
SM3 against `openssl dgst -sm3`, on the same temporary file in the same run.

    python bench/hashing.py [--size-mib 1024] [--repeat 3]

The file is read once before timing so every contender reads from the page cache; each figure
is the best of --repeat runs. Prints MB/s (10^6 bytes per second) and the ratios.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from presenter.integrity import SM3_FROM_HASHLIB, hash_file  # noqa: E402


def best_seconds(run: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return min(times)


def command(*argv: str) -> Callable[[], object]:
    return lambda: subprocess.run(argv, check=True, stdout=subprocess.DEVNULL)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size-mib", type=int, default=1024)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    for tool in ("sha256sum", "openssl"):
        if not shutil.which(tool):
            sys.exit(f"{tool} is needed for the comparison and was not found")

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder, "evidence.img")
        with open(path, "wb") as stream:
            for _ in range(args.size_mib):
                stream.write(os.urandom(1 << 20))
        size = path.stat().st_size
        subprocess.run(["cat", str(path)], check=True, stdout=subprocess.DEVNULL)  # warm cache

        def mbps(seconds: float) -> float:
            return size / seconds / 1e6

        rows = {
            "one-pass sha256+md5 (shizheng)": best_seconds(
                lambda: hash_file(path, ["sha256", "md5"]), args.repeat
            ),
            "sha256sum alone (coreutils)": best_seconds(
                command("sha256sum", str(path)), args.repeat
            ),
            "sha256 alone (shizheng)": best_seconds(
                lambda: hash_file(path, ["sha256"]), args.repeat
            ),
            "md5 alone (shizheng)": best_seconds(lambda: hash_file(path, ["md5"]), args.repeat),
            "sm3 (shizheng)": best_seconds(lambda: hash_file(path, ["sm3"]), args.repeat),
            "openssl dgst -sm3": best_seconds(
                command("openssl", "dgst", "-sm3", str(path)), args.repeat
            ),
        }

    print(f"file: {size / (1 << 20):.0f} MiB, best of {args.repeat}, page cache warm")
    print(f"sm3 from: {'hashlib (OpenSSL)' if SM3_FROM_HASHLIB else 'cryptography'}")
    for name, seconds in rows.items():
        print(f"{name:34s} {mbps(seconds):8.0f} MB/s  ({seconds:.3f} s)")
    one_pass = rows["one-pass sha256+md5 (shizheng)"]
    print(
        "ratio one-pass sha256+md5 / sha256sum alone: "
        f"{rows['sha256sum alone (coreutils)'] / one_pass:.2f}x  (goal >= 1.40x)"
    )
    print(
        f"ratio sm3 / openssl dgst -sm3: {rows['openssl dgst -sm3'] / rows['sm3 (shizheng)']:.2f}x"
    )


if __name__ == "__main__":
    main()
