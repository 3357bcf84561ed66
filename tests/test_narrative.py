"""The narrative checker (rule S6), R5 and the 参考表述: numbers in every form, the corpus of
real and made-up sentences, findings in check/JSON/HTML, and the reference sentences
in Python and as workbook formulas recalculated by LibreOffice."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest
from conftest import cell_value, fill
from corpus import cases, previous_of, read_case, value_sets

from reportc import build, check
from reportc.narrative import (
    AGREES, CONTRADICTS, UNCHECKED, missing_numbers, read_text, reference_formula, reference_sentences,
)
from reportc.numbers_zh import chinese_value, find_numbers
from reportc.reader import read_workbook
from reportc.spec import available_editions, load_spec

ROOT = Path(__file__).resolve().parents[1]
QINGSHAN = ROOT / "examples" / "qingshan-minzheng-2025.xlsx"
XIGONG = ROOT / "examples" / "xigong-minzheng-2020.xlsx"
SETS = value_sets()
CASES = cases()


# ---- numbers in every form -----------------------------------------------------------------

@pytest.mark.parametrize("text,value", [
    ("七", 7), ("十七", 17), ("二十一", 21), ("一百零五", 105), ("两千三百", 2300), ("一千零一十", 1010),
    ("三万五千", 35000), ("十万零五", 100005), ("〇", 0), ("零", 0), ("二〇二四", 2024),
])
def test_chinese_numerals(text, value):
    assert chinese_value(text) == value


@pytest.mark.parametrize("text,value,unit", [
    ("收到申请17件。", 17, "件"), ("收到申请１７件。", 17, "件"), ("收到申请 17 件。", 17, "件"),
    ("收到申请17\u3000件。", 17, "件"), ("收到申请17\u00a0件。", 17, "件"), ("决定3,050件。", 3050, "件"),
    ("收费9.6万元。", Decimal("9.6"), "万元"), ("决定1.2万件。", 12000, "件"), ("收到申请一百零五件。", 105, "件"),
    ("占比45.5%。", Decimal("45.5"), "%"), ("占比４５．５％。", Decimal("45.5"), "%"), ("两千三百件", 2300, "件"),
])
def test_numbers_in_every_form(text, value, unit):
    (n,) = find_numbers(text)
    assert (n.value, n.unit) == (Decimal(value), unit)


@pytest.mark.parametrize("text", [
    "2024年", "第二十条第（一）项", "2025年1月1日至12月31日", "电话：0791-12345678", "主动公开政府文件",
    "办理案件", "发生泄密事件", "附件3", "第六期培训班", "一是加强领导", "办结一件申请、解决一个问题", "零件",
    "依据《条例》第十七条", "12345热线",
])
def test_what_is_not_a_stated_quantity(text):
    assert find_numbers(text) == []


# ---- R5 ------------------------------------------------------------------------------------

def _r5(text):
    rule = next(r for r in load_spec("2021").rules if r.id == "R5")
    return missing_numbers(text, rule.params["verbs"], rule.params["units"])


@pytest.mark.parametrize("text", [
    "主动公开政府文件。", "及时公开政府文件，", "依法办理案件。", "累计公开附件。", "全年共办理各类事件。", "已办结案件，",
])
def test_r5_ignores_units_that_are_words(text):
    assert _r5(text) == []


def test_r5_still_finds_a_missing_number():
    assert _r5("我局在政府门户网站主动公开各类政府信息条。") == ["主动公开各类政府信息条"]
    assert _r5("全年共收到申请件，") == ["共收到申请件"]


# ---- the corpus ------------------------------------------------------------------------------

def test_corpus_is_large_and_covers_its_sources():
    assert len(CASES) >= 100
    sources = {c.source.split()[0] for c in CASES}
    assert {"suqian-city-2023", "suqian-city-2024", "qingshan-2025", "xigong-2020", "own"} <= sources
    verdicts = [v for c in CASES for _, v in c.expect]
    assert verdicts.count(CONTRADICTS) >= 30 and verdicts.count(AGREES) >= 100 and verdicts.count(UNCHECKED) >= 20
    # every sentence of the shipped examples (the 2020 sample's narrative is xigong's)
    corpus_texts = {c.text for c in CASES}
    for path in (QINGSHAN, XIGONG):
        wb = read_workbook(path)
        for key, text in wb.data.texts.items():
            if key.startswith("s") and text:
                for sentence in _sentences(text):
                    assert sentence in corpus_texts, sentence


def _sentences(text):
    import re

    return [s.strip() for s in re.findall(r"[^。！？\n]+[。！？]?", text) if s.strip()]


@pytest.mark.parametrize("case", CASES, ids=[f"{i}-{c.source.split()[0]}" for i, c in enumerate(CASES)])
def test_corpus_case(case):
    got = [(r.number, r.verdict) for r in read_case(SETS, case)]
    assert got == list(case.expect), case.text


def test_no_false_alarm_and_every_contradiction_caught():
    """The benchmark's figures, asserted: precision and recall of ✗ are both 1."""
    caught = missed = false = 0
    for case in CASES:
        got = [(r.number, r.verdict) for r in read_case(SETS, case)]
        for (_number, want), (_, verdict) in zip(case.expect, got, strict=True):
            caught += want == CONTRADICTS and verdict == CONTRADICTS
            missed += want == CONTRADICTS and verdict != CONTRADICTS
            false += want != CONTRADICTS and verdict == CONTRADICTS
    assert (missed, false) == (0, 0) and caught >= 30


