"""An HTML report (reportc's own page or fragment, a CMS-mangled copy, a whole portal
page) into a Doc, with lxml. Tables keep their rowspan/colspan; a table that holds other
tables is page layout and is read as text. Iterative: no nesting makes it recurse."""

from __future__ import annotations

import re
from pathlib import Path

from ..errors import CannotCheck
from .guard import MAX_DEPTH, MAX_TEXT
from .model import Cell, Doc, Para, Table, clean

SKIP = {"script", "style", "noscript", "template", "head", "nav", "footer", "iframe", "select", "button", "form",
        "svg", "object", "embed", "textarea"}
BLOCKS = {"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "section", "article", "blockquote",
          "main", "header", "aside", "dd", "dt", "dl", "center", "pre", "address", "figure", "figcaption", "hr", "caption"}
META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-]+)""", re.I)


def decode(data: bytes) -> str:
    """Text of a page: BOM, then <meta charset>, then UTF-8, then GB18030 (a superset of GBK and GB2312)."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace")
    m = META_CHARSET.search(data[:8192])
    if m:
        name = m.group(1).decode("ascii").lower()
        if name in ("gbk", "gb2312", "gb18030", "x-gbk", "cp936"):
            name = "gb18030"
        try:
            text = data.decode(name, errors="replace")
        except LookupError:
            text = None
        if text is not None and text.count("\ufffd") <= 10:
            return text  # else the page lies about its charset (a GBK page saved with a UTF-8 meta): guess again
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("gb18030", errors="replace")


def _int(value, default: int = 1) -> int:
    m = re.match(r"\s*(\d{1,4})", str(value or ""))
    return int(m.group(1)) if m else default


def _text(el) -> str:
    """A cell's text: <br> and paragraphs inside it joined without spaces (labels are Chinese)."""
    parts = []
    for node in el.iter():
        tag = node.tag if isinstance(node.tag, str) else ""
        if tag in SKIP:
            continue
        if node.text and tag not in SKIP:
            parts.append(node.text)
        if node is not el and node.tail:
            parts.append(node.tail)
    return clean("".join(parts))


def _own_rows(table):
    for child in table:
        tag = child.tag if isinstance(child.tag, str) else ""
        if tag == "tr":
            yield child
        elif tag in ("thead", "tbody", "tfoot"):
            for tr in child:
                if isinstance(tr.tag, str) and tr.tag == "tr":
                    yield tr


def _is_layout(table) -> bool:
    return any(True for _ in table.iterdescendants("table"))


def _table(table) -> Table:
    rows = []
    for tr in _own_rows(table):
        cells = [Cell(_text(td), _int(td.get("rowspan")), _int(td.get("colspan")))
                 for td in tr if isinstance(td.tag, str) and td.tag in ("td", "th")]
        rows.append(cells)
    return Table(rows)


def read_html(data: bytes, source: Path) -> Doc:
    import lxml.html
    from lxml import etree

    text = decode(data)
    text = re.sub(r"^\s*<\?xml[^>]*\?>", "", text)
    try:
        root = lxml.html.document_fromstring(text or "<html></html>")
    except (etree.ParserError, ValueError) as exc:
        raise CannotCheck(f"无法读取网页“{source.name}”（{type(exc).__name__}）。", "请在浏览器中打开并另存为网页（.html）后再试。") from None
    doc = Doc("html")
    titles = root.xpath("//h1")
    doc.title = _text(titles[0]) if titles else clean("".join(root.xpath("//title//text()")))
    buffer: list[str] = []
    total = 0

    def flush():
        nonlocal total
        line = clean("".join(buffer))
        buffer.clear()
        if line:
            total += len(line)
            if total > MAX_TEXT:
                raise CannotCheck(f"网页“{source.name}”的文字超过 {MAX_TEXT} 字，不像一份年报，已拒绝读取。")
            doc.blocks.append(Para(line))

    body = root.find("body")
    start = body if body is not None else root
    # iterative walk: (element, depth, entering)
    stack = [(start, 0, True)]
    while stack:
        el, depth, entering = stack.pop()
        if not entering:
            if el.tag in BLOCKS or el.tag in ("table", "tr", "td", "th"):
                flush()
            if el.tail:
                buffer.append(el.tail)
            continue
        tag = el.tag if isinstance(el.tag, str) else ""
        if not tag or tag in SKIP:
            if el.tail:
                buffer.append(el.tail)
            continue
        if depth > MAX_DEPTH:
            raise CannotCheck(f"网页“{source.name}”的标签嵌套超过 {MAX_DEPTH} 层，不像一份年报，已拒绝读取。")
        if tag == "br":
            flush()
            if el.tail:
                buffer.append(el.tail)
            continue
        if tag == "table" and not _is_layout(el):
            flush()
            doc.blocks.append(_table(el))
            if el.tail:
                buffer.append(el.tail)
            continue
        if tag in BLOCKS or tag in ("table", "tr", "td", "th"):
            flush()
        if el.text:
            buffer.append(el.text)
        stack.append((el, depth, False))
        for child in reversed(el):
            stack.append((child, depth + 1, True))
    flush()
    return doc
