"""Headless Chromium for the tests: print an HTML file to PDF, or take a screenshot of it.

Every run gets a throw-away profile; the flags pin what would otherwise vary between runs
(device scale, scrollbars, network, first-run and update checks)."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--disable-extensions", "--hide-scrollbars",
         "--force-device-scale-factor=1", "--font-render-hinting=none", "--disable-lcd-text",
         "--run-all-compositor-stages-before-draw", "--virtual-time-budget=5000", "--force-color-profile=srgb",
         "--disable-features=Translate,MediaRouter,OptimizationHints"]


def chromium() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable"):
        found = shutil.which(name)
        if found:
            return found
    return None


def _run(args: list[str], output: Path) -> Path:
    exe = chromium()
    if exe is None:
        raise RuntimeError("Chromium is not installed")
    with tempfile.TemporaryDirectory(prefix="reportc-chromium-") as profile:
        proc = subprocess.run([exe, *FLAGS, f"--user-data-dir={profile}", *args], capture_output=True, timeout=120,
                              check=False)
    if not output.is_file() or output.stat().st_size == 0:
        raise RuntimeError(f"Chromium wrote no {output.name}: {proc.stderr.decode('utf-8', 'replace')[-2000:]}")
    return output


def print_pdf(html: Path, pdf: Path) -> Path:
    pdf.unlink(missing_ok=True)
    return _run(["--no-pdf-header-footer", f"--print-to-pdf={pdf}", Path(html).resolve().as_uri()], pdf)


def screenshot(html: Path, png: Path, width: int = 1000, height: int = 1400) -> Path:
    png.unlink(missing_ok=True)
    return _run([f"--window-size={width},{height}", f"--screenshot={png}", Path(html).resolve().as_uri()], png)
