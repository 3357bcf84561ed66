"""The 校验 sheet, recalculated by LibreOffice, agrees with reportc's Python checks.

Many generated workbooks (consistent ones and ones that break one rule each) are
filled with openpyxl, recalculated by LibreOffice headless in one batch, and the
statuses of the 校验 sheet are compared with the Python validator check by check.
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest
import xlsxwriter
from conftest import EDITION_YEARS, blank_workbook, cell_value
from gen import consistent_numbers, texts
from libreoffice import computed_values, recalculate, soffice

from reportc.checks import PASS, derivations, input_keys
from reportc.fill import fill_workbook
from reportc.spec import available_editions, load_spec
from reportc.validate import run_checks
from reportc.checks import compute_values
from reportc.checks_sheet import FIRST_SLOT, SLOTS, status_text
from reportc.narrative import reference_sentences
from reportc.planner import reference_places
from reportc.writer import CHECKS_TOP

pytestmark = [
    pytest.mark.libreoffice,
    pytest.mark.skipif(soffice() is None, reason="LibreOffice (soffice) is not installed: apt-get install libreoffice-calc"),
]

ERROR_PREFIXES = ("#", "Err:")


def mutations(spec, rng):
    """(name, mutate(values) -> None, rule ids that must fail) for one random case each."""
    keys = list(input_keys(spec))
    t3 = spec.table("t3")
    count_keys = [k for k in keys if spec.column_kind(k).kind == "count"]
    amount_keys = [k for k in keys if spec.column_kind(k).kind == "amount"]
    col = rng.choice([c.id for c in t3.columns if f"t3.new.{c.id}" not in derivations(spec)])

    def setter(key, value):
        def mutate(values):
            old = values.get(key)
            values[key] = value
            new = value if isinstance(value, (int, float)) else 0
            # a changed number in table 三 also unbalances O1 in its column (and the 总计 column)
            return {"O1"} if key.startswith("t3.") and new != (old or 0) else set()
        return mutate

    out = [
        ("o1", setter(f"t3.new.{col}", rng.randint(41, 90)), {"O1"}),
        ("negative", setter(rng.choice(count_keys), -rng.randint(1, 9)), {"D6"}),
        ("fraction", setter(rng.choice(count_keys), rng.randint(1, 9) + 0.5), {"D6"}),
        ("text", setter(rng.choice(keys), rng.choice(["无", "—", "12件"])), {"D6"}),
        ("blank", setter(rng.choice(keys), None), {"D7"}),
        ("no_org", setter("info.org", None), {"R1"}),
        ("wrong_year", setter("info.year", 2019 if spec.first_year > 2020 else 2024), {"S8"}),
        # a year typed as text: 规则R1 (a reader finding) says so; the sheet reads the year as Python does
        ("year_as_text", setter("info.year", f"{2025 if spec.first_year > 2020 else 2020}年"), set()),
    ]
    if amount_keys:
        out.append(("negative_amount", setter(rng.choice(amount_keys), -1.5), {"D6"}))
    section = rng.choice(spec.narrative)

    def empty_section(values):
        for k in list(values):
            if k.startswith(section.id + ".") and not k.endswith(".title"):
                values[k] = None
        return set()
    out.append(("empty_section", empty_section, {"R2"}))
    return out


def canary(path: Path) -> None:
    """A formula whose cached value is wrong (0): only a real recalculation shows 2."""
    wb = xlsxwriter.Workbook(str(path))
    wb.add_worksheet("canary").write_formula("A1", "=1+1", None, 0)
    wb.close()


def openpyxl_values(path: Path) -> tuple[dict[str, dict[tuple[int, int], object]], list[str]]:
    """What libreoffice.computed_values reads, read by openpyxl (values only, read-only mode)."""
    from openpyxl import load_workbook

    wb = load_workbook(path, data_only=True, read_only=True)
    values: dict[str, dict[tuple[int, int], object]] = {}  # sheet -> (row, col) one-based -> value
    errors = []
    for ws in wb.worksheets:
        grid = values[ws.title] = {}
        for row in ws.iter_rows():
            for cell in row:
                if cell.value is None:
                    continue
                grid[(cell.row, cell.column)] = cell.value
                if isinstance(cell.value, str) and cell.value.startswith(ERROR_PREFIXES) and cell.data_type == "e":
                    errors.append(f"{ws.title}!{cell.coordinate}={cell.value}")
    wb.close()
    return values, errors


def sheet_statuses(path: Path, spec):
    values, errors = computed_values(path)
    checks = values[spec.sheets["checks"]]

    def row_of(r: int) -> list:
        return [checks.get((r, c)) for c in range(1, 10)]

    statuses = {}
    r = CHECKS_TOP + 1
    while (row := row_of(r))[0] is not None:
        statuses[(row[1].removeprefix("规则"), row[4])] = row[8]
        r += 1
    summary = (checks.get((2, 3)), checks.get((3, 3)))
    guide = values[spec.sheets["guide"]].get((3, 2))
    top = [(row[1], row[4], row[8]) for row in map(row_of, range(FIRST_SLOT + 1, FIRST_SLOT + SLOTS + 1)) if row[1]]
    sheet_statuses.top = top  # the list of failing checks at the top of 校验, for the test below
    sheet_statuses.hint = values[spec.sheets["info"]].get((6, 3))
    sheet_statuses.references = {part: values[sheet].get((r + 1, c + 1))
                                 for part, (sheet, r, c) in reference_places(spec).items()}
    return statuses, errors, summary, guide


def _cases() -> list:
    """(name, spec, template, data values, expected failing rules or None) of both editions, from one
    seeded generator: the same cases whichever edition a test takes."""
    cases = []
    rng = random.Random(20251128)
    for edition in available_editions():
        spec = load_spec(edition)
        year = EDITION_YEARS[edition]
        template = blank_workbook(edition, "测试县民政局", year)
        cases.append((f"{edition}-blank", spec, template, {}, None))  # nobody has filled it in yet
        for i in range(4):
            values = {**consistent_numbers(spec, rng), **texts(spec, rng, year=year)}
            cases.append((f"{edition}-ok{i}", spec, template, values, set()))
        for round_ in range(2):
            for name, mutate, rules in mutations(spec, rng):
                values = {**consistent_numbers(spec, rng), **texts(spec, rng, year=year)}
                collateral = mutate(values)
                cases.append((f"{edition}-{name}{round_}", spec, template, values, rules | collateral))
    return cases


@pytest.mark.parametrize("edition", available_editions())  # one LibreOffice run per edition: two workers share them
def test_checks_sheet_agrees_with_python(tmp_path, edition):
    cases = [case for case in _cases() if case[1].edition == edition]
    paths = []
    for name, spec, template, values, _ in cases:
        path = tmp_path / "in" / f"{name}.xlsx"
        path.parent.mkdir(exist_ok=True)
        fill_workbook(spec, template, {k: cell_value(v) for k, v in values.items()}, path)
        paths.append(path)
    canary_path = tmp_path / "in" / "canary.xlsx"
    canary(canary_path)
    converted = recalculate([canary_path, *paths], tmp_path / "out")

    from openpyxl import load_workbook

    assert load_workbook(converted[canary_path], data_only=True)["canary"]["A1"].value == 2, "LibreOffice did not recalculate"
    # the quick reader of LibreOffice's output reads what openpyxl reads (one blank, one filled, one failing case)
    for path in (paths[0], paths[1], paths[-1]):
        assert computed_values(converted[path]) == openpyxl_values(converted[path])

    from reportc.reader import read_workbook

    for (name, spec, _, values, rules), path in zip(cases, paths, strict=True):
        year = EDITION_YEARS[spec.edition]
        statuses, errors, summary, guide = sheet_statuses(converted[path], spec)
        assert not errors, f"{name}: formula errors {errors}"
        wb = read_workbook(path)
        results, _ = run_checks(spec, wb.data)
        python = {(r.check.rule.id, r.check.location): r.status for r in results}
        assert statuses == python, f"{name}: 校验 sheet and Python disagree: " + str(
            {k: (statuses.get(k), python.get(k)) for k in set(statuses) | set(python) if statuses.get(k) != python.get(k)})
        failing = {rule for (rule, _), status in statuses.items() if status != PASS}
        if rules is not None:
            assert failing == rules, f"{name}: expected {rules or 'no'} failing rules, the sheet shows {failing}"
        # what fails comes first: the top list shows the first failing checks, in order, with their status
        first = [(f"规则{r.check.rule.id}", r.check.location, r.status) for r in results if not r.passed][:SLOTS]
        assert sheet_statuses.top == first, f"{name}: top of 校验 {sheet_statuses.top} != {first}"
        # the title hint is live text built from the clerk's entries, never raw template text
        # 参考表述: the formulas recalculated by LibreOffice say what Python says (for valid numbers:
        # a cell with text or a negative count is 0 to reportc but summed by the office program)
        if "D6" not in failing:
            python_sentences = reference_sentences(spec, compute_values(spec, wb.data.numbers))
            assert sheet_statuses.references == python_sentences and python_sentences, name
        org = values.get("info.org", "测试县民政局") or "（机关名称）"
        assert "{" not in sheet_statuses.hint and f"“{org}{values.get('info.year', year)}年" in sheet_statuses.hint
        # the copy LibreOffice saved is a workbook a real office program wrote: reportc reads it
        # without false tamper findings and with the same results
        saved = read_workbook(converted[path])
        assert not [f for f in saved.findings if f.rule.startswith("M")], f"{name}: {saved.findings}"
        assert {(r.check.rule.id, r.check.location): r.status for r in run_checks(spec, saved.data)[0]} == python
        n_fail = sum(1 for (rule, _), s in statuses.items() if s == "不通过")
        n_note = sum(1 for (rule, _), s in statuses.items() if s == "提醒")
        assert summary == (n_fail, n_note)
        if rules is None:
            assert guide.startswith("尚未填写：共有") and guide.endswith("个数字单元格待填写"), guide
        else:  # the verdict word for what the sheet sees (checks_sheet.status_text)
            assert guide == status_text(n_fail, n_note), guide
            assert guide.startswith("不通过" if n_fail else "须核实" if n_note else "可以发布"), guide
