"""`reportc new`: write the locked fill-in workbook for one edition with XlsxWriter.

Everything placed here comes from the specification through `layout` (positions,
table grids) and `checks` (the 校验 rows and their formulas). The output is
byte-identical for the same arguments.
"""

from __future__ import annotations

import io
import json
import math
import zipfile
from datetime import datetime
from decimal import Decimal

from . import __version__
from .checks import (
    FAIL, NOTE, PASS, SHEET_KINDS, Data, compute_values, derivations, evaluate, excel, expand,
    expected_formula, input_keys, rects, reference_layout,
)
from .layout import (
    INFO_TOP, NARRATIVE_TOP, TABLE_TOP, WORKBOOK_FORMAT, NarrativeRow, a1, cell_map, narrative_rows, sheet_order, table_grid,
)
from .opening import prefill
from .previous import parse_value
from .spec import Spec

FIXED_TIME = datetime(2021, 1, 1, 0, 0, 0)  # pinned so the same arguments give the same bytes
CHECKS_TOP = 6  # 校验: first check row
SOURCES_SHEET = "汇总来源"  # roll-ups only

INPUT_FILL = "#FFF2CC"
DERIVED_FILL = "#E7E6E6"
HEADER_FILL = "#DDEBF7"

KIND_HELP = {
    "count": ("填写件数", "请填写0或正整数（单位：件）。没有发生的请填0，不要填“无”“—”或带“件”字。"),
    "signed_count": ("填写增减数", "请填写整数：增加填正数，减少填负数（如-3），没有变化填0。"),
    "amount": ("填写金额", "请填写非负数，单位：万元，最多保留4位小数。没有的请填0。"),
}
GUIDE_LINES = [
    "1. 浅黄色单元格是填报区，其余单元格已锁定。灰色单元格为自动计算的合计，无须填写。",
    "2. 数字单元格只填阿拉伯数字：件数填0或正整数，金额以万元为单位（最多4位小数）。没有发生的请填0，不要留空，也不要填“无”“—”或“12件”。",
    "3. 正文每个单元格写一段。从Word复制多段文字后，选中第一个段落单元格直接粘贴，每段会自动占一格；也可以在一个单元格内按Alt+Enter分段。小标题可以修改。",
    "4. 填写过程中请随时查看“校验”表：每项检查显示“通过”“不通过”或“提醒”，本页上方显示总的结果。",
    "5. 请不要插入或删除行列、重命名或删除工作表；从其他表格复制数字时请使用“选择性粘贴—数值”。",
    "6. 填好后保存为 .xlsx 文件，用 reportc check 检查、reportc build 生成可发布的年报。",
]


def default_filename(org: str | None, year: int) -> str:
    name = "".join(ch for ch in (org or "") if ch not in '\\/:*?"<>|').strip()
    return f"{name}{year}年政府信息公开工作年度报告（填报）.xlsx" if name else f"{year}年政府信息公开工作年度报告（填报）.xlsx"


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
    texts.update(prefill(spec, texts))  # the opening paragraph's standard wording
    keys = input_keys(spec)
    data = Data(numbers={k: 0 for k in keys}, texts=texts, blanks=set(keys))
    if previous:
        data.previous = {k: parse_value(v) for k, v in previous["values"].items()}
        data.previous_info = previous
    return data


class _RecordingSheet:
    """Stands in for an XlsxWriter worksheet: keeps what would be written in each cell."""

    def __init__(self, name: str):
        self.name = name
        self.cells: dict[tuple[int, int], object] = {}

    def _put(self, r, c, value):
        self.cells[(r, c)] = None if value == "" else value

    def write(self, r, c, value, *_):
        self._put(r, c, value)

    write_string = write_number = write

    def write_blank(self, r, c, *_):
        self._put(r, c, None)

    def write_formula(self, r, c, formula, *_):
        self._put(r, c, formula if formula.startswith("=") else "=" + formula)

    def write_row(self, r, c, values, *_):
        for i, v in enumerate(values):
            self._put(r, c + i, v)

    def merge_range(self, r0, c0, r1, c1, value, *_):
        for r in range(r0, r1 + 1):
            for c in range(c0, c1 + 1):
                self._put(r, c, None)
        self._put(r0, c0, value)

    def __getattr__(self, name):  # layout, protection, validation: nothing to record
        return lambda *args, **kwargs: None


