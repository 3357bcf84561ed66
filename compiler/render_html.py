"""report.html (a standalone page) and report-fragment.html (the body for a CMS editor).

The pages are Jinja2 templates (pages.py); a clerk's text is passed to them as data
and escaped, never treated as a template. Tables are real <table> markup: header cells are <th> with scope, and
each value cell names its row and column headers (headers="…") for screen readers.
"""

from __future__ import annotations

from functools import lru_cache
from html import escape

from . import __version__
from .layout import Grid, column_shares
from .opening import signature_indents
from .report import DRAFT_MARK, Report, Section, title_lines

# The statutory tables' look, one place for both forms: as CSS rules (report.html, and the fragment's
# scoped <style>) and inline on each element of report-fragment.html, so that the tables keep their
# borders, padding and alignment where a portal's editor strips <style> (TABLE_STYLE -> style="…").
TABLE_FONT = '"宋体", SimSun, "Noto Serif CJK SC", serif'
TABLE_STYLE = {
    "table": f"border-collapse: collapse; table-layout: fixed; width: 100%; font-size: 11pt; line-height: 1.4; "
             f"font-family: {TABLE_FONT}; color: #000; background: #fff",
    "th, td": "border: 1px solid #000; padding: 0.25em 0.2em; vertical-align: middle",
    "th": "font-weight: normal; text-align: center",
    "th.caption": "font-weight: bold; text-align: left",
    "th.label": "text-align: left",
    # a short column header breaks only between its words (结果/维持), never one character a line
    "th.words": "word-break: keep-all",
    "td": "text-align: center; font-variant-numeric: tabular-nums",
}
# The scrolling region around each table: on a phone a table keeps a readable width and scrolls sideways
WRAP_STYLE = "overflow-x: auto; margin: 8pt 0 16pt"  # pt, not em: the same in any surrounding font size
MIN_DATA_COLUMN = 3.6  # em (of the table's 11pt): five digits and padding; the table's min-width follows

# One rule per line: page_css() uses them as they are, fragment_css() scopes each selector.
BODY_CSS = """
h1 { font-family: "方正小标宋简体", "小标宋", "华文中宋", STZhongsong, "宋体", SimSun, "Noto Serif CJK SC", serif; font-size: 22pt; font-weight: normal; text-align: center; line-height: 1.5; margin: 0.5em 0 1em; }
.title-line { display: inline-block; }
h2 { font-family: "黑体", SimHei, "Noto Sans CJK SC", sans-serif; font-size: 16pt; font-weight: normal; margin: 1em 0 0.25em; text-indent: 2em; }
h3 { font-family: "楷体_GB2312", "楷体", KaiTi, STKaiti, serif; font-size: 16pt; font-weight: normal; margin: 0.5em 0 0; text-indent: 2em; }
h4 { font-size: 16pt; font-weight: bold; margin: 0; text-indent: 2em; }
p { margin: 0 0 0.6em; text-indent: 2em; text-align: justify; overflow-wrap: anywhere; }
p.draft { border: 3px solid #c00; color: #c00; text-align: center; text-indent: 0; font-weight: bold; padding: 0.3em; margin-bottom: 1em; }
.signature { margin-top: 2em; text-align: right; }
.signature p { text-align: right; text-indent: 0; margin: 0; }
.table-wrap { """ + WRAP_STYLE + """; }
.table-wrap:focus-visible { outline: 2px solid #005fcc; outline-offset: 2px; }
""" + "".join(f"{selector} {{ {rule}; }}\n" for selector, rule in TABLE_STYLE.items())

PAGE_CSS = """
:root { color: #000; background: #fff; }
body { margin: 0; font-family: "仿宋_GB2312", "仿宋", FangSong, STFangsong, "Noto Serif CJK SC", serif; font-size: 16pt; line-height: 1.75; }
main { max-width: 46em; margin: 0 auto; padding: 2em 1.5em 4em; }
@media (max-width: 480px) { main { padding: 1em 0.75em 2em; } }
"""

# Paragraph spacing: 0.6em below each paragraph at line-height 1.75 makes the distance between the
# paragraphs' lines 2.35em, 1.34 times the line spacing (the 适老化 guidance asks for at least 1.3).

