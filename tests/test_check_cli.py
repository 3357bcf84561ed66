"""`reportc check` and `reportc build` on good and bad workbooks: messages, exit codes,
never a traceback, the input never modified, nothing half-written."""

from __future__ import annotations

import hashlib
import json
import random
import zipfile

import pytest
from conftest import assert_no_traceback, cell_value, run_cli
from gen import consistent_numbers, texts

from reportc.layout import explain_key, location


@pytest.fixture
def good_values(spec, year):
    """The values make() writes (seed 3)."""
    rng = random.Random(3)
    return {k: cell_value(v) for k, v in {**consistent_numbers(spec, rng), **texts(spec, rng, year=year)}.items()}


@pytest.fixture
def make(spec, year, filled_workbook):
    """make(name, **changes): a filled workbook of the edition under test (seed 3) with changes."""

    def make(name="filled.xlsx", **changes):
        return filled_workbook(name, edition=spec.edition, year=year, seed=3, **changes)
    return make


def sha(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def check(path, *extra):
    result = run_cli("check", path, *extra)
    assert_no_traceback(result)
    return result


def test_consistent_workbook_passes(make):
    path = make()
    result = check(path)
    assert result.returncode == 0, result.stdout
    assert "错误 0 项" in result.stdout


@pytest.mark.parametrize("raw,words", [
    ("无", ["没有发生的请填0", "“无”"]),
    ("—", ["没有发生的请填0"]),
    ("12件", ["去掉单位", "只填12"]),
    ("约十件", ["文字“约十件”"]),
    (-3, ["不能为负数", "-3"]),
    (2.5, ["应为整数", "2.5"]),
    ("=1+2", ["公式"]),
])
def test_bad_number_cells_name_the_cell_and_raw_value(spec, make, raw, words):
    key = "t3.granted.natural"
    path = make(**{"t3__granted__natural": raw})
    before = sha(path)
    result = check(path)
    assert result.returncode == 1
    assert location(spec, key) in result.stdout
    for w in words:
        assert w in result.stdout, result.stdout
    assert sha(path) == before


def test_blank_cells_are_zero_with_one_grouped_warning(spec, make):
    changes = {f"t3__{row}__natural": None for row in ("deny_secret", "deny_law", "deny_query")}
    changes.update({f"t3__{row}__natural": 0 for row in ()})
    path = make(**changes)
    result = check(path, "--json")
    data = json.loads(result.stdout)
    d7 = [f for f in data["findings"] if f["rule"] == "D7"]
    assert len(d7) == 1 and d7[0]["severity"] == "warning" and "3个空白单元格" in d7[0]["message"]
    # blanks read as 0 may unbalance O1; only that, never an error about the blank itself
    assert {f["rule"] for f in data["findings"] if f["severity"] == "error"} <= {"O1"}
    assert check(path, "--strict").returncode == 1


def test_full_width_digits_and_spaces_are_text_and_an_error_as_on_the_sheet(spec, make, good_values):
    # a number stored as text is left out of the workbook's 合计 formulas and fails the 校验 sheet's
    # D6 row: check says the same, counts it as 0 as the workbook does, and says what to type
    key = "t3.granted.natural"
    value = int(good_values[key])
    fullwidth = "".join(chr(ord(ch) + 0xFEE0) for ch in str(value))
    path = make(**{"t3__granted__natural": f" {fullwidth}\u3000"})
    result = check(path, "--json")
    assert result.returncode == 1, result.stdout
    data = json.loads(result.stdout)
    d6 = [f for f in data["findings"] if f["rule"] == "D6"]
    assert len(d6) == 1 and d6[0]["severity"] == "error"
    assert "全角" in d6[0]["message"] and f"请重新输入数字{value}" in d6[0]["message"]
    assert d6[0]["location"] == location(spec, key)


def test_json_output_lists_findings_and_checks(make):
    path = make(**{"t3__new__natural": 999})
    result = check(path, "--json")
    assert result.returncode == 1
    data = json.loads(result.stdout)
    assert data["passed"] is False and data["counts"]["error"] >= 1
    o1 = [f for f in data["findings"] if f["rule"] == "O1"]
    assert o1 and o1[0]["location"].startswith("三、依申请公开!D")
    assert any(c["rule"] == "O1" and c["status"] == "不通过" for c in data["checks"])


@pytest.mark.parametrize("content,name,words", [
    (b"hello, not a workbook", "notes.xlsx", ["不是 .xlsx 工作簿"]),
    (b"", "empty.xlsx", ["空文件"]),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "old.xls", ["Excel 97-2003", "另存为"]),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "locked.xlsx", ["请先取消文件打开密码"]),
    (b"a,b\n1,2\n", "data.csv", ["CSV"]),
    (b"PK\x03\x04 truncated", "broken.xlsx", ["已损坏或不完整"]),
])
def test_files_that_cannot_be_checked_exit_2(tmp_path, content, name, words):
    path = tmp_path / name
    path.write_bytes(content)
    for command in ("check", "build"):
        result = run_cli(command, path, cwd=tmp_path)
        assert_no_traceback(result)
        assert result.returncode == 2, result.stderr
        for w in words:
            assert w in result.stderr
    assert path.read_bytes() == content
    assert not (tmp_path / "outputs").exists()


