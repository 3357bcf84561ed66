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
    name = "cell_type"
    doc = "每个数字单元格是有效数字：件数为非负整数，增减数为整数，金额为非负数"

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
        bad = sum(1 for k in check.cells if k in data.invalid)
        return bad, 0, bad == 0

    @classmethod
    def count_formula(cls, check, spec):
        cmap = cell_map(spec)
        refs = sheet_refs(spec, check.cells)
        terms = [f"COUNTA({','.join(refs)})-COUNT({','.join(refs)})"]
        sheet = cmap[check.cells[0]][0]
        non_signed = [k for k in check.cells if spec.column_kind(k).kind != "signed_count"]
        if non_signed:
            terms += [f'COUNTIF({r},"<0")' for r in sheet_refs(spec, non_signed)]
        for k in check.cells:
            if spec.column_kind(k).kind in ("count", "signed_count"):
                ref = f"'{sheet}'!{a1(*cmap[k][1:])}"
                terms.append(f"IF(N({ref})<>INT(N({ref})),1,0)")
        return "=" + "+".join(terms)

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
