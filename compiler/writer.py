"""`reportc new`: serialise a sheet plan (plan.py) with XlsxWriter.

The plan says what each cell holds and which named style it has; this module knows
how those styles look and how XlsxWriter writes them. The output is byte-identical
for the same plan.
"""

from __future__ import annotations

import io
import zipfile
from datetime import datetime

from .checks_sheet import CHECKS_TOP  # noqa: F401  (re-exported for tests and tools)
from .plan import WorkbookPlan
from .planner import SOURCES_SHEET, plan_workbook  # noqa: F401  (SOURCES_SHEET: re-exported)
from .spec import Spec

FIXED_TIME = datetime(2021, 1, 1, 0, 0, 0)  # pinned so the same arguments give the same bytes

INPUT_FILL = "#FFF2CC"
DERIVED_FILL = "#E7E6E6"
HEADER_FILL = "#DDEBF7"

_BASE = {"font_name": "宋体", "font_size": 11, "valign": "vcenter"}
_BOX = {**_BASE, "border": 1, "text_wrap": True}
STYLES = {
    "plain": {},
    "title": {**_BASE, "bold": True, "font_size": 16, "align": "center", "text_wrap": True},
    "note": {**_BASE, "text_wrap": True, "font_color": "#404040"},
    "bold": {**_BASE, "bold": True},
    "text": {**_BASE, "text_wrap": True},
    "count": {**_BASE, "bold": True, "align": "center", "border": 1},
    "caption": {**_BOX, "bold": True, "align": "left"},
    "header": {**_BOX, "bold": True, "align": "center", "bg_color": HEADER_FILL},
    "label": {**_BOX, "align": "left"},
    "input": {**_BOX, "align": "center", "bg_color": INPUT_FILL, "locked": False},
    "input_text": {**_BOX, "align": "left", "valign": "top", "bg_color": INPUT_FILL, "locked": False},
    "derived": {**_BOX, "align": "center", "bg_color": DERIVED_FILL},
    "status": {**_BOX, "bold": True, "align": "center"},
    "link": {**_BOX, "align": "left", "font_color": "#0563C1", "underline": 1},
    "reference": {**_BOX, "align": "center", "bg_color": "#DDEBF7", "italic": True},
    "merged": {**_BOX, "align": "center", "bg_color": DERIVED_FILL},
    "reference_label": {**_BOX, "align": "left", "bg_color": "#DDEBF7", "italic": True},
    "reference_text": {**_BOX, "align": "left", "valign": "top", "bg_color": "#EEF3FA"},
    "big_status": {**_BASE, "bold": True, "font_size": 14, "border": 2, "text_wrap": True},
    "pass": {"font_color": "#006100", "bg_color": "#C6EFCE"},
    "fail": {"font_color": "#9C0006", "bg_color": "#FFC7CE"},
    "note_cf": {"font_color": "#7F6000", "bg_color": "#FFEB9C"},
    "swatch_input": {**_BOX, "bg_color": INPUT_FILL},
    "swatch_derived": {**_BOX, "bg_color": DERIVED_FILL},
    "swatch_pass": {**_BOX, "font_color": "#006100", "bg_color": "#C6EFCE", "align": "center"},
    "swatch_fail": {**_BOX, "font_color": "#9C0006", "bg_color": "#FFC7CE", "align": "center"},
    "swatch_note": {**_BOX, "font_color": "#7F6000", "bg_color": "#FFEB9C", "align": "center"},
}
PROTECTION = {"select_locked_cells": True, "select_unlocked_cells": True, "format_columns": True, "format_rows": True}


def write_xlsx(plan: WorkbookPlan) -> bytes:
    import xlsxwriter

    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"in_memory": True, "strings_to_numbers": False, "strings_to_formulas": False,
                                   "strings_to_urls": False})
    formats = {name: wb.add_format(props) for name, props in STYLES.items()}
    for sheet in plan.sheets:
        ws = wb.add_worksheet(sheet.name)
        if sheet.hidden:
            ws.very_hidden()
            ws.protect("")
        else:
            ws.set_paper(9)  # A4
            if sheet.landscape:
                ws.set_landscape()
            ws.set_margins(left=0.6, right=0.6, top=0.8, bottom=0.8)
            ws.center_horizontally()
            ws.fit_to_pages(1, 1 if sheet.one_page else 0)
            ws.hide_gridlines(2)
            ws.protect("", PROTECTION)
        for c, width in sorted(sheet.widths.items()):
            ws.set_column(c, c, width, None, {"hidden": True} if width == 0 else None)
        for r, height in sorted(sheet.heights.items()):
            ws.set_row(r, height)
        for (r, c), cell in sheet.cells.items():
            fmt = formats[cell.style]
            if cell.span and cell.span != (r, c):
                if cell.is_formula:
                    ws.merge_range(r, c, *cell.span, "", fmt)
                else:
                    ws.merge_range(r, c, *cell.span, "" if cell.value is None else cell.value, fmt)
                    continue
            _write(ws, r, c, cell, fmt)
        for r0, c0, r1, c1, options in sheet.validations:
            ws.data_validation(r0, c0, r1, c1, options)
        for r0, c0, r1, c1, options in sheet.conditional:
            ws.conditional_format(r0, c0, r1, c1, {**options, "format": formats[options["format"]]})
        if sheet.freeze:
            ws.freeze_panes(*sheet.freeze)
        if sheet.name == plan.active:
            ws.activate()
    wb.set_properties({**plan.properties, "created": FIXED_TIME})
    for name, value in plan.custom_properties:
        wb.set_custom_property(name, value)
    wb.close()
    return lock_structure(buf.getvalue())


def _write(ws, r, c, cell, fmt):
    value = cell.value
    if cell.is_formula:
        ws.write_formula(r, c, value, fmt, "" if cell.cached is None else cell.cached)
    elif value is None:
        ws.write_blank(r, c, None, fmt)
    elif isinstance(value, str):
        ws.write_string(r, c, value, fmt)  # text is never a formula, a number or a link
    else:
        ws.write_number(r, c, value, fmt)


def lock_structure(xlsx: bytes) -> bytes:
    """Add <workbookProtection lockStructure="1"/> (XlsxWriter has no API for it),
    keeping every other zip member byte for byte."""
    src = zipfile.ZipFile(io.BytesIO(xlsx))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "xl/workbook.xml":
                text = data.decode("utf-8")
                if "<workbookProtection" not in text:
                    text = text.replace("<bookViews>", '<workbookProtection lockStructure="1"/><bookViews>', 1)
                data = text.encode("utf-8")
            dst.writestr(info, data)
    return out.getvalue()


def build_workbook(spec: Spec, org: str | None, year: int, previous: dict | None = None,
                   merged: dict | None = None) -> bytes:
    return write_xlsx(plan_workbook(spec, org, year, previous=previous, merged=merged))
