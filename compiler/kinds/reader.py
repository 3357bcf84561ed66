"""Rules whose findings are made outside the 校验 sheet: while the reader reads the file
(M1–M3, M5, R4), about last year's workbook (M4, S5) and about the 情况说明 table (E1).
Documented, not expanded; their severity and wording come from the TOML like every rule's
(kinds.base.declared), and the wordings the code reports in must be there (READ_RULES)."""

from __future__ import annotations

from .base import Kind, SpecError, validate_messages

# rule id -> the `messages` variants the code words its findings with, besides `message`
# (M5 uses `message`; rules of other kinds the reader also reports: R1 for the year, D6 for each cell)
READ_RULES: dict[str, tuple[str, ...]] = {
    "M1": ("moved",), "M2": ("missing", "renamed", "extra"), "M3": ("changed", "outside", "formula", "summary"),
    "M4": ("unused",), "M5": ("published",), "R1": ("year",), "R4": ("control", "folded"), "D6": ("read", "note"),
    "S5": ("override", "doubts", "skipped", "none_compared"), "E1": ("incomplete", "unmatched"),
}


class Reader(Kind):
    name = "reader"
    doc = "读取工作簿时检查（结构、锁定内容、隐藏字符）"

    @classmethod
    def expand(cls, spec, rule, previous_edition):
        return []


def validate_read_rules(spec) -> None:
    """Every rule reportc reports outside the 校验 sheet is declared, with the wordings it uses."""
    rules = {r.id: r for r in spec.rules}
    for rule_id, variants in READ_RULES.items():
        if rule_id not in rules:
            raise SpecError("common.toml", rule_id, "id", "缺少这条规则：reportc 读取工作簿时报告它，其级别和提示文字由规范给出。")
        validate_messages(rules[rule_id], rules[rule_id].source, variants)
