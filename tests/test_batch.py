"""`reportc batch` over 200 generated workbooks, a few broken or not workbooks at all."""

from __future__ import annotations

import random
import shutil
from decimal import Decimal

from conftest import assert_no_traceback, run_cli
from gen import consistent_numbers, texts
from openpyxl import load_workbook

from reportc.fill import fill_workbook
from reportc.spec import load_spec
from reportc.workbook import build_workbook


def _cell(v):
    return float(v) if isinstance(v, Decimal) else v


def test_batch_of_200(tmp_path):
    spec = load_spec("2021")
    template = build_workbook(spec, None, 2025)
    src = tmp_path / "各单位"
    (src / "乡镇").mkdir(parents=True)
    expected = {}
    distinct = []
    for i in range(12):
        rng = random.Random(i)
        name = f"单位{i:02d}"
        values = {**consistent_numbers(spec, rng), **texts(spec, rng, org=name, year=2025)}
        path = src / f"{name}.xlsx"
        fill_workbook(spec, template, {k: _cell(v) for k, v in values.items()}, path)
        distinct.append((path, name))
        expected[path.name] = ("可以发布", name)
    for i in range(182):  # copies under other names, half of them in a subfolder
        path, name = distinct[i % len(distinct)]
        target = src / ("乡镇" if i % 2 else ".") / f"副本{i:03d} {name}.xlsx"
        shutil.copy(path, target)
        expected[str(target.relative_to(src))] = ("可以发布", name)
    rng = random.Random(99)
    for i, bad in enumerate(["无", -1, 2.5]):
        values = {**consistent_numbers(spec, rng), **texts(spec, rng, org=f"错单位{i}", year=2025), "t3.new.natural": bad}
        fill_workbook(spec, template, {k: _cell(v) for k, v in values.items()}, src / f"错单位{i}.xlsx")
        expected[f"错单位{i}.xlsx"] = ("不通过", f"错单位{i}")
    (src / "不是工作簿.xlsx").write_text("hello", encoding="utf-8")
    (src / "旧格式.xls").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600))
    (src / "乡镇" / "空.xlsx").write_bytes(b"")
    for name in ("不是工作簿.xlsx", "旧格式.xls", "乡镇/空.xlsx"):
        expected[name] = ("无法读取", "")
    (src / "~$单位00.xlsx").write_bytes(b"lock file")  # Excel's lock file: ignored
    assert len(expected) == 200

    out = tmp_path / "outputs"
    result = run_cli("batch", src, "-o", out, "--jobs", "2")
    assert_no_traceback(result)
    assert result.returncode == 1
    assert "共 200 个文件：可以发布 194 个，须核实 0 个，不通过 3 个，无法读取 3 个。" in result.stdout
    assert result.stderr.count("\n") >= 200  # progress, one line per workbook when not a terminal

    rows = list(load_workbook(out / "summary.xlsx")["汇总"].iter_rows(min_row=2, values_only=True))
    got = {r[3].replace("\\", "/"): (r[4], r[1] or "") for r in rows}
    assert got == {k.replace("\\", "/"): v for k, v in expected.items()}
    index = (out / "index.html").read_text(encoding="utf-8")
    assert "共 200 个文件：可以发布 194 个，须核实 0 个，不通过 3 个，无法读取 3 个。" in index
    for r in rows:
        if r[4] == "可以发布":
            assert (out / r[9] / "report.html").is_file() and f'href="{r[9]}/report.html"' in index
        elif r[4] == "不通过":
            assert (out / r[9] / "validation.html").is_file() and not (out / r[9] / "report.html").exists()
            assert r[5] >= 1
        else:
            assert r[10] and not r[9]  # nothing written for it: no folder named
