"""Fill a reportc workbook's input cells by logical key, as a clerk would (openpyxl save).

Used by the example scripts and the tests; the written file has no formula caches,
exactly like a workbook saved by a program that does not recalculate.

Loading a template with openpyxl is three quarters of a fill (~0.15 s), and the tests fill the
same few templates hundreds of times. So the last few loaded templates are kept, one fill at a
time (a lock), and after saving each fill puts back what it changed: the value, type and style of
every cell it touched, the cells it created, the sheet format openpyxl's save sets. A fill whose
values added a style (a date gets a date format) drops the kept template instead.
tests/test_fill.py holds a fill from a kept template to a fresh one's.
"""

from __future__ import annotations

import io
import threading
from copy import copy
from pathlib import Path

from .layout import cell_map
from .spec import Spec

KEPT = 4  # templates kept loaded
_loaded: dict[bytes, tuple] = {}  # template bytes -> (openpyxl Workbook, sheet formats, table sizes), oldest first
_lock = threading.Lock()  # one fill at a time: the kept workbooks are shared


def _workbook(template: bytes):
    from openpyxl import load_workbook

    kept = _loaded.pop(template, None)
    if kept is None:
        wb = load_workbook(io.BytesIO(template))
        state = [(ws, ws.column_dimensions.max_outline, ws.sheet_format.outlineLevelCol) for ws in wb.worksheets]
        wb.save(io.BytesIO())  # the first save adds the styles of rows and columns to the workbook's tables
        _restore_formats(state)
        kept = wb, state, _tables(wb)
        while len(_loaded) >= KEPT:
            del _loaded[next(iter(_loaded))]
    _loaded[template] = kept  # the newest last
    return kept


def fill_workbook(spec: Spec, template: bytes | Path, values: dict, out: Path | None = None) -> bytes:
    """values: logical key -> value ("t3.new.natural": 5, "s1.sub1.1": "…", "info.org": "…")."""
    template = template if isinstance(template, bytes) else Path(template).read_bytes()
    with _lock:
        data = _fill(spec, template, values)
    if out is not None:
        Path(out).write_bytes(data)
    return data


def _fill(spec: Spec, template: bytes, values: dict) -> bytes:
    wb, saved_state, tables = _workbook(template)
    cmap = cell_map(spec)
    touched: dict[tuple[str, int, int], tuple | None] = {}  # (sheet, row, col) -> what to put back
    try:
        for key, value in values.items():
            sheet, r, c = cmap[key]
            ws = wb[sheet]
            if (sheet, r, c) not in touched:
                cell = ws._cells.get((r + 1, c + 1))
                touched[(sheet, r, c)] = None if cell is None else (cell._value, cell.data_type, copy(cell._style))
            ws.cell(row=r + 1, column=c + 1).value = value
        buf = io.BytesIO()
        wb.save(buf)
    except BaseException:
        _loaded.pop(template, None)  # in an unknown state: loaded again next time
        raise
    else:
        if _tables(wb) != tables:  # a value that brought a style (a date's number format): not put back
            _loaded.pop(template, None)
    finally:
        try:
            _put_back(wb, touched)
            _restore_formats(saved_state)
        except Exception:  # noqa: BLE001  (what could not be put back: loaded again next time)
            _loaded.pop(template, None)
    return buf.getvalue()


def _tables(wb) -> tuple:
    """The sizes of the workbook's lists (its style tables among them: fonts, number formats, cell styles)."""
    return tuple((name, len(value)) for name, value in sorted(vars(wb).items()) if isinstance(value, list))


def _restore_formats(state: list) -> None:
    """openpyxl's save writes these into the workbook: a second save would write outlineLevelCol="0"."""
    for ws, max_outline, level in state:
        ws.column_dimensions.max_outline, ws.sheet_format.outlineLevelCol = max_outline, level


def _put_back(wb, touched: dict) -> None:
    for (sheet, r, c), before in touched.items():
        ws = wb[sheet]
        if before is None:
            ws._cells.pop((r + 1, c + 1), None)
        else:
            cell = ws._cells[(r + 1, c + 1)]
            cell._value, cell.data_type, cell._style = before
