"""Amounts in 万元 that look as if they were typed in 元 (10,000 times too large): rule D10.

The bounds are specification data: `limits` gives, per table row.column, the amount in 万元
from which a value is more likely 元 than 万元. reportc checks this; the 校验 sheet does not.
"""

from __future__ import annotations

from decimal import Decimal

from ..checks import Check
from ..findings import Finding, fmt_value
from ..layout import location
from .base import Kind, Param


class AmountInYuan(Kind):
    name = "amount_in_yuan"
    doc = "以万元为单位的金额不像是按元填写的（数额异常大）"
    params = {"limits": Param(dict, doc="表格行.列 → 从多少万元起提醒")}

    @classmethod
    def check_refs(cls, spec, rule):
        from .base import SpecError

        for key, bound in rule.params["limits"].items():
            if not isinstance(bound, (int, float)) or isinstance(bound, bool) or bound <= 0:
                raise SpecError(rule.source, rule.id, "limits", f"“{key}”的界限应为正数（万元）。")

    @classmethod
    def expand(cls, spec, rule, previous_edition):
        return [Check(rule, rule.title, "")]

    @classmethod
    def find(cls, spec, check, data, values):
        rule = check.rule
        limits = rule.params["limits"]
        out = []
        for table in spec.tables:
            for key, row, col in table.cells():
                bound = limits.get(f"{row.id}.{col.id}")
                if bound is None or col.kind != "amount" or key in data.invalid:
                    continue
                value = data.numbers.get(key)
                if value is None or value < bound:
                    continue
                as_wan = Decimal(value) / 10000
                target = f"{table.short}“{row.display}”的“{col.label}”"
                out.append(Finding(
                    rule.id, rule.severity, location(spec, key),
                    rule.message.format(target=target, left=fmt_value(value), yuan=f"{fmt_value(as_wan)}亿元",
                                        right=fmt_value(as_wan)),
                    left=fmt_value(value), right=fmt_value(as_wan),
                ))
        return out
