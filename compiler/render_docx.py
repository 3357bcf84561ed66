"""report.docx in the house style of official documents (after GB/T 9704-2012).

A4 with 37/35/28/26 mm margins; title 2号 方正小标宋简体; body 3号 仿宋_GB2312 with a
fixed line pitch of 22 lines a page; "一、" headings 黑体, "（一）" headings 楷体_GB2312,
"1." headings 仿宋 bold; page numbers 4号 "— 1 —", odd pages right, even pages left.

The styles, page setup and page numbers are in a prepared base document (docx_base.py, made once
with python-docx and kept in the user's cache folder). Each report is that package with its own
word/document.xml and docProps/core.xml, written here as XML text: the elements, attributes and
order python-docx would write (tests/test_docx_package.py compares them), without importing
python-docx or parsing the base's parts. Tables are WordprocessingML too: gridSpan/vMerge merges and
a tblGrid with real widths, which Word, WPS and LibreOffice all honour.
"""

from __future__ import annotations

import os
import re
from datetime import datetime, timezone
from html import escape as _escape
from pathlib import Path

from .docx_package import DamagedPackage, Entry, deflated, read_entries, write_zip
from .docx_style import BODY_PT, LEVEL_STYLE, TABLE_PT, TEXT_WIDTH, style_id
from .layout import column_shares
from .opening import signature_indents
from .record import record
from .report import DRAFT_MARK, Report, Section, title_lines


def _column_widths(section: Section) -> list[int]:
    return [int(TEXT_WIDTH * share) for share in column_shares(section.table)]


def _cell_xml(text: str, width: int, span: int, vmerge: str | None, bold: bool, align: str, style: str,
              keep: bool = False) -> str:
    props = [f'<w:tcW w:w="{width}" w:type="dxa"/>']
    if span > 1:
        props.append(f'<w:gridSpan w:val="{span}"/>')
    if vmerge:
        props.append('<w:vMerge w:val="restart"/>' if vmerge == "restart" else "<w:vMerge/>")
    props.append('<w:vAlign w:val="center"/>')
    rpr = "<w:rPr><w:b/></w:rPr>" if bold else ""
    lines = text.split("\n")  # a header broken between its words (header_lines)
    run = (f'<w:r>{rpr}' + "<w:br/>".join(f'<w:t xml:space="preserve">{xml_text(line)}</w:t>' for line in lines)
           + "</w:r>") if text else ""
    return (f'<w:tc><w:tcPr>{"".join(props)}</w:tcPr>'
            f'<w:p><w:pPr><w:pStyle w:val="{style}"/>{"<w:keepNext/>" if keep else ""}<w:jc w:val="{align}"/>'
            f'</w:pPr>{run}</w:p></w:tc>')


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


def table_xml(section: Section, style: str = style_id("年报表格")) -> str:
    """A statutory table as w:tbl, each cell's paragraph in the table style (its style id)."""
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
                                     style, keep))
                c += cell.colspan
                continue
            above = covering.get((r, c))
            if above is None:  # cannot happen for a well-formed grid
                raise ValueError(f"grid hole at {r},{c} in {section.id}")
            tcs.append(_cell_xml("", sum(widths[c: c + above.colspan]), above.colspan, "continue", False, "center",
                                 style, keep))
            c += above.colspan
        header = r < first_value_row and section.table.blocks[0].caption is None
        trpr = (f'<w:trPr><w:cantSplit/><w:trHeight w:val="{ROW_HEIGHT}" w:hRule="atLeast"/>'
                + ("<w:tblHeader/>" if header else "") + "</w:trPr>")
        rows.append(f"<w:tr>{trpr}{''.join(tcs)}</w:tr>")
    borders = "".join(f'<w:{side} w:val="single" w:sz="4" w:space="0" w:color="000000"/>'
                      for side in ("top", "left", "bottom", "right", "insideH", "insideV"))
    grid_xml = "".join(f'<w:gridCol w:w="{w}"/>' for w in widths)
    return (f'<w:tbl><w:tblPr><w:tblW w:w="{sum(widths)}" w:type="dxa"/><w:jc w:val="center"/>'
            f'<w:tblBorders>{borders}</w:tblBorders><w:tblLayout w:type="fixed"/>'
            f'<w:tblCellMar><w:top w:w="{CELL_PAD_V}" w:type="dxa"/><w:left w:w="{CELL_PAD_H}" w:type="dxa"/>'
            f'<w:bottom w:w="{CELL_PAD_V}" w:type="dxa"/><w:right w:w="{CELL_PAD_H}" w:type="dxa"/></w:tblCellMar>'
            f'<w:tblLook w:val="0000"/></w:tblPr><w:tblGrid>{grid_xml}</w:tblGrid>{"".join(rows)}</w:tbl>')


