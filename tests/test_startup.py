"""What a check and a build load when the edition is in the cache: the libraries they do not use stay
unimported (each costs start-up time: typer and click alone were a third of a check's start)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "qingshan-minzheng-2025.xlsx"

PROBE = """
import sys
from reportc.entry import main
try:
    main(sys.argv[1:])
except SystemExit as exc:
    code = exc.code
print("LOADED", code, " ".join(sorted(sys.modules)), file=sys.stderr)
"""

NEVER = {"typer", "click", "openpyxl", "xlsxwriter", "docx", "lxml", "pdfplumber", "tomllib", "tomli",
         "importlib.resources", "pkgutil", "reportc.cli", "reportc.writer", "reportc.importer",
         "reportc.docx_base", "dataclasses"}  # dataclasses: compiling its methods was a quarter of a check (record.py)


def _loaded(tmp_path: Path, *argv: str) -> set[str]:
    env = {**os.environ, "REPORTC_CACHE_DIR": str(tmp_path / "cache"), "PYTHONIOENCODING": "utf-8"}
    for _ in range(2):  # the first run fills the cache (edition, prepared DOCX, compiled templates)
        result = subprocess.run([sys.executable, "-c", PROBE, *argv], capture_output=True, text=True,
                                encoding="utf-8", env=env, timeout=120)
    line = result.stderr.strip().splitlines()[-1]
    assert line.startswith("LOADED 0 "), result.stderr
    return set(line.split()[2:])


def test_a_warm_check_loads_only_what_it_uses(tmp_path):
    loaded = _loaded(tmp_path, "check", str(EXAMPLE))
    # typing: a tenth of a check's start; hashlib loads OpenSSL (digest.py); ElementTree: 2 % of a check
    # (xlsx.py reads every part with expat, ElementTree only for a part with a DTD or to report bad XML)
    # the output formats' registry (reportc.renderers): a build's, not a check's
    unused = NEVER | {"jinja2", "markupsafe", "typing", "inspect", "hashlib", "_hashlib", "xml.etree.ElementTree",
                      "reportc.renderers"}
    assert not loaded & unused, sorted(loaded & unused)


def test_a_warm_build_loads_only_what_it_uses(tmp_path):
    loaded = _loaded(tmp_path, "build", str(EXAMPLE), "-o", str(tmp_path / "out"))
    assert "jinja2" in loaded  # the pages are Jinja2's
    assert not loaded & NEVER, sorted(loaded & NEVER)
