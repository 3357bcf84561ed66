"""report.json: written by build, valid against the JSON Schema in docs/数据格式.md, every
table value keyed by table, official row and column label, and imported back to the same workbook."""

from __future__ import annotations

import json
import re
from pathlib import Path

import jsonschema
import pytest

from importing import EXAMPLES, published
from reportc.checks import compute_values
from reportc.import_run import import_report
from reportc.reader import read_workbook

DOC = Path(__file__).parent.parent / "docs" / "数据格式.md"


@pytest.fixture(scope="module")
def schema():
    text = DOC.read_text(encoding="utf-8")
    block = re.search(r"```json\n(.*?)```", text, re.S).group(1)
    return json.loads(block)


@pytest.mark.parametrize("edition", sorted(EXAMPLES))
def test_report_json_matches_schema_and_workbook(tmp_path, schema, edition):
    out = published(EXAMPLES[edition], tmp_path, ("json",))
    data = json.loads((out / "report.json").read_text(encoding="utf-8"))
    jsonschema.validate(data, schema)
    workbook = read_workbook(EXAMPLES[edition])
    spec = workbook.spec
    values = compute_values(spec, workbook.data.numbers)
    assert len(data["cells"]) == sum(len(t.cells()) for t in spec.tables)
    triples = {(c["table"], c["block"], c["row"], c["column"]) for c in data["cells"]}
    assert len(triples) == len(data["cells"])  # the labels identify every value
    for c in data["cells"]:
        assert c["value"] == pytest.approx(float(values[c["key"]]))
        assert c["derived"] == (c["key"] not in workbook.data.numbers)
    assert data["info"]["org"] == workbook.data.texts["info.org"]
    assert data["edition"] == edition


def test_schema_is_not_vacuous(tmp_path, schema):
    out = published(EXAMPLES["2021"], tmp_path, ("json",))
    data = json.loads((out / "report.json").read_text(encoding="utf-8"))
    broken = dict(data, cells=[dict(data["cells"][0], value="12")])
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(broken, schema)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({k: v for k, v in data.items() if k != "cells"}, schema)


@pytest.mark.parametrize("edition", sorted(EXAMPLES))
def test_import_report_json_gives_back_the_same_workbook(tmp_path, edition):
    out = published(EXAMPLES[edition], tmp_path / "pub", ("json",))
    imported, path = import_report(out / "report.json", tmp_path / "back.xlsx")
    assert imported.status == "导入完成"
    before, after = read_workbook(EXAMPLES[edition]).data, read_workbook(path).data
    assert after.numbers == before.numbers
    assert after.blanks == before.blanks
    assert after.texts == before.texts