PRINT_CSS = """
@page { size: A4; margin: 37mm 26mm 35mm 28mm; }
@page :right { @bottom-right { content: "— " counter(page) " —"; font-family: "宋体", SimSun, "Noto Serif CJK SC", serif; font-size: 14pt; vertical-align: top; padding-top: 7mm; } }
@page :left { @bottom-left { content: "— " counter(page) " —"; font-family: "宋体", SimSun, "Noto Serif CJK SC", serif; font-size: 14pt; vertical-align: top; padding-top: 7mm; } }
@media print {
  main { max-width: none; padding: 0; }
  p { margin: 0; }
  .table-wrap { overflow: visible; }
  table { min-width: 0 !important; }
  tr { break-inside: avoid; }
  tr.spans { break-inside: auto; }
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


@lru_cache(maxsize=None)  # a handful of selector lists, asked for at every cell of the fragment's tables
def inline(*selectors: str) -> str:
    """The TABLE_STYLE rules of these selectors as one style attribute value (later rules win, as in
    the style sheet), escaped for an attribute."""
    merged: dict[str, str] = {}
    for selector in selectors:
        for rule in TABLE_STYLE[selector].split("; "):
            name, value = rule.split(": ", 1)
            merged[name] = value
    return escape("; ".join(f"{name}: {value}" for name, value in merged.items()))


def id_prefix(report: Report) -> str:
    """The fragment's own id prefix (“rc2025-3fa9c2-”): its ids cannot clash with the portal page's, nor
    with a second report on the same page (another body or year gives another prefix)."""
    from .digest import sha256

    digest = sha256(f"{report.org}\n{report.year}".encode("utf-8")).hexdigest()[:6]
    year = "".join(ch for ch in str(report.year) if ch.isascii() and ch.isalnum())[:8]
    return f"rc{year}-{digest}-"


def header_words(text: str) -> list[str]:
    """A short column header as its words, where a line may break: 4, 6 or 8 Chinese characters are
    two-character words (结果维持 -> 结果/维持, 社会公益组织 -> 社会/公益/组织); anything else is one piece."""
    if len(text) in (4, 6, 8) and all("\u4e00" <= ch <= "\u9fff" for ch in text):
        return [text[i:i + 2] for i in range(0, len(text), 2)]
    return [text]


def table_name(title: str) -> str:
    """“三、收到和处理…” -> “表三”."""
    number = title.split("、", 1)[0]
    return f"表{number}" if 0 < len(number) <= 3 else "表格"


def min_width(table) -> float:
    """The table's narrowest readable width in em: every data column at least MIN_DATA_COLUMN."""
    shares = column_shares(table)
    data = shares[len(table.print_label_shares):] or shares
    return round(MIN_DATA_COLUMN / min(data), 1)


