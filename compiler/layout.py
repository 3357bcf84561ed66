"""Where everything lives: one function per question, used by writer, reader and renderers.

`table_grid` turns a table specification into a rendering-neutral grid of cells
with row/column spans (the official merged layout); the workbook, HTML, DOCX and
Markdown renderers all draw that grid. `cell_map` gives every logical cell
("t3.new.natural", "info.org", "s1.sub2.3") its sheet, row and column.
"""

from __future__ import annotations

from .record import field, record
from .spec import Narrative, Spec, Table, memo

WORKBOOK_FORMAT = "reportc-workbook/3"  # bumped when the workbook's structure changes incompatibly
TABLE_TOP = 2  # table sheets: row 0 title, row 1 note, the grid from row 2
INFO_TOP = 3  # 基本信息: first field row
NARRATIVE_TOP = 3  # narrative sheets: first content row
EXPLAIN_TOP = 3  # 情况说明: first row of the table (row 0 title, row 1 note, row 2 header)
EXPLAIN_ROWS = 50  # rows of the 情况说明 table
EXPLAIN_COLUMNS = ("rule", "location", "text")  # 规则 | 位置 | 说明, columns A–C


@record(frozen=True)
class GridCell:
    r: int
    c: int
    rowspan: int
    colspan: int
    role: str  # caption | header | label | value
    text: str = ""
    key: str = ""  # logical cell key for role == "value"


@record(frozen=True)
class Grid:
    width: int
    height: int
    cells: tuple[GridCell, ...]
    header_rows: frozenset[int]  # grid rows that are caption or header rows
    # (r, c) of each value cell -> the (r, c) of the headers and row labels that name it, in grid order
    headers: dict = field(default_factory=dict, hash=False, compare=False)


def col_letter(c: int) -> str:
    s = ""
    c += 1
    while c:
        c, rem = divmod(c - 1, 26)
        s = chr(65 + rem) + s
    return s


def a1(r: int, c: int, absolute: bool = False) -> str:
    d = "$" if absolute else ""
    return f"{d}{col_letter(c)}{d}{r + 1}"


def where(sheet: str, r: int, c: int) -> str:
    """A location as clerks read it: 三、依申请公开!D6."""
    return f"{sheet}!{a1(r, c)}"


def _block_width(block) -> int:
    return block.label_cols + len(block.columns)


def table_width(table: Table) -> int:
    return max(_block_width(b) for b in table.blocks)


def grids(spec: Spec):
    """Table id -> its Grid, made once per edition and process (read it, never change it; edition.py
    leaves it out of the disk cache)."""
    return memo(spec, "grids", lambda: {t.id: table_grid(t) for t in spec.tables})


def table_grid(table: Table) -> Grid:
    """The grid of a table, computed (grids(spec) holds the edition's, made once)."""
    width = table_width(table)
    cells: list[GridCell] = []
    header_rows: set[int] = set()
    r = 0
    for block in table.blocks:
        stretch = width - _block_width(block)  # the last column absorbs any spare width
        last = _block_width(block) - 1
        if block.caption:
            cells.append(GridCell(r, 0, 1, width, "caption", block.caption))
            header_rows.add(r)
            r += 1
        if block.header:
            rows = 0
            for hr, hc, rs, cs, text in block.header:
                extra = stretch if hc + cs - 1 == last else 0
                cells.append(GridCell(r + hr, hc, rs, cs + extra, "header", text))
                rows = max(rows, hr + rs)
        else:
            rows = 1
            cells.append(GridCell(r, 0, 1, block.label_cols, "header", block.label_header or ""))
            for i, col in enumerate(block.columns):
                c = block.label_cols + i
                cells.append(GridCell(r, c, 1, 1 + (stretch if c == last else 0), "header", col.label))
        header_rows.update(range(r, r + rows))
        r += rows
        first = r
        for i, row in enumerate(block.rows):
            depth = len(row.group)
            for d in range(depth):
                starts = i == 0 or block.rows[i - 1].group[: d + 1] != row.group[: d + 1]
                if starts:
                    span = 1
                    while i + span < len(block.rows) and block.rows[i + span].group[: d + 1] == row.group[: d + 1]:
                        span += 1
                    cells.append(GridCell(first + i, d, span, 1, "label", row.group[d]))
            if block.label_cols:
                cells.append(GridCell(first + i, depth, 1, block.label_cols - depth, "label", row.label))
            for j, col in enumerate(block.columns):
                c = block.label_cols + j
                cells.append(
                    GridCell(first + i, c, 1, 1 + (stretch if c == last else 0), "value", key=f"{table.id}.{row.id}.{col.id}")
                )
        r += len(block.rows)
    return Grid(width, r, tuple(cells), frozenset(header_rows), _headers(cells, header_rows))


