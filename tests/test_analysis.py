"""Analysis of what was read: findings, and the findings a typed cell causes (caused_by)."""

from __future__ import annotations

import json
import random
from pathlib import Path

from conftest import run_cli
from gen import consistent_numbers

from reportc import build, check
from reportc.layout import location
from reportc.opening import standard_text
from reportc.spec import load_spec


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

