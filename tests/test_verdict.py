"""The three verdicts (不通过 / 须核实 / 可以发布), said the same way by check, validation.json/html and batch,
and the 情况说明 sheet that turns a warning a clerk has verified into an explained one."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from conftest import ROOT, assert_no_traceback, fill, run_cli
from openpyxl import load_workbook

from reportc import check
from reportc.explain import location_key, rule_key
from reportc.layout import explain_key, location
from reportc.reader import read_workbook
from reportc.spec import load_spec
from reportc.verdict import FAIL, PASS, VERIFY

EXAMPLE = ROOT / "examples" / "qingshan-minzheng-2025.xlsx"  # 83/83 checks pass, no finding
SPEC = load_spec("2021")


def _key_with(text: str) -> str:
    texts = read_workbook(EXAMPLE).data.texts
    return next(k for k, v in texts.items() if text in v)


def _twenty_five(tmp_path: Path, name: str = "s6.xlsx", **extra) -> tuple[Path, str]:
    """The issue's example: “申请二十五件” beside a table whose 新收 is 42 (the example's)."""
    key = _key_with("共收到政府信息公开申请42件")
    text = read_workbook(EXAMPLE).data.texts[key].replace("申请42件", "申请二十五件")
    return fill(tmp_path / name, template=EXAMPLE, values={key: text, **extra}), location(SPEC, key)


def _explain(n: int, rule: str, where: str, text: str) -> dict:
    return {explain_key(n, "rule"): rule, explain_key(n, "location"): where, explain_key(n, "text"): text}


def cli(*args):
    result = run_cli(*args)
    assert_no_traceback(result)
    return result


def test_clean_example_is_publishable():
    outcome = check(EXAMPLE)
    assert outcome.verdict == PASS and not outcome.findings


def test_unexplained_warning_is_verify_not_publish(tmp_path):
    path, where = _twenty_five(tmp_path)
    result = cli("check", path)
    assert result.returncode == 0  # 须核实 is not an error: exit 0 without --strict
    assert f"[提醒][规则S6] {where}\n" in result.stdout
    # under the warning: exactly what to copy into 情况说明
    assert f"如核实无误，请在“情况说明”表写明原因：规则填 规则S6，位置填 {where}\n" in result.stdout
    assert "结论：须核实。没有错误，有1项提醒未说明" in result.stdout
    assert "可以发布" not in result.stdout
    data = json.loads(cli("check", "--json", path).stdout)
    assert data["verdict"] == VERIFY and data["counts"]["explained"] == 0
    strict = cli("check", "--strict", path)
    assert strict.returncode == 1 and "结论：须核实（按 --strict 视为不通过）" in strict.stdout


def test_explained_warning_publishes(tmp_path):
    # typed as a clerk might: rule without 规则, full-width letters, quoted sheet, $ signs, spaces
    sheet, cell = location(SPEC, _key_with("共收到政府信息公开申请42件")).split("!")
    typed = f" '{sheet}'!${cell[0]}${cell[1:]} ".replace("!", "！")
    why = "经核实，另有7件为上年结转的申请，表述无误。<b>=1+1</b>"
    path, where = _twenty_five(tmp_path, **_explain(1, "ｓ６", typed, why))
    outcome = check(path)
    assert not outcome.workbook.findings, outcome.workbook.findings  # the tamper check allows the sheet
    assert outcome.verdict == PASS and outcome.open_warnings == 0 and outcome.warnings == 1
    s6 = next(f for f in outcome.findings if f.rule == "S6")
    assert s6.explanation == why and s6.explanation_cell == location(SPEC, explain_key(1, "text"))
    result = cli("check", "--strict", path)
    assert result.returncode == 0
    assert "[提醒][规则S6] " + where + "（已说明）" in result.stdout
    assert "结论：可以发布。没有错误，提醒1项，均已说明。" in result.stdout
    out = tmp_path / "out"
    built = cli("build", "--strict", path, "-o", out)
    assert built.returncode == 0 and (out / "report.html").is_file()
    html = (out / "validation.html").read_text(encoding="utf-8")
    banner = re.search(r'<p class="summary (\w+)"[^>]*>(.*?)</p>', html).groups()
    assert banner[0] == "pass" and banner[1].startswith("<strong>可以发布</strong>没有错误，提醒1项，均已说明。")
    # the explanation beside its finding, escaped like any clerk text
    row = next(r for r in html.split("<tr") if "规则S6" in r and "class=\"warning\"" in r)
    assert "情况说明（<code>情况说明!C4</code>）：经核实，另有7件为上年结转的申请，表述无误。&lt;b&gt;=1+1&lt;/b&gt;" in row
    assert json.loads((out / "validation.json").read_text(encoding="utf-8"))["verdict"] == PASS


def test_explanation_on_an_error_is_shown_but_does_not_pass(tmp_path):
    bad = "t3.new.natural"
    path = fill(tmp_path / "err.xlsx", template=EXAMPLE,
                values={bad: "无", **_explain(1, "规则D6", location(SPEC, bad), "确实没有")})
    outcome = check(path)
    d6 = next(f for f in outcome.findings if f.rule == "D6")
    assert d6.severity == "error" and d6.explanation == "确实没有"
    assert outcome.verdict == FAIL
    result = cli("check", path)
    assert result.returncode == 1 and "结论：不通过。" in result.stdout
    assert "情况说明（情况说明!C4）：确实没有（错误不能靠说明通过，请改正）" in result.stdout
    out = tmp_path / "out"
    cli("build", path, "-o", out)
    html = (out / "validation.html").read_text(encoding="utf-8")
    assert '<p class="summary error" role="status"><strong>不通过</strong>' in html
    assert "确实没有（错误不能靠说明通过，须改正）" in html


def test_unused_and_incomplete_explanations_are_warnings(tmp_path):
    """A stale explanation (its finding gone, or the wrong cell) is listed, so it hides nothing."""
    path, where = _twenty_five(tmp_path, **_explain(1, "规则S6", "一、总体情况!B99", "旧的说明"),
                               **_explain(2, "", "", "只写了说明"))
    outcome = check(path)
    e1 = [f for f in outcome.findings if f.rule == "E1"]
    assert [(f.severity, f.location) for f in e1] == [("warning", "情况说明!A4:C4"), ("warning", "情况说明!A5:C5")]
    assert "没有对应的问题" in e1[0].message and "没有填写规则" in e1[1].message
    s6 = next(f for f in outcome.findings if f.rule == "S6")
    assert s6.location == where and s6.explanation is None  # the new warning stays open
    assert outcome.verdict == VERIFY and outcome.open_warnings == 3
    # an explanation whose finding was fixed: the example itself plus a leftover row
    fixed = check(fill(tmp_path / "fixed.xlsx", template=EXAMPLE, values=_explain(1, "规则S6", where, "已改正前的说明")))
    assert fixed.verdict == VERIFY and [f.rule for f in fixed.findings] == ["E1"]


@pytest.mark.parametrize("typed, expected", [
    ("规则S6", "S6"), ("s6", "S6"), ("ｓ６", "S6"), (" 规则 S6 ", "S6"), ("规则Ｄ１０", "D10")])
def test_rule_key(typed, expected):
    assert rule_key(typed) == expected


@pytest.mark.parametrize("typed", ["一、总体情况!B37", "'一、总体情况'!$B$37", "一、总体情况！b37", " 一、总体情况 ! B37 ",
                                   "‘一、总体情况’!B$37"])
def test_location_key(typed):
    assert location_key(typed) == "一、总体情况!B37"
    assert location_key("三、依申请公开!d6:i28") == location_key("'三、依申请公开'!$D$6:$I$28") == "三、依申请公开!D6:I28"
    assert location_key("一、总体情况!B37") != location_key("一、总体情况!B38")


def test_d10_limit_depends_on_the_kind_of_body(tmp_path):
    """淮安市人民政府 2024 published 行政事业性收费 of 96171.6 万元: a city's sum, not 元 typed as 万元."""
    city = check(fill(tmp_path / "city.xlsx", template=EXAMPLE,
                      values={"info.org": "淮安市人民政府", "t2.fees.amount": 96171.6}))
    assert not [f for f in city.findings if f.rule == "D10"]
    office = check(fill(tmp_path / "office.xlsx", template=EXAMPLE,
                        values={"info.org": "淮安市人民政府办公室", "t2.fees.amount": 96171.6}))
    assert not [f for f in office.findings if f.rule == "D10"]
    bureau = check(fill(tmp_path / "bureau.xlsx", template=EXAMPLE,
                        values={"info.org": "淮安市民政局", "t2.fees.amount": 96171.6}))
    d10 = [f for f in bureau.findings if f.rule == "D10"]
    assert [(f.location, f.left) for f in d10] == [(location(SPEC, "t2.fees.amount"), "96171.6")]
    # a government's bound is higher, not absent
    huge = check(fill(tmp_path / "huge.xlsx", template=EXAMPLE,
                      values={"info.org": "淮安市人民政府", "t2.fees.amount": 96171600}))
    assert [f.rule for f in huge.findings if f.rule == "D10"] == ["D10"]