def test_year_on_year_needs_last_year():
    spec, values, year = SETS["demo-2025"]
    text = "本年度收到申请100件，同比增加58件。"
    (_, change) = read_text(spec, text, values, None, year)
    assert change.verdict == UNCHECKED and "上年" in change.note
    (_, change) = read_text(spec, text, values, previous_of(SETS, "qingshan-2025"), year)
    assert change.verdict == AGREES and change.expected == "增加58"


# ---- findings, check, JSON and HTML --------------------------------------------------------------

def _refill(path: Path, tmp: Path, **texts) -> Path:
    """A copy of an example workbook with some narrative cells replaced."""
    wb = read_workbook(path)
    values = {**wb.data.numbers, **{k: v for k, v in wb.data.texts.items() if v}, **texts}
    return fill(tmp / path.name, edition=wb.spec.edition, org=wb.data.texts["info.org"],
                year=int(wb.data.texts["info.year"]), values=values)


def test_a_contradiction_is_a_finding_quoting_sentence_cell_and_table(tmp_path):
    wb = read_workbook(QINGSHAN)
    key = next(k for k, v in wb.data.texts.items() if "收到政府信息公开申请42件" in v)
    text = wb.data.texts[key].replace("收到政府信息公开申请42件", "收到政府信息公开申请17件")
    outcome = check(_refill(QINGSHAN, tmp_path, **{key: text}))
    (f,) = [f for f in outcome.findings if f.rule == "S6"]
    assert f.severity == "warning" and f.location.startswith("一、总体情况!B")
    assert "【17件】" in f.message and "表三“一、本年新收政府信息公开申请数量”总计" in f.message
    assert "三、依申请公开!J6" in f.message and f.message.endswith("为42。")
    assert (f.left, f.right) == ("17", "42")


def test_strict_check_of_the_examples_has_no_narrative_alarm():
    qingshan = check(QINGSHAN)
    assert qingshan.findings == []
    xigong = check(XIGONG)
    # the sample really lacks table 三 values (D7), one number (R5) and its 发布日期 (R8); nothing else
    assert sorted(f.rule for f in xigong.findings) == ["D7", "R5", "R8"]


def test_d7_lists_every_blank_cell_by_row():
    (d7,) = [f for f in check(XIGONG).findings if f.rule == "D7"]
    assert "等" not in d7.message and d7.left == "30"
    for row in range(8, 13):
        assert f"第{row}行：" + "、".join(f"{c}{row}" for c in "DEFGHI") in d7.message


