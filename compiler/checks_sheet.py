"""The 校验 sheet's plan: what fails first (a live list of failing checks with links to
their cells), then every check with its formulas, evaluated by the rule kinds."""

from __future__ import annotations


from .checks import FAIL, NOTE, PASS
from .findings import rule_tag
from .kinds import expand, kind_of
from .layout import EXPLAIN_ROWS, EXPLAIN_TOP, a1
from .record import record
from .verdict import FAIL as V_FAIL, PASS as V_PASS, VERIFY as V_VERIFY
from .plan import LINE, SheetPlan, cached, lines

COLUMNS = ["序号", "规则", "检查内容", "检查对象", "位置", "填写值", "应为", "相差", "结果"]
WIDTHS = [6, 9, 34, 30, 30, 10, 10, 8, 9]
COUNT_ROWS = {"fail": 1, "note": 2, "blank": 3}  # rows of the three counts, in column C
SLOTS = 10  # failing checks listed at the top
SLOTS_HEADER = 6
FIRST_SLOT = SLOTS_HEADER + 1
MORE_ROW = FIRST_SLOT + SLOTS
LIST_TITLE = MORE_ROW + 2
CHECKS_TOP = LIST_TITLE + 2  # first row of the full list
ROW_COL, LINK_COL = 9, 10  # hidden helper columns: row number of a failing check, link target
EXPLAINED_COL = 11  # hidden: 1 where a 提醒 row has a 情况说明 row with the same 规则 and 位置 (exactly as check prints them)


BANNER_STYLES = (("fail", V_FAIL), ("note_cf", V_VERIFY), ("pass", V_PASS))  # the verdict word colours the banner


@record
class ChecksSheet:
    rows: list  # (check, left, right, passed)
    status_formula: str  # the overall status, for the first sheet too
    status_cached: str


BANNER_FAIL = "不通过：有{n}项检查不通过，请查看“校验”表"
BANNER_VERIFY = "须核实：没有错误，有{n}项提醒未说明；请逐项核实，确属无误的在“情况说明”表写明原因"
BANNER_PASS = "可以发布：本表各项检查通过{explained}；正文中的数字、占位文字等由 reportc check 另行检查，以其结论为准"
BANNER_EXPLAINED = "（{n}项提醒已说明）"


def status_text(errors: int, notes: int, blanks: int | None = None, total_inputs: int = 0, explained: int = 0) -> str:
    """The banner: the verdict word (verdict.py) for what this sheet can see. The sheet sees its own
    checks and the 情况说明 rows that name a 提醒 row exactly; narrative checks (S6, R5, …) are
    Python's, so 可以发布 here says which checks it covers."""
    if blanks is not None and total_inputs and blanks == total_inputs:
        return f"尚未填写：共有{total_inputs}个数字单元格待填写"
    if errors:
        return BANNER_FAIL.format(n=errors)
    if notes > explained:
        return BANNER_VERIFY.format(n=notes - explained)
    return BANNER_PASS.format(explained=BANNER_EXPLAINED.format(n=explained) if explained else "")


def _quoted(template: str, **cells: str) -> str:
    """An Excel string expression of a banner template: {n} -> "&(cell)&"."""
    text = '"' + template.replace('"', '""') + '"'
    for name, cell in cells.items():
        text = text.replace("{" + name + "}", f'"&{cell}&"')
    text = text[3:] if text.startswith('""&') else text
    return text[:-3] if text.endswith('&""') else text


def _link(location: str) -> str:
    """"三、依申请公开!D6:D30" -> "#'三、依申请公开'!D6" (an in-workbook hyperlink target)."""
    sheet, _, cells = location.rpartition("!")
    return f"#'{sheet}'!{cells.split(':')[0]}" if sheet else ""


