"""--previous takes last year's published report (html, docx, md, json; pdf with LibreOffice):
imported in memory, S1–S4 compared, previous.used with a note that the figures come from the
published report; the same-body and previous-year guards apply."""

from __future__ import annotations

import json
import random
import shutil

import pytest

from conftest import assert_no_traceback, fill, run_cli
from gen import chain_numbers
from importing import published
from reportc import check
from reportc.api import new
from reportc.spec import load_spec

# one pytest-xdist worker runs this module: its module fixture is made once
pytestmark = pytest.mark.xdist_group("import_previous")


@pytest.fixture(scope="module")
def last_year(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("last")
    out = published(fill(tmp / "wb.xlsx", year=2024), tmp / "pub", ("html", "docx", "md", "json"))
    return out


@pytest.mark.parametrize("name", ["report.html", "report.docx", "report.md", "report.json"])
def test_new_and_check_with_published_previous(tmp_path, last_year, name):
    previous = last_year / name
    notes: list[str] = []
    template = new(previous=previous, output=tmp_path / "t.xlsx", notes=notes)
    wb = check(template).workbook
    assert wb.data.texts["info.year"] == "2025" and wb.data.texts["info.org"] == "测试县民政局"
    spec = load_spec("2021")
    numbers = chain_numbers(spec, random.Random(7), wb.data.previous)
    this = fill(tmp_path / "this.xlsx", year=2025, numbers=numbers, seed=7)
    result = run_cli("check", this, "--previous", previous, "--json")
    assert_no_traceback(result)
    data = json.loads(result.stdout)
    assert data["previous"]["used"] is True
    assert data["previous"]["source"] == "published"
    assert "已发布的上年年报" in data["previous"]["note"]
    assert set(data["previous"]["compared_rules"]) >= {"S1", "S2", "S3"}
    assert not [f for f in data["findings"] if f["rule"] in ("S1", "S2", "S3", "S4")], data["findings"]
    # a wrong carry-over is caught against the published figures
    broken = dict(numbers)
    broken["t3.carried.natural"] += 3
    broken["t3.carry_next.natural"] += 3
    bad = fill(tmp_path / "bad.xlsx", year=2025, numbers=broken, seed=7)
    data = json.loads(run_cli("check", bad, "--previous", previous, "--json").stdout)
    assert any(f["rule"] == "S1" for f in data["findings"])


def test_guards_apply_to_published_previous(tmp_path, last_year):
    other = fill(tmp_path / "other.xlsx", year=2025, org="另一个县民政局")
    result = run_cli("check", other, "--previous", last_year / "report.html")
    assert_no_traceback(result)
    assert result.returncode == 2 and "机关名称" in result.stderr
    assert run_cli("check", other, "--previous", last_year / "report.html", "--previous-any").returncode in (0, 1)
    same_year = fill(tmp_path / "same.xlsx", year=2024)
    result = run_cli("build", same_year, "-o", tmp_path / "out", "--previous", last_year / "report.html")
    assert result.returncode == 2 and "年度" in result.stderr
    assert not (tmp_path / "out" / "report.html").exists()


@pytest.mark.libreoffice
@pytest.mark.skipif(shutil.which("soffice") is None, reason="needs LibreOffice for report.pdf")
def test_published_pdf_as_previous(tmp_path):
    last = published(fill(tmp_path / "wb.xlsx", year=2024), tmp_path / "pub", ("pdf",))
    this = fill(tmp_path / "this.xlsx", year=2025)
    data = json.loads(run_cli("check", this, "--previous", last / "report.pdf", "--json").stdout)
    assert data["previous"]["used"] is True and data["previous"]["source"] == "published"


def test_doubtful_published_previous_is_said(tmp_path, last_year):
    page = (last_year / "report.html").read_text(encoding="utf-8")
    rows = page.split("<tr")
    for i, row in enumerate(rows):
        if "（七）总计" in row:  # a published total that is not the sum of its column
            cells = row.split("<td")
            cells[1] = cells[1].replace("</td>", "9</td>", 1)
            rows[i] = "<td".join(cells)
            break
    doubtful = tmp_path / "last.html"
    doubtful.write_text("<tr".join(rows), encoding="utf-8")
    this = fill(tmp_path / "this.xlsx", year=2025)
    data = json.loads(run_cli("check", this, "--previous", doubtful, "--json").stdout)
    assert any(f["rule"] == "S5" and "导入存疑" in f["message"] for f in data["findings"])
    assert "存疑" in data["previous"]["note"]
    notes: list[str] = []
    new(previous=doubtful, output=tmp_path / "t.xlsx", notes=notes)
    assert any("导入存疑" in n for n in notes)
