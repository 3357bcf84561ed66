"""The sheet plan: a pure description of every cell of every sheet of a reportc workbook.

Computed once from the specification and the body's facts (name, year, last year's
reference values, roll-up values) by planner.plan_workbook. The XlsxWriter writer
(writer.py) serialises it; the tamper check compares a file with it; the reader finds the input cells through it.
"""

from __future__ import annotations

import math

from .record import field, record

FORMULA_ROLES = ("formula", "check", "input_formula")  # input_formula: an input cell's default (落款)
LINE = 16  # points per line of 11-point text
ROW_MARGIN = 100  # rows the reader reads below the template's last row, to see pasted content
COL_MARGIN = 10
TITLE_LINE = 24  # points per line of the 16-point titles


def read_extents(contents: dict) -> tuple[int, int]:
    """(rows, columns) the reader reads of a sheet whose plan has `contents` (a little beyond it)."""
    rows = max((r for r, _ in contents), default=0) + 1
    cols = max((c for _, c in contents), default=0) + 1
    return rows + ROW_MARGIN, cols + COL_MARGIN


def text_units(text: str) -> int:
    """Width of a text in Excel column units: CJK characters are two units wide."""
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)


def lines(text: str, width: float) -> int:
    """Rough count of wrapped lines: CJK characters are two units wide."""
    units = text_units(text)
    return max(1, math.ceil(units / max(width - 1, 1)))


def cached(value):
    """A formula's cached result as a number or text (Decimal as float, None as 0)."""
    from decimal import Decimal

    if isinstance(value, Decimal):
        return float(value)
    return value if value is not None else 0


@record(frozen=True)
class Cell:
    value: object = None  # text, number, None, or "=FORMULA" for formula roles
    style: str = "text"  # a style name of workbook.STYLES
    role: str = "label"  # label | input | formula | check | metadata
    cached: object = None  # a formula's result as `reportc new` computes it
    key: str = ""  # the logical cell ("t3.new.natural") of input and derived cells
    span: tuple[int, int] | None = None  # (last row, last col) of a merged range anchored here

    @property
    def is_formula(self) -> bool:
        return self.role in FORMULA_ROLES and isinstance(self.value, str) and self.value.startswith("=")


@record
class SheetPlan:
    name: str
    cells: dict = field(default_factory=dict)  # (row, col) -> Cell, zero-based
    widths: dict = field(default_factory=dict)  # col -> Excel width
    heights: dict = field(default_factory=dict)  # row -> points
    validations: list = field(default_factory=list)  # (r0, c0, r1, c1, XlsxWriter options)
    conditional: list = field(default_factory=list)  # (r0, c0, r1, c1, options with "format": style name)
    landscape: bool = False
    one_page: bool = False
    freeze: tuple[int, int] | None = None
    hidden: bool = False  # very hidden (the metadata sheet)

    def put(self, r: int, c: int, value, style: str = "text", role: str = "label", cached=None, key: str = ""):
        self.cells[(r, c)] = Cell(None if value == "" else value, style, role, cached, key)

    def merge(self, r0: int, c0: int, r1: int, c1: int, value, style: str = "text", role: str = "label",
              cached=None, key: str = ""):
        for r in range(r0, r1 + 1):
            for c in range(c0, c1 + 1):
                self.cells[(r, c)] = Cell(None, style, "label")
        self.cells[(r0, c0)] = Cell(None if value == "" else value, style, role, cached, key, (r1, c1))

    def height(self, r: int, points: float):
        self.heights[r] = points

    def contents(self) -> dict:
        """{(row, col): value} as a reader sees it: "=FORMULA" for formulas, None for blanks."""
        return {pos: cell.value for pos, cell in self.cells.items()}

    def inputs(self) -> set:
        return {pos for pos, cell in self.cells.items() if cell.role in ("input", "input_formula")}


@record
class WorkbookPlan:
    sheets: list[SheetPlan]
    active: str
    properties: dict
    custom_properties: list[tuple[str, str]]
    meta: dict  # the metadata items (format, edition, spec_hash, version, org, year, …)

    def sheet(self, name: str) -> SheetPlan:
        return next(s for s in self.sheets if s.name == name)

    def contents(self) -> dict:
        return {s.name: s.contents() for s in self.sheets}

    def inputs(self) -> dict:
        return {s.name: s.inputs() for s in self.sheets}
