"""`reportc new`: the locked workbook."""

from __future__ import annotations

import io
import json
import re
import zipfile

import pytest
from conftest import assert_no_traceback, run_cli
from openpyxl import load_workbook

from reportc.checks import derivations, expected_formula, input_keys
from reportc.layout import a1, cell_map, sheet_order
from reportc.filenames import default_filename
from reportc.writer import build_workbook

# not N(): Gnumeric's N() of an empty cell is #NUM! (ISNUMBER/ISERROR/LEN/TRIM test a cell instead)
ALLOWED_FUNCTIONS = {"SUM", "IF", "AND", "OR", "ABS", "ROUND", "COUNTIF", "COUNTBLANK", "LEN", "ISNUMBER", "ISERROR",
                     "INT", "COUNTA", "COUNT", "TRIM",
                     # the 校验 sheet's list of failing checks: in Excel 2007+, WPS and LibreOffice alike
                     "INDEX", "SMALL", "IFERROR", "ROW", "HYPERLINK",
                     # 参考表述: amounts as text, the same in Excel, WPS and LibreOffice
                     "FIXED",
                     # 规则S8 reads a year typed as text (“2025年”) as Python does
                     "VALUE", "SUBSTITUTE",
                     # the 校验 banner counts 提醒 rows explained in 情况说明 (Excel 2007+, WPS, LibreOffice, Gnumeric)
                     "COUNTIFS"}


@pytest.fixture
def blank(spec, year):
    return build_workbook(spec, "测试局", year)


@pytest.fixture
def wb(blank):
    return load_workbook(io.BytesIO(blank))


def editable_positions(spec):
    """(sheet, row, col) of every cell a clerk may type into."""
    derived = derivations(spec)
    return {pos for key, pos in cell_map(spec).items() if key not in derived}


def test_every_input_unlocked_and_every_other_cell_locked(spec, wb):
    editable = editable_positions(spec)
    unlocked_seen = set()
    for ws in wb.worksheets:
        anchors = {}  # cells covered by a merge belong to the merge's top-left cell
        for rng in ws.merged_cells.ranges:
            for r in range(rng.min_row, rng.max_row + 1):
                for c in range(rng.min_col, rng.max_col + 1):
                    anchors[(r, c)] = (rng.min_row, rng.min_col)
        for row in ws.iter_rows(min_row=1, max_row=ws.max_row + 2, max_col=ws.max_column + 2):
            for cell in row:
                r, c = anchors.get((cell.row, cell.column), (cell.row, cell.column))
                pos = (ws.title, r - 1, c - 1)
                if pos in editable:
                    assert cell.protection.locked is False, f"{ws.title}!{cell.coordinate} should be unlocked"
                    unlocked_seen.add(pos)
                else:
                    assert cell.protection.locked is not False, f"{ws.title}!{cell.coordinate} should be locked"
    assert unlocked_seen == editable


def test_every_sheet_and_the_structure_protected(spec, wb, blank):
    assert [ws.title for ws in wb.worksheets] == sheet_order(spec) + [spec.sheets["meta"]]
    for ws in wb.worksheets:
        assert ws.protection.sheet is True, ws.title
        assert ws.protection.insertRows is not False and ws.protection.deleteRows is not False
    assert wb.security.lockStructure is True
    assert wb[spec.sheets["meta"]].sheet_state == "veryHidden"
    xml = zipfile.ZipFile(io.BytesIO(blank)).read("xl/workbook.xml").decode()
    assert '<workbookProtection lockStructure="1"/>' in xml


def test_totals_are_locked_formulas(spec, wb):
    cmap = cell_map(spec)
    derived = derivations(spec)
    assert "t3.total.total" in derived and "t4.all.review_total" in derived
    for key in derived:
        sheet, r, c = cmap[key]
        cell = wb[sheet].cell(r + 1, c + 1)
        assert cell.value == expected_formula(spec, key)
        assert cell.protection.locked is not False


def test_inputs_have_data_validation_with_chinese_prompts(spec, wb):
    cmap = cell_map(spec)
    for key in input_keys(spec):
        sheet, r, c = cmap[key]
        ref = a1(r, c)
        found = [dv for dv in wb[sheet].data_validations.dataValidation if ref in dv.sqref]
        assert len(found) == 1, f"{sheet}!{ref}"
        dv = found[0]
        kind = spec.column_kind(key).kind
        assert dv.type == {"count": "whole", "signed_count": "whole", "amount": "decimal"}[kind]
        if kind != "signed_count":
            assert dv.operator == "greaterThanOrEqual" and dv.formula1 == "0"
        assert re.search(r"[\u4e00-\u9fff]", dv.prompt) and len(dv.promptTitle) <= 32 and len(dv.prompt) <= 255


def test_formulas_use_only_portable_functions(wb):
    count = 0
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if isinstance(cell.value, str) and cell.value.startswith("="):
                    count += 1
                    names = set(re.findall(r"([A-Z][A-Z0-9.]*)\(", re.sub(r'"[^"]*"', "", cell.value)))
                    assert names <= ALLOWED_FUNCTIONS, f"{ws.title}!{cell.coordinate}: {names - ALLOWED_FUNCTIONS}"
    assert count > 50


