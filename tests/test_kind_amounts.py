"""Rule kind amount_in_yuan (compiler/kinds/amounts.py, rule D10): an amount in 万元 that looks typed in 元."""

from __future__ import annotations

from conftest import run_cli

from reportc import check
from reportc.layout import location
from reportc.spec import load_spec


def test_an_amount_typed_in_yuan_or_looking_like_yuan_is_told(tmp_path, filled_workbook):
    spec = load_spec("2021")
    cell = location(spec, "t2.fees.amount")
    typed = filled_workbook("typed.xlsx", t2__fees__amount="251000元")
    result = run_cli("check", typed)
    assert f"[错误][规则D6] {cell}" in result.stdout and "251000元 = 25.1万元，请填 25.1" in result.stdout
    big = filled_workbook("big.xlsx", t2__fees__amount=251000)
    d10 = [f for f in check(big).findings if f.rule == "D10"]
    assert len(d10) == 1 and d10[0].severity == "warning" and d10[0].location == cell
    assert "25.1亿元" in d10[0].message and "应填 25.1" in d10[0].message
    normal = filled_workbook("normal.xlsx", t2__fees__amount=12.5)
    assert not [f for f in check(normal).findings if f.rule == "D10"]
    # the bound is specification data
    d10_rule = next(r for r in spec.rules if r.id == "D10")
    bound = d10_rule.params["limits"]["fees.amount"]
    edge = filled_workbook("edge.xlsx", t2__fees__amount=bound - 1)
    assert not [f for f in check(edge).findings if f.rule == "D10"]


def test_a_2019_procurement_amount_in_yuan_is_a_warning(tmp_path, filled_workbook):
    big = filled_workbook("p.xlsx", year=2020, edition="2019", t2__procurement__amount=12_000_000)
    assert [f for f in check(big).findings if f.rule == "D10"]

