"""What a clerk, a supervisor and a county office meet on ordinary paths (review of the merged
main): each test is a mistake a user made, and what reportc must say."""

from __future__ import annotations

import random
from decimal import Decimal

from gen import consistent_numbers, texts

from reportc import check
from reportc.fill import fill_workbook
from reportc.layout import location
from reportc.spec import load_spec
from reportc.workbook import build_workbook


def _cell(v):
    return float(v) if isinstance(v, Decimal) else v


def workbook(tmp_path, name, org="测试县民政局", year=2025, edition="2021", seed=1, **changes):
    spec = load_spec(edition)
    rng = random.Random(seed)
    values = {**consistent_numbers(spec, rng), **texts(spec, rng, org=org, year=year)}
    values.update(changes)
    path = tmp_path / name
    fill_workbook(spec, build_workbook(spec, org, year), {k: _cell(v) for k, v in values.items()}, path)
    return path


def test_a_cell_typed_as_none_word_is_not_blamed_for_a_sum_it_cannot_change(tmp_path):
    """“无” is read as 0, which is what it says: the O1 imbalance comes from the “12件” beside it,
    not from the “无” that sorts first by key."""
    spec = load_spec("2021")
    numbers = consistent_numbers(spec, random.Random(1))
    key = next(k for k in ("t3.granted.natural", "t3.partial.natural", "t3.unable_not_held.natural") if numbers[k])
    path = workbook(tmp_path, "无.xlsx", **{key: f"{numbers[key]}件", "t3.deny_law.natural": "无",
                                            "t3.deny_secret.natural": "无"})
    outcome = check(path)
    o1 = [f for f in outcome.findings if f.rule == "O1"]
    assert o1 and all(f.caused_by == {"rule": "D6", "location": location(spec, key)} for f in o1)
