"""What users saw before the internal restructuring (renderer registry, api, analysis, declared
read-time findings) they still see: the wording, exit codes and files of each command, as the
version before it printed them (the expected texts below are that version's output)."""

from conftest import assert_no_traceback, fill, run_cli


def _explain(n: int, rule: str, where: str, text: str) -> dict:
    return {f"explain.{n}.rule": rule, f"explain.{n}.location": where, f"explain.{n}.text": text}


def test_check_lists_an_explanation_row_that_matches_no_finding(tmp_path):
    """A 情况说明 row naming a rule and a cell with no finding is a warning worded with both (it was an
    internal error, exit 3, once the wording came from common.toml)."""
    path = fill(tmp_path / "情况 说明" / "填报.xlsx", **_explain(1, "规则S6", "一、总体情况!B99", "随便写的"),
                **_explain(2, "规则R3", "一、总体情况!B59", ""))
    result = run_cli("check", path)
    assert_no_traceback(result)
    assert result.returncode == 0, result.stdout + result.stderr
    assert ("[提醒][规则E1] 情况说明!A4:C4\n    情况说明第1行（规则“规则S6”，位置“一、总体情况!B99”）没有对应的问题："
            "规则或位置与 reportc check 列出的不符，或这个问题已经改正。请按 check 输出中每项提醒下方“规则填…，位置填…”"
            "所示改正，不再需要的请删除这一行。") in result.stdout
    assert "[提醒][规则E1] 情况说明!A5:C5\n    情况说明第2行没有填写说明，这一行不算说明。请补全或删除这一行。" in result.stdout
    assert "结论：须核实。" in result.stdout


def test_last_years_workbook_with_a_stale_explanation_row_still_serves_as_previous(tmp_path):
    """Last year's workbook is checked before its figures are used; a 情况说明 row left over there
    (its finding fixed) is only a warning of that workbook: check --previous and new --previous
    both use it (they stopped with 内部错误 when that warning was worded from common.toml)."""
    folder = tmp_path / "上年 对比"
    last = fill(folder / "上年 工作簿.xlsx", year=2024, seed=2, **_explain(1, "规则S6", "一、总体情况!B99", "旧的说明"))
    this = fill(folder / "本年 工作簿.xlsx", year=2025, seed=3)
    result = run_cli("check", this, "--previous", last)
    assert_no_traceback(result)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "内部错误" not in result.stdout + result.stderr
    assert "[提醒][规则S1]" in result.stdout  # the across-year rules ran against last year's figures
    made = run_cli("new", "--year", 2025, "--previous", last, "-o", folder / "续 工作簿.xlsx")
    assert_no_traceback(made)
    assert made.returncode == 0 and (folder / "续 工作簿.xlsx").is_file(), made.stdout + made.stderr
