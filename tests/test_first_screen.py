"""What a clerk sees first: the status of a workbook nobody has filled in, titles that
are not clipped, hints without template text, and M3 findings the right way round."""

from __future__ import annotations

from pathlib import Path

from conftest import EDITION_YEARS

from reportc.checks_sheet import CHECKS_TOP, FIRST_SLOT
from reportc.planner import plan_workbook
from reportc.planner import TITLE_LINE, lines
from reportc.spec import load_spec


def _plan(spec):
    return plan_workbook(spec, "青山县民政局", EDITION_YEARS[spec.edition])


def test_a_new_workbook_says_not_filled_in_yet(spec):
    plan = _plan(spec)
    guide = plan.sheet(spec.sheets["guide"]).cells[(2, 1)]
    assert guide.cached.startswith("尚未填写：共有") and "不通过" not in guide.cached
    checks = plan.sheet(spec.sheets["checks"])
    banner = checks.cells[(1, 3)]
    assert banner.cached == guide.cached and banner.span == (3, 8)


def test_checks_sheet_lists_what_fails_first_with_plain_column_names(spec):
    checks = _plan(spec).sheet(spec.sheets["checks"])
    header = [checks.cells[(FIRST_SLOT - 1, c)].value for c in range(9)]
    assert header[5:8] == ["填写值", "应为", "相差"] and "左值" not in header
    assert [checks.cells[(CHECKS_TOP - 1, c)].value for c in range(9)] == header
    # each slot formula finds the k-th failing check and links to its cell
    link = checks.cells[(FIRST_SLOT, 4)].value
    assert link.startswith("=IF(") and "HYPERLINK(INDEX($K:$K" in link
    rule = checks.cells[(CHECKS_TOP, 1)].value
    assert rule.startswith("规则") and rule[2:] == "O1"
    target = checks.cells[(CHECKS_TOP, 10)].value
    assert target.startswith("#'三、依申请公开'!")


def test_no_cell_shows_template_text(spec):
    for sheet in (s for s in _plan(spec).sheets if not s.hidden):  # the hidden metadata holds JSON
        for pos, cell in sheet.cells.items():
            text = cell.cached if cell.role == "formula" else cell.value
            if isinstance(text, str) and not text.startswith("="):
                assert "{" not in text and "}" not in text, f"{sheet.name}!{pos}: {text}"


def test_titles_have_room_for_their_font(spec):
    for sheet in _plan(spec).sheets:
        for (r, c), cell in sheet.cells.items():
            if cell.style == "title" and cell.value:
                width = sum(sheet.widths.get(col, 8.43) for col in range(c, (cell.span or (r, c))[1] + 1))
                need = TITLE_LINE * lines(str(cell.value).split("\n")[0], width / 1.45) * len(str(cell.value).split("\n"))
                assert sheet.heights.get(r, 15) >= need, f"{sheet.name} row {r + 1}: {sheet.heights.get(r)} < {need}"


def test_a_changed_label_is_reported_as_found_then_expected(tmp_path):
    from openpyxl import load_workbook

    from reportc.publish import check

    spec = load_spec("2021")
    source = Path(__file__).parent.parent / "examples" / "qingshan-minzheng-2025.xlsx"
    wb = load_workbook(source)
    ws = wb["三、依申请公开"]
    original = ws["A30"].value
    ws["A30"].value = "改过的标签"
    wb.save(tmp_path / "m3.xlsx")
    m3 = [f for f in check(tmp_path / "m3.xlsx").findings if f.rule == "M3" and f.location.endswith("!A30")]
    assert len(m3) == 1 and m3[0].left == "改过的标签" and m3[0].right == original
    assert spec.edition == "2021"


def test_a_table_left_empty_is_said_in_one_sentence(tmp_path):
    from reportc import check, new_workbook

    path = new_workbook(year=2025, org="某县民政局", output=tmp_path / "空白.xlsx")
    d7 = [f for f in check(path).findings if f.rule == "D7"]
    assert len(d7) == 3 and all("全部" in f.message and "都没有填写" in f.message and "第" not in f.message for f in d7)


def test_top_list_leaves_empty_values_empty(spec):
    checks = _plan(spec).sheet(spec.sheets["checks"])
    for c in (5, 6, 7):  # 填写值, 应为, 相差 of a check that has none show nothing, not 0
        assert checks.cells[(FIRST_SLOT, c)].value.count('="",""') == 2  # no failing check; its value blank
        assert 'IF(INDEX(' in checks.cells[(FIRST_SLOT, c)].value
