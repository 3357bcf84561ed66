"""A small, strict reader of cell contents in an .xlsx file.

Why not openpyxl here: reportc reads a few hundred cells at known positions. This
reader streams each sheet with defusedxml (entity and DTD attacks refused), stops at
the last row it needs (a million pasted rows below the table are never parsed),
ignores styles, and imports in a tenth of openpyxl's time. It returns what the file
stores: numbers, strings, booleans, error codes, and formulas as "=…" text. Cached
formula results are never returned.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
from dataclasses import dataclass

from defusedxml.ElementTree import fromstring, iterparse

from .layout import col_letter

NS_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
NS_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
NS_PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
CELL_REF = re.compile(r"^([A-Z]{1,3})([0-9]{1,7})$")
A1_IN_FORMULA = re.compile(r"(?<![A-Za-z_$'!])(\$?)([A-Z]{1,3})(\$?)([0-9]{1,7})(?![0-9A-Za-z_(])")
MAX_PART_BYTES = 64 * 1024 * 1024


class XlsxError(Exception):
    """The file is not a readable workbook (message for developers; callers translate)."""


@dataclass(frozen=True)
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


class Workbook:
    def __init__(self, path):
        try:
            self.zip = zipfile.ZipFile(path)
        except (zipfile.BadZipFile, OSError) as exc:
            raise XlsxError(f"not a zip file: {exc}") from None
        self.sheet_paths = self._sheets()
        self.strings = self._shared_strings()

    def close(self) -> None:
        self.zip.close()

    @property
    def sheetnames(self) -> list[str]:
        return list(self.sheet_paths)

    def _read(self, name: str) -> bytes:
        try:
            info = self.zip.getinfo(name)
        except KeyError:
            raise XlsxError(f"missing part {name}") from None
        if info.file_size > MAX_PART_BYTES:
            raise XlsxError(f"part {name} too large")
        return self.zip.read(info)

    def _sheets(self) -> dict[str, str]:
        workbook = fromstring(self._read("xl/workbook.xml"))
        rels = fromstring(self._read("xl/_rels/workbook.xml.rels"))
        targets = {}
        for rel in rels.iter(f"{NS_PKG_REL}Relationship"):
            target = rel.get("Target", "")
            path = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join("xl", target))
            targets[rel.get("Id")] = path
        sheets = {}
        for sheet in workbook.iter(f"{NS_MAIN}sheet"):
            rid = sheet.get(f"{NS_REL}id")
            if rid in targets:
                sheets[sheet.get("name", "")] = targets[rid]
        return sheets

    def _shared_strings(self) -> list[str]:
        if "xl/sharedStrings.xml" not in self.zip.namelist():
            return []
        root = fromstring(self._read("xl/sharedStrings.xml"))
        out = []
        for si in root.iter(f"{NS_MAIN}si"):
            out.append(_text_of(si))
        return out

    def cells(self, sheet: str, max_row: int, max_col: int) -> dict[tuple[int, int], object]:
        """Stored contents of the top-left max_row x max_col cells (zero-based keys)."""
        path = self.sheet_paths[sheet]
        info = self.zip.getinfo(path)
        out: dict[tuple[int, int], object] = {}
        shared: dict[str, tuple[int, int, str]] = {}  # si -> (row, col, formula) of the master cell
        with self.zip.open(info) as stream:
            for _, el in iterparse(stream, events=("end",)):
                tag = el.tag
                if tag == f"{NS_MAIN}row":
                    r = el.get("r")
                    if r is not None and r.isdigit() and int(r) > max_row:
                        break
                    el.clear()
                    continue
                if tag != f"{NS_MAIN}c":
                    continue
                m = CELL_REF.match(el.get("r", ""))
                if not m:
                    continue
                r, c = int(m.group(2)) - 1, col_index(m.group(1))
                if r >= max_row:
                    break
                f = el.find(f"{NS_MAIN}f")
                if f is not None and f.get("t") == "shared" and f.get("si") is not None:
                    si = f.get("si")
                    if f.text:
                        shared[si] = (r, c, f.text)
                if c >= max_col:
                    continue
                out[(r, c)] = self._value(el, f, shared, r, c)
        return out

    def _value(self, el, f, shared, r, c):
        if f is not None:
            text = f.text
            if not text and f.get("t") == "shared" and f.get("si") in shared:
                mr, mc, master = shared[f.get("si")]
                text = shift_formula(master, r - mr, c - mc)
            if text:
                return "=" + text
        kind = el.get("t", "n")
        v = el.find(f"{NS_MAIN}v")
        if kind == "inlineStr":
            node = el.find(f"{NS_MAIN}is")
            return _text_of(node) if node is not None else ""
        if v is None or v.text is None:
            return None
        raw = v.text
        if kind == "s":
            try:
                return self.strings[int(raw)]
            except (ValueError, IndexError):
                raise XlsxError(f"bad shared string index {raw!r}") from None
        if kind == "str":
            return raw
        if kind == "b":
            return raw.strip() in ("1", "true")
        if kind == "e":
            return ErrorValue(raw)
        try:
            number = float(raw)
        except ValueError:
            raise XlsxError(f"bad number {raw!r}") from None
        return int(number) if number.is_integer() and abs(number) < 2**53 and "." not in raw and "E" not in raw.upper() else number


ESCAPED_CHAR = re.compile(r"_x([0-9A-Fa-f]{4})_")


def _unescape(text: str) -> str:
    """Excel writes characters XML cannot hold (control characters) as _xHHHH_."""
    return ESCAPED_CHAR.sub(lambda m: chr(int(m.group(1), 16)), text) if "_x" in text else text


def _text_of(node) -> str:
    """Text of a string item: plain <t> or rich-text runs <r><t>, never phonetic <rPh>."""
    parts = []
    for child in node:
        if child.tag == f"{NS_MAIN}t":
            parts.append(child.text or "")
        elif child.tag == f"{NS_MAIN}r":
            t = child.find(f"{NS_MAIN}t")
            if t is not None:
                parts.append(t.text or "")
    return _unescape("".join(parts))
