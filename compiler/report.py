"""The report as renderers see it: title, sections, paragraphs and filled table grids.

Everything here is plain data built from the specification and a workbook's
analysis (analysis.Analysis); the HTML, DOCX and Markdown renderers only draw it.
"""

from __future__ import annotations

import re

from .checks import Data
from .findings import fmt_value
from .layout import Grid, NarrativeRow, grids, narrative_rows
from .opening import OPENING_ID, refresh, signature
from .record import field, record
from .spec import Narrative, Spec, Table

# A short numbered line such as "1. 强化信息公开组织领导。" is a third-level heading.
NUMBERED_HEADING = re.compile(r"^\d{1,2}[.．、]\s*\S")
HEADING_MAX_CHARS = 30
CONTACT_FIELDS = ("contact_unit", "address", "postcode", "phone", "email", "website")


@record(frozen=True)
class Paragraph:
    text: str
    level: int = 0  # 0 body text; 2 （一） subsection title; 3 "1." heading


@record(frozen=True)
class Section:
    id: str
    title: str
    paragraphs: tuple[Paragraph, ...] = ()
    table: Table | None = None
    grid: Grid | None = None
    cells: dict = field(default_factory=dict, hash=False, compare=False)  # value key -> text
    heading: bool = True  # False for the opening paragraph (开篇), printed without a heading


@record(frozen=True)
class Report:
    title: str
    org: str
    year: str
    edition: str
    edition_name: str
    sections: tuple[Section, ...]
    draft: bool = False
    contact: dict = field(default_factory=dict, hash=False, compare=False)
    signature: tuple[str, ...] = ()  # 落款: signer and date, right-aligned at the end


TITLE_LINE = 19  # 2号 title characters on a 156 mm line (A4, 28/26 mm margins: 20.1), less one of slack:
# a title of exactly 20 wraps its last character when the PC substitutes a wider font
# Where a title breaks best: after the year (…2025年 / 政府信息公开…) or after the body's name.
TITLE_BREAK = re.compile(r"(?<=\d年)|(?=\d{4}年)|(?=政府信息公开工作年度报告)")


def title_lines(title: str, width: float = TITLE_LINE) -> list[str]:
    """The title in balanced lines: no line wider than `width`, no short last line ("告" alone).
    A break after the year or before 政府信息公开工作年度报告 wins over an exact balance."""
    from .opening import text_width

    total = text_width(title)
    if total <= width:
        return [title]
    count = int(-(-total // width))
    if count > 3:  # a very long title (a 机关名称 of dozens of characters): fill line by line, since
        lines, line = [], ""  # trying every balanced split grows exponentially with the length
        for ch in title:
            if line and text_width(line + ch) > width:
                lines.append(line)
                line = ""
            line += ch
        return lines + [line]
    best: tuple[float, list[str]] | None = None
    natural = {m.start() for m in TITLE_BREAK.finditer(title)}

    def split(start: int, parts: int) -> list[list[int]]:
        if parts == 1:
            return [[]] if text_width(title[start:]) <= width else []
        out = []
        for k in range(start + 1, len(title)):
            if text_width(title[start:k]) > width:
                break
            out += [[k, *rest] for rest in split(k, parts - 1)]
        return out

    for cuts in split(0, count)[:5000]:
        bounds = [0, *cuts, len(title)]
        lines = [title[a:b] for a, b in zip(bounds, bounds[1:], strict=False)]
        widths = [text_width(x) for x in lines]
        score = max(widths) - min(widths) - 5 * sum(1 for c in cuts if c in natural)
        if best is None or score < best[0]:
            best = (score, lines)
    return best[1] if best else [title]


def split_paragraphs(text: str) -> list[str]:
    return [p.strip() for p in text.split("\n") if p.strip()]


def _narrative(spec: Spec, section: Narrative, data: Data) -> tuple[Paragraph, ...]:
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
            if section.id == OPENING_ID:
                para = refresh(spec, data.texts, para)
            if pending_title:
                out.append(Paragraph(pending_title, 2))
                pending_title = None
            level = 3 if NUMBERED_HEADING.match(para) and len(para) <= HEADING_MAX_CHARS else 0
            out.append(Paragraph(para, level))
    return tuple(out)


def build_report(analysis, draft: bool = False) -> Report:
    """The report of a workbook's analysis (analysis.Analysis): its values, never recomputed here."""
    spec, data, values = analysis.spec, analysis.data, analysis.values
    org = data.texts.get("info.org", "")
    year = data.texts.get("info.year", "")
    title = data.texts.get("info.title", "") or spec.title_pattern.format(org=org, year=year)
    sections = []
    for sid in spec.section_order:
        part = spec.section(sid)
        if isinstance(part, Table):
            grid = grids(spec)[part.id]
            cells = {c.key: fmt_value(values[c.key]) for c in grid.cells if c.role == "value"}
            sections.append(Section(sid, part.title, table=part, grid=grid, cells=cells))
        else:
            sections.append(Section(sid, part.title, paragraphs=_narrative(spec, part, data), heading=part.heading))
    contact = {f.label: data.texts.get(f"info.{f.id}", "") for f in spec.fields if f.id in CONTACT_FIELDS}
    return Report(title, org, year, spec.edition, spec.name, tuple(sections), draft, contact, signature(data.texts))


DRAFT_MARK = "草稿（校验未通过）"
