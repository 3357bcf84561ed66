"""No justified line of report.pdf is stretched: a Latin run that cannot break (an e-mail address, a
telephone number) used to move whole to the next line and leave the line before it with its characters
pulled apart (“公 室 联 系 （ 地 址 ：…”). Measured from the PDF's word boxes (pdftotext -bbox-layout): on
every line, consecutive Chinese characters sit at most a fraction of an em apart."""

from __future__ import annotations

import re
import shutil
import statistics
import subprocess
from pathlib import Path
from xml.etree import ElementTree

import pytest

from reportc import build, record
from reportc.render_docx import render_docx
from reportc.render_pdf import docx_to_pdf, find_soffice
from reportc.report import Paragraph, build_report

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ["qingshan-minzheng-2025.xlsx", "xigong-minzheng-2020.xlsx"]
XHTML = "{http://www.w3.org/1999/xhtml}"
CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff01-\uff60]")
MAX_GAP = 0.25  # em: the widest space allowed between two Chinese characters of a line
MAX_ADVANCE = 1.12  # em: the widest advance of a Chinese character inside a word

pytestmark = [pytest.mark.libreoffice,
              pytest.mark.skipif(find_soffice() is None or shutil.which("pdftotext") is None,
                                 reason="needs LibreOffice and poppler-utils (.ci/run installs them)")]


def _words(pdf: Path):
    """(page, line height, [(xMin, xMax, text), …]) for each line of the PDF."""
    xml = subprocess.run(["pdftotext", "-bbox-layout", str(pdf), "-"], capture_output=True, check=True,
                         timeout=60).stdout.decode("utf-8")
    root = ElementTree.fromstring(re.sub(r"<!DOCTYPE[^>]*>", "", xml))
    for number, page in enumerate(root.iter(XHTML + "page"), start=1):
        for line in page.iter(XHTML + "line"):
            height = float(line.get("yMax")) - float(line.get("yMin"))
            yield number, height, [(float(w.get("xMin")), float(w.get("xMax")), w.text or "")
                                   for w in line.iter(XHTML + "word")]


def stretched_lines(pdf: Path) -> list[str]:
    lines = list(_words(pdf))
    # the em: a Chinese character's advance in runs of Chinese text, as most lines set it, per point
    # of line height (the title and the tables have other sizes)
    advances = [(x1 - x0) / len(t) / height for _, height, words in lines for x0, x1, t in words
                if len(t) >= 4 and all(CJK.match(c) for c in t)]
    per_height = statistics.median(advances)
    # the body text's line height: the median over characters (a paragraph line holds ~28, a table cell few)
    body = statistics.median(height for _, height, words in lines for _, _, t in words for _ in t)
    found = []
    for page, height, words in lines:
        if abs(height - body) > 0.1 * body:  # the title, and the tables' cells (a row of cells is no line)
            continue
        em = per_height * height
        text = " ".join(t for _, _, t in words)
        for (_, a1, a), (b0, _, b) in zip(words, words[1:], strict=False):
            if a and b and CJK.match(a[-1]) and CJK.match(b[0]) and (b0 - a1) > MAX_GAP * em:
                found.append(f"page {page}: {(b0 - a1) / em:.2f} em between “{a[-1]}” and “{b[0]}”: {text}")
        for x0, x1, t in words:
            if len(t) >= 2 and all(CJK.match(c) for c in t) and (x1 - x0) / len(t) > MAX_ADVANCE * em:
                found.append(f"page {page}: characters {(x1 - x0) / len(t) / em:.2f} em apart: {text}")
    return found


@pytest.mark.parametrize("example", EXAMPLES)
def test_no_line_of_the_examples_is_stretched(tmp_path, example):
    build(ROOT / "examples" / example, tmp_path / "out", formats=("pdf",))
    found = stretched_lines(tmp_path / "out" / "report.pdf")
    assert not found, "\n".join(found)


def test_a_contact_address_at_any_place_on_the_line_stretches_nothing(tmp_path):
    """The opening paragraph with its address one character longer each time: the e-mail address
    and the telephone number meet the end of a line at every offset."""
    outcome = build(ROOT / "examples" / "qingshan-minzheng-2025.xlsx", tmp_path / "out", formats=("md",))
    report = build_report(outcome.analysis)
    opening = report.sections[0].paragraphs[0].text
    assert "qsxmzj@example.gov.cn" in opening and "青山县人民路88号" in opening
    variants = tuple(Paragraph(opening.replace("青山县人民路88号", "青山县人民路" + "东" * k + "88号"))
                     for k in range(30))
    section = record.replace(report.sections[0], paragraphs=variants)
    pdf = tmp_path / "variants.pdf"
    pdf.write_bytes(docx_to_pdf(render_docx(record.replace(report, sections=(section,), signature=()))))
    found = stretched_lines(pdf)
    assert not found, "\n".join(found)
    # the e-mail address is whole on its line in the text a reader copies (nothing inserted in it); the
    # telephone number may break after its hyphen (which pdftotext then drops, as a hyphenation)
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, check=True).stdout.decode("utf-8")
    assert text.count("qsxmzj@example.gov.cn") == 30
    assert len(re.findall("0791-?12345678", re.sub(r"\s+", "", text))) == 30
