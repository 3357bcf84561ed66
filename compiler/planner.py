"""Compute the sheet plan (plan.py) of a workbook from the specification.

Everything placed here comes from the specification through `layout` (positions,
table grids), `checks` and the rule kinds (the 校验 rows and their formulas).
"""

from __future__ import annotations

import json
from copy import copy
import re
from weakref import WeakKeyDictionary

from . import __version__
from .checks import Data, compute_values, derivations, input_keys, rects
from .kinds import expand
from .layout import (
    EXPLAIN_COLUMNS, EXPLAIN_ROWS, EXPLAIN_TOP, INFO_TOP, NARRATIVE_TOP, TABLE_TOP, WORKBOOK_FORMAT, NarrativeRow, a1,
    cell_map, explain_key, grids, narrative_rows, sheet_order, sheet_widths, table_width,
)
from .opening import prefill
from .plan import LINE, TITLE_LINE, SheetPlan, WorkbookPlan, cached, lines, text_units  # noqa: F401  (LINE, TITLE_LINE: re-exported)
from .record import record
from .spec import Spec, memo
from .values import parse_value

SOURCES_SHEET = "汇总来源"  # roll-ups only
MAP_CHUNK = 30000  # characters per metadata cell (Excel allows 32,767)

KIND_HELP = {
    "count": ("填写件数", "请填写0或正整数（单位：件）。没有发生的请填0，不要填“无”“—”或带“件”字。"),
    "signed_count": ("填写增减数", "请填写整数：增加填正数，减少填负数（如-3），没有变化填0。"),
    "amount": ("填写金额", "请填写非负数，单位：万元，最多保留4位小数。没有的请填0。"),
}
VALIDATION = {
    "count": {"validate": "integer", "criteria": ">=", "value": 0},
    "signed_count": {"validate": "integer", "criteria": "between", "minimum": -999999999, "maximum": 999999999},
    "amount": {"validate": "decimal", "criteria": ">=", "value": 0},
}
GUIDE_LINES = [
    "1. 浅黄色单元格是填报区，其余单元格已锁定。灰色单元格为自动计算的合计，无须填写。",
    "2. 数字单元格只填阿拉伯数字：件数填0或正整数，金额以万元为单位（最多4位小数）。没有发生的请填0，不要留空，也不要填“无”“—”或“12件”。",
    "3. 正文每个单元格写一段。从Word复制多段文字后，选中第一个段落单元格直接粘贴，每段会自动占一格；也可以在一个单元格内按Alt+Enter分段。小标题可以修改。",
    "4. 填写过程中请随时查看“校验”表：每项检查显示“通过”“不通过”或“提醒”，本页上方显示结论（不通过、须核实或可以发布）。经核实确实无误的提醒，在“情况说明”表写明原因。",
    "5. 请不要插入或删除行列、重命名或删除工作表；从其他表格复制数字时请使用“选择性粘贴—数值”。",
    "6. 填好后保存为 .xlsx 文件，用 reportc check 检查、reportc build 生成可发布的年报。",
]
LEGEND = [
    ("swatch_input", "", "填报区：在此填写"),
    ("swatch_derived", "", "自动计算：由公式得出，已锁定"),
    ("swatch_pass", "通过", "校验通过"),
    ("swatch_fail", "不通过", "校验不通过：必须改正"),
    ("swatch_note", "提醒", "提醒：请核实（如空白按0计算）"),
]


EXPLAIN_HEADERS = ("规则", "位置", "说明")
EXPLAIN_WIDTHS = (12, 34, 90)
EXPLAIN_NOTE = ("reportc check 列出的“提醒”经核实确实无误的，在下表逐条说明：“规则”和“位置”照抄 check 输出中每项提醒下方"
                "“规则填…，位置填…”所示（如 规则S6、一、总体情况!B37），“说明”写明核实情况（如“经核实，另有7件为上年结转的申请，表述无误。”）。"
                "提醒都已说明时，校验结论为“可以发布”；错误不能靠说明通过，必须改正。问题改正后，请删除不再需要的说明。")

