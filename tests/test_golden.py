"""The example's report.html and report.md equal reviewed golden files; the DOCX is
checked structurally (page, fonts, merged headers, page numbers, every value).

After an intended change: `python tests/update_golden.py`, then review the diff
(`git diff tests/golden`) line by line before committing it.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest
from parse_outputs import docx_grid, docx_values, html_values

from reportc import build
from reportc.checks import compute_values
from reportc.findings import fmt_value

# one pytest-xdist worker runs this module: its module fixture is made once
pytestmark = pytest.mark.xdist_group("golden")

ROOT = Path(__file__).resolve().parents[1]
GOLDEN = Path(__file__).parent / "golden"
EXAMPLES = {"qingshan-minzheng-2025.xlsx": "qingshan-2025", "xigong-minzheng-2020.xlsx": "xigong-2020"}


VERSION = re.compile(r"reportc \d+\.\d+(?:\.\d+)?(?:[.+-]?[a-z0-9]+)*")


def stable(text: str) -> str:
    """The output without its volatile parts (the version string), as golden files store it."""
    return VERSION.sub("reportc <version>", text)


@pytest.fixture(scope="module", params=sorted(EXAMPLES))
def built(request, tmp_path_factory):
    out = tmp_path_factory.mktemp("golden") / "out"
    outcome = build(ROOT / "examples" / request.param, out)
    return request.param, outcome, out


@pytest.mark.parametrize("name", ["report.html", "report.md"])
def test_matches_golden(built, name):
    example, outcome, out = built
    assert outcome.errors == 0
    golden = GOLDEN / EXAMPLES[example] / name
    assert stable((out / name).read_text(encoding="utf-8")) == golden.read_text(encoding="utf-8"), (
        f"{name} differs from {golden}; if intended, run tests/update_golden.py and review the diff")


def test_docx_structure(built):
    from docx import Document
    from docx.oxml.ns import qn
    from docx.shared import Mm

    _, outcome, out = built
    path = out / "report.docx"
    doc = Document(str(path))
    sec = doc.sections[0]
    assert (round(sec.page_width / Mm(1)), round(sec.page_height / Mm(1))) == (210, 297)
    margins = [round(getattr(sec, m) / Mm(1)) for m in ("top_margin", "bottom_margin", "left_margin", "right_margin")]
    assert margins == [37, 35, 28, 26]

    def east_asia(style):
        fonts = style.element.rPr.find(qn("w:rFonts"))
        return fonts.get(qn("w:eastAsia"))

    paragraphs = doc.paragraphs
    # the title is one paragraph, broken into balanced lines (w:br)
    assert paragraphs[0].text.replace("\n", "") == outcome.workbook.data.texts["info.org"] + outcome.workbook.data.texts["info.year"] + "年政府信息公开工作年度报告"
    title = paragraphs[0].style
    assert east_asia(title) == "方正小标宋简体" and title.font.size.pt == 22
    by_text = {p.text: p for p in paragraphs}
    assert east_asia(by_text["一、总体情况"].style) == "黑体"
    subsection = next(p for p in paragraphs if re.match(r"^[（(]一[）)]", p.text))
    assert east_asia(subsection.style) == "楷体_GB2312"
    body = max(paragraphs, key=lambda p: len(p.text))
    assert east_asia(body.style) == "仿宋_GB2312" and body.style.font.size.pt == 16
    numbered = [p for p in paragraphs if re.match(r"^\d[.．]", p.text)]
    assert numbered
    for p in numbered:  # short numbered lines are 仿宋 bold headings, long ones stay body text
        assert p.style.name == ("年报三级标题" if len(p.text) <= 30 else "Normal"), p.text
        if len(p.text) <= 30:
            assert p.style.font.bold and east_asia(p.style) == "仿宋_GB2312"
    # no font theme attributes in the defaults or the styles used (they would override w:eastAsia)
    defaults = doc.styles.element.find(qn("w:docDefaults"))
    used = {p.style.name for p in paragraphs}
    themed = [s.name for s in doc.styles if s.name in used and "Theme" in (s.element.rPr.xml if s.element.rPr is not None else "")]
    default_fonts = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr")).find(qn("w:rFonts"))
    assert not [a for a in default_fonts.attrib if a.endswith("Theme")] and not themed

    # tables: three, with the official merges
    assert len(doc.tables) == 3
    t3 = doc.tables[1]._tbl
    spans = [int(g.get(qn("w:val"))) for g in t3.iter(qn("w:gridSpan"))]
    assert 7 in spans and 5 in spans and 3 in spans
    restarts = [v for v in t3.iter(qn("w:vMerge")) if v.get(qn("w:val")) == "restart"]
    assert len(restarts) >= 6  # note, 自然人, 总计, 三、本年度办理结果, （三）, （四）, …
    assert [g.get(qn("w:w")) for g in t3.iter(qn("w:gridCol"))], "table grid widths written"
    t4 = docx_grid(doc.tables[2])
    assert t4[(0, 0)] == "行政复议" and t4[(0, 5)] == "行政诉讼" and t4[(1, 5)] == "未经复议直接起诉"

    # every table value
    spec = outcome.workbook.spec
    expected = {k: fmt_value(v) for k, v in compute_values(spec, outcome.workbook.data.numbers).items()}
    assert docx_values(spec, path) == expected

    # page numbers — 1 —: odd pages right, even pages left
    settings = zipfile.ZipFile(path).read("word/settings.xml").decode()
    assert "evenAndOddHeaders" in settings
    odd, even = sec.footer.paragraphs[0], sec.even_page_footer.paragraphs[0]
    for footer, align in ((odd, "right"), (even, "left")):
        xml = footer._p.xml
        assert "PAGE" in xml and "— " in xml and " —" in xml
        assert f'w:val="{align}"' in xml


def test_html_is_accessible_table_markup(built):
    example, outcome, out = built
    html = (out / "report.html").read_text(encoding="utf-8")
    assert '<html lang="zh-CN">' in html and "@page { size: A4" in html
    assert html.count("<table") == 3 and 'scope="col"' in html and 'scope="row"' in html
    assert 'headers="' in html
    spec = outcome.workbook.spec
    expected = {k: fmt_value(v) for k, v in compute_values(spec, outcome.workbook.data.numbers).items()}
    assert html_values(spec, out / "report.html") == expected
