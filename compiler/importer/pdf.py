"""A PDF report with a text layer into a Doc, with pdfplumber (MIT).

Lines outside tables are joined into paragraphs (a paragraph starts indented, or after
a line that ends short of the margin); tables keep their merged cells (spans from the
cells' boxes); a table continued on the next page is joined to its first part and a
repeated header row dropped. No text layer, or text only as (cid:…) glyph numbers: refused."""

from __future__ import annotations

import io
import re
import time
from pathlib import Path

from ..errors import CannotCheck
from .guard import MAX_PAGES, MAX_TEXT
from .model import Cell, Doc, Para, Table, clean

MAX_SECONDS = 120  # reading one PDF: a year's report takes about a second
CID = re.compile(r"\(cid:\d+\)")
PAGE_NUMBER = re.compile(r"^[—\-–－\s]*\d{1,4}[—\-–－\s]*$|^第\s*\d+\s*页(?:\s*共\s*\d+\s*页)?$|^\d+\s*/\s*\d+$")
CJK = r"\u2e80-\u9fff\u3000-\u303f\uff00-\uffef"
SPACE_NEAR_CJK = re.compile(rf"(?<=[{CJK}])\s+(?=[0-9A-Za-z])|(?<=[0-9A-Za-z])\s+(?=[{CJK}])|(?<=[{CJK}])\s+(?=[{CJK}])")


def tidy(text: str) -> str:
    """pdfplumber puts spaces where the layout leaves gaps (between CJK and digits): drop them beside CJK."""
    return SPACE_NEAR_CJK.sub("", clean(text))


def _boundaries(values: list[float]) -> list[float]:
    out: list[float] = []
    for v in sorted(values):
        if not out or v - out[-1] > 1.5:
            out.append(v)
    return out


def _index(bounds: list[float], v: float) -> int:
    return min(range(len(bounds)), key=lambda i: abs(bounds[i] - v))


def _table(found) -> Table:
    texts = found.extract()
    boxes = [c for row in found.rows for c in row.cells if c is not None]
    xs = _boundaries([b[0] for b in boxes] + [b[2] for b in boxes])
    ys = _boundaries([b[1] for b in boxes] + [b[3] for b in boxes])
    rows = []
    for r, row in enumerate(found.rows):
        cells = []
        for c, box in enumerate(row.cells):
            if box is None:
                continue
            text = texts[r][c] if r < len(texts) and c < len(texts[r]) else ""
            colspan = max(1, _index(xs, box[2]) - _index(xs, box[0]))
            rowspan = max(1, _index(ys, box[3]) - _index(ys, box[1]))
            cells.append(Cell(tidy((text or "").replace("\n", "")), rowspan, colspan))
        rows.append(cells)
    return Table(rows)


def _paragraphs(lines: list[dict], left: float, right: float) -> list[list]:
    """[top, text, size, starts indented, ends at the margin] per paragraph of one page."""
    out: list[list] = []
    prev = None
    for line in lines:
        text = line["text"]
        if not clean(text) or PAGE_NUMBER.match(clean(text)):
            continue
        size = round(line["chars"][0].get("size", 0), 1) if line.get("chars") else 0
        indented = line["x0"] > left + 0.8 * max(size, 8)
        new = (prev is None or indented or prev["x1"] < right - 1.5 * max(size, 8)
               or abs(size - prev["size"]) > 0.5 or line["top"] - prev["bottom"] > 1.2 * max(size, 8))
        full = line["x1"] >= right - 1.5 * max(size, 8)
        if new:
            out.append([line["top"], text, size, indented, full])
        else:
            out[-1][1] += text
            out[-1][4] = full
        prev = {"x1": line["x1"], "size": size, "bottom": line["bottom"]}
    return out


class _Tally:
    """What the pages read so far hold: their blocks, and the counts the limits and the title need."""

    def __init__(self):
        self.title_parts: list[tuple[float, str]] = []
        self.total = 0
        self.cid = 0
        self.sizes: dict[float, int] = {}  # type size -> characters: the most used is the body's
        self.items: list[tuple[int, float, object]] = []