REFERENCE_WIDTH = 56  # Excel width of the 参考表述 column on narrative sheets
REFERENCE_ROWS = 4  # rows the 参考表述 block spans, from the subsection's 小标题 row


def reference_places(spec: Spec) -> dict[str, tuple[str, int, int]]:
    """Subsection ("s1.sub2") -> (sheet, row, col) of its 参考表述 block, right of its 小标题."""
    from .narrative import reference_data

    cmap = cell_map(spec)
    out = {}
    for item in reference_data(spec).get("reference", ()):
        sheet, r, c = cmap[f"{item['section']}.title"]
        out[item["section"]] = (sheet, r, c + 1)
    return out


def signature_default(spec: Spec) -> str:
    """The formula 落款 holds in a new workbook: 机关名称 as typed (=TRIM(B4))."""
    org_row = INFO_TOP + [f.id for f in spec.fields].index("org")
    return f"=TRIM({a1(org_row, 1)})"


def initial_data(spec: Spec, org: str | None, year: int, previous: dict | None = None) -> Data:
    """The inputs a freshly generated workbook holds."""
    texts = {f"info.{f.id}": "" for f in spec.fields}
    for name, value in ((previous or {}).get("fields") or {}).items():
        if f"info.{name}" in texts:
            texts[f"info.{name}"] = value
    texts["info.org"] = org or texts["info.org"]
    texts["info.year"] = str(year)
    for section in spec.narrative:
        for row in narrative_rows(section):
            if isinstance(row, NarrativeRow):
                texts[row.key] = row.default
    texts.update(prefill(spec, texts))  # the opening paragraph's standard wording (开篇)
    keys = input_keys(spec)
    data = Data(numbers={k: 0 for k in keys}, texts=texts, blanks=set(keys))
    if previous:
        data.previous = {k: parse_value(v) for k, v in previous["values"].items()}
        data.previous_info = previous
    return data


def encode_cell_map(cmap: dict) -> list[str]:
    """The cell map as JSON text {"t3.new.natural": "三、依申请公开!D6", ...}, in cell-sized chunks."""
    text = json.dumps({k: f"{s}!{a1(r, c)}" for k, (s, r, c) in cmap.items()}, ensure_ascii=False, separators=(",", ":"))
    return [text[i: i + MAP_CHUNK] for i in range(0, len(text), MAP_CHUNK)]


@record(frozen=True)
class ReferenceLayout:
    positions: dict  # reference key -> (sheet, row, col) of the value
    labels: tuple  # (sheet, row, col, last col, text): captions of reference rows and columns


def reference_layout(spec: Spec, previous_edition: str | None) -> ReferenceLayout:
    """Where last year's reference values stand: a row under the table for rules that
    expand over columns (e.g. S1 under 表三), a column right of it for rules over rows."""
    return memo(spec, ("reference_layout", previous_edition), lambda: _reference_layout(spec, previous_edition))


def _reference_layout(spec: Spec, previous_edition: str | None) -> ReferenceLayout:
    positions: dict = {}
    labels: list = []
    cmap = cell_map(spec)
    checks = [c for c in expand(spec, previous_edition) if c.reference]
    for table in spec.tables:
        grid = grids(spec)[table.id]
        label_cols = max(b.label_cols for b in table.blocks)
        row_labels: list[str] = []
        col_labels: list[str] = []
        for check in (c for c in checks if c.rule.params["table"] == table.id):
            label = check.rule.params["reference_label"]
            sheet, r, c = cmap[check.left[0].lstrip("-")]
            if check.rule.params["over"] == "columns":
                if label not in row_labels:
                    row_labels.append(label)
                pos = (sheet, TABLE_TOP + grid.height + 1 + row_labels.index(label), c)
            else:
                if label not in col_labels:
                    col_labels.append(label)
                pos = (sheet, r, grid.width + 1 + col_labels.index(label))
            positions.setdefault(check.reference, pos)
        for i, label in enumerate(row_labels):
            labels.append((table.sheet, TABLE_TOP + grid.height + 1 + i, 0, max(label_cols - 1, 0), label))
        for j, label in enumerate(col_labels):
            labels.append((table.sheet, TABLE_TOP, grid.width + 1 + j, grid.width + 1 + j, label))
    return ReferenceLayout(positions, tuple(labels))


