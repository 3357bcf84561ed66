"""Random consistent data -> filled workbook -> check passes -> build -> the numbers in
report.html, report.md and report.docx equal the data."""

from __future__ import annotations

import random

from conftest import fill
from gen import consistent_numbers
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from parse_outputs import docx_values, html_values, md_values

from reportc import build, check
from reportc.checks import compute_values
from reportc.findings import fmt_value
from reportc.spec import available_editions, load_spec

YEARS = {"2019": 2020, "2021": 2025}


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(seed=st.integers(0, 2**32 - 1), edition=st.sampled_from(available_editions()))
def test_numbers_survive_the_round_trip(tmp_path_factory, seed, edition):
    spec = load_spec(edition)
    year = YEARS[edition]
    rng = random.Random(seed)
    numbers = consistent_numbers(spec, rng, high=rng.choice([5, 40, 5000]))
    folder = tmp_path_factory.mktemp("rt")
    path = fill(folder / "filled.xlsx", edition=edition, year=year, numbers=numbers, seed=rng)
    outcome = build(path, folder / "out")
    assert outcome.errors == 0, outcome.findings
    assert not [f for f in outcome.findings if f.severity != "info"], outcome.findings
    expected = {k: fmt_value(v) for k, v in compute_values(spec, numbers).items()}
    for reader, name in ((html_values, "report.html"), (md_values, "report.md"), (docx_values, "report.docx")):
        got = reader(spec, folder / "out" / name)
        assert got == expected, name


# ---- the round trip extends to text: narratives stating the tables' numbers ------------------

@settings(max_examples=60, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), edition=st.sampled_from(available_editions()), delta=st.integers(1, 30))
def test_stated_numbers_are_all_matched_and_a_changed_one_is_flagged(seed, edition, delta):
    from gen import narrative_text, stated_numbers

    from reportc.narrative import AGREES, CONTRADICTS, read_text

    spec = load_spec(edition)
    rng = random.Random(seed)
    values = compute_values(spec, consistent_numbers(spec, rng, high=rng.choice([5, 40, 5000])))
    claims = stated_numbers(spec, values, rng)
    text = narrative_text(claims, random.Random(seed))
    readings = read_text(spec, text, values, None, str(YEARS[edition]))
    assert [r.verdict for r in readings] == [AGREES] * len(claims), (text, readings)
    changed = rng.randrange(len(claims))
    text = narrative_text(claims, random.Random(seed), change=changed, delta=delta)
    readings = read_text(spec, text, values, None, str(YEARS[edition]))
    assert [r.verdict for r in readings] == [CONTRADICTS if i == changed else AGREES for i in range(len(claims))], text


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(seed=st.integers(0, 2**32 - 1), edition=st.sampled_from(available_editions()))
def test_narrative_in_the_workbook_is_checked(tmp_path_factory, seed, edition):
    """Through the workbook: the narrative that states the tables passes; one changed number is S6."""
    from gen import narrative_text, stated_numbers

    spec = load_spec(edition)
    year = YEARS[edition]
    rng = random.Random(seed)
    numbers = consistent_numbers(spec, rng, high=rng.choice([5, 40, 5000]))
    claims = stated_numbers(spec, compute_values(spec, numbers), rng)
    folder = tmp_path_factory.mktemp("nt")
    for change in (None, rng.randrange(len(claims))):
        story = narrative_text(claims, random.Random(seed), change=change, delta=1)
        path = fill(folder / f"filled-{change}.xlsx", edition=edition, year=year, numbers=numbers, seed=rng,
                    **{"s1.sub2.1": story})
        s6 = [f for f in check(path).findings if f.rule == "S6"]
        assert len(s6) == (0 if change is None else 1), s6
