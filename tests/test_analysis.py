"""Analysis of what was read: one analysis per workbook (analysis.analyse) — built once, never changed,
read by every output; the rules reported outside the 校验 sheet worded by the edition's TOML like every
other rule — and the findings it makes, with the findings a typed cell causes (caused_by)."""

from __future__ import annotations

import json
import random
import shutil
from pathlib import Path
from types import MappingProxyType

import pytest
from conftest import run_cli
from gen import consistent_numbers

from reportc import build, check, record
from reportc.edition import CACHE_ENV, clear, load_edition
from reportc.layout import location
from reportc.opening import standard_text
from reportc.spec import EDITIONS_PATH, load_spec

ROOT = Path(__file__).resolve().parents[1]
QINGSHAN = ROOT / "examples" / "qingshan-minzheng-2025.xlsx"
TEMPLATES = ROOT / "xlsx_templates"


def _messages(path: Path, rule: str) -> list[str]:
    return [f.message for f in check(path).findings if f.rule == rule]


def test_year_typed_with_nian_reads_sensibly_in_r6_and_s8(filled_workbook):
    wrong = standard_text(load_spec("2021"), {"info.org": "测试县民政局", "info.year": "2024"})
    r6 = _messages(filled_workbook("a.xlsx", consistent=False, **{"info.year": "2025年", "s0.intro.1": wrong}), "R6")
    assert len(r6) == 1 and "报告年度为2025年，" in r6[0] and "年年" not in r6[0], r6
    s8 = _messages(filled_workbook("b.xlsx", consistent=False, edition="2019", **{"info.year": "2025年"}), "S8")
    assert len(s8) == 1 and "报告年度为2025年" in s8[0] and "（未填）" not in s8[0], s8
    garbage = _messages(filled_workbook("c.xlsx", consistent=False, **{"info.year": "明年"}), "S8")
    assert len(garbage) == 1 and "“明年”" in garbage[0] and "规则R1" in garbage[0] and "（未填）" not in garbage[0]
    assert _messages(filled_workbook("d.xlsx", consistent=False, **{"info.year": "2025年"}), "S8") == []


def test_a_typo_says_how_it_was_counted_and_groups_what_follows(tmp_path, filled_workbook):
    spec = load_spec("2021")
    key = "t3.new.natural"
    path = filled_workbook("typo.xlsx", t3__new__natural="9件",
                    s1__intro__1="本年度共收到政府信息公开申请0件。")
    outcome = check(path)
    d6 = next(f for f in outcome.findings if f.rule == "D6")
    assert d6.location == location(spec, key) and "本格按0计算" in d6.message
    caused = [f for f in outcome.findings if f.caused_by]
    assert {f.rule for f in caused} >= {"O1"}
    assert all(f.caused_by == {"rule": "D6", "location": d6.location} for f in caused)
    # grouped: every finding it may cause follows it directly
    i = outcome.findings.index(d6)
    assert outcome.findings[i + 1: i + 1 + len(caused)] == caused
    result = run_cli("check", path)
    lines = result.stdout.splitlines()
    head = lines.index(f"[错误][规则D6] {d6.location}")
    assert "以下问题可能由上面的单元格引起：" in lines[head + 3]
    assert lines[head + 4].startswith("      [错误][规则O1]")
    data = json.loads(run_cli("check", path, "--json").stdout)
    o1 = [f for f in data["findings"] if f["rule"] == "O1"]
    assert o1 and all(f["caused_by"] == {"rule": "D6", "location": d6.location} for f in o1)
    build(path, tmp_path / "out")
    html = (tmp_path / "out" / "validation.html").read_text(encoding="utf-8")
    assert f"可能由上面的单元格引起（{d6.location}）" in html


def test_narrative_mismatch_is_linked_to_the_cell_it_quotes(tmp_path, filled_workbook):
    from reportc.checks import compute_values

    spec = load_spec("2021")
    numbers = consistent_numbers(spec, random.Random(1))
    key = next(k for k in ("t3.new.natural", "t3.new.commercial", "t3.new.legal", "t3.new.other_org") if numbers[k])
    # the narrative quotes the true total, but one part of it was typed with a unit (read as 0)
    total = compute_values(spec, numbers)["t3.new.total"]
    path = filled_workbook("s6.xlsx", **{key.replace(".", "__"): f"{numbers[key]}件"},
                    s1__intro__1=f"本年度共收到政府信息公开申请{total}件。")
    outcome = check(path)
    s6 = [f for f in outcome.findings if f.rule == "S6"]
    assert s6 and s6[0].caused_by == {"rule": "D6", "location": location(spec, key)}


def test_sum_imbalance_from_blank_cells_points_to_the_blank_warning(tmp_path, filled_workbook):
    spec = load_spec("2021")
    rng = random.Random(1)
    numbers = consistent_numbers(spec, rng)
    key = next(k for k in ("t3.new.natural", "t3.new.commercial", "t3.new.legal") if numbers[k])
    path = filled_workbook("blank.xlsx", **{key.replace(".", "__"): None})
    outcome = check(path)
    d7 = next(f for f in outcome.findings if f.rule == "D7")
    o1 = [f for f in outcome.findings if f.rule == "O1"]
    assert o1 and all(f.caused_by == {"rule": "D7", "location": d7.location} for f in o1)



