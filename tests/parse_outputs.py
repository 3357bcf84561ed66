"""Read the numbers back out of report.html, report.md and report.docx tables,
independently of the renderers: spans are expanded into a full grid."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

from reportc.layout import table_grid


class _Tables(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tables: dict[str, list[list[tuple[str, int, int]]]] = {}
        self.current = None
        self.cell = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "table":
            self.current = self.tables.setdefault(a.get("id"), [])
        elif tag == "tr" and self.current is not None:
            self.current.append([])
        elif tag in ("td", "th") and self.current is not None:
            self.cell = [tag, int(a.get("rowspan", 1)), int(a.get("colspan", 1)), ""]

    def handle_data(self, data):
        if self.cell is not None:
            self.cell[3] += data

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self.cell is not None:
            self.current[-1].append((self.cell[3].strip(), self.cell[1], self.cell[2]))
            self.cell = None
        elif tag == "table":
            self.current = None


def expand(rows: list[list[tuple[str, int, int]]]) -> dict[tuple[int, int], str]:
    """HTML-style rows (cells with spans) -> {(r, c): text} for each cell's top-left."""
    occupied: set[tuple[int, int]] = set()
    out = {}
    for r, row in enumerate(rows):
        c = 0
        for text, rowspan, colspan in row:
            while (r, c) in occupied:
                c += 1
            out[(r, c)] = text
            for dr in range(rowspan):
                for dc in range(colspan):
                    occupied.add((r + dr, c + dc))
            c += colspan
    return out


def values_from_grid(spec, table, cells: dict[tuple[int, int], str]) -> dict[str, str]:
    return {c.key: cells[(c.r, c.c)] for c in table_grid(table).cells if c.role == "value"}


def html_values(spec, path: Path) -> dict[str, str]:
    parser = _Tables()
    parser.feed(path.read_text(encoding="utf-8"))
    out = {}
    for table in spec.tables:
        out.update(values_from_grid(spec, table, expand(parser.tables[table.id])))
    return out


def md_values(spec, path: Path) -> dict[str, str]:
    lines = path.read_text(encoding="utf-8").splitlines()
    rows = [line for line in lines if line.startswith("|") and not set(line) <= set("|-: ")]
    data_rows = []
    for line in rows:
        cells = [c.strip() for c in line.strip("|").split(" | ")]
        data_rows.append(cells)
    out = {}
    i = 0
    for table in spec.tables:
        for block in table.blocks:
            i += 1  # header row
            for row in block.rows:
                cells = data_rows[i][1:] if block.label_cols else data_rows[i]
                for col, text in zip(block.columns, cells, strict=True):
                    out[f"{table.id}.{row.id}.{col.id}"] = text
                i += 1
    return out


def docx_grid(table) -> dict[tuple[int, int], str]:
    """python-docx table -> {(r, c): text} for top-left cells, honouring gridSpan and vMerge."""
    from docx.oxml.ns import qn

    out = {}
    for r, tr in enumerate(table._tbl.tr_lst):
        c = 0
        for tc in tr.tc_lst:
            tcpr = tc.tcPr
            span = 1
            vmerge = None
            if tcpr is not None:
                gs = tcpr.find(qn("w:gridSpan"))
                span = int(gs.get(qn("w:val"))) if gs is not None else 1
                vm = tcpr.find(qn("w:vMerge"))
                if vm is not None:
                    vmerge = vm.get(qn("w:val")) or "continue"
            if vmerge != "continue":
                out[(r, c)] = "".join(t.text or "" for t in tc.iter(qn("w:t"))).strip()
            c += span
    return out


def docx_values(spec, path: Path) -> dict[str, str]:
    from docx import Document

    doc = Document(str(path))
    out = {}
    for table, dtable in zip(spec.tables, doc.tables, strict=True):
        out.update(values_from_grid(spec, table, docx_grid(dtable)))
    return out
