"""Display copies of originals as offices receive them: time to make each copy once, and to
find it again at the next start (the copy's hash verified), against hashing the original
alone (the peer: what every start costs anyway).

    python bench/originals.py [--seconds 120] [--megapixels 12]

Makes, in a temporary folder: a phone's MOV (H.264 and AAC, `--seconds` long, 1080p), the
same video as HEVC (copied to H.264: transcoded), a 12-megapixel HEIC photo (4032 × 3024, as
a phone takes it) and a GBK text statement of 200,000 rows; then derives each display copy in
the child process the app uses.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import imageio_ffmpeg  # noqa: E402

from presenter.integrity import hash_file  # noqa: E402
from presenter.originals import Request, Store  # noqa: E402


def ffmpeg(*arguments: str) -> None:
    import subprocess

    command = [imageio_ffmpeg.get_ffmpeg_exe(), "-hide_banner", "-loglevel", "error", "-y"]
    subprocess.run([*command, *arguments], check=True)


def make(folder: Path, seconds: int, megapixels: int) -> dict[str, tuple[Path, Request]]:
    source = ["-f", "lavfi", "-i", f"testsrc2=duration={seconds}:size=1920x1080:rate=30"]
    source += ["-f", "lavfi", "-i", f"sine=duration={seconds}"]
    mov, hevc = folder / "IMG_0001.MOV", folder / "IMG_0002.MOV"
    ffmpeg(*source, "-c:v", "libx264", "-preset", "ultrafast", "-b:v", "8M", "-c:a", "aac",
           str(mov))  # fmt: skip
    ffmpeg(*source, "-c:v", "libx265", "-preset", "ultrafast", "-b:v", "4M", "-c:a", "aac",
           "-tag:v", "hvc1", str(hevc))  # fmt: skip
    import pillow_heif
    from PIL import Image

    width = int((megapixels * 1_000_000 * 4 / 3) ** 0.5)  # 4:3, as a phone takes it
    photo = folder / "IMG_0003.HEIC"
    picture = Image.effect_noise((width, width * 3 // 4), 40).convert("RGB")
    pillow_heif.from_pillow(picture).save(photo, quality=50)
    statement = folder / "statement.csv"
    lines = ["某银行 个人账户交易明细", "户名：张某,账号：6222000000000000101", ""]
    lines += ["交易时间,交易类型,借贷标志,交易金额,账户余额,对方户名"]
    lines += [f'2024030{i % 9 + 1}100000,转账,借,"{i:,}.00",1.00,某某' for i in range(200_000)]
    statement.write_bytes("\r\n".join(lines).encode("gbk"))
    return {
        "phone MOV, H.264 (streams copied)": (mov, Request("video")),
        "phone MOV, HEVC (transcoded)": (hevc, Request("video")),
        f"{megapixels}-megapixel HEIC photo": (photo, Request("picture")),
        "GBK statement, 200,000 rows": (statement, Request("table")),
    }


def copy(work: Path, path: Path, request: Request) -> None:
    Store(work / "display").copy_of(path.name, path, request)


def timed(work) -> tuple[object, float]:
    start = time.perf_counter()
    result = work()
    return result, time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=int, default=120)
    parser.add_argument("--megapixels", type=int, default=12)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        originals = make(work, args.seconds, args.megapixels)
        print(f"{'original':<36} {'MB':>6} {'copy':>8} {'again':>8} {'hash (peer)':>12}")
        for label, (path, request) in originals.items():
            _, hashing = timed(lambda path=path: hash_file(path, ["sha256"]))
            _, made = timed(lambda path=path, request=request: copy(work, path, request))
            Store._checked.clear()  # a new process: the copy's hash is verified again
            _, again = timed(lambda path=path, request=request: copy(work, path, request))
            size = path.stat().st_size / 1e6
            print(f"{label:<36} {size:6.0f} {made:7.2f}s {again:7.2f}s {hashing:11.2f}s")


if __name__ == "__main__":
    main()
