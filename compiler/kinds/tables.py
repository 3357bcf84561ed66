"""Rules between table cells: equal (two sums compared), sum (a total and its parts),
previous (this year's cells against last year's reference values)."""

from __future__ import annotations

from ..checks import (
    Check, expand_ref, excel_sum, reference_key, signed_sum, span, stored_total, targets,
)
from ..findings import fmt_value
from ..layout import a1
from .base import Kind, Param, SpecError

OPS = {"=": "eq", ">=": "ge", "<=": "le"}
# where a table rule applies: the table, and optionally each column or row of it
TARGET = {
    "table": Param(str, doc="表格编号"),
    "over": Param(str, required=False, choices=("columns", "rows"), doc="按列（columns）或按行（rows）展开"),
    "rows": Param(list, required=False, doc="只展开到这些行"),
}


def _compare(left, right, op: str) -> bool:
    return {"=": left == right, ">=": left >= right, "<=": left <= right}[op]


def _check_cells(spec, rule, *names: str) -> None:
    """Every reference of the named parameters exists for every target the rule expands over."""
    try:
        table = spec.table(rule.params["table"])
    except KeyError:
        raise SpecError(rule.source, rule.id, "table", f"没有编号为“{rule.params['table']}”的表格。") from None
    if rule.params.get("over") == "columns" and len(table.blocks) != 1:
        raise SpecError(rule.source, rule.id, "over", "由几块组成的表格只能按行展开。")
    known = {k for k, _, _ in table.cells()}
    for row_id in rule.params.get("rows") or ():
        if not any(r.id == row_id for r in table.rows):
            raise SpecError(rule.source, rule.id, "rows", f"表格 {table.id} 没有编号为“{row_id}”的行。")
    for star, _ in targets(spec, rule):
        for name in names:
            refs = rule.params[name]
            for ref in [refs] if isinstance(refs, str) else refs:
                if ("*" in ref) != (star is not None):
                    raise SpecError(rule.source, rule.id, name, f"“{ref}”：按行或列展开的规则用 * 表示当前行或列，"
                                                                 "不展开的规则不能用 *。")
                key = expand_ref(ref, table.id, star).lstrip("-")
                if key not in known:
                    raise SpecError(rule.source, rule.id, name, f"“{ref}”指向不存在的单元格 {key}。")


class _TableKind(Kind):
    in_sheet = True
    sides = ("left", "right")  # the parameters holding the two sums compared

    @classmethod
    def check_refs(cls, spec, rule):
        _check_cells(spec, rule, *cls.sides)

    @classmethod
    def expand(cls, spec, rule, previous_edition):
        table = spec.table(rule.params["table"])
        out = []
        for star, target in targets(spec, rule):
            left, right = (tuple(expand_ref(x, table.id, star) for x in ([refs] if isinstance(refs, str) else refs))
                           for refs in (rule.params[name] for name in cls.sides))
            if target is None:
                target = f"“{spec.column_kind(left[0].lstrip('-')).label}”"
            keys = tuple(k.lstrip("-") for k in left + right)
            out.append(Check(rule, f"{table.short}{target}", span(spec, keys), left, right, **cls._extra(rule, table, star)))
        return out

    @classmethod
    def _extra(cls, rule, table, star) -> dict:
        return {}

    @classmethod
    def _op(cls, check) -> str:
        return check.rule.params.get("op", "=")

    @classmethod
    def excel(cls, check, spec, references):
        return "=" + excel_sum(spec, check.left), "=" + excel_sum(spec, check.right), True

    @classmethod
    def condition(cls, check, spec, left, right):
        return {"=": f"ROUND({left}-{right},4)=0", ">=": f"ROUND({left}-{right},4)>=0",
                "<=": f"ROUND({left}-{right},4)<=0"}[cls._op(check)]

    @classmethod
    def fields(cls, check, spec, left, right, data):
        out = super().fields(check, spec, left, right, data)
        if left is not None and right is not None:
            out["diff"] = fmt_value(left - right)
        return out


class Equal(_TableKind):
    name = "equal"
    doc = "两组单元格之和相等（或不小于、不大于）"
    params = {
        **TARGET,
        "left": Param(list, doc="左边相加的单元格；前加 - 表示减去"),
        "right": Param(list, doc="右边相加的单元格"),
        "op": Param(str, required=False, choices=tuple(OPS), doc="比较方式，默认 ="),
    }

    @classmethod
    def evaluate(cls, check, spec, data, values):
        left, right = signed_sum(values, check.left), signed_sum(values, check.right)
        return left, right, _compare(left, right, cls._op(check))


class Sum(_TableKind):
    name = "sum"
    doc = "合计单元格（工作簿中为锁定公式）等于各部分之和；reportc 用 Python 重新计算"
    params = {
        **TARGET,
        "total": Param(str, doc="合计单元格"),
        "parts": Param(list, doc="相加的单元格"),
    }

    sides = ("total", "parts")

    @classmethod
    def evaluate(cls, check, spec, data, values):
        left = stored_total(spec, data, values, check.left[0])
        right = sum((values[k] for k in check.right), 0)
        return left, right, left == right

    @classmethod
    def finding(cls, check, spec, left, right, data):
        if left is None:  # the total's formula was replaced by other text or another formula
            from ..findings import Finding

            message = f"{check.target}：总计单元格的公式被改动或替换，应为各项之和{fmt_value(right)}。请使用原工作簿。"
            return Finding(check.rule.id, check.rule.severity, check.location, message, None, fmt_value(right))
        return super().finding(check, spec, left, right, data)


class Previous(_TableKind):
    name = "previous"
    doc = "本年单元格与上年报告的数字相符（需要上年工作簿：new/check/build --previous）"
    params = {
        **TARGET,
        "left": Param(list, doc="本年相加的单元格"),
        "right": Param(list, doc="本年另一边相加的单元格（与上年数值相加）"),
        "previous": Param(list, doc="上年报告中相加的单元格（按上年的版本）"),
        "previous_editions": Param(list, doc="可比较的上年版本"),
        "reference_label": Param(str, doc="工作簿中参考值一行或一列的标题"),
        "op": Param(str, required=False, choices=tuple(OPS), doc="比较方式，默认 ="),
    }

    @classmethod
    def check_refs(cls, spec, rule):
        super().check_refs(spec, rule)
        if not rule.params.get("over"):
            raise SpecError(rule.source, rule.id, "over", "跨年度规则必须按行或列展开。")

    @classmethod
    def expand(cls, spec, rule, previous_edition):
        if previous_edition not in rule.params["previous_editions"]:
            return []
        return super().expand(spec, rule, previous_edition)

    @classmethod
    def _extra(cls, rule, table, star) -> dict:
        return {"reference": reference_key(tuple(expand_ref(x, table.id, star) for x in rule.params["previous"]))}

    @classmethod
    def evaluate(cls, check, spec, data, values):
        left = signed_sum(values, check.left)
        right = signed_sum(values, check.right) + data.previous[check.reference]
        return left, right, _compare(left, right, cls._op(check))

    @classmethod
    def excel(cls, check, spec, references):
        sheet, r, c = references[check.reference]
        ref = f"'{sheet}'!{a1(r, c)}"
        right = f"={excel_sum(spec, check.right)}+{ref}" if check.right else f"={ref}"
        return "=" + excel_sum(spec, check.left), right, True
