"""Run one rule kind directly (compiler/kinds/): the unit tests of tests/test_kind_*.py.

Each helper takes a rule of a shipped edition by its id, asks the rule's kind to expand it into
checks, and evaluates them on a hand-made checks.Data, without a workbook: what a kind decides
is tested apart from the reader and the pipeline around it. Every call into the kinds' API is
here, so that a change of that API is one change to the tests."""

from __future__ import annotations

import random
from types import SimpleNamespace

from gen import consistent_numbers, texts

from reportc.checks import Data, compute_values
from reportc.kinds import kind_of
from reportc.spec import load_spec


def rule(spec, rule_id: str):
    return next(r for r in spec.rules if r.id == rule_id)


def data(spec, numbers: dict | None = None, seed: int = 1, year: int = 2025, **fields) -> Data:
    """Consistent numbers and narrative texts (as the reader gives them: text) (tests/gen.py) of a report that passes every rule;
    fields: Data's other attributes (texts merged into the generated texts, blanks, invalid …)."""
    rng = random.Random(seed)
    made = consistent_numbers(spec, rng)
    text = {**texts(spec, rng, year=year), "info.signature": "测试县民政局", "info.publish_date": f"{year + 1}年1月20日"}
    text.update(fields.pop("texts", {}))
    return Data(numbers={**made, **(numbers or {})}, texts={k: str(v) for k, v in text.items()}, **fields)


def checks(spec, rule_id: str, previous_edition: str | None = None) -> list:
    r = rule(spec, rule_id)
    return kind_of(r).expand(spec, r, previous_edition)


def evaluate(spec, rule_id: str, d: Data, previous_edition: str | None = None) -> list:
    """[(check, left, right, passed, finding)] of a rule the 校验 sheet shows (finding None when passed)."""
    r = rule(spec, rule_id)
    kind = kind_of(r)
    assert kind.in_sheet, f"{rule_id} is not computed in the 校验 sheet"
    values = compute_values(spec, d.numbers)
    out = []
    for check in kind.expand(spec, r, previous_edition):
        left, right, passed = kind.evaluate(check, spec, d, values)
        out.append((check, left, right, passed, None if passed else kind.finding(check, spec, left, right, d)))
    return out


def failed(spec, rule_id: str, d: Data, previous_edition: str | None = None) -> list:
    """[(check, left, right, finding)] of the checks that fail."""
    return [(c, left, right, f) for c, left, right, passed, f in evaluate(spec, rule_id, d, previous_edition)
            if not passed]


def find(spec, rule_id: str, d: Data, previous_edition: str | None = None) -> list:
    """The findings of a rule reportc runs on its own (not in the 校验 sheet)."""
    r = rule(spec, rule_id)
    kind = kind_of(r)
    assert not kind.in_sheet, f"{rule_id} is computed in the 校验 sheet: use evaluate()"
    from reportc.narrative import read_narrative

    values = compute_values(spec, d.numbers)
    readings = read_narrative(spec, d, values)  # as analysis.analyse reads them, once per workbook
    out = []
    for check in kind.expand(spec, r, previous_edition):
        out += kind.find(spec, check, d, values, readings)
    return out


def last_year(spec, d: Data, name: str = "上年.xlsx"):
    """Last year's workbook as the copying rules see it (data.last): its spec, its data, its path."""
    from pathlib import Path

    return SimpleNamespace(spec=spec, data=d, path=Path(name))


SPEC = {edition: load_spec(edition) for edition in ("2019", "2021")}
