"""Defects a tester found using reportc as a clerk (review fixes): each test failed before its fix."""

from __future__ import annotations

import json
import re
from pathlib import Path

import openpyxl
import pytest
from conftest import EDITION_YEARS, assert_no_traceback, run_cli

from reportc.fill import fill_workbook
from reportc.opening import standard_text
from reportc.spec import load_spec
from reportc.workbook import build_workbook

BASE = {"s1.intro.1": "全年工作概述。", "s5.intro.1": "无。", "s6.intro.1": "本年度未收取信息处理费。"}


def _filled(folder: Path, name: str = "filled.xlsx", edition: str = "2021", **values) -> Path:
    spec = load_spec(edition)
    template = build_workbook(spec, "测试县民政局", EDITION_YEARS[edition])
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    fill_workbook(spec, template, {**BASE, **values}, path)
    return path


def _warnings_only(folder: Path, name: str = "warned.xlsx") -> Path:
    """No errors, one warning (规则R6: the opening names 2024 for a 2025 report)."""
    wrong = standard_text(load_spec("2021"), {"info.org": "测试县民政局", "info.year": "2024"})
    return _filled(folder, name, **{"s0.intro.1": wrong})


def cli(*args, cwd=None):
    result = run_cli(*args, cwd=cwd)
    assert_no_traceback(result)
    return result


# ---- 1. build/batch --strict ---------------------------------------------------------

def test_build_strict_blocks_on_warnings(tmp_path):
    path = _warnings_only(tmp_path)
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
    _warnings_only(tmp_path / "in")
    plain = cli("batch", tmp_path / "in", "-o", tmp_path / "plain", "--jobs", "1")
    assert plain.returncode == 0, plain.stdout + plain.stderr
    strict = cli("batch", "--strict", tmp_path / "in", "-o", tmp_path / "strict", "--jobs", "1")
    assert strict.returncode == 1, strict.stdout + strict.stderr
    assert "须核实 1 个" in strict.stdout and re.search(r"warned.xlsx：.+!.+（规则\w+）", strict.stdout)
    assert not (tmp_path / "strict" / "warned" / "report.html").exists()


# ---- 2. check --strict: conclusion and JSON agree with the exit code -------------------

def test_check_strict_conclusion_and_json_agree_with_exit_code(tmp_path):
    path = _warnings_only(tmp_path)
    plain = cli("check", path)
    assert plain.returncode == 0 and "结论：须核实。没有错误" in plain.stdout
    strict = cli("check", "--strict", path)
    assert strict.returncode == 1
    assert re.search(r"结论：须核实（按 --strict 视为不通过）。有\d+项提醒未说明", strict.stdout), strict.stdout
    data = json.loads(cli("check", "--json", "--strict", path).stdout)
    assert data["passed"] is False and data["strict"] is True
    data = json.loads(cli("check", "--json", path).stdout)
    assert data["passed"] is True and "strict" not in data


# ---- 3. check --json on an unreadable file ---------------------------------------------

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


# ---- 4. batch on a file: the suggested command is quoted -------------------------------

def test_batch_on_a_file_suggests_a_quoted_build_command(tmp_path):
    path = _filled(tmp_path / "收回 2025" / "部门", "民政局.xlsx")
    result = cli("batch", Path("收回 2025") / "部门" / "民政局.xlsx", cwd=tmp_path)
    assert result.returncode == 2
    shown = str(Path("收回 2025") / "部门" / "民政局.xlsx")
    assert f'reportc build "{shown}"' in result.stderr, result.stderr
    assert path.is_file()


# ---- 5. new --edition of another period: a warning, the workbook still made -----------

