"""Issue 12: guard rails and words for people (items 1, 3, 4, 5, 6, 8, 9).

Each test names the item it proves. The command line is run as a fresh process, as a clerk runs it.
"""

from __future__ import annotations

import json
import random
from decimal import Decimal

import pytest
from conftest import assert_no_traceback, run_cli
from gen import consistent_numbers, texts

from reportc import build, check
from reportc.api import new
from reportc.filenames import default_filename
from reportc.errors import UsageProblem
from reportc.fill import fill_workbook
from reportc.layout import location
from reportc.previous import same_org
from reportc.spec import load_spec
from reportc.values import parse_number
from reportc.workbook import build_workbook


def _cell(v):
    return float(v) if isinstance(v, Decimal) else v


def workbook(tmp_path, name, org="测试县民政局", year=2025, edition="2021", seed=1, **changes):
    spec = load_spec(edition)
    rng = random.Random(seed)
    values = {**consistent_numbers(spec, rng), **texts(spec, rng, org=org, year=year)}
    values.update({k.replace("__", "."): v for k, v in changes.items()})
    path = tmp_path / name
    fill_workbook(spec, build_workbook(spec, org, year), {k: _cell(v) for k, v in values.items()}, path)
    return path


# ---- item 1: --previous guard rails ---------------------------------------------------

def test_item1_org_names_compare_without_spaces_and_bracket_styles():
    assert same_org("某县民政局（老龄办）", " 某县 民政局(老龄办)")
    assert same_org("某县民政局【老龄办】", "某县民政局（老龄办）")
    assert not same_org("某县民政局", "某县财政局")


@pytest.mark.parametrize("org,year,words", [
    ("某县财政局", 2024, ["机关名称为“某县财政局”"]),  # another body
    ("测试县民政局", 2025, ["年度为2025年度"]),  # this year's
    ("测试县民政局", 2026, ["年度为2026年度"]),  # next year's
    ("测试县民政局", 2023, ["年度为2023年度"]),  # two years old
])
def test_item1_check_refuses_a_previous_workbook_of_another_body_or_year(tmp_path, org, year, words):
    this = workbook(tmp_path, "this.xlsx", year=2025)
    last = workbook(tmp_path, "last.xlsx", org=org, year=year, seed=2)
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


def test_item1_previous_any_overrides_and_is_recorded(tmp_path):
    this = workbook(tmp_path, "this.xlsx", org="测试县民政局（老龄办）", year=2025)
    last = workbook(tmp_path, "last.xlsx", org="测试县民政局 (老龄办)", year=2024, seed=2)
    last_renamed = workbook(tmp_path, "renamed.xlsx", org="测试县社会事务局", year=2024, seed=2)
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


def test_item1_new_refuses_another_bodys_workbook_and_warns_about_errors(tmp_path):
    other = workbook(tmp_path, "other.xlsx", org="某县财政局", year=2024)
    with pytest.raises(UsageProblem, match="某县财政局"):
        new(org="测试县民政局", previous=other, output=tmp_path / "a.xlsx")
    assert not (tmp_path / "a.xlsx").exists()
    # a previous workbook with errors: the new workbook is written, with a warning
    bad = workbook(tmp_path, "bad.xlsx", year=2024, t3__new__natural="9件")
    result = run_cli("new", "--previous", bad, "-o", tmp_path / "b.xlsx")
    assert result.returncode == 0, result.stderr
    assert "提醒：上一年度工作簿“bad.xlsx”有 " in result.stderr and "项错误" in result.stderr
    assert (tmp_path / "b.xlsx").is_file()
    # with --previous-any the renamed body's workbook is used; the override is kept in the workbook
    notes = []
    path = new(org="测试县民政局", previous=other, previous_any=True, output=tmp_path / "c.xlsx", notes=notes)
    assert notes and "--previous-any" in notes[0]
    assert [f for f in check(path).findings if f.rule == "S5" and f.severity == "warning"]


def test_item1_editions_that_cannot_be_compared_are_a_note_not_null(tmp_path):
    last = workbook(tmp_path, "last.xlsx", year=2020, edition="2019")
    this = workbook(tmp_path, "this.xlsx", year=2021, edition="2021")
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


# ---- item 3: one option vocabulary ----------------------------------------------------

def test_item3_merge_allow_errors_and_old_force(tmp_path):
    a = workbook(tmp_path, "a.xlsx", org="甲局", seed=1)
    b = workbook(tmp_path, "b.xlsx", org="乙局", seed=2, t3__new__natural="9件")
    out = tmp_path / "汇总.xlsx"
    refused = run_cli("merge", a, b, "-o", out, "--org", "某县人民政府")
    assert refused.returncode == 1 and "--allow-errors" in refused.stderr
    ok = run_cli("merge", a, b, "-o", out, "--org", "某县人民政府", "--allow-errors")
    assert ok.returncode == 0, ok.stderr
    again = run_cli("merge", a, b, "-o", out, "--org", "某县人民政府", "--allow-errors")
    assert again.returncode == 2 and "--overwrite" in again.stderr
    old = run_cli("merge", a, b, "-o", out, "--org", "某县人民政府", "--force", "--overwrite")
    assert old.returncode == 0 and "--force 已改名为 --allow-errors" in old.stderr
    help_text = run_cli("merge", "--help").stdout
    assert "--allow-errors" in help_text and "--force" not in help_text


