"""report.docx in the house style of official documents (after GB/T 9704-2012).

A4 with 37/35/28/26 mm margins; title 2号 方正小标宋简体; body 3号 仿宋_GB2312 with a
fixed line pitch of 22 lines a page; "一、" headings 黑体, "（一）" headings 楷体_GB2312,
"1." headings 仿宋 bold; page numbers 4号 "— 1 —", odd pages right, even pages left.
East-Asian font names are written into w:eastAsia (python-docx's font.name does not).
Tables are written as WordprocessingML directly: gridSpan/vMerge merges and a tblGrid
with real widths, which Word, WPS and LibreOffice all honour.
"""

from __future__ import annotations

import io
import os
import re
from datetime import datetime, timezone
from pathlib import Path
from html import escape as _escape

from docx import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Mm, Pt

from .layout import column_shares
from .opening import signature_indents
from .report import DRAFT_MARK, Report, Section, title_lines

FANGSONG = "仿宋_GB2312"
XIAOBIAOSONG = "方正小标宋简体"
HEITI = "黑体"
KAITI = "楷体_GB2312"
SONGTI = "宋体"

LINE_PITCH = 579  # twips: 225 mm text block / 22 lines
TEXT_WIDTH = 8844  # twips: 156 mm
BODY_PT, TITLE_PT, TABLE_PT, PAGE_NO_PT = 16, 22, 10.5, 14

# (style name, font, size pt, bold, alignment, outline level, first-line indent in chars)
STYLES = {
    "Normal": (FANGSONG, BODY_PT, False, "both", None, 2),
    "年报标题": (XIAOBIAOSONG, TITLE_PT, False, "center", 0, 0),
    "年报一级标题": (HEITI, BODY_PT, False, "both", 1, 2),
    "年报二级标题": (KAITI, BODY_PT, False, "both", 2, 2),
    "年报三级标题": (FANGSONG, BODY_PT, True, "both", 3, 2),
    "年报表格": (SONGTI, TABLE_PT, False, "center", None, 0),
    "年报页码": (SONGTI, PAGE_NO_PT, False, None, None, 0),
}
LEVEL_STYLE = {0: "Normal", 2: "年报二级标题", 3: "年报三级标题"}


def _set_fonts(rpr, font: str) -> None:
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = rpr.makeelement(qn("w:rFonts"), {})
        rpr.insert(0, fonts)
    for attr in list(fonts.attrib):
        if attr.endswith("Theme"):
            del fonts.attrib[attr]
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), font)


# The language of the text: Chinese (spelling, line breaking and font choice in Word and WPS); Latin
# runs such as an e-mail address stay English. python-docx's template says en-US for both.
LANGUAGE = {"w:val": "en-US", "w:eastAsia": "zh-CN", "w:bidi": "ar-SA"}


def _set_language(rpr) -> None:
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = rpr.makeelement(qn("w:lang"), {})
        rpr.append(lang)
    for attr, value in LANGUAGE.items():
        lang.set(qn(attr), value)


def _language_of_other_parts(doc) -> None:
    """stylesWithEffects.xml (Word 2010's copy of the styles in python-docx's template) says en-US too."""
    for part in doc.part.package.iter_parts():
        if part.partname.endswith("/stylesWithEffects.xml"):
            part._blob = part.blob.replace(b'w:eastAsia="en-US"', b'w:eastAsia="zh-CN"')