class _RecordingBook:
    def __init__(self):
        self.sheets: dict[str, _RecordingSheet] = {}

    def add_worksheet(self, name):
        self.sheets[name] = _RecordingSheet(name)
        return self.sheets[name]

    def __getattr__(self, name):
        return lambda *args, **kwargs: None


class _Writer:
    def __init__(self, spec: Spec, org: str | None, year: int, version: str = __version__, record: bool = False,
                 previous: dict | None = None, merged: dict | None = None):
        self.spec, self.org, self.year, self.version = spec, org, year, version
        self.merged = merged
        self.previous = previous
        self.previous_edition = previous["edition"] if previous else None
        self.references = reference_layout(spec, self.previous_edition)
        self.buf = io.BytesIO()
        if record:
            self.wb = _RecordingBook()
        else:
            import xlsxwriter

            self.wb = xlsxwriter.Workbook(self.buf, {"in_memory": True, "strings_to_numbers": False})
        self.cmap = cell_map(spec)
        self.data = initial_data(spec, org, year, previous)
        if merged:
            self.data.numbers = {k: parse_value(v) for k, v in merged["values"].items()}
            self.data.blanks = set()
        self.org = self.data.texts["info.org"] or None
        self.values = compute_values(spec, self.data.numbers)
        self.f = self._formats()

    # -- formats ---------------------------------------------------------------
    def _formats(self) -> dict:
        base = {"font_name": "宋体", "font_size": 11, "valign": "vcenter"}
        box = {**base, "border": 1, "text_wrap": True}

        def fmt(parent, **kw):
            return self.wb.add_format({**parent, **kw})

        return {
            "title": fmt(base, bold=True, font_size=16, align="center"),
            "note": fmt(base, text_wrap=True, font_color="#404040"),
            "bold": fmt(base, bold=True),
            "text": fmt(base, text_wrap=True),
            "caption": fmt(box, bold=True, align="left"),
            "header": fmt(box, bold=True, align="center", bg_color=HEADER_FILL),
            "label": fmt(box, align="left"),
            "input": fmt(box, align="center", bg_color=INPUT_FILL, locked=False),
            "input_text": fmt(box, align="left", valign="top", bg_color=INPUT_FILL, locked=False),
            "derived": fmt(box, align="center", bg_color=DERIVED_FILL),
            "status": fmt(box, bold=True, align="center"),
            "reference": fmt(box, align="center", bg_color="#DDEBF7", italic=True),
            "merged": fmt(box, align="center", bg_color=DERIVED_FILL),
            "reference_label": fmt(box, align="left", bg_color="#DDEBF7", italic=True),
            "big_status": fmt(base, bold=True, font_size=14, border=2, text_wrap=True),
            "pass": self.wb.add_format({"font_color": "#006100", "bg_color": "#C6EFCE"}),
            "fail": self.wb.add_format({"font_color": "#9C0006", "bg_color": "#FFC7CE"}),
            "note_cf": self.wb.add_format({"font_color": "#7F6000", "bg_color": "#FFEB9C"}),
            "swatch_input": fmt(box, bg_color=INPUT_FILL),
            "swatch_derived": fmt(box, bg_color=DERIVED_FILL),
            "swatch_pass": fmt(box, font_color="#006100", bg_color="#C6EFCE", align="center"),
            "swatch_fail": fmt(box, font_color="#9C0006", bg_color="#FFC7CE", align="center"),
            "swatch_note": fmt(box, font_color="#7F6000", bg_color="#FFEB9C", align="center"),
        }

    # -- common sheet setup ------------------------------------------------------
    def _sheet(self, name: str, landscape: bool = False, one_page: bool = False):
        ws = self.wb.add_worksheet(name)
        ws.set_paper(9)  # A4
        if landscape:
            ws.set_landscape()
        ws.set_margins(left=0.6, right=0.6, top=0.8, bottom=0.8)
        ws.center_horizontally()
        ws.fit_to_pages(1, 1 if one_page else 0)
        ws.hide_gridlines(2)
        ws.protect("", {"select_locked_cells": True, "select_unlocked_cells": True,
                        "format_columns": True, "format_rows": True})
        return ws

    def title(self):
        return self.spec.title_pattern.format(org=self.org or "（机关名称）", year=self.year)

    # -- sheets ----------------------------------------------------------------
    def write(self) -> bytes:
        spec = self.spec
        sheets = {}
        for name in sheet_order(spec):
            landscape = any(t.sheet == name and table_grid(t).width > 6 for t in spec.tables)
            sheets[name] = self._sheet(name, landscape, one_page=any(t.sheet == name for t in spec.tables))
        self.check_rows = self._check_rows()
        self._guide(sheets[spec.sheets["guide"]])
        self._info(sheets[spec.sheets["info"]])
        for section in spec.narrative:
            self._narrative(sheets[section.sheet], section)
        for table in spec.tables:
            self._table(sheets[table.sheet], table)
        self._checks(sheets[spec.sheets["checks"]])
        if self.merged:
            self._sources(self._sheet(SOURCES_SHEET))
        self._meta()
        sheets[spec.sheets["guide"]].activate()
        self.wb.set_properties({
            "title": self.title(), "subject": "政府信息公开工作年度报告填报工作簿",
            "author": "reportc", "company": "", "comments": f"reportc {self.version}",
            "created": FIXED_TIME,
        })
        for name, value in self.meta_items():
            if name not in ("previous", "merged"):  # long JSON: kept on the metadata sheet only
                self.wb.set_custom_property(f"reportc_{name}", str(value))
        self.wb.close()
        if isinstance(self.wb, _RecordingBook):
            return b""
        return lock_structure(self.buf.getvalue())

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
        return items

    def _guide(self, ws):
        spec = self.spec
        ws.set_column(0, 0, 16)
        ws.set_column(1, 1, 90)
        ws.merge_range(0, 0, 0, 1, f"{self.title()}\n填报工作簿", self.f["title"])
        ws.set_row(0, 48)
        ws.write(2, 0, "校验结果", self.f["bold"])
        checks = spec.sheets["checks"]
        errors, notes = self.summary_values()
        ws.write_formula(
            2, 1,
            f"=IF('{checks}'!$C$2=0,IF('{checks}'!$C$3=0,\"全部检查通过\",\"没有错误，有\"&'{checks}'!$C$3&\"项提醒，请查看“校验”表\"),"
            f"\"有\"&'{checks}'!$C$2&\"项检查不通过，请查看“校验”表\")",
            self.f["big_status"], self.status_text(errors, notes),
        )
        ws.set_row(2, 30)
        ws.write(4, 0, "填报说明", self.f["bold"])
        for i, line in enumerate(GUIDE_LINES):
            ws.write(5 + i, 1, line, self.f["text"])
            ws.set_row(5 + i, 16 * _lines(line, 90))
        r = 6 + len(GUIDE_LINES)
        ws.write(r, 0, "颜色说明", self.f["bold"])
        legend = [
            ("swatch_input", "", "填报区：在此填写"),
            ("swatch_derived", "", "自动计算：由公式得出，已锁定"),
            ("swatch_pass", PASS, "校验通过"),
            ("swatch_fail", FAIL, "校验不通过：必须改正"),
            ("swatch_note", NOTE, "提醒：请核实（如空白按0计算）"),
        ]
        for i, (fmt, text, meaning) in enumerate(legend):
            ws.write(r + 1 + i, 0, text, self.f[fmt])
            ws.write(r + 1 + i, 1, meaning, self.f["text"])
        r += len(legend) + 2
        ws.write(r, 0, "格式版本", self.f["bold"])
        ws.write(r, 1, f"《{spec.name}》（{spec.document}），reportc {self.version}", self.f["text"])

    def _info(self, ws):
        ws.set_column(0, 0, 14)
        ws.set_column(1, 1, 44)
        ws.set_column(2, 2, 60)
        ws.merge_range(0, 0, 0, 2, "基本信息", self.f["title"])
        ws.merge_range(1, 0, 1, 2, "带 * 的为必填项。", self.f["note"])
        for i, fld in enumerate(self.spec.fields):
            r = INFO_TOP + i
            ws.write(r, 0, fld.label + (" *" if fld.required else ""), self.f["label"])
            value = self.data.texts[f"info.{fld.id}"]
            if fld.kind == "year":
                ws.write_number(r, 1, int(value), self.f["input"])
                ws.data_validation(r, 1, r, 1, {
                    "validate": "integer", "criteria": "between", "minimum": 2000, "maximum": 2100,
                    "input_title": "报告年度", "input_message": "四位数字，如2025。",
                    "error_title": "年度不正确", "error_message": "请填写四位数字的年度，如2025。",
                })
            else:
                ws.write_string(r, 1, value, self.f["input_text"])
            ws.write(r, 2, fld.hint, self.f["note"])

    def _narrative(self, ws, section):
        ws.set_column(0, 0, 12)
        ws.set_column(1, 1, 100)
        ws.merge_range(0, 0, 0, 1, section.title, self.f["title"])
        ws.merge_range(1, 0, 1, 1, section.hint, self.f["note"])
        ws.set_row(1, 16 * _lines(section.hint, 110))
        for i, row in enumerate(narrative_rows(section)):
            r = NARRATIVE_TOP + i
            if isinstance(row, str):
                ws.merge_range(r, 0, r, 1, row, self.f["bold"])
                continue
            ws.write(r, 0, row.label, self.f["label"])
            ws.write_string(r, 1, self.data.texts[row.key], self.f["input_text"])
            if not row.is_title:  # tall enough for a prefilled paragraph (开篇)
                ws.set_row(r, max(32, 16 * _lines(self.data.texts[row.key], 100)))
        first = NARRATIVE_TOP
        last = NARRATIVE_TOP + len(narrative_rows(section)) - 1
        ws.data_validation(first, 1, last, 1, {
            "validate": "length", "criteria": "<=", "value": 32767,
            "input_title": "填写正文", "input_message": "每格一段。从Word粘贴多段时，每段自动占一格。",
        })

    def _table(self, ws, table):
        grid = table_grid(table)
        derived = derivations(self.spec)
        widths = _column_widths(table, grid)
        for c, w in enumerate(widths):
            ws.set_column(c, c, w)
        ws.merge_range(0, 0, 0, grid.width - 1, table.title, self.f["title"])
        ws.set_row(0, 24)
        note = "浅黄色单元格填写数字，灰色单元格自动计算。"
        if any(c.kind == "amount" for b in table.blocks for c in b.columns):
            note += "金额单位为万元，最多保留4位小数。"
        ws.merge_range(1, 0, 1, grid.width - 1, note, self.f["note"])
        heights: dict[int, int] = {}
        for cell in grid.cells:
            r, c = TABLE_TOP + cell.r, cell.c
            r1, c1 = r + cell.rowspan - 1, c + cell.colspan - 1
            if cell.role == "value":
                if cell.key in derived:
                    fmt, content = self.f["derived"], None
                elif self.merged:
                    fmt, content = self.f["merged"], _cached(self.data.numbers[cell.key])
                else:
                    fmt, content = self.f["input"], ""
            else:
                fmt, content = self.f["header" if cell.role == "header" else cell.role], cell.text
            if content is None:
                formula = expected_formula(self.spec, cell.key)
                if (r, c) != (r1, c1):
                    ws.merge_range(r, c, r1, c1, "", fmt)
                ws.write_formula(r, c, formula, fmt, _cached(self.values[cell.key]))
            elif (r, c) != (r1, c1):
                ws.merge_range(r, c, r1, c1, content, fmt)
            else:
                ws.write(r, c, content, fmt)
            if cell.rowspan == 1 and cell.text:
                width = sum(widths[cell.c: cell.c + cell.colspan])
                heights[r] = max(heights.get(r, 18), 16 * _lines(cell.text, width))
        for r, h in heights.items():
            ws.set_row(r, h)
        self._references(ws, table)
        for kind, positions in ({} if self.merged else _positions_by_kind(self.spec, table, derived)).items():
            title, message = KIND_HELP[kind]
            options = {
                "count": {"validate": "integer", "criteria": ">=", "value": 0},
                "signed_count": {"validate": "integer", "criteria": "between", "minimum": -999999999, "maximum": 999999999},
                "amount": {"validate": "decimal", "criteria": ">=", "value": 0},
            }[kind]
            for r0, c0, r1, c1 in rects(positions):
                ws.data_validation(r0, c0, r1, c1, {
                    **options, "input_title": title, "input_message": message,
                    "error_title": "数字不正确", "error_message": message,
                })

    def _references(self, ws, table):
        """Last year's reference values beside the inputs (new --previous)."""
        for sheet, r, c0, c1, text in self.references.labels:
            if sheet != table.sheet:
                continue
            if c0 != c1:
                ws.merge_range(r, c0, r, c1, text, self.f["reference_label"])
            else:
                ws.write(r, c0, text, self.f["reference_label"])
                ws.set_column(c0, c0, 16)
        for key, (sheet, r, c) in self.references.positions.items():
            if sheet == table.sheet:
                ws.write_number(r, c, _cached(self.data.previous[key]), self.f["reference"])

    # -- 校验 ------------------------------------------------------------------
    def _check_rows(self):
        rows = []
        for check in expand(self.spec, self.previous_edition):
            if check.rule.kind not in SHEET_KINDS:
                continue
            left, right, ok = evaluate(check, self.spec, self.data, self.values)
            rows.append((check, left, right, ok))
        return rows

    def summary_values(self) -> tuple[int, int]:
        errors = sum(1 for c, _, _, ok in self.check_rows if not ok and c.rule.severity == "error")
        notes = sum(1 for c, _, _, ok in self.check_rows if not ok and c.rule.severity != "error")
        return errors, notes

    @staticmethod
    def status_text(errors: int, notes: int) -> str:
        if errors:
            return f"有{errors}项检查不通过，请查看“校验”表"
        return "全部检查通过" if not notes else f"没有错误，有{notes}项提醒，请查看“校验”表"

    def _checks(self, ws):
        f = self.f
        for c, w in enumerate([6, 8, 34, 30, 30, 10, 10, 8, 9]):
            ws.set_column(c, c, w)
        ws.merge_range(0, 0, 0, 8, "校验", f["title"])
        last = CHECKS_TOP + len(self.check_rows) - 1
        errors, notes = self.summary_values()
        status_range = f"I{CHECKS_TOP + 1}:I{last + 1}"
        ws.write(1, 0, "不通过", f["bold"])
        ws.write_formula(1, 2, f'=COUNTIF({status_range},"{FAIL}")', f["bold"], errors)
        ws.write(2, 0, "提醒", f["bold"])
        ws.write_formula(2, 2, f'=COUNTIF({status_range},"{NOTE}")', f["bold"], notes)
        ws.merge_range(
            3, 0, 3, 8,
            "本表随填报自动更新。reportc check 用同样的规则编号重新计算全部检查，并另外检查正文中的占位文字等。",
            f["note"],
        )
        for c, text in enumerate(["序号", "规则", "检查内容", "检查对象", "位置", "左值", "右值", "差额", "结果"]):
            ws.write(CHECKS_TOP - 1, c, text, f["header"])
        for i, (check, left, right, ok) in enumerate(self.check_rows):
            r = CHECKS_TOP + i
            lf, rf, mode = excel(check, self.spec, self.references.positions)
            ws.write_number(r, 0, i + 1, f["label"])
            ws.write(r, 1, check.rule.id, f["label"])
            ws.write(r, 2, check.rule.title, f["label"])
            ws.write(r, 3, check.target, f["label"])
            ws.write(r, 4, check.location, f["label"])
            ws.write_formula(r, 5, lf, f["status"], _cached(left))
            if rf is None:
                ws.write_blank(r, 6, None, f["status"])
            elif rf.startswith("="):
                ws.write_formula(r, 6, rf, f["status"], _cached(right))
            else:
                ws.write(r, 6, int(rf) if rf.isdigit() else rf, f["status"])
            L, R = a1(r, 5), a1(r, 6)
            if mode in ("eq", "ge", "le"):
                ws.write_formula(r, 7, f"={L}-{R}", f["status"], _cached(left - right) if left is not None else 0)
                cond = {"eq": f"ROUND({L}-{R},4)=0", "ge": f"ROUND({L}-{R},4)>=0", "le": f"ROUND({L}-{R},4)<=0"}[mode]
            else:
                ws.write_blank(r, 7, None, f["status"])
                cond = {
                    "zero": f"{L}=0",
                    "positive": f"{L}>0",
                    "edition": f"AND({L}>={self.spec.first_year},{L}<={self.spec.last_year or 9999})",
                }[mode]
            ws.write_formula(r, 8, f'=IF({cond},"{PASS}","{check.fail_word}")', f["status"],
                             PASS if ok else check.fail_word)
            ws.set_row(r, 16 * max(_lines(check.rule.title, 34), _lines(check.location, 30), _lines(check.target, 30)))
        for word, fmt in ((PASS, "pass"), (FAIL, "fail"), (NOTE, "note_cf")):
            ws.conditional_format(CHECKS_TOP, 8, last, 8, {
                "type": "cell", "criteria": "==", "value": f'"{word}"', "format": f[fmt],
            })
        for cell, fmt in (("C2", "fail"), ("C3", "note_cf")):
            ws.conditional_format(cell, {"type": "cell", "criteria": ">", "value": 0, "format": f[fmt]})
        ws.freeze_panes(CHECKS_TOP, 0)

    def _sources(self, ws):
        """The roll-up's sources: which bodies' workbooks were summed."""
        f = self.f
        for c, w in enumerate([6, 30, 40, 68, 8, 8]):
            ws.set_column(c, c, w)
        ws.merge_range(0, 0, 0, 5, f"汇总来源：{self.org or ''}{self.year}年度", f["title"])
        ws.merge_range(1, 0, 1, 5, "本工作簿的表格数字是下列工作簿逐格相加的结果，已锁定。", f["note"])
        for c, text in enumerate(["序号", "机关名称", "文件", "SHA-256 指纹", "错误", "提醒"]):
            ws.write(3, c, text, f["header"])
        for i, src in enumerate(self.merged["sources"]):
            ws.write_row(4 + i, 0, [i + 1, src["org"], src["file"], src["sha256"], int(src["errors"]), int(src["warnings"])],
                         f["label"])

    def _meta(self):
        ws = self.wb.add_worksheet(self.spec.sheets["meta"])
        ws.very_hidden()
        ws.protect("")
        ws.write_row(0, 0, ["reportc", "政府信息公开工作年度报告填报工作簿；请勿修改本表。"])
        items = self.meta_items()
        for i, (k, v) in enumerate(items):
            ws.write_row(1 + i, 0, [k, v])
        top = 2 + len(items)
        for i, chunk in enumerate(encode_cell_map(self.cmap)):
            ws.write_row(top + i, 0, ["cell_map", chunk])


