"""Validate a workbook's data against every rule of its edition, in Python.

Totals are recomputed from the input cells; the checks are the same expanded
checks the 校验 sheet shows (checks.expand), so rule ids and locations agree.
Each rule's kind (kinds/) evaluates it and words its finding.
"""

from __future__ import annotations


from .checks import PASS, Check, Data, compute_values
from .findings import SEVERITY_ORDER, Finding
from .kinds import expand, kind_of
from .record import record
from .spec import Spec


@record(frozen=True)
class CheckResult:
    check: Check
    left: object
    right: object
    passed: bool

    @property
    def status(self) -> str:
        return PASS if self.passed else self.check.fail_word


def run_checks(spec: Spec, data: Data, values: dict | None = None,
               readings=None) -> tuple[list[CheckResult], list[Finding]]:
    """Every check of the edition: its result (in_sheet kinds) and the findings. `values` (every
    table cell, compute_values) and `readings` (the narrative's numbers, narrative.read_narrative)
    are computed here when the caller (analysis.analyse) has not computed them already."""
    if values is None:
        values = compute_values(spec, data.numbers)
    if readings is None:
        from .narrative import read_narrative

        readings = read_narrative(spec, data, values)
    results: list[CheckResult] = []
    findings: list[Finding] = []
    previous_edition = data.previous_info.get("edition") if data.previous else None
    for check in expand(spec, previous_edition):
        kind = kind_of(check.rule)
        if not kind.in_sheet:
            findings += kind.find(spec, check, data, values, readings)
            continue
        left, right, passed = kind.evaluate(check, spec, data, values)
        results.append(CheckResult(check, left, right, passed))
        if not passed:
            finding = kind.finding(check, spec, left, right, data)
            if finding is not None:
                findings.append(finding)
    return results, findings


def sort_findings(findings: list[Finding]) -> list[Finding]:
    return sorted(findings, key=lambda f: SEVERITY_ORDER[f.severity])