def plan_checks_sheet(planner, ws: SheetPlan) -> ChecksSheet:
    rows = _evaluated(planner)
    last = CHECKS_TOP + len(rows) - 1
    status, cached_status, c_fail, c_note = _summary(planner, ws, rows, last)
    ws.merge(5, 0, 5, 8, f"先看这里：下面列出前{SLOTS}项不通过或提醒的检查，点击“位置”可跳到相应单元格；全部检查见下方。",
             "note")
    for c, text in enumerate(COLUMNS):
        ws.put(SLOTS_HEADER, c, text, "header")
    failing = [(i, row) for i, row in enumerate(rows) if not row[3]]
    ws.merge(MORE_ROW, 0, MORE_ROW, 8,
             f'=IF({c_fail}+{c_note}>{SLOTS},"另有"&({c_fail}+{c_note}-{SLOTS})&"项不通过或提醒，见下方全部检查","")',
             "note", "check", f"另有{len(failing) - SLOTS}项不通过或提醒，见下方全部检查"
             if planner.with_cached and len(failing) > SLOTS else "")
    ws.merge(LIST_TITLE, 0, LIST_TITLE, 8,
             "全部检查（本表随填报自动更新；reportc check 用同样的规则编号重新计算，并另外检查正文中的数字和占位文字等）", "bold")
    for c, text in enumerate(COLUMNS):
        ws.put(CHECKS_TOP - 1, c, text, "header")
    explain_sheet = planner.spec.sheets["explanations"]
    e_first, e_last = EXPLAIN_TOP + 1, EXPLAIN_TOP + EXPLAIN_ROWS
    explained_in = (f"'{explain_sheet}'!$A${e_first}:$A${e_last}", f"'{explain_sheet}'!$B${e_first}:$B${e_last}")
    for i, row in enumerate(rows):
        _check_row(planner, ws, i, row, explained_in)
    _slot_rows(planner, ws, failing, CHECKS_TOP + 1, last + 1)
    for r0, r1 in ((FIRST_SLOT, FIRST_SLOT + SLOTS - 1), (CHECKS_TOP, last)):
        for word, style in ((PASS, "pass"), (FAIL, "fail"), (NOTE, "note_cf")):
            ws.conditional.append((r0, 8, r1, 8, {"type": "cell", "criteria": "==", "value": f'"{word}"', "format": style}))
    ws.freeze = (1 + len(COUNT_ROWS), 0)
    return ChecksSheet(rows, status, cached_status)


def _evaluated(planner) -> list[tuple]:
    """(check, left, right, ok) of every check the sheet shows; evaluated only when cached values are written."""
    spec = planner.spec
    rows = []
    for check in expand(spec, planner.previous_edition):
        kind = kind_of(check.rule)
        if not kind.in_sheet:
            continue
        if planner.with_cached:
            left, right, ok = kind.evaluate(check, spec, planner.data, planner.values)
        else:
            left = right = None
            ok = True
        rows.append((check, left, right, ok))
    return rows


def _summary(planner, ws: SheetPlan, rows: list[tuple], last: int) -> tuple:
    """The title, the counts and the big status line at the top; returns (status formula, its cached
    text, the 不通过 count's cell, the 提醒 count's cell)."""
    errors = sum(1 for c, _, _, ok in rows if not ok and c.rule.severity == "error")
    notes = sum(1 for c, _, _, ok in rows if not ok and c.rule.severity != "error")
    status_range = f"$I${CHECKS_TOP + 1}:$I${last + 1}"
    blank_checks = [r for r, (c, *_rest) in enumerate(rows) if c.rule.kind == "blank"]
    total_inputs = sum(len(rows[i][0].cells) for i in blank_checks)
    blanks = sum(rows[i][1] or 0 for i in blank_checks) if planner.with_cached else None

    ws.widths.update(dict(enumerate(WIDTHS)))
    ws.widths.update({ROW_COL: 0, LINK_COL: 0, EXPLAINED_COL: 0})
    ws.merge(0, 0, 0, 8, "校验", "title")
    ws.height(0, 30)
    counts = {
        "fail": ("不通过", f'=COUNTIF({status_range},"{FAIL}")', errors),
        "note": ("提醒", f'=COUNTIF({status_range},"{NOTE}")', notes),
        "blank": ("空白的数字单元格",
                  "=" + "+".join(f"F{CHECKS_TOP + 1 + i}" for i in blank_checks) if blank_checks else "=0", blanks),
    }
    for name, row in COUNT_ROWS.items():
        label, formula, value = counts[name]
        ws.merge(row, 0, row, 1, label, "bold")
        ws.put(row, 2, formula, "count", "check", value if value is not None else None)
    checks_name = ws.name
    c_fail, c_note, c_blank = (f"'{checks_name}'!$C${COUNT_ROWS[n] + 1}" for n in ("fail", "note", "blank"))
    # 提醒 rows explained in 情况说明 (规则 and 位置 as this sheet and check show them), summed in a hidden cell
    c_expl = f"'{checks_name}'!${a1(0, EXPLAINED_COL)[:-1]}$1"
    explained_col = a1(0, EXPLAINED_COL)[:-1]
    ws.put(0, EXPLAINED_COL, f"=SUM({explained_col}{CHECKS_TOP + 1}:{explained_col}{last + 1})", "plain", "check",
           0 if planner.with_cached else None)
    open_notes = f"({c_note}-{c_expl})"
    status = (
        f'=IF(AND({total_inputs}>0,{c_blank}={total_inputs}),"尚未填写：共有{total_inputs}个数字单元格待填写",'
        f'IF({c_fail}>0,{_quoted(BANNER_FAIL, n=c_fail)},'
        f'IF({open_notes}>0,{_quoted(BANNER_VERIFY, n=open_notes)},'
        f'{_quoted(BANNER_PASS, explained=f"IF({c_expl}>0,{_quoted(BANNER_EXPLAINED, n=c_expl)},{chr(34) * 2})")})))'
    )
    cached_status = status_text(errors, notes, blanks, total_inputs) if planner.with_cached else None
    ws.merge(1, 3, 3, 8, status, "big_status", "check", cached_status)
    for style, word in BANNER_STYLES:
        ws.conditional.append((1, 3, 3, 8, {"type": "text", "criteria": "containing", "value": word, "format": style}))
    ws.conditional.append((COUNT_ROWS["fail"], 2, COUNT_ROWS["fail"], 2,
                           {"type": "cell", "criteria": ">", "value": 0, "format": "fail"}))
    ws.conditional.append((COUNT_ROWS["note"], 2, COUNT_ROWS["note"], 2,
                           {"type": "cell", "criteria": ">", "value": 0, "format": "note_cf"}))
    return status, cached_status, c_fail, c_note


