"""Checks and what rule kinds share to build them: cells, ranges, totals, formulas.

A rule of the specification (O1, D1, ...) expands into checks: O1 into one check per
column of table 三, D6 into one per table row, and so on. A check is what one row of
the 校验 sheet shows and what the validator evaluates. The expansion itself is
kinds.expand (each rule by its kind); this module sits below the kinds, which use it.
"""

from __future__ import annotations

from decimal import Decimal

from .layout import a1, cell_map, narrative_rows, NarrativeRow
from .record import field, record
from .spec import Rule, Spec, memo

PASS, FAIL, NOTE = "通过", "不通过", "提醒"


@record(frozen=True)
class Check:
    rule: Rule
    target: str  # what is checked, in Chinese: “自然人”列, 表三“一、本年新收…”行, 机关名称
    location: str  # sheet!A1 or sheet!A1:B2, as clerks read it
    left: tuple[str, ...] = ()
    right: tuple[str, ...] = ()
    cells: tuple[str, ...] = ()
    reference: str = ""  # previous-year rules: key of the reference value ("ref:t3.carry_next.natural")

    @property
    def fail_word(self) -> str:
        return FAIL if self.rule.severity == "error" else NOTE


@record
class Data:
    """What the validator knows about a workbook's inputs (see reader.read_workbook)."""

    numbers: dict  # input number cells -> int | Decimal (blank and invalid read as 0)
    texts: dict  # info.* and narrative keys -> text ("" when blank)
    blanks: set = field(default_factory=set)
    invalid: set = field(default_factory=set)
    shown: dict = field(default_factory=dict)  # invalid keys -> what was typed (“12件”), as the 校验 sheet shows it
    derived_raw: dict = field(default_factory=dict)  # derived keys -> formula text or value found
    previous: dict = field(default_factory=dict)  # reference key -> last year's value
    previous_info: dict = field(default_factory=dict)  # edition, year, org, file, sha256, locations
    last: object = None  # last year's reader.FilledWorkbook, with check/build --previous (rules on copied text)


# ---- specification helpers -------------------------------------------------------

def expand_ref(ref: str, table_id: str, star: str | None) -> str:
    """"new.*" -> "t3.new.natural"; a leading "-" (a subtracted cell) is kept in front."""
    sign = "-" if ref.startswith("-") else ""
    ref = ref.lstrip("-")
    return sign + (f"{table_id}.{ref.replace('*', star)}" if star else f"{table_id}.{ref}")


def signed_sum(values: dict, keys) -> object:
    total = 0
    for k in keys:
        total = total - values[k[1:]] if k.startswith("-") else total + values[k]
    return total


def reference_key(terms) -> str:
    return "ref:" + "+".join(terms)


def previous_rules(spec: Spec, previous_edition: str | None):
    if previous_edition is None:
        return []
    return [r for r in spec.rules if r.kind == "previous" and previous_edition in r.params["previous_editions"]]


def targets(spec: Spec, rule: Rule):
    """(star, target text) pairs a rule expands over."""
    table = spec.table(rule.params["table"])
    over = rule.params.get("over")
    if over == "columns":
        return [(c.id, f"“{c.label}”列") for c in table.columns]
    if over == "rows":
        wanted = rule.params.get("rows")
        return [(r.id, f"“{r.display}”行") for r in table.rows if wanted is None or r.id in wanted]
    return [(None, None)]


def derivations(spec: Spec) -> dict[str, tuple[str, ...]]:
    """Derived cell -> the cells it sums (first `sum` rule to name a cell defines it)."""
    return memo(spec, "derivations", lambda: _derivations(spec))


def _derivations(spec: Spec) -> dict[str, tuple[str, ...]]:
    out: dict[str, tuple[str, ...]] = {}
    for rule in spec.rules:
        if rule.kind != "sum":
            continue
        tid = rule.params["table"]
        for star, _ in targets(spec, rule):
            total = expand_ref(rule.params["total"], tid, star)
            out.setdefault(total, tuple(expand_ref(p, tid, star) for p in rule.params["parts"]))
    return out


def input_keys(spec: Spec) -> tuple[str, ...]:
    def compute():
        derived = derivations(spec)
        return tuple(k for t in spec.tables for k, _, _ in t.cells() if k not in derived)

    return memo(spec, "input_keys", compute)


def compute_values(spec: Spec, numbers: dict) -> dict:
    """All table cells: inputs as given, derived cells recomputed in Python."""
    values = dict(numbers)
    derived = derivations(spec)

    def value(key):
        if key not in values:
            values[key] = sum((value(p) for p in derived[key]), 0)
        return values[key]

    for key in derived:
        value(key)
    return values


