"""The command line: exit codes, --strict, --json, usage errors and help in Chinese, what `new` says.

The command line is run as a fresh process, as a clerk runs it."""

from __future__ import annotations

import json
import re
from pathlib import Path

import openpyxl
import pytest
from conftest import assert_no_traceback, fill, run_cli

from reportc.filenames import default_filename
from reportc.opening import standard_text
from reportc.spec import load_spec


def _warnings_only(path: Path) -> Path:
    """No errors, one warning (规则R6: the opening names 2024 for a 2025 report)."""
    wrong = standard_text(load_spec("2021"), {"info.org": "测试县民政局", "info.year": "2024"})
    return fill(path, consistent=False, **{"s0.intro.1": wrong})


def cli(*args, cwd=None):
    result = run_cli(*args, cwd=cwd)
    assert_no_traceback(result)
    return result


def test_build_strict_blocks_on_warnings(tmp_path):
    path = _warnings_only(tmp_path / "warned.xlsx")
    plain = cli("build", path, "-o", tmp_path / "plain")
    assert plain.returncode == 0, plain.stdout + plain.stderr
    assert (tmp_path / "plain" / "report.html").is_file()
    strict = cli("build", "--strict", path, "-o", tmp_path / "strict")
    assert strict.returncode == 1, strict.stdout + strict.stderr
    assert not (tmp_path / "strict" / "report.html").exists()
    assert "按 --strict 视为不通过" in strict.stdout
    report = json.loads((tmp_path / "strict" / "validation.json").read_text(encoding="utf-8"))
    assert report["passed"] is False and report["strict"] is True
    html = (tmp_path / "strict" / "validation.html").read_text(encoding="utf-8")
    assert "按 --strict 视为不通过" in html
    draft = cli("build", "--strict", "--draft", path, "-o", tmp_path / "draft")
    assert draft.returncode == 1 and (tmp_path / "draft" / "report.html").is_file()
    assert "草稿" in (tmp_path / "draft" / "report.html").read_text(encoding="utf-8")


def test_batch_strict_counts_warnings_as_failures(tmp_path):
    _warnings_only(tmp_path / "in" / "warned.xlsx")
    plain = cli("batch", tmp_path / "in", "-o", tmp_path / "plain", "--jobs", "1")
    assert plain.returncode == 0, plain.stdout + plain.stderr
    strict = cli("batch", "--strict", tmp_path / "in", "-o", tmp_path / "strict", "--jobs", "1")
    assert strict.returncode == 1, strict.stdout + strict.stderr
    assert "须核实 1 个" in strict.stdout and re.search(r"warned.xlsx：.+!.+（规则\w+）", strict.stdout)
    assert not (tmp_path / "strict" / "warned" / "report.html").exists()


def test_check_strict_conclusion_and_json_agree_with_exit_code(tmp_path):
    path = _warnings_only(tmp_path / "warned.xlsx")
    plain = cli("check", path)
    assert plain.returncode == 0 and "结论：须核实。没有错误" in plain.stdout
    strict = cli("check", "--strict", path)
    assert strict.returncode == 1
    assert re.search(r"结论：须核实（按 --strict 视为不通过）。有\d+项提醒未说明", strict.stdout), strict.stdout
    data = json.loads(cli("check", "--json", "--strict", path).stdout)
    assert data["passed"] is False and data["strict"] is True
    data = json.loads(cli("check", "--json", path).stdout)
    assert data["passed"] is True and "strict" not in data


@pytest.mark.parametrize("content", [None, b"not a workbook"])
def test_check_json_on_unreadable_file_prints_json(tmp_path, content):
    path = tmp_path / "坏.xlsx"
    if content is not None:
        path.write_bytes(content)
    result = cli("check", "--json", path)
    assert result.returncode == 2
    data = json.loads(result.stdout)
    assert data["readable"] is False and data["file"] == str(path)
    assert data["error"] and isinstance(data["hint"], str)
    assert data["error"] in result.stderr


