"""Rule kinds equal, sum and previous (compiler/kinds/tables.py), run directly on hand-made data:
O1 and D8 (equal), D1–D5 (sum), S1–S4 (previous)."""

from __future__ import annotations

import pytest
from kindcheck import SPEC, checks, data, evaluate, failed

from reportc.checks import compute_values, derivations, expected_formula
from reportc.layout import location


@pytest.mark.parametrize("edition", ["2019", "2021"])
def test_consistent_numbers_pass_every_table_rule(edition):
    spec = SPEC[edition]
    d = data(spec)
    for rule_id in ("O1", "D1", "D2", "D3", "D4", "D5", *(("D8",) if edition == "2019" else ())):
        results = evaluate(spec, rule_id, d)
        assert results and all(passed for _, _, _, passed, _ in results), rule_id


def test_equal_fails_in_the_one_column_that_does_not_balance():
    spec = SPEC["2021"]
    d = data(spec)
    d.numbers["t3.new.commercial"] += 3  # 新收 three more than were handled or carried over
    found = failed(spec, "O1", d)
    assert [c.target for c, *_ in found] == ["表三“商业企业”列", "表三“总计”列"]  # the column and the totals
    for check, left, right, finding in found:
        assert left - right == 3 and "相差3" in finding.message
        assert finding.rule == "O1" and finding.severity == "error" and finding.location == check.location
    assert found[0][0].location.startswith(location(spec, "t3.new.commercial"))


def test_equal_with_greater_or_equal_passes_on_equality_and_fails_below():
    spec = SPEC["2019"]  # D8: 对外公开总数量 >= 本年新公开数量, per row
    d = data(spec, numbers={"t2.rules.published": 4, "t2.rules.total_public": 4})
    assert not failed(spec, "D8", d)
    d.numbers["t2.rules.total_public"] = 3
    (check, left, right, finding), = failed(spec, "D8", d)
    assert check.target == "表二“规章”行" and (left, right) == (3, 4)
    assert finding.severity == "warning"


def test_sum_recomputes_the_total_while_the_formula_is_the_templates():
    spec = SPEC["2021"]
    d = data(spec)
    key = "t3.new.total"
    d.derived_raw[key] = expected_formula(spec, key).replace("=", "= ").lower()  # as LibreOffice may write it
    assert not failed(spec, "D1", d)


def test_sum_fails_when_a_number_replaced_the_formula():
    spec = SPEC["2021"]
    d = data(spec)
    key = "t3.new.total"
    parts = derivations(spec)[key]
    true_total = sum(d.numbers[p] for p in parts)
    d.derived_raw[key] = float(true_total + 7)  # typed over the locked formula
    (check, left, right, finding), = failed(spec, "D1", d)
    assert check.left == (key,) and (left, right) == (true_total + 7, true_total)
    assert "相差7" in finding.message
    d.derived_raw[key] = float(true_total)  # the right number typed over it: nothing to say
    assert not failed(spec, "D1", d)


def test_sum_says_the_formula_was_changed_when_another_formula_is_there():
    spec = SPEC["2021"]
    d = data(spec)
    d.derived_raw["t3.new.total"] = "=SUM(D7:J7)"
    (check, left, right, finding), = failed(spec, "D1", d)
    assert left is None and "公式被改动或替换" in finding.message and finding.left is None


def test_previous_expands_only_with_last_years_edition_it_can_compare():
    spec = SPEC["2021"]
    assert checks(spec, "S1", None) == []
    assert len(checks(spec, "S1", "2021")) == len(checks(spec, "S1", "2019")) == 7
    assert checks(spec, "S2", "2019") == []  # 现行有效件数 is not in the 2019 table


def test_previous_compares_with_last_years_reference_value():
    spec = SPEC["2021"]
    d = data(spec)
    values = compute_values(spec, d.numbers)
    d.previous = {c.reference: values[c.left[0]] for c in checks(spec, "S1", "2021")}
    assert not failed(spec, "S1", d, "2021")
    d.previous["ref:t3.carry_next.legal"] += 2  # last year carried two more over than this year took in
    (check, left, right, finding), = failed(spec, "S1", d, "2021")  # the 总计 column has its own reference
    assert check.target == "表三“法律服务机构”列" and right - left == 2 and finding.severity == "warning"


def test_previous_with_signed_terms_and_an_operator():
    spec = SPEC["2021"]  # S2: 现行有效 = 上年现行有效 + 本年制发 - 本年废止; S3: 废止 <= 上年现行有效 + 制发
    d = data(spec, numbers={"t2.rules.made": 2, "t2.rules.repealed": 1, "t2.rules.in_force": 11,
                            "t2.normative.made": 0, "t2.normative.repealed": 0, "t2.normative.in_force": 5})
    d.previous = {"ref:t2.rules.in_force": 10, "ref:t2.normative.in_force": 5}
    assert not failed(spec, "S2", d, "2021") and not failed(spec, "S3", d, "2021")
    d.numbers["t2.rules.repealed"] = 13  # more repealed than were in force
    assert [c.target for c, *_ in failed(spec, "S3", d, "2021")] == ["表二“规章”行"]
    assert [c.target for c, *_ in failed(spec, "S2", d, "2021")] == ["表二“规章”行"]
