"""Small things a user saw in the outputs: summary.xlsx's 年度, report.md's table 四 labels, the .xls
message, the --previous reference column, and the command sequence of docs/使用说明.md."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from conftest import assert_no_traceback, run_cli

from reportc import build

ROOT = Path(__file__).resolve().parents[1]


def test_summary_stores_the_year_as_a_number(tmp_path):
    from openpyxl import load_workbook

    src = tmp_path / "in"
    src.mkdir()
    shutil.copy(ROOT / "examples" / "qingshan-minzheng-2025.xlsx", src)
    (src / "坏.xlsx").write_text("hello", encoding="utf-8")
    result = run_cli("batch", src, "-o", tmp_path / "out")
    assert_no_traceback(result)
    rows = list(load_workbook(tmp_path / "out" / "summary.xlsx")["汇总"].iter_rows(min_row=1, values_only=True))
    assert rows[0][2] == "年度"
    years = {r[3]: r[2] for r in rows[1:]}
    assert years["qingshan-minzheng-2025.xlsx"] == 2025 and isinstance(years["qingshan-minzheng-2025.xlsx"], int)
    assert years["坏.xlsx"] in ("", None)  # nothing read: an empty cell, not 0


def test_markdown_table_four_names_administrative_litigation(tmp_path):
    build(ROOT / "examples" / "qingshan-minzheng-2025.xlsx", tmp_path / "out", formats=("md",))
    md = (tmp_path / "out" / "report.md").read_text(encoding="utf-8")
    section = md.split("## 四、", 1)[1].split("## 五、", 1)[0]
    header = next(line for line in section.splitlines() if line.startswith("|"))
    labels = [c.strip() for c in header.strip("|").split("|")]
    assert len(labels) == 15
    assert labels[:5] == [f"行政复议—{w}" for w in ("结果维持", "结果纠正", "其他结果", "尚未审结", "总计")]
    assert all(label.startswith("行政诉讼—未经复议直接起诉—") for label in labels[5:10]), labels
    assert all(label.startswith("行政诉讼—复议后起诉—") for label in labels[10:]), labels
    table3 = md.split("## 三、", 1)[1].split("## 四、", 1)[0]
    assert "| 法人或其他组织—商业企业 |" in table3 and "申请人情况—" not in table3


def test_old_excel_file_message_gives_its_advice_once(tmp_path):
    for name in ("old.xls", "old.et"):
        path = tmp_path / name
        path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600))
        result = run_cli("check", path)
        assert_no_traceback(result)
        assert result.returncode == 2
        lines = [line for line in result.stderr.splitlines() if line.strip()]
        assert "另存为 .xlsx" in lines[0]  # batch shows only the first line: it carries the advice
        assert sum(line.count("后再试") for line in lines) == 1, lines
        assert "*.xlsx" in result.stderr  # and the second line says how


def test_previous_reference_header_is_not_clipped(tmp_path):
    from openpyxl import load_workbook
    from openpyxl.utils import get_column_letter

    last = tmp_path / "last.xlsx"
    assert run_cli("new", "--year", "2024", "--org", "某县民政局", "-o", last).returncode == 0
    this = tmp_path / "this.xlsx"
    result = run_cli("new", "--previous", last, "-o", this)
    assert result.returncode == 0, result.stderr
    wb = load_workbook(this)
    found = 0
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if cell.value == "参考：上年现行有效件数" and cell.coordinate not in ws.merged_cells:
                    width = ws.column_dimensions[get_column_letter(cell.column)].width
                    assert width >= 2 * len(cell.value), (ws.title, cell.coordinate, width)
                    found += 1
    assert found >= 1


def _commands(block: str) -> list[list[str]]:
    import shlex

    return [shlex.split(line)[1:] for line in block.splitlines() if line.startswith("reportc ")]


def test_usage_guide_new_commands_work_as_written(tmp_path):
    """Section 一 of 使用说明.md: step 1's command, and the --previous command that replaces it when last
    year's workbook is at hand (it says so), run as written; and its advice for a file already made."""
    guide = (ROOT / "docs" / "使用说明.md").read_text(encoding="utf-8")
    section = guide.split("## 一、", 1)[1].split("## 二、", 1)[0]
    blocks = re.findall(r"```bash\n(.*?)```", section, re.S)
    first, previous = _commands(blocks[0]), _commands(blocks[1])
    assert first == [["new", "--year", "2025", "--org", "某县民政局"]]
    assert previous == [["new", "--previous", "某县民政局-2024-填报.xlsx"]]
    between = section.split(blocks[0], 1)[1].split(blocks[1], 1)[0]
    assert "代替上面的命令" in between

    # step 1 as written
    here = tmp_path / "a"
    here.mkdir()
    result = run_cli(*first[0], cwd=here)
    assert result.returncode == 0, result.stderr
    assert (here / "某县民政局-2025-填报.xlsx").is_file()
    # instead of step 1: last year's workbook at hand
    there = tmp_path / "b"
    there.mkdir()
    assert run_cli("new", "--year", "2024", "--org", "某县民政局", cwd=there).returncode == 0
    result = run_cli(*previous[0], cwd=there)
    assert_no_traceback(result)
    assert result.returncode == 0, result.stderr
    assert (there / "某县民政局-2025-填报.xlsx").is_file()
    # both, in order: the guide says to add --overwrite, and that works
    assert "加 `--overwrite` 替换它" in section
    shutil.copy(there / "某县民政局-2024-填报.xlsx", here)
    assert run_cli(*previous[0], cwd=here).returncode == 2
    result = run_cli(*previous[0], "--overwrite", cwd=here)
    assert result.returncode == 0, result.stderr
