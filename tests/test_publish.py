"""Publishable outputs: the opening paragraph (开篇) and 落款, page templates, the fragment, PDF."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from collections import Counter
from datetime import datetime, timezone
from pathlib import Path

import pytest
from conftest import EDITION_YEARS, ROOT, assert_no_traceback, fill, run_cli

from reportc import build
from reportc.checks import compute_values
from reportc.errors import UsageProblem
from reportc.findings import fmt_value
from reportc.opening import format_date, standard_text
from reportc.pages import CONTEXT, TEMPLATES
from reportc.spec import load_spec
from reportc.planner import initial_data

CONTACTS = {"info.contact_unit": "测试县民政局办公室", "info.address": "测试县人民路1号", "info.postcode": "330001",
            "info.phone": "0791-7654321", "info.email": "csxmzj@example.gov.cn", "info.website": "测试县人民政府门户网站"}
QINGSHAN = ROOT / "examples" / "qingshan-minzheng-2025.xlsx"
XIGONG = ROOT / "examples" / "xigong-minzheng-2020.xlsx"


def _filled(tmp_path: Path, edition: str, name: str = "filled.xlsx", **values) -> Path:
    """The blank workbook of `new` with texts enough for a report and these values (no numbers)."""
    return fill(tmp_path / name, edition=edition, consistent=False, **values)


def _section_paragraphs(html: str, section_id: str) -> list[str]:
    m = re.search(rf'<section id="section-{section_id}"[^>]*>(.*?)</section>', html, re.S)
    assert m, section_id
    return [re.sub(r"<[^>]+>", "", p) for p in re.findall(r"<p>(.*?)</p>", m.group(1), re.S)]


# ---- 开篇 --------------------------------------------------------------------------

@pytest.mark.parametrize("edition", ["2019", "2021"])
def test_new_prefills_the_opening_and_build_takes_the_contacts_from_basic_info(tmp_path, edition):
    spec = load_spec(edition)
    year = EDITION_YEARS[edition]
    prefilled = initial_data(spec, "测试县民政局", year).texts["s0.intro.1"]
    assert "本报告由测试县民政局根据《中华人民共和国政府信息公开条例》" in prefilled
    assert f"统计期限自{year}年1月1日起至{year}年12月31日止" in prefilled
    # the clerk fills the contacts after `new` and keeps the standard wording
    outcome = build(_filled(tmp_path, edition, **CONTACTS), tmp_path / "out")
    assert outcome.errors == 0 and not [f for f in outcome.findings if f.rule == "R6"]
    html = (tmp_path / "out" / "report.html").read_text(encoding="utf-8")
    opening = "".join(_section_paragraphs(html, "s0"))
    for value in CONTACTS.values():
        assert value in opening
    assert "如对本报告有疑问，请与测试县民政局办公室联系（地址：测试县人民路1号，邮编：330001" in opening
    # before 一、总体情况, with no heading of its own
    assert html.index('<section id="section-s0"') < html.index("<h2>一、总体情况</h2>")
    assert "<h2>开篇</h2>" not in html
    md = (tmp_path / "out" / "report.md").read_text(encoding="utf-8")
    assert "## 开篇" not in md and md.index("电子邮箱：csxmzj@example.gov.cn") < md.index("## 一、总体情况")
    from docx import Document

    texts = [p.text for p in Document(str(tmp_path / "out" / "report.docx")).paragraphs]
    first = next(i for i, t in enumerate(texts) if t.startswith("本报告由"))
    assert first < texts.index("一、总体情况") and "开篇" not in texts
    assert "邮编：330001" in texts[first]


def test_a_rewritten_opening_is_printed_verbatim(tmp_path):
    own = "本报告依据《条例》编制，统计期限为2025年全年。联系电话：0791-1111111。"
    build(_filled(tmp_path, "2021", **CONTACTS, **{"s0.intro.1": own}), tmp_path / "out")
    html = (tmp_path / "out" / "report.html").read_text(encoding="utf-8")
    assert _section_paragraphs(html, "s0") == [own]


def test_a_wrong_year_in_the_statistical_period_is_a_warning(tmp_path):
    spec = load_spec("2021")
    wrong = standard_text(spec, {"info.org": "测试县民政局", "info.year": "2024"})
    outcome = build(_filled(tmp_path, "2021", **{"s0.intro.1": wrong}), tmp_path / "out")
    r6 = [f for f in outcome.findings if f.rule == "R6"]
    assert len(r6) == 1 and r6[0].severity == "warning"
    assert r6[0].location == "开篇!B5" and "2024" in r6[0].message and "2025" in r6[0].message
    assert outcome.errors == 0  # a warning: the documents are still written
    assert (tmp_path / "out" / "report.html").is_file()
    right = build(_filled(tmp_path, "2021", "right.xlsx"), tmp_path / "out2")
    assert not [f for f in right.findings if f.rule == "R6"]


def test_signature_block_at_the_end(tmp_path):
    path = _filled(tmp_path, "2021", **{"info.signature": "测试县民政局", "info.publish_date": datetime(2026, 1, 20)})
    build(path, tmp_path / "out")
    html = (tmp_path / "out" / "report.html").read_text(encoding="utf-8")
    sig = re.search(r'<div class="signature">(.*?)</div>', html, re.S).group(1)
    assert re.findall(r">([^<]+)</p>", sig) == ["测试县民政局", "2026年1月20日"]
    assert html.index('<div class="signature">') > html.index("六、其他需要报告的事项")
    from docx import Document
    from docx.oxml.ns import qn

    paragraphs = Document(str(tmp_path / "out" / "report.docx")).paragraphs
    assert [p.text for p in paragraphs[-2:]] == ["测试县民政局", "2026年1月20日"]
    for p in paragraphs[-2:]:
        assert p._p.pPr.find(qn("w:jc")).get(qn("w:val")) == "right"
    date_indent = int(paragraphs[-1]._p.pPr.find(qn("w:ind")).get(qn("w:right")))
    signer_indent = int(paragraphs[-2]._p.pPr.find(qn("w:ind")).get(qn("w:right")))
    assert date_indent == 4 * 16 * 20  # 右空四字 (3号 = 16 pt)
    assert signer_indent > date_indent  # the shorter signer is centred over the date
    md = (tmp_path / "out" / "report.md").read_text(encoding="utf-8")
    assert md.rstrip().endswith("测试县民政局  \n2026年1月20日")
    # a new workbook's 落款 is 机关名称 (a live default): without 发布日期 the block is the signer alone
    build(_filled(tmp_path, "2021", "default.xlsx"), tmp_path / "default")
    html = (tmp_path / "default" / "report.html").read_text(encoding="utf-8")
    sig = re.search(r'<div class="signature">(.*?)</div>', html, re.S).group(1)
    assert re.findall(r">([^<]+)</p>", sig) == ["测试县民政局"]
    # with 落款 cleared and no 发布日期 there is no block
    build(_filled(tmp_path, "2021", "plain.xlsx", **{"info.signature": None}), tmp_path / "plain")
    assert 'class="signature"' not in (tmp_path / "plain" / "report.html").read_text(encoding="utf-8")


def test_publish_date_formats():
    assert format_date("2026-01-20 00:00:00") == "2026年1月20日"
    assert format_date("2026/1/5") == "2026年1月5日"
    assert format_date("2026年1月20日") == "2026年1月20日"
    assert format_date("二〇二六年一月") == "二〇二六年一月"
    assert format_date("2026-02-30") == "2026-02-30"
    assert format_date("46042") == "2026年1月20日"  # a date typed or pasted as a date: Excel's day number


def test_new_previous_carries_signature_and_website_not_the_date(tmp_path):
    last = _filled(tmp_path, "2021", "last.xlsx", **CONTACTS,
                   **{"info.signature": "测试县民政局", "info.publish_date": "2026年1月20日"})
    out = tmp_path / "new.xlsx"
    result = run_cli("new", "--year", "2026", "--previous", last, "-o", out)
    assert result.returncode == 0, result.stderr
    from reportc.reader import read_workbook

    texts = read_workbook(out).data.texts
    assert texts["info.signature"] == "测试县民政局" and texts["info.website"] == "测试县人民政府门户网站"
    assert texts["info.publish_date"] == ""
    assert "邮编：330001" in texts["s0.intro.1"] and "2026年1月1日起至2026年12月31日止" in texts["s0.intro.1"]


# ---- page templates ----------------------------------------------------------------

def test_shipped_templates_use_only_documented_variables():
    import jinja2
    from jinja2 import meta

    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(TEMPLATES)))
    builtin = {"loop"}
    for name, (_, variables) in CONTEXT.items():
        source = (TEMPLATES / name).read_text(encoding="utf-8")
        used = meta.find_undeclared_variables(env.parse(source)) - builtin
        assert used <= {v for v, _, _ in variables}, (name, used)
    assert sorted(p.name for p in TEMPLATES.glob("*.j2")) == sorted(CONTEXT)  # every template documented


def test_a_portal_template_changes_the_page_chrome(tmp_path):
    chrome = tmp_path / "门户模板"
    chrome.mkdir()
    (chrome / "report.html.j2").write_text(
        '<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>{{ title }} - 青山县人民政府</title>'
        "<style>{{ styles }}</style></head><body><header class=\"portal\">青山县人民政府门户网站</header>"
        "<main>{{ body }}</main><footer>主办：青山县人民政府办公室</footer></body></html>\n", encoding="utf-8")
    out = tmp_path / "out"
    result = run_cli("build", QINGSHAN, "-o", out, "--template", chrome)
    assert result.returncode == 0, result.stderr
    html = (out / "report.html").read_text(encoding="utf-8")
    assert '<header class="portal">青山县人民政府门户网站</header>' in html
    assert "<title>青山县民政局2025年政府信息公开工作年度报告 - 青山县人民政府</title>" in html
    assert "主办：青山县人民政府办公室" in html and '<table id="t3"' in html
    # the fragment and the validation report still come from the shipped templates
    assert "reportc-report" in (out / "report-fragment.html").read_text(encoding="utf-8")
    assert "校验报告" in (out / "validation.html").read_text(encoding="utf-8")


def test_an_unknown_variable_fails_with_a_clear_message_and_writes_nothing(tmp_path):
    chrome = tmp_path / "tpl"
    chrome.mkdir()
    (chrome / "report.html.j2").write_text("<html><body>\n{{ body }}\n<p>{{ portal_name }}</p></body></html>\n",
                                           encoding="utf-8")
    out = tmp_path / "out"
    result = run_cli("build", QINGSHAN, "-o", out, "--template", chrome)
    assert_no_traceback(result)
    assert result.returncode == 2
    assert "portal_name" in result.stderr and "report.html.j2" in result.stderr and "第3行" in result.stderr
    assert not out.exists() or not list(out.iterdir())
    missing = run_cli("build", QINGSHAN, "-o", out, "--template", tmp_path / "nowhere")
    assert missing.returncode == 2 and "找不到模板文件夹" in missing.stderr


def test_clerk_text_is_data_never_a_template(tmp_path):
    text = "{{ 7*7 }}{% raw %}<script>alert(1)</script>{{ title }}"
    build(_filled(tmp_path, "2021", **{"s1.intro.1": text, "info.signature": "{{ org }}"}), tmp_path / "out")
    for name in ("report.html", "report-fragment.html"):
        html = (tmp_path / "out" / name).read_text(encoding="utf-8")
        assert "{{ 7*7 }}{% raw %}&lt;script&gt;alert(1)&lt;/script&gt;{{ title }}" in html
        assert "<script>" not in html and "49" not in re.sub(r"<[^>]*>", "", html)  # (a min-width may say 49.4em)
        assert "<p style=\"padding-right: 4em\">{{ org }}</p>" in html


def test_the_fragment_is_the_body_with_scoped_styles(tmp_path):
    build(QINGSHAN, tmp_path)
    fragment = (tmp_path / "report-fragment.html").read_text(encoding="utf-8")
    page = (tmp_path / "report.html").read_text(encoding="utf-8")
    for tag in ("<html", "<head", "<body", "<main", "<title"):
        assert tag not in fragment
    css = re.search(r"<style>(.*?)</style>", fragment, re.S).group(1)
    selectors = [s.strip() for rule in re.findall(r"([^{}]+)\{[^{}]*\}", css) for s in rule.split(",")]
    assert selectors and all(s.startswith(".reportc-report") for s in selectors), selectors
    assert fragment.strip().splitlines()[1].startswith('<div class="reportc-report"')
    body = re.search(r"<main>\n(.*)\n</main>", page, re.S).group(1)
    # the same body as the page, but for the fragment's own id prefix and its inline table styles
    prefix = re.search(r'<section id="(rc2025-[0-9a-f]{6}-)section-s0"', fragment).group(1)

    def plain(html: str) -> str:
        return re.sub(r' style="[^"]*"| border="1"', "", html.replace(prefix, ""))

    assert plain(body) in plain(fragment)


def test_version_only_in_metadata_not_on_the_page(tmp_path):
    from reportc import __version__

    build(QINGSHAN, tmp_path)
    html = (tmp_path / "report.html").read_text(encoding="utf-8")
    visible = re.sub(r"<!--.*?-->|<head>.*?</head>", "", html, flags=re.S)
    assert __version__ not in re.sub(r"<[^>]+>", "", visible)
    assert f'<meta name="generator" content="reportc {__version__}">' in html


def test_long_runs_get_break_opportunities(tmp_path):
    build(QINGSHAN, tmp_path)
    html = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert "qsxmzj@<wbr>example.<wbr>gov.<wbr>cn" in html


# ---- DOCX fidelity -----------------------------------------------------------------

def test_docx_core_properties_padding_rows_and_title_lines(tmp_path):
    from docx import Document
    from docx.oxml.ns import qn

    before = datetime.now(timezone.utc).replace(microsecond=0)
    build(QINGSHAN, tmp_path)
    doc = Document(str(tmp_path / "report.docx"))
    props = doc.core_properties
    assert props.author == "青山县民政局" and props.title == "青山县民政局2025年政府信息公开工作年度报告"
    created = props.created.replace(tzinfo=timezone.utc) if props.created.tzinfo is None else props.created
    assert before <= created <= datetime.now(timezone.utc) and props.modified == props.created
    title = doc.paragraphs[0]
    assert title.text.split("\n") == ["青山县民政局2025年", "政府信息公开工作年度报告"]
    for tbl in doc.tables:
        mar = tbl._tbl.tblPr.find(qn("w:tblCellMar"))
        assert {c.tag.split("}")[1]: int(c.get(qn("w:w"))) for c in mar} == {"top": 28, "left": 57, "bottom": 28,
                                                                             "right": 57}
        heights = {tr.find(qn("w:trPr")).find(qn("w:trHeight")).get(qn("w:val")) for tr in tbl._tbl.tr_lst}
        assert heights == {"397"}


def test_title_lines_never_leave_a_short_last_line():
    from reportc.opening import text_width
    from reportc.report import TITLE_LINE, title_lines

    for title in ("青山县民政局2025年政府信息公开工作年度报告", "某某市某某区人民政府办公室2025年政府信息公开工作年度报告",
                  "中华人民共和国某某部某某司某某局某某处2025年政府信息公开工作年度报告", "某县2025年政府信息公开工作年度报告"):
        lines = title_lines(title)
        assert "".join(lines) == title
        assert all(text_width(x) <= TITLE_LINE for x in lines)
        if len(lines) > 1:
            assert min(text_width(x) for x in lines) >= 6, lines


# ---- PDF ---------------------------------------------------------------------------

def _pdftotext(pdf: Path) -> str:
    return subprocess.run(["pdftotext", "-enc", "UTF-8", str(pdf), "-"], capture_output=True, check=True,
                          timeout=60).stdout.decode("utf-8")


def _compact(text: str) -> str:
    return re.sub(r"\s+", "", text).replace("\u200b", "")


@pytest.mark.libreoffice
@pytest.mark.skipif(shutil.which("soffice") is None or shutil.which("pdftotext") is None,
                    reason="needs LibreOffice and poppler-utils (.ci/run installs them)")
def test_pdf_has_every_paragraph_and_table_number(tmp_path):
    result = run_cli("build", QINGSHAN, "-o", tmp_path, "--format", "pdf,html")
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["manifest.json", "report-fragment.html", "report.html",
                                                          "report.pdf", "validation.html", "validation.json"]
    text = _pdftotext(tmp_path / "report.pdf")
    # a paragraph may run on to the next page: leave out the page numbers (“— 5 —”) and page breaks
    flat = _compact(re.sub(r"^—\s*\d+\s*—$", "", text, flags=re.M))
    outcome = build(QINGSHAN, tmp_path / "again", formats=("md",))
    from reportc.report import build_report

    report = build_report(outcome.analysis)
    for section in report.sections:
        if section.heading:
            assert _compact(section.title) in flat, section.title
        for para in section.paragraphs:
            assert _compact(para.text) in flat, para.text
    assert "青山县民政局" in text.splitlines()[-5:] or _compact("青山县民政局2026年1月20日") in flat
    values = compute_values(outcome.workbook.spec, outcome.workbook.data.numbers)
    wanted = Counter(fmt_value(v) for v in values.values())
    found = Counter(re.findall(r"(?<![\d.])\d+(?:\.\d+)?(?![\d.])", text))
    missing = {v: n - found[v] for v, n in wanted.items() if found[v] < n}
    assert not missing, missing
    pages = int(re.search(rb"/Type\s*/Pages.*?/Count\s+(\d+)", (tmp_path / "report.pdf").read_bytes(), re.S).group(1))
    numbers = _compact(text)
    assert f"—{pages}—" in numbers and "—1—" in numbers  # page numbers printed in the footers


def test_pdf_without_libreoffice_names_what_to_install_and_writes_the_rest(tmp_path):
    out = tmp_path / "out"
    result = run_cli("build", QINGSHAN, "-o", out, "--format", "html,pdf", env={"REPORTC_SOFFICE": str(tmp_path / "x")})
    assert_no_traceback(result)
    assert result.returncode == 2
    assert "LibreOffice" in result.stderr and "report.pdf" in result.stderr and "安装" in result.stderr
    assert sorted(p.name for p in out.iterdir()) == ["manifest.json", "report-fragment.html", "report.html",
                                                     "validation.html", "validation.json"]


def test_batch_takes_format_and_template(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(QINGSHAN, folder / "青山.xlsx")
    chrome = tmp_path / "tpl"
    chrome.mkdir()
    (chrome / "index.html.j2").write_text("<h1>门户汇总</h1>{% for e in entries %}<p>{{ e.org }}：{{ e.message }}</p>"
                                          "{% endfor %}\n", encoding="utf-8")
    out = tmp_path / "out"
    result = run_cli("batch", folder, "-o", out, "--format", "md,pdf", "--template", chrome, "--jobs", "1",
                     env={"REPORTC_SOFFICE": str(tmp_path / "x")})
    assert_no_traceback(result)
    index = (out / "index.html").read_text(encoding="utf-8")
    assert index.startswith("<h1>门户汇总</h1><p>青山县民政局：没有找到 LibreOffice")
    assert sorted(p.name for p in (out / "青山").iterdir()) == ["manifest.json", "report.md", "validation.html", "validation.json"]


def test_soffice_is_found_in_program_files_on_windows(tmp_path, monkeypatch):
    from reportc import render_pdf

    exe = tmp_path / "Program Files" / "LibreOffice" / "program" / "soffice.exe"
    exe.parent.mkdir(parents=True)
    exe.write_bytes(b"")
    monkeypatch.delenv("REPORTC_SOFFICE", raising=False)
    monkeypatch.setattr(render_pdf.shutil, "which", lambda name: None)
    monkeypatch.setenv("ProgramFiles", str(tmp_path / "Program Files"))
    assert render_pdf.find_soffice() == str(exe)
    monkeypatch.setenv("ProgramFiles", str(tmp_path / "nowhere"))
    monkeypatch.delenv("ProgramFiles(x86)", raising=False)
    monkeypatch.delenv("ProgramW6432", raising=False)
    assert render_pdf.find_soffice() is None or "LibreOffice.app" in render_pdf.find_soffice()


def test_refresh_keeps_the_clerks_period_and_fills_the_contacts():
    from reportc.opening import refresh

    spec = load_spec("2021")
    old = standard_text(spec, {"info.org": "测试县民政局", "info.year": "2025"})
    texts = {"info.org": "测试县民政局", "info.year": "2025", **CONTACTS}
    assert refresh(spec, texts, old) == standard_text(spec, texts)
    typed_year = old.replace("自2025年1月1日", "自2024年1月1日")
    assert "自2024年1月1日起至2025年12月31日止" in refresh(spec, texts, typed_year)  # R6 reports it; kept as typed
    assert refresh(spec, texts, old + "另有说明。") == old + "另有说明。"  # no longer the standard wording


def test_pdf_font_note_names_the_missing_official_fonts():
    from reportc.render_pdf import embedded_fonts, font_note

    substituted = b"%PDF-1.7 /BaseFont /BAAAAA+NotoSansCJKjp-Regular /FontName /CAAAAA+DejaVuSans"
    official = (b"%PDF-1.7 /BaseFont /BAAAAA+#E4#BB#BF#E5#AE#8B_GB2312 "  # 仿宋_GB2312, escaped as LibreOffice writes it
                b"/BaseFont /CAAAAA+FZXiaoBiaoSong-B05S")
    assert embedded_fonts(official)[0] == "FZXiaoBiaoSong-B05S" and "仿宋_GB2312" in embedded_fonts(official)
    assert font_note(official) == ""
    note = font_note(substituted, pairs={})
    assert "仿宋_GB2312" in note and "方正小标宋简体" in note and "NotoSansCJKjp-Regular" in note
    assert "提醒" in note and "另存为 PDF" in note
    # with the replacement table: the stand-ins by their family names (pdffonts' names are the CFF ones)
    note = font_note(substituted, pairs={"仿宋_GB2312": "Noto Serif CJK SC", "方正小标宋简体": "Noto Serif CJK SC"})
    assert "Noto Serif CJK SC（代替仿宋_GB2312）" in note and "NotoSansCJKjp" not in note


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed")
def test_build_says_when_the_pdf_lacks_the_official_fonts(tmp_path):
    from reportc.render_pdf import embedded_fonts

    result = run_cli("build", ROOT / "examples" / "qingshan-minzheng-2025.xlsx", "-o", tmp_path / "out",
                     "--format", "pdf", cwd=tmp_path)
    assert result.returncode == 0, result.stderr  # a note, not a failure
    fonts = embedded_fonts((tmp_path / "out" / "report.pdf").read_bytes())
    if any("仿宋" in f or "fangsong" in f.casefold() for f in fonts):
        assert "公文字体" not in result.stderr or "方正小标宋简体" in result.stderr
    else:  # this machine has no 仿宋: the user is told, in Chinese, with what to do
        assert "本机没有公文字体“仿宋_GB2312”" in result.stderr and "另存为 PDF" in result.stderr


def test_a_title_at_the_edge_of_the_line_is_broken_where_it_reads_well():
    from reportc.report import title_lines

    # 20 characters wide: it fits 小标宋 exactly, and a substitute font wraps “告” alone (seen in a clerk's PDF)
    assert title_lines("某县财政局2025年政府信息公开工作年度报告") == ["某县财政局2025年", "政府信息公开工作年度报告"]
    assert title_lines("某局2025年政府信息公开工作年度报告") == ["某局2025年政府信息公开工作年度报告"]


def test_build_keeps_another_reports_files_unless_overwrite(tmp_path, filled_workbook):
    a = filled_workbook("a.xlsx", org="甲局")
    b = filled_workbook("b.xlsx", org="乙局", seed=2)
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

