"""build → import → build gives the same report.md, from every published format (PDF: the
tables identical and at least 95 % of the paragraphs), over the examples of both editions
and generated workbooks."""

from __future__ import annotations

import shutil

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import fill
from importing import EXAMPLES, paragraphs_of, published, rebuilt_md, same_share, tables_of

FORMATS = ("report.md", "report.html", "report-fragment.html", "report.docx", "report.json")


@pytest.mark.parametrize("edition", sorted(EXAMPLES))
@pytest.mark.parametrize("name", FORMATS)
def test_examples_round_trip(tmp_path, edition, name):
    out = published(EXAMPLES[edition], tmp_path / "first")
    original = (out / "report.md").read_text(encoding="utf-8")
    again, imported = rebuilt_md(out / name, tmp_path / "second")
    assert imported.spec.edition == edition
    assert imported.status == "导入完成", imported.doubt_lines()
    assert again == original


@pytest.mark.libreoffice
@pytest.mark.skipif(shutil.which("soffice") is None, reason="needs LibreOffice for report.pdf")
@pytest.mark.parametrize("edition", sorted(EXAMPLES))
def test_examples_round_trip_pdf(tmp_path, edition):
    out = published(EXAMPLES[edition], tmp_path / "first", ("md", "pdf"))
    original = (out / "report.md").read_text(encoding="utf-8")
    again, imported = rebuilt_md(out / "report.pdf", tmp_path / "second")
    assert imported.status == "导入完成", imported.doubt_lines()
    assert tables_of(again) == tables_of(original)
    assert same_share(paragraphs_of(original), paragraphs_of(again)) >= 0.95


# Paragraph text a clerk may type: Chinese, numbers, Markdown and HTML characters, a numbered heading.
PIECES = ["我局", "全年", "公开", "12件", "1.", "（一）", "|", "*", "_", "<b>", "&amp;", "#", "[链接]", "`", "-", "“引号”",
          "2025年", "0.5万元", "；", "，", "。"]
paragraph = st.lists(st.sampled_from(PIECES), min_size=3, max_size=12).map(lambda xs: "正文" + "".join(xs) + "。")


def _workbook(tmp_path, edition: str, seed: int, paras: list[str]):
    year = 2020 if edition == "2019" else 2025
    changes = {f"s1.sub{i}.1": para for i, para in enumerate(paras[:3], start=1)}
    changes.update({"s5.sub2.1": "1.压实工作责任。", "info.address": "某县人民路1号", "info.phone": "0791-1234567",
                    "info.publish_date": f"{year + 1}-01-20"})
    return fill(tmp_path / "filled.xlsx", edition=edition, year=year, seed=seed, **changes)


@settings(max_examples=4, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(edition=st.sampled_from(["2019", "2021"]), seed=st.integers(0, 10_000), paras=st.lists(paragraph, min_size=1, max_size=3))
def test_generated_round_trip(tmp_path_factory, edition, seed, paras):
    tmp = tmp_path_factory.mktemp("gen")
    out = published(_workbook(tmp, edition, seed, paras), tmp / "first")
    original = (out / "report.md").read_text(encoding="utf-8")
    for name in FORMATS:
        again, imported = rebuilt_md(out / name, tmp / name)
        assert imported.status == "导入完成", (name, imported.doubt_lines())
        assert again == original, name


@pytest.mark.slow
@pytest.mark.libreoffice
@pytest.mark.skipif(shutil.which("soffice") is None, reason="needs LibreOffice for report.pdf")
@settings(max_examples=3, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(edition=st.sampled_from(["2019", "2021"]), seed=st.integers(0, 10_000), paras=st.lists(paragraph, min_size=1, max_size=3))
def test_generated_round_trip_pdf(tmp_path_factory, edition, seed, paras):
    tmp = tmp_path_factory.mktemp("genpdf")
    out = published(_workbook(tmp, edition, seed, paras), tmp / "first", ("md", "pdf"))
    original = (out / "report.md").read_text(encoding="utf-8")
    again, imported = rebuilt_md(out / "report.pdf", tmp / "second")
    assert imported.status == "导入完成", imported.doubt_lines()
    assert tables_of(again) == tables_of(original)
    assert same_share(paragraphs_of(original), paragraphs_of(again)) >= 0.95
