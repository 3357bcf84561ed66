"""A DOCX report into a Doc, from the package's XML (defusedxml: no entities, no DTD).

Tables are read from w:tbl itself: w:gridSpan gives a cell's column span and w:vMerge
its row span, so a merged cell is read once (python-docx's row.cells repeats it)."""

from __future__ import annotations

from pathlib import Path

from ..errors import CannotCheck
from .assemble import TITLE_ANY
from .guard import MAX_DEPTH, MAX_TEXT, check_zip
from .model import Cell, Doc, Para, Table, clean

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
MAX_XML = 60 * 1024 * 1024


def _val(el, path: str):
    found = el.find(path)
    return None if found is None else found.get(W + "val", "")


def _para_text(p) -> str:
    parts = []
    for node in p.iter():
        tag = node.tag
        if tag == W + "t":
            parts.append(node.text or "")
        elif tag in (W + "br", W + "cr"):
            parts.append("\n")
        elif tag == W + "tab":
            parts.append(" ")
        elif tag == W + "noBreakHyphen":
            parts.append("-")
    return "".join(parts)


def _cell_text(tc) -> str:
    return clean("".join(_para_text(p).replace("\n", "") for p in tc.iter(W + "p")))


def _table(tbl) -> Table:
    rows: list[list[Cell]] = []
    open_cells: dict[int, Cell] = {}  # grid column -> the cell a vMerge continues
    for tr in tbl.findall(W + "tr"):
        row: list[Cell] = []
        col = int(_val(tr, f"{W}trPr/{W}gridBefore") or 0) if (_val(tr, f"{W}trPr/{W}gridBefore") or "0").isdigit() else 0
        for tc in tr.findall(W + "tc"):
            span_text = _val(tc, f"{W}tcPr/{W}gridSpan") or "1"
            span = max(1, min(int(span_text), 60)) if span_text.isdigit() else 1
            vmerge = _val(tc, f"{W}tcPr/{W}vMerge")
            if vmerge is not None and vmerge != "restart" and col in open_cells:
                open_cells[col].rowspan += 1  # continues the cell above: not a cell of its own
            else:
                cell = Cell(_cell_text(tc), 1, span)
                row.append(cell)
                if vmerge == "restart":
                    open_cells[col] = cell
                else:
                    open_cells.pop(col, None)
            col += span
        rows.append(row)
    return Table(rows)


def read_docx(data: bytes, source: Path) -> Doc:
    from defusedxml import DefusedXmlException
    from defusedxml.ElementTree import fromstring

    zf = check_zip(data, source.name)
    info = zf.getinfo("word/document.xml")
    if info.file_size > MAX_XML:
        raise CannotCheck(f"Word 文档“{source.name}”的正文部件过大，已拒绝读取。")
    try:
        root = fromstring(zf.read(info))
    except DefusedXmlException:
        raise CannotCheck(f"Word 文档“{source.name}”含有不安全的 XML 内容（实体或文档类型声明），已拒绝读取。",
                          "Word 和 WPS 正常保存的文件不含这类内容。请核实文件来源。") from None
    except Exception as exc:  # malformed XML
        raise CannotCheck(f"无法读取 Word 文档“{source.name}”：文件内部结构有误（{type(exc).__name__}）。",
                          "请在 Word 或 WPS 中打开并重新保存为 .docx 后再试。") from None
    body = root.find(W + "body")
    doc = Doc("docx")
    if body is None:
        return doc
    total = 0
    stack = [(child, 0) for child in reversed(list(body))]
    while stack:
        el, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise CannotCheck(f"Word 文档“{source.name}”的结构嵌套过深，不像一份年报，已拒绝读取。")
        if el.tag == W + "p":
            text = _para_text(el)
            total += len(text)
            if total > MAX_TEXT:
                raise CannotCheck(f"Word 文档“{source.name}”的文字超过 {MAX_TEXT} 字，不像一份年报，已拒绝读取。")
            joined = clean(text.replace("\n", ""))
            if "\n" in text and not (len(joined) <= 80 and TITLE_ANY.search(joined)):
                doc.blocks += [Para(clean(line)) for line in text.split("\n") if clean(line)]
            elif joined:
                doc.blocks.append(Para(joined))
        elif el.tag == W + "tbl":
            doc.blocks.append(_table(el))
        elif el.tag in (W + "sdt", W + "sdtContent", W + "customXml", W + "smartTag"):
            stack += [(child, depth + 1) for child in reversed(list(el))]
    if not doc.title:
        for block in doc.blocks[:20]:
            if isinstance(block, Para) and TITLE_ANY.search(block.text) and len(block.text) <= 80:
                doc.title = block.text
                break
    return doc