def _check_row(planner, ws: SheetPlan, i: int, row: tuple, explained_in: tuple[str, str]) -> None:
    """Row i of 全部检查: the check, its two sides as formulas, the difference, the verdict."""
    spec = planner.spec
    check, left, right, ok = row
    e_rule, e_where = explained_in
    r = CHECKS_TOP + i
    kind = kind_of(check.rule)
    lf, rf, has_diff = kind.excel(check, spec, planner.references.positions)
    ws.put(r, 0, i + 1, "label")
    ws.put(r, 1, rule_tag(check.rule.id), "label")
    ws.put(r, 2, check.rule.title, "label")
    ws.put(r, 3, check.target, "label")
    ws.put(r, 4, check.location, "label")
    ws.put(r, 5, lf, "status", "check", _cached(left, planner))
    if rf is None:
        ws.put(r, 6, None, "status")
    elif isinstance(rf, str) and rf.startswith("="):
        ws.put(r, 6, rf, "status", "check", _cached(right, planner))
    else:
        ws.put(r, 6, int(rf) if str(rf).isdigit() else rf, "status")
    L, R = a1(r, 5), a1(r, 6)
    if has_diff:
        diff = left - right if planner.with_cached and left is not None and right is not None else 0
        ws.put(r, 7, f"={L}-{R}", "status", "check", _cached(diff, planner))
    else:
        ws.put(r, 7, None, "status")
    cond = kind.condition(check, spec, L, R)
    ws.put(r, 8, f'=IF({cond},"{PASS}","{check.fail_word}")', "status", "check",
           (PASS if ok else check.fail_word) if planner.with_cached else None)
    ws.put(r, ROW_COL, f'=IF({a1(r, 8)}="{PASS}","",ROW())', "plain", "check",
           ("" if ok else r + 1) if planner.with_cached else None)
    ws.put(r, LINK_COL, _link(check.location), "plain")
    ws.put(r, EXPLAINED_COL, f'=IF(AND({a1(r, 8)}="{NOTE}",COUNTIFS({e_rule},{a1(r, 1)},{e_where},{a1(r, 4)})>0),1,0)',
           "plain", "check", 0 if planner.with_cached else None)
    ws.height(r, LINE * max(lines(check.rule.title, 34), lines(check.location, 30), lines(check.target, 30)))


def _slot_rows(planner, ws: SheetPlan, failing: list, first: int, lastrow: int) -> None:
    """先看这里: the first SLOTS failing checks, picked by formulas from the list below."""
    for k in range(SLOTS):
        r = FIRST_SLOT + k
        n = f"$J{r + 1}"
        cached_row = failing[k] if planner.with_cached and k < len(failing) else None
        ws.put(r, ROW_COL, f'=IFERROR(SMALL($J${first}:$J${lastrow},{k + 1}),"")', "plain", "check",
               CHECKS_TOP + 1 + cached_row[0] if cached_row else "")
        for c in range(9):
            col = a1(0, c)[:-1]
            if c == 4:
                formula = f'=IF({n}="","",HYPERLINK(INDEX($K:$K,{n}),INDEX($E:$E,{n})))'
            elif c in (5, 6, 7):  # an empty 应为 or 相差 stays empty (INDEX of a blank cell is 0)
                formula = f'=IF({n}="","",IF(INDEX(${col}:${col},{n})="","",INDEX(${col}:${col},{n})))'
            else:
                formula = f'=IF({n}="","",INDEX(${col}:${col},{n}))'
            style = "link" if c == 4 else "label" if c in (2, 3) else "status"
            ws.put(r, c, formula, style, "check", _shown(ws, CHECKS_TOP + cached_row[0], c) if cached_row else "")
        ws.height(r, 2 * LINE + 2)


def _cached(value, planner):
    return cached(value) if planner.with_cached else None


def _shown(ws: SheetPlan, r: int, c: int):
    """What cell (r, c) of the full list shows: the cached result of a formula, or the text."""
    cell = ws.cells[(r, c)]
    value = cell.cached if cell.is_formula else cell.value
    return "" if value is None else value
