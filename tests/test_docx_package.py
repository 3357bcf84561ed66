"""report.docx is written as XML text into the parts of a prepared base (render_docx, docx_package),
without python-docx per report. Each report must be what python-docx made of it before (commit 3359ef2):
the same parts, and each XML part equal after canonicalisation (C14N 2.0) to the one the old
implementation writes. That implementation is kept here, in `old_render`, as the oracle: it opens the
same prepared base with python-docx and adds the report as render_docx.py did until 3359ef2."""

from __future__ import annotations

import io
import os
import subprocess
import sys
import zipfile
from pathlib import Path
from xml.etree.ElementTree import canonicalize

import pytest

from reportc import check, record, render_docx
from reportc.docx_package import DamagedPackage, read_entries
from reportc.report import Paragraph, build_report

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = sorted((ROOT / "examples").glob("*.xlsx"))


@pytest.fixture(autouse=True)
def _fresh(tmp_path, monkeypatch):
    """Each test with its own cache folder, a fixed build time and no base kept from earlier."""
    monkeypatch.setenv("REPORTC_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    monkeypatch.setattr(render_docx, "_PREPARED", {})


def old_render(report) -> bytes:
    """render_docx as it was until 3359ef2: the prepared base opened with python-docx, the report
    added through python-docx (tables parsed from table_xml), saved by python-docx."""
    from docx import Document
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls, qn

    from reportc.docx_base import _draft_header, _order_ppr
    from reportc.docx_style import BODY_PT, LEVEL_STYLE, STYLES
    from reportc.opening import signature_indents
    from reportc.report import title_lines

    doc = Document(io.BytesIO(render_docx._base(False).data))
    styles = {name: doc.styles[name] for name in STYLES}

    def add(text, style):
        p = doc.add_paragraph(text)
        if style.style_id != "Normal":
            p._p.get_or_add_pPr().style = style.style_id
        return p

    if report.draft:
        _draft_header(doc)
    props = doc.core_properties
    props.title, props.author, props.last_modified_by = report.title[:255], report.org[:255], report.org[:255]
    props.comments = "由 reportc 生成"
    props.created = props.modified = render_docx.build_time()
    props.revision = 1
    body = doc.element.body
    title = add("", styles["年报标题"])
    for i, line in enumerate(title_lines(report.title)):
        run = title.add_run(line)
        if i:
            run._r.insert(0, parse_xml(f'<w:br {nsdecls("w")}/>'))
    add("", styles["Normal"])
    for section in report.sections:
        if section.heading:
            add(section.title, styles["年报一级标题"])
        if section.table is not None:
            xml = render_docx.table_xml(section, styles["年报表格"].style_id)
            body.insert(len(body) - 1, parse_xml(xml.replace("<w:tbl>", f'<w:tbl {nsdecls("w")}>', 1)))
            add("", styles["年报表格"])
        for para in section.paragraphs:
            p = add(para.text, styles[LEVEL_STYLE[para.level]])
            if render_docx.UNBREAKABLE.search(para.text):
                ppr = p._p.get_or_add_pPr()
                for old in ppr.findall(qn("w:jc")):
                    ppr.remove(old)
                ppr.append(parse_xml(f'<w:jc {nsdecls("w")} w:val="left"/>'))
                _order_ppr(ppr)
    if report.signature:
        add("", styles["Normal"]), add("", styles["Normal"])
        lines = report.signature
        for i, (line, indent) in enumerate(zip(lines, signature_indents(lines), strict=True)):
            ppr = add(line, styles["Normal"])._p.get_or_add_pPr()
            if i < len(lines) - 1:
                ppr.append(parse_xml(f'<w:keepNext {nsdecls("w")}/>'))
            twips = int(indent * BODY_PT * 20)
            ppr.append(parse_xml(f'<w:ind {nsdecls("w")} w:firstLine="0" w:firstLineChars="0" w:right="{twips}"/>'))
            ppr.append(parse_xml(f'<w:jc {nsdecls("w")} w:val="right"/>'))
            _order_ppr(ppr)
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def parts(docx: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(docx)) as z:
        assert z.testzip() is None
        return {name: z.read(name) for name in z.namelist()}


def assert_same_package(new: bytes, old: bytes) -> None:
    """The same parts; XML parts equal after C14N 2.0, the others byte for byte."""
    new_parts, old_parts = parts(new), parts(old)
    assert sorted(new_parts) == sorted(old_parts)
    for name, data in old_parts.items():
        if name.endswith((".xml", ".rels")):
            assert canonicalize(new_parts[name].decode("utf-8")) == canonicalize(data.decode("utf-8")), name
        else:
            assert new_parts[name] == data, name


def example_report(path: Path, draft: bool = False):
    return build_report(check(path).analysis, draft=draft)


@pytest.mark.parametrize("draft", [False, True], ids=["final", "draft"])
@pytest.mark.parametrize("example", EXAMPLES, ids=[p.stem for p in EXAMPLES])
def test_examples_are_what_python_docx_made(example, draft):
    report = example_report(example, draft)
    new = render_docx.render_docx(report)
    assert_same_package(new, old_render(report))
    assert ("word/header1.xml" in parts(new)) is draft


def test_an_unbreakable_address_is_set_flush_left_as_before():
    report = example_report(EXAMPLES[-1])
    address = "联系地址：某某县人民路88号（邮编：331200），电子邮箱：qsxmzj-office@example.gov.cn，网址：https://www.example.gov.cn/"
    section = next(s for s in report.sections if s.paragraphs)
    paragraphs = (Paragraph(address, 0), Paragraph("（一）https://example.gov.cn/very/long/path", 2),
                  Paragraph("1.联系 0791-12345678", 3), *section.paragraphs)
    changed = record.replace(report, sections=tuple(
        record.replace(s, paragraphs=paragraphs) if s is section else s for s in report.sections))
    new = render_docx.render_docx(changed)
    assert_same_package(new, old_render(changed))
    assert parts(new)["word/document.xml"].count(b'<w:jc w:val="left"/>') >= 3


def test_hostile_text_is_data_as_before():
    """XML specials, markup, tabs, line breaks, spaces at either end, ideographic spaces and a title
    longer than core properties hold: the same document as python-docx made."""
    report = example_report(EXAMPLES[0], draft=True)
    hostile = "<w:p>&amp; ]]> \"引号\" 'x' <![CDATA[ y ]]>"
    title = "\t" + hostile * 20 + "\n第二行　"
    section = next(s for s in report.sections if s.paragraphs)
    paragraphs = (Paragraph(" 首尾空格 ", 0), Paragraph("制表\t符", 2), Paragraph("\u3000\u3000全角空格开头", 0),
                  Paragraph(hostile, 3), Paragraph("a\r\nb\nc", 0), *section.paragraphs)
    changed = record.replace(
        report, title=title, org=hostile * 30, signature=(hostile, "2026年1月\t20日 "),
        sections=tuple(record.replace(s, paragraphs=paragraphs) if s is section else s for s in report.sections))
    new = render_docx.render_docx(changed)
    assert_same_package(new, old_render(changed))
    core = parts(new)["docProps/core.xml"].decode("utf-8")
    assert "&lt;w:p&gt;&amp;amp;" in core and "<w:p>" not in core
    from docx import Document

    doc = Document(io.BytesIO(new))
    assert doc.core_properties.title == title[:255]
    assert [p.text for p in doc.paragraphs][-2:] == [hostile, "2026年1月\t20日 "]


def test_cells_with_control_characters_specials_and_a_long_title(filled_workbook):
    """Through the reader (which removes control characters with R4, as before): the report of a
    workbook whose cells hold control characters, XML specials and a very long title."""
    path = filled_workbook(
        info__title="测试县民政局" * 50 + "<报告>&amp;",
        info__address="人民路88号_x0007_（邮编331200）qsxmzj-office@example.gov.cn",
        s1__sub1__2="正文\u200b中有_x0007_控制字符，<script>alert(1)</script> & ]]> {{ 7*7 }}",
        s1__sub2__2="第一段\n\n第二段\t有制表符_xD800_和_xFFFF_")
    report = build_report(check(path).analysis)
    texts = [p.text for s in report.sections for p in s.paragraphs]
    assert any("<script>" in t for t in texts) and not any("\x07" in t for t in texts)
    new = render_docx.render_docx(report)
    assert_same_package(new, old_render(report))
    assert len(report.title) > 255


def test_characters_xml_cannot_hold_are_left_out():
    """python-docx refused them (ValueError); the reader never lets them through. A report made some
    other way loses them, and report.docx stays well-formed: the document without them."""
    report = example_report(EXAMPLES[0])
    bad = "\x00\x01\x08\x0b\x0c\x1f\ud800\ufffe\uffff"
    section = next(s for s in report.sections if s.paragraphs)
    first = section.paragraphs[0]

    def with_text(text, title):
        para = record.replace(first, text=text)
        return record.replace(report, title=title, sections=tuple(
            record.replace(s, paragraphs=(para, *s.paragraphs[1:])) if s is section else s
            for s in report.sections))

    with pytest.raises(ValueError):
        old_render(with_text(first.text + bad, report.title))
    new = render_docx.render_docx(with_text(bad + first.text + bad, bad + report.title))
    assert_same_package(new, old_render(with_text(first.text, report.title)))


def test_the_package_is_reproducible_and_copies_the_unchanged_parts(monkeypatch):
    report = example_report(EXAMPLES[0])
    first = render_docx.render_docx(report)
    monkeypatch.setattr(render_docx, "_PREPARED", {})  # read again from the cache folder
    assert render_docx.render_docx(report) == first  # SOURCE_DATE_EPOCH: the same bytes
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000002")
    assert render_docx.render_docx(report) != first
    base, _ = read_entries(render_docx._base(False).data, ())
    made, _ = read_entries(first, ())
    assert [e.name for e in made] == [e.name for e in base]
    kept = {e.name: e.raw for e in base}
    assert {e.name for e in made if e.raw != kept[e.name]} == {"word/document.xml", "docProps/core.xml"}
    with zipfile.ZipFile(io.BytesIO(first)) as z:
        assert {i.date_time for i in z.infolist()} == {(2023, 11, 14, 22, 13, 20)}


def test_a_damaged_base_in_the_cache_folder_is_made_again(tmp_path, monkeypatch):
    report = example_report(EXAMPLES[0])
    first = render_docx.render_docx(report)
    kept = next((tmp_path / "cache").glob("docx-prepared-*.docx"))
    data = bytearray(kept.read_bytes())
    data[len(data) // 2] ^= 0xFF  # one byte of a compressed part: its CRC no longer holds
    kept.write_bytes(bytes(data))
    with pytest.raises(DamagedPackage):
        render_docx.Base.read(bytes(data))
    monkeypatch.setattr(render_docx, "_PREPARED", {})
    assert render_docx.render_docx(report) == first
    assert kept.read_bytes() != bytes(data)  # made again and kept


WARM_BUILD = """
import sys
from reportc.cli import main
sys.argv = ["reportc", "build", sys.argv[1], "-o", sys.argv[2]]
try:
    main()
except SystemExit as exit:
    assert not exit.code, exit.code
print(sorted(m for m in sys.modules if m == "docx" or m.startswith("docx.")))
"""


def test_a_build_with_a_warm_cache_does_not_import_python_docx(tmp_path):
    env = {**os.environ, "REPORTC_CACHE_DIR": str(tmp_path / "cache"), "PYTHONIOENCODING": "utf-8"}
    runs = []
    for out in ("cold", "warm"):
        run = subprocess.run([sys.executable, "-c", WARM_BUILD, str(EXAMPLES[-1]), str(tmp_path / out)], env=env,
                             capture_output=True, text=True, encoding="utf-8", timeout=300)
        assert run.returncode == 0, run.stderr[-3000:]
        assert (tmp_path / out / "report.docx").stat().st_size > 10000
        runs.append(run.stdout.strip().splitlines()[-1])
    assert "'docx'" in runs[0]  # the base was made with python-docx: the check sees an import
    assert runs[1] == "[]"
