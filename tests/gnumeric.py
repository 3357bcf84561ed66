"""Recalculate workbooks with Gnumeric's ssconvert, an engine independent of Excel and LibreOffice.

`ssconvert --recalc in.xlsx out.xlsx` loads a workbook, recalculates every formula and saves the
results as the cached values of a new .xlsx, which openpyxl then reads (data_only=True).
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path


def ssconvert() -> str | None:
    return shutil.which("ssconvert")


def recalculate(paths: list[Path], outdir: Path) -> dict[Path, Path]:
    """Convert each workbook to a recalculated .xlsx in outdir; returns input -> output."""
    exe = ssconvert()
    if exe is None:
        raise RuntimeError("Gnumeric (ssconvert) is not installed")
    outdir.mkdir(parents=True, exist_ok=True)
    result: dict[Path, Path] = {}
    for path in paths:
        target = outdir / path.name
        done = subprocess.run([exe, "--recalc", str(path), str(target)], check=False, capture_output=True, timeout=300)
        if done.returncode != 0 or not target.exists():
            raise RuntimeError(f"ssconvert failed on {path}: {done.stderr.decode('utf-8', 'replace')[-500:]}")
        result[path] = target
    return result
