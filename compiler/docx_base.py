"""The prepared base of report.docx, made with python-docx: its default document with reportc's
styles, fonts, language, page setup and page numbers (and, for a draft, the 草稿 header). Made once
per machine (render_docx.py keeps it in the user's cache folder), so that building a report never
imports python-docx: render_docx writes each report's body into the parts of this base.

East-Asian font names are written into w:eastAsia (python-docx's font.name does not)."""

from __future__ import annotations

import io

from docx import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Mm, Pt

from .docx_style import FANGSONG, HEITI, LANGUAGE, LINE_PITCH, STYLES
from .report import DRAFT_MARK


def prepare() -> bytes:
    """python-docx's default document with reportc's styles, fonts, language and page set up."""
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
    return _saved(doc)


def prepare_draft(base: bytes) -> bytes:
    """The prepared document `base` with the red 草稿（校验未通过） header on odd and even pages."""
    doc = Document(io.BytesIO(base))
    _draft_header(doc)
    return _saved(doc)


def _saved(doc) -> bytes:
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


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