def test_metadata_maps_every_logical_cell(spec, wb):
    ws = wb[spec.sheets["meta"]]
    rows = list(ws.iter_rows(values_only=True))
    meta = {r[0]: r[1] for r in rows[1:8]}
    assert meta["edition"] == spec.edition and meta["spec_hash"] == spec.hash and meta["format"]
    mapped = json.loads("".join(r[1] for r in rows if r[0] == "cell_map"))
    assert mapped == {k: f"{s}!{a1(r, c)}" for k, (s, r, c) in cell_map(spec).items()}
    props = {p.name: p.value for p in wb.custom_doc_props.props}
    assert props["reportc_edition"] == spec.edition and props["reportc_spec_hash"] == spec.hash


def test_print_setup_is_a4(wb):
    for ws in wb.worksheets[:-1]:
        assert ws.page_setup.paperSize == 9, ws.title


def test_same_arguments_give_identical_bytes(spec, year):
    assert build_workbook(spec, "某县民政局", year) == build_workbook(spec, "某县民政局", year)
    assert build_workbook(spec, "某县民政局", year) != build_workbook(spec, "另一个局", year)


def test_default_filename():
    # item 9 of issue 12: short and shell-friendly (no spaces, brackets or shell characters)
    assert default_filename("某县民政局", 2025) == "某县民政局-2025-填报.xlsx"
    assert default_filename('a/b:c*"', 2025).startswith("abc-2025")
    assert default_filename(None, 2025) == "2025-填报.xlsx"
    assert default_filename(" 某县 民政局（某县老龄办） ", 2025) == "某县民政局-某县老龄办-2025-填报.xlsx"
    assert default_filename("某县(民政)局 & 档案馆", 2025) == "某县-民政-局档案馆-2025-填报.xlsx"


def test_cli_new_from_another_folder(tmp_path):
    folder = tmp_path / "中文 文件夹"
    folder.mkdir()
    result = run_cli("new", "--year", "2025", "--org", "测试局", cwd=folder)
    assert result.returncode == 0, result.stderr
    out = folder / "测试局-2025-填报.xlsx"
    assert out.is_file()
    wb = load_workbook(out)
    assert wb["基本信息"]["B4"].value == "测试局" and wb["基本信息"]["B5"].value == 2025
    again = run_cli("new", "--year", "2025", "--org", "测试局", cwd=folder)
    assert again.returncode == 2 and "已存在" in again.stderr and "--overwrite" in again.stderr
    assert run_cli("new", "--year", "2025", "--org", "测试局", "--overwrite", cwd=folder).returncode == 0
    # the old spelling still works for one release, with a note in Chinese (issue 12, item 3)
    old = run_cli("new", "--year", "2025", "--org", "测试局", "--force", cwd=folder)
    assert old.returncode == 0 and "--force 已改名为 --overwrite" in old.stderr


def test_cli_new_rejects_a_year_without_edition(tmp_path):
    result = run_cli("new", "--year", "2015", cwd=tmp_path)
    assert result.returncode == 2
    assert "没有适用于 2015 年度的报告格式" in result.stderr
    assert_no_traceback(result)
    assert not list(tmp_path.iterdir())


def test_cli_new_edition_year_choice(tmp_path):
    r = run_cli("new", "--year", "2025", "--edition", "1999", "-o", tmp_path / "x.xlsx")
    assert r.returncode == 2 and "不支持的报告格式版本" in r.stderr
    r = run_cli("new", "--year", "2025", "-o", tmp_path / "x.txt")
    assert r.returncode == 2 and ".xlsx" in r.stderr


@pytest.mark.parametrize("args", [["--help"], ["new", "--help"], ["check", "--help"], ["build", "--help"]])
def test_help_is_chinese(args):
    result = run_cli(*args)
    assert result.returncode == 0
    assert "用法：reportc" in result.stdout and "显示本帮助并退出" in result.stdout
    for english in ("Usage:", "Options", "Show this message", "[default"):
        assert english not in result.stdout
    if args[0] in ("check", "build"):  # the argument's own help text is shown too
        assert "工作簿" in result.stdout and "填好的 .xlsx 工作簿。" in result.stdout


def test_usage_errors_are_chinese():
    result = run_cli("new", "--year", "abc")
    assert result.returncode == 2 and "命令用法有误" in result.stderr
    assert_no_traceback(result)


def test_cli_new_picks_the_edition_from_the_year(tmp_path):
    from reportc.publish import check

    assert run_cli("new", "--year", "2020", "--org", "某局", "-o", tmp_path / "a.xlsx").returncode == 0
    a = check(tmp_path / "a.xlsx")
    assert a.workbook.spec.edition == "2019" and "S8" not in {f.rule for f in a.findings}
    assert run_cli("new", "--year", "2021", "--org", "某局", "-o", tmp_path / "b.xlsx").returncode == 0
    assert check(tmp_path / "b.xlsx").workbook.spec.edition == "2021"
    # --edition overrides; the validator then warns that edition and year do not match
    assert run_cli("new", "--year", "2022", "--edition", "2019", "--org", "某局", "-o", tmp_path / "c.xlsx").returncode == 0
    c = check(tmp_path / "c.xlsx")
    s8 = [f for f in c.findings if f.rule == "S8"]
    assert c.workbook.spec.edition == "2019" and s8 and s8[0].severity == "warning" and "2021版" in s8[0].message
