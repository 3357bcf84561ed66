"""Visual regression and print layout: the examples as people see them.

report.html on screen and printed by headless Chromium, and report.docx converted by
LibreOffice, are rasterised and compared page by page with reviewed reference images
(tests/visual/, rewritten by tests/update_visual.py). The printed report.html has page
numbers, and no table starts on a page with fewer than three of its data rows."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from visual import EXAMPLES, REFERENCE, compare, render, tools_missing

from reportc.layout import table_grid
from reportc.spec import load_spec

pytestmark = [pytest.mark.libreoffice,
              pytest.mark.skipif(bool(tools_missing()), reason=f"needs {', '.join(tools_missing())} (.ci/run installs them)")]
pytestmark.append(pytest.mark.xdist_group("visual"))  # one pytest-xdist worker runs this module: its module fixture is made once


@pytest.fixture(scope="module", params=list(EXAMPLES))
def rendered(request, tmp_path_factory):
    work = tmp_path_factory.mktemp(EXAMPLES[request.param])
    return request.param, work, render(request.param, work)


def test_pages_match_the_reviewed_references(rendered):
    example, work, images = rendered
    reference = REFERENCE / EXAMPLES[example]
    expected = sorted(p.name for p in reference.glob("*.png"))
    assert sorted(images) == expected, f"pages differ from the references in {reference}: {sorted(images)}"
    problems = [compare(images[name], reference / name, work / f"diff-{name}") for name in expected]
    problems = [p for p in problems if p]
    assert not problems, "\n".join(problems)


def _compact(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _pages(pdf: Path) -> list[str]:
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", str(pdf), "-"], capture_output=True, check=True,
                          timeout=60).stdout.decode("utf-8")
    return [_compact(p) for p in text.split("\f") if p.strip()]


def _first_rows(table, n: int = 3) -> list[str]:
    """The innermost row label of the first n rows with values (the text a reader looks for)."""
    grid = table_grid(table)
    value_rows = sorted({c.r for c in grid.cells if c.role == "value"})[:n]
    labels = []
    for r in value_rows:
        cells = [c for c in grid.cells if c.role == "label" and c.r <= r < c.r + c.rowspan]
        if cells:
            labels.append(_compact(max(cells, key=lambda c: c.c).text)[:4])
    return labels


def test_print_has_page_numbers_and_no_table_starts_with_fewer_than_three_rows(rendered):
    example, work, images = rendered
    pages = _pages(work / "print.pdf")
    assert len(pages) >= 4
    for number, page in enumerate(pages, start=1):
        assert f"—{number}—" in page, f"page {number} has no page number: …{page[-60:]}"
    spec = load_spec({"qingshan-2025": "2021", "xigong-2020": "2019"}[EXAMPLES[example]])
    for table in spec.tables:
        title = _compact(table.title)
        where = [i for i, p in enumerate(pages) if title in p]
        assert len(where) == 1, (table.title, where)
        rest = pages[where[0]].split(title, 1)[1]
        labels = _first_rows(table)
        for label in labels:
            assert label in rest, f"{table.title} starts on page {where[0] + 1} without its row “{label}”"
        if not labels:  # a table without row labels (四): its one data row is on the same page
            following = spec.section_order[spec.section_order.index(table.id) + 1]
            cells = rest.split(_compact(spec.section(following).title))[0]
            assert len(re.findall(r"\d", cells)) >= len(table.blocks[0].columns), (table.title, cells)


def test_compare_flags_a_changed_page_and_writes_a_diff_image(tmp_path):
    from PIL import Image, ImageDraw

    reference = REFERENCE / "qingshan-2025" / "print-1.png"
    assert compare(reference, reference, tmp_path / "same.png") is None
    changed = tmp_path / "print-1.png"
    with Image.open(reference) as im:
        im = im.convert("L")
        ImageDraw.Draw(im).rectangle((40, 40, 140, 140), fill=0)  # a block of text where there was none
        im.save(changed)
    message = compare(changed, reference, tmp_path / "diff-print-1.png")
    assert message and "diff image" in message and (tmp_path / "diff-print-1.png").is_file()
