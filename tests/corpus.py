"""The narrative corpus (tests/data/narrative_corpus): sentences, the tables they are checked
against, and the readings a supervisor expects. Used by tests/test_narrative.py and
benchmarks/narrative_corpus.py."""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

from reportc.checks import compute_values, derivations
from reportc.previous import parse_value
from reportc.spec import load_spec

FOLDER = Path(__file__).resolve().parent / "data" / "narrative_corpus"


@dataclass(frozen=True)
class Case:
    source: str
    values: str
    text: str
    expect: tuple  # ((number as written, verdict), …) in reading order
    previous: str = ""


def expand_numbers(spec, numbers: dict) -> dict:
    """Input cells; "t3.new" = [..] stands for the row's input columns in order."""
    derived = derivations(spec)
    out = {}
    for key, value in numbers.items():
        if isinstance(value, list):
            table_id, row_id = key.split(".")
            block = spec.table(table_id).block_of(row_id)
            cols = [c.id for c in block.columns if f"{key}.{c.id}" not in derived]
            if len(cols) != len(value):
                raise ValueError(f"{key}: {len(value)} values for {len(cols)} columns")
            out.update({f"{key}.{c}": parse_value(str(v)) for c, v in zip(cols, value, strict=True)})
        else:
            out[key] = parse_value(str(value))
    for table in spec.tables:  # unnamed cells are 0
        for key, _, _ in table.cells():
            if key not in derived:
                out.setdefault(key, 0)
    return out


def value_sets() -> dict:
    """name -> (spec, all table values, year)."""
    data = tomllib.loads((FOLDER / "values.toml").read_text(encoding="utf-8"))
    out = {}
    for name, vs in data.items():
        spec = load_spec(vs["edition"])
        out[name] = (spec, compute_values(spec, expand_numbers(spec, vs["numbers"])), str(vs["year"]))
    return out


def cases() -> list[Case]:
    data = tomllib.loads((FOLDER / "cases.toml").read_text(encoding="utf-8"))
    return [Case(c["source"], c["values"], c["text"], tuple(tuple(e) for e in c.get("expect", ())),
                 c.get("previous", "")) for c in data["case"]]


def previous_of(sets: dict, name: str) -> dict | None:
    """Last year's figures in the form the checker reads (previous_info["figures"])."""
    if not name:
        return None
    _, values, _ = sets[name]
    return {"figures": {k: str(v) for k, v in values.items()}}


def read_case(sets: dict, case: Case):
    from reportc.narrative import read_text

    spec, values, year = sets[case.values]
    return read_text(spec, case.text, values, previous_of(sets, case.previous), year)
