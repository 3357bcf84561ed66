"""Copy-paste mistakes (rules R7–R11, S11, S12): a report taken over from another body or from
last year is caught cell by cell, and real reports, the shipped examples and the seed sample
raise none of them."""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest
from conftest import cell_value, fill

from reportc.kinds.copying import names_another_body, normalised, other_years, similarity, speakers
from reportc.layout import location
from reportc.publish import check
from reportc.spec import load_spec

ROOT = Path(__file__).resolve().parents[1]
REAL = Path(__file__).parent / "data" / "real_narratives"
COPY_RULES = {"R7", "R8", "R9", "R10", "R11", "S11", "S12"}
ORG = "云溪县交通运输局"


def example_values(spec, year=2025, org=ORG) -> dict:
    """A complete, consistent report: the shipped qingshan example's inputs under another name."""
    from reportc.reader import read_workbook

    wb = read_workbook(ROOT / "examples" / "qingshan-minzheng-2025.xlsx")
    values = {k: cell_value(v) for k, v in wb.data.numbers.items()}
    values.update({k: v for k, v in wb.data.texts.items() if not k.startswith("info.")})
    text = {k: v.replace("青山县民政局", org).replace("民政局", "交通运输局") for k, v in wb.data.texts.items()}
    values.update({k: v for k, v in text.items() if k.startswith(("info.", "s0."))})
    values.update({"info.org": org, "info.year": year, "info.signature": org, "info.publish_date": f"{year + 1}年1月20日"})
    return values


@pytest.fixture
def spec():
    return load_spec("2021")


def findings_of(spec, tmp_path, values, name="filled.xlsx", previous=None, year=2025):
    path = fill(tmp_path / name, edition=spec.edition, org=values.get("info.org") or None, year=year, values=values)
    outcome = check(path, previous=previous)
    return [f for f in outcome.findings if f.rule in COPY_RULES]


def test_the_clean_report_raises_none(spec, tmp_path):
    assert findings_of(spec, tmp_path, example_values(spec)) == []


def test_signature_of_another_body(spec, tmp_path):
    found = findings_of(spec, tmp_path, {**example_values(spec), "info.signature": "云溪县民政局"})
    assert [(f.rule, f.location, f.severity) for f in found] == [("R7", location(spec, "info.signature"), "warning")]
    assert "云溪县民政局" in found[0].message and ORG in found[0].message


@pytest.mark.parametrize("signer", [ORG, f"{ORG}办公室", f" {ORG} ", "云溪县交通运输局（本级）".replace("（本级）", "")])
def test_signature_of_this_body_or_its_office(spec, tmp_path, signer):
    assert findings_of(spec, tmp_path, {**example_values(spec), "info.signature": signer}) == []


def test_empty_signature_and_date_are_reminders(spec, tmp_path):
    found = findings_of(spec, tmp_path, {**example_values(spec), "info.signature": None, "info.publish_date": None})
    assert sorted((f.rule, f.location) for f in found) == sorted(
        [("R8", location(spec, "info.signature")), ("R8", location(spec, "info.publish_date"))])
    assert all(f.severity == "warning" for f in found)


def test_signature_defaults_to_the_org_in_a_new_workbook(spec, tmp_path):
    # `new` writes 落款 as a live formula of 机关名称: left alone, it is the org, and stays so
    # when the clerk corrects 机关名称 afterwards
    values = example_values(spec)
    values.pop("info.signature")
    values["info.org"] = "云溪县交通运输局"
    path = fill(tmp_path / "default.xlsx", edition=spec.edition, blank_org="云溪县交通运输厅", year=2025, values=values)
    outcome = check(path)
    assert outcome.workbook.data.texts["info.signature"] == "云溪县交通运输局"
    assert not [f for f in outcome.findings if f.rule in COPY_RULES or f.rule.startswith("M")]


