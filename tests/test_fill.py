"""fill.fill_workbook keeps the last templates loaded: a fill from a kept template writes what a fill
from a freshly loaded one writes, whatever the fills before it changed."""

from __future__ import annotations

import datetime
import io
import zipfile

import pytest
from conftest import blank_workbook

from reportc import fill
from reportc.fill import fill_workbook
from reportc.layout import cell_map
from reportc.reader import read_workbook
from reportc.spec import load_spec

SPEC = load_spec("2021")
TEMPLATE = blank_workbook("2021", "测试县民政局", 2025)


def _parts(data: bytes) -> dict[str, bytes]:
    """The package's parts, but for docProps/core.xml (it holds the time of the save)."""
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return {n: z.read(n) for n in z.namelist() if n != "docProps/core.xml"}


def _fresh(values: dict) -> bytes:
    fill._loaded.clear()
    return fill_workbook(SPEC, TEMPLATE, values)


FIRST = {"t3.new.natural": 5, "info.org": "某县民政局", "t2.rules.made": 3}
# another fill between: other cells, the same cells, a date (openpyxl gives the cell a date format),
# a formula, text where a number belongs, and a cell of the sheet that had no <c> before
SECOND_KEY_EMPTY = next(k for k, (sheet, r, c) in cell_map(SPEC).items() if k.startswith("t3."))


@pytest.mark.parametrize("between", [
    {"t3.new.natural": 9, "t3.new.legal": datetime.datetime(2025, 1, 2)},
    {"t2.rules.made": "=1+1", "info.org": "另一个机关", "t3.new.natural": "无"},
    {SECOND_KEY_EMPTY: datetime.date(2024, 5, 6), "t3.new.natural": None},
])
def test_a_kept_template_fills_as_a_fresh_one(between):
    expected = _parts(_fresh(FIRST))
    fill_workbook(SPEC, TEMPLATE, between)
    assert _parts(fill_workbook(SPEC, TEMPLATE, FIRST)) == expected
    assert _parts(fill_workbook(SPEC, TEMPLATE, {})) == _parts(_fresh({}))


def test_each_fill_is_read_back_with_its_own_values(tmp_path):
    for n in (1, 2, 3):
        fill_workbook(SPEC, TEMPLATE, {"t3.new.natural": n}, tmp_path / f"{n}.xlsx")
    assert [read_workbook(tmp_path / f"{n}.xlsx").data.numbers["t3.new.natural"] for n in (1, 2, 3)] == [1, 2, 3]


def test_a_failed_fill_drops_the_kept_template():
    fill_workbook(SPEC, TEMPLATE, {})
    assert TEMPLATE in fill._loaded
    from openpyxl.utils.exceptions import IllegalCharacterError

    with pytest.raises(IllegalCharacterError):
        fill_workbook(SPEC, TEMPLATE, {"info.org": "控制字符\x01"})  # openpyxl refuses it
    assert TEMPLATE not in fill._loaded
    assert _parts(fill_workbook(SPEC, TEMPLATE, FIRST)) == _parts(_fresh(FIRST))


def test_only_the_last_templates_are_kept():
    fill._loaded.clear()
    templates = [blank_workbook("2021", f"机关{i}", 2025) for i in range(fill.KEPT + 2)]
    for t in templates:
        fill_workbook(SPEC, t, {})
    assert list(fill._loaded) == templates[-fill.KEPT:]
