"""Printing a bundle to PDF through Debian's headless Chromium, when it is there."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--no-pdf-header-footer",
    "--run-all-compositor-stages-before-draw",
    "--virtual-time-budget=20000",
)
TIMEOUT = 600


class PrintError(Exception):
    pass


def chromium() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


def print_pdf(page: Path, target: Path) -> Path:
    """`page` (a file of the bundle) printed to `target` as Chromium prints it (A4, the
    bundle's print stylesheet)."""
    browser = chromium()
    if browser is None:
        raise PrintError("chromium")
    command = [browser, *CHROMIUM_FLAGS, f"--print-to-pdf={target}", page.resolve().as_uri()]
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=TIMEOUT)
    except subprocess.TimeoutExpired as error:
        raise PrintError("timeout") from error
    if done.returncode != 0 or not target.is_file():
        raise PrintError(done.stderr.strip().splitlines()[-1:] or "chromium")
    return target
