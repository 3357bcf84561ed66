"""Load an edition's specification (data files under xlsx_templates/) into plain objects.

One specification per edition drives the workbook writer, the reader, the validator
and the renderers. Nothing here knows about a particular edition.
"""

from __future__ import annotations

import hashlib
import json
import sys
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as tomllib

from .errors import CannotCheck

TEMPLATES_PACKAGE = __package__ + ".xlsx_templates"
NUMBER_KINDS = ("count", "signed_count", "amount")


@dataclass(frozen=True)
class Column:
    id: str
    label: str
    kind: str
    decimals: int = 0


@dataclass(frozen=True)
class Row:
    id: str
    label: str
    group: tuple[str, ...] = ()

    @property
    def display(self) -> str:
        """A row name a clerk recognises, e.g. "（三）不予公开 2.其他法律行政法规禁止公开"."""
        if self.group and self.label[:1].isdigit():
            return f"{self.group[-1]} {self.label}"
        return self.label


@dataclass(frozen=True)
class Block:
    caption: str | None
    label_cols: int
    label_header: str | None
    header: tuple[tuple[int, int, int, int, str], ...]
    columns: tuple[Column, ...]
    rows: tuple[Row, ...]


@dataclass(frozen=True, eq=False)  # identity hash: specs are loaded once and used as cache keys
class Table:
    id: str
    title: str
    sheet: str
    blocks: tuple[Block, ...]

    @property
    def rows(self) -> list[Row]:
        return [r for b in self.blocks for r in b.rows]

    @property
    def columns(self) -> list[Column]:
        """Columns of a single-block table (the only kind rules expand over)."""
        if len(self.blocks) != 1:
            raise ValueError(f"table {self.id} has several blocks")
        return list(self.blocks[0].columns)

    def block_of(self, row_id: str) -> Block:
        for b in self.blocks:
            if any(r.id == row_id for r in b.rows):
                return b
        raise KeyError(row_id)

    def cells(self) -> list[tuple[str, Row, Column]]:
        """Every data cell as (key, row, column), in reading order."""
        return [(f"{self.id}.{r.id}.{c.id}", r, c) for b in self.blocks for r in b.rows for c in b.columns]


@dataclass(frozen=True)
class Field:
    id: str
    label: str
    kind: str
    required: bool = False
    hint: str = ""


@dataclass(frozen=True)
class Narrative:
    id: str
    title: str
    sheet: str
    intro_label: str
    intro_rows: int
    rows_per_subsection: int
    subsections: tuple[str, ...]
    hint: str = ""
    heading: bool = True  # False: the outputs print no heading for it (the opening paragraph)


@dataclass(frozen=True)
class Rule:
    id: str
    kind: str
    severity: str
    title: str
    message: str
    params: dict = field(default_factory=dict, hash=False, compare=False)


@dataclass(frozen=True, eq=False)  # identity hash: load_spec caches one object per edition
class Spec:
    edition: str
    name: str
    document: str
    first_year: int
    last_year: int | None
    title_pattern: str
    section_order: tuple[str, ...]
    sheets: dict = field(hash=False, compare=False)
    fields: tuple[Field, ...] = ()
    narrative: tuple[Narrative, ...] = ()
    tables: tuple[Table, ...] = ()
    rules: tuple[Rule, ...] = ()
    hash: str = ""

    def table(self, table_id: str) -> Table:
        for t in self.tables:
            if t.id == table_id:
                return t
        raise KeyError(table_id)

    def section(self, section_id: str) -> Table | Narrative:
        for s in (*self.tables, *self.narrative):
            if s.id == section_id:
                return s
        raise KeyError(section_id)

    def covers(self, year: int) -> bool:
        return year >= self.first_year and (self.last_year is None or year <= self.last_year)

    def column_kind(self, key: str) -> Column:
        table_id, row_id, col_id = key.split(".")
        block = self.table(table_id).block_of(row_id)
        return next(c for c in block.columns if c.id == col_id)


def _block(data: dict) -> Block:
    return Block(
        caption=data.get("caption"),
        label_cols=int(data.get("label_cols", 1)),
        label_header=data.get("label_header"),
        header=tuple(tuple(h) for h in data.get("header", ())),
        columns=tuple(Column(c["id"], c["label"], c["kind"], int(c.get("decimals", 0))) for c in data["columns"]),
        rows=tuple(Row(r["id"], r["label"], tuple(r.get("group", ()))) for r in data["rows"]),
    )


def _rule(data: dict) -> Rule:
    params = {k: v for k, v in data.items() if k not in ("id", "kind", "severity", "title", "message")}
    return Rule(data["id"], data["kind"], data["severity"], data["title"], data.get("message", data["title"]), params)


def _read_toml(*parts: str) -> dict:
    path = resources.files(TEMPLATES_PACKAGE).joinpath(*parts)
    return tomllib.loads(path.read_text(encoding="utf-8"))


def available_editions() -> list[str]:
    root = resources.files(TEMPLATES_PACKAGE)
    return sorted(p.name for p in root.iterdir() if p.is_dir() and p.joinpath("edition.toml").is_file())


@lru_cache(maxsize=None)
def load_spec(edition: str) -> Spec:
    if edition not in available_editions():
        raise CannotCheck(f"不支持的报告格式版本“{edition}”。可用版本：{'、'.join(available_editions())}。")
    common = _read_toml("common.toml")
    ed = _read_toml(edition, "edition.toml")
    digest = hashlib.sha256(
        json.dumps([common, ed], ensure_ascii=False, sort_keys=True).encode("utf-8")
    ).hexdigest()
    return Spec(
        edition=ed["edition"],
        name=ed["name"],
        document=ed["document"],
        first_year=int(ed["first_year"]),
        last_year=ed.get("last_year"),
        title_pattern=common["title_pattern"],
        section_order=tuple(common["section_order"]),
        sheets=dict(common["sheets"]),
        fields=tuple(Field(f["id"], f["label"], f["kind"], f.get("required", False), f.get("hint", "")) for f in common["fields"]),
        narrative=tuple(
            Narrative(
                n["id"], n["title"], n["sheet"], n["intro_label"], int(n["intro_rows"]),
                int(n["rows_per_subsection"]), tuple(n["subsections"]), n.get("hint", ""), n.get("heading", True),
            )
            for n in common["narrative"]
        ),
        tables=tuple(Table(t["id"], t["title"], t["sheet"], tuple(_block(b) for b in t["blocks"])) for t in ed["tables"]),
        rules=tuple(_rule(r) for r in (*common["rules"], *ed["rules"])),
        hash=digest[:16],
    )


def edition_covering(year: int) -> str | None:
    """The edition the official format prescribes for a report year, if reportc has it."""
    for edition in reversed(available_editions()):
        if load_spec(edition).covers(year):
            return edition
    return None


def edition_for_year(year: int) -> str:
    edition = edition_covering(year)
    if edition is not None:
        return edition
    raise CannotCheck(
        f"reportc 目前没有适用于 {year} 年度的报告格式（现有版本：{'、'.join(available_editions())}）。"
    )
