"""Rule kinds required_fields, narrative_filled and edition_year (compiler/kinds/fields.py), run
directly on hand-made data: R1, R2 and S8."""

from __future__ import annotations

import pytest
from kindcheck import SPEC, checks, data, failed

from reportc.checks import paragraph_keys


def test_required_fields_are_the_starred_fields():
    spec = SPEC["2021"]
    assert [c.target for c in checks(spec, "R1")] == [f.label for f in spec.fields if f.required] == ["机关名称", "年度"]


@pytest.mark.parametrize("typed", ["", "   ", "\u3000"])
def test_a_required_field_of_spaces_is_not_filled(typed):
    spec = SPEC["2021"]
    d = data(spec, texts={"info.org": typed})
    (check, left, right, finding), = failed(spec, "R1", d)
    assert check.target == "机关名称" and left == 0 and finding.severity == "error"
    assert not failed(spec, "R1", data(spec))


def test_a_section_without_any_paragraph_fails_and_one_paragraph_is_enough():
    spec = SPEC["2021"]
    keys = paragraph_keys(spec, "s5")
    d = data(spec, texts={k: "" for k in keys})
    (check, left, right, finding), = failed(spec, "R2", d)
    assert check.target == "五、存在的主要问题及改进情况" and left == 0 and finding.rule == "R2"
    d.texts[keys[-1]] = "无。"  # the last paragraph only
    assert not failed(spec, "R2", d)


@pytest.mark.parametrize("edition,typed,passes", [
    ("2021", "2025", True), ("2021", "2025年", True), ("2021", "2025年度", True), ("2021", "2021", True),
    ("2021", "2020", False), ("2019", "2020", True), ("2019", "2019", True), ("2019", "2021", False),
])
def test_edition_year_passes_for_the_years_the_edition_covers(edition, typed, passes):
    spec = SPEC[edition]
    found = failed(spec, "S8", data(spec, texts={"info.year": typed}))
    assert not found if passes else len(found) == 1


def test_edition_year_names_the_edition_to_use():
    spec = SPEC["2021"]
    (check, left, right, finding), = failed(spec, "S8", data(spec, texts={"info.year": "2020"}))
    assert left == 2020 and "2019版" in finding.message and finding.severity == "warning"


def test_edition_year_of_a_text_that_is_no_year_points_to_r1():
    spec = SPEC["2021"]
    (check, left, right, finding), = failed(spec, "S8", data(spec, texts={"info.year": "明年"}))
    assert left is None and "“明年”" in finding.message and "规则R1" in finding.message
    (_, _, _, empty), = failed(spec, "S8", data(spec, texts={"info.year": ""}))
    assert "（未填）" in empty.message