def read_pdf(data: bytes, source: Path) -> Doc:
    import pdfplumber
    from pdfminer.pdfparser import PDFSyntaxError

    name = source.name
    doc = Doc("pdf")
    try:
        pdf = pdfplumber.open(io.BytesIO(data))
    except (PDFSyntaxError, Exception) as exc:  # pdfminer raises many kinds on damaged files
        raise CannotCheck(f"无法打开 PDF 文件“{name}”：文件已损坏或已加密（{type(exc).__name__}）。",
                          "请确认文件能在 PDF 阅读器中正常打开；加密的 PDF 请先取消密码。") from None
    tally = _Tally()
    with pdf:
        if len(pdf.pages) > MAX_PAGES:
            raise CannotCheck(f"PDF 文件“{name}”有 {len(pdf.pages)} 页，超过 {MAX_PAGES} 页，不像一份年报，已拒绝读取。")
        started = time.monotonic()
        for number, page in enumerate(pdf.pages):
            if time.monotonic() - started > MAX_SECONDS:
                raise CannotCheck(f"PDF 文件“{name}”读取超过 {MAX_SECONDS} 秒仍未完成，不像一份普通的年报，已停止读取。")
            _read_page(page, number, name, tally)
        total, cid = tally.total, tally.cid
        if total == 0:
            raise CannotCheck(f"PDF 文件“{name}”没有文字层，可能是扫描件或图片，reportc 无法读取其中的文字。",
                              "请向发布单位索取 Word 或网页版本，或使用可搜索的 PDF（带文字层）。")
        if cid * 10 >= total * 3:  # mostly glyph numbers: nothing to read
            raise CannotCheck(f"PDF 文件“{name}”的文字以字形编号（cid）形式保存，无法还原为汉字，reportc 无法读取。",
                              "请向发布单位索取 Word 或网页版本。")
        if cid:
            doc.notes.append(f"PDF 中有 {cid // 8 or 1} 处左右的字符以字形编号（cid）形式保存，无法还原，请对照原文核实相关文字。")
    tally.items.sort(key=lambda x: (x[0], x[1]))
    items = _join_pages(tally.items)
    _find_title(doc, items, tally)
    _add_blocks(doc, items)
    return doc


def _read_page(page, number: int, name: str, tally: _Tally) -> None:
    """One page's paragraphs (outside its tables) and tables, added to the tally."""
    try:
        tables = page.find_tables()
        boxes = [t.bbox for t in tables]

        def outside(obj, boxes=boxes):
            x = (obj.get("x0", 0) + obj.get("x1", 0)) / 2
            y = (obj.get("top", 0) + obj.get("bottom", 0)) / 2
            return not any(b[0] <= x <= b[2] and b[1] <= y <= b[3] for b in boxes)

        lines = page.filter(outside).extract_text_lines()
    except Exception as exc:
        raise CannotCheck(f"无法读取 PDF 文件“{name}”第{number + 1}页（{type(exc).__name__}）。") from None
    text = "".join(ln["text"] for ln in lines)
    tally.total += len(text)
    tally.cid += sum(len(m) for m in CID.findall(text))
    if tally.total > MAX_TEXT:
        raise CannotCheck(f"PDF 文件“{name}”的文字超过 {MAX_TEXT} 字，不像一份年报，已拒绝读取。")
    if lines:
        left = min(ln["x0"] for ln in lines)
        right = max(ln["x1"] for ln in lines)
        for top, raw, size, indented, full in _paragraphs(lines, left, right):
            para = tidy(raw)
            block = Para(para)
            block.raw, block.size, block.indented, block.full = raw, size, indented, full
            tally.items.append((number, top, block))
            tally.sizes[size] = tally.sizes.get(size, 0) + len(para)
            if number == 0:
                tally.title_parts.append((size, para))
    for found in tables:
        table = _table(found)
        table.page = number
        tally.items.append((number, found.bbox[1], table))
        tally.cid += sum(len(m) for row in table.rows for c in row for m in CID.findall(c.text))
        tally.total += sum(len(c.text) for row in table.rows for c in row)


def _join_pages(items: list) -> list:
    """A paragraph going on from the previous page: one paragraph."""
    joined_items: list = []
    for item in items:
        page_no, _, block = item
        if (isinstance(block, Para) and joined_items and joined_items[-1][0] == page_no - 1
                and isinstance(joined_items[-1][2], Para) and not block.indented and joined_items[-1][2].full
                and abs(block.size - joined_items[-1][2].size) < 0.5):
            last = joined_items[-1][2]
            last.raw += block.raw
            last.text, last.full = tidy(last.raw), block.full
            continue
        joined_items.append(item)
    return joined_items


def _find_title(doc: Doc, items: list, tally: _Tally) -> None:
    """The title: the first page's leading lines in a larger type than the body, made one paragraph."""
    sizes = tally.sizes
    body_size = max(sizes, key=sizes.get) if sizes else None
    if not body_size:
        return
    big = []
    for size, para in tally.title_parts:
        if size > body_size + 1:
            big.append(para)
        else:
            break
    if not big:
        return
    doc.title = "".join(big)
    joined = False
    for i, (page_no, top, block) in enumerate(items):
        if isinstance(block, Para) and page_no == 0 and block.text in big:
            if not joined:
                items[i] = (page_no, top, Para(doc.title))
                joined = True
            else:
                items[i] = (page_no, top, Para(""))


def _add_blocks(doc: Doc, items: list) -> None:
    """The blocks in reading order; a table going on from the previous page (its header repeated) joined."""
    previous: Table | None = None
    for _, _, block in items:
        if isinstance(block, Table):
            if previous is not None and block.page == previous.page + 1 and doc.blocks and doc.blocks[-1] is previous:
                rows = block.rows
                head = [[c.text for c in row] for row in previous.rows[:3]]
                while rows and [c.text for c in rows[0]] in head:  # a header row repeated on the new page
                    rows = rows[1:]
                previous.rows += rows
                previous.page = block.page
                continue
            previous = block
        elif not block.text:
            continue
        doc.blocks.append(block)
