"""The report as renderers see it: title, sections, paragraphs and filled table grids.

Everything here is plain data built from the specification and a validated
workbook; the HTML, DOCX and Markdown renderers only draw it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .checks import Data, compute_values
from .findings import fmt_value
from .layout import Grid, NarrativeRow, narrative_rows, table_grid
from .spec import Narrative, Spec, Table

# A short numbered line such as "1. 强化信息公开组织领导。" is a third-level heading.
NUMBERED_HEADING = re.compile(r"^\d{1,2}[.．、]\s*\S")
HEADING_MAX_CHARS = 30


@dataclass(frozen=True)
class Paragraph:
    text: str
    level: int = 0  # 0 body text; 2 （一） subsection title; 3 "1." heading


@dataclass(frozen=True)
class Section:
    id: str
    title: str
    paragraphs: tuple[Paragraph, ...] = ()
    table: Table | None = None
    grid: Grid | None = None
    cells: dict = field(default_factory=dict, hash=False, compare=False)  # value key -> text


@dataclass(frozen=True)
class Report:
    title: str
    org: str
    year: str
    edition: str
    edition_name: str
    sections: tuple[Section, ...]
    draft: bool = False
    contact: dict = field(default_factory=dict, hash=False, compare=False)


def split_paragraphs(text: str) -> list[str]:
    return [p.strip() for p in text.split("\n") if p.strip()]


def _narrative(section: Narrative, data: Data) -> tuple[Paragraph, ...]:
    out: list[Paragraph] = []
    pending_title: str | None = None
    for row in narrative_rows(section):
        if not isinstance(row, NarrativeRow):
            continue
        text = data.texts.get(row.key, "")
        if row.is_title:
            pending_title = text.strip() or None
            continue
        for para in split_paragraphs(text):
            if pending_title:
                out.append(Paragraph(pending_title, 2))
                pending_title = None
            level = 3 if NUMBERED_HEADING.match(para) and len(para) <= HEADING_MAX_CHARS else 0
            out.append(Paragraph(para, level))
    return tuple(out)


def build_report(spec: Spec, data: Data, draft: bool = False) -> Report:
    values = compute_values(spec, data.numbers)
    org = data.texts.get("info.org", "")
    year = data.texts.get("info.year", "")
    title = data.texts.get("info.title", "") or spec.title_pattern.format(org=org, year=year)
    sections = []
    for sid in spec.section_order:
        part = spec.section(sid)
        if isinstance(part, Table):
            grid = table_grid(part)
            cells = {c.key: fmt_value(values[c.key]) for c in grid.cells if c.role == "value"}
            sections.append(Section(sid, part.title, table=part, grid=grid, cells=cells))
        else:
            sections.append(Section(sid, part.title, paragraphs=_narrative(part, data)))
    contact = {f.label: data.texts.get(f"info.{f.id}", "") for f in spec.fields if f.id not in ("org", "year", "title")}
    return Report(title, org, year, spec.edition, spec.name, tuple(sections), draft, contact)


DRAFT_MARK = "草稿（校验未通过）"
