"""Changing one number of table 三 in a consistent workbook is always caught, by an
error whose location covers that cell (its row or column).

Tables 二 and 四 carry no redundancy in the official format (their totals are
derived), so a wrong but non-negative number there cannot be detected from one
workbook; see docs/threat-model.md.
"""

from __future__ import annotations

import random
import re

from gen import consistent_numbers, texts

from reportc.checks import Data, input_keys
from reportc.fill import fill_workbook
from reportc.layout import cell_map, a1
from reportc.reader import read_workbook
from reportc.validate import run_checks
from reportc.writer import build_workbook


def covers(location: str, sheet: str, r: int, c: int) -> bool:
    loc_sheet, _, ref = location.partition("!")
    if loc_sheet != sheet:
        return False
    m = re.fullmatch(r"([A-Z]+)(\d+)(?::([A-Z]+)(\d+))?", ref)
    if not m:
        return False

    def col(letters):
        n = 0
        for ch in letters:
            n = n * 26 + ord(ch) - 64
        return n - 1

    c0, r0 = col(m.group(1)), int(m.group(2)) - 1
    c1, r1 = (col(m.group(3)), int(m.group(4)) - 1) if m.group(3) else (c0, r0)
    return r0 <= r <= r1 and c0 <= c <= c1


def _errors_covering(spec, data, key):
    _, findings = run_checks(spec, data)
    sheet, r, c = cell_map(spec)[key]
    return [f for f in findings if f.severity == "error" and covers(f.location, sheet, r, c)]


def t3_inputs(spec):
    return [k for k in input_keys(spec) if k.startswith("t3.")]


def test_every_table3_cell_change_is_caught(spec, year):
    rng = random.Random(7)
    numbers = consistent_numbers(spec, rng, high=30)
    base = Data(numbers=numbers, texts={k: str(v) for k, v in texts(spec, rng, year=year).items()})
    assert not [f for f in run_checks(spec, base)[1] if f.severity == "error"]
    for key in t3_inputs(spec):
        for delta in (1, 7, -1):
            if numbers[key] + delta < 0:
                continue
            mutated = Data(numbers={**numbers, key: numbers[key] + delta}, texts=base.texts)
            assert _errors_covering(spec, mutated, key), f"{key} {delta:+d} not caught"


def test_changes_in_saved_workbooks_are_caught(spec, year, tmp_path):
    rng = random.Random(11)
    numbers = consistent_numbers(spec, rng, high=30)
    values = {**numbers, **texts(spec, rng, year=year)}
    template = build_workbook(spec, "测试县民政局", year)
    keys = rng.sample(t3_inputs(spec), 12)
    for i, key in enumerate(keys):
        delta = rng.choice([1, 3, 25])
        path = tmp_path / f"m{i}.xlsx"
        fill_workbook(spec, template, {**values, key: numbers[key] + delta}, path)
        wb = read_workbook(path)
        sheet, r, c = cell_map(spec)[key]
        assert _errors_covering(spec, wb.data, key), f"{sheet}!{a1(r, c)} {delta:+d} not caught"
