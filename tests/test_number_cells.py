"""Number cells: amounts to the fen (6 decimals in 万元) are valid, finer ones are not; a number
typed as text (“1,520”, “１５２０”, “3 ”) is an error for `check` as for the 校验 sheet, because
the workbook's 合计 formulas do not count it; the sheet's 填写值 shows what was typed."""

from __future__ import annotations

from decimal import Decimal

import pytest
from engine_cases import build_cases, checks_statuses, error_cells, number_mutations, python_statuses
from libreoffice import recalculate, soffice

from reportc.checks import PASS
from reportc.values import parse_number


@pytest.mark.parametrize("raw,ok", [
    (5949.088667, True), ("5949.088667", False), (12.123456, True), (12.1234567, False), (Decimal("0.000001"), True),
])
def test_amounts_to_the_fen(raw, ok):
    parsed = parse_number(raw, "amount")
    assert (parsed.problem == "") is ok, parsed
    if isinstance(raw, float) and ok:
        assert parsed.value == Decimal(repr(raw))
    if isinstance(raw, float) and not ok:
        assert "最多保留6位小数" in parsed.problem


@pytest.mark.parametrize("typed,number", [("1,520", "1520"), ("１５２０", "1520"), ("3 ", "3"), (" 12\u3000", "12")])
def test_numbers_typed_as_text_are_errors_counted_as_zero(typed, number):
    parsed = parse_number(typed, "count")
    assert parsed.value == 0 and f"请重新输入数字{number}" in parsed.problem and "按0计算" in parsed.problem


@pytest.mark.libreoffice
@pytest.mark.skipif(soffice() is None, reason="LibreOffice (soffice) is not installed")
def test_libreoffice_gives_the_verdict_check_gives(tmp_path):
    cases = build_cases(tmp_path, [number_mutations], consistent=0)
    converted = recalculate([path for _, _, path, _, _ in cases], tmp_path / "out")
    for name, spec, path, _values, rules in cases:
        out = converted[path]
        assert error_cells(out) == [], name
        sheet, _ = checks_statuses(out, spec)
        python = python_statuses(path)
        assert {k: s for k, (s, _) in sheet.items()} == python, name
        if rules is not None:
            assert {rule for (rule, _), (s, _) in sheet.items() if s != PASS} == rules, name
        if "text_unit" in name:  # 填写值 shows what was typed, not a count of bad cells
            shown = [left for (rule, _), (s, left) in sheet.items() if rule == "D6" and s != PASS]
            assert shown == ["12件"], (name, shown)
        if "text_comma" in name:
            shown = [left for (rule, _), (s, left) in sheet.items() if rule == "D6" and s != PASS]
            assert shown == ["1,520"], (name, shown)
