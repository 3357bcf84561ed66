"""Fast paths must say exactly what the slow ones say: jsontext.dumps is json.dumps(…, indent=2)."""

from __future__ import annotations

import json
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from reportc.jsontext import dumps

ROOT = Path(__file__).resolve().parents[1]

scalars = st.none() | st.booleans() | st.integers() | st.floats() | st.text()
values = st.recursive(scalars, lambda inner: st.lists(inner, max_size=4) | st.tuples(inner, inner)
                      | st.dictionaries(st.text(max_size=5), inner, max_size=4), max_leaves=30)


@settings(max_examples=300, deadline=None)
@given(values)
def test_dumps_is_json_dumps_with_indent_two(value):
    assert dumps(value) == json.dumps(value, ensure_ascii=False, indent=2)


def test_dumps_hands_what_it_does_not_know_to_json_dumps():
    from decimal import Decimal

    for value in ({1: "a", None: True, 2.5: False}, [float("nan"), float("-inf")], {"a": (1, 2.5, "“控制”\u202e")}):
        assert dumps(value) == json.dumps(value, ensure_ascii=False, indent=2)
    try:
        dumps({"x": Decimal("1.5")})
    except TypeError:
        pass  # as json.dumps refuses it
    else:
        raise AssertionError("a Decimal must be refused as json.dumps refuses it")


def test_validation_and_report_json_of_an_example_are_json_dumps():
    from reportc import check
    from reportc.render_json import report_dict, render_json
    from reportc.render_validation import render_validation_json, validation_dict

    outcome = check(ROOT / "examples" / "xigong-minzheng-2020.xlsx")
    assert render_validation_json(outcome) == json.dumps(validation_dict(outcome), ensure_ascii=False, indent=2) + "\n"
    assert render_json(outcome.analysis) == json.dumps(report_dict(outcome.analysis), ensure_ascii=False, indent=2) + "\n"