def test_item3_build_keeps_another_reports_files_unless_overwrite(tmp_path):
    a = workbook(tmp_path, "a.xlsx", org="甲局")
    b = workbook(tmp_path, "b.xlsx", org="乙局", seed=2)
    out = tmp_path / "out"
    build(a, out, overwrite=False)
    before = (out / "report.html").read_bytes()
    build(a, out, overwrite=False)  # the same report rebuilt: replaced without asking
    with pytest.raises(UsageProblem, match="甲局2025年度"):
        build(b, out, overwrite=False)
    assert (out / "report.html").read_bytes() == before
    result = run_cli("build", b, "-o", out)
    assert result.returncode == 2 and "--overwrite" in result.stderr
    assert run_cli("build", b, "-o", out, "--overwrite").returncode == 0
    assert "乙局" in json.loads((out / "validation.json").read_text(encoding="utf-8"))["org"]


# ---- item 4: rule ids cannot be read as cells -----------------------------------------

def test_item4_rule_ids_are_tagged_in_terminal_html_and_json(tmp_path):
    path = workbook(tmp_path, "a.xlsx", t3__granted__natural="12件")
    result = run_cli("check", path)
    assert "[错误][规则D6] 三、依申请公开!" in result.stdout
    assert "] D6 " not in result.stdout and "[错误] D6" not in result.stdout
    data = json.loads(run_cli("check", path, "--json").stdout)
    d6 = next(f for f in data["findings"] if f["rule"] == "D6")
    assert d6["rule"] == "D6" and d6["rule_tag"] == "规则D6"
    build(path, tmp_path / "out")
    html = (tmp_path / "out" / "validation.html").read_text(encoding="utf-8")
    assert ">规则D6</td>" in html and ">D6</td>" not in html and ">规则O1</td>" in html


# ---- item 5: one typo, one message ----------------------------------------------------