def build_seconds() -> int | None:
    """SOURCE_DATE_EPOCH as whole seconds, or None when it is not set (or not a number)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    return int(epoch) if epoch.isdigit() else None


def build_time() -> datetime:
    """Now (UTC, whole seconds), or SOURCE_DATE_EPOCH for reproducible builds."""
    epoch = build_seconds()
    if epoch is not None:
        return datetime.fromtimestamp(epoch, timezone.utc).replace(tzinfo=None)
    return datetime.now(timezone.utc).replace(tzinfo=None, microsecond=0)


def escape(text: str) -> str:
    """&, < and > as XML entities (xml.sax.saxutils.escape's result; importing saxutils costs a
    build 20 ms of urllib.request, http.client and email)."""
    return _escape(text, quote=False)


# What XML 1.0 cannot hold (C0 controls but tab, CR and LF; lone surrogates; U+FFFE, U+FFFF). The reader
# removes these from a clerk's text with a note (R4, values.CONTROL); a report made some other way loses
# them here, so that report.docx is always well-formed (python-docx refused such text with a ValueError).
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def clean(text: str) -> str:
    """`text` without the characters XML cannot hold."""
    return NOT_XML.sub("", text)


def xml_text(text: str) -> str:
    """Text as XML character data: never markup, whatever it holds."""
    return escape(clean(text))


_RUN_PIECES = re.compile(r"([\t\r\n])")


def run_content(text: str) -> str:
    """A run's content as python-docx writes text into it: a tab is <w:tab/>, a line break (CR or LF)
    <w:br/>, other text <w:t> (xml:space="preserve" when it starts or ends with white space)."""
    out = []
    for piece in _RUN_PIECES.split(clean(text)):
        if piece == "\t":
            out.append("<w:tab/>")
        elif piece in ("\r", "\n"):
            out.append("<w:br/>")
        elif piece:
            space = ' xml:space="preserve"' if len(piece.strip()) < len(piece) else ""
            out.append(f"<w:t{space}>{escape(piece)}</w:t>")
    return "".join(out)


def paragraph(text: str, style: str = "Normal", props: str = "") -> str:
    """A w:p as python-docx's add_paragraph(text, style) writes it, with `props` after the w:pStyle."""
    sid = style_id(style)
    ppr = (f'<w:pStyle w:val="{sid}"/>' if sid != "Normal" else "") + props
    inner = (f"<w:pPr>{ppr}</w:pPr>" if ppr else "") + (f"<w:r>{run_content(text)}</w:r>" if text else "")
    return f"<w:p>{inner}</w:p>" if inner else "<w:p/>"


# A run of Latin letters, digits and signs that Word and LibreOffice cannot break (an e-mail address, a web
# address, “0791-12345678”) and at least four characters wide: when it does not fit at the end of a line
# it moves whole to the next, and a justified paragraph stretches the line it left (“公 室 联 系 （ 地 址”).
# Such a paragraph is set flush left instead: its lines are as full as the text allows, never stretched,
# and the address stays intact for copying (no zero-width characters inside it).
UNBREAKABLE = re.compile(r"[!-~]{8,}")
LEFT = '<w:jc w:val="left"/>'


def _title(title: str) -> str:
    """The title paragraph: one run a line, each after the first opening with a line break."""
    runs = "".join(f"<w:r>{'<w:br/>' if i else ''}{run_content(line)}</w:r>" if i or line else "<w:r/>"
                   for i, line in enumerate(title_lines(clean(title))))
    return f'<w:p><w:pPr><w:pStyle w:val="{style_id("年报标题")}"/></w:pPr>{runs}</w:p>'


def _signature(lines: tuple[str, ...]) -> list[str]:
    """The 落款 after GB/T 9704: two blank lines, the date 右空四字, the signer centred over it."""
    out = [paragraph(""), paragraph("")]
    lines = tuple(clean(line) for line in lines)
    for i, (line, indent) in enumerate(zip(lines, signature_indents(lines), strict=True)):
        keep = "<w:keepNext/>" if i < len(lines) - 1 else ""  # the signer never parts from the date
        twips = int(indent * BODY_PT * 20)
        out.append(paragraph(line, "Normal", f'{keep}<w:ind w:firstLine="0" w:firstLineChars="0" w:right="{twips}"/>'
                                             '<w:jc w:val="right"/>'))
    return out


def body_xml(report: Report) -> str:
    """The paragraphs and tables of word/document.xml's w:body, before the section properties."""
    out = [_title(report.title), paragraph("")]
    for section in report.sections:
        if section.heading:
            out.append(paragraph(section.title, "年报一级标题"))
        if section.table is not None:
            out.append(table_xml(section))
            out.append(paragraph("", "年报表格"))
        for para in section.paragraphs:
            text = clean(para.text)
            out.append(paragraph(text, LEVEL_STYLE[para.level], LEFT if UNBREAKABLE.search(text) else ""))
    if report.signature:
        out += _signature(report.signature)
    return "".join(out)


_CORE = re.compile(r"<(?P<tag>dc:title|dc:creator|cp:lastModifiedBy|dc:description|cp:revision|dcterms:created"
                   r"|dcterms:modified)(?P<attrs>\s[^>]*?)?(?:/>|>[^<]*</(?P=tag)>)")