def _style(doc, name: str):
    font, size, bold, align, outline, indent = STYLES[name]
    styles = doc.styles
    try:
        style = styles[name]
    except KeyError:
        style = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = styles["Normal"]
        style.quick_style = True
    style.font.size = Pt(size)
    style.font.bold = bold
    style.font.color.rgb = None
    _set_fonts(style.element.get_or_add_rPr(), font)
    ppr = style.element.get_or_add_pPr()
    for tag in ("w:spacing", "w:ind", "w:jc", "w:outlineLvl", "w:snapToGrid", "w:keepNext"):
        for old in ppr.findall(qn(tag)):
            ppr.remove(old)
    ns = nsdecls("w")
    if name == "年报标题":
        line = 'w:line="800" w:lineRule="exact"'
    elif name in ("年报表格", "年报页码"):
        line = 'w:line="240" w:lineRule="auto"'
    else:
        line = f'w:line="{LINE_PITCH}" w:lineRule="exact"'
    if name in ("年报表格", "年报页码"):
        ppr.append(parse_xml(f'<w:snapToGrid {ns} w:val="0"/>'))
    ppr.append(parse_xml(f'<w:spacing {ns} w:before="0" w:after="0" {line}/>'))
    chars, twips = (indent * 100, indent * size * 20) if indent else (0, 0)
    ppr.append(parse_xml(f'<w:ind {ns} w:firstLineChars="{chars}" w:firstLine="{int(twips)}"/>'))
    if align:
        ppr.append(parse_xml(f'<w:jc {nsdecls("w")} w:val="{align}"/>'))
    if outline is not None:
        ppr.append(parse_xml(f'<w:outlineLvl {nsdecls("w")} w:val="{outline}"/>'))
        ppr.append(parse_xml(f'<w:keepNext {nsdecls("w")}/>'))  # a heading never ends a page
    _order_ppr(ppr)
    return style


# CT_PPrBase child order (subset we use)
_PPR_ORDER = ["w:pStyle", "w:keepNext", "w:keepLines", "w:pageBreakBefore", "w:widowControl", "w:snapToGrid",
              "w:spacing", "w:ind", "w:jc", "w:outlineLvl"]


def _order_ppr(ppr) -> None:
    rank = {qn(t): i for i, t in enumerate(_PPR_ORDER)}
    children = list(ppr)
    for child in children:
        ppr.remove(child)
    for child in sorted(children, key=lambda c: rank.get(c.tag, len(rank))):
        ppr.append(child)


def _page_setup(doc) -> None:
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    section.header_distance, section.footer_distance = Mm(15), Mm(28)
    doc.settings.odd_and_even_pages_header_footer = True
    _page_number(section.footer, WD_ALIGN_PARAGRAPH.RIGHT)
    _page_number(section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT)


def _page_number(footer, align) -> None:
    footer.is_linked_to_previous = False
    p = footer.paragraphs[0]
    p.style = "年报页码"
    p.alignment = align
    p._p.append(parse_xml(
        f'<w:r {nsdecls("w")}><w:t xml:space="preserve">— </w:t></w:r>'))
    p._p.append(parse_xml(f'<w:r {nsdecls("w")}><w:fldChar w:fldCharType="begin"/></w:r>'))
    p._p.append(parse_xml(f'<w:r {nsdecls("w")}><w:instrText xml:space="preserve"> PAGE </w:instrText></w:r>'))
    p._p.append(parse_xml(f'<w:r {nsdecls("w")}><w:fldChar w:fldCharType="separate"/></w:r>'))
    p._p.append(parse_xml(f'<w:r {nsdecls("w")}><w:t>1</w:t></w:r>'))
    p._p.append(parse_xml(f'<w:r {nsdecls("w")}><w:fldChar w:fldCharType="end"/></w:r>'))
    p._p.append(parse_xml(f'<w:r {nsdecls("w")}><w:t xml:space="preserve"> —</w:t></w:r>'))


def _draft_header(doc) -> None:
    section = doc.sections[0]
    for header in (section.header, section.even_page_header):
        header.is_linked_to_previous = False
        p = header.paragraphs[0]
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        run = p.add_run(DRAFT_MARK)
        run.bold = True
        run.font.size = Pt(14)
        _set_fonts(run._r.get_or_add_rPr(), HEITI)
        run.font.color.rgb = None
        run._r.get_or_add_rPr().append(parse_xml(f'<w:color {nsdecls("w")} w:val="C00000"/>'))


