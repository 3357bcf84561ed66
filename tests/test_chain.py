"""Two-year chains: last year's workbook -> `reportc new --previous` -> this year's.

A changed carry-over (and the other across-year rules) is caught both by the 校验
sheet, recalculated by LibreOffice, and by `reportc check`, which agree check by check.
"""

from __future__ import annotations

import random

import pytest
from conftest import fill, run_cli
from gen import chain_numbers, texts
from libreoffice import recalculate, soffice
from test_libreoffice import sheet_statuses

from reportc import check
from reportc.checks import PASS
from reportc.api import new
from reportc.spec import load_spec

CHAINS = [("2019", 2020, "2021", 2021), ("2021", 2024, "2021", 2025), ("2019", 2019, "2019", 2020)]


def make_last(tmp_path, edition, year, seed):
    return fill(tmp_path / f"last-{edition}-{year}.xlsx", edition=edition, year=year, seed=seed,
                **{"info.phone": "0379-12345678"})


def chain_cases(tmp_path, count=len(CHAINS)):
    """(name, this-year file, expected failing rules) for the first `count` chains, consistent and broken
    (each chain the same whichever count: its own seeds)."""
    out = []
    for i, (ed0, y0, ed1, y1) in enumerate(CHAINS[:count]):
        last = make_last(tmp_path, ed0, y0, seed=i)
        template = new(previous=last, output=tmp_path / f"template-{i}.xlsx")
        spec = load_spec(ed1)
        wb = check(template).workbook
        assert wb.spec.edition == ed1 and wb.data.texts["info.year"] == str(y1)
        assert wb.data.texts["info.org"] == "测试县民政局" and wb.data.texts["info.phone"] == "0379-12345678"
        previous = wb.data.previous
        rng = random.Random(100 + i)
        base = {**chain_numbers(spec, rng, previous), **texts(spec, rng, year=y1)}
        variants = {"ok": (base, set())}
        col = rng.choice(["natural", "commercial", "legal"])
        broken = dict(base)
        broken[f"t3.carried.{col}"] += 3
        broken[f"t3.carry_next.{col}"] += 3  # O1 still holds: only the carry-over is wrong
        variants["carry"] = (broken, {"S1"})
        if ed1 == "2021" and ed0 == "2021":
            stock = dict(base)
            stock["t2.normative.in_force"] += 2
            variants["stock"] = (stock, {"S2"})
            repeal = dict(base)
            repeal["t2.rules.repealed"] = int(previous["ref:t2.rules.in_force"]) + repeal["t2.rules.made"] + 1
            repeal["t2.rules.in_force"] = 0
            variants["repeal"] = (repeal, {"S2", "S3"})
        if ed1 == "2019":
            items = dict(base)
            items["t2.penalty.last_year"] += 1
            variants["items"] = (items, {"S4"})
        for name, (values, rules) in variants.items():
            path = fill(tmp_path / f"chain{i}-{name}.xlsx", edition=ed1, template=template, values=values)
            out.append((f"{ed0}/{y0}->{ed1}/{y1} {name}", path, rules, last))
    return out


def test_reference_values_shown_beside_the_inputs(tmp_path):
    from openpyxl import load_workbook

    last = make_last(tmp_path, "2019", 2020, seed=9)
    template = new(previous=last, output=tmp_path / "t.xlsx")
    last_wb = check(last).workbook
    wb = load_workbook(template)
    ws = wb["三、依申请公开"]
    labels = [ws.cell(r, 1).value for r in range(1, ws.max_row + 1)]
    row = labels.index("参考：上年报告“四、结转下年度继续办理”") + 1
    from reportc.checks import compute_values

    last_values = compute_values(last_wb.spec, last_wb.data.numbers)
    assert ws.cell(row, 4).value == last_values["t3.carry_next.natural"]
    assert ws.cell(row, 4).protection.locked is not False
    assert "规则S1" in [c.value for c in wb["校验"]["B"]]  # rule ids shown so they cannot be taken for cells


@pytest.mark.libreoffice
@pytest.mark.skipif(soffice() is None, reason="LibreOffice (soffice) is not installed: apt-get install libreoffice-calc")
def test_carry_over_caught_by_sheet_and_check(tmp_path):
    cases = chain_cases(tmp_path)
    converted = recalculate([p for _, p, _, _ in cases], tmp_path / "out")
    for name, path, rules, last in cases:
        spec = check(path).workbook.spec
        statuses, errors, _, _ = sheet_statuses(converted[path], spec)
        assert not errors, f"{name}: {errors}"
        outcome = check(path)
        python = {(r.check.rule.id, r.check.location): r.status for r in outcome.results}
        assert statuses == python, name
        failing = {rule for (rule, _), status in statuses.items() if status != PASS}
        assert failing == rules, f"{name}: expected {rules}, sheet shows {failing}"
        # the same findings when last year's workbook is given to check instead of stored
        again = check(path, previous=last)
        assert {f.rule for f in again.findings if f.severity == "warning"} >= rules


def test_check_previous_names_both_years_cells(tmp_path):
    cases = chain_cases(tmp_path, count=1)  # the first chain's carry-over case: the others are not used here
    name, path, rules, last = next(c for c in cases if c[0].endswith("carry"))
    result = run_cli("check", path, "--previous", last)
    assert result.returncode == 0  # warnings only
    s1 = [line for line in result.stdout.splitlines() if "上年报告“四、结转下年度继续办理”" in line]
    assert s1 and "2020年度报告 三、依申请公开!" in s1[0]
    assert "[提醒][规则S1] 三、依申请公开!" in result.stdout  # issue 12 item 4: a rule id is not a cell
