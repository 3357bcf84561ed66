"""Rule kinds: one class per kind of check.

A kind holds everything about one sort of rule: the parameters an edition file may
give it (checked when the specification loads), how a rule expands into checks, the
Python evaluation, the Excel formulas of the 校验 sheet, the message and the line of
documentation. Adding a kind is adding a class to one of the modules below.
"""

from ..spec import Spec, memo
from .base import KINDS, Kind, Param, SpecError, declared, kind_of, validate_rule
from . import amounts, cells, copying, fields, reader, tables, text  # noqa: F401  (registers the kinds)

__all__ = ["KINDS", "Kind", "Param", "SpecError", "declared", "expand", "kind_of", "validate_rule", "validate_rules"]


def expand(spec: Spec, previous_edition: str | None = None) -> tuple:
    """All checks (checks.Check) of an edition, each rule expanded by its kind; previous-year
    checks only when last year's data (of previous_edition) is at hand."""

    def compute():
        checks: list = []
        for rule in spec.rules:
            checks += kind_of(rule).expand(spec, rule, previous_edition)
        return tuple(sorted(checks, key=lambda c: spec.rule_rank(c.rule.id)))

    return memo(spec, ("expand", previous_edition), compute)


def validate_rules(spec: Spec) -> None:
    """Every rule id once per edition; every rule's parameters as its kind declares them;
    every table, row and cell a rule names present in the edition."""
    seen: dict[str, str] = {}
    for rule in spec.rules:
        if rule.id in seen:
            raise SpecError(rule.source, rule.id, "id", f"编号与 {seen[rule.id]} 中的另一条规则重复；同一版本中每条规则的编号必须唯一。")
        seen[rule.id] = rule.source
        validate_rule(rule, rule.source)
        kind_of(rule).check_refs(spec, rule)
    reader.validate_read_rules(spec)
