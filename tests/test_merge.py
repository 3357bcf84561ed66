"""`reportc merge`: the county roll-up."""

from __future__ import annotations

import hashlib
import random

from conftest import assert_no_traceback, fill, run_cli
from gen import texts

from reportc import build, check
from reportc.checks import compute_values, input_keys
from reportc.fill import fill_workbook
from reportc import merge
from reportc.writer import SOURCES_SHEET


def body(spec, year, tmp_path, name, seed, **changes):
    return fill(tmp_path / f"{name}.xlsx", edition=spec.edition, org=name, year=year, seed=seed, **changes)


def test_merge_of_three_bodies_is_the_cellwise_sum_and_builds(spec, year, tmp_path):
    files = [body(spec, year, tmp_path, f"单位{i}", seed=i) for i in range(3)]
    out, outcomes = merge(files, tmp_path / "汇总.xlsx", "某县人民政府")
    merged = check(out)
    inputs = [check(f).workbook.data.numbers for f in files]
    want = {k: sum((n[k] for n in inputs), 0) for k in input_keys(spec)}
    assert merged.workbook.data.numbers == want
    assert {f.rule for f in merged.findings if f.severity == "error"} == {"R2"}  # narrative left to the office
    assert not [f for f in merged.findings if f.rule in ("M3", "D6", "D7", "O1")]
    # the office writes the narrative; then it builds like any other workbook
    rng = random.Random(1)
    filled = tmp_path / "汇总-已填.xlsx"
    fill_workbook(spec, out.read_bytes(), texts(spec, rng, org="某县人民政府", year=year), filled)
    outcome = build(filled, tmp_path / "site")
    assert outcome.errors == 0, outcome.findings
    totals = compute_values(spec, want)
    md = (tmp_path / "site" / "report.md").read_text(encoding="utf-8")
    assert "| 一、本年新收政府信息公开申请数量 | " in md and str(totals["t3.new.total"]) in md
    from openpyxl import load_workbook

    sources = load_workbook(out)[SOURCES_SHEET]
    rows = [r for r in sources.iter_rows(min_row=5, values_only=True) if r[0]]
    assert [(r[1], r[2], r[3]) for r in rows] == [
        (f"单位{i}", f.name, hashlib.sha256(f.read_bytes()).hexdigest()) for i, f in enumerate(files)]


def test_merged_numbers_are_locked_and_tamper_evident(spec, year, tmp_path):
    from openpyxl import load_workbook

    files = [body(spec, year, tmp_path, f"单位{i}", seed=10 + i) for i in range(2)]
    out, _ = merge(files, tmp_path / "汇总.xlsx", "某县人民政府")
    wb = load_workbook(out)
    assert wb["三、依申请公开"]["D6"].protection.locked is not False
    wb["三、依申请公开"].protection.sheet = False
    wb["三、依申请公开"]["D6"] = 12345
    wb.save(tmp_path / "改过.xlsx")
    findings = check(tmp_path / "改过.xlsx").findings
    assert any(f.rule == "M3" and f.location == "三、依申请公开!D6" for f in findings)


def test_merge_refuses_mixed_years_editions_and_failing_inputs(tmp_path):
    from reportc.spec import load_spec

    s21, s19 = load_spec("2021"), load_spec("2019")
    a = body(s21, 2025, tmp_path, "甲", 1)
    b = body(s21, 2024, tmp_path, "乙", 2)
    c = body(s19, 2020, tmp_path, "丙", 3)
    d = body(s21, 2025, tmp_path, "丁", 4, **{"t3.new.natural": "无"})
    e = body(s21, 2025, tmp_path, "戊", 5)
    out = tmp_path / "汇总.xlsx"
    r = run_cli("merge", a, b, "-o", out, "--org", "某县")
    assert r.returncode == 2 and "不同年度" in r.stderr and not out.exists()
    r = run_cli("merge", a, c, "-o", out, "--org", "某县")
    assert r.returncode == 2 and "2019版格式" in r.stderr and not out.exists()
    before = hashlib.sha256(d.read_bytes()).hexdigest()
    r = run_cli("merge", a, d, e, "-o", out, "--org", "某县")
    assert_no_traceback(r)
    assert r.returncode == 1 and "丁.xlsx" in r.stderr and "三、依申请公开!D6" in r.stdout and not out.exists()
    r = run_cli("merge", a, d, e, "-o", out, "--org", "某县", "--force")
    assert r.returncode == 0 and out.exists()
    assert hashlib.sha256(d.read_bytes()).hexdigest() == before
    r = run_cli("merge", a, a, "-o", tmp_path / "x.xlsx", "--org", "某县")
    assert r.returncode == 2
    r = run_cli("merge", a, e, "-o", out, "--org", "某县")
    assert r.returncode == 2 and "已存在" in r.stderr


def test_allow_errors_says_how_invalid_cells_were_counted(tmp_path):
    """Review fix 14: the printed summary and the 汇总来源 sheet list each source's invalid cells (按0计算)."""
    import openpyxl

    from reportc.spec import load_spec

    s21 = load_spec("2021")
    a = body(s21, 2025, tmp_path, "甲", 1)
    d = body(s21, 2025, tmp_path, "丁", 4, **{"t3.new.natural": "无"})
    out = tmp_path / "汇总.xlsx"
    r = run_cli("merge", a, d, "-o", out, "--org", "某县", "--allow-errors")
    assert_no_traceback(r)
    assert r.returncode == 0, r.stderr
    line = next(x for x in r.stdout.splitlines() if "丁.xlsx" in x)
    assert "三、依申请公开!D6（按0计算）" in line and "甲.xlsx" not in r.stdout.split("生成：")[1]
    ws = openpyxl.load_workbook(out)[SOURCES_SHEET]
    rows = [[c for c in row] for row in ws.iter_rows(values_only=True)]
    header = next(r for r in rows if r and r[0] == "序号")
    column = header.index("无效单元格（汇总时的计算）")
    by_file = {r[2]: r for r in rows if r and r[2] in ("甲.xlsx", "丁.xlsx")}
    assert by_file["丁.xlsx"][column] == "三、依申请公开!D6（按0计算）"
    assert not by_file["甲.xlsx"][column]
    assert any("--allow-errors" in str(c) and "按0计算" in str(c) for r in rows for c in r if c)
    outcome = check(out)  # the roll-up itself is intact (the sheet is re-derived from its metadata)
    assert not [f for f in outcome.findings if f.rule in ("M1", "M2", "M3")]
    clean = run_cli("merge", a, body(s21, 2025, tmp_path, "戊", 5), "-o", tmp_path / "clean.xlsx", "--org", "某县")
    assert clean.returncode == 0 and "提醒" not in clean.stdout
    header = [c.value for c in openpyxl.load_workbook(tmp_path / "clean.xlsx")[SOURCES_SHEET][4]]
    assert "无效单元格（汇总时的计算）" not in header


def test_merge_refuses_errors_unless_allowed_and_renames_force(tmp_path, filled_workbook):
    a = filled_workbook("a.xlsx", org="甲局", seed=1)
    b = filled_workbook("b.xlsx", org="乙局", seed=2, t3__new__natural="9件")
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

