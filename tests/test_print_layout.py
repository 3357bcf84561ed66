"""Print layout of report.html (printed by Chromium) and report.pdf (LibreOffice from report.docx).

- Table 三 breaks across pages where it does not fit (it is not pushed whole to the next page, which left
  pages half empty): each page it is on repeats its header rows and holds at least three of its rows.
- Table 四's column headers break between words (结果/维持), never one character a line."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path
from xml.etree import ElementTree

import pytest
from chromium import chromium, print_pdf

from reportc import build
from reportc.layout import table_grid
from reportc.render_pdf import find_soffice
from reportc.spec import load_spec

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = {"qingshan-minzheng-2025.xlsx": "2021", "xigong-minzheng-2020.xlsx": "2019"}
XHTML = "{http://www.w3.org/1999/xhtml}"

pytestmark = [pytest.mark.libreoffice,
              pytest.mark.skipif(chromium() is None or find_soffice() is None,
                                 reason="needs Chromium and LibreOffice (.ci/run installs them)")]
pytestmark.append(pytest.mark.xdist_group("print_layout"))  # one pytest-xdist worker runs this module: its module fixture is made once


@pytest.fixture(scope="module", params=sorted(EXAMPLES))
def printed(request, tmp_path_factory) -> tuple[str, dict[str, Path]]:
    work = tmp_path_factory.mktemp("print")
    build(ROOT / "examples" / request.param, work / "out", formats=("html", "pdf"))
    html_pdf = print_pdf(work / "out" / "report.html", work / "html.pdf")
    return EXAMPLES[request.param], {"report.html printed": html_pdf, "report.pdf": work / "out" / "report.pdf"}


def _pages(pdf: Path) -> list[str]:
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", str(pdf), "-"], capture_output=True, check=True,
                          timeout=60).stdout.decode("utf-8")
    return [re.sub(r"\s+", "", p) for p in text.split("\f")]


def _row_keys(table) -> list[str]:
    """The first characters of each data row's innermost label, in order."""
    grid = table_grid(table)
    keys = []
    for r in sorted({c.r for c in grid.cells if c.role == "value"}):
        labels = [c for c in grid.cells if c.role == "label" and c.r <= r < c.r + c.rowspan]
        keys.append(re.sub(r"\s+", "", max(labels, key=lambda c: c.c).text)[:4])
    return keys


def test_table_three_breaks_across_pages_with_its_header_and_three_rows_a_page(printed):
    edition, pdfs = printed
    table = load_spec(edition).table("t3")
    title = re.sub(r"\s+", "", table.title)
    header = "申请人情况"
    spec = load_spec(edition)
    following = re.sub(r"\s+", "", spec.section(spec.section_order[spec.section_order.index("t3") + 1]).title)
    keys = _row_keys(table)
    for name, pdf in pdfs.items():
        pages = _pages(pdf)
        start = next(i for i, p in enumerate(pages) if title in p)
        end = next(i for i, p in enumerate(pages) if following in p)
        # the table's text on each page (pdftotext may read merged cells out of order: count, not sequence)
        parts = {i: pages[i] for i in range(start, end + 1)}
        parts[start] = parts[start].split(title, 1)[1]
        parts[end] = parts[end].split(following, 1)[0] if end != start else parts[start].split(following, 1)[0]
        rows_on = {}
        for i, text in parts.items():
            count = sum(min(text.count(key), keys.count(key)) for key in set(keys))
            if count:
                rows_on[i] = count
        assert sum(rows_on.values()) == len(keys), (name, rows_on, len(keys))
        for number, count in rows_on.items():
            assert count >= 3, f"{name}: page {number + 1} holds {count} rows of table 三: {rows_on}"
            assert header in pages[number], f"{name}: page {number + 1} has rows of table 三 but not its header"
        # not pushed to a new page: the page before had no room for the heading, header and three rows
        if start > 0:
            words = _boxes(pdf)
            top = min(y0 for text, y0, _ in words[start] if text.startswith(title[:6]))
            third = [y1 for text, _, y1 in words[start] if text.startswith(keys[2]) and y1 > top]
            needed = min(third) - top
            last = max(y1 for text, _, y1 in words[start - 1] if y1 < CONTENT_BOTTOM)
            assert CONTENT_BOTTOM - last < needed, (
                f"{name}: table 三 starts on page {start + 1}, but page {start} had {CONTENT_BOTTOM - last:.0f} pt "
                f"free and its heading with three rows needs {needed:.0f} pt")


CONTENT_BOTTOM = 841.9 - 35 / 25.4 * 72  # pt: A4 less the 35 mm bottom margin (the page number is below)


def _boxes(pdf: Path) -> list[list[tuple[str, float, float]]]:
    """Each page's words with their top and bottom (pt)."""
    xml = subprocess.run(["pdftotext", "-bbox-layout", str(pdf), "-"], capture_output=True, check=True,
                         timeout=60).stdout.decode("utf-8")
    root = ElementTree.fromstring(re.sub(r"<!DOCTYPE[^>]*>", "", xml))
    return [[(w.text or "", float(w.get("yMin")), float(w.get("yMax"))) for w in page.iter(XHTML + "word")]
            for page in root.iter(XHTML + "page")]


def _words(pdf: Path) -> list[list[str]]:
    xml = subprocess.run(["pdftotext", "-bbox-layout", str(pdf), "-"], capture_output=True, check=True,
                         timeout=60).stdout.decode("utf-8")
    root = ElementTree.fromstring(re.sub(r"<!DOCTYPE[^>]*>", "", xml))
    return [[w.text or "" for w in page.iter(XHTML + "word")] for page in root.iter(XHTML + "page")]


def test_table_four_headers_break_between_words(printed):
    _, pdfs = printed
    for name, pdf in pdfs.items():
        for words in _words(pdf):
            if "行政诉讼" not in words or "复议后起诉" not in words:
                continue
            assert words.count("结果") >= 6 and words.count("维持") >= 3 and words.count("审结") >= 3, (name, words)
            single = [w for w in words if w in ("结", "果", "维", "持", "纠", "正", "尚", "未", "审")]
            assert not single, f"{name}: table 四's headers break one character a line: {single}"
            break
        else:
            raise AssertionError(f"{name}: table 四 not found")