@pytest.mark.parametrize("typed,flagged", [
    ("2026年1月20日", False), ("2026-03-01", False), ("2026年12月31日", False),
    ("2025年1月20日", True), ("2027年1月2日", True), ("2024年1月20日", True), ("下个月", True),
])
def test_publish_date_in_the_year_after(spec, tmp_path, typed, flagged):
    found = findings_of(spec, tmp_path, {**example_values(spec), "info.publish_date": typed})
    assert [(f.rule, f.location) for f in found] == ([("R9", location(spec, "info.publish_date"))] if flagged else [])


@pytest.mark.parametrize("text,found", [
    ("2024年，我局坚持以习近平新时代中国特色社会主义思想为指导，扎实推进政务公开。", "2024年，"),
    ("一是加强组织领导。2024年度，我局调整了政务公开领导小组。", "2024年度，"),
    ("（一）主动公开情况。2024年全年主动公开政府信息120条。", "2024年全年"),
    ("本年度（2024年）共受理政府信息公开申请5件。", "本年度（2024年）"),
])
def test_another_year_spoken_of_as_this_year(text, found):
    got = other_years(text, 2025)
    assert len(got) == 1 and got[0].startswith(found), got


@pytest.mark.parametrize("text", [
    "与2024年相比，主动公开信息数量增长10%。",
    "较上年增加3件。",
    "2024年结转的2件申请已于今年1月办结。",
    "截至2024年底，现行有效规范性文件56件。",
    "2025年，我局坚持以习近平新时代中国特色社会主义思想为指导。",
    "2026年，我局将进一步加强政策解读。",  # a plan for next year, not a copy
    "2024年以来，我局持续推进基层政务公开标准化规范化建设。",
    "本年度（2025年）共受理申请5件。",
])
def test_comparisons_and_this_year_stay_quiet(text):
    assert other_years(text, 2025) == []


def test_another_year_in_a_workbook_names_the_cell(spec, tmp_path):
    values = {**example_values(spec), "s5.sub1.1": "2024年，我局政务公开工作取得了一定成效，但仍存在不足。"}
    found = findings_of(spec, tmp_path, values)
    assert [(f.rule, f.location) for f in found] == [("R10", location(spec, "s5.sub1.1"))]
    assert "2024年" in found[0].message and "2025" in found[0].message


@pytest.mark.parametrize("text,other", [
    ("本报告由云溪县民政局根据《中华人民共和国政府信息公开条例》编制。", "云溪县民政局"),
    ("如对本报告有疑问，请与云溪县民政局办公室联系（电话：0000-1234567）。", "云溪县民政局办公室"),
    ("如有疑问，请联系民政局办公室。", "民政局办公室"),
])
def test_another_body_speaking(text, other):
    assert [s for s in speakers(text) if names_another_body(s, ORG)] == [other]


@pytest.mark.parametrize("org,text", [
    (ORG, "本报告由云溪县交通运输局根据《条例》编制。如对本报告有疑问，请与云溪县交通运输局办公室联系。"),
    (ORG, "本报告由县交通运输局编制。请与局办公室联系。"),
    (ORG, "如对本报告有疑问，请与办公室联系（地址：某路1号）。"),
    (ORG, "请与本局政务公开科联系。"),
    ("宿迁市人民政府", "本报告由宿迁市人民政府办公室根据《条例》编制。请与市政府办公室联系。"),
    ("青山县人民政府", "如有疑问，请与县政务公开办公室联系。"),
    (ORG, "加强与县委宣传部的联系，做好舆情回应。"),  # not a contact line
    (ORG, "本报告由总体情况、主动公开政府信息情况、收到和处理政府信息公开申请情况、政府信息公开行政复议及行政诉讼情况、"
          "存在的主要问题及改进情况、其他需要报告的事项等六部分组成。"),  # real openings (广州, 陇南 2024)
    ("陇南市人民政府办公室", "本报告由陇南市人民政府办公室编制。"),
])
def test_this_body_speaking_stays_quiet(org, text):
    assert [s for s in speakers(text) if names_another_body(s, org)] == []


