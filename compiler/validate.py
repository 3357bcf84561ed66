"""Validate a workbook's data against every rule of its edition, in Python.

Totals are recomputed from the input cells; the checks are the same expanded
checks the 校验 sheet shows (checks.expand), so rule ids and locations agree.
"""

from __future__ import annotations

from dataclasses import dataclass

from .checks import PASS, TEXT_KINDS, Check, Data, compute_values, evaluate, expand, paragraph_keys
from .findings import SEVERITY_ORDER, Finding, fmt_value
from .layout import cell_map, location
from .narrative import missing_number_findings, narrative_findings
from .spec import Spec, edition_covering


@dataclass(frozen=True)
class CheckResult:
    check: Check
    left: object
    right: object
    passed: bool

    @property
    def status(self) -> str:
        return PASS if self.passed else self.check.fail_word


def run_checks(spec: Spec, data: Data) -> tuple[list[CheckResult], list[Finding]]:
    values = compute_values(spec, data.numbers)
    results: list[CheckResult] = []
    findings: list[Finding] = []
    previous_edition = data.previous_info.get("edition") if data.previous else None
    for check in expand(spec, previous_edition):
        kind = check.rule.kind
        if kind in TEXT_CHECKS:
            findings += TEXT_CHECKS[kind](spec, check, data, values)
            continue
        left, right, passed = evaluate(check, spec, data, values)
        results.append(CheckResult(check, left, right, passed))
        if passed or kind == "cell_type":  # cell_type: the reader reported each bad cell
            continue
        findings.append(_finding(spec, check, left, right, data))
    return results, findings


def _finding(spec: Spec, check: Check, left, right, data: Data) -> Finding:
    rule = check.rule
    fields = {"target": check.target, "left": fmt_value(left), "right": fmt_value(right), "diff": "",
              "previous": data.previous_info.get("locations", {}).get(check.reference, "")}
    if rule.kind in ("equal", "sum", "previous") and left is not None:
        fields["diff"] = fmt_value(left - right)
    message = rule.message.format(**fields, found="", expected="", edition=spec.edition)
    if rule.kind == "sum" and left is None:
        message = f"{check.target}：总计单元格的公式被改动或替换，应为各项之和{fmt_value(right)}。请使用原工作簿。"
    elif rule.kind == "blank":
        message = f"{message}空白单元格：{_blank_rows(spec, [k for k in check.cells if k in data.blanks])}。"
    elif rule.kind == "edition_year":
        expected = edition_covering(left) if isinstance(left, int) else None
        message = rule.message.format(
            left=fmt_value(left) or "（未填）", expected=f"{expected}版" if expected else "对应年度",
            edition=spec.edition, target=check.target, right="", diff="", found="",
        )
    return Finding(rule.id, rule.severity, check.location, message, fmt_value(left), fmt_value(right))


def _blank_rows(spec: Spec, keys: list[str]) -> str:
    """Every blank cell, grouped by table row: “（一）予以公开”D8:I8；“（二）部分公开”D9、F9."""
    from .checks import ranges

    cmap = cell_map(spec)
    rows: dict[tuple, list] = {}
    for key in keys:
        table_id, row_id, _ = key.split(".")
        rows.setdefault((table_id, row_id), []).append(cmap[key][1:])
    parts = []
    for (table_id, row_id), positions in rows.items():
        row = next(r for r in spec.table(table_id).rows if r.id == row_id)
        name = f"“{row.display}”" if row.label else ""
        parts.append(name + "、".join(ranges(positions)))
    return "；".join(parts)


def _placeholders(spec: Spec, check: Check, data: Data, values: dict) -> list[Finding]:
    out = []
    patterns = check.rule.params.get("patterns", [])
    for section in spec.narrative:
        for key in (k for k in data.texts if k.startswith(section.id + ".")):
            text = data.texts[key]
            found = next((p for p in patterns if p in text), None)
            if found:
                out.append(Finding(
                    check.rule.id, check.rule.severity, location(spec, key),
                    check.rule.message.format(target=section.title, found=found), left=_excerpt(text, found),
                ))
    return out


def _mentions(spec: Spec, check: Check, data: Data, values: dict) -> list[Finding]:
    section_id = check.rule.params["section"]
    keys = paragraph_keys(spec, section_id)
    text = "".join(data.texts.get(k, "") for k in keys)
    if any(w in text for w in check.rule.params["words"]):
        return []
    return [Finding(check.rule.id, check.rule.severity, location(spec, keys[0]), check.rule.message)]


def _excerpt(text: str, found: str) -> str:
    i = text.find(found)
    start = max(0, i - 12)
    return ("…" if start else "") + text[start: i + len(found) + 12] + ("…" if i + len(found) + 12 < len(text) else "")


# Rules that read the narrative (checks.TEXT_KINDS): kind -> function(spec, check, data, values).
TEXT_CHECKS = {
    "placeholder": _placeholders,
    "text_mentions": _mentions,
    "missing_number": missing_number_findings,
    "narrative_numbers": narrative_findings,
}
assert set(TEXT_CHECKS) == set(TEXT_KINDS)


def sort_findings(findings: list[Finding]) -> list[Finding]:
    return sorted(findings, key=lambda f: SEVERITY_ORDER[f.severity])
