"""Workbooks for the recalculation tests (LibreOffice, Gnumeric): blank, consistent and broken
ones of each edition, filled with openpyxl, with the rules each one must fail."""

from __future__ import annotations

import functools
import random
from pathlib import Path

from conftest import EDITION_YEARS, blank_workbook, cell_value
from gen import consistent_numbers, texts

from reportc.checks import input_keys
from reportc.fill import fill_workbook
from reportc.spec import available_editions, load_spec


def number_mutations(spec, rng):
    """Numbers typed as text and amounts to the fen: the sheet and Python give one verdict."""
    keys = [k for k in input_keys(spec) if spec.column_kind(k).kind == "count"]
    amount = next(k for k in input_keys(spec) if spec.column_kind(k).kind == "amount")

    def setter(key, value, also_o1):
        def mutate(values):
            old = values.get(key)
            values[key] = value
            # text counts as 0 in the table's sums: table 三 then no longer balances (O1)
            return {"O1"} if also_o1 and key.startswith("t3.") and old else set()
        return mutate

    out = []
    for name, typed in (("comma", "1,520"), ("fullwidth", "１５２０"), ("space", "3 "), ("unit", "12件")):
        key = rng.choice(keys)
        out.append((f"text_{name}", setter(key, typed, True), {"D6"}))
    out.append(("fen", setter(amount, 5949.088667, False), set()))
    out.append(("too_fine", setter(amount, 12.1234567, False), {"D6"}))
    return out


def build_cases(tmp_path: Path, mutation_sets, consistent: int = 2, rounds: int = 1, seed: int = 20251203,
                editions=None):
    """[(name, spec, path, values, failing rules or None for a blank workbook)], files written: of
    `editions` only (default all), the cases the same whichever editions are taken."""
    rng = random.Random(seed)
    cases = []
    for edition in available_editions():
        spec = load_spec(edition)
        year = EDITION_YEARS[edition]
        template = blank_workbook(edition, "测试县民政局", year)
        cases.append((f"{edition}-blank", spec, template, {}, None))
        for i in range(consistent):
            cases.append((f"{edition}-ok{i}", spec, template,
                          {**consistent_numbers(spec, rng), **texts(spec, rng, year=year)}, set()))
        for round_ in range(rounds):
            for make in mutation_sets:
                for name, mutate, rules in make(spec, rng):
                    values = {**consistent_numbers(spec, rng), **texts(spec, rng, year=year)}
                    collateral = mutate(values)
                    cases.append((f"{edition}-{name}{round_}", spec, template, values, rules | collateral))
    out = []
    for name, spec, template, values, rules in cases:
        if editions is not None and spec.edition not in editions:
            continue
        path = tmp_path / "in" / f"{name}.xlsx"
        path.parent.mkdir(exist_ok=True)
        fill_workbook(spec, template, {k: cell_value(v) for k, v in values.items()}, path)
        out.append((name, spec, path, values, rules))
    return out


def load_values(path: Path):
    """A recalculated workbook's cached values (Gnumeric writes no default style: openpyxl warns).
    Loaded once for the checks made on it one after the other (error_cells, checks_statuses, …):
    the file's size and time are part of the key, so a changed file is loaded again."""
    stat = Path(path).stat()
    return _load_values(Path(path), stat.st_size, stat.st_mtime_ns)


@functools.lru_cache(maxsize=1)
def _load_values(path: Path, size: int, mtime_ns: int):
    import warnings

    from openpyxl import load_workbook

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        return load_workbook(path, data_only=True)


def error_cells(path: Path) -> list[str]:
    """Every cell of every sheet that holds an error value (#NUM!, #VALUE!, Err:502, …)."""
    wb = load_values(path)
    return [f"{ws.title}!{c.coordinate}={c.value}" for ws in wb.worksheets for row in ws.iter_rows() for c in row
            if c.data_type == "e"]


def checks_statuses(path: Path, spec) -> tuple[dict, tuple]:
    """{(rule, location): 结果} of the 校验 sheet's full list, and its counts (不通过, 提醒)."""
    from reportc.writer import CHECKS_TOP

    ws = load_values(path)[spec.sheets["checks"]]
    statuses = {}
    for row in ws.iter_rows(min_row=CHECKS_TOP + 1, values_only=True):
        if row[0] is None:
            break
        statuses[(row[1].removeprefix("规则"), row[4])] = (row[8], row[5])
    return statuses, (ws["C2"].value, ws["C3"].value)


def python_statuses(path: Path) -> dict:
    from reportc.reader import read_workbook
    from reportc.validate import run_checks

    wb = read_workbook(path)
    results, _ = run_checks(wb.spec, wb.data)
    return {(r.check.rule.id, r.check.location): r.status for r in results}
