"""reportc import of HTML: reportc's own page and fragment, CMS-mangled copies, GBK pages,
a whole portal page; the checksum (存疑), blank/“—”/“/”/“无”/0 kept apart, refusals."""

from __future__ import annotations

import json

import re
import unicodedata

import pytest
from openpyxl import load_workbook

from conftest import assert_no_traceback, run_cli
from importing import EXAMPLES, published, rebuilt_md, strip_classes
from reportc.importer import read_published
from reportc.layout import cell_map
from reportc.spec import load_spec

# one pytest-xdist worker runs this module: its module fixture is made once
pytestmark = pytest.mark.xdist_group("import_html")


@pytest.fixture(scope="module")
def outputs(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("pub")
    return {ed: published(path, tmp / ed) for ed, path in EXAMPLES.items()}


def fullwidth(text: str) -> str:
    return "".join(chr(ord(c) + 0xFEE0) if c.isdigit() else c for c in text)


def cms(html: str) -> str:
    """What a CMS editor makes of the fragment: no classes or <style>, every cell wrapped in
    <p><span style=…>, th as td, &nbsp; in labels, <br> in long labels, full-width digits in values,
    headings as bold paragraphs."""
    html = strip_classes(html)
    html = re.sub(r"<th\b", "<td", html).replace("</th>", "</td>")

    def cell(m):
        attrs, text = m.group(1), m.group(2)
        if re.fullmatch(r"\d+", text):
            text = fullwidth(text)
        elif len(text) > 12:
            text = text[:6] + "<br/>" + text[6:]
        text = text.replace("（", "&nbsp;（", 1)
        return f'<td{attrs} style="width:12%"><p style="text-align:center"><span style="font-family:宋体;font-size:14px">{text}</span></p></td>'

    html = re.sub(r"<td([^>]*)>(.*?)</td>", cell, html)
    html = re.sub(r"<h[234][^>]*>(.*?)</h[234]>", r'<p style="text-indent:2em"><strong>\1</strong></p>', html)
    return html


def portal(fragment: str, title: str) -> str:
    nav = "".join(f'<li><a href="/{i}">栏目{i}</a></li>' for i in range(12))
    return f"""<!DOCTYPE html><html><head><meta charset="utf-8"><title>{title}_某县人民政府</title>
<script>var x = "一、总体情况";</script></head><body>
<div class="top"><ul>{nav}</ul></div>
<div class="crumb">首页 &gt; 政府信息公开 &gt; 政府信息公开年报 &gt; {title}</div>
<table width="100%"><tr><td width="20%"><ul>{nav}</ul></td><td>
<div class="article"><h1>{title}</h1><div>来源：某县民政局　发布时间：2026-01-20　浏览次数：123</div>
{fragment}
<div>【打印本页】【关闭窗口】</div></div></td></tr></table>
<div class="foot">版权所有：某县人民政府办公室　主办单位：某县人民政府　网站标识码：1234567890　赣ICP备12345678号</div>
</body></html>"""


@pytest.mark.parametrize("edition", sorted(EXAMPLES))
@pytest.mark.parametrize("variant", ["cms", "portal", "gbk_meta", "gbk_bare"])
def test_mangled_html_round_trips(outputs, tmp_path, edition, variant):
    out = outputs[edition]
    original = (out / "report.md").read_text(encoding="utf-8")
    fragment = (out / "report-fragment.html").read_text(encoding="utf-8")
    title = original.splitlines()[0][2:]
    html = cms(fragment)
    if variant == "portal":
        html = portal(html, title)
    data = html.encode("utf-8")
    if variant.startswith("gbk"):
        page = portal(html, title)
        if variant == "gbk_meta":
            data = page.replace('charset="utf-8"', 'charset="gbk"').encode("gb18030")
        else:
            data = page.replace('<meta charset="utf-8">', "").encode("gb18030")
    source = tmp_path / "page.html"
    source.write_bytes(data)
    again, imported = rebuilt_md(source, tmp_path / "second")
    assert imported.status == "导入完成", imported.doubt_lines()
    assert again == original


def _t3_total_cell(html: str, value: str, new: str) -> str:
    """Change the published 总计 of 表三's first column (a derived cell)."""
    rows = html.split("<tr")
    for i, row in enumerate(rows):
        if "（七）总计" in row:
            rows[i] = row.replace(f">{value}</td>", f">{new}</td>", 1)
            break
    return "<tr".join(rows)


def test_sum_that_does_not_add_up_is_doubtful(outputs, tmp_path):
    fragment = (outputs["2021"] / "report-fragment.html").read_text(encoding="utf-8")
    assert "（七）总计" in fragment
    bad = _t3_total_cell(fragment, "35", "36")
    assert bad != fragment
    source = tmp_path / "bad.html"
    source.write_text(bad, encoding="utf-8")
    out = tmp_path / "out.xlsx"
    result = run_cli("import", source, "-o", out)
    assert_no_traceback(result)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "存疑" in result.stdout and "D2" in result.stdout and "三、依申请公开!" in result.stdout
    assert out.is_file()
    wb = load_workbook(out)
    first = wb.worksheets[0]
    assert first.title == "填报说明"
    assert first.protection.sheet and wb.security.lockStructure  # locked like a workbook made by `new`
    note = str(first["B4"].value)
    assert "存疑" in note and "D2" in note
    # the imported workbook is a normal reportc workbook: check reads it without tamper findings
    checked = run_cli("check", out, "--json")
    assert '"M3"' not in checked.stdout and '"M1"' not in checked.stdout
    # its recomputed totals agree, but 存疑 is not 可以发布: rule M5 keeps it 须核实 until explained
    found = json.loads(checked.stdout)
    assert found["verdict"] == "须核实", found["verdict"]
    assert [(f["rule"], f["location"]) for f in found["findings"]] == [("M5", "填报说明!B4")]
    clean = tmp_path / "clean.xlsx"
    source.write_text(fragment, encoding="utf-8")
    assert run_cli("import", source, "-o", clean).returncode == 0
    assert json.loads(run_cli("check", clean, "--json").stdout)["verdict"] == "可以发布"


def test_blank_dash_slash_none_and_zero_stay_apart(outputs, tmp_path):
    fragment = (outputs["2021"] / "report-fragment.html").read_text(encoding="utf-8")
    rows = fragment.split("<tr")
    tokens = {"1.属于国家秘密": "—", "3.危及“三安全一稳定”": "/", "5.属于三类内部事务信息": "无", "7.属于行政执法案卷": ""}
    for i, row in enumerate(rows):
        for label, token in tokens.items():
            if label in row:  # the 科研机构 column (third value) is 0 in the example
                cells = row.split("<td")
                cells[3] = re.sub(r">0</td>", f">{token}</td>", cells[3], count=1)
                rows[i] = "<td".join(cells)
    source = tmp_path / "tokens.html"
    source.write_text("<tr".join(rows), encoding="utf-8")
    imported = read_published(source)
    spec = load_spec("2021")
    assert imported.cells["t3.deny_secret.research"] == "—"
    assert imported.cells["t3.deny_safety.research"] == "/"
    assert imported.cells["t3.deny_internal.research"] == "无"
    assert imported.cells["t3.deny_case_file.research"] is None
    assert imported.cells["t3.deny_process.research"] == 0
    assert imported.status == "导入完成"  # counted as 0, the sums agree; the workbook says what to write
    out = tmp_path / "tokens.xlsx"
    assert run_cli("import", source, "-o", out).returncode == 0
    wb = load_workbook(out)
    cmap = cell_map(spec)

    def value(key):
        sheet, r, c = cmap[key]
        return wb[sheet].cell(r + 1, c + 1).value

    assert value("t3.deny_secret.research") == "—"
    assert value("t3.deny_safety.research") == "/"
    assert value("t3.deny_internal.research") == "无"
    assert value("t3.deny_case_file.research") is None
    assert value("t3.deny_process.research") == 0


def test_unreadable_value_is_left_blank_and_listed(outputs, tmp_path):
    fragment = (outputs["2021"] / "report-fragment.html").read_text(encoding="utf-8")
    rows = fragment.split("<tr")
    for i, row in enumerate(rows):
        if "一、本年新收政府信息公开申请数量" in row:
            rows[i] = row.replace(">36</td>", ">3б</td>", 1)
    source = tmp_path / "garbled.html"
    source.write_text("<tr".join(rows), encoding="utf-8")
    imported = read_published(source)
    assert imported.cells["t3.new.natural"] is None
    assert imported.status == "存疑"
    assert any("3б" in line and "三、依申请公开!" in line for line in imported.doubt_lines())


@pytest.mark.parametrize("page, words", [
    ('<!DOCTYPE html><html><head><title>某县人民政府</title></head><body><div id="app"></div>'
     '<script src="/static/js/app.js"></script></body></html>', "没有找到"),
    ("<html><body><h1>政府信息公开年报</h1><ul>"
     + "".join(f'<li><a href="/{y}">某县民政局{y}年政府信息公开工作年度报告</a> {y + 1}-01-20</li>' for y in range(2015, 2025))
     + "</ul></body></html>", "没有找到"),
])
def test_page_without_a_report_is_refused(tmp_path, page, words):
    source = tmp_path / "page.html"
    source.write_text(page, encoding="utf-8")
    out = tmp_path / "out.xlsx"
    result = run_cli("import", source, "-o", out)
    assert_no_traceback(result)
    assert result.returncode == 2
    assert words in result.stderr and "page.html" in result.stderr
    assert not out.exists()


def test_unicode_normalisation_helper():
    assert unicodedata.normalize("NFKC", fullwidth("36")) == "36"


def test_gbk_page_with_a_wrong_utf8_meta_and_default_output_name(outputs, tmp_path):
    out = outputs["2021"]
    page = (out / "report.html").read_text(encoding="utf-8")
    assert 'charset="utf-8"' in page
    source = tmp_path / "wrong-meta.html"
    source.write_bytes(page.encode("gb18030"))
    result = run_cli("import", source, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "青山县民政局-2025-导入.xlsx").is_file()