def test_item5_a_typo_says_how_it_was_counted_and_groups_what_follows(tmp_path):
    spec = load_spec("2021")
    key = "t3.new.natural"
    path = workbook(tmp_path, "typo.xlsx", t3__new__natural="9件",
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


def test_item5_narrative_mismatch_is_linked_to_the_cell_it_quotes(tmp_path):
    from reportc.checks import compute_values

    spec = load_spec("2021")
    numbers = consistent_numbers(spec, random.Random(1))
    key = next(k for k in ("t3.new.natural", "t3.new.commercial", "t3.new.legal", "t3.new.other_org") if numbers[k])
    # the narrative quotes the true total, but one part of it was typed with a unit (read as 0)
    total = compute_values(spec, numbers)["t3.new.total"]
    path = workbook(tmp_path, "s6.xlsx", **{key.replace(".", "__"): f"{numbers[key]}件"},
                    s1__intro__1=f"本年度共收到政府信息公开申请{total}件。")
    outcome = check(path)
    s6 = [f for f in outcome.findings if f.rule == "S6"]
    assert s6 and s6[0].caused_by == {"rule": "D6", "location": location(spec, key)}


def test_item5_sum_imbalance_from_blank_cells_points_to_the_blank_warning(tmp_path):
    spec = load_spec("2021")
    rng = random.Random(1)
    numbers = consistent_numbers(spec, rng)
    key = next(k for k in ("t3.new.natural", "t3.new.commercial", "t3.new.legal") if numbers[k])
    path = workbook(tmp_path, "blank.xlsx", **{key.replace(".", "__"): None})
    outcome = check(path)
    d7 = next(f for f in outcome.findings if f.rule == "D7")
    o1 = [f for f in outcome.findings if f.rule == "O1"]
    assert o1 and all(f.caused_by == {"rule": "D7", "location": d7.location} for f in o1)


# ---- item 6: units --------------------------------------------------------------------

@pytest.mark.parametrize("raw,words", [
    ("251000元", ["251000元 = 25.1万元，请填 25.1"]),
    ("12345.67元", ["1.234567万元", "请填 1.2346"]),
    ("2.5亿元", ["2.5亿元 = 25000万元，请填 25000"]),
    ("25.1万元", ["请去掉单位，只填25.1"]),
])
def test_item6_units_in_an_amount_cell_are_converted(raw, words):
    parsed = parse_number(raw, "amount", 4)
    assert parsed.value == 0
    for w in words:
        assert w in parsed.problem
    assert "只填251000" not in parsed.problem


def test_item6_yuan_in_the_workbook_and_amount_that_looks_like_yuan(tmp_path):
    spec = load_spec("2021")
    cell = location(spec, "t2.fees.amount")
    typed = workbook(tmp_path, "typed.xlsx", t2__fees__amount="251000元")
    result = run_cli("check", typed)
    assert f"[错误][规则D6] {cell}" in result.stdout and "251000元 = 25.1万元，请填 25.1" in result.stdout
    big = workbook(tmp_path, "big.xlsx", t2__fees__amount=251000)
    d10 = [f for f in check(big).findings if f.rule == "D10"]
    assert len(d10) == 1 and d10[0].severity == "warning" and d10[0].location == cell
    assert "25.1亿元" in d10[0].message and "应填 25.1" in d10[0].message
    normal = workbook(tmp_path, "normal.xlsx", t2__fees__amount=12.5)
    assert not [f for f in check(normal).findings if f.rule == "D10"]
    # the bound is specification data
    d10_rule = next(r for r in spec.rules if r.id == "D10")
    bound = d10_rule.params["limits"]["fees.amount"]
    edge = workbook(tmp_path, "edge.xlsx", t2__fees__amount=bound - 1)
    assert not [f for f in check(edge).findings if f.rule == "D10"]


def test_item6_procurement_amount_2019(tmp_path):
    big = workbook(tmp_path, "p.xlsx", year=2020, edition="2019", t2__procurement__amount=12_000_000)
    assert [f for f in check(big).findings if f.rule == "D10"]


# ---- item 8: the command line speaks Chinese everywhere -------------------------------

ENGLISH = ("Usage", "Error", "No such", "Did you mean", "Missing", "Invalid value", "requires", "Got unexpected",
           "does not take", "is not")


@pytest.mark.parametrize("args,words", [
    (["bild"], ["没有“bild”这个命令", "reportc build"]),
    (["check"], ["缺少“工作簿”", "reportc check --help"]),
    (["merge", "a.xlsx", "b.xlsx", "--org", "某县"], ["缺少选项 -o/--output"]),
    (["check", "--previous"], ["选项 --previous 后面缺少要填写的值", "reportc check --help"]),
    (["check", "--bogus", "a.xlsx"], ["没有“--bogus”这个选项"]),
    (["check", "--previus", "x", "a.xlsx"], ["没有“--previus”这个选项", "--previous"]),
    (["new", "--year", "abc"], ["选项 --year 的值不正确", "“abc”不是整数"]),
    (["new", "--edition", "2020"], ["不支持的报告格式版本“2020”", "2019、2021"]),
    (["new", "--overwrite=yes"], ["选项 --overwrite 不带值"]),
    (["check", "a.xlsx", "b.xlsx"], ["多余的参数：b.xlsx"]),
    (["check", "不存在.xlsx"], ["找不到文件"]),
])
def test_item8_every_usage_error_is_chinese(tmp_path, args, words):
    result = run_cli(*args, cwd=tmp_path)
    assert_no_traceback(result)
    assert result.returncode == 2, result.stderr
    for w in words:
        assert w in result.stderr, result.stderr
    for english in ENGLISH:
        assert english not in result.stderr, result.stderr


def test_item8_unknown_command_suggests_once():
    result = run_cli("bild")
    assert result.stderr.count("reportc build") == 1 and result.stderr.count("您是不是要用") == 1


def test_item8_reportc_alone_shows_the_help():
    result = run_cli()
    assert result.returncode == 0
    assert "用法：reportc" in result.stdout and "命令用法有误" not in result.stdout + result.stderr


def test_item8_batch_on_a_file_suggests_build(tmp_path):
    path = workbook(tmp_path, "某文件.xlsx")
    result = run_cli("batch", path)
    assert result.returncode == 2
    assert "是一个文件，不是文件夹" in result.stderr and f"reportc build {path}" in result.stderr
    assert "找不到文件夹" not in result.stderr


# ---- item 9: reportc new ends with the next step --------------------------------------

def test_item9_new_says_what_to_do_next_with_a_copyable_name(tmp_path):
    result = run_cli("new", "--year", "2025", "--org", "某县 民政局（老龄办）", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    name = "某县民政局-老龄办-2025-填报.xlsx"
    assert (tmp_path / name).is_file()
    assert f"reportc check {name}" in result.stdout and f"reportc build {name}" in result.stdout
    assert result.stdout.index("填写") < result.stdout.index("reportc check")
    assert default_filename("某县民政局", 2025) == "某县民政局-2025-填报.xlsx"


def test_item9_docs_show_commands_that_can_be_copied():
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    docs = root / "docs"
    for name in ("docs/使用说明.md", "docs/县级汇总工作流程.md", "README.md"):
        text = (root / name).read_text(encoding="utf-8")
        for line in text.splitlines():
            if "reportc " in line and line.lstrip().startswith(("reportc", "$ reportc")):
                assert "…" not in line and "（填报）" not in line, f"{name}: {line}"
    guide = (docs / "使用说明.md").read_text(encoding="utf-8")
    assert "--overwrite" in guide and "--allow-errors" in guide and "--previous-any" in guide
    assert "规则D6" in guide and "可能由上面的单元格引起" in guide


def test_item8_edition_choice_lists_the_editions_reportc_has(tmp_path):
    from reportc.spec import available_editions

    result = run_cli("new", "--edition", "1999", cwd=tmp_path)
    assert result.returncode == 2 and "、".join(available_editions()) in result.stderr
    assert not list(tmp_path.iterdir())