def test_missing_file_and_folder_exit_2(tmp_path):
    r = run_cli("check", tmp_path / "不存在.xlsx")
    assert r.returncode == 2 and "找不到文件" in r.stderr
    r = run_cli("check", tmp_path)
    assert r.returncode == 2 and "文件夹" in r.stderr


def test_workbook_not_made_by_reportc_exit_2(tmp_path):
    import openpyxl

    path = tmp_path / "自己做的表.xlsx"
    wb = openpyxl.Workbook()
    wb.active["A1"] = "一、本年新收政府信息公开申请数量"
    wb.save(path)
    result = run_cli("check", path)
    assert_no_traceback(result)
    assert result.returncode == 2
    assert "不是 reportc 生成的填报工作簿" in result.stderr and "reportc new" in result.stderr


def test_truncated_workbook_exit_2(make, tmp_path):
    path = make()
    data = path.read_bytes()
    cut = tmp_path / "cut.xlsx"
    cut.write_bytes(data[: len(data) // 2])
    result = run_cli("check", cut)
    assert_no_traceback(result)
    assert result.returncode == 2


def test_build_with_errors_writes_only_the_validation_report(make, tmp_path):
    good = make("good.xlsx")
    out = tmp_path / "输出 目录"
    first = run_cli("build", good, "-o", out)
    assert first.returncode == 0, first.stdout + first.stderr
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    assert set(before) == {"report.html", "report-fragment.html", "report.docx", "report.md", "report.json",
                           "validation.html", "validation.json", "manifest.json"}
    bad = make("bad.xlsx", **{"t3__new__natural": "无"})
    bad_hash = sha(bad)
    second = run_cli("build", bad, "-o", out)
    assert_no_traceback(second)
    assert second.returncode == 1
    assert "未生成年报文档" in second.stdout
    # issue 9 item 3: the failing build's set replaces the earlier set as a whole, so no
    # report.* of the earlier build stands beside the new validation report
    assert sorted(p.name for p in out.iterdir()) == ["manifest.json", "validation.html", "validation.json"]
    assert json.loads((out / "validation.json").read_text(encoding="utf-8"))["passed"] is False
    assert sha(bad) == bad_hash
    assert not [p for p in out.iterdir() if p.name.startswith(".reportc-")]


def test_build_draft_marks_every_document(make, tmp_path):
    bad = make("bad.xlsx", **{"t3__new__natural": -1})
    out = tmp_path / "draft"
    result = run_cli("build", bad, "-o", out, "--draft")
    assert result.returncode == 1
    assert "草稿（校验未通过）" in (out / "report.html").read_text(encoding="utf-8")
    assert "草稿（校验未通过）" in (out / "report-fragment.html").read_text(encoding="utf-8")
    assert "草稿（校验未通过）" in (out / "report.md").read_text(encoding="utf-8")
    with zipfile.ZipFile(out / "report.docx") as z:
        headers = [z.read(n).decode() for n in z.namelist() if n.startswith("word/header")]
    assert sum("草稿（校验未通过）" in h for h in headers) == 2  # odd and even pages


def test_build_formats_and_default_folder(make, tmp_path):
    path = make()
    result = run_cli("build", path, "--format", "md", cwd=tmp_path)
    assert result.returncode == 0
    folder = tmp_path / "outputs" / "测试县民政局-{}".format(json.loads(run_cli("check", path, "--json").stdout)["year"])
    assert sorted(p.name for p in folder.iterdir()) == ["manifest.json", "report.md", "validation.html", "validation.json"]
    bad = run_cli("build", path, "--format", "pdf,odt", cwd=tmp_path)
    assert bad.returncode == 2 and "不认识的输出格式" in bad.stderr


def test_gbk_console_never_crashes(spec, make):
    """A Windows console in GBK: characters GBK lacks (here an emoji a clerk pasted) are replaced."""
    import subprocess
    import sys

    path = make(**{"t3__granted__natural": "12件😀"})
    result = subprocess.run([sys.executable, "-m", "reportc", "check", str(path)], capture_output=True,
                            env={**__import__("os").environ, "PYTHONIOENCODING": "gbk"}, timeout=60)
    assert result.returncode == 1
    text = result.stdout.decode("gbk")
    assert "三、依申请公开!" in text and "Traceback" not in result.stderr.decode("gbk", "replace")


def test_refuses_to_read_without_defusedxml(make):
    import subprocess
    import sys

    path = make()
    code = ("import sys; sys.modules['defusedxml'] = None; sys.modules['defusedxml.ElementTree'] = None; "
            "from reportc.cli import main; main(['check', sys.argv[1]])")
    result = subprocess.run([sys.executable, "-c", code, str(path)], capture_output=True, text=True,
                            encoding="utf-8", env={**__import__("os").environ, "PYTHONIOENCODING": "utf-8"}, timeout=60)
    assert result.returncode == 2
    assert "defusedxml" in result.stderr and "拒绝读取" in result.stderr and "Traceback" not in result.stderr


def test_year_must_be_four_digits(spec, make):
    path = make(**{"info__year": "2025年"})
    result = check(path)
    assert result.returncode == 1
    assert "[错误][规则R1] 基本信息!B5" in result.stdout and "年度应填写四位数字" in result.stdout and "“2025年”" in result.stdout


def test_numbers_quoted_in_the_narrative_must_equal_the_tables(spec, make, good_values):
    from reportc.checks import compute_values

    numbers = {k: v for k, v in good_values.items() if k.startswith("t")}
    totals = compute_values(spec, {k: (int(v) if isinstance(v, float) and v.is_integer() else v) for k, v in numbers.items()})
    received, done = int(totals["t3.new.total"]), int(totals["t3.total.total"])
    text = f"本年度共收到政府信息公开申请{received}件，已办结{done + 3}件。"
    path = make(**{"s1__sub2__2": text})
    result = check(path, "--json")
    data = json.loads(result.stdout)
    s6 = [f for f in data["findings"] if f["rule"] == "S6"]
    assert [(f["left"], f["right"]) for f in s6] == [(str(done + 3), str(done))]
    assert s6[0]["severity"] == "warning" and s6[0]["location"] == location(spec, "s1.sub2.2")
    assert "办结" in s6[0]["message"] and "（七）总计" in s6[0]["message"]


def test_example_report_has_no_findings():
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    result = check(root / "examples" / "qingshan-minzheng-2025.xlsx", "--strict")
    assert result.returncode == 0 and "错误 0 项，提醒 0 项，说明 0 项" in result.stdout


# ---- 情况说明 rows that match no finding, here and in last year's workbook ------------------------

def _explain(n: int, rule: str, where: str, text: str) -> dict:
    return {explain_key(n, "rule"): rule, explain_key(n, "location"): where, explain_key(n, "text"): text}


def test_check_lists_an_explanation_row_that_matches_no_finding(filled_workbook):
    """A 情况说明 row naming a rule and a cell with no finding is a warning (规则E1) worded with both, not
    an internal error (exit 3); a row without its explanation is a warning too; the check exits 0 with
    须核实. The wording is asserted in full."""
    path = filled_workbook("情况 说明/填报.xlsx", **_explain(1, "规则S6", "一、总体情况!B99", "随便写的"),
                           **_explain(2, "规则R3", "一、总体情况!B59", ""))
    result = check(path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert ("[提醒][规则E1] 情况说明!A4:C4\n    情况说明第1行（规则“规则S6”，位置“一、总体情况!B99”）没有对应的问题："
            "规则或位置与 reportc check 列出的不符，或这个问题已经改正。请按 check 输出中每项提醒下方“规则填…，位置填…”"
            "所示改正，不再需要的请删除这一行。") in result.stdout
    assert "[提醒][规则E1] 情况说明!A5:C5\n    情况说明第2行没有填写说明，这一行不算说明。请补全或删除这一行。" in result.stdout
    assert "结论：须核实。" in result.stdout


def test_last_years_workbook_with_a_stale_explanation_row_still_serves_as_previous(filled_workbook, tmp_path):
    """Last year's workbook is checked before its figures are used; a 情况说明 row left over there
    (its finding fixed) is only a warning of that workbook: check --previous and new --previous
    both use it, with no 内部错误."""
    folder = tmp_path / "上年 对比"
    last = filled_workbook(folder / "上年 工作簿.xlsx", year=2024, seed=2,
                           **_explain(1, "规则S6", "一、总体情况!B99", "旧的说明"))
    this = filled_workbook(folder / "本年 工作簿.xlsx", year=2025, seed=3)
    result = check(this, "--previous", last)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "内部错误" not in result.stdout + result.stderr
    assert "[提醒][规则S1]" in result.stdout  # the across-year rules ran against last year's figures
    made = run_cli("new", "--year", 2025, "--previous", last, "-o", folder / "续 工作簿.xlsx")
    assert_no_traceback(made)
    assert made.returncode == 0 and (folder / "续 工作簿.xlsx").is_file(), made.stdout + made.stderr
