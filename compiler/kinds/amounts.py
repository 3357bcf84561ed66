"""Amounts in 万元 that look as if they were typed in 元 (10,000 times too large): rule D10.

The bounds are specification data: `limits` gives, per table row.column, the amount in 万元
from which a value is more likely 元 than 万元; `body_limits` gives larger bounds for kinds of body
whose report sums others' (a 人民政府's sums its departments'), told by how the 机关名称 ends.
reportc checks this; the 校验 sheet does not.
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
    params = {"limits": Param(dict, doc="表格行.列 → 从多少万元起提醒"),
              "body_limits": Param(list, required=False,
                                   doc="按机关类别的界限：每项有 body（类别名）、ends_with（机关名称的结尾）、limits（同上）")}

    @classmethod
    def check_refs(cls, spec, rule):
        from .base import SpecError

        for key, bound in rule.params["limits"].items():
            if not isinstance(bound, (int, float)) or isinstance(bound, bool) or bound <= 0:
                raise SpecError(rule.source, rule.id, "limits", f"“{key}”的界限应为正数（万元）。")
        for item in rule.params.get("body_limits", ()):
            if (not isinstance(item, dict) or not isinstance(item.get("body"), str)
                    or not isinstance(item.get("ends_with"), list) or not item["ends_with"]
                    or not all(isinstance(w, str) and w for w in item["ends_with"])
                    or not isinstance(item.get("limits"), dict)):
                raise SpecError(rule.source, rule.id, "body_limits",
                                "每项应有 body（文字）、ends_with（非空的文字列表）和 limits（表格行.列 → 万元）。")
            for key, bound in item["limits"].items():
                if key not in rule.params["limits"]:
                    raise SpecError(rule.source, rule.id, "body_limits", f"“{key}”不在 limits 中。")
                if not isinstance(bound, (int, float)) or isinstance(bound, bool) or bound <= 0:
                    raise SpecError(rule.source, rule.id, "body_limits", f"“{key}”的界限应为正数（万元）。")

    @classmethod
    def expand(cls, spec, rule, previous_edition):
        return [Check(rule, rule.title, "")]

    @classmethod
    def find(cls, spec, check, data, values, readings=()):
        rule = check.rule
        limits = limits_for(rule, data.texts.get("info.org", ""))
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


def body_kind(rule, org: str) -> dict | None:
    """The `body_limits` item whose ends_with the 机关名称 ends with (spaces, widths, brackets ignored)."""
    from ..values import org_key

    name = org_key(org)
    for item in rule.params.get("body_limits", ()):
        if any(name.endswith(org_key(word)) for word in item["ends_with"]):
            return item
    return None


def limits_for(rule, org: str) -> dict:
    """The D10 bounds for this body: its kind's where the spec gives them, else the general ones."""
    item = body_kind(rule, org)
    return {**rule.params["limits"], **(item["limits"] if item else {})}