def test_another_body_in_the_opening_names_the_cell(spec, tmp_path):
    values = {**example_values(spec), "s0.intro.1": "本报告由云溪县民政局根据《中华人民共和国政府信息公开条例》编制。"
              "本报告中所列数据的统计期限自2025年1月1日起至2025年12月31日止。"}
    found = findings_of(spec, tmp_path, values)
    assert [(f.rule, f.location) for f in found] == [("R11", location(spec, "s0.intro.1"))]
    # the contact unit of 基本信息 goes into the standard opening: a copied one is caught there
    values = {**example_values(spec), "info.contact_unit": "云溪县民政局办公室"}
    from reportc.opening import standard_text

    values["s0.intro.1"] = standard_text(spec, {k: str(v) for k, v in values.items() if k.startswith("info.")})
    found = findings_of(spec, tmp_path, values, name="contact.xlsx")
    assert [(f.rule, f.location) for f in found] == [("R11", location(spec, "s0.intro.1"))]


# ---- 内容雷同: last year's report, with --previous ------------------------------------------

def last_year(spec, tmp_path, values):
    last = {**values, "info.year": 2024, "info.publish_date": "2025年1月20日"}
    return fill(tmp_path / "last.xlsx", edition=spec.edition, org=ORG, year=2024, values=last)


def test_a_section_copied_from_last_year(spec, tmp_path):
    values = example_values(spec)
    previous = last_year(spec, tmp_path, values)
    # this year's numbers differ; the 五 section is last year's with its numbers changed
    this = {**values, "s5.sub1.1": re.sub(r"\d", "7", str(values["s5.sub1.1"]))}
    for k in [k for k in values if k.startswith("s1.")]:
        this[k] = f"第{k}段：本年度我局新开设专栏，完善目录，全面梳理了各类政府信息，并按要求开展培训和考核。"
    this["t3.new.natural"] = values["t3.new.natural"]
    found = findings_of(spec, tmp_path, this, previous=previous)
    s11 = [f for f in found if f.rule == "S11"]
    assert [f.location for f in s11] == [location(spec, "s5.sub1.1")]  # the section's first paragraph
    assert "五、存在的主要问题及改进情况" in s11[0].message and "last.xlsx" in s11[0].message
    assert "S12" in {f.rule for f in found}  # the tables too are last year's


def test_tables_equal_to_last_year(spec, tmp_path):
    values = example_values(spec)
    previous = last_year(spec, tmp_path, values)
    found = findings_of(spec, tmp_path, values, previous=previous)
    s12 = sorted(f.location.split("!")[0] for f in found if f.rule == "S12")
    tables_with_numbers = sorted(t.sheet for t in spec.tables
                                 if sum(1 for k, _, _ in t.cells() if values.get(k)) >= 3)
    assert s12 == tables_with_numbers and s12
    # one number changed in each table: nothing is flagged
    changed = dict(values)
    for t in spec.tables:
        key = next(k for k, _, _ in t.cells() if k in values and isinstance(values[k], int))
        changed[key] = values[key] + 1
    found = findings_of(spec, tmp_path, changed, name="changed.xlsx", previous=previous)
    assert not [f for f in found if f.rule == "S12"]


def test_real_reports_of_consecutive_years_are_not_copies():
    a, b = real_sections("suqian-city-2023"), real_sections("suqian-city-2024")
    for title in ("一", "五", "六"):
        assert similarity(normalised("".join(a[title])), normalised("".join(b[title]))) < 0.5, title
    assert similarity(normalised("".join(a["一"])), normalised(re.sub(r"2023", "2024", "".join(a["一"])))) == 1.0


def test_similarity_is_linear_on_the_largest_cells():
    big = "".join(f"第{i}项工作稳步推进，群众满意度持续提升。" for i in range(2000))[:32767]
    other = big[:16000] + "另行撰写的内容" * 2400
    start = time.process_time()  # CPU time: a loaded machine does not stretch it as it stretches the wall clock
    for _ in range(4):
        similarity(normalised(big), normalised(other))
        other_years(big, 2025), speakers("本报告由" + "甲" * 32000), speakers("请与" * 16000)
    assert time.process_time() - start < 4