def _column_widths(section: Section) -> list[int]:
    return [int(TEXT_WIDTH * share) for share in column_shares(section.table)]


def _cell_xml(text: str, width: int, span: int, vmerge: str | None, bold: bool, align: str, keep: bool = False) -> str:
    props = [f'<w:tcW w:w="{width}" w:type="dxa"/>']
    if span > 1:
        props.append(f'<w:gridSpan w:val="{span}"/>')
    if vmerge:
        props.append('<w:vMerge w:val="restart"/>' if vmerge == "restart" else "<w:vMerge/>")
    props.append('<w:vAlign w:val="center"/>')
    rpr = "<w:rPr><w:b/></w:rPr>" if bold else ""
    lines = text.split("\n")  # a header broken between its words (header_lines)
    run = (f'<w:r>{rpr}' + "<w:br/>".join(f'<w:t xml:space="preserve">{escape(line)}</w:t>' for line in lines)
           + "</w:r>") if text else ""
    return (f'<w:tc><w:tcPr>{"".join(props)}</w:tcPr>'
            f'<w:p><w:pPr><w:pStyle w:val="{TABLE_STYLE_ID}"/>{"<w:keepNext/>" if keep else ""}<w:jc w:val="{align}"/>'
            f'</w:pPr>{run}</w:p></w:tc>')


TABLE_STYLE_ID = "table-style-placeholder"
CELL_PAD_V, CELL_PAD_H = 28, 57  # twips: 0.5 mm above and below, 1 mm left and right


