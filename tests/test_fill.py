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


@pytest.mark.parametrize("between", [
    # the same cells and others: a formula, text where a number belongs, another name, a blanked cell
    {"t2.rules.made": "=1+1", "info.org": "另一个机关", "t3.new.natural": "无", "t3.new.legal": 7},
    {"t3.new.natural": None, "t3.new.legal": "12件"},
    # a date: openpyxl adds a date format to the workbook's styles, and the kept template is dropped
    {"t3.new.natural": 9, "t3.new.legal": datetime.datetime(2025, 1, 2)},
])
def test_a_kept_template_fills_as_a_fresh_one(between):
    expected = _parts(_fresh(FIRST))
    fill_workbook(SPEC, TEMPLATE, between)
    assert (TEMPLATE in fill._loaded) == all(not isinstance(v, datetime.date) for v in between.values())
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


def test_fills_from_threads_keep_their_own_values(tmp_path):
    from concurrent.futures import ThreadPoolExecutor

    def one(n):
        path = tmp_path / f"{n}.xlsx"
        fill_workbook(SPEC, TEMPLATE, {"t3.new.natural": n, "info.org": f"机关{n}"}, path)
        return path

    with ThreadPoolExecutor(4) as pool:
        paths = list(pool.map(one, range(12)))
    read = [read_workbook(p).data for p in paths]
    assert [(d.numbers["t3.new.natural"], d.texts["info.org"]) for d in read] == [(n, f"机关{n}") for n in range(12)]
