"""reportc audit FOLDER -o OUT: every published report imported and checked, 不通过 and 存疑
first in index.html and summary.xlsx, exit 1 when any fails; consecutive years of the same
body paired for S1–S4."""

from __future__ import annotations

import json
import random
import shutil

from openpyxl import load_workbook

from conftest import assert_no_traceback, fill, run_cli
from gen import chain_numbers, consistent_numbers
from importing import EXAMPLES, published
from reportc import check
from reportc.api import new
from reportc.spec import load_spec


def _row_replace(html: str, label: str, old: str, new: str, count: int = 1) -> str:
    rows = html.split("<tr")
    for i, row in enumerate(rows):
        if label in row:
            rows[i] = row.replace(f">{old}</td>", f">{new}</td>", count)
    return "<tr".join(rows)


def test_audit_folder(tmp_path):
    pub = published(EXAMPLES["2021"], tmp_path / "pub")
    pub19 = published(EXAMPLES["2019"], tmp_path / "pub19", ("docx",))
    folder = tmp_path / "reports"
    folder.mkdir()
    page = (pub / "report.html").read_text(encoding="utf-8")
    (folder / "good.html").write_text(page, encoding="utf-8")
    shutil.copy(pub19 / "report.docx", folder / "xigong.docx")
    # a published total that is not the sum of its parts: 存疑 (misread or misprint)
    (folder / "total.html").write_text(_row_replace(page, "（七）总计", "35", "36"), encoding="utf-8")
    # new applications changed with their row total: the sums agree, the balance O1 does not: 不通过
    broken = _row_replace(_row_replace(page, "一、本年新收", "36", "40"), "一、本年新收", "42", "46")
    (folder / "balance.html").write_text(broken, encoding="utf-8")
    (folder / "list.html").write_text("<html><body><ul><li>年报栏目</li></ul></body></html>", encoding="utf-8")
    out = tmp_path / "out"
    result = run_cli("audit", folder, "-o", out, "--jobs", "2")
    assert_no_traceback(result)
    assert result.returncode == 1, result.stdout + result.stderr
    rows = list(load_workbook(out / "summary.xlsx").active.iter_rows(min_row=2, values_only=True))
    status = {r[3]: r[4] for r in rows}
    assert status == {"good.html": "可以发布", "xigong.docx": "须核实", "total.html": "存疑", "balance.html": "不通过",
                      "list.html": "无法读取"}
    assert [r[4] for r in rows][:2] == ["不通过", "存疑"]  # the ones to look at first
    index = (out / "index.html").read_text(encoding="utf-8")
    assert index.index("balance.html") < index.index("total.html") < index.index("xigong.docx") < index.index("good.html")
    folder_of = {r[3]: r[9] for r in rows}  # 输出文件夹
    found = json.loads((out / folder_of["balance.html"] / "validation.json").read_text(encoding="utf-8"))
    rules = {f["rule"] for f in found["findings"]}
    assert "O1" in rules
    assert "S6" in rules  # the narrative says 42 new applications, the table now 46
    doubtful = json.loads((out / folder_of["total.html"] / "validation.json").read_text(encoding="utf-8"))
    assert any(f["rule"] == "D2" and "已发布的表格" in f["message"] for f in doubtful["findings"])
    assert (out / folder_of["good.html"] / "report-imported.xlsx").is_file()


def test_audit_pairs_consecutive_years(tmp_path):
    spec = load_spec("2021")
    last = fill(tmp_path / "last.xlsx", year=2024, numbers=consistent_numbers(spec, random.Random(3)), seed=3)
    previous = check(new(previous=last, output=tmp_path / "t.xlsx")).workbook.data.previous
    numbers = chain_numbers(spec, random.Random(4), previous)
    numbers["t3.carried.natural"] += 2
    numbers["t3.carry_next.natural"] += 2  # O1 holds, the carry-over from last year does not
    this = fill(tmp_path / "this.xlsx", year=2025, numbers=numbers, seed=4)
    folder = tmp_path / "reports"
    for year, wb in ((2024, last), (2025, this)):
        out = published(wb, tmp_path / f"pub{year}", ("html",))
        (folder / str(year)).mkdir(parents=True)
        shutil.copy(out / "report.html", folder / str(year) / f"测试县民政局{year}.html")
    out = tmp_path / "out"
    result = run_cli("audit", folder, "-o", out, "--jobs", "1")
    assert_no_traceback(result)
    rows = {r[3]: r for r in load_workbook(out / "summary.xlsx").active.iter_rows(min_row=2, values_only=True)}
    this_row = next(r for f, r in rows.items() if "2025" in f)
    assert this_row[4] == "须核实" and "上年年报" in (this_row[10] or "")  # S1 is a warning
    found = json.loads((out / this_row[9] / "validation.json").read_text(encoding="utf-8"))
    assert any(f["rule"] == "S1" for f in found["findings"])
    assert found["previous"]["used"] is True
    last_row = next(r for f, r in rows.items() if "2024" in f)
    assert last_row[4] == "可以发布"


