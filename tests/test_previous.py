"""Last year's workbook (--previous): whose and which year's it must be, --previous-any, editions
that cannot be compared. The command line is run as a fresh process, as a clerk runs it."""

from __future__ import annotations

import json

import pytest
from conftest import assert_no_traceback, run_cli

from reportc import check
from reportc.api import new
from reportc.errors import UsageProblem
from reportc.previous import same_org


def test_org_names_compare_without_spaces_and_bracket_styles():
    assert same_org("某县民政局（老龄办）", " 某县 民政局(老龄办)")
    assert same_org("某县民政局【老龄办】", "某县民政局（老龄办）")
    assert not same_org("某县民政局", "某县财政局")


@pytest.mark.parametrize("org,year,words", [
    ("某县财政局", 2024, ["机关名称为“某县财政局”"]),  # another body
    ("测试县民政局", 2025, ["年度为2025年度"]),  # this year's
    ("测试县民政局", 2026, ["年度为2026年度"]),  # next year's
    ("测试县民政局", 2023, ["年度为2023年度"]),  # two years old
])
def test_check_refuses_a_previous_workbook_of_another_body_or_year(tmp_path, org, year, words, filled_workbook):
    this = filled_workbook("this.xlsx", year=2025)
    last = filled_workbook("last.xlsx", org=org, year=year, seed=2)
    result = run_cli("check", this, "--previous", last)
    assert_no_traceback(result)
    assert result.returncode == 2
    assert "上一年度工作簿应为“测试县民政局”2024年度的工作簿" in result.stderr and "“last.xlsx”" in result.stderr
    for w in words:
        assert w in result.stderr, result.stderr
    assert "--previous-any" in result.stderr
    # build refuses the same way and writes nothing
    out = tmp_path / "out"
    assert run_cli("build", this, "--previous", last, "-o", out).returncode == 2
    assert not out.exists()


def test_previous_any_overrides_and_is_recorded(tmp_path, filled_workbook):
    this = filled_workbook("this.xlsx", org="测试县民政局（老龄办）", year=2025)
    last = filled_workbook("last.xlsx", org="测试县民政局 (老龄办)", year=2024, seed=2)
    last_renamed = filled_workbook("renamed.xlsx", org="测试县社会事务局", year=2024, seed=2)
    assert not [f for f in check(this, last).findings if f.rule == "S5"]  # bracket style only: the same body
    with pytest.raises(UsageProblem):
        check(this, last_renamed)
    outcome = check(this, last_renamed, previous_any=True)
    s5 = [f for f in outcome.findings if f.rule == "S5"]
    assert len(s5) == 1 and s5[0].severity == "warning" and "--previous-any" in s5[0].message
    assert "测试县社会事务局" in s5[0].message
    result = run_cli("check", this, "--previous", last_renamed, "--previous-any", "--json")
    data = json.loads(result.stdout)
    assert data["previous"]["used"] and data["previous"]["file"] == "renamed.xlsx"
    assert "--previous-any" in data["previous"]["override"]
    assert any(f["rule"] == "S5" for f in data["findings"])


def test_new_refuses_another_bodys_workbook_and_warns_about_errors(tmp_path, filled_workbook):
    other = filled_workbook("other.xlsx", org="某县财政局", year=2024)
    with pytest.raises(UsageProblem, match="某县财政局"):
        new(org="测试县民政局", previous=other, output=tmp_path / "a.xlsx")
    assert not (tmp_path / "a.xlsx").exists()
    # a previous workbook with errors: the new workbook is written, with a warning
    bad = filled_workbook("bad.xlsx", year=2024, t3__new__natural="9件")
    result = run_cli("new", "--previous", bad, "-o", tmp_path / "b.xlsx")
    assert result.returncode == 0, result.stderr
    assert "提醒：上一年度工作簿“bad.xlsx”有 " in result.stderr and "项错误" in result.stderr
    assert (tmp_path / "b.xlsx").is_file()
    # with --previous-any the renamed body's workbook is used; the override is kept in the workbook
    notes = []
    path = new(org="测试县民政局", previous=other, previous_any=True, output=tmp_path / "c.xlsx", notes=notes)
    assert notes and "--previous-any" in notes[0]
    assert [f for f in check(path).findings if f.rule == "S5" and f.severity == "warning"]


def test_editions_that_cannot_be_compared_are_a_note_not_null(tmp_path, filled_workbook):
    last = filled_workbook("last.xlsx", year=2020, edition="2019")
    this = filled_workbook("this.xlsx", year=2021, edition="2021")
    outcome = check(this, last)
    notes = [f for f in outcome.findings if f.rule == "S5"]
    assert len(notes) == 1 and notes[0].severity == "info"
    assert "2019版" in notes[0].message and "规则S2" in notes[0].message
    data = json.loads(run_cli("check", this, "--previous", last, "--json").stdout)
    assert data["previous"]["used"] is True
    assert data["previous"]["edition"] == "2019" and "S1" in data["previous"]["compared_rules"]
    assert {"S2", "S3"} <= set(data["previous"]["skipped_rules"]) and "S2" in data["previous"]["note"]
    plain = json.loads(run_cli("check", this, "--json").stdout)
    assert plain["previous"]["used"] is False and plain["previous"]["note"]