def test_validation_json_and_html_list_every_number_read(tmp_path):
    wb = read_workbook(QINGSHAN)
    key = next(k for k, v in wb.data.texts.items() if "已办结41件" in v)
    text = wb.data.texts[key].replace("已办结41件", "已办结40件") + "本年度未发生行政复议。"
    build(_refill(QINGSHAN, tmp_path, **{key: text}), tmp_path / "out")
    data = json.loads((tmp_path / "out" / "validation.json").read_text(encoding="utf-8"))
    readings = data["narrative_numbers"]
    assert len(readings) == 12
    bad = [r for r in readings if r["verdict"] == CONTRADICTS]
    assert [(r["number"], r["expected"]) for r in bad] == [("40件", "41"), ("未发生行政复议", "2")]
    assert bad[0]["cells"] == ["三、依申请公开!J29"] and bad[0]["sentence"][bad[0]["start"]:].startswith("40件")
    assert all(r["verdict"] == AGREES for r in readings if r not in bad)
    html = (tmp_path / "out" / "validation.html").read_text(encoding="utf-8")
    assert "<h2>正文中的数字</h2>" in html and "<mark>40件</mark>" in html
    assert html.count('<td class="pass">✓</td>') == 10


# ---- 参考表述 -------------------------------------------------------------------------------------

@pytest.mark.parametrize("name", sorted(SETS))
def test_reference_sentences_read_back_as_agreeing(name):
    spec, values, year = SETS[name]
    sentences = reference_sentences(spec, values)
    assert set(sentences) == {"s1.sub1", "s1.sub2"}
    for text in sentences.values():
        readings = read_text(spec, text, values, None, year)
        assert readings and all(r.verdict == AGREES for r in readings), [(r.number, r.verdict) for r in readings]
        assert len(readings) >= len(find_numbers(text))


def test_reference_formula_uses_only_portable_functions():
    import re

    for edition in available_editions():
        spec = load_spec(edition)
        for section in ("s1.sub1", "s1.sub2"):
            formula = reference_formula(spec, section, lambda k: "A1")
            outside = re.sub(r'"[^"]*"', "", formula)
            assert set(re.findall(r"([A-Z]+)\(", outside)) <= {"SUM", "IF", "INT", "FIXED"}
            assert len(formula) < 8192


@pytest.mark.libreoffice
def test_reference_formula_equals_python_after_libreoffice_recalculation(tmp_path):
    """The formula text, recalculated by LibreOffice, equals reference_sentences for the same data."""
    import openpyxl
    import xlsxwriter
    from libreoffice import recalculate, soffice

    if soffice() is None:
        pytest.skip("LibreOffice (soffice) is not installed")
    from reportc.layout import a1

    expected = {}
    path = tmp_path / "reference.xlsx"
    book = xlsxwriter.Workbook(str(path))
    names = sorted(SETS)
    for i, name in enumerate(names):
        spec, values, _ = SETS[name]
        data = book.add_worksheet(f"数据{i}")
        keys = sorted(k for k in values if k[:2] in ("t2", "t3", "t4"))
        where = {k: f"'数据{i}'!{a1(r, 1)}" for r, k in enumerate(keys)}
        for r, k in enumerate(keys):
            data.write_string(r, 0, k)
            v = values[k]
            if v != 0 or r % 3:  # some zeros stay blank: a blank counts as 0 in both
                data.write_number(r, 1, cell_value(v))
        out = book.add_worksheet(f"表述{i}")
        for j, (section, text) in enumerate(sorted(reference_sentences(spec, values).items())):
            out.write_string(j, 0, section)
            out.write_formula(j, 1, reference_formula(spec, section, where.get), None, "")
            expected[(f"表述{i}", j)] = text
    book.close()
    recalculated = recalculate([path], tmp_path / "lo")[path]
    got = openpyxl.load_workbook(recalculated, data_only=True)
    for (sheet, row), text in expected.items():
        assert got[sheet].cell(row + 1, 2).value == text