# spec -> {previous edition: (the 校验 sheet's plan, its ChecksSheet)} without formula results: the
# same for every workbook of an edition, so the reader's tamper check (every read) and a batch make it once
_BLANK_CHECKS: WeakKeyDictionary = WeakKeyDictionary()


def _blank_checks_sheet(planner, ws: SheetPlan):
    """The 校验 sheet without formula results (the reader's plan), copied into `ws` from the one
    made for this edition and previous edition (its cells are immutable; its lists and dicts are copied)."""
    from .record import fields

    from .checks_sheet import plan_checks_sheet

    made = _BLANK_CHECKS.setdefault(planner.spec, {})
    if planner.previous_edition not in made:
        template = SheetPlan(ws.name)
        for f in fields(SheetPlan):
            setattr(template, f.name, copy(getattr(ws, f.name)))
        made[planner.previous_edition] = (template, plan_checks_sheet(planner, template))
    template, checks = made[planner.previous_edition]
    for f in fields(SheetPlan):
        setattr(ws, f.name, copy(getattr(template, f.name)))
    return checks


class Planner:
    def __init__(self, spec: Spec, org: str | None, year: int, version: str | None, previous: dict | None,
                 merged: dict | None, with_cached: bool, imported: dict | None = None):
        self.spec, self.year = spec, year
        self.imported = imported
        self.version = __version__ if version is None else version
        self.previous, self.merged, self.with_cached = previous, merged, with_cached
        self.previous_edition = previous["edition"] if previous else None
        self.references = reference_layout(spec, self.previous_edition)
        self.cmap = cell_map(spec)
        self.data = initial_data(spec, org, year, previous)
        if merged:
            self.data.numbers = {k: parse_value(v) for k, v in merged["values"].items()}
            self.data.blanks = set()
        self.org = self.data.texts["info.org"] or None
        self.values = compute_values(spec, self.data.numbers) if with_cached else {}

    def title(self) -> str:
        return self.spec.title_pattern.format(org=self.org or "（机关名称）", year=self.year)

    def _sheet(self, name: str) -> SheetPlan:
        sheet = SheetPlan(name)
        self.sheets[name] = sheet
        return sheet

    def plan(self) -> WorkbookPlan:
        from .checks_sheet import plan_checks_sheet

        spec = self.spec
        self.sheets: dict[str, SheetPlan] = {}
        for name in sheet_order(spec):
            sheet = self._sheet(name)
            tables = [t for t in spec.tables if t.sheet == name]
            sheet.landscape = any(table_width(t) > 6 for t in tables)
            sheet.one_page = bool(tables)
        checks_sheet = self.sheets[spec.sheets["checks"]]
        if self.with_cached:
            self.checks = plan_checks_sheet(self, checks_sheet)
        else:
            self.checks = _blank_checks_sheet(self, checks_sheet)
        self._guide(self.sheets[spec.sheets["guide"]])
        self._info(self.sheets[spec.sheets["info"]])
        for section in spec.narrative:
            self._narrative(self.sheets[section.sheet], section)
        for table in spec.tables:
            self._table(self.sheets[table.sheet], table)
        self._explanations(self.sheets[spec.sheets["explanations"]])
        if self.merged:
            self._sources(self._sheet(SOURCES_SHEET))
        meta = dict(self.meta_items())
        self._meta(self._sheet(spec.sheets["meta"]))
        properties = {
            "title": self.title(), "subject": "政府信息公开工作年度报告填报工作簿",
            "author": "reportc", "company": "", "comments": f"reportc {self.version}",
        }
        custom = [(f"reportc_{k}", str(v)) for k, v in self.meta_items() if k not in ("previous", "merged", "imported")]
        return WorkbookPlan(list(self.sheets.values()), spec.sheets["guide"], properties, custom, meta)

    def meta_items(self) -> list[tuple[str, str]]:
        items = [
            ("format", WORKBOOK_FORMAT),
            ("edition", self.spec.edition),
            ("spec_hash", self.spec.hash),
            ("version", self.version),
            ("org", self.org or ""),
            ("year", str(self.year)),
        ]
        if self.previous:
            items.append(("previous", json.dumps(self.previous, ensure_ascii=False, sort_keys=True)))
        if self.merged:
            items.append(("merged", json.dumps(self.merged, ensure_ascii=False, sort_keys=True)))
        if self.imported:
            items.append(("imported", json.dumps(self.imported, ensure_ascii=False, sort_keys=True)))
        return items

    # -- sheets ----------------------------------------------------------------
    def _guide(self, ws: SheetPlan):
        spec = self.spec
        ws.widths.update({0: 16, 1: 90})
        title = f"{self.title()}\n填报工作簿"
        ws.merge(0, 0, 0, 1, title, "title")
        ws.height(0, TITLE_LINE * (lines(self.title(), 100 / 1.45) + 1) + 6)
        ws.put(2, 0, "校验结果", "bold")
        ws.merge(2, 1, 2, 1, self.checks.status_formula, "big_status", "check", self.checks.status_cached)
        ws.height(2, 36)
        from .checks_sheet import BANNER_STYLES

        for style, word in BANNER_STYLES:
            ws.conditional.append((2, 1, 2, 1, {"type": "text", "criteria": "containing", "value": word, "format": style}))
        ws.put(4, 0, "填报说明", "bold")
        for i, line in enumerate(GUIDE_LINES):
            ws.put(5 + i, 1, line, "text")
            ws.height(5 + i, LINE * lines(line, 90))
        r = 6 + len(GUIDE_LINES)
        ws.put(r, 0, "颜色说明", "bold")
        for i, (style, text, meaning) in enumerate(LEGEND):
            ws.put(r + 1 + i, 0, text, style)
            ws.put(r + 1 + i, 1, meaning, "text")
        r += len(LEGEND) + 2
        ws.put(r, 0, "格式版本", "bold")
        ws.put(r, 1, f"《{spec.name}》（{spec.document}），reportc {self.version}", "text")
        if self.imported:
            self._imported(ws, 3)

    def _imported(self, ws: SheetPlan, r: int):
        """`reportc import`: the source, and 存疑 with the cells when its checksum failed (row 3, under 校验结果)."""
        info = self.imported
        doubts = [str(x) for x in info.get("doubts", [])]
        text = f"导入自“{info.get('file', '')}”（{info.get('kind', '')}）：{info.get('status', '')}。"
        if doubts:
            total = int(info.get("count", len(doubts)))
            shown = doubts[:20] + ([f"等共{total}处"] if total > 20 else [])
            text += ("以下数字与表格自身的合计关系不符或无法读取，请对照原文核实（工作簿中的合计由公式重新计算，"
                     "上方“校验结果”不反映原文合计的错误）：\n" + "\n".join(shown))
        ws.put(r, 0, "导入核对", "bold")
        ws.merge(r, 1, r, 1, text, "text")
        ws.height(r, LINE * sum(lines(x, 90) for x in text.split("\n")) + 6)
        if doubts:
            ws.conditional.append((r, 1, r, 1, {"type": "text", "criteria": "containing", "value": "存疑",
                                                "format": "fail"}))

    def _info(self, ws: SheetPlan):
        ws.widths.update({0: 14, 1: 44, 2: 60})
        ws.merge(0, 0, 0, 2, "基本信息", "title")
        ws.height(0, TITLE_LINE + 6)
        ws.merge(1, 0, 1, 2, "带 * 的为必填项。", "note")
        for i, fld in enumerate(self.spec.fields):
            r = INFO_TOP + i
            key = f"info.{fld.id}"
            ws.put(r, 0, fld.label + (" *" if fld.required else ""), "label")
            value = self.data.texts[key]
            if fld.kind == "year":
                ws.put(r, 1, int(value), "input", "input", key=key)
                ws.validations.append((r, 1, r, 1, {
                    "validate": "integer", "criteria": "between", "minimum": 2000, "maximum": 2100,
                    "input_title": "报告年度", "input_message": "四位数字，如2025。",
                    "error_title": "年度不正确", "error_message": "请填写四位数字的年度，如2025。",
                }))
            elif fld.id == "signature" and value.strip() in ("", self.data.texts["info.org"].strip()):
                # 落款 defaults to 机关名称, live: the clerk sees the name and may type over it
                ws.put(r, 1, signature_default(self.spec), "input_text", "input_formula",
                       self.data.texts["info.org"].strip(), key=key)
            else:
                ws.put(r, 1, value, "input_text", "input", key=key)
            hint = fld.hint
            if "{title}" in hint:  # the title the clerk's own entries make, as a live formula
                ws.put(r, 2, self._title_formula(hint), "note", "formula", hint.format(title=self.title()))
            else:
                ws.put(r, 2, hint, "note")
            ws.height(r, LINE * max(lines(hint, 60), lines(value, 44)) + 4)

    def _title_formula(self, hint: str) -> str:
        """="…“"&IF(TRIM(B4)="","（机关名称）",TRIM(B4))&B5&"年…”。": the title from the clerk's entries."""
        where = {f.id: a1(INFO_TOP + i, 1) for i, f in enumerate(self.spec.fields)}
        org, year = where["org"], where["year"]
        cells = {"org": f'IF(TRIM({org})="","（机关名称）",TRIM({org}))', "year": year}
        parts = []
        for piece in re.split(r"(\{org\}|\{year\}|\{title\})", hint.replace("{title}", "\0" + self.spec.title_pattern + "\0")):
            piece = piece.replace("\0", "")
            if piece in ("{org}", "{year}"):
                parts.append(cells[piece[1:-1]])
            elif piece:
                parts.append('"' + piece.replace('"', '""') + '"')
        return "=" + "&".join(parts)

    def _narrative(self, ws: SheetPlan, section):
        ws.widths.update({0: 12, 1: 100})
        ws.merge(0, 0, 0, 1, section.title, "title")
        ws.height(0, TITLE_LINE + 6)
        ws.merge(1, 0, 1, 1, section.hint, "note")
        ws.height(1, LINE * lines(section.hint, 110))
        rows = narrative_rows(section)
        for i, row in enumerate(rows):
            r = NARRATIVE_TOP + i
            if isinstance(row, str):
                ws.merge(r, 0, r, 1, row, "bold")
                continue
            ws.put(r, 0, row.label, "label")
            text = self.data.texts[row.key]  # the default title, or the prefilled 开篇
            ws.put(r, 1, text, "input_text", "input", key=row.key)
            if not row.is_title:
                ws.height(r, max(32, LINE * lines(text, 100) + 4))
        ws.validations.append((NARRATIVE_TOP, 1, NARRATIVE_TOP + len(rows) - 1, 1, {
            "validate": "length", "criteria": "<=", "value": 32767,
            "input_title": "填写正文", "input_message": "每格一段。从Word粘贴多段时，每段自动占一格。",
        }))
        self._reference_sentences(ws, section)

    def _reference_sentences(self, ws: SheetPlan, section):
        """参考表述: the standard sentences, built live by formulas from the tables, in a locked
        block right of the subsections that restate numbers. The clerk copies or adapts them."""
        from .narrative import reference_formula, reference_sentences

        places = reference_places(self.spec)
        mine = {part: pos for part, pos in places.items() if part.split(".")[0] == section.id}
        if not mine:
            return
        sentences = reference_sentences(self.spec, self.values) if self.with_cached else {}

        def ref(key: str) -> str:
            sheet, r, c = self.cmap[key]
            return f"'{sheet}'!{a1(r, c)}"

        ws.widths[2] = REFERENCE_WIDTH
        for part, (_, r, c) in mine.items():
            ws.put(r - 1, c, "参考表述（随表格自动更新；可复制到左侧后按实际修改）", "reference_label")
            text = sentences.get(part)
            ws.merge(r, c, r + REFERENCE_ROWS - 1, c, reference_formula(self.spec, part, ref), "reference_text",
                     "formula", text)
            need = LINE * lines(text or "", REFERENCE_WIDTH) + 4
            have = sum(ws.heights.get(r + i, 15) for i in range(REFERENCE_ROWS))
            if need > have:
                ws.height(r + REFERENCE_ROWS - 1, ws.heights.get(r + REFERENCE_ROWS - 1, 15) + need - have)

    def _table(self, ws: SheetPlan, table):
        from .checks import expected_formula

        grid = grids(self.spec)[table.id]
        derived = derivations(self.spec)
        widths = sheet_widths(table)
        ws.widths.update(dict(enumerate(widths)))
        ws.merge(0, 0, 0, grid.width - 1, table.title, "title")
        ws.height(0, TITLE_LINE + 6)
        note = "浅黄色单元格填写数字，灰色单元格自动计算。"
        if any(c.kind == "amount" for b in table.blocks for c in b.columns):
            note += "金额单位为万元，最多保留4位小数。"
        ws.merge(1, 0, 1, grid.width - 1, note, "note")
        heights: dict[int, int] = {}
        for cell in grid.cells:
            r, c = TABLE_TOP + cell.r, cell.c
            r1, c1 = r + cell.rowspan - 1, c + cell.colspan - 1
            if cell.role == "value" and cell.key in derived:
                args = (expected_formula(self.spec, cell.key), "derived", "formula",
                        cached(self.values[cell.key]) if self.with_cached else None, cell.key)
            elif cell.role == "value" and self.merged:
                args = (cached(self.data.numbers[cell.key]), "merged", "label", None, cell.key)
            elif cell.role == "value":
                args = (None, "input", "input", None, cell.key)
            else:
                args = (cell.text, "header" if cell.role == "header" else cell.role, "label", None, "")
            if (r, c) != (r1, c1):
                ws.merge(r, c, r1, c1, *args)
            else:
                ws.put(r, c, *args)
            if cell.rowspan == 1 and cell.text:
                width = sum(widths[cell.c: cell.c + cell.colspan])
                heights[r] = max(heights.get(r, 18), LINE * lines(cell.text, width))
        ws.heights.update(heights)
        self._references(ws, table)
        if self.merged:
            return
        positions: dict[str, list] = {}
        for key, _, col in table.cells():
            if key not in derived:
                positions.setdefault(col.kind, []).append(self.cmap[key][1:])
        for kind, cells in positions.items():
            title, message = KIND_HELP[kind]
            for r0, c0, r1, c1 in rects(cells):
                ws.validations.append((r0, c0, r1, c1, {
                    **VALIDATION[kind], "input_title": title, "input_message": message,
                    "error_title": "数字不正确", "error_message": message,
                }))

    def _references(self, ws: SheetPlan, table):
        """Last year's reference values beside the inputs (new --previous)."""
        for sheet, r, c0, c1, text in self.references.labels:
            if sheet != table.sheet:
                continue
            if c0 != c1:
                ws.merge(r, c0, r, c1, text, "reference_label")
            else:
                ws.put(r, c0, text, "reference_label")
                ws.widths[c0] = max(16, ws.widths.get(c0, 0), text_units(text) + 2)  # the label is not clipped
        for key, (sheet, r, c) in self.references.positions.items():
            if sheet == table.sheet:
                ws.put(r, c, cached(self.data.previous[key]), "reference")

    def _explanations(self, ws: SheetPlan):
        """情况说明: the clerk explains a warning that is right, one row per finding (explain.py)."""
        ws.widths.update(dict(enumerate(EXPLAIN_WIDTHS)))
        ws.merge(0, 0, 0, 2, "情况说明", "title")
        ws.height(0, TITLE_LINE + 6)
        ws.merge(1, 0, 1, 2, EXPLAIN_NOTE, "note")
        ws.height(1, LINE * lines(EXPLAIN_NOTE, sum(EXPLAIN_WIDTHS)) + 4)
        for c, text in enumerate(EXPLAIN_HEADERS):
            ws.put(EXPLAIN_TOP - 1, c, text, "header")
        for i in range(EXPLAIN_ROWS):
            for c, part in enumerate(EXPLAIN_COLUMNS):
                ws.put(EXPLAIN_TOP + i, c, None, "input_text", "input", key=explain_key(i + 1, part))
        last = EXPLAIN_TOP + EXPLAIN_ROWS - 1
        ws.validations.append((EXPLAIN_TOP, 0, last, 0, {
            "validate": "length", "criteria": "<=", "value": 40,
            "input_title": "规则", "input_message": "照抄 reportc check 输出中的规则编号，如“规则S6”。"}))
        ws.validations.append((EXPLAIN_TOP, 1, last, 1, {
            "validate": "length", "criteria": "<=", "value": 2000,
            "input_title": "位置", "input_message": "照抄 reportc check 输出中的位置，如“一、总体情况!B37”。"}))
        ws.validations.append((EXPLAIN_TOP, 2, last, 2, {
            "validate": "length", "criteria": "<=", "value": 32767,
            "input_title": "说明", "input_message": "写明核实的情况和表述无误的理由。"}))
        ws.freeze = (EXPLAIN_TOP, 0)
        ws.landscape = True

    def _sources(self, ws: SheetPlan):
        """The roll-up's sources: which bodies' workbooks were summed."""
        ws.widths.update(dict(enumerate([6, 30, 40, 68, 8, 8])))
        ws.merge(0, 0, 0, 5, f"汇总来源：{self.org or ''}{self.year}年度", "title")
        ws.height(0, TITLE_LINE + 6)
        ws.merge(1, 0, 1, 5, "本工作簿的表格数字是下列工作簿逐格相加的结果，已锁定。", "note")
        headers = ["序号", "机关名称", "文件", "SHA-256 指纹", "错误", "提醒"]
        invalid = any("invalid" in src for src in self.merged["sources"])  # merged with --allow-errors
        if invalid:
            headers.append("无效单元格（汇总时的计算）")
            ws.widths[6] = 60
            ws.merge(2, 0, 2, 6, "有错误的工作簿是加 --allow-errors 汇总的：其中不是有效数字的单元格按最后一列所示"
                     "计算（通常按0计算），汇总数字可能偏小，请核实。", "note")
        for c, text in enumerate(headers):
            ws.put(3, c, text, "header")
        for i, src in enumerate(self.merged["sources"]):
            row = [i + 1, str(src["org"]), str(src["file"]), str(src["sha256"]), int(src["errors"]), int(src["warnings"])]
            if invalid:
                row.append("、".join(str(x) for x in src.get("invalid", [])))
            for c, value in enumerate(row):
                ws.put(4 + i, c, value, "label")

    def _meta(self, ws: SheetPlan, chunks=None):
        """The hidden metadata sheet; `chunks`: the cell map as encode_cell_map gives it (computed when None)."""
        ws.hidden = True
        ws.put(0, 0, "reportc", "plain", "metadata")
        ws.put(0, 1, "政府信息公开工作年度报告填报工作簿；请勿修改本表。", "plain", "metadata")
        items = self.meta_items()
        for i, (k, v) in enumerate(items):
            ws.put(1 + i, 0, k, "plain", "metadata")
            ws.put(1 + i, 1, v, "plain", "metadata")
        top = 2 + len(items)
        for i, chunk in enumerate(encode_cell_map(self.cmap) if chunks is None else chunks):
            ws.put(top + i, 0, "cell_map", "plain", "metadata")
            ws.put(top + i, 1, chunk, "plain", "metadata")


def plan_workbook(spec, org: str | None, year: int, version: str | None = None, previous: dict | None = None,
                  merged: dict | None = None, cached: bool = True, imported: dict | None = None) -> WorkbookPlan:
    """The plan of the workbook `reportc new` (or merge) writes. cached=False skips computing
    formula results, which only the writer needs. `imported`: where `reportc import` read the
    values from and whether its checksum passed (shown on the first sheet)."""
    return Planner(spec, org, year, version, previous, merged, cached, imported).plan()
