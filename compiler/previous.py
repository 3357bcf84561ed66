"""Last year's figures: the reference values the across-year rules (S1–S4) compare with."""

from __future__ import annotations

from decimal import Decimal

from .checks import compute_values, expand, span
from .spec import Spec

CARRIED_FIELDS = ("org", "contact_unit", "address", "postcode", "phone", "email")


def previous_from(spec: Spec, last) -> dict:
    """Reference values for this year's `spec` from last year's workbook (a build.Outcome)."""
    from .narrative import previous_figures

    last_spec = last.workbook.spec
    data = last.workbook.data
    values = compute_values(last_spec, data.numbers)
    year = data.texts.get("info.year", "")
    refs: dict[str, str] = {}
    locations: dict[str, str] = {}
    for check in expand(spec, last_spec.edition):
        if not check.reference or check.reference in refs:
            continue
        terms = check.reference[len("ref:"):].split("+")
        refs[check.reference] = str(sum((values[t] for t in terms), 0))
        locations[check.reference] = f"{year}年度报告 {span(last_spec, terms)}"
    return {
        "edition": last_spec.edition,
        "year": year,
        "org": data.texts.get("info.org", ""),
        "file": last.workbook.path.name,
        "sha256": last.sha256,
        "values": refs,
        "locations": locations,
        "figures": previous_figures(last_spec, values),  # for 同比 in the narrative (rule S6)
        "fields": {f: data.texts.get(f"info.{f}", "") for f in CARRIED_FIELDS},
    }


def parse_value(text: str):
    d = Decimal(text)
    return int(d) if d == d.to_integral_value() else d
