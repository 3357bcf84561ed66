"""`reportc batch` over 200 generated workbooks, a few broken or not workbooks at all."""

from __future__ import annotations

import random
import shutil

from conftest import assert_no_traceback, fill, run_cli
from openpyxl import load_workbook



def test_batch_of_200(tmp_path):
    src = tmp_path / "各单位"
    (src / "乡镇").mkdir(parents=True)
    expected = {}
    distinct = []
    for i in range(12):
        name = f"单位{i:02d}"
        path = fill(src / f"{name}.xlsx", org=name, blank_org=None, year=2025, seed=i)
        distinct.append((path, name))
        expected[path.name] = ("可以发布", name)
    for i in range(182):  # copies under other names, half of them in a subfolder
        path, name = distinct[i % len(distinct)]
        target = src / ("乡镇" if i % 2 else ".") / f"副本{i:03d} {name}.xlsx"
        shutil.copy(path, target)
        expected[str(target.relative_to(src))] = ("可以发布", name)
    rng = random.Random(99)
    for i, bad in enumerate(["无", -1, 2.5]):
        fill(src / f"错单位{i}.xlsx", org=f"错单位{i}", blank_org=None, year=2025, seed=rng, **{"t3.new.natural": bad})
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
