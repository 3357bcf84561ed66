"""The real 2020 report of 西工区民政局 (2019 edition) goes through reportc end to end.

The expected paragraphs are read here straight from the copied source text, not from
the script that made the workbook: every non-empty line of sections 一, 五 and 六,
without Markdown heading marks, except the duplicated "一、总体情况" heading.
"""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from reportc import build

ROOT = Path(__file__).resolve().parents[1]
SOURCE = ROOT / "examples" / "source" / "sample-report-2020-xigong-minzheng.txt"
WORKBOOK = ROOT / "examples" / "xigong-minzheng-2020.xlsx"


def expected_paragraphs() -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    current = None
    for line in SOURCE.read_text(encoding="utf-8").splitlines():
        m = re.match(r"^#+\s*([一二三四五六])、", line)
        if m and m.group(1) != current:
            current = m.group(1)
            out[current] = []
            continue
        text = re.sub(r"^#+\s*", "", line).strip()
        if current in ("一", "五", "六") and text and text != "一、总体情况":
            out[current].append(text)
    return out


class _Sections(HTMLParser):
    """Text of the headings and paragraphs inside each <section id=…>."""

    def __init__(self):
        super().__init__()
        self.sections: dict[str, list[str]] = {}
        self.current = None
        self.buf = None

    def handle_starttag(self, tag, attrs):
        if tag == "section":
            self.current = self.sections.setdefault(dict(attrs)["id"].removeprefix("section-"), [])
        elif tag in ("p", "h3", "h4") and self.current is not None:
            self.buf = ""

    def handle_data(self, data):
        if self.buf is not None:
            self.buf += data

    def handle_endtag(self, tag):
        if tag in ("p", "h3", "h4") and self.buf is not None:
            self.current.append(self.buf)
            self.buf = None
        elif tag == "section":
            self.current = None


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    out = tmp_path_factory.mktemp("xigong")
    return build(WORKBOOK, out), out


def test_sample_builds_without_errors(built):
    outcome, out = built
    assert outcome.workbook.spec.edition == "2019"
    assert outcome.errors == 0
    assert (out / "report.docx").is_file()


def test_narrative_equals_the_original_paragraph_for_paragraph(built):
    _, out = built
    parser = _Sections()
    parser.feed((out / "report.html").read_text(encoding="utf-8"))
    want = expected_paragraphs()
    # the sample's first paragraph (编制依据, 统计期限) is its opening paragraph: 开篇, before 一
    assert parser.sections["s0"] == want["一"][:1]
    assert parser.sections["s1"] == want["一"][1:]
    assert parser.sections["s5"] == want["五"]
    assert parser.sections["s6"] == want["六"] == ["无"]
    assert len(want["一"]) == 15


def test_tables_carry_the_numbers_under_official_labels(built):
    _, out = built
    html = (out / "report.html").read_text(encoding="utf-8").replace("<wbr>", "")  # headers break between words
    md = (out / "report.md").read_text(encoding="utf-8")
    assert "8615" in html  # quoted in the narrative
    assert "| 政府集中采购 | 5 | 838.4002 |" in md
    assert "| 行政许可 | 0 | 15 | 15 |" in md
    assert "采购总金额（单位：万元，保留4位小数）" in md
    for official in ("社会公益组织", "2.其他法律行政法规禁止公开", "4.保护第三方合法权益"):
        assert official in html and official in md
    for sample_typo in ("社会组织<", "其他法律法规禁止公开", "保护第三方法合法权益"):
        assert sample_typo not in html and sample_typo not in md


def test_validation_report_is_honest_about_what_the_sample_leaves_blank(built):
    _, out = built
    data = json.loads((out / "validation.json").read_text(encoding="utf-8"))
    d7 = [f for f in data["findings"] if f["rule"] == "D7"]
    assert len(d7) == 1 and "30个空白单元格" in d7[0]["message"]
    assert "D8" in d7[0]["message"]  # （一）予以公开, 自然人: lost in the garbled text
    r5 = [f for f in data["findings"] if f["rule"] == "R5"]
    assert [f["left"] for f in r5] == ["主动公开各类政府信息条"]
