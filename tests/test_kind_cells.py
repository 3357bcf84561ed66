"""Rule kinds cell_type and blank (compiler/kinds/cells.py), run directly on hand-made data:
D6 (a valid number in each input cell) and D7 (no blank input cell)."""

from __future__ import annotations

import re

import pytest
from kindcheck import SPEC, checks, data, evaluate, failed

from reportc.checks import derivations
from reportc.kinds import kind_of
from reportc.layout import location


def test_cell_type_has_one_check_per_row_of_input_cells():
    spec = SPEC["2021"]
    derived = derivations(spec)
    found = checks(spec, "D6")
    covered = [k for c in found for k in c.cells]
    assert len(covered) == len(set(covered)) and not set(covered) & set(derived)
    assert all(len({k.rsplit(".", 1)[0] for k in c.cells}) == 1 for c in found)  # each check one row


def test_cell_type_shows_what_was_typed_in_the_rows_first_bad_cell():
    spec = SPEC["2021"]
    d = data(spec, invalid={"t3.new.legal", "t3.new.commercial"}, shown={"t3.new.legal": "3件", "t3.new.commercial": "无"})
    (check, left, right, finding), = failed(spec, "D6", d)
    assert check.target == "表三“一、本年新收政府信息公开申请数量”行"
    assert left == "无" and right == "有效数字"  # 商业企业 comes before 法律服务机构
    assert finding is None  # the reader words each bad cell itself
    assert all(passed for c, *_, passed, _ in evaluate(spec, "D6", data(spec)))


def test_cell_type_formula_tests_each_cell_without_n():
    spec = SPEC["2021"]
    check = checks(spec, "D6")[0]
    left, right, _ = kind_of(check.rule).excel(check, spec, {})
    assert not re.search(r"(?<![A-Z])N\(", left)  # Gnumeric's N() of an empty cell is #NUM!
    assert left.count("ISNUMBER(") >= len(check.cells) and right == "有效数字"


def test_blank_counts_the_blank_cells_of_a_table_and_lists_them_by_row():
    spec = SPEC["2021"]
    blanks = {"t3.new.natural", "t3.new.legal", "t3.granted.natural"}
    d = data(spec, blanks=blanks)
    (check, left, right, finding), = failed(spec, "D7", d)
    assert check.target == "表三" and (left, right) == (3, 0)
    assert finding.severity == "warning"
    for key in blanks:
        assert location(spec, key).split("!")[1] in finding.message
    assert finding.message.count("第") == 2  # two rows: 新收 and 予以公开


@pytest.mark.parametrize("edition", ["2019", "2021"])
def test_a_table_left_empty_is_said_once_not_cell_by_cell(edition):
    spec = SPEC[edition]
    t4 = checks(spec, "D7")[-1]
    d = data(spec, blanks=set(t4.cells))
    (check, left, right, finding), = failed(spec, "D7", d)
    assert check.target == "表四" and left == len(t4.cells)
    assert f"全部{left}个数字单元格都没有填写" in finding.message and "第" not in finding.message
