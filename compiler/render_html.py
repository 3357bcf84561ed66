"""report.html (a standalone page) and report-fragment.html (the body for a CMS editor).

The pages are Jinja2 templates (pages.py); a clerk's text is passed to them as data
and escaped, never treated as a template. Tables are real <table> markup: header cells are <th> with scope, and
each value cell names its row and column headers (headers="…") for screen readers.
"""

from __future__ import annotations

from html import escape

from . import __version__
from .layout import Grid, column_shares
from .opening import signature_indents
from .report import DRAFT_MARK, Report, Section, title_lines

# One rule per line: page_css() uses them as they are, fragment_css() scopes each selector.
BODY_CSS = """
h1 { font-family: "方正小标宋简体", "小标宋", "华文中宋", STZhongsong, "宋体", SimSun, "Noto Serif CJK SC", serif; font-size: 22pt; font-weight: normal; text-align: center; line-height: 1.5; margin: 0.5em 0 1em; }
.title-line { display: inline-block; }
h2 { font-family: "黑体", SimHei, "Noto Sans CJK SC", sans-serif; font-size: 16pt; font-weight: normal; margin: 1em 0 0.25em; text-indent: 2em; }
h3 { font-family: "楷体_GB2312", "楷体", KaiTi, STKaiti, serif; font-size: 16pt; font-weight: normal; margin: 0.5em 0 0; text-indent: 2em; }
h4 { font-size: 16pt; font-weight: bold; margin: 0; text-indent: 2em; }
p { margin: 0; text-indent: 2em; text-align: justify; overflow-wrap: anywhere; }
p.draft { border: 3px solid #c00; color: #c00; text-align: center; text-indent: 0; font-weight: bold; padding: 0.3em; margin-bottom: 1em; }
.signature { margin-top: 2em; text-align: right; }
.signature p { text-align: right; text-indent: 0; }
.table-wrap { overflow-x: auto; margin: 0.5em 0 1em; }
table { border-collapse: collapse; table-layout: fixed; width: 100%; font-size: 11pt; line-height: 1.4; font-family: "宋体", SimSun, "Noto Serif CJK SC", serif; }
th, td { border: 1px solid #000; padding: 0.25em 0.35em; }
th { font-weight: normal; text-align: center; vertical-align: middle; }
th.caption { font-weight: bold; text-align: left; }
th.label { text-align: left; }
td { text-align: center; font-variant-numeric: tabular-nums; }
"""

PAGE_CSS = """
:root { color: #000; background: #fff; }
body { margin: 0; font-family: "仿宋_GB2312", "仿宋", FangSong, STFangsong, "Noto Serif CJK SC", serif; font-size: 16pt; line-height: 1.75; }
main { max-width: 46em; margin: 0 auto; padding: 2em 1.5em 4em; }
"""

PRINT_CSS = """
@page { size: A4; margin: 37mm 26mm 35mm 28mm; }
@page :right { @bottom-right { content: "— " counter(page) " —"; font-family: "宋体", SimSun, "Noto Serif CJK SC", serif; font-size: 14pt; vertical-align: top; padding-top: 7mm; } }
@page :left { @bottom-left { content: "— " counter(page) " —"; font-family: "宋体", SimSun, "Noto Serif CJK SC", serif; font-size: 14pt; vertical-align: top; padding-top: 7mm; } }
@media print {
  main { max-width: none; padding: 0; }
  .table-wrap { overflow: visible; }
  tr { break-inside: avoid; }
  thead { display: table-header-group; }
  tr.keep { break-after: avoid; }
  tr.tail { break-before: avoid; }
  h1, h2, h3, h4 { break-after: avoid; }
  .signature { break-inside: avoid; }
}
"""

SCOPE = "reportc-report"
FRAGMENT_CSS = """
.reportc-report { color: #000; font-family: "仿宋_GB2312", "仿宋", FangSong, STFangsong, "Noto Serif CJK SC", serif; font-size: 16pt; line-height: 1.75; }
"""


def page_css() -> str:
    return PAGE_CSS + BODY_CSS + PRINT_CSS


def fragment_css() -> str:
    """BODY_CSS with every selector scoped under .reportc-report (nothing leaks into the portal's page)."""
    lines = []
    for line in BODY_CSS.strip().splitlines():
        selectors, rest = line.split("{", 1)
        scoped = ", ".join(f".{SCOPE} {sel.strip()}" for sel in selectors.split(","))
        lines.append(f"{scoped} {{{rest}")
    return FRAGMENT_CSS + "\n".join(lines) + "\n"


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
    # In print, the rows up to the third data row do not part (tr.keep: break-after avoid): a table
    # never starts at the foot of a page with only its header and a row or two.
    # Caption and header rows inside the body (table 二's blocks) stay with the rows under them, and
    # the last row does not stand alone at the top of a page (tr.tail: break-before avoid).
    keep = _keep_rows(grid, len(head))
    value_rows = {c.r for c in grid.cells if c.role == "value"}
    body_rows = [r for r in range(grid.height) if r >= len(head)]
    for i, r in enumerate(body_rows):
        css = []
        if i < keep or r not in value_rows:
            css.append("keep")
        if i == len(body_rows) - 1 and i > 0:
            css.append("tail")
        if css:
            body[i] = body[i].replace("<tr>", f'<tr class="{" ".join(css)}">', 1)
    out.append("<tbody>\n" + "\n".join(body) + "\n</tbody>")
    out.append("</table></div>")
    return "\n".join(out)


KEEP_DATA_ROWS = 3


def _keep_rows(grid: Grid, head_rows: int) -> int:
    """How many body rows are kept with the next one: all rows before the third row with values."""
    value_rows = sorted({c.r for c in grid.cells if c.role == "value"})
    if not value_rows:
        return 0
    last = value_rows[min(KEEP_DATA_ROWS, len(value_rows)) - 1]
    return max(0, last - head_rows)


def context(report: Report) -> dict:
    """The variables every report page template receives (documented in pages.CONTEXT)."""
    from markupsafe import Markup

    return {
        "title": report.title, "title_lines": title_lines(report.title), "org": report.org, "year": report.year, "edition": report.edition,
        "edition_name": report.edition_name, "draft": report.draft, "draft_mark": DRAFT_MARK,
        "generator": f"reportc {__version__}",
        "sections": [
            {"id": s.id, "title": s.title, "heading": s.heading,
             "table": Markup(render_table(s)) if s.table is not None else None,
             "paragraphs": [{"text": p.text, "level": p.level} for p in s.paragraphs]}
            for s in report.sections
        ],
        "contact": dict(report.contact),
        "signature": [{"text": line, "indent": indent}
                      for line, indent in zip(report.signature, signature_indents(report.signature), strict=True)],
    }


def render_pages(report: Report, template_dir=None) -> dict[str, str]:
    """report.html and report-fragment.html."""
    from markupsafe import Markup

    from .pages import render

    ctx = context(report)
    body = Markup(render("report-body.html.j2", ctx, template_dir))
    return {
        "report.html": render("report.html.j2", {**ctx, "body": body, "styles": Markup(page_css())}, template_dir),
        "report-fragment.html": render("report-fragment.html.j2", {**ctx, "body": body, "styles": Markup(fragment_css())},
                                       template_dir),
    }


def render_html(report: Report, template_dir=None) -> str:
    return render_pages(report, template_dir)["report.html"]
