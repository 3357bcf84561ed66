"""Amounts in 万元 that look as if they were typed in 元 (a value 10,000 times too large).

The bounds are specification data: rule D9 in common.toml gives, per table row and column,
the amount in 万元 from which a value is more likely 元 than 万元.
"""

from __future__ import annotations

from decimal import Decimal

from .checks import table_short
from .findings import Finding, fmt_value
from .layout import location
from .spec import Spec

RULE = "D9"


def amount_findings(spec: Spec, data) -> list[Finding]:
    rule = next((r for r in spec.rules if r.id == RULE), None)
    if rule is None:
        return []
    limits = rule.params.get("limits", {})
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
            target = f"{table_short(table)}“{row.display}”的“{col.label}”"
            out.append(Finding(
                RULE, rule.severity, location(spec, key),
                rule.message.format(target=target, left=fmt_value(value), yuan=_yi(value), right=fmt_value(as_wan)),
                left=fmt_value(value), right=fmt_value(as_wan),
            ))
    return out


def _yi(value) -> str:
    """An amount in 万元 said in 亿元, as people check a magnitude: 25.1亿元."""
    return f"{fmt_value(Decimal(value) / 10000)}亿元"