def test_an_outcome_is_made_once_and_never_changed(tmp_path):
    outcome = check(QINGSHAN)
    with pytest.raises(record.FrozenError):
        outcome.strict = True
    with pytest.raises(record.FrozenError):
        outcome.analysis.findings = ()
    outcome.findings.append("not a finding")  # a copy: the outcome does not change
    assert "not a finding" not in outcome.analysis.findings
    assert check(QINGSHAN, strict=True).strict and not outcome.strict
    built = build(QINGSHAN, tmp_path / "out")
    assert isinstance(built, type(outcome)) and built.outdir == tmp_path / "out"
    assert {p.name for p in built.written} >= {"report.html", "report.docx", "validation.json", "manifest.json"}
    with pytest.raises(record.FrozenError):
        built.written = ()


def test_the_report_and_report_json_show_the_analysis_values_and_compute_none(tmp_path):
    """The renderers read Analysis.values: a value changed there (and only there) is what they show."""
    from reportc.render_json import report_dict
    from reportc.report import build_report

    analysis = check(QINGSHAN).analysis
    key = "t3.new.total"
    values = dict(analysis.values)
    values[key] = 123456
    changed = record.replace(analysis, values=MappingProxyType(values))
    report = build_report(changed)
    assert "123456" in [v for s in report.sections for v in s.cells.values()]
    assert "123456" not in [v for s in build_report(analysis).sections for v in s.cells.values()]
    cells = {c["key"]: c["value"] for c in report_dict(changed, report=report)["cells"]}
    assert cells[key] == 123456


def test_the_narrative_is_read_once_for_the_check_and_the_validation_report(monkeypatch):
    from reportc.narrative import reading
    from reportc.render_validation import render_validation_json

    calls = []
    read = reading._Reader.read
    monkeypatch.setattr(reading._Reader, "read", lambda self, key, text: calls.append(key) or read(self, key, text))
    outcome = check(QINGSHAN)
    assert calls and len(calls) == len(set(calls))  # each paragraph once
    read_by_check = len(calls)
    data = json.loads(render_validation_json(outcome))
    assert len(calls) == read_by_check  # validation.json reads no paragraph again
    assert len(data["narrative_numbers"]) == len(outcome.analysis.readings) > 0


def _edition(tmp_path, monkeypatch, change) -> str:
    """A copy of the 2021 edition as 2098 with its own common.toml changed by `change`."""
    folder = tmp_path / "editions" / "2098"
    shutil.copytree(TEMPLATES / "2021", folder)
    edition = folder / "edition.toml"
    edition.write_text(edition.read_text(encoding="utf-8").replace('edition = "2021"', 'edition = "2098"', 1),
                       encoding="utf-8")
    (folder / "common.toml").write_text(change((TEMPLATES / "common.toml").read_text(encoding="utf-8")),
                                        encoding="utf-8")
    monkeypatch.setenv(EDITIONS_PATH, str(tmp_path / "editions"))
    monkeypatch.setenv(CACHE_ENV, str(tmp_path / "cache"))
    clear()
    return "2098"


REWORDED = [
    ('changed = "锁定内容被改动：原为“{was}”，现为“{now}”。"', 'changed = "改过了：“{was}”变成“{now}”。"'),
    ('control = "{count} 个单元格含有', 'control = { severity = "info", message = "共{count}格：" }\nold_control = "{count} 个单元格含有'),
]


def test_findings_made_while_reading_are_worded_by_the_toml(tmp_path, monkeypatch):
    from make_hostile import edit_with_openpyxl, good_workbook

    def reword(text):
        for old, new in REWORDED:
            assert old in text
            text = text.replace(old, new)
        return text

    edition = _edition(tmp_path, monkeypatch, reword)
    try:
        good = good_workbook(edition, **{"s1__sub1__2": "正文\u200b中有控制字符"})
        path = tmp_path / "tampered.xlsx"
        path.write_bytes(edit_with_openpyxl(good, lambda wb: wb["三、依申请公开"].__setitem__("A6", "一、本年收到申请")))
        findings = check(path).findings
    finally:
        clear()
    m3 = next(f for f in findings if f.rule == "M3" and f.location == "三、依申请公开!A6")
    assert m3.severity == "error" and m3.message == "改过了：“一、本年新收政府信息公开申请数量”变成“一、本年收到申请”。"
    r4 = next(f for f in findings if f.rule == "R4")
    assert r4.severity == "info" and r4.message == "共1格："  # severity and wording from the TOML


def test_rewording_a_finding_keeps_the_workbooks_fingerprint(tmp_path, monkeypatch):
    edition = _edition(tmp_path, monkeypatch, lambda t: t)
    try:
        plain = load_edition(edition).spec.hash
        clear()
        _edition(tmp_path / "again", monkeypatch, lambda t: t.replace(*REWORDED[0]))
        assert load_edition(edition).spec.hash == plain
        clear()
        _edition(tmp_path / "titled", monkeypatch, lambda t: t.replace('title = "锁定内容未被改动"', 'title = "锁定内容"'))
        assert load_edition(edition).spec.hash != plain  # what the workbook shows still counts
    finally:
        clear()


@pytest.mark.parametrize("change, words", [
    (lambda t: t.replace('formula = "公式被改成了', 'formul = "公式被改成了'), ["common.toml", "M3", "messages", "formula"]),
    (lambda t: t.replace('id = "R4"', 'id = "R40"'), ["common.toml", "R4", "缺少这条规则"]),
    (lambda t: t.replace('note = { severity = "info", message = "{note}" }', 'note = { severity = "notice", message = "{note}" }'),
     ["common.toml", "D6", "messages.note.severity"]),
])
def test_an_edition_lacking_a_wording_the_reader_uses_is_refused(tmp_path, monkeypatch, change, words):
    from reportc.errors import CannotCheck

    edition = _edition(tmp_path, monkeypatch, change)
    try:
        with pytest.raises(CannotCheck) as err:
            load_edition(edition)
    finally:
        clear()
    text = str(err.value)
    assert all(w in text for w in words), text
