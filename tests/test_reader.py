"""Reading a filled workbook: what a file is told by, how a typed cell is read."""

from __future__ import annotations

import pytest
from conftest import assert_no_traceback, run_cli

from reportc.values import parse_number


def cli(*args, cwd=None):
    result = run_cli(*args, cwd=cwd)
    assert_no_traceback(result)
    return result


@pytest.mark.parametrize("suffix", [".docx", ".csv", ".xls"])
def test_a_workbook_with_the_wrong_extension_is_told_by_content(tmp_path, filled_workbook, suffix):
    path = filled_workbook(consistent=False).rename(tmp_path / f"年报{suffix}")
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


@pytest.mark.parametrize("raw,words", [
    ("251000元", ["251000元 = 25.1万元，请填 25.1"]),
    ("12345.67元", ["1.234567万元", "请填 1.2346"]),
    ("2.5亿元", ["2.5亿元 = 25000万元，请填 25000"]),
    ("25.1万元", ["请去掉单位，只填25.1"]),
])
def test_units_typed_in_an_amount_cell_are_converted_in_the_message(raw, words):
    parsed = parse_number(raw, "amount", 4)
    assert parsed.value == 0
    for w in words:
        assert w in parsed.problem
    assert "只填251000" not in parsed.problem