def paragraph_keys(spec: Spec, section_id: str) -> tuple[str, ...]:
    """The paragraph cells of a narrative section, in order (once per edition: every rule on the text asks)."""
    def compute():
        section = spec.section(section_id)
        return tuple(r.key for r in narrative_rows(section) if isinstance(r, NarrativeRow) and not r.is_title)

    return memo(spec, ("paragraph_keys", section_id), compute)


# ---- ranges ------------------------------------------------------------------------

def rects(positions) -> list[tuple[int, int, int, int]]:
    """Cover cells (row, col) on one sheet with few rectangles (r0, c0, r1, c1)."""
    runs: list[tuple[int, int, int]] = []  # (row, c0, c1)
    for r, c in sorted(set(positions)):
        if runs and runs[-1][0] == r and runs[-1][2] == c - 1:
            runs[-1] = (r, runs[-1][1], c)
        else:
            runs.append((r, c, c))
    out: list[list[int]] = []  # [r0, r1, c0, c1]
    for r, c0, c1 in runs:
        for rect in out:
            if rect[1] == r - 1 and rect[2] == c0 and rect[3] == c1:
                rect[1] = r
                break
        else:
            out.append([r, r, c0, c1])
    return [(r0, c0, r1, c1) for r0, r1, c0, c1 in out]


def ranges(positions) -> list[str]:
    """Cover cells (row, col) on one sheet with few A1 ranges, in reading order."""
    return [a1(r0, c0) if (r0, c0) == (r1, c1) else f"{a1(r0, c0)}:{a1(r1, c1)}" for r0, c0, r1, c1 in rects(positions)]


def span(spec: Spec, keys) -> str:
    """One location text for cells on one sheet: 三、依申请公开!D6:D30."""
    cmap = cell_map(spec)
    sheet = cmap[keys[0]][0]
    rs = [cmap[k][1] for k in keys]
    cs = [cmap[k][2] for k in keys]
    first, last = a1(min(rs), min(cs)), a1(max(rs), max(cs))
    return f"{sheet}!{first}" if first == last else f"{sheet}!{first}:{last}"


def sheet_refs(spec: Spec, keys) -> list[str]:
    """Formula references for cells (all on one sheet): ['三、依申请公开'!D6:D7, ...]. Computed once
    per edition for each set of cells (the 校验 sheet's plan is made again at every read)."""
    keys = tuple(keys)

    def compute():
        cmap = cell_map(spec)
        sheet = cmap[keys[0]][0]
        return tuple(f"'{sheet}'!{r}" for r in ranges([cmap[k][1:] for k in keys]))

    return list(memo(spec, ("sheet_refs", keys), compute))


# ---- totals ---------------------------------------------------------------------

def stored_total(spec: Spec, data: Data, values: dict, key: str):
    """The total a derived cell holds: its recomputed sum while it still holds the
    template's formula, or whatever number replaced the formula."""
    formula, normalised = expected_formulas(spec)[key]
    raw = data.derived_raw.get(key, formula)
    if raw is formula or (isinstance(raw, str) and normalise_formula(raw) == normalised):
        return values[key]
    if isinstance(raw, (int, float, Decimal)) and not isinstance(raw, bool):
        return to_number(raw)
    return None  # another formula or text: never equal to the sum


def to_number(v):
    if isinstance(v, float):
        return int(v) if v.is_integer() else Decimal(repr(v))
    return v


# ---- Excel formulas ----------------------------------------------------------------

def expected_formula(spec: Spec, key: str) -> str:
    """The formula a derived cell holds in the template, e.g. =SUM(D6:I6)."""
    return expected_formulas(spec)[key][0]


def expected_formulas(spec: Spec) -> dict[str, tuple[str, str]]:
    """derived cell -> (its template formula, that formula normalised): once per edition."""
    def compute():
        cmap = cell_map(spec)
        out = {}
        for key, parts in derivations(spec).items():
            formula = "=SUM(" + ",".join(ranges([cmap[p][1:] for p in parts])) + ")"
            out[key] = (formula, normalise_formula(formula))
        return out

    return memo(spec, "expected_formulas", compute)


def normalise_formula(text: str) -> str:
    return text.replace(" ", "").replace("$", "").upper().lstrip("=")


def excel_sum(spec: Spec, keys) -> str:
    plus = [k for k in keys if not k.startswith("-")]
    minus = [k[1:] for k in keys if k.startswith("-")]
    text = "SUM(" + ",".join(sheet_refs(spec, plus)) + ")" if plus else "0"
    if minus:
        text += "-SUM(" + ",".join(sheet_refs(spec, minus)) + ")"
    return text
