"""Fill a reportc workbook's input cells by logical key, as a clerk would (openpyxl save).

Used by the example scripts and the tests; the written file has no formula caches,
exactly like a workbook saved by a program that does not recalculate.
"""

from __future__ import annotations

import io
from pathlib import Path

from .layout import cell_map
from .spec import Spec


def fill_workbook(spec: Spec, template: bytes | Path, values: dict, out: Path | None = None) -> bytes:
    """values: logical key -> value ("t3.new.natural": 5, "s1.sub1.1": "…", "info.org": "…")."""
    from openpyxl import load_workbook

    source = io.BytesIO(template) if isinstance(template, bytes) else template
    wb = load_workbook(source)
    cmap = cell_map(spec)
    for key, value in values.items():
        sheet, r, c = cmap[key]
        wb[sheet].cell(row=r + 1, column=c + 1).value = value
    buf = io.BytesIO()
    wb.save(buf)
    data = buf.getvalue()
    if out is not None:
        Path(out).write_bytes(data)
    return data
