"""Rule kind amount_in_yuan (compiler/kinds/amounts.py, rule D10): an amount in 万元 that looks typed in 元."""

from __future__ import annotations

from decimal import Decimal

import pytest
from conftest import run_cli
from kindcheck import SPEC, data, find

from reportc import check, record
from reportc.errors import SpecError
from reportc.kinds import kind_of
from reportc.kinds.amounts import body_kind, limits_for
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



# ---- the kind on its own --------------------------------------------------------------------

def _d10_findings(org: str, amount):
    spec = SPEC["2021"]
    return find(spec, "D10", data(spec, numbers={"t2.fees.amount": amount}, texts={"info.org": org}))


@pytest.mark.parametrize("org,amount,warned", [
    ("测试县民政局", Decimal("49999.99"), False),
    ("测试县民政局", 50000, True),  # the general bound
    ("测试县人民政府", 50000, False),  # a 人民政府 sums its departments': a larger bound
    ("测试县人民政府", 2_000_000, True),
    ("测试县 人民政府 办公室", 1_999_999, False),  # spaces ignored; 人民政府办公室 is of that kind
])
def test_amount_bound_follows_the_kind_of_body(org, amount, warned):
    found = _d10_findings(org, amount)
    assert bool(found) == warned, found
    if warned:
        (finding,) = found
        assert finding.location == location(SPEC["2021"], "t2.fees.amount") and finding.severity == "warning"


def test_an_invalid_amount_is_not_judged_again():
    spec = SPEC["2021"]
    d = data(spec, numbers={"t2.fees.amount": 900000}, invalid={"t2.fees.amount"})
    assert find(spec, "D10", d) == []


def test_limits_for_a_body_merge_its_kinds_bounds_over_the_general_ones():
    rule = next(r for r in SPEC["2021"].rules if r.id == "D10")
    assert limits_for(rule, "某县民政局") == rule.params["limits"]
    government = limits_for(rule, "某县人民政府")
    assert government["fees.amount"] > rule.params["limits"]["fees.amount"]
    assert body_kind(rule, "某县人民政府办公室")["body"] == "人民政府" and body_kind(rule, "某县民政局") is None


@pytest.mark.parametrize("params,key", [
    ({"limits": {"fees.amount": 0}}, "limits"),
    ({"limits": {"fees.amount": True}}, "limits"),
    ({"limits": {"fees.amount": 5}, "body_limits": [{"body": "x", "ends_with": [], "limits": {}}]}, "body_limits"),
    ({"limits": {"fees.amount": 5}, "body_limits": [{"body": "x", "ends_with": ["局"], "limits": {"other.amount": 9}}]},
     "body_limits"),
])
def test_bad_bounds_are_a_specification_error_naming_the_key(params, key):
    spec = SPEC["2021"]
    rule = record.replace(next(r for r in spec.rules if r.id == "D10"), params=params)
    with pytest.raises(SpecError) as caught:
        kind_of(rule).check_refs(spec, rule)
    assert key in str(caught.value) and "D10" in str(caught.value)