def test_batch_on_a_file_suggests_a_quoted_build_command(tmp_path, filled_workbook):
    path = filled_workbook(Path("收回 2025") / "部门" / "民政局.xlsx", consistent=False)
    result = cli("batch", Path("收回 2025") / "部门" / "民政局.xlsx", cwd=tmp_path)
    assert result.returncode == 2
    shown = str(Path("收回 2025") / "部门" / "民政局.xlsx")
    assert f'reportc build "{shown}"' in result.stderr, result.stderr
    assert path.is_file()


def test_new_with_an_edition_not_covering_the_year_warns(tmp_path):
    result = cli("new", "--year", "2025", "--edition", "2019", "--org", "某县民政局", "-o", tmp_path / "a.xlsx")
    assert result.returncode == 0 and (tmp_path / "a.xlsx").is_file()
    assert "报告年度为2025年" in result.stderr and "应使用2021版的格式" in result.stderr, result.stderr
    quiet = cli("new", "--year", "2030", "--org", "某县民政局", "-o", tmp_path / "b.xlsx")
    assert quiet.returncode == 0 and "提醒" not in quiet.stderr and (tmp_path / "b.xlsx").is_file()
    same = cli("new", "--year", "2020", "--edition", "2019", "--org", "某县民政局", "-o", tmp_path / "c.xlsx")
    assert same.returncode == 0 and "提醒" not in same.stderr


def test_new_without_org_says_to_fill_the_name(tmp_path):
    result = cli("new", "--year", "2025", cwd=tmp_path)
    assert result.returncode == 0 and (tmp_path / "2025-填报.xlsx").is_file()
    assert "“基本信息”表填写机关名称" in result.stdout
    named = cli("new", "--year", "2025", "--org", "某县民政局", cwd=tmp_path)
    assert named.returncode == 0 and "基本信息" not in named.stdout
    blank = cli("new", "--year", "2025", "--org", "   ", cwd=tmp_path)  # 2025-填报.xlsx exists now
    assert blank.returncode == 2
    assert "机关名称是空的" in blank.stderr and "文件已存在" not in blank.stderr


@pytest.mark.parametrize("year", ["1999", "2018", "2101"])
def test_unsupported_year_names_the_range_and_editions(tmp_path, year):
    result = cli("new", "--year", year, cwd=tmp_path)
    assert result.returncode == 2 and "四位数字" not in result.stderr
    assert f"没有适用于 {year} 年度的报告格式" in result.stderr
    assert "支持 2019–2100 年度" in result.stderr and "2019版（2019–2020年度）、2021版（2021年度起）" in result.stderr
    assert not list(tmp_path.iterdir())


@pytest.mark.parametrize("typo", ["--orgg", "--forcee", "--forc"])
def test_suggestions_never_name_hidden_options(tmp_path, typo):
    result = cli("new", typo, "x", cwd=tmp_path)
    assert result.returncode == 2 and "没有“" in result.stderr
    assert "--force" not in result.stderr.replace(typo, "")


@pytest.mark.parametrize("command", ["new", "check", "build", "merge", "batch"])
def test_help_rows_align_by_display_width(command):
    import unicodedata

    def display_width(text):  # terminal columns: CJK takes two
        return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)

    result = cli(command, "--help")
    assert result.returncode == 0
    rows = result.stdout.split("参数与选项：\n", 1)[1].splitlines()
    rows = [r for r in rows if r.startswith("  ") and r.strip()]
    assert command == "new" or any(not r.strip().startswith("-") for r in rows)  # 工作簿/文件夹
    starts = set()
    for row in rows:
        m = re.match(r"  (.+?)( {2,})\S", row)
        assert m, row
        starts.add(2 + display_width(m.group(1)) + len(m.group(2)))
    assert len(starts) == 1, rows


