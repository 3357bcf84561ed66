"""Rule kinds on copy-paste mistakes (compiler/kinds/copying.py), run directly on hand-made data:
fields_filled (R8), signature_org (R7), publish_date (R9), other_year (R10), speaking_body (R11),
same_text (S11) and same_tables (S12), the last two against last year's workbook."""

from __future__ import annotations

import pytest
from kindcheck import SPEC, data, find, last_year

from reportc.checks import paragraph_keys
from reportc.layout import location

SPEC21 = SPEC["2021"]


@pytest.mark.parametrize("rule_id", ["R8", "R7", "R9", "R10", "R11", "S11", "S12"])
def test_a_clean_report_raises_no_copying_finding(rule_id):
    d = data(SPEC21)
    d.last = last_year(SPEC21, data(SPEC21, seed=2, year=2024))
    assert find(SPEC21, rule_id, d) == []


def test_fields_filled_names_each_empty_field():
    d = data(SPEC21, texts={"info.signature": " ", "info.publish_date": ""})
    found = find(SPEC21, "R8", d)
    assert [f.location for f in found] == [location(SPEC21, "info.signature"), location(SPEC21, "info.publish_date")]
    assert "落款未填写" in found[0].message and "发布日期未填写" in found[1].message


@pytest.mark.parametrize("signature,other", [
    ("某县财政局", True),
    ("测试县民政局办公室", False),  # the body's office may sign
    ("测试县 民政局", False),  # spaces are not a difference
    ("", False),  # an empty 落款 is R8's
])
def test_signature_names_this_body_or_its_office(signature, other):
    found = find(SPEC21, "R7", data(SPEC21, texts={"info.signature": signature}))
    assert bool(found) == other
    if other:
        assert found[0].left == signature and found[0].right == "测试县民政局"
        assert found[0].location == location(SPEC21, "info.signature")


@pytest.mark.parametrize("typed,words", [
    ("2026年1月20日", None),
    ("2026-03-01", None),  # read as a date
    ("2025年12月31日", "2025年12月31日"),
    ("2027年1月5日", "2027年1月5日"),
    ("明天", "不是可以读懂的日期"),
    ("2026年2月30日", "不是可以读懂的日期"),
])
def test_publish_date_falls_in_the_year_after_the_report(typed, words):
    found = find(SPEC21, "R9", data(SPEC21, texts={"info.publish_date": typed}))
    if words is None:
        assert found == []
    else:
        (finding,) = found
        assert words in finding.message and finding.right == "2026年"


def test_publish_date_is_not_judged_without_a_year():
    assert find(SPEC21, "R9", data(SPEC21, texts={"info.publish_date": "2020年1月1日", "info.year": "明年"})) == []


@pytest.mark.parametrize("text,found", [
    ("2024年，我局深入推进政务公开。", "2024年"),
    ("（一）2024年度，本机关主动公开信息。", "2024年度"),
    ("本年度（2024年）共收到申请。", "本年度（2024年）"),
    ("2026年，我局将继续推进政务公开。", None),  # a plan for next year
    ("与2024年相比，申请数量有所增加。", None),  # a comparison
    ("2025年，我局深入推进政务公开。", None),
])
def test_other_year_finds_an_earlier_year_spoken_of_as_this_one(text, found):
    key = paragraph_keys(SPEC21, "s1")[0]
    result = find(SPEC21, "R10", data(SPEC21, texts={key: text}))
    if found is None:
        assert result == []
    else:
        (finding,) = result
        assert found in finding.left and finding.right == "2025" and finding.location == location(SPEC21, key)


@pytest.mark.parametrize("text,other", [
    ("如对本报告有任何疑问，请与某县财政局办公室联系。", "某县财政局办公室"),
    ("如对本报告有任何疑问，请与测试县民政局办公室联系。", None),
    ("如有疑问，请与局办公室联系。", None),  # this bureau's office
    ("本报告由总体情况、主动公开情况等部分组成。", None),  # a list names no body
])
def test_speaking_body_is_this_body(text, other):
    key = paragraph_keys(SPEC21, "s6")[0]
    result = find(SPEC21, "R11", data(SPEC21, texts={key: text}))
    assert [f.left for f in result] == ([other] if other else [])


LONG = "本机关坚持以习近平新时代中国特色社会主义思想为指导，全面贯彻落实政府信息公开条例，围绕中心工作推进政务公开标准化规范化建设，" * 2


def test_same_text_finds_a_section_taken_over_from_last_year():
    keys = paragraph_keys(SPEC21, "s1")
    d = data(SPEC21, texts={keys[0]: LONG + "2025年收到申请12件。"})
    last = data(SPEC21, seed=2, year=2024, texts={keys[0]: LONG + "2024年收到申请30件。"})  # only numbers differ
    d.last = last_year(SPEC21, last, "去年.xlsx")
    (finding,) = find(SPEC21, "S11", d)
    assert finding.location == location(SPEC21, keys[0]) and "去年.xlsx" in finding.message
    assert finding.left == "100%" and finding.right == "90%"
    d.last = None  # without last year's workbook: nothing to compare
    assert find(SPEC21, "S11", d) == []


def test_same_text_ignores_short_sections():
    key = paragraph_keys(SPEC21, "s5")[0]
    d = data(SPEC21, texts={key: "无。"})
    d.last = last_year(SPEC21, data(SPEC21, seed=2, year=2024, texts={key: "无。"}))
    assert find(SPEC21, "S11", d) == []


def test_same_tables_finds_a_table_with_last_years_numbers():
    d = data(SPEC21, seed=4)
    last = data(SPEC21, seed=5, year=2024)
    t3 = [k for k in d.numbers if k.startswith("t3.")]
    last.numbers.update({k: d.numbers[k] for k in t3})
    d.last = last_year(SPEC21, last)
    (finding,) = find(SPEC21, "S12", d)
    assert finding.location.startswith("三、依申请公开!") and finding.rule == "S12"
    d.invalid = {t3[0]}  # a bad cell is its own finding
    assert find(SPEC21, "S12", d) == []


def test_same_tables_needs_the_same_edition_and_enough_nonzero_numbers():
    d = data(SPEC21)
    d.last = last_year(SPEC["2019"], data(SPEC["2019"], year=2020))
    assert find(SPEC21, "S12", d) == []
    zeros = {k: 0 for k in d.numbers if k.startswith("t4.")}
    d = data(SPEC21, numbers=zeros)
    d.last = last_year(SPEC21, data(SPEC21, seed=3, year=2024, numbers=zeros))
    assert find(SPEC21, "S12", d) == []  # a table of zeros is no sign of copying
