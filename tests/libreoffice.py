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


MAIN_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
REL_NS = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
PKG_REL_NS = "{http://schemas.openxmlformats.org/package/2006/relationships}"


def _number(text: str):
    """A cell's number as openpyxl gives it: int unless written with a point or an exponent."""
    return float(text) if "." in text or "e" in text.lower() else int(text)


def computed_values(path: Path) -> tuple[dict[str, dict[tuple[int, int], object]], list[str]]:
    """The values a recalculated workbook stores: {sheet: {(row, col) one-based: value}} and its error
    cells ("Sheet!A1=#VALUE!"). A plain ElementTree reading of LibreOffice's own output (sheets found
    through the workbook's relationships), several times faster than openpyxl's and independent of
    reportc's reader; tests/test_libreoffice.py holds the two to the same values."""
    import posixpath
    import zipfile
    from xml.etree import ElementTree

    from openpyxl.utils.cell import coordinate_from_string, column_index_from_string

    with zipfile.ZipFile(path) as z:
        book = ElementTree.fromstring(z.read("xl/workbook.xml"))
        rels = {r.get("Id"): r.get("Target") for r in ElementTree.fromstring(z.read("xl/_rels/workbook.xml.rels"))
                .iter(f"{PKG_REL_NS}Relationship")}
        strings = []
        if "xl/sharedStrings.xml" in z.namelist():
            for si in ElementTree.fromstring(z.read("xl/sharedStrings.xml")).iter(f"{MAIN_NS}si"):
                strings.append("".join(t.text or "" for t in si.iter(f"{MAIN_NS}t")))
        values: dict[str, dict[tuple[int, int], object]] = {}
        errors: list[str] = []
        for sheet in book.iter(f"{MAIN_NS}sheet"):
            target = rels[sheet.get(f"{REL_NS}id")]
            part = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join("xl", target))
            grid = values[sheet.get("name")] = {}
            for c in ElementTree.fromstring(z.read(part)).iter(f"{MAIN_NS}c"):
                kind, v = c.get("t", "n"), c.find(f"{MAIN_NS}v")
                if kind == "inlineStr":
                    value = "".join(t.text or "" for t in c.iter(f"{MAIN_NS}t"))
                elif v is None or v.text is None:
                    continue
                elif kind == "s":
                    value = strings[int(v.text)]
                elif kind in ("str", "e"):
                    value = v.text
                elif kind == "b":
                    value = v.text == "1"
                else:
                    value = _number(v.text)
                letters, row = coordinate_from_string(c.get("r"))
                grid[(row, column_index_from_string(letters))] = value
                if kind == "e":
                    errors.append(f"{sheet.get('name')}!{c.get('r')}={value}")
    return values, errors
