"""One typo, one message: findings that may follow from a bad or blank cell are linked to it.

A cell typed as `9件` is read as 0 (rule D6); the sums and the narrative numbers it feeds
then disagree (O1, S6, ...). Those findings get `caused_by` naming the D6 finding, and the
list is reordered so that each follows the finding about its cell.
"""

from __future__ import annotations


from .checks import derivations, input_keys
from .layout import location
from .record import replace
from .spec import Spec

CAUSE_RULES = ("D6", "D7")  # a cell that is not a valid number (read as 0), blank cells (read as 0)


def _says_zero(typed) -> bool:
    """“无”, “—”, “/”: the clerk meant 0, which is how the cell is read, so it cannot be what puts
    a sum or a narrative number out (only its form is wrong)."""
    from .values import DASHES, NONE_WORDS, SPACES

    text = (typed or "").strip(SPACES)
    return text.lower() in NONE_WORDS or text in DASHES


def _inputs(spec: Spec, keys) -> set[str]:
    """The input cells behind cells (derived totals expanded down to what was typed)."""
    derived = derivations(spec)
    out: set[str] = set()
    todo = [k.lstrip("-") for k in keys]
    while todo:
        key = todo.pop()
        if key in derived:
            todo += [p.lstrip("-") for p in derived[key]]
        elif key not in out:
            out.add(key)
    return out


def _involved(spec: Spec, results, finding) -> set[str]:
    if finding.cells:
        return _inputs(spec, finding.cells)
    for r in results:
        if not r.passed and r.check.rule.id == finding.rule and r.check.location == finding.location:
            return _inputs(spec, r.check.left + r.check.right)
    return set()


def link_causes(spec: Spec, data, results, findings: list) -> list:
    """Findings with `caused_by` set, each effect moved right after its cause."""
    where = {location(spec, k): k for k in input_keys(spec)}
    bad: dict[str, object] = {}  # input key -> the D6 error about it
    blank_cells: dict[str, object] = {}  # input key -> the D7 warning listing it
    for f in findings:
        if f.rule == "D6" and f.severity == "error" and f.location in where and not _says_zero(f.left):
            bad.setdefault(where[f.location], f)
        elif f.rule == "D7":
            for r in results:
                if r.check.rule.id == "D7" and r.check.location == f.location:
                    for key in (k for k in r.check.cells if k in data.blanks):
                        blank_cells.setdefault(key, f)
    if not bad and not blank_cells:
        return findings
    effects: dict[int, list] = {}
    linked = []
    for f in findings:
        cause = None
        if f.rule not in CAUSE_RULES:
            cells = _involved(spec, results, f)
            hit = [k for k in sorted(cells) if k in bad]
            if hit:
                cause = bad[hit[0]]
            else:
                hit = [k for k in sorted(cells) if k in blank_cells]
                cause = blank_cells[hit[0]] if hit else None
        if cause is None:
            linked.append(f)
            continue
        g = replace(f, caused_by={"rule": cause.rule, "location": cause.location})
        effects.setdefault(id(cause), []).append(g)
        linked.append(g)
    out = []
    for f in linked:
        if f.caused_by is not None:
            continue
        out.append(f)
        out += effects.get(id(f), [])
    return out
