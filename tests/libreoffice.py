"""Recalculate workbooks with LibreOffice headless (the recipe in docs/office-facts.md).

`soffice --convert-to xlsx` keeps cached formula results unless the profile sets
OOXMLRecalcMode to 0 ("always recalculate"); every run gets a fresh private profile.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

RECALC_XCU = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>0</value></prop></item>
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="ODFRecalcMode" oor:op="fuse"><value>0</value></prop></item>
</oor:items>
"""


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def recalculate(paths: list[Path], outdir: Path, attempts: int = 3) -> dict[Path, Path]:
    """Convert each workbook to a recalculated .xlsx in outdir; returns input -> output."""
    exe = soffice()
    if exe is None:
        raise RuntimeError("LibreOffice (soffice) is not installed")
    outdir.mkdir(parents=True, exist_ok=True)
    result: dict[Path, Path] = {}
    pending = list(paths)
    for _ in range(attempts):
        if not pending:
            break
        with tempfile.TemporaryDirectory(prefix="reportc-lo-") as profile:
            user = Path(profile) / "user"
            user.mkdir()
            (user / "registrymodifications.xcu").write_text(RECALC_XCU, encoding="utf-8")
            subprocess.run(
                [exe, f"-env:UserInstallation={Path(profile).as_uri()}", "--headless", "--norestore",
                 "--convert-to", "xlsx:Calc MS Excel 2007 XML", "--outdir", str(outdir), *map(str, pending)],
                check=False, capture_output=True, timeout=600,
            )
        still = []
        for p in pending:
            target = outdir / p.name
            if target.exists() and target.stat().st_mtime >= p.stat().st_mtime:
                result[p] = target
            else:
                still.append(p)
        pending = still
    if pending:
        raise RuntimeError(f"LibreOffice failed to convert: {[str(p) for p in pending]}")
    return result
