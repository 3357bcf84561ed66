"""Gnumeric (ssconvert --recalc), an engine independent of Excel and LibreOffice, evaluates every
formula of the workbook without an error value and gives the 校验 sheet the verdict Python gives:
blank, consistent and broken workbooks of both editions."""

from __future__ import annotations

import pytest
from engine_cases import build_cases, checks_statuses, error_cells, number_mutations, python_statuses
from gnumeric import recalculate, ssconvert
from test_libreoffice import mutations

from reportc.checks import PASS
from reportc.spec import available_editions

pytestmark = pytest.mark.skipif(ssconvert() is None, reason="Gnumeric (ssconvert) is not installed: apt-get install gnumeric")


@pytest.mark.parametrize("edition", available_editions())  # one half each: two workers share them
def test_gnumeric_agrees_with_python(tmp_path, edition):
    cases = build_cases(tmp_path, [mutations, number_mutations], editions=(edition,))
    converted = recalculate([path for _, _, path, _, _ in cases], tmp_path / "out")
    for name, spec, path, _values, rules in cases:
        out = converted[path]
        assert error_cells(out) == [], f"{name}: error values after Gnumeric recalculation"
        sheet, counts = checks_statuses(out, spec)
        python = python_statuses(path)
        shown = {k: status for k, (status, _) in sheet.items()}
        assert shown == python, f"{name}: " + str({k: (shown.get(k), python.get(k)) for k in set(shown) | set(python)
                                                   if shown.get(k) != python.get(k)})
        if rules is not None:
            assert {rule for (rule, _), s in shown.items() if s != PASS} == rules, name
        assert counts == (sum(s == "不通过" for s in shown.values()), sum(s == "提醒" for s in shown.values())), name
        if name.endswith("-ok0"):  # 落款 defaults live to 机关名称
            from engine_cases import load_values
            from reportc.layout import cell_map

            sheet_name, r, c = cell_map(spec)["info.signature"]
            assert load_values(out)[sheet_name].cell(r + 1, c + 1).value == "测试县民政局", name
        if "text_unit" in name:  # 填写值 of the D6 row shows what was typed
            assert [left for (rule, _), (s, left) in sheet.items() if rule == "D6" and s != PASS] == ["12件"], name