def test_audit_refuses_a_file_and_an_empty_folder(tmp_path):
    result = run_cli("audit", tmp_path, "-o", tmp_path / "out")
    assert result.returncode == 2 and "没有找到" in result.stderr
    f = tmp_path / "a.html"
    f.write_text("<p>x</p>", encoding="utf-8")
    assert run_cli("audit", f, "-o", tmp_path / "out").returncode == 2


def test_audit_never_replaces_files_it_did_not_write(tmp_path):
    """Like batch: a user's index.html in -o is a refusal before any work; an audit's own set is
    replaced by the next audit, with a user's file beside it untouched; an -o holding the input is refused."""
    pub = published(EXAMPLES["2021"], tmp_path / "pub")
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(pub / "report.html", folder / "a.html")
    out = tmp_path / "out"
    out.mkdir()
    (out / "index.html").write_text("门户首页", encoding="utf-8")
    result = run_cli("audit", folder, "-o", out)
    assert_no_traceback(result)
    assert result.returncode == 2 and "index.html" in result.stderr
    assert (out / "index.html").read_text(encoding="utf-8") == "门户首页"
    (out / "index.html").unlink()
    (out / "笔记.txt").write_text("我的笔记", encoding="utf-8")
    for _ in range(2):  # the second run replaces the first run's set
        result = run_cli("audit", folder, "-o", out)
        assert result.returncode == 0, result.stdout + result.stderr
    assert (out / "笔记.txt").read_text(encoding="utf-8") == "我的笔记"
    assert run_cli("verify", out).returncode == 0
    result = run_cli("audit", folder, "-o", tmp_path)  # the output folder holds the input folder
    assert result.returncode == 2 and str(folder) in result.stderr
    assert not (tmp_path / "index.html").exists()


def test_audit_reads_a_build_folder_as_one_report(tmp_path):
    """A folder `reportc build` or `batch` wrote holds one report in several files (page, fragment, docx, md,
    json, validation.html): audit reads its page once. A file its manifest does not list is the user's and is
    read; a folder whose manifest.json is not reportc's is read file by file."""
    from reportc.audit_run import find_reports

    root = tmp_path / "各单位"
    built = published(EXAMPLES["2021"], root / "民政局")
    assert {"report.html", "report-fragment.html", "report.docx", "validation.html"} <= {p.name for p in built.iterdir()}
    (built / "去年的年报.html").write_text((built / "report.html").read_text(encoding="utf-8"), encoding="utf-8")
    docx_only = published(EXAMPLES["2019"], root / "西工区", ("docx",))
    other = root / "其他"
    other.mkdir()
    shutil.copy(built / "report.html", other / "a.html")
    shutil.copy(built / "report-fragment.html", other / "b.html")
    (other / "manifest.json").write_text("{}", encoding="utf-8")  # not reportc's: every file is read
    assert find_reports(root, None) == [other / "a.html", other / "b.html", built / "report.html",
                                        built / "去年的年报.html", docx_only / "report.docx"]
    out = tmp_path / "审计"
    result = run_cli("audit", root, "-o", out, "--jobs", "1")
    assert_no_traceback(result)
    rows = list(load_workbook(out / "summary.xlsx").active.iter_rows(min_row=2, values_only=True))
    assert len(rows) == 5


def test_doubts_of_a_published_report_are_worded_and_graded_by_the_toml(tmp_path, monkeypatch):
    """A published total that is not the sum of its parts (D2) and a number that cannot be read (D6)
    are listed under their own rules, with the severity and wording of M5's `published` message:
    an edition whose common.toml words them otherwise is obeyed."""
    from pathlib import Path
    from types import SimpleNamespace

    from reportc import audit_run, edition as ed
    from reportc.spec import EDITIONS_PATH

    here = Path(__file__).parent
    folder = tmp_path / "editions" / "2097"
    folder.mkdir(parents=True)
    source = (here / "data" / "editions" / "2099" / "edition.toml").read_text(encoding="utf-8")
    (folder / "edition.toml").write_text(source.replace('edition = "2099"', 'edition = "2097"'), encoding="utf-8")
    common = (here.parent / "xlsx_templates" / "common.toml").read_text(encoding="utf-8")
    old = 'published = { severity = "warning", message = "已发布的表格：{problem}" }'
    assert old in common
    (folder / "common.toml").write_text(
        common.replace(old, 'published = { severity = "error", message = "原文表格有误：{problem}" }'), encoding="utf-8")
    monkeypatch.setenv(EDITIONS_PATH, str(tmp_path / "editions"))
    monkeypatch.setenv(ed.CACHE_ENV, str(tmp_path / "cache"))
    ed.clear()
    try:
        for edition, severity, prefix in (("2021", "warning", "已发布的表格："), ("2097", "error", "原文表格有误：")):
            spec = ed.load_edition(edition).spec
            imported = SimpleNamespace(spec=spec, doubts=[("D2", "表三!B5", "合计36不等于各项之和35")],
                                       unreadable=[("t3.new.natural", "十二", "无法读取“十二”，已留空")])
            found = audit_run._doubt_findings(imported)
            assert [(f.rule, f.severity) for f in found] == [("D2", severity), ("D6", severity)]
            assert found[0].message == prefix + "合计36不等于各项之和35"
            assert found[1].message == prefix + "无法读取“十二”，已留空" and "!" in found[1].location
    finally:
        ed.clear()
