"""Every label reportc shows equals the official format verbatim.

tests/data/official-format.md is a copy of the reference facts (the statutory labels
in code blocks); the tables of each edition's specification are compared with it
block by block, row by row, in order.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from reportc.layout import table_grid
from reportc.spec import load_spec

REFERENCE = (Path(__file__).parent / "data" / "official-format.md").read_text(encoding="utf-8")


def _chapter(title_start: str) -> str:
    start = REFERENCE.index(f"\n## {title_start}")
    end = REFERENCE.find("\n## ", start + 5)
    return REFERENCE[start: end if end > 0 else None]


def _blocks(text: str) -> list[list[str]]:
    return [b.strip("\n").splitlines() for b in re.findall(r"```\n(.*?)```", text, re.S)]


def _cells(line: str) -> list[str]:
    return [re.sub(r"\s*\(spans.*?\)\s*$", "", c).strip() for c in line.split("|") if c.strip()]


def _table2_blocks(lines: list[str]) -> list[tuple[str, list[str], list[str]]]:
    blocks = []
    for line in lines:
        if line.startswith("第二十条"):
            blocks.append((line, [], []))
        elif "|" in line:
            blocks[-1][1].extend(_cells(line))
        else:
            blocks[-1][2].append(line.strip())
    return blocks


def _reference(edition: str) -> dict:
    ch4 = _blocks(_chapter("4. Edition 2021"))
    ref = {"t2": _table2_blocks(ch4[0]), "t3_header": ch4[1], "t3_rows": [line.strip() for line in ch4[2]], "t4": ch4[3]}
    if edition == "2019":
        ch5 = _chapter("5. Edition 2019")
        ref["t2"] = _table2_blocks(_blocks(ch5)[0])
        rows = []
        for label in ref["t3_rows"]:  # （六）其他处理 is one row of its own in 2019
            if rows and rows[-1] == "（六）其他处理" and label[:1].isdigit():
                continue
            rows.append(label)
        ref["t3_rows"] = rows
    return ref


def test_section_titles_are_official(spec):
    ch3 = _blocks(_chapter("3. The six sections"))[0]
    titles = [spec.section(s).title for s in spec.section_order if getattr(spec.section(s), "heading", True)]
    assert titles == ch3
    # the one section printed without a heading is the opening paragraph, before 一
    assert [s for s in spec.section_order if not getattr(spec.section(s), "heading", True)] == ["s0"] == list(spec.section_order[:1])


def test_default_subsection_titles_are_in_the_reference(spec):
    s1 = spec.section("s1")
    for title in s1.subsections:
        assert title in REFERENCE
    assert len(s1.subsections) == 5


def test_table2_blocks_equal_reference(spec):
    ref = _reference(spec.edition)["t2"]
    table = spec.table("t2")
    got = [(b.caption, [b.label_header] + [c.label for c in b.columns], [r.label for r in b.rows]) for b in table.blocks]
    want = [(caption, header, rows) for caption, header, rows in ref]
    if spec.edition == "2019":  # the sample's wording of the 采购 unit, as the reference prescribes
        want = [(c, [h.replace("采购总金额", "采购总金额（单位：万元，保留4位小数）") if h == "采购总金额" else h for h in hs], rs)
                for c, hs, rs in want]
    assert got == want


def test_table3_row_labels_equal_reference_in_order(spec):
    table = spec.table("t3")
    seen: list[str] = []
    for row in table.rows:
        for g in row.group:
            if g not in seen:
                seen.append(g)
        seen.append(row.label)
    assert seen == _reference(spec.edition)["t3_rows"]


def test_table3_header_equals_reference(spec):
    lines = _reference(spec.edition)["t3_header"]
    want = [lines[0]] + [c for line in lines[1:] for c in _cells(line)]
    grid = table_grid(spec.table("t3"))
    got = [c.text for c in sorted(grid.cells, key=lambda c: (c.r, c.c)) if c.role == "header"]
    assert got == want
    assert [c.label for c in spec.table("t3").columns] == ["自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计"]


def test_table4_header_equals_reference(spec):
    want = [c for line in _reference(spec.edition)["t4"] for c in _cells(line)]
    grid = table_grid(spec.table("t4"))
    got = [c.text for c in sorted(grid.cells, key=lambda c: (c.r, c.c)) if c.role == "header"]
    assert got == want
    assert len([c for c in grid.cells if c.role == "value"]) == 15


def test_grid_has_no_holes_or_overlaps(spec):
    for table in spec.tables:
        grid = table_grid(table)
        covered = {}
        for cell in grid.cells:
            for r in range(cell.r, cell.r + cell.rowspan):
                for c in range(cell.c, cell.c + cell.colspan):
                    assert (r, c) not in covered, f"{table.id}: overlap at {r},{c}"
                    covered[(r, c)] = cell
        assert len(covered) == grid.width * grid.height, f"{table.id}: holes in the grid"


def test_table3_label_spans_match_official_layout(spec):
    grid = table_grid(spec.table("t3"))
    group = next(c for c in grid.cells if c.text == "三、本年度办理结果")
    assert group.c == 0 and group.colspan == 1
    assert group.rowspan == (22 if spec.edition == "2021" else 20)
    first = next(c for c in grid.cells if c.text == "一、本年新收政府信息公开申请数量")
    assert first.colspan == 3


def test_rule_ids_are_unique_and_known(spec):
    ids = [r.id for r in spec.rules]
    assert len(ids) == len(set(ids)), "a rule id must be unique within an edition (the loader refuses duplicates)"
    for rid in ("O1", "D1", "D2", "D3", "D4", "D5", "D6", "D7", "S8"):
        assert rid in ids
        assert f"**{rid}**" in REFERENCE or rid in ("D3", "D4", "D5")


@pytest.mark.parametrize("edition", ["2021"])
def test_sheet_names_are_valid_excel_names(edition):
    spec = load_spec(edition)
    names = [t.sheet for t in spec.tables] + [n.sheet for n in spec.narrative] + list(spec.sheets.values())
    for name in names:
        assert len(name) <= 31 and not set(name) & set("[]:*?/\\")
    assert len(names) == len(set(names))
