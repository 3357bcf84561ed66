"""An Imported report into a locked reportc workbook: the plan `reportc new` writes,
with the imported values in its input cells."""

from __future__ import annotations

from decimal import Decimal

from .checks import compute_values
from .layout import cell_map
from .importer.assemble import Imported
from .record import replace

MAX_LISTED = 40  # doubts kept in the workbook's metadata (a cell holds 32,767 characters)


def workbook_bytes(imported: Imported) -> bytes:
    from .planner import Planner
    from .writer import write_xlsx

    spec, texts = imported.spec, imported.texts
    year_text = texts.get("info.year", "")
    year = int(year_text) if year_text.isdigit() else spec.first_year
    org = texts.get("info.org", "") or None
    lines = imported.doubt_lines()
    info = {"file": imported.source.name[:200], "kind": imported.kind, "sha256": imported.sha256,
            "status": imported.status, "doubts": [line[:300] for line in lines[:MAX_LISTED]], "count": len(lines)}
    planner = Planner(spec, org, year, None, None, None, True, info)
    data = planner.data
    for key, value in texts.items():
        if key in data.texts and not (key == "info.year" and not year_text.isdigit()):
            data.texts[key] = value
    for key, value in imported.cells.items():
        data.numbers[key] = value if isinstance(value, (int, Decimal)) else 0
        if value is not None:
            data.blanks.discard(key)
    planner.values = compute_values(spec, data.numbers)
    plan = planner.plan()
    cmap = cell_map(spec)
    for key, value in imported.cells.items():
        if value is None:
            continue
        sheet, r, c = cmap[key]
        plan_sheet = plan.sheet(sheet)
        cell = plan_sheet.cells[(r, c)]
        if cell.role != "input":
            continue
        number = float(value) if isinstance(value, Decimal) else value
        plan_sheet.cells[(r, c)] = replace(cell, value=number)
    if not year_text.isdigit():  # no year found: the clerk fills it in
        sheet, r, c = cmap["info.year"]
        plan.sheet(sheet).cells[(r, c)] = replace(plan.sheet(sheet).cells[(r, c)], value=None)
    return write_xlsx(plan)
