"""One analysis of a workbook: everything the outputs say about it, computed once.

    read (reader.py) → analyse (this module) → render (report.py, render_*.py) → publish

`analyse(edition, data, previous)` takes what the reader found in a workbook and returns an
immutable Analysis: every table value (the inputs and the totals recomputed in Python), the
result of every check the 校验 sheet shows, the findings (sorted, each 情况说明 attached, each
effect linked to the bad or blank cell it may follow from), the narrative's numbers read once
(正文中的数字) and last year's figures. `reportc check`, validation.json/html, the report model
and every document consume it; none of them computes a value, a check or a reading again.
"""

from __future__ import annotations

from types import MappingProxyType
from collections.abc import Mapping

from .causes import link_causes
from .checks import Data, compute_values
from .explain import Explanation, apply_explanations, read_explanations
from .findings import Finding
from .narrative import Reading, read_narrative
from .previous import parse_value, previous_findings
from .record import record, replace
from .validate import CheckResult, run_checks, sort_findings


@record(frozen=True)
class LastYear:
    """Last year's figures for the across-year rules (S1–S4, S6's 同比, S11, S12): `info` is
    previous.previous_from's record and `workbook` last year's reader.FilledWorkbook (its narrative and
    inputs). `altered` is rule M4's finding when last year's workbook was changed by hand: then
    nothing of it is used (info is empty) and the finding says so."""

    info: Mapping
    workbook: object = None
    altered: Finding | None = None


@record(frozen=True)
class Analysis:
    edition: object  # edition.Edition
    data: Data  # the inputs as read, with last year's figures in place (never changed afterwards)
    values: Mapping  # every table cell: inputs as read, derived cells recomputed
    results: tuple[CheckResult, ...]  # one per check, in the 校验 sheet's order
    findings: tuple[Finding, ...]  # sorted by severity, explained, causes linked
    readings: tuple[Reading, ...]  # every number read from the narrative (正文中的数字)
    explanations: tuple[Explanation, ...]  # the filled rows of the 情况说明 table

    @property
    def spec(self):
        return self.edition.spec

    @property
    def previous(self) -> Mapping:
        """Last year's figures as compared (previous.previous_from's record), or {}."""
        return self.data.previous_info


def analyse(edition, data: Data, previous: LastYear | None = None, found=()) -> Analysis:
    """The analysis of a workbook's `data` (reader.read_workbook) in `edition`. `previous`:
    last year's figures given with --previous (without it, those `reportc new --previous` stored
    in the workbook, already in `data`); `found`: the findings made while reading (M1–M3, M5, R1,
    R4, D6)."""
    spec = edition.spec
    if previous is not None and previous.info:
        data = replace(data, previous={k: parse_value(v) for k, v in previous.info["values"].items()},
                       previous_info=dict(previous.info), last=previous.workbook)
    values = compute_values(spec, data.numbers)
    readings = tuple(read_narrative(spec, data, values))
    results, findings = run_checks(spec, data, values, readings)
    findings += previous_findings(spec, data)
    if previous is not None and previous.altered is not None:
        findings.append(previous.altered)
    explanations = tuple(read_explanations(spec, data.texts))
    findings = apply_explanations(spec, explanations, list(found) + findings)
    ordered = link_causes(spec, data, results, sort_findings(findings))
    return Analysis(edition, data, MappingProxyType(values), tuple(results), tuple(ordered), readings, explanations)
