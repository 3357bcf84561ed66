"""report.html: a standalone page for a government portal.

Every piece of a clerk's text goes through html.escape; nothing is ever treated as
a template. Tables are real <table> markup: header cells are <th> with scope, and
each value cell names its row and column headers (headers="…") for screen readers.
"""

from __future__ import annotations

from html import escape

from . import __version__
from .layout import Grid, column_shares
from .report import DRAFT_MARK, Report, Section

CSS = """
:root { color: #000; background: #fff; }
body { margin: 0; font-family: "仿宋_GB2312", "仿宋", FangSong, STFangsong, "Noto Serif CJK SC", serif; font-size: 16pt; line-height: 1.75; }
main { max-width: 46em; margin: 0 auto; padding: 2em 1.5em 4em; }
h1 { font-family: "方正小标宋简体", "小标宋", "华文中宋", STZhongsong, "宋体", SimSun, "Noto Serif CJK SC", serif; font-size: 22pt; font-weight: normal; text-align: center; line-height: 1.5; margin: 0.5em 0 1em; }
h2 { font-family: "黑体", SimHei, "Noto Sans CJK SC", sans-serif; font-size: 16pt; font-weight: normal; margin: 1em 0 0.25em; }
h3 { font-family: "楷体_GB2312", "楷体", KaiTi, STKaiti, serif; font-size: 16pt; font-weight: normal; margin: 0.5em 0 0; text-indent: 2em; }
h4 { font-size: 16pt; font-weight: bold; margin: 0; text-indent: 2em; }
p { margin: 0; text-indent: 2em; text-align: justify; }
.draft { border: 3px solid #c00; color: #c00; text-align: center; font-weight: bold; padding: 0.3em; margin-bottom: 1em; }
.table-wrap { overflow-x: auto; margin: 0.5em 0 1em; }
table { border-collapse: collapse; table-layout: fixed; width: 100%; font-size: 11pt; line-height: 1.4; font-family: "宋体", SimSun, "Noto Serif CJK SC", serif; }
th, td { border: 1px solid #000; padding: 0.25em 0.35em; }
th { font-weight: normal; text-align: center; vertical-align: middle; }
th.caption { font-weight: bold; text-align: left; }
th.label { text-align: left; }
td { text-align: center; font-variant-numeric: tabular-nums; }
footer { margin-top: 2em; font-size: 10.5pt; color: #555; text-indent: 0; }
@page { size: A4; margin: 37mm 26mm 35mm 28mm; }
@media print {
  main { max-width: none; padding: 0; }
  .table-wrap { overflow: visible; }
  table { page-break-inside: auto; }
  tr { page-break-inside: avoid; }
  thead { display: table-header-group; }
  h2, h3, h4 { page-break-after: avoid; }
  footer { display: none; }
}
"""


def _header_ids(table_id: str, grid: Grid):
    """For each value cell, the ids of its column headers and row labels."""
    ids = {}
    for cell in grid.cells:
        if cell.role != "value":
            ids[(cell.r, cell.c)] = f"{table_id}-r{cell.r}c{cell.c}"
    by_row: dict[int, list] = {}
    for cell in grid.cells:
        by_row.setdefault(cell.r, []).append(cell)
    headers_for = {}
    for cell in grid.cells:
        if cell.role != "value":
            continue
        # the run of header rows directly above this cell's block of data rows
        r = cell.r - 1
        while r >= 0 and r not in grid.header_rows:
            r -= 1
        top = r
        while top - 1 >= 0 and top - 1 in grid.header_rows:
            top -= 1
        refs = []
        for other in grid.cells:
            if other.role in ("header", "caption") and top <= other.r <= r:
                if other.c <= cell.c < other.c + other.colspan:
                    refs.append(ids[(other.r, other.c)])
            elif other.role == "label" and other.r <= cell.r < other.r + other.rowspan:
                refs.append(ids[(other.r, other.c)])
        headers_for[(cell.r, cell.c)] = " ".join(refs)
    return ids, headers_for


def render_table(section: Section) -> str:
    grid, table = section.grid, section.table
    ids, headers_for = _header_ids(table.id, grid)
    first_value_row = min(c.r for c in grid.cells if c.role == "value")
    by_row: dict[int, list] = {}
    for cell in grid.cells:
        by_row.setdefault(cell.r, []).append(cell)
    head, body = [], []
    for r in range(grid.height):
        parts = []
        for cell in sorted(by_row.get(r, []), key=lambda x: x.c):
            span = (f' rowspan="{cell.rowspan}"' if cell.rowspan > 1 else "") + (
                f' colspan="{cell.colspan}"' if cell.colspan > 1 else "")
            if cell.role == "value":
                parts.append(f'<td headers="{headers_for[(cell.r, cell.c)]}"{span}>{escape(section.cells[cell.key])}</td>')
            else:
                scope = "row" if cell.role == "label" else ("colgroup" if cell.colspan > 1 else "col")
                if cell.role == "label" and cell.rowspan > 1:
                    scope = "rowgroup"
                css = f' class="{cell.role}"' if cell.role in ("caption", "label") else ""
                parts.append(f'<th id="{ids[(cell.r, cell.c)]}" scope="{scope}"{css}{span}>{escape(cell.text)}</th>')
        (head if r < first_value_row and r in grid.header_rows and table.blocks[0].caption is None else body).append(
            "<tr>" + "".join(parts) + "</tr>")
    out = [f'<div class="table-wrap"><table id="{table.id}" aria-label="{escape(table.title)}">',
           "<colgroup>" + "".join(f'<col style="width:{share * 100:.1f}%">' for share in column_shares(table)) + "</colgroup>"]
    if head:
        out.append("<thead>\n" + "\n".join(head) + "\n</thead>")
    out.append("<tbody>\n" + "\n".join(body) + "\n</tbody>")
    out.append("</table></div>")
    return "\n".join(out)


def render_html(report: Report) -> str:
    title = escape(report.title)
    parts = [
        "<!DOCTYPE html>",
        '<html lang="zh-CN">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f'<meta name="generator" content="reportc {__version__}">',
        f"<title>{(DRAFT_MARK + ' ') if report.draft else ''}{title}</title>",
        f"<style>{CSS}</style>",
        "</head>",
        "<body>",
        "<main>",
    ]
    if report.draft:
        parts.append(f'<p class="draft" role="alert">{DRAFT_MARK}</p>')
    parts.append(f"<h1>{title}</h1>")
    for section in report.sections:
        parts.append(f'<section id="{section.id}">')
        parts.append(f"<h2>{escape(section.title)}</h2>")
        if section.table is not None:
            parts.append(render_table(section))
        for para in section.paragraphs:
            tag = {0: "p", 2: "h3", 3: "h4"}[para.level]
            parts.append(f"<{tag}>{escape(para.text)}</{tag}>")
        parts.append("</section>")
    parts.append(f"<footer>本页由 reportc {__version__} 按《{escape(report.edition_name)}》（{report.edition}版）生成。</footer>")
    parts += ["</main>", "</body>", "</html>", ""]
    return "\n".join(parts)
