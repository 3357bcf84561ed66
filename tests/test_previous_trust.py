"""Last year's workbook is checked like any other before its figures are trusted: one changed
after reportc wrote it (a locked label, a formula) is not used for the across-year rules
(rule M4 says so, naming the file and where), and `new --previous` refuses it unless
--previous-any."""

from __future__ import annotations


from conftest import assert_no_traceback, fill, run_cli

from reportc.publish import check

LABEL_SHEET, LABEL_CELL = "三、依申请公开", "A30"


def _forged(tmp_path):
    """Last year's workbook with a locked label changed and a total's formula replaced by 9999."""
    from openpyxl import load_workbook

    last = fill(tmp_path / "last.xlsx", year=2024, seed=1)
    wb = load_workbook(last)
    ws = wb[LABEL_SHEET]
    ws[LABEL_CELL].value = "改过的标签"
    total = next(c for row in ws.iter_rows() for c in row if isinstance(c.value, str) and c.value.startswith("=SUM("))
    total.value = 9999
    wb.save(tmp_path / "forged.xlsx")
    return last, tmp_path / "forged.xlsx", f"{LABEL_SHEET}!{total.coordinate}"


def test_check_does_not_compare_with_an_altered_previous_workbook(tmp_path):
    last, forged, total = _forged(tmp_path)
    current = fill(tmp_path / "cur.xlsx", year=2025, seed=2)
    honest = check(current, last)
    assert [r for r in honest.results if r.check.rule.kind == "previous"]  # compared with the untouched one
    assert not [f for f in honest.findings if f.rule == "M4"]
    outcome = check(current, forged)
    assert not [r for r in outcome.results if r.check.rule.kind == "previous"]  # nothing compared
    assert not [f for f in outcome.findings if f.rule.startswith("S1")]
    m4 = [f for f in outcome.findings if f.rule == "M4"]
    assert len(m4) == 1 and m4[0].severity == "warning"
    assert "上年工作簿“forged.xlsx”" in m4[0].message and "被改动" in m4[0].message
    assert f"{LABEL_SHEET}!{LABEL_CELL}" in m4[0].message and total in m4[0].message
    result = run_cli("check", current, "--previous", forged, cwd=tmp_path)
    assert_no_traceback(result)
    assert "规则M4" in result.stdout and "forged.xlsx" in result.stdout and "被改动" in result.stdout, result.stdout


def test_new_refuses_an_altered_previous_workbook_unless_told(tmp_path):
    last, forged, _ = _forged(tmp_path)
    result = run_cli("new", "--previous", forged, "-o", tmp_path / "2025.xlsx", cwd=tmp_path)
    assert_no_traceback(result)
    assert result.returncode == 2, result.stdout + result.stderr
    assert "上年工作簿“forged.xlsx”" in result.stderr and "被改动" in result.stderr and "--previous-any" in result.stderr
    assert not (tmp_path / "2025.xlsx").exists()
    forced = run_cli("new", "--previous", forged, "--previous-any", "-o", tmp_path / "2025.xlsx", cwd=tmp_path)
    assert forced.returncode == 0, forced.stdout + forced.stderr
    assert "被改动" in forced.stdout + forced.stderr and (tmp_path / "2025.xlsx").exists()
    honest = run_cli("new", "--previous", last, "-o", tmp_path / "2025b.xlsx", cwd=tmp_path)
    assert honest.returncode == 0 and "被改动" not in honest.stdout + honest.stderr