def test_new_with_an_edition_not_covering_the_year_warns(tmp_path):
    result = cli("new", "--year", "2025", "--edition", "2019", "--org", "某县民政局", "-o", tmp_path / "a.xlsx")
    assert result.returncode == 0 and (tmp_path / "a.xlsx").is_file()
    assert "报告年度为2025年" in result.stderr and "应使用2021版的格式" in result.stderr, result.stderr
    quiet = cli("new", "--year", "2030", "--org", "某县民政局", "-o", tmp_path / "b.xlsx")
    assert quiet.returncode == 0 and "提醒" not in quiet.stderr and (tmp_path / "b.xlsx").is_file()
    same = cli("new", "--year", "2020", "--edition", "2019", "--org", "某县民政局", "-o", tmp_path / "c.xlsx")
    assert same.returncode == 0 and "提醒" not in same.stderr


# ---- 6. a year typed as “2025年” -------------------------------------------------------

def _messages(path: Path, rule: str) -> list[str]:
    from reportc import check

    return [f.message for f in check(path).findings if f.rule == rule]


def test_year_typed_with_nian_reads_sensibly_in_r6_and_s8(tmp_path):
    wrong = standard_text(load_spec("2021"), {"info.org": "测试县民政局", "info.year": "2024"})
    r6 = _messages(_filled(tmp_path, "a.xlsx", **{"info.year": "2025年", "s0.intro.1": wrong}), "R6")
    assert len(r6) == 1 and "报告年度为2025年，" in r6[0] and "年年" not in r6[0], r6
    s8 = _messages(_filled(tmp_path, "b.xlsx", edition="2019", **{"info.year": "2025年"}), "S8")
    assert len(s8) == 1 and "报告年度为2025年" in s8[0] and "（未填）" not in s8[0], s8
    garbage = _messages(_filled(tmp_path, "c.xlsx", **{"info.year": "明年"}), "S8")
    assert len(garbage) == 1 and "“明年”" in garbage[0] and "规则R1" in garbage[0] and "（未填）" not in garbage[0]
    assert _messages(_filled(tmp_path, "d.xlsx", **{"info.year": "2025年"}), "S8") == []


# ---- 7. new without --org / with a blank --org -----------------------------------------

def test_new_without_org_says_to_fill_the_name(tmp_path):
    result = cli("new", "--year", "2025", cwd=tmp_path)
    assert result.returncode == 0 and (tmp_path / "2025-填报.xlsx").is_file()
    assert "“基本信息”表填写机关名称" in result.stdout
    named = cli("new", "--year", "2025", "--org", "某县民政局", cwd=tmp_path)
    assert named.returncode == 0 and "基本信息" not in named.stdout
    blank = cli("new", "--year", "2025", "--org", "   ", cwd=tmp_path)  # 2025-填报.xlsx exists now
    assert blank.returncode == 2
    assert "机关名称是空的" in blank.stderr and "文件已存在" not in blank.stderr


# ---- 8. years outside the supported range ----------------------------------------------

@pytest.mark.parametrize("year", ["1999", "2018", "2101"])
def test_unsupported_year_names_the_range_and_editions(tmp_path, year):
    result = cli("new", "--year", year, cwd=tmp_path)
    assert result.returncode == 2 and "四位数字" not in result.stderr
    assert f"没有适用于 {year} 年度的报告格式" in result.stderr
    assert "支持 2019–2100 年度" in result.stderr and "2019版（2019–2020年度）、2021版（2021年度起）" in result.stderr
    assert not list(tmp_path.iterdir())


# ---- 9. no hidden options in suggestions -----------------------------------------------

@pytest.mark.parametrize("typo", ["--orgg", "--forcee", "--forc"])
def test_suggestions_never_name_hidden_options(tmp_path, typo):
    result = cli("new", typo, "x", cwd=tmp_path)
    assert result.returncode == 2 and "没有“" in result.stderr
    assert "--force" not in result.stderr.replace(typo, "")


# ---- 10. help pages aligned by display width --------------------------------------------

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


# ---- 11. summary.xlsx 说明 for workbooks with errors and unreadable files ----------------

def test_summary_xlsx_explains_errors_and_unreadable_files(tmp_path):
    _filled(tmp_path / "in", "bad.xlsx", **{"info.year": "2025年"})
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


# ---- 12. a renamed workbook is told by its content; .xls says what to do ---------------