def header_lines(text: str, width: int) -> str:
    """A column header that does not fit its cell on one line, broken between its words (结果/维持),
    never one character a line: lines joined by "\n"."""
    from .render_html import header_words

    fit = max(2, (width - 2 * CELL_PAD_H) // int(TABLE_PT * 20))
    words = header_words(text)
    if len(text) <= fit or len(words) == 1:
        return text
    lines = [""]
    for word in words:
        if lines[-1] and len(lines[-1]) + len(word) > fit:
            lines.append("")
        lines[-1] += word
    return "\n".join(lines)
ROW_HEIGHT = 397  # twips: rows at least 7 mm high, as in a typeset table
KEEP_DATA_ROWS = 3


def table_xml(section: Section) -> str:
    grid = section.grid
    widths = _column_widths(section)
    starts = {(c.r, c.c): c for c in grid.cells}
    covering: dict[tuple[int, int], object] = {}
    for cell in grid.cells:
        for dr in range(1, cell.rowspan):
            covering[(cell.r + dr, cell.c)] = cell
    rows = []
    first_value_row = min(c.r for c in grid.cells if c.role == "value")
    value_rows = sorted({c.r for c in grid.cells if c.role == "value"})
    # keep with next (Word's way to hold rows together): every row up to the third data row, and
    # caption and header rows, so a table never starts at the foot of a page with a row or two
    keep_until = value_rows[min(KEEP_DATA_ROWS, len(value_rows)) - 1]
    for r in range(grid.height):
        keep = r < keep_until or r not in value_rows
        tcs = []
        c = 0
        while c < grid.width:
            cell = starts.get((r, c))
            if cell is not None:
                width = sum(widths[c: c + cell.colspan])
                if cell.role == "value":
                    text, bold, align = section.cells[cell.key], False, "center"
                else:
                    text = header_lines(cell.text, width) if cell.role == "header" else cell.text
                    bold = cell.role == "caption"
                    align = "left" if cell.role in ("caption", "label") else "center"
                tcs.append(_cell_xml(text, width, cell.colspan, "restart" if cell.rowspan > 1 else None, bold, align,
                                     keep))
                c += cell.colspan
                continue
            above = covering.get((r, c))
            if above is None:  # cannot happen for a well-formed grid
                raise ValueError(f"grid hole at {r},{c} in {section.id}")
            tcs.append(_cell_xml("", sum(widths[c: c + above.colspan]), above.colspan, "continue", False, "center",
                                 keep))
            c += above.colspan
        header = r < first_value_row and section.table.blocks[0].caption is None
        trpr = (f'<w:trPr><w:cantSplit/><w:trHeight w:val="{ROW_HEIGHT}" w:hRule="atLeast"/>'
                + ("<w:tblHeader/>" if header else "") + "</w:trPr>")
        rows.append(f"<w:tr>{trpr}{''.join(tcs)}</w:tr>")
    borders = "".join(f'<w:{side} w:val="single" w:sz="4" w:space="0" w:color="000000"/>'
                      for side in ("top", "left", "bottom", "right", "insideH", "insideV"))
    grid_xml = "".join(f'<w:gridCol w:w="{w}"/>' for w in widths)
    return (f'<w:tbl {nsdecls("w")}><w:tblPr><w:tblW w:w="{sum(widths)}" w:type="dxa"/><w:jc w:val="center"/>'
            f'<w:tblBorders>{borders}</w:tblBorders><w:tblLayout w:type="fixed"/>'
            f'<w:tblCellMar><w:top w:w="{CELL_PAD_V}" w:type="dxa"/><w:left w:w="{CELL_PAD_H}" w:type="dxa"/>'
            f'<w:bottom w:w="{CELL_PAD_V}" w:type="dxa"/><w:right w:w="{CELL_PAD_H}" w:type="dxa"/></w:tblCellMar>'
            f'<w:tblLook w:val="0000"/></w:tblPr><w:tblGrid>{grid_xml}</w:tblGrid>{"".join(rows)}</w:tbl>')


def build_time() -> datetime:
    """Now (UTC, whole seconds), or SOURCE_DATE_EPOCH for reproducible builds."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return datetime.fromtimestamp(int(epoch), timezone.utc).replace(tzinfo=None)
    return datetime.now(timezone.utc).replace(tzinfo=None, microsecond=0)


def _paragraph(doc, text: str, style):
    """doc.add_paragraph(text, style) without python-docx's look-up of the default style on
    every call (it scans all ~160 styles of the template: a third of a build's time)."""
    p = doc.add_paragraph(text)
    if style.style_id != "Normal":  # the default paragraph style is never named in w:pStyle
        p._p.get_or_add_pPr().style = style.style_id
    return p


def _signature(doc, style, lines: tuple[str, ...]) -> None:
    """The 落款 after GB/T 9704: two blank lines, the date 右空四字, the signer centred over it."""
    for _ in range(2):
        _paragraph(doc, "", style)
    for i, (line, indent) in enumerate(zip(lines, signature_indents(lines), strict=True)):
        p = _paragraph(doc, line, style)
        ppr = p._p.get_or_add_pPr()
        twips = int(indent * BODY_PT * 20)
        if i < len(lines) - 1:
            ppr.append(parse_xml(f'<w:keepNext {nsdecls("w")}/>'))  # the signer never parts from the date
        ppr.append(parse_xml(f'<w:ind {nsdecls("w")} w:firstLine="0" w:firstLineChars="0" w:right="{twips}"/>'))
        ppr.append(parse_xml(f'<w:jc {nsdecls("w")} w:val="right"/>'))
        _order_ppr(ppr)


# A run of Latin letters, digits and signs that Word and LibreOffice cannot break (an e-mail address, a web
# address, “0791-12345678”) and at least four characters wide: when it does not fit at the end of a line
# it moves whole to the next, and a justified paragraph stretches the line it left (“公 室 联 系 （ 地 址”).
# Such a paragraph is set flush left instead: its lines are as full as the text allows, never stretched,
# and the address stays intact for copying (no zero-width characters inside it).
UNBREAKABLE = re.compile(r"[!-~]{8,}")


def _align_left(p) -> None:
    ppr = p._p.get_or_add_pPr()
    for old in ppr.findall(qn("w:jc")):
        ppr.remove(old)
    ppr.append(parse_xml(f'<w:jc {nsdecls("w")} w:val="left"/>'))
    _order_ppr(ppr)


_PREPARED: list[bytes] = []  # the prepared document, once per process


def escape(text: str) -> str:
    """&, < and > as XML entities (xml.sax.saxutils.escape's result; importing saxutils costs a
    build 20 ms of urllib.request, http.client and email)."""
    return _escape(text, quote=False)


def _prepared_name() -> str:
    """The prepared document's name in the user's cache folder: keyed by reportc's and python-docx's
    versions and this module's code, so that no change to the house style ever reads an old one."""
    import hashlib

    import docx

    from . import __version__

    try:
        code = Path(__file__).read_bytes()
    except OSError:
        code = b""
    key = hashlib.sha256(f"{__version__}\n{docx.__version__}\n".encode("utf-8") + code).hexdigest()[:16]
    return f"docx-prepared-{key}.docx"


def _prepared(cached: bool = True) -> bytes:
    """python-docx's default document with reportc's styles, fonts, language and page set up: the
    same for every report, so made once (a batch builds many reports in one worker) and kept in the
    user's cache folder (usercache.py) for the next run."""
    if not _PREPARED:
        from .usercache import read_bytes, write_bytes

        kept_name = _prepared_name()
        kept = read_bytes(kept_name) if cached else None
        if kept is not None and kept[:2] == b"PK":
            _PREPARED.append(kept)
            return kept
        doc = Document()
        for name in STYLES:
            _style(doc, name)
        rpr_default = doc.styles.element.find(qn("w:docDefaults"))
        if rpr_default is not None:
            for rpr in rpr_default.iter(qn("w:rPr")):
                _set_fonts(rpr, FANGSONG)
                _set_language(rpr)
        _language_of_other_parts(doc)
        _page_setup(doc)
        buf = io.BytesIO()
        doc.save(buf)
        _PREPARED.append(buf.getvalue())
        write_bytes(kept_name, _PREPARED[0])
    return _PREPARED[0]


def _new_document():
    """A document opened from the prepared one (made again when the kept copy cannot be opened)."""
    try:
        return Document(io.BytesIO(_prepared()))
    except Exception:  # noqa: BLE001  (a damaged file in the cache folder)
        _PREPARED.clear()
        return Document(io.BytesIO(_prepared(cached=False)))


def render_docx(report: Report) -> bytes:
    doc = _new_document()
    styles = {name: doc.styles[name] for name in STYLES}
    if report.draft:
        _draft_header(doc)
    props = doc.core_properties
    props.title = report.title[:255]  # core properties hold at most 255 characters (python-docx refuses more)
    props.author = report.org[:255]
    props.last_modified_by = report.org[:255]
    props.comments = "由 reportc 生成"
    props.created = props.modified = build_time()
    props.revision = 1
    body = doc.element.body
    title = _paragraph(doc, "", styles["年报标题"])
    for i, line in enumerate(title_lines(report.title)):
        run = title.add_run(line)
        if i:
            run._r.insert(0, parse_xml(f'<w:br {nsdecls("w")}/>'))
    _paragraph(doc, "", styles["Normal"])
    table_style_id = styles["年报表格"].style_id
    for section in report.sections:
        if section.heading:
            _paragraph(doc, section.title, styles["年报一级标题"])
        if section.table is not None:
            xml = table_xml(section).replace(TABLE_STYLE_ID, table_style_id)
            body.insert(len(body) - 1, parse_xml(xml))  # before the final sectPr
            _paragraph(doc, "", styles["年报表格"])
        for para in section.paragraphs:
            p = _paragraph(doc, para.text, styles[LEVEL_STYLE[para.level]])
            if UNBREAKABLE.search(para.text):
                _align_left(p)
    if report.signature:
        _signature(doc, styles["Normal"], report.signature)
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()
