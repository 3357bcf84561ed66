"""Findings are data: rule id, severity, sheet!cell, the values compared, a Chinese message."""

from __future__ import annotations

from decimal import Decimal

from .record import field, record

SEVERITY_WORDS = {"error": "错误", "warning": "提醒", "info": "说明"}
SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}
CAUSED_NOTE = "可能由上面的单元格引起"


@record(frozen=True)
class Finding:
    rule: str
    severity: str  # error | warning | info
    location: str  # 三、依申请公开!D12, a range, or "" for the whole file
    message: str
    left: str | None = None
    right: str | None = None
    # input cells (spec keys) a table or narrative finding involves, to link it to a bad cell
    cells: tuple[str, ...] = field(default=(), compare=False)
    # the finding about a bad or blank cell this one may follow from: {"rule": "D6", "location": ...}
    caused_by: dict | None = field(default=None, compare=False, hash=False)
    # the clerk's 情况说明 for this finding (explain.py) and the cell it is in, or None
    explanation: str | None = field(default=None, compare=False, hash=False)
    explanation_cell: str | None = field(default=None, compare=False, hash=False)

    def as_dict(self) -> dict:
        """The JSON form: `rule` is the stable rule id (D6); `rule_tag` is how people read it."""
        return {"rule": self.rule, "rule_tag": rule_tag(self.rule), "severity": self.severity,
                "location": self.location, "message": self.message, "left": self.left, "right": self.right,
                "caused_by": self.caused_by, "explanation": self.explanation,
                "explanation_cell": self.explanation_cell}


def fmt_value(value) -> str | None:
    """Numbers as a clerk writes them: 12, 838.4002 (never 1.2E+1 or 838.40020)."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, Decimal):
        text = format(value.normalize(), "f")
        return text
    if isinstance(value, float):
        return fmt_value(Decimal(repr(value)))
    return str(value)


def counts(findings) -> dict[str, int]:
    """Findings per severity, and `explained`: the warnings that have a 情况说明."""
    out = {"error": 0, "warning": 0, "info": 0, "explained": 0}
    for f in findings:
        out[f.severity] += 1
        if f.severity == "warning" and f.explanation:
            out["explained"] += 1
    return out


def rule_tag(rule: str) -> str:
    """A rule id as people read it: 规则D6, so that it cannot be taken for cell D6."""
    return f"规则{rule}"