def render_table(section: Section, prefix: str = "", inline_styles: bool = False) -> str:
    """A statutory table; prefix goes before every id (the fragment's own), inline_styles puts the
    look on each element as well (the fragment: it survives a portal that strips <style>)."""
    grid, table = section.grid, section.table
    base = prefix + table.id

    def cell_id(r: int, c: int) -> str:
        return f"{base}-r{r}c{c}"
    first_value_row = min(c.r for c in grid.cells if c.role == "value")
    by_row: dict[int, list] = {}
    for cell in grid.cells:
        by_row.setdefault(cell.r, []).append(cell)

    def style(*selectors: str) -> str:
        return f' style="{inline(*selectors)}"' if inline_styles else ""

    head, body, spans = [], [], set()
    for r in range(grid.height):
        parts = []
        for cell in sorted(by_row.get(r, []), key=lambda x: x.c):
            span = (f' rowspan="{cell.rowspan}"' if cell.rowspan > 1 else "") + (
                f' colspan="{cell.colspan}"' if cell.colspan > 1 else "")
            if cell.rowspan > 1:
                spans.add(r)
            if cell.role == "value":
                refs = " ".join(cell_id(*rc) for rc in grid.headers[(cell.r, cell.c)])
                parts.append(f'<td headers="{refs}"{span}{style("th, td", "td")}>'
                             f'{escape(section.cells[cell.key])}</td>')
                continue
            scope = "row" if cell.role == "label" else "col"
            words = header_words(cell.text) if cell.role == "header" else [cell.text]
            classes = [cell.role] if cell.role in ("caption", "label") else (["words"] if len(words) > 1 else [])
            css = f' class="{" ".join(classes)}"' if classes else ""
            look = style("th, td", "th", *(f"th.{c}" for c in classes))
            text = "<wbr>".join(escape(w) for w in words)
            parts.append(f'<th id="{cell_id(cell.r, cell.c)}" scope="{scope}"{css}{span}{look}>{text}</th>')
        (head if r < first_value_row and r in grid.header_rows and table.blocks[0].caption is None else body).append(
            (r, "".join(parts)))
    name = table_name(table.title)
    wrap_style = f' style="{escape(WRAP_STYLE)}"' if inline_styles else ""
    table_style = f"min-width: {min_width(table)}em" + (f"; {inline('table')}" if inline_styles else "")
    border = ' border="1"' if inline_styles else ""
    out = [f'<div class="table-wrap" role="region" tabindex="0" aria-label="{name}（可左右滑动查看）"{wrap_style}>'
           f'<table id="{prefix}{table.id}" aria-label="{escape(table.title)}"{border} style="{table_style}">',
           "<colgroup>" + "".join(f'<col style="width:{share * 100:.1f}%">' for share in column_shares(table)) + "</colgroup>"]
    if head:
        out.append("<thead>\n" + "\n".join(f"<tr>{cells}</tr>" for _, cells in head) + "\n</thead>")
    # In print, the rows up to the third data row do not part (tr.keep: break-after avoid): a table
    # never starts at the foot of a page with only its header and a row or two; nor does it end at the
    # top of a page with fewer than three (tr.tail: break-before avoid on the last two).
    # Caption and header rows inside the body (table 二's blocks) stay with the rows under them.
    # A row that opens a merged block (三、本年度办理结果 spans 22 rows) may break inside (tr.spans):
    # “break-inside: avoid” on it would hold the whole block together and push the table to the next page.
    keep = _keep_rows(grid, len(head))
    value_rows = {c.r for c in grid.cells if c.role == "value"}
    rows = []
    for i, (r, cells) in enumerate(body):
        css = []
        if i < keep or r not in value_rows:
            css.append("keep")
        if i >= max(1, len(body) - (KEEP_DATA_ROWS - 1)):
            css.append("tail")
        if r in spans:
            css.append("spans")
        rows.append(f'<tr class="{" ".join(css)}">{cells}</tr>' if css else f"<tr>{cells}</tr>")
    out.append("<tbody>\n" + "\n".join(rows) + "\n</tbody>")
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


def context(report: Report, prefix: str = "", inline_styles: bool = False) -> dict:
    """The variables every report page template receives (documented in pages.CONTEXT)."""
    from markupsafe import Markup

    return {
        "title": report.title, "title_lines": title_lines(report.title), "org": report.org, "year": report.year, "edition": report.edition,
        "edition_name": report.edition_name, "draft": report.draft, "draft_mark": DRAFT_MARK,
        "generator": f"reportc {__version__}", "id_prefix": prefix,
        "sections": [
            {"id": s.id, "title": s.title, "heading": s.heading,
             "table": Markup(render_table(s, prefix, inline_styles)) if s.table is not None else None,
             "paragraphs": [{"text": p.text, "level": p.level} for p in s.paragraphs]}
            for s in report.sections
        ],
        "contact": dict(report.contact),
        "signature": [{"text": line, "indent": indent}
                      for line, indent in zip(report.signature, signature_indents(report.signature), strict=True)],
    }


def render_pages(report: Report, template_dir=None) -> dict[str, str]:
    """report.html and report-fragment.html (the fragment with ids of its own and inline table styles)."""
    from markupsafe import Markup

    from .pages import render

    page = context(report)
    fragment = context(report, id_prefix(report), inline_styles=True)
    return {
        "report.html": render("report.html.j2", {
            **page, "body": Markup(render("report-body.html.j2", page, template_dir)), "styles": Markup(page_css())},
            template_dir),
        "report-fragment.html": render("report-fragment.html.j2", {
            **fragment, "body": Markup(render("report-body.html.j2", fragment, template_dir)),
            "styles": Markup(fragment_css())}, template_dir),
    }


def render_html(report: Report, template_dir=None) -> str:
    return render_pages(report, template_dir)["report.html"]