def _headers(cells: list, header_rows: set) -> dict:
    """For each value cell, the header cells above its block of data rows that span its column, and the
    row labels that span its row (what a screen reader reads before the number)."""
    named = [c for c in cells if c.role in ("header", "caption", "label")]
    out = {}
    for cell in cells:
        if cell.role != "value":
            continue
        # the run of header rows directly above this cell's block of data rows
        r = cell.r - 1
        while r >= 0 and r not in header_rows:
            r -= 1
        top = r
        while top - 1 >= 0 and top - 1 in header_rows:
            top -= 1
        refs = []
        for other in named:
            if other.role in ("header", "caption") and top <= other.r <= r:
                if other.c <= cell.c < other.c + other.colspan:
                    refs.append((other.r, other.c))
            elif other.role == "label" and other.r <= cell.r < other.r + other.rowspan:
                refs.append((other.r, other.c))
        out[(cell.r, cell.c)] = tuple(refs)
    return out


def column_shares(table: Table) -> list[float]:
    """Relative column widths of a printed table (they sum to 1): label columns as the
    edition gives them (print_label_shares), data columns share the rest equally."""
    width = table_width(table)
    labels = list(table.print_label_shares)
    data = (1 - sum(labels)) / (width - len(labels))
    return labels + [data] * (width - len(labels))


def sheet_widths(table: Table) -> list[float]:
    """Excel column widths of a table sheet, from the edition's sheet_label_widths and sheet_data_width."""
    width = table_width(table)
    labels = list(table.sheet_label_widths)
    return labels + [table.sheet_data_width] * (width - len(labels))


@record(frozen=True)
class NarrativeRow:
    key: str  # "s1.intro.1", "s1.sub2.title", "s1.sub2.5"
    label: str  # shown in column A
    part: str  # "intro" or "sub<n>"
    is_title: bool
    default: str = ""


def narrative_rows(section: Narrative) -> list[NarrativeRow | str]:
    """Rows of a narrative sheet from NARRATIVE_TOP; a plain string is a locked group heading."""
    rows: list[NarrativeRow | str] = []
    if section.intro_rows:
        rows.append(section.intro_label)
        for i in range(1, section.intro_rows + 1):
            rows.append(NarrativeRow(f"{section.id}.intro.{i}", f"第{i}段", "intro", False))
    for n, title in enumerate(section.subsections, start=1):
        part = f"sub{n}"
        rows.append(f"第{n}部分")
        rows.append(NarrativeRow(f"{section.id}.{part}.title", "小标题", part, True, title))
        for i in range(1, section.rows_per_subsection + 1):
            rows.append(NarrativeRow(f"{section.id}.{part}.{i}", f"第{i}段", part, False))
    return rows


def cell_map(spec: Spec) -> dict[str, tuple[str, int, int]]:
    """Every logical cell -> (sheet, row, col), zero-based."""
    return memo(spec, "cell_map", lambda: _cell_map(spec))


def _cell_map(spec: Spec) -> dict[str, tuple[str, int, int]]:
    out: dict[str, tuple[str, int, int]] = {}
    info = spec.sheets["info"]
    for i, f in enumerate(spec.fields):
        out[f"info.{f.id}"] = (info, INFO_TOP + i, 1)
    for section in spec.narrative:
        for i, row in enumerate(narrative_rows(section)):
            if isinstance(row, NarrativeRow):
                out[row.key] = (section.sheet, NARRATIVE_TOP + i, 1)
    for table in spec.tables:
        for cell in grids(spec)[table.id].cells:
            if cell.role == "value":
                out[cell.key] = (table.sheet, TABLE_TOP + cell.r, cell.c)
    explain = spec.sheets["explanations"]
    for i in range(EXPLAIN_ROWS):
        for c, part in enumerate(EXPLAIN_COLUMNS):
            out[explain_key(i + 1, part)] = (explain, EXPLAIN_TOP + i, c)
    return out


def explain_key(n: int, part: str) -> str:
    """The logical cell of row n (1-based) of the 情况说明 table: "explain.3.rule"."""
    return f"explain.{n}.{part}"


def location(spec: Spec, key: str) -> str:
    sheet, r, c = cell_map(spec)[key]
    return where(sheet, r, c)


def sheet_order(spec: Spec) -> list[str]:
    """Visible sheets in workbook order."""
    by_id = {s.id: s.sheet for s in (*spec.tables, *spec.narrative)}
    return [spec.sheets["guide"], spec.sheets["info"], *(by_id[s] for s in spec.section_order), spec.sheets["checks"],
            spec.sheets["explanations"]]