def test_batch_shows_each_verdict(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    (src / "a-clean.xlsx").write_bytes(EXAMPLE.read_bytes())
    path, where = _twenty_five(src, "b-verify.xlsx")
    _twenty_five(src, "c-explained.xlsx", **_explain(1, "规则S6", where, "经核实无误。"))
    fill(src / "d-fail.xlsx", template=EXAMPLE, values={"t3.new.natural": "无"})
    out = tmp_path / "out"
    result = cli("batch", src, "-o", out, "--jobs", "1")
    assert result.returncode == 1  # d-fail
    assert "可以发布 2 个，须核实 1 个，不通过 1 个，无法读取 0 个" in result.stdout
    rows = list(load_workbook(out / "summary.xlsx")["汇总"].iter_rows(values_only=True))
    head = rows[0]
    got = {r[head.index("文件")]: (r[head.index("结论")], r[head.index("提醒")], r[head.index("已说明")]) for r in rows[1:]}
    assert got["a-clean.xlsx"] == (PASS, 0, 0) and got["b-verify.xlsx"] == (VERIFY, 1, 0)
    assert got["c-explained.xlsx"] == (PASS, 1, 1) and got["d-fail.xlsx"][0] == FAIL
    verify_note = next(r for r in rows[1:] if r[head.index("文件")] == "b-verify.xlsx")[head.index("说明")]
    assert verify_note.startswith(where) and "（规则S6）" in verify_note
    index = (out / "index.html").read_text(encoding="utf-8")
    assert "可以发布 2 个，须核实 1 个，不通过 1 个，无法读取 0 个" in index
    for file, css, word in (("a-clean", "pass", PASS), ("b-verify", "warning", VERIFY), ("d-fail", "error", FAIL)):
        assert re.search(rf'<code>{file}\.xlsx</code></td><td class="{css}">{word}</td>', index), file
    assert '<td class="count">1（已说明 1）</td>' in index



def test_guide_explained_example_is_real_output(tmp_path):
    """docs/使用说明.md's 情况说明 example: the table row it shows, filled in, gives the output it shows."""
    from test_docs import _doc_workbook, _guide_blocks

    path = _doc_workbook(tmp_path, 16, False)
    guide = (ROOT / "docs" / "使用说明.md").read_text(encoding="utf-8")
    row = re.search(r"^\| (规则S6) \| (\S+) \| (\S+) \|$", guide, re.M).groups()
    fill(path, template=path, values=_explain(1, *row))
    result = run_cli("check", path.name, cwd=tmp_path)
    assert_no_traceback(result)
    block = next(b for b in _guide_blocks() if b.startswith("$ reportc check") and "已说明" in b)
    assert result.returncode == 0 and block.split("\n", 1)[1].strip() == result.stdout.strip(), result.stdout


def test_a_workbook_of_the_previous_format_gets_a_clear_message(tmp_path):
    """Workbooks made before the 情况说明 sheet (format 2) are told to move their entries into a new one."""
    from make_hostile import edit_with_openpyxl

    def old_format(wb):
        for row in wb["_reportc"].iter_rows():
            if row[0].value == "format":
                row[1].value = "reportc-workbook/2"

    path = tmp_path / "旧工作簿.xlsx"
    path.write_bytes(edit_with_openpyxl(EXAMPLE.read_bytes(), old_format))
    result = cli("check", path)
    assert result.returncode == 2
    first, hint = result.stderr.strip().splitlines()[:2]
    assert "旧版 reportc 生成的工作簿" in first and "“情况说明”表" in first and "升级" not in result.stderr
    assert "reportc new" in hint


def test_validation_json_keys_are_documented(tmp_path):
    """docs/模板说明.md's validation.json table (compiler/pages.py) names every key, and only those."""
    from reportc.pages import VALIDATION_JSON

    path, _ = _twenty_five(tmp_path)
    plain = json.loads(cli("check", "--json", path).stdout)
    strict = json.loads(cli("check", "--json", "--strict", path).stdout)
    documented = {k for k, _, _ in VALIDATION_JSON}
    assert set(plain) | set(strict) == documented
    assert set(plain["counts"]) == {"error", "warning", "info", "explained"}