_W3CDTF = ' xsi:type="dcterms:W3CDTF"'


def core_xml(base: str, report: Report) -> str:
    """docProps/core.xml: the base's, with the report's title and body (255 characters at most, as
    core properties hold), 由 reportc 生成, revision 1, created = modified = build_time()."""
    when = build_time().strftime("%Y-%m-%dT%H:%M:%SZ")
    title, org = clean(report.title)[:255], clean(report.org)[:255]
    values = {"dc:title": title, "dc:creator": org, "cp:lastModifiedBy": org,
              "dc:description": "由 reportc 生成", "cp:revision": "1", "dcterms:created": when,
              "dcterms:modified": when}
    found = set()

    def fill(match: re.Match) -> str:
        tag = match["tag"]
        found.add(tag)
        attrs = _W3CDTF if tag.startswith("dcterms:") else (match["attrs"] or "")
        return f"<{tag}{attrs}>{_core_text(values[tag])}</{tag}>"

    xml = _CORE.sub(fill, base)
    added = "".join(f"<{tag}{_W3CDTF if tag.startswith('dcterms:') else ''}>{_core_text(value)}</{tag}>"
                    for tag, value in values.items() if tag not in found)
    return xml.replace("</cp:coreProperties>", added + "</cp:coreProperties>") if added else xml


def _core_text(text: str) -> str:
    return xml_text(text).replace("\r", "&#13;")  # as lxml writes a CR: kept, not read back as LF


DOCUMENT, CORE = "word/document.xml", "docProps/core.xml"


@record(frozen=True)
class Base:
    """A prepared package: its entries as stored, and word/document.xml cut around the body's end."""
    data: bytes
    entries: tuple[Entry, ...]
    head: str  # the XML declaration, w:document, w:body and whatever the body holds already
    tail: str  # the final w:sectPr (copied into every report), </w:body></w:document>
    core: str

    @classmethod
    def read(cls, data: bytes) -> "Base":
        entries, parts = read_entries(data, (DOCUMENT, CORE))
        try:
            document, core = parts[DOCUMENT].decode("utf-8"), parts[CORE].decode("utf-8")
        except UnicodeDecodeError as exc:
            raise DamagedPackage(str(exc)) from None
        end = document.rfind("<w:sectPr")
        if end < 0 or "<w:body>" not in document[:end] or not document.endswith("</w:body></w:document>") or \
                "</cp:coreProperties>" not in core:
            raise DamagedPackage("word/document.xml or docProps/core.xml is not a prepared one")
        return cls(data, tuple(entries), document[:end], document[end:], core)

    def write(self, body: str, core: str) -> bytes:
        new = {DOCUMENT: deflated(DOCUMENT, (self.head + body + self.tail).encode("utf-8")),
               CORE: deflated(CORE, core.encode("utf-8"))}
        return write_zip([new.get(entry.name, entry) for entry in self.entries], build_seconds())


_PREPARED: dict[bool, Base | None] = {}  # the prepared bases (False: plain, True: draft), read once per process


def _prepared_name(draft: bool = False) -> str:
    """A prepared base's name in the user's cache folder: keyed by reportc's version, the draft mark,
    python-docx's version (its __init__.py, found without importing it) and the code of the house style
    (docx_base.py, docx_style.py), so that no change to the house style ever reads an old one."""
    from .digest import sha256
    from importlib.util import find_spec

    from . import __version__

    here = Path(__file__).parent
    key = sha256(f"{__version__}\n{DRAFT_MARK}\n".encode("utf-8"))
    spec = find_spec("docx")
    for path in (spec.origin if spec else None, here / "docx_base.py", here / "docx_style.py"):
        try:
            key.update(Path(path).read_bytes() if path else b"")
        except OSError:
            pass
    return f"docx-prepared{'-draft' if draft else ''}-{key.hexdigest()[:16]}.docx"


def _made(draft: bool) -> bytes:
    """A base made afresh with python-docx (the one path that imports it)."""
    from .docx_base import prepare, prepare_draft

    return prepare_draft(_base(False).data) if draft else prepare()


def _base(draft: bool) -> Base:
    """The prepared base, plain or with the 草稿 header: from this process, else the user's cache folder
    (usercache.py), else made (and kept there for the next run). A kept copy that cannot be read as a
    prepared package is made again."""
    if draft not in _PREPARED:
        from .usercache import read_bytes, write_bytes

        name = _prepared_name(draft)
        data = read_bytes(name)
        try:
            _PREPARED[draft] = Base.read(data) if data is not None else None
        except DamagedPackage:
            _PREPARED[draft] = None
        if _PREPARED[draft] is None:
            data = _made(draft)
            _PREPARED[draft] = Base.read(data)
            write_bytes(name, data)
    return _PREPARED[draft]


def render_docx(report: Report) -> bytes:
    base = _base(report.draft)
    return base.write(body_xml(report), core_xml(base.core, report))