MAP_CHUNK = 30000  # characters per cell (Excel allows 32,767)


def encode_cell_map(cmap: dict) -> list[str]:
    """The cell map as JSON text {"t3.new.natural": "三、依申请公开!D6", ...}, in cell-sized chunks."""
    text = json.dumps({k: f"{s}!{a1(r, c)}" for k, (s, r, c) in cmap.items()}, ensure_ascii=False, separators=(",", ":"))
    return [text[i: i + MAP_CHUNK] for i in range(0, len(text), MAP_CHUNK)]


def _cached(value):
    """A formula's cached result as XlsxWriter wants it."""
    if isinstance(value, Decimal):
        return float(value)
    return value if value is not None else 0


def _lines(text: str, width: float) -> int:
    """Rough count of wrapped lines: CJK characters are two units wide."""
    units = sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)
    return max(1, math.ceil(units / max(width - 1, 1)))


def _column_widths(table, grid) -> list[float]:
    if grid.width >= 15:
        return [8.5] * grid.width
    label_cols = max(b.label_cols for b in table.blocks)
    if label_cols == 3:
        return [14, 14, 34] + [10] * (grid.width - 3)
    return [24] + [18] * (grid.width - 1)


def _positions_by_kind(spec, table, derived) -> dict[str, list[tuple[int, int]]]:
    cmap = cell_map(spec)
    out: dict[str, list[tuple[int, int]]] = {}
    for key, _, col in table.cells():
        if key not in derived:
            out.setdefault(col.kind, []).append(cmap[key][1:])
    return out


def lock_structure(xlsx: bytes) -> bytes:
    """Add <workbookProtection lockStructure="1"/> (XlsxWriter has no API for it),
    keeping every other zip member byte for byte."""
    src = zipfile.ZipFile(io.BytesIO(xlsx))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "xl/workbook.xml":
                text = data.decode("utf-8")
                if "<workbookProtection" not in text:
                    text = text.replace("<bookViews>", '<workbookProtection lockStructure="1"/><bookViews>', 1)
                data = text.encode("utf-8")
            dst.writestr(info, data)
    return out.getvalue()


def build_workbook(spec: Spec, org: str | None, year: int, previous: dict | None = None,
                   merged: dict | None = None) -> bytes:
    return _Writer(spec, org, year, previous=previous, merged=merged).write()


def expected_contents(spec: Spec, org: str | None, year: int, version: str, previous: dict | None = None,
                      merged: dict | None = None) -> dict[str, dict]:
    """What every cell of a freshly generated workbook holds, sheet by sheet:
    {sheet: {(row, col): value or "=formula" or None}}, without XlsxWriter."""
    writer = _Writer(spec, org, year, version, record=True, previous=previous, merged=merged)
    writer.write()
    return {name: sheet.cells for name, sheet in writer.wb.sheets.items()}
