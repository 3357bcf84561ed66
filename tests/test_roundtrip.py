"""Random consistent data -> filled workbook -> check passes -> build -> the numbers in
report.html, report.md and report.docx equal the data."""

from __future__ import annotations

import random
from decimal import Decimal

from gen import consistent_numbers, texts
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from parse_outputs import docx_values, html_values, md_values

from reportc.build import build
from reportc.checks import compute_values
from reportc.fill import fill_workbook
from reportc.findings import fmt_value
from reportc.spec import available_editions, load_spec
from reportc.workbook import build_workbook

YEARS = {"2019": 2020, "2021": 2025}


def _cell(v):
    return float(v) if isinstance(v, Decimal) else v


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(seed=st.integers(0, 2**32 - 1), edition=st.sampled_from(available_editions()))
def test_numbers_survive_the_round_trip(tmp_path_factory, seed, edition):
    spec = load_spec(edition)
    year = YEARS[edition]
    rng = random.Random(seed)
    numbers = consistent_numbers(spec, rng, high=rng.choice([5, 40, 5000]))
    values = {**numbers, **texts(spec, rng, year=year)}
    folder = tmp_path_factory.mktemp("rt")
    path = folder / "filled.xlsx"
    fill_workbook(spec, build_workbook(spec, "测试县民政局", year), {k: _cell(v) for k, v in values.items()}, path)
    outcome = build(path, folder / "out")
    assert outcome.errors == 0, outcome.findings
    assert not [f for f in outcome.findings if f.severity != "info"], outcome.findings
    expected = {k: fmt_value(v) for k, v in compute_values(spec, numbers).items()}
    for reader, name in ((html_values, "report.html"), (md_values, "report.md"), (docx_values, "report.docx")):
        got = reader(spec, folder / "out" / name)
        assert got == expected, name
