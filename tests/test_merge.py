"""`reportc merge`: the county roll-up."""

from __future__ import annotations

import hashlib
import random
from decimal import Decimal

from conftest import assert_no_traceback, run_cli
from gen import consistent_numbers, texts

from reportc import build, check
from reportc.checks import compute_values, input_keys
from reportc.fill import fill_workbook
from reportc import merge
from reportc.workbook import SOURCES_SHEET, build_workbook


def _cell(v):
    return float(v) if isinstance(v, Decimal) else v


def body(spec, year, tmp_path, name, seed, **changes):
    rng = random.Random(seed)
    numbers = consistent_numbers(spec, rng)
    values = {**numbers, **texts(spec, rng, org=name, year=year), **changes}
    path = tmp_path / f"{name}.xlsx"
    fill_workbook(spec, build_workbook(spec, name, year), {k: _cell(v) for k, v in values.items()}, path)
    return path


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
