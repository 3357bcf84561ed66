"""Make the example workbooks in examples/ from their data files (*.toml).

    python examples/make_examples.py

Each data file names its edition, the 基本信息 fields, the numbers (a whole table
row may be given as a list, in the order of that table's input columns) and the
narrative (one list item per paragraph). The result is a workbook exactly as a clerk
would hand it in: made by `reportc new`, filled, saved by a program that does not
recalculate (openpyxl).
"""

from __future__ import annotations

import sys
from pathlib import Path

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

from reportc.checks import derivations
from reportc.fill import fill_workbook
from reportc.spec import load_spec
from reportc.writer import build_workbook

HERE = Path(__file__).resolve().parent


def values_from(data: dict, spec) -> dict:
    values = {f"info.{k}": v for k, v in data["info"].items()}
    derived = derivations(spec)
    for key, value in data["numbers"].items():
        if isinstance(value, list):
            table_id, row_id = key.split(".")
            block = spec.table(table_id).block_of(row_id)
            inputs = [c.id for c in block.columns if f"{key}.{c.id}" not in derived]
            if len(inputs) != len(value):
                raise SystemExit(f"{key}: {len(value)} values for {len(inputs)} input columns")
            values.update({f"{key}.{c}": v for c, v in zip(inputs, value, strict=True)})
        else:
            values[key] = value
    for part, paragraphs in data["narrative"].items():
        for i, text in enumerate(paragraphs, start=1):
            values[f"{part}.{i}"] = text
    for part, title in data.get("titles", {}).items():
        values[f"{part}.title"] = title
    return values


def make(source: Path) -> Path:
    data = tomllib.loads(source.read_text(encoding="utf-8"))
    spec = load_spec(data["edition"])
    info = data["info"]
    template = build_workbook(spec, info["org"], int(info["year"]))
    out = source.parent / data["output"]
    fill_workbook(spec, template, values_from(data, spec), out)
    return out


if __name__ == "__main__":
    for source in sorted(HERE.glob("*.toml")):
        print(f"{source.name} -> {make(source).name}")
