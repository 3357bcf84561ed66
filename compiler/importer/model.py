"""What every reader of a published report produces: a title and, in reading order,
paragraphs and tables (cells with their row and column spans, never copied into the
cells a merge covers)."""

from __future__ import annotations

import re
import unicodedata

from ..record import field, record

SPACES = re.compile(r"[\s\u00a0\u3000\u2002\u2003\u2009\u200b\ufeff]+")


@record
class Cell:
    text: str
    rowspan: int = 1
    colspan: int = 1


@record
class Table:
    rows: list[list[Cell]]
    page: int = 0  # PDF: the page it starts on


@record
class Para:
    text: str


@record
class Doc:
    kind: str  # html | docx | pdf | md
    blocks: list = field(default_factory=list)  # Para | Table, in reading order
    title: str = ""
    notes: list[str] = field(default_factory=list)


def clean(text: str) -> str:
    """One line of text as a reader sees it: spaces of every kind collapsed, ends trimmed."""
    return SPACES.sub(" ", text or "").strip()


def squeeze(text: str) -> str:
    """A label reduced to what identifies it: half-width, without spaces and punctuation."""
    text = unicodedata.normalize("NFKC", text or "")
    return "".join(ch for ch in text if ch.isalnum())


MAX_SPAN = 60  # a rowspan/colspan beyond any statutory table: clamped (a hostile page cannot make a huge grid)
MAX_SLOTS = 200_000  # cells of one table's grid: a statutory table has a few hundred


class TableTooLarge(ValueError):
    pass


def matrix(table: Table) -> list[list[tuple[int, str, int]]]:
    """The table as a rectangle of slots: (origin id, text, origin row); a merged cell's
    slots all name its origin, so its text is read once."""
    grid: dict[tuple[int, int], tuple[int, str, int]] = {}
    origin = 0
    width = 0
    for r, row in enumerate(table.rows):
        c = 0
        for cell in row:
            while (r, c) in grid:
                c += 1
            rs, cs = max(1, min(cell.rowspan, MAX_SPAN)), max(1, min(cell.colspan, MAX_SPAN))
            if len(grid) + rs * cs > MAX_SLOTS:
                raise TableTooLarge(MAX_SLOTS)
            for dr in range(rs):
                for dc in range(cs):
                    grid.setdefault((r + dr, c + dc), (origin, cell.text, r))
            origin += 1
            c += cs
            width = max(width, c)
    height = len(table.rows)
    return [[grid.get((r, c), (-1 - r * 1000 - c, "", r)) for c in range(width)] for r in range(height)]
