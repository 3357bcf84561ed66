"""A small, strict reader of cell contents in an .xlsx file.

Why not openpyxl here: reportc reads a few hundred cells at known positions. This
reader streams every part with expat, guarded as defusedxml guards it (entity declarations
and external references refused; a part with a DTD is read by defusedxml's ElementTree), keeps one
cell in memory at a time, stops at the last row and column it needs (a million pasted
rows below the table, or millions of cells to the right, are never kept), and imports
in a tenth of openpyxl's time. It returns what the file stores and Office shows:
numbers, strings, booleans, error codes, dates (a number whose cell has a date or time
format, or a `t="d"` cell), and formulas as "=…" text. Cached formula results are never
returned.

The package is read as Office reads it: every part is found through the relationships
(`_rels/.rels` → workbook → sheets, shared strings, styles), never by a fixed path; both
Transitional and Strict OOXML namespaces are accepted; a package Office would refuse or
show differently (two sheets of one name, duplicate zip members, a shared-string index
out of range) is refused.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
from datetime import datetime, time, timedelta
from urllib.parse import unquote

from .layout import col_letter
from .record import record
from .xmlparts import elements, safe_parser, string_items, style_items

MAIN_NAMESPACES = (
    "http://schemas.openxmlformats.org/spreadsheetml/2006/main",  # Transitional
    "http://purl.oclc.org/ooxml/spreadsheetml/main",  # Strict
)
REL_NAMESPACES = (
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "http://purl.oclc.org/ooxml/officeDocument/relationships",
)
NS_MAIN = "{" + MAIN_NAMESPACES[0] + "}"  # kept for callers that build XML
NS_PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
CELL_REF = re.compile(r"^([A-Z]{1,3})([0-9]{1,7})$")
A1_IN_FORMULA = re.compile(r"(?<![A-Za-z_$'!])(\$?)([A-Z]{1,3})(\$?)([0-9]{1,7})(?![0-9A-Za-z_(])")
MAX_PART_BYTES = 64 * 1024 * 1024
# Built-in number formats that show a date or time (ECMA-376 §18.8.30; 27–36 and 50–58 are
# the date formats of Chinese, Japanese and Korean Excel).
DATE_FORMAT_IDS = frozenset([*range(14, 23), *range(27, 37), *range(45, 48), *range(50, 59)])
MAX_SERIAL = 2958466  # 10000-01-01: Excel shows #### from here on


class XlsxError(Exception):
    """The file is not a readable workbook; the message is Chinese and names what is wrong."""


@record(frozen=True)
class ErrorValue:
    code: str  # "#DIV/0!", "#REF!", …

    def __str__(self) -> str:
        return self.code


def col_index(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n - 1


def shift_formula(formula: str, rows: int, cols: int) -> str:
    """Move the relative references of a shared formula by (rows, cols), as Excel does."""
    def move(m):
        cabs, col, rabs, row = m.groups()
        new_col = col if cabs else col_letter(col_index(col) + cols)
        new_row = row if rabs else str(int(row) + rows)
        return f"{cabs}{new_col}{rabs}{new_row}"
    parts = re.split(r'("[^"]*")', formula)  # leave string literals alone
    return "".join(p if p.startswith('"') else A1_IN_FORMULA.sub(move, p) for p in parts)


def _ns(tag: str) -> str:
    return tag[1:].split("}", 1)[0] if tag.startswith("{") else ""


def _attr(el, local: str):
    """An attribute in either relationships namespace (r:id)."""
    for ns in REL_NAMESPACES:
        value = el.get(f"{{{ns}}}{local}")
        if value is not None:
            return value
    return None


class Package:
    """An .xlsx package opened for reading as Excel reads it: through its relationships, sheet by sheet."""

    def __init__(self, path):
        try:
            self.zip = zipfile.ZipFile(path)
        except (zipfile.BadZipFile, OSError) as exc:
            raise XlsxError(f"不是有效的压缩包（{exc}）") from None
        try:
            self._open()
        except BaseException:
            self.zip.close()
            raise

    def _open(self) -> None:
        self.parts: dict[str, zipfile.ZipInfo] = {}
        for info in self.zip.infolist():
            key = info.filename.lstrip("/").lower()  # part names are case-insensitive (OPC)
            if key in self.parts:
                raise XlsxError(f"压缩包中有重复的部件“{info.filename}”")
            self.parts[key] = info
        main = self._main_part()
        root, sheets = elements(self._read(main), "sheet")
        self.ns = _ns(root)
        if self.ns not in MAIN_NAMESPACES or root != f"{{{self.ns}}}workbook":
            raise XlsxError("主部件不是 Excel 工作簿")
        self.m = "{" + self.ns + "}"
        rels = self._rels(main)
        by_id = {rid: target for rid, _, target in rels}
        self.sheet_paths: dict[str, str] = {}
        seen: set[str] = set()
        for sheet in (attrs for tag, attrs in sheets if tag == f"{self.m}sheet"):
            name = sheet.get("name", "")
            if name.casefold() in seen:
                raise XlsxError(f"有两个工作表同名“{name}”")
            seen.add(name.casefold())
            target = by_id.get(_attr(sheet, "id"))
            if target is not None:
                self.sheet_paths[name] = target
        self.strings = self._shared_strings(next((t for _, kind, t in rels if kind == "sharedStrings"), None))
        self._styles_part = next((t for _, kind, t in rels if kind == "styles"), None)
        self._date_styles: dict[str, bool] | None = None

    def close(self) -> None:
        self.zip.close()

    @property
    def sheetnames(self) -> list[str]:
        return list(self.sheet_paths)

    def _info(self, name: str) -> zipfile.ZipInfo:
        info = self.parts.get(name.lower())
        if info is None:
            raise XlsxError(f"缺少部件“{name}”")
        if info.file_size > MAX_PART_BYTES:
            raise XlsxError(f"部件“{name}”过大")
        return info

    def _read(self, name: str) -> bytes:
        return self.zip.read(self._info(name))

    def _main_part(self) -> str:
        if "_rels/.rels" not in self.parts:
            raise XlsxError("缺少包关系部件 _rels/.rels")
        for _, kind, target in self._rels(""):
            if kind == "officeDocument":
                return target
        raise XlsxError("包关系中没有指明工作簿部件")

    def _rels(self, part: str) -> list[tuple[str, str, str]]:
        """(id, type's last word, resolved part name) of the internal relationships of a part."""
        folder, base = posixpath.split(part)
        rels_name = posixpath.join(folder, "_rels", base + ".rels")
        if rels_name.lower() not in self.parts:
            return []
        out = []
        _, found = elements(self._read(rels_name), "Relationship")
        for rel in (attrs for tag, attrs in found if tag == f"{NS_PKG_REL}Relationship"):
            if rel.get("TargetMode") == "External":
                continue
            target = unquote(rel.get("Target", ""))
            if target.startswith("/"):
                resolved = posixpath.normpath(target.lstrip("/"))
            else:
                resolved = posixpath.normpath(posixpath.join(folder, target))
            if resolved == ".." or resolved.startswith("../"):
                raise XlsxError(f"关系目标“{target}”指向包外")
            out.append((rel.get("Id", ""), rel.get("Type", "").rsplit("/", 1)[-1], resolved))
        return out

    def _shared_strings(self, part: str | None) -> list[str]:
        if part is None:
            return []
        items = string_items(self._read(part), self.m)
        return [_unescape("".join("".join(text) for text in item)) for item in items]

    def _is_date_style(self, s: str) -> bool:
        """Whether cell style index s shows numbers as a date or time (styles read on first need)."""
        if self._date_styles is None:
            self._date_styles = self._read_date_styles()
        return self._date_styles.get(s, False)

    def _read_date_styles(self) -> dict[str, bool]:
        if self._styles_part is None or self._styles_part.lower() not in self.parts:
            return {}
        formats, xf_formats = style_items(self._read(self._styles_part), self.m)
        custom = {}
        for fid, code in formats:
            try:
                custom[int(fid)] = is_date_format(code)
            except ValueError:
                continue
        out = {}
        for i, fid in enumerate(xf_formats):
            try:
                fid = int(fid)
            except ValueError:
                continue
            out[str(i)] = custom[fid] if fid in custom else fid in DATE_FORMAT_IDS
        return out

    def cells(self, sheet: str, max_row: int, max_col: int) -> dict[tuple[int, int], object]:
        """Stored contents of the top-left max_row x max_col cells (zero-based keys).

        The sheet is streamed through expat with no tree: one cell is held at a time, so
        memory does not grow with the sheet, and reading stops after the last row needed.
        Rows and cells may omit their `r=` position (it then follows from the order, as
        Office reads it)."""
        info = self._info(self.sheet_paths[sheet])
        self._sheet = sheet
        out: dict[tuple[int, int], object] = {}
        parser = safe_parser()
        parser.StartElementHandler, parser.EndElementHandler, parser.CharacterDataHandler = \
            self._handlers(max_row, max_col, out)
        with self.zip.open(info) as stream:
            try:
                parser.ParseFile(stream)
            except _Done:
                pass
        return out

    def _handlers(self, max_row: int, max_col: int, out: dict):
        """expat's start, end and character handlers for `cells`, sharing their state as closures
        (the fastest form in CPython for a handler called for every element)."""
        m = self.ns + "}"
        ROW, C, V, F, IS, T, RPH, DATA = (m + x for x in ("row", "c", "v", "f", "is", "t", "rPh", "sheetData"))
        shared: dict[str, tuple[int, int, str]] = {}  # si -> (row, col, formula) of the master cell
        row = col = -1
        cell: list | None = None  # [row, col, t, s, formula, f type, f si, v text, inline texts]
        text: list[str] | None = None
        in_is = phonetic = 0
        positions, value, unescape = _POSITIONS, self._value, _unescape

        def start(name, attrs):
            nonlocal row, col, cell, text, in_is, phonetic
            if name == C:
                ref = attrs.get("r")
                if ref is None:
                    r, c = row, col + 1
                else:
                    r, c = positions.get(ref) or _position(ref) or (row, col + 1)
                col = c
                cell = [r, c, attrs.get("t", "n"), attrs.get("s"), None, None, None, None, None]
            elif cell is not None:
                if name == V:
                    text = []
                elif name == F:
                    cell[5], cell[6], text = attrs.get("t"), attrs.get("si"), []
                elif name == IS:
                    in_is, cell[8] = 1, []
                elif in_is:
                    if name == RPH:
                        phonetic += 1
                    elif name == T and not phonetic:
                        text = []
            elif name == ROW:
                r = attrs.get("r")
                row = int(r) - 1 if r is not None and r.isdigit() else row + 1
                if row >= max_row:
                    raise _Done
                col = -1

        def end(name):
            nonlocal cell, text, in_is, phonetic
            if text is not None:
                if name == V:
                    cell[7] = "".join(text)
                elif name == F:
                    cell[4] = "".join(text)
                elif name == T:
                    cell[8].append("".join(text))
                text = None
            elif name == C:
                r, c = cell[0], cell[1]
                if r < max_row:
                    if cell[5] == "shared" and cell[6] is not None and cell[4]:
                        shared[cell[6]] = (r, c, cell[4])
                    if c >= max_col:
                        pass
                    elif cell[4]:  # a formula (the common cases inline; the rest as _value reads them)
                        out[(r, c)] = "=" + cell[4]
                    elif cell[4] is None and cell[5] is None and cell[2] == "inlineStr" and cell[8] is not None:
                        out[(r, c)] = unescape("".join(cell[8]))
                    elif cell[4] is None and cell[5] is None and cell[7] is None and cell[2] != "inlineStr":
                        out[(r, c)] = None
                    else:
                        out[(r, c)] = value(cell, shared)
                cell = None
            elif name == IS:
                in_is = 0
            elif name == RPH:
                phonetic -= 1
            elif name == DATA:
                raise _Done

        def chars(data):
            if text is not None:
                text.append(data)

        return start, end, chars

    def _value(self, cell, shared):
        r, c, kind, style, formula, f_type, f_si, raw, inline = cell
        if formula is not None or f_type is not None:
            text = formula
            if not text and f_type == "shared" and f_si in shared:
                mr, mc, master = shared[f_si]
                text = shift_formula(master, r - mr, c - mc)
            if text:
                return "=" + text
        if kind == "inlineStr":
            return _unescape("".join(inline)) if inline is not None else ""
        if raw is None:
            return None
        if kind == "s":
            try:
                index = int(raw)
            except ValueError:
                index = -1
            if not 0 <= index < len(self.strings):
                raise XlsxError(f"单元格 {self._sheet}!{col_letter(c)}{r + 1} 引用了不存在的共享字符串（序号 {raw.strip()[:20]}）")
            return self.strings[index]
        if kind == "str":
            return _unescape(raw)
        if kind == "b":
            return raw.strip() in ("1", "true")
        if kind == "e":
            return ErrorValue(raw)
        if kind == "d":
            return _iso_date(raw)
        try:
            number = float(raw)
        except ValueError:
            raise XlsxError(f"单元格 {self._sheet}!{col_letter(c)}{r + 1} 中的数字无法读取") from None
        if style and style != "0" and self._is_date_style(style):
            shown = serial_to_datetime(number)
            if shown is not None:
                return shown
        return int(number) if number.is_integer() and abs(number) < 2**53 and "." not in raw and "E" not in raw.upper() else number


_POSITIONS: dict[str, tuple[int, int]] = {}  # "B5" -> (4, 1): cell references seen, shared by every sheet read
MAX_POSITIONS = 1 << 16  # references remembered (a hostile sheet of distinct references does not grow it further)
_COLUMNS: dict[str, int] = {}  # "AB" -> 27: column letters seen (at most 18,278: one to three letters)


def _position(ref: str) -> tuple[int, int] | None:
    """The zero-based (row, col) of a cell reference "B5" (remembered in _POSITIONS), None if it is not one."""
    m_ref = CELL_REF.match(ref)
    if not m_ref:
        return None
    letters = m_ref.group(1)
    c = _COLUMNS.get(letters)
    if c is None:
        c = _COLUMNS[letters] = col_index(letters)
    pos = int(m_ref.group(2)) - 1, c
    if len(_POSITIONS) < MAX_POSITIONS:
        _POSITIONS[ref] = pos
    return pos


class _Done(Exception):
    """Raised inside the expat handlers to stop reading a sheet."""


def is_date_format(code: str) -> bool:
    """Whether a number format code shows a date or time (its first section decides)."""
    section = code.split(";", 1)[0]
    section = re.sub(r'"[^"]*"|\\.|_.|\*.', "", section)  # quoted text, escaped and padding characters
    elapsed = re.search(r"\[(h+|m+|s+)\]", section, re.IGNORECASE)
    section = re.sub(r"\[[^\]]*\]", "", section)  # colours, conditions, locales
    return bool(elapsed) or bool(re.search(r"[ymdhs]", section.replace("General", ""), re.IGNORECASE))


def serial_to_datetime(number: float):
    """What Excel shows for a date serial: a date, a date and time, or a time of day."""
    if number != number or not 0 <= number < MAX_SERIAL:
        return None
    if number < 1:
        seconds = round(number * 86400)
        return time(min(seconds // 3600, 23), seconds // 60 % 60, seconds % 60)
    base = datetime(1899, 12, 31) if number < 60 else datetime(1899, 12, 30)  # Excel's 1900 leap-year bug
    shown = base + timedelta(seconds=round(number * 86400))
    return shown.date() if number.is_integer() else shown


def _iso_date(raw: str):
    text = raw.strip()
    try:
        shown = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        try:
            return time.fromisoformat(text)
        except ValueError:
            return text
    if shown.tzinfo is not None:
        shown = shown.replace(tzinfo=None)
    return shown.date() if shown.time() == time(0) else shown


ESCAPED_CHAR = re.compile(r"_x([0-9A-Fa-f]{4})_")


def _unescape(text: str) -> str:
    """Excel writes characters XML cannot hold (control characters) as _xHHHH_. Escaped
    surrogate pairs become the character they encode; a lone surrogate becomes U+FFFD."""
    if "_x" not in text:
        return text
    text = ESCAPED_CHAR.sub(lambda m: chr(int(m.group(1), 16)), text)
    return text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")

