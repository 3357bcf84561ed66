"""Rule kinds that read the narrative (compiler/kinds/text.py), run directly on hand-made data:
placeholder (R3), text_mentions (S10), missing_number (R5), narrative_numbers (S6), period_year (R6)."""

from __future__ import annotations

import pytest
from kindcheck import SPEC, checks, data, find

from reportc.checks import compute_values, paragraph_keys
from reportc.layout import location
from reportc.opening import standard_text

SPEC21 = SPEC["2021"]


def test_text_rules_are_one_check_each_outside_the_sheet():
    for rule_id in ("R3", "S10", "R5", "S6", "R6"):
        assert len(checks(SPEC21, rule_id)) == 1


@pytest.mark.parametrize("edition", ["2019", "2021"])
def test_generated_narrative_raises_no_text_finding(edition):
    spec = SPEC[edition]
    d = data(spec, year=2020 if edition == "2019" else 2025)
    d.texts["s0.intro.1"] = standard_text(spec, d.texts)
    for rule_id in ("R3", "R5", "S6", "R6", *(("S10",) if edition == "2021" else ())):
        assert find(spec, rule_id, d) == [], rule_id


@pytest.mark.parametrize("placeholder", ["XX", "××", "请填写"])
def test_placeholder_is_found_in_the_paragraph_that_holds_it(placeholder):
    key = paragraph_keys(SPEC21, "s5")[1]
    d = data(SPEC21, texts={key: f"本机关在{placeholder}方面仍有不足。"})
    (finding,) = find(SPEC21, "R3", d)
    assert finding.location == location(SPEC21, key) and f"“{placeholder}”" in finding.message
    assert "五、存在的主要问题及改进情况" in finding.message and placeholder in finding.left


def test_text_mentions_passes_on_any_of_its_words_in_the_section():
    keys = paragraph_keys(SPEC21, "s6")
    d = data(SPEC21, texts={k: "" for k in keys})
    d.texts[keys[0]] = "本年度无其他需要报告的事项。"
    (finding,) = find(SPEC21, "S10", d)
    assert finding.rule == "S10" and finding.location == location(SPEC21, keys[0])
    d.texts[keys[-1]] = "本年度未收取信息处理费。"  # in another paragraph of the same section
    assert find(SPEC21, "S10", d) == []


@pytest.mark.parametrize("text,missing", [
    ("本年度主动公开各类政府信息条。", True),
    ("本年度共收到申请件，均已办结。", True),
    ("本年度主动公开各类政府信息1286条。", False),
    ("本年度公开政府文件，并及时解读。", False),  # 文件's 件 is no unit
    ("本年度共受理十二件申请。", False),
])
def test_missing_number_finds_a_count_without_its_number(text, missing):
    key = paragraph_keys(SPEC21, "s1")[0]
    found = find(SPEC21, "R5", data(SPEC21, texts={key: text}))
    assert bool(found) == missing, found
    if missing:
        assert found[0].location == location(SPEC21, key)


def test_narrative_numbers_checks_a_stated_count_against_the_table():
    total = compute_values(SPEC21, data(SPEC21).numbers)["t3.new.total"]
    key = paragraph_keys(SPEC21, "s1")[0]
    right = data(SPEC21, texts={key: f"本年度共收到政府信息公开申请{total}件。"})
    assert find(SPEC21, "S6", right) == []
    wrong = data(SPEC21, texts={key: f"本年度共收到政府信息公开申请{total + 5}件。"})
    (finding,) = find(SPEC21, "S6", wrong)
    assert finding.rule == "S6" and finding.severity == "warning" and finding.location == location(SPEC21, key)
    assert str(total + 5) in finding.message and str(total) in finding.message


def test_narrative_numbers_says_nothing_of_a_number_it_cannot_attribute():
    d = data(SPEC21)
    key = paragraph_keys(SPEC21, "s1")[0]
    d.texts[key] = "本机关共有工作人员9876人，设立公开专栏3个。"  # no table states these
    assert find(SPEC21, "S6", d) == []


def test_period_year_finds_another_year_in_the_opening():
    d = data(SPEC21)
    wrong = standard_text(SPEC21, {**d.texts, "info.year": "2024"})
    d.texts["s0.intro.1"] = wrong
    (finding,) = find(SPEC21, "R6", d)
    assert finding.location == location(SPEC21, "s0.intro.1")
    assert "2024年" in finding.message and "报告年度为2025年" in finding.message
    d.texts["s0.intro.1"] = standard_text(SPEC21, d.texts)
    assert find(SPEC21, "R6", d) == []
