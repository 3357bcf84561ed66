"""Renderers: the registry (reportc/renderers/: one module per output format, read by build, --format and
its help, batch's summary page and verify; reading it imports no heavy library), and what the terminal,
validation.html and the JSON report show of a finding."""

from __future__ import annotations

import json
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

