"""Rules over every input cell of each table: cell_type (a valid number) and blank."""

from __future__ import annotations

from ..checks import Check, derivations, sheet_refs, span
from ..findings import Finding, fmt_value
from ..layout import a1, cell_map, location
from .base import Kind


class _CellsKind(Kind):
    in_sheet = True

    @classmethod
    def excel(cls, check, spec, references):
        return cls.count_formula(check, spec), "0", False

    @classmethod
    def condition(cls, check, spec, left, right):
        return f"{left}=0"


class CellType(_CellsKind):
    """填写值 shows what was typed in the row's first invalid cell (“12件”, “-3”), empty when
    every cell is valid: never a count that could be read as the value. Each cell is tested on
    its own with ISNUMBER/ISERROR/LEN/TRIM/ROUND/INT only, never N() (Gnumeric's N() of an empty
    cell is #NUM!), so that Excel, WPS, LibreOffice and Gnumeric give the same result."""

    name = "cell_type"
    doc = "每个数字单元格是有效数字：件数为非负整数，增减数为整数，金额为非负数且最多6位小数；以文本形式存放的数字（如“1,520”“１５２０”）不是数字"

    @classmethod
    def expand(cls, spec, rule, previous_edition):
        derived = derivations(spec)
        out = []
        for table in spec.tables:
            for row in table.rows:
                keys = tuple(k for k, r, _ in table.cells() if r.id == row.id and k not in derived)
                if not keys:  # a row of totals only
                    continue
                name = f"“{row.display}”行" if row.label else ""
                out.append(Check(rule, f"{table.short}{name}", span(spec, keys), cells=keys))
        return out

    @classmethod
    def evaluate(cls, check, spec, data, values):
        bad = [k for k in check.cells if k in data.invalid]
        shown = data.shown.get(bad[0], "") if bad else ""
        return shown, "有效数字", not bad

    @classmethod
    def excel(cls, check, spec, references):
        cmap = cell_map(spec)
        sheet = cmap[check.cells[0]][0]
        formula = '""'
        for k in reversed(check.cells):
            ref = f"'{sheet}'!{a1(*cmap[k][1:])}"
            shown = f'IF(ISERROR({ref}),"错误值",IF(ISNUMBER({ref}),""&{ref},TRIM({ref})))'
            formula = f"IF({cls.bad(spec, k, ref)},{shown},{formula})"
        return "=" + formula, "有效数字", False

    @classmethod
    def bad(cls, spec, key, ref) -> str:
        """An Excel test, true when the cell is not a valid number of its column's kind: not
        empty and not a number (text, a number stored as text, a logical or error value), or
        a number out of bounds (negative, a fraction of a 件, more decimals than allowed)."""
        col = spec.column_kind(key)
        tests = []
        if col.kind != "signed_count":
            tests.append(f"{ref}<0")
        if col.kind in ("count", "signed_count"):
            tests.append(f"{ref}<>INT({ref})")
        else:
            # more decimals than allowed: X·10^d is not a whole number. Compared with a margin, as
            # Gnumeric's ROUND(X,d) need not give back the very double X was typed as. The margin
            # exceeds a double's rounding error of X·10^6 up to about 8,000,000 万元 (800 亿元).
            scaled = f"{ref}*{10 ** (col.decimals or 6)}"
            tests.append(f"ABS({scaled}-ROUND({scaled},0))>0.001")
        limit = spec.number_limits.get(col.kind)
        if limit is not None:
            tests.append(f"ABS({ref})>{limit}")
        return (f"IF(ISNUMBER({ref}),OR({','.join(tests)}),"
                f"IF(ISERROR({ref}),TRUE,LEN(TRIM({ref}))>0))")

    @classmethod
    def condition(cls, check, spec, left, right):
        return f'{left}=""'

    @classmethod
    def finding(cls, check, spec, left, right, data):
        return None  # the reader reported each bad cell with its own message


class Blank(_CellsKind):
    name = "blank"
    doc = "表格中没有空白的填报单元格（空白按0计算）"

    @classmethod
    def expand(cls, spec, rule, previous_edition):
        derived = derivations(spec)
        out = []
        for table in spec.tables:
            keys = tuple(k for k, _, _ in table.cells() if k not in derived)
            out.append(Check(rule, table.short, span(spec, keys), cells=keys))
        return out

    @classmethod
    def evaluate(cls, check, spec, data, values):
        n = sum(1 for k in check.cells if k in data.blanks)
        return n, 0, n == 0

    @classmethod
    def count_formula(cls, check, spec):
        return "=" + "+".join(f"COUNTBLANK({r})" for r in sheet_refs(spec, check.cells))

    @classmethod
    def finding(cls, check, spec, left, right, data):
        rule = check.rule
        by_row: dict[int, list[str]] = {}
        for key in check.cells:
            if key in data.blanks:
                cell = location(spec, key).split("!")[1]
                by_row.setdefault(int("".join(ch for ch in cell if ch.isdigit())), []).append(cell)
        message = rule.message.format(**cls.fields(check, spec, left, right, data))
        if left == len(check.cells):  # nothing at all: listing every cell would hide the point
            message = f"{check.target}全部{left}个数字单元格都没有填写（{check.location}），已按0计算；请填写，没有发生的填0。"
        else:
            rows = [f"第{r}行：{'、'.join(cells)}" for r, cells in sorted(by_row.items())]
            message += "空白单元格——" + "；".join(rows) + "。"
        return Finding(rule.id, rule.severity, check.location, message, fmt_value(left), fmt_value(right))
