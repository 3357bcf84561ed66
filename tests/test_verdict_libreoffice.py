"""The 校验 sheet's banner, recalculated by LibreOffice, says the verdict check says, for what the sheet can see.

The sheet sees its own checks and the 情况说明 rows that name a 提醒 row exactly as check prints it. It never
says 可以发布 while check says 须核实 about a sheet check; where check finds a narrative warning the sheet cannot
see (S6), the sheet's 可以发布 says that check has the last word."""

from __future__ import annotations


import pytest
from conftest import ROOT
from libreoffice import computed_values, recalculate, soffice

from reportc import check
from reportc.checks_sheet import status_text
from reportc.fill import fill_workbook
from reportc.layout import explain_key
from reportc.reader import read_workbook
from reportc.spec import load_spec
from reportc.verdict import FAIL, PASS, VERIFY

pytestmark = [
    pytest.mark.libreoffice,
    pytest.mark.skipif(soffice() is None, reason="LibreOffice (soffice) is not installed"),
]

EXAMPLE = ROOT / "examples" / "qingshan-minzheng-2025.xlsx"
SPEC = load_spec("2021")
BLANK = "t4.all.review_other"  # 0 in the example; blank it for a sheet-visible 提醒 (规则D7)


def _explain(rule: str, where: str) -> dict:
    return {explain_key(1, "rule"): rule, explain_key(1, "location"): where, explain_key(1, "text"): "经核实无误。"}


def test_checks_sheet_banner_agrees_with_check(tmp_path):
    assert read_workbook(EXAMPLE).data.numbers[BLANK] == 0
    fill_workbook(SPEC, EXAMPLE, {BLANK: None}, tmp_path / "probe.xlsx")
    d7 = next(f for f in check(tmp_path / "probe.xlsx").findings if f.rule == "D7")
    texts = read_workbook(EXAMPLE).data.texts
    s6_key = next(k for k, v in texts.items() if "申请42件" in v)
    cases = {  # name: (values, check's verdict, the banner's first words)
        "clean": ({}, PASS, PASS),
        "d7_open": ({BLANK: None}, VERIFY, VERIFY),
        "d7_explained": ({BLANK: None, **_explain("规则D7", d7.location)}, PASS, PASS),
        # written differently: reportc matches it, the sheet cannot (it stays 须核实: the safe side)
        "d7_explained_loosely": ({BLANK: None, **_explain("d7", f"'{d7.location.replace(':', ':$')}'")}, PASS, VERIFY),
        "error": ({"t3.new.natural": "无"}, FAIL, FAIL),
        "s6_only": ({s6_key: texts[s6_key].replace("申请42件", "申请二十五件")}, VERIFY, PASS),
    }
    paths = []
    for name, (values, _, _) in cases.items():
        paths.append(tmp_path / f"{name}.xlsx")
        fill_workbook(SPEC, EXAMPLE, values, paths[-1])
    converted = recalculate(paths, tmp_path / "out")
    for (name, (_, verdict, banner_word)), path in zip(cases.items(), paths, strict=True):
        outcome = check(path)
        assert outcome.verdict == verdict, (name, outcome.findings)
        values, _ = computed_values(converted[path])
        banner = values[SPEC.sheets["checks"]][(2, 4)]  # D2
        guide = values[SPEC.sheets["guide"]][(3, 2)]  # B3
        assert banner == guide and banner.startswith(banner_word + "："), (name, banner)
        if banner_word == PASS:
            assert "由 reportc check 另行检查，以其结论为准" in banner
        if name == "d7_explained":
            assert banner == status_text(0, 1, explained=1) and "（1项提醒已说明）" in banner
        # the copy LibreOffice saved is read without tamper findings, its 情况说明 rows included
        saved = check(converted[path])
        assert not [f for f in saved.findings if f.rule.startswith("M")], (name, saved.findings)
        assert saved.verdict == verdict, name
