"""One analysis per workbook (analysis.analyse): built once, never changed, read by every output;
the rules reported outside the 校验 sheet worded by the edition's TOML like every other rule."""

from __future__ import annotations

import dataclasses
import json
import shutil
import sys
from pathlib import Path
from types import MappingProxyType

import pytest

from reportc import build, check
from reportc.edition import CACHE_ENV, clear, load_edition
from reportc.spec import EDITIONS_PATH

ROOT = Path(__file__).resolve().parents[1]
QINGSHAN = ROOT / "examples" / "qingshan-minzheng-2025.xlsx"
TEMPLATES = ROOT / "xlsx_templates"
sys.path.insert(0, str(Path(__file__).parent))


def test_an_outcome_is_made_once_and_never_changed(tmp_path):
    outcome = check(QINGSHAN)
    with pytest.raises(dataclasses.FrozenInstanceError):
        outcome.strict = True
    with pytest.raises(dataclasses.FrozenInstanceError):
        outcome.analysis.findings = ()
    outcome.findings.append("not a finding")  # a copy: the outcome does not change
    assert "not a finding" not in outcome.analysis.findings
    assert check(QINGSHAN, strict=True).strict and not outcome.strict
    built = build(QINGSHAN, tmp_path / "out")
    assert isinstance(built, type(outcome)) and built.outdir == tmp_path / "out"
    assert {p.name for p in built.written} >= {"report.html", "report.docx", "validation.json", "manifest.json"}
    with pytest.raises(dataclasses.FrozenInstanceError):
        built.written = ()


def test_the_report_and_report_json_show_the_analysis_values_and_compute_none(tmp_path):
    """The renderers read Analysis.values: a value changed there (and only there) is what they show."""
    from reportc.render_json import report_dict
    from reportc.report import build_report

    analysis = check(QINGSHAN).analysis
    key = "t3.new.total"
    values = dict(analysis.values)
    values[key] = 123456
    changed = dataclasses.replace(analysis, values=MappingProxyType(values))
    report = build_report(changed)
    assert "123456" in [v for s in report.sections for v in s.cells.values()]
    assert "123456" not in [v for s in build_report(analysis).sections for v in s.cells.values()]
    cells = {c["key"]: c["value"] for c in report_dict(changed, report=report)["cells"]}
    assert cells[key] == 123456


def test_the_narrative_is_read_once_for_the_check_and_the_validation_report(monkeypatch):
    from reportc import narrative
    from reportc.render_validation import render_validation_json

    calls = []
    read = narrative._Reader.read
    monkeypatch.setattr(narrative._Reader, "read", lambda self, key, text: calls.append(key) or read(self, key, text))
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
