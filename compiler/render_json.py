"""report.json: the report's data, machine-readable (schema in docs/数据格式.md).

Every table value keyed by table, official row label and official column label (and
the workbook's own key), 基本信息, the narrative as published, and the workbook's
narrative inputs so that `reportc import report.json` gives back the same workbook.
"""

from __future__ import annotations

from decimal import Decimal

from . import __version__
from .checks import derivations
from .jsontext import dumps
from .layout import NarrativeRow, location, narrative_rows
from .report import build_report

FORMAT = "reportc-report/1"


def _number(value):
    """Amounts have at most 4 decimals and 13 digits: a float's shortest repr is their exact digits."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


def report_dict(analysis, draft: bool = False, report=None) -> dict:
    """report.json of a workbook's analysis; `report`: its report.Report when already built."""
    report = report or build_report(analysis, draft=draft)
    spec, data, values = analysis.spec, analysis.data, analysis.values
    derived = derivations(spec)
    cells = []
    for table in spec.tables:
        for block in table.blocks:
            for row in block.rows:
                for col in block.columns:
                    key = f"{table.id}.{row.id}.{col.id}"
                    item = {"key": key, "table": table.title, "block": block.caption or "", "row": row.display,
                            "column": col.label, "value": _number(values[key]), "unit": "万元" if col.kind == "amount" else "件",
                            "derived": key in derived, "cell": location(spec, key)}
                    if key in data.blanks:
                        item["blank"] = True
                    if key in data.invalid:
                        item["value"], item["invalid"] = None, True
                    cells.append(item)
    inputs = {}
    for section in spec.narrative:
        for row in narrative_rows(section):
            if isinstance(row, NarrativeRow) and data.texts.get(row.key, ""):
                inputs[row.key] = data.texts[row.key]
    sections = [{"id": s.id, "title": s.title,
                 "paragraphs": [{"text": p.text, "level": p.level} for p in s.paragraphs]}
                for s in report.sections if s.table is None]
    return {
        "format": FORMAT,
        "generator": f"reportc {__version__}",
        "edition": spec.edition,
        "edition_name": spec.name,
        "org": report.org,
        "year": report.year,
        "title": report.title,
        "draft": draft,
        "info": {f.id: data.texts.get(f"info.{f.id}", "") for f in spec.fields},
        "sections": sections,
        "signature": list(report.signature),
        "cells": cells,
        "narrative_inputs": inputs,
    }


def render_json(analysis, draft: bool = False, report=None) -> str:
    return dumps(report_dict(analysis, draft, report)) + "\n"  # json.dumps(…, ensure_ascii=False, indent=2)