@pytest.mark.parametrize("suffix", [".docx", ".csv", ".xls"])
def test_a_workbook_with_the_wrong_extension_is_told_by_content(tmp_path, suffix):
    path = _filled(tmp_path).rename(tmp_path / f"年报{suffix}")
    result = cli("check", path)
    assert result.returncode == 2
    first = result.stderr.splitlines()[0]
    assert "Word" not in first and "内容是 Excel 工作簿" in first and "改名为“年报.xlsx”" in first, result.stderr


def test_an_old_xls_says_to_save_as_xlsx_in_its_first_line(tmp_path):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "旧.xls").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600)
    direct = cli("check", tmp_path / "in" / "旧.xls")
    assert direct.returncode == 2 and "另存为 .xlsx" in direct.stderr.splitlines()[0]
    batch = cli("batch", tmp_path / "in", "-o", tmp_path / "out")
    line = next(x for x in batch.stdout.splitlines() if "旧.xls" in x)
    assert "在 Excel 或 WPS 中打开，另存为 .xlsx" in line, batch.stdout


# ---- 13. docs/使用说明.md: every sheet listed; sample outputs are what reportc prints ----

GUIDE = Path(__file__).parent.parent / "docs" / "使用说明.md"


def _guide_blocks() -> list[str]:
    return re.findall(r"^```[a-z]*\n(.*?)^```", GUIDE.read_text(encoding="utf-8"), re.S | re.M)


def test_guide_lists_every_sheet_of_a_new_workbook(tmp_path):
    path = tmp_path / "a.xlsx"
    path.write_bytes(build_workbook(load_spec("2021"), "某县民政局", 2025))
    guide = GUIDE.read_text(encoding="utf-8")
    for name in openpyxl.load_workbook(path).sheetnames:
        if not name.startswith("_"):
            assert f"| {name} |" in guide, name


def _doc_workbook(folder: Path, narrative_extra: int, break_cells: bool) -> Path:
    """The workbook the guide's examples were printed from (tests/gen.py, seed 3)."""
    import random
    from decimal import Decimal

    from gen import consistent_numbers, texts

    from reportc.checks import input_keys

    spec = load_spec("2021")
    rng = random.Random(3)
    values = {**consistent_numbers(spec, rng), **texts(spec, rng, org="某县民政局", year=2025)}
    values = {k: float(v) if isinstance(v, Decimal) else v for k, v in values.items()}
    total = sum(values[k] for k in input_keys(spec) if k.startswith("t3.new."))
    if break_cells:
        values["t3.new.natural"] = f"{int(values['t3.new.natural'])}件"
        values["t3.carried.other_org"] = None
    values["s1.intro.1"] = f"2025年，本机关收到政府信息公开申请{int(total) + narrative_extra}件。"
    path = folder / "某县民政局-2025-填报.xlsx"
    fill_workbook(spec, build_workbook(spec, "某县民政局", 2025), values, path)
    return path


def test_guide_check_example_is_real_output(tmp_path):
    _doc_workbook(tmp_path, 0, True)
    printed = cli("check", "某县民政局-2025-填报.xlsx", cwd=tmp_path).stdout
    block = next(b for b in _guide_blocks() if b.startswith("[错误][规则D6]"))
    assert block.strip() in printed, printed


def test_guide_strict_example_is_real_output(tmp_path):
    _doc_workbook(tmp_path, 16, False)
    result = cli("build", "--strict", "某县民政局-2025-填报.xlsx", cwd=tmp_path)
    block = next(b for b in _guide_blocks() if b.startswith("$ reportc build --strict"))
    expected = block.split("\n", 1)[1].strip().replace("outputs/某县民政局-2025", str(Path("outputs") / "某县民政局-2025"))
    assert result.returncode == 1 and expected == result.stdout.strip(), result.stdout


def test_guide_edition_warning_is_real_output(tmp_path):
    result = cli("new", "--year", "2025", "--edition", "2019", "-o", tmp_path / "a.xlsx")
    block = next(b for b in _guide_blocks() if b.startswith("提醒：报告年度为2025年"))
    assert block.strip() == result.stderr.strip()