def test_year_on_year_against_last_years_workbook(tmp_path):
    """`check --previous`: 同比 in the narrative is computed from last year's tables."""
    wb = read_workbook(QINGSHAN)
    numbers = wb.data.numbers
    last = dict(numbers, **{"t3.new.natural": numbers["t3.new.natural"] + 6,
                            "t3.carry_next.natural": numbers["t3.carry_next.natural"] + 6})
    texts = {k: v for k, v in wb.data.texts.items() if v}
    last_path = fill(tmp_path / "last.xlsx", edition=wb.spec.edition, org="青山县民政局", year=2024,
                     values={**last, **texts, "info.year": 2024})
    key = next(k for k, v in texts.items() if "收到政府信息公开申请42件" in v)
    this = texts[key].replace("收到政府信息公开申请42件", "收到政府信息公开申请42件，同比减少6件（下降12.5%），较上年增加6件")
    path = _refill(QINGSHAN, tmp_path, **{key: this})
    without = [r for r in check(path).workbook and _readings(path) if "同比" in r["subject"]]
    assert [r["verdict"] for r in without] == [UNCHECKED] * 3
    outcome = check(path, previous=last_path)
    s6 = [f for f in outcome.findings if f.rule == "S6"]
    assert len(s6) == 1 and "【6件】" in s6[0].message and "本年42，上年48" in s6[0].message
    from reportc.render_validation import validation_dict

    changes = [r for r in validation_dict(outcome)["narrative_numbers"] if "同比" in r["subject"]]
    assert [(r["number"], r["verdict"], r["expected"]) for r in changes] == [
        ("6件", AGREES, "减少6"), ("12.5%", AGREES, "下降12.50%"), ("6件", CONTRADICTS, "减少6")]


def _readings(path):
    from reportc.render_validation import validation_dict

    return validation_dict(check(path))["narrative_numbers"]


ALPHABET = "0123456789０１２３ ,.，。；：、（）()%％\u3000\u00a0#Ｎ一二十百千万亿零两余约件条元万元同比增长占比收到申请办结予以公开行政复议诉讼未发生均维持上年结转规章废止文件案件第年"


@pytest.mark.parametrize("edition", available_editions())
def test_any_text_is_read_without_error(edition):
    """Arbitrary text (numbers, marks, the words the claims use) never makes the checker fail."""
    from hypothesis import given, settings
    from hypothesis import strategies as st

    spec, values, year = next(v for v in SETS.values() if v[0].edition == edition)

    @settings(max_examples=300, deadline=None)
    @given(st.text(alphabet=ALPHABET, max_size=80))
    def run(text):
        for r in read_text(spec, text, values, previous_of(SETS, "qingshan-2025"), year):
            assert r.verdict in (AGREES, CONTRADICTS, UNCHECKED)
            assert r.sentence[r.start:r.end] == r.number and r.number

    run()


def test_year_on_year_from_a_workbook_made_with_previous(tmp_path):
    """`new --previous` stores last year's figures in the workbook: 同比 is checked without --previous."""
    from reportc.previous import previous_from

    wb = read_workbook(QINGSHAN)
    numbers = wb.data.numbers
    texts = {k: v for k, v in wb.data.texts.items() if v}
    last = dict(numbers, **{"t3.new.natural": numbers["t3.new.natural"] - 2, "t3.carry_next.natural": 1})
    last_path = fill(tmp_path / "last.xlsx", edition=wb.spec.edition, org="青山县民政局", year=2024,
                     values={**last, **texts, "info.year": 2024})
    previous = previous_from(wb.spec, check(last_path))
    key = next(k for k, v in texts.items() if "收到政府信息公开申请42件" in v)
    texts[key] = texts[key].replace("收到政府信息公开申请42件", "收到政府信息公开申请42件，同比增加2件、增长5%，较上年增长6%")
    path = fill(tmp_path / "this.xlsx", edition=wb.spec.edition, org="青山县民政局", year=2025, previous=previous,
                values={**numbers, **texts})
    changes = [r for r in _readings(path) if "同比" in r["subject"]]
    assert [(r["number"], r["verdict"], r["expected"]) for r in changes] == [
        ("2件", AGREES, "增加2"), ("5%", AGREES, "增长5.00%"), ("6%", CONTRADICTS, "增长5.00%")]
