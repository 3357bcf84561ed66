"""A new edition of the format is a new folder: the test-only edition 2099
(tests/data/editions/2099, a different table 二 with an extra column, other tables 三
and 四, a new rule D9) goes through new → fill → check → build → LibreOffice
recalculation with nothing in compiler/ knowing about it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from reportc.fill import fill_workbook
from reportc.spec import EDITIONS_PATH, load_spec

from libreoffice import recalculate, soffice
from test_libreoffice import sheet_statuses

EDITIONS = Path(__file__).parent / "data" / "editions"

GOOD = {
    "t2.rules.made": 3, "t2.rules.revised": 1, "t2.rules.repealed": 0, "t2.rules.in_force": 12,
    "t2.normative.made": 5, "t2.normative.revised": 2, "t2.normative.repealed": 1, "t2.normative.in_force": 40,
    "t3.new.natural": 7, "t3.new.legal": 2, "t3.carried.natural": 1, "t3.carried.legal": 0,
    "t3.granted.natural": 5, "t3.granted.legal": 1, "t3.denied.natural": 2, "t3.denied.legal": 0,
    "t3.carry_next.natural": 1, "t3.carry_next.legal": 1,
    "t4.all.review_upheld": 1, "t4.all.review_corrected": 0, "t4.all.lawsuits": 0,
    "info.org": "测试县某局", "info.year": 2099,
    "s1.intro.1": "本年度共收到政府信息公开申请9件。", "s5.intro.1": "无。", "s6.intro.1": "本年度未收取信息处理费。",
}


@pytest.fixture
def edition_2099(monkeypatch):
    monkeypatch.setenv(EDITIONS_PATH, str(EDITIONS))
    load_spec.cache_clear()
    yield load_spec("2099")
    monkeypatch.delenv(EDITIONS_PATH)
    load_spec.cache_clear()


def _reportc(*args, cwd: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, EDITIONS_PATH: str(EDITIONS), "PYTHONIOENCODING": "utf-8"}
    return subprocess.run([sys.executable, "-m", "reportc", *map(str, args)], cwd=cwd, env=env,
                          capture_output=True, text=True, encoding="utf-8", timeout=120)


def test_new_edition_folder_goes_through_the_whole_path(edition_2099, tmp_path):
    spec = edition_2099
    assert [c.label for c in spec.table("t2").blocks[0].columns][1] == "本年修订件数"
    made = _reportc("new", "--edition", "2099", "--year", "2099", "--org", "测试县某局", "-o", "blank.xlsx", cwd=tmp_path)
    assert made.returncode == 0, made.stderr
    blank = (tmp_path / "blank.xlsx").read_bytes()
    fill_workbook(spec, blank, GOOD, tmp_path / "good.xlsx")
    bad = {**GOOD, "t2.rules.revised": 9, "t3.new.natural": 8}  # breaks D9 (a warning) and O1 (an error)
    fill_workbook(spec, blank, bad, tmp_path / "bad.xlsx")

    good = _reportc("check", "good.xlsx", "--json", cwd=tmp_path)
    assert good.returncode == 0, good.stdout + good.stderr
    assert '"edition": "2099"' in good.stdout
    failing = _reportc("check", "bad.xlsx", cwd=tmp_path)
    assert failing.returncode == 1
    for rule in ("D9", "O1"):
        assert f"规则{rule}" in failing.stdout or rule in failing.stdout, failing.stdout
    assert "本年修订件数" in failing.stdout or "表二" in failing.stdout

    built = _reportc("build", "good.xlsx", "-o", "out", cwd=tmp_path)
    assert built.returncode == 0, built.stdout + built.stderr
    html = (tmp_path / "out" / "report.html").read_text(encoding="utf-8").replace("<wbr>", "")  # header words
    assert "本年修订件数" in html and "测试县某局" in html


@pytest.mark.libreoffice
@pytest.mark.skipif(soffice() is None, reason="LibreOffice (soffice) is not installed: apt-get install libreoffice-calc")
def test_new_edition_checks_sheet_recalculates_like_python(edition_2099, tmp_path):
    from reportc.reader import read_workbook
    from reportc.validate import run_checks
    from reportc.writer import build_workbook

    spec = edition_2099
    blank = build_workbook(spec, "测试县某局", 2099)
    paths = {}
    for name, values in (("good", GOOD), ("bad", {**GOOD, "t2.rules.revised": 9, "t3.new.natural": 8})):
        paths[name] = tmp_path / f"{name}.xlsx"
        fill_workbook(spec, blank, values, paths[name])
    converted = recalculate(list(paths.values()), tmp_path / "out")
    for name, path in paths.items():
        statuses, errors, _, _ = sheet_statuses(converted[path], spec)
        assert not errors
        results, _ = run_checks(spec, read_workbook(path).data)
        python = {(r.check.rule.id, r.check.location): r.status for r in results}
        assert statuses == python
        failing = {rule for (rule, _), status in statuses.items() if status != "通过"}
        assert failing == (set() if name == "good" else {"D9", "O1"})  # totals are formulas: D1 holds
