"""情况说明: a clerk's explanation of a warning that is right, matched to its finding.

A row of the 情况说明 sheet (规则 | 位置 | 说明) explains every finding with the same rule and
location. Both are compared after normalising what people type differently: 规则S6 and S6,
full-width and half-width forms, spaces, `'一、总体情况'!B37` quoting and `$` signs. An explained
warning no longer makes the verdict 须核实; an explanation on an error is shown but does not make
it pass. A row that matches no finding, or is not filled in completely, is itself a warning
(rule E1): a stale explanation must not stay in the signed record, and the clerk sees that it
no longer applies rather than trusting it to cover a new warning.
"""

from __future__ import annotations

import re
import unicodedata

from .findings import Finding
from .kinds import declared
from .layout import EXPLAIN_ROWS, cell_map, explain_key, location
from .record import record, replace

RULE = "E1"
_QUOTES = str.maketrans("", "", "'\"‘’“”$")


@record(frozen=True)
class Explanation:
    row: int  # 1-based row of the 情况说明 table
    rule: str  # as typed
    location: str  # as typed
    text: str
    cell: str  # 情况说明!C5: where the 说明 is

    @property
    def key(self) -> tuple[str, str]:
        return rule_key(self.rule), location_key(self.location)


def rule_key(text: str) -> str:
    """规则S6, s6, Ｓ６, “规则 S6” -> S6."""
    text = "".join(unicodedata.normalize("NFKC", text or "").split())
    if text.startswith("规则"):
        text = text[2:]
    return text.upper()


def location_key(text: str) -> str:
    """'一、总体情况'!$B$37, 一、总体情况！b37 -> 一、总体情况!B37 (several cells, as findings list them, too)."""
    text = "".join(unicodedata.normalize("NFKC", text or "").split()).translate(_QUOTES)
    return re.sub(r"(?<=!)[a-z]{1,3}\d+(?::[a-z]{1,3}\d+)?", lambda m: m.group(0).upper(), text)


def finding_key(f: Finding) -> tuple[str, str]:
    return rule_key(f.rule), location_key(f.location)


def read_explanations(spec, texts: dict) -> list[Explanation]:
    """The filled rows of the 情况说明 table (texts: the reader's logical cells)."""
    out = []
    for n in range(1, EXPLAIN_ROWS + 1):
        rule, where, text = (texts.get(explain_key(n, part), "").strip() for part in ("rule", "location", "text"))
        if rule or where or text:
            out.append(Explanation(n, rule, where, text, location(spec, explain_key(n, "text"))))
    return out


def apply_explanations(spec, explanations: list[Explanation], findings: list[Finding]) -> list[Finding]:
    """Attach each explanation to the findings it matches; add an E1 warning for each row that is
    incomplete or matches nothing. Findings of rule E1 cannot be explained (they are about the table)."""
    complete = [e for e in explanations if e.rule and e.text]
    by_key: dict[tuple[str, str], Explanation] = {}
    for e in complete:
        by_key.setdefault(e.key, e)  # the first row wins; a repeated row is still used
    used: set[tuple[str, str]] = set()
    out = []
    for f in findings:
        e = by_key.get(finding_key(f)) if f.rule != RULE else None
        if e is None:
            out.append(f)
            continue
        used.add(e.key)
        out.append(replace(f, explanation=e.text, explanation_cell=e.cell))
    for e in explanations:
        sheet, r, _ = cell_map(spec)[explain_key(e.row, "rule")]
        where = f"{sheet}!A{r + 1}:C{r + 1}"
        if not e.rule or not e.text:
            missing = "、".join(w for w, v in (("规则", e.rule), ("说明", e.text)) if not v)
            out.append(declared(spec, RULE, where, "incomplete", row=e.row, missing=missing,
                                left=_short(e.text or e.rule or e.location)))
        elif e.key not in used:
            out.append(declared(spec, RULE, where, "unmatched", row=e.row, rule=e.rule, location=e.location or "（空）",
                                left=_short(e.text)))
    return out


def _short(text: str) -> str:
    return text if len(text) <= 60 else text[:60] + "…"


def is_open(f: Finding) -> bool:
    """A warning nobody has explained: it keeps the verdict at 须核实."""
    return f.severity == "warning" and not f.explanation