def test_summary_xlsx_explains_errors_and_unreadable_files(tmp_path, filled_workbook):
    filled_workbook("in/bad.xlsx", consistent=False, **{"info.year": "2025年"})
    (tmp_path / "in" / "broken.xlsx").write_bytes(b"not a workbook")
    result = cli("batch", tmp_path / "in", "-o", tmp_path / "out", "--jobs", "1")
    assert result.returncode == 1
    ws = openpyxl.load_workbook(tmp_path / "out" / "summary.xlsx").active
    header = [c.value for c in ws[1]]
    rows = {r[header.index("文件")]: r for r in ws.iter_rows(min_row=2, values_only=True)}
    bad = rows["bad.xlsx"][header.index("说明")]
    assert bad and "基本信息!B5" in bad and "规则R1" in bad, bad
    broken = rows["broken.xlsx"][header.index("说明")]
    assert broken and "broken.xlsx" not in header, broken


ENGLISH = ("Usage", "Error", "No such", "Did you mean", "Missing", "Invalid value", "requires", "Got unexpected",
           "does not take", "is not")


@pytest.mark.parametrize("args,words", [
    (["bild"], ["没有“bild”这个命令", "reportc build"]),
    (["check"], ["缺少“工作簿”", "reportc check --help"]),
    (["merge", "a.xlsx", "b.xlsx", "--org", "某县"], ["缺少选项 -o/--output"]),
    (["check", "--previous"], ["选项 --previous 后面缺少要填写的值", "reportc check --help"]),
    (["check", "--bogus", "a.xlsx"], ["没有“--bogus”这个选项"]),
    (["check", "--previus", "x", "a.xlsx"], ["没有“--previus”这个选项", "--previous"]),
    (["new", "--year", "abc"], ["选项 --year 的值不正确", "“abc”不是整数"]),
    (["new", "--edition", "2020"], ["不支持的报告格式版本“2020”", "2019、2021"]),
    (["new", "--overwrite=yes"], ["选项 --overwrite 不带值"]),
    (["check", "a.xlsx", "b.xlsx"], ["多余的参数：b.xlsx"]),
    (["check", "不存在.xlsx"], ["找不到文件"]),
])
def test_every_usage_error_is_chinese(tmp_path, args, words):
    result = run_cli(*args, cwd=tmp_path)
    assert_no_traceback(result)
    assert result.returncode == 2, result.stderr
    for w in words:
        assert w in result.stderr, result.stderr
    for english in ENGLISH:
        assert english not in result.stderr, result.stderr


def test_unknown_command_suggests_once():
    result = run_cli("bild")
    assert result.stderr.count("reportc build") == 1 and result.stderr.count("您是不是要用") == 1


def test_reportc_alone_shows_the_help():
    result = run_cli()
    assert result.returncode == 0
    assert "用法：reportc" in result.stdout and "命令用法有误" not in result.stdout + result.stderr


def test_edition_choice_lists_the_editions_reportc_has(tmp_path):
    from reportc.spec import available_editions

    result = run_cli("new", "--edition", "1999", cwd=tmp_path)
    assert result.returncode == 2 and "、".join(available_editions()) in result.stderr
    assert not list(tmp_path.iterdir())


def test_batch_on_a_file_suggests_build(tmp_path, filled_workbook):
    path = filled_workbook("某文件.xlsx")
    result = run_cli("batch", path)
    assert result.returncode == 2
    assert "是一个文件，不是文件夹" in result.stderr and f"reportc build {path}" in result.stderr
    assert "找不到文件夹" not in result.stderr


def test_new_says_what_to_do_next_with_a_copyable_name(tmp_path):
    result = run_cli("new", "--year", "2025", "--org", "某县 民政局（老龄办）", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    name = "某县民政局-老龄办-2025-填报.xlsx"
    assert (tmp_path / name).is_file()
    assert f"reportc check {name}" in result.stdout and f"reportc build {name}" in result.stdout
    assert result.stdout.index("填写") < result.stdout.index("reportc check")
    assert default_filename("某县民政局", 2025) == "某县民政局-2025-填报.xlsx"

