"""Renderers: the registry (reportc/renderers/: one module per output format, read by build, --format and
its help, batch's summary page and verify; reading it imports no heavy library), and what the terminal,
validation.html and the JSON report show of a finding."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from conftest import ROOT, run_cli

from reportc import build, renderers
from reportc.errors import UsageProblem

QINGSHAN = ROOT / "examples" / "qingshan-minzheng-2025.xlsx"


def test_every_format_writes_exactly_the_files_it_declares(tmp_path):
    for name in renderers.DEFAULT_FORMATS:
        outcome = build(QINGSHAN, tmp_path / name, formats=(name,))
        written = {p.name for p in outcome.written if p.name.startswith("report")}
        assert written == {o.name for o in renderers.BY_NAME[name].files}, name


def test_build_renders_the_formats_in_the_registry_order_whatever_the_order_asked(tmp_path):
    from reportc.publish import check, render_documents

    outcome = check(QINGSHAN)
    files = render_documents(outcome, ("json", "md", "html"), draft=False)
    assert list(files) == ["report.html", "report-fragment.html", "report.md", "report.json"]


def test_format_option_lists_and_refuses_from_the_registry():
    assert renderers.parse_formats(None) == renderers.DEFAULT_FORMATS
    assert renderers.parse_formats("MD，html,md") == ("md", "html")
    with pytest.raises(UsageProblem) as err:
        renderers.parse_formats("odt,html")
    assert "odt" in str(err.value) and "、".join(renderers.ALL_FORMATS) in str(err.value)
    help_text = run_cli("build", "--help").stdout
    assert ",".join(renderers.ALL_FORMATS) in help_text and "pdf 需要 LibreOffice" in help_text
    assert "pdf" not in renderers.DEFAULT_FORMATS  # on request only: it costs a LibreOffice start


def test_verify_and_batch_know_every_registered_file():
    from reportc.batch_run import summary_html, Entry
    from reportc.verification import OUTPUT_NAMES

    assert set(renderers.file_names()) <= OUTPUT_NAMES
    documents = (*renderers.file_names(), "validation.html")
    page = summary_html([Entry("a.xlsx", "甲", "可以发布", documents=documents)])
    hrefs = [h for h in (f'href="甲/{o.name}"' for o in renderers.links()) if h in page]
    assert len(hrefs) == len(renderers.links()) and 'href="甲/validation.html"' in page
    assert 'href="甲/report.json"' not in page  # data, not a document to read: no link


def test_reading_the_registry_imports_no_heavy_library():
    code = ("import sys, reportc.renderers; print(sorted(m.split('.')[0] for m in sys.modules "
            "if m.split('.')[0] in ('docx', 'jinja2', 'openpyxl', 'xlsxwriter', 'typer')))")
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert loaded.strip() == "[]"


def test_rule_ids_are_tagged_in_terminal_html_and_json(tmp_path, filled_workbook):
    path = filled_workbook("a.xlsx", t3__granted__natural="12件")
    result = run_cli("check", path)
    assert "[错误][规则D6] 三、依申请公开!" in result.stdout
    assert "] D6 " not in result.stdout and "[错误] D6" not in result.stdout
    data = json.loads(run_cli("check", path, "--json").stdout)
    d6 = next(f for f in data["findings"] if f["rule"] == "D6")
    assert d6["rule"] == "D6" and d6["rule_tag"] == "规则D6"
    build(path, tmp_path / "out")
    html = (tmp_path / "out" / "validation.html").read_text(encoding="utf-8")
    assert ">规则D6</td>" in html and ">D6</td>" not in html and ">规则O1</td>" in html


ODT = '''"""odt: a stand-in format, to show that a format is one module."""

from . import Output, Renderer

RENDERER = Renderer("odt", "开放文档", (Output("report.odt", "ODT"),), rank=25, default=False)


def render(job):
    return {"report.odt": job.output("md")["report.md"]}
'''


def test_a_new_format_is_one_module(tmp_path):
    """A module dropped into renderers/ (nothing else changed) is offered by --format and its help,
    built, linked from batch's summary page and known to verify."""
    import shutil

    shutil.copytree(ROOT / "compiler", tmp_path / "reportc", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(ROOT / "xlsx_templates", tmp_path / "reportc" / "xlsx_templates")
    (tmp_path / "reportc" / "renderers" / "odt.py").write_text(ODT, encoding="utf-8")
    code = f"""
import sys
from pathlib import Path
import reportc
assert reportc.__file__.startswith({str(tmp_path)!r}), reportc.__file__
from reportc import renderers
from reportc.batch_run import Entry, summary_html
from reportc.cli import app
from reportc.verification import OUTPUT_NAMES
from typer.testing import CliRunner

assert renderers.parse_formats("odt,html") == ("odt", "html")
assert "odt" in CliRunner().invoke(app, ["build", "--help"]).output
outcome = reportc.build(Path({str(QINGSHAN)!r}), Path({str(tmp_path / "out")!r}), formats=("html", "odt"))
names = [p.name for p in outcome.written]
assert "report.odt" in names and "report.md" not in names, names
assert "report.odt" in OUTPUT_NAMES
assert 'href="a/report.odt"' in summary_html([Entry("a.xlsx", "a", "可以发布", documents=tuple(names))])
print("ok")
"""
    env = {**os.environ, "PYTHONPATH": str(tmp_path), "REPORTC_CACHE_DIR": str(tmp_path / "cache")}
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, cwd=tmp_path)
    assert run.stdout.strip() == "ok", run.stdout + run.stderr