# ---- no false alarm on real reports, the examples and the seed ------------------------------

def real_sections(name: str) -> dict[str, list[str]]:
    """The narrative paragraphs of a real report (tests/data/real_narratives), by section number."""
    text = (REAL / f"{name}.txt").read_text(encoding="utf-8").split("=" * 64, 1)[1]
    out: dict[str, list[str]] = {}
    current = None
    for line in text.splitlines():
        m = re.match(r"^([一二三四五六])、(总体情况|主动公开|收到|政府信息公开行政|存在|其他)", line)
        if m:
            current = m.group(1)
            out[current] = []
        elif current and line.strip() and "|" not in line:
            out[current].append(line)
    return out


@pytest.mark.parametrize("name,year,org", [
    ("suqian-city-2023", 2023, "宿迁市人民政府"), ("suqian-city-2024", 2024, "宿迁市人民政府"),
])
def test_real_narratives_raise_nothing(name, year, org):
    for title, paragraphs in real_sections(name).items():
        for p in paragraphs:
            assert other_years(p, year) == [], (title, p[:40])
            assert [s for s in speakers(p) if names_another_body(s, org)] == [], (title, p[:40])


def test_the_seed_sample_raises_nothing():
    text = (ROOT / "examples" / "source" / "sample-report-2020-xigong-minzheng.txt").read_text(encoding="utf-8")
    for p in text.splitlines():
        assert other_years(p, 2020) == [], p[:40]
        assert [s for s in speakers(p) if names_another_body(s, "西工区民政局")] == [], p[:40]


def test_shipped_examples_raise_nothing_but_the_missing_date():
    qingshan = check(ROOT / "examples" / "qingshan-minzheng-2025.xlsx")
    assert [f for f in qingshan.findings if f.rule in COPY_RULES] == []
    # the seed sample as published shows no 发布日期: the one reminder the example keeps
    xigong = check(ROOT / "examples" / "xigong-minzheng-2020.xlsx")
    found = [(f.rule, f.location) for f in xigong.findings if f.rule in COPY_RULES]
    assert found == [("R8", location(load_spec("2019"), "info.publish_date"))]


def test_examples_against_themselves_as_last_year_are_copies(tmp_path):
    # the examples' own narrative compared with itself: every long section is flagged (S11)
    path = ROOT / "examples" / "qingshan-minzheng-2025.xlsx"
    outcome = check(path)
    spec = outcome.workbook.spec
    values = {**outcome.workbook.data.texts, "info.year": 2024, "info.publish_date": "2025年1月20日"}
    values = {k: v for k, v in values.items() if not k.endswith(".title") or k.startswith("info.")}
    last = fill(tmp_path / "last.xlsx", edition=spec.edition, org="青山县民政局", year=2024, values=values)
    found = {f.location for f in check(path, previous=last).findings if f.rule == "S11"}
    assert len(found) >= 2


# ---- the rules are specification data: a mistake in them is named when the edition loads ----------

@pytest.mark.parametrize("rule,words", [
    ('kind = "same_text"\nsections = ["s9"]\nthreshold = 90\nmin_chars = 80', ["R90", "sections", "s9"]),
    ('kind = "same_text"\nsections = ["s1"]\nthreshold = 190\nmin_chars = 80', ["R90", "threshold"]),
    ('kind = "fields_filled"\nfields = ["signatur"]', ["R90", "fields", "signatur"]),
    ('kind = "same_tables"', ["R90", "min_nonzero", "缺少"]),
])
def test_copy_rule_mistakes_are_named(tmp_path, monkeypatch, rule, words):
    from test_spec_errors import _load_variant

    from reportc.errors import CannotCheck

    extra = f'\n[[rules]]\nid = "R90"\n{rule}\nseverity = "warning"\ntitle = "t"\nmessage = "m"\n'
    with pytest.raises(CannotCheck) as err:
        _load_variant(tmp_path, monkeypatch, lambda t: t + extra)
    text = str(err.value) + str(getattr(err.value, "hint", ""))
    assert all(w in text for w in words), text
