"""Rule kind reader (compiler/kinds/reader.py): findings made while the file is read (M1–M5, R4, S5,
E1). The kind declares them (id, severity, message, documentation) and expands into no check of
its own; the reader and what reads last year's workbook make the findings."""

from __future__ import annotations

import pytest
from kindcheck import SPEC, checks, data

from reportc.kinds import kind_of
from reportc.validate import run_checks

READER_RULES = {"M1", "M2", "M3", "M4", "M5", "R4", "S5", "E1"}


@pytest.mark.parametrize("edition", ["2019", "2021"])
def test_reader_rules_are_declared_and_expand_into_no_check(edition):
    spec = SPEC[edition]
    declared = {r.id for r in spec.rules if r.kind == "reader"}
    assert declared >= READER_RULES
    for rule_id in declared:
        rule = next(r for r in spec.rules if r.id == rule_id)
        assert checks(spec, rule_id) == [] and checks(spec, rule_id, edition) == []
        assert not kind_of(rule).in_sheet and rule.message and rule.severity in ("error", "warning", "info")


def test_the_validator_makes_no_reader_finding_from_the_data_alone():
    spec = SPEC["2021"]
    d = data(spec, invalid={"t3.new.natural"}, shown={"t3.new.natural": "9件"})
    _, findings = run_checks(spec, d)
    assert not {f.rule for f in findings} & READER_RULES
