"""Fast paths must say exactly what the slow ones say: jsontext.dumps is json.dumps(…, indent=2)."""

from __future__ import annotations

import json
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from reportc.jsontext import dumps

ROOT = Path(__file__).resolve().parents[1]

scalars = st.none() | st.booleans() | st.integers() | st.floats() | st.text()
values = st.recursive(scalars, lambda inner: st.lists(inner, max_size=4) | st.tuples(inner, inner)
                      | st.dictionaries(st.text(max_size=5), inner, max_size=4), max_leaves=30)


@settings(max_examples=300, deadline=None)
@given(values)
def test_dumps_is_json_dumps_with_indent_two(value):
    assert dumps(value) == json.dumps(value, ensure_ascii=False, indent=2)


def test_dumps_hands_what_it_does_not_know_to_json_dumps():
    from decimal import Decimal

    for value in ({1: "a", None: True, 2.5: False}, [float("nan"), float("-inf")], {"a": (1, 2.5, "“控制”\u202e")}):
        assert dumps(value) == json.dumps(value, ensure_ascii=False, indent=2)
    try:
        dumps({"x": Decimal("1.5")})
    except TypeError:
        pass  # as json.dumps refuses it
    else:
        raise AssertionError("a Decimal must be refused as json.dumps refuses it")


def test_validation_and_report_json_of_an_example_are_json_dumps():
    from reportc import check
    from reportc.render_json import report_dict, render_json
    from reportc.render_validation import render_validation_json, validation_dict

    outcome = check(ROOT / "examples" / "xigong-minzheng-2020.xlsx")
    assert render_validation_json(outcome) == json.dumps(validation_dict(outcome), ensure_ascii=False, indent=2) + "\n"
    assert render_json(outcome.analysis) == json.dumps(report_dict(outcome.analysis), ensure_ascii=False, indent=2) + "\n"


def _parts(docx: bytes) -> dict:
    import io
    import zipfile

    with zipfile.ZipFile(io.BytesIO(docx)) as z:
        return {i.filename: z.read(i) for i in z.infolist()}


def _fresh_render(monkeypatch, cache):
    """report.docx, report.html and validation.html of the example, with a cache folder `cache`
    and nothing kept from earlier in this process."""
    from reportc import check, pages, render_docx
    from reportc.render_html import render_pages
    from reportc.render_validation import render_validation_html
    from reportc.report import build_report

    monkeypatch.setenv("REPORTC_CACHE_DIR", str(cache))
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    monkeypatch.setattr(render_docx, "_PREPARED", {})
    monkeypatch.setattr(pages, "_ENVS", {})
    outcome = check(ROOT / "examples" / "qingshan-minzheng-2025.xlsx")
    report = build_report(outcome.analysis, draft=True)
    return (_parts(render_docx.render_docx(report)), render_pages(report, None),
            render_validation_html(outcome, None, {}))


def test_what_the_cache_folder_keeps_gives_the_same_documents(tmp_path, monkeypatch):
    first = _fresh_render(monkeypatch, tmp_path / "cache")  # made and kept
    assert list((tmp_path / "cache").glob("docx-prepared-*.docx"))
    assert list((tmp_path / "cache").glob("templates-*/*.cache"))
    assert _fresh_render(monkeypatch, tmp_path / "cache") == first  # read from the cache folder
    for kept in (tmp_path / "cache").glob("**/*"):
        if kept.is_file() and not kept.name.endswith(".pickle"):
            kept.write_bytes(b"PK" + b"\0" * 20)  # damaged: made again, never an error
    assert _fresh_render(monkeypatch, tmp_path / "cache") == first
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x", encoding="utf-8")
    assert _fresh_render(monkeypatch, blocker / "cache") == first  # cannot be written: no cache
    assert blocker.read_text(encoding="utf-8") == "x"


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_docx_escape_is_saxutils_escape(text):
    from xml.sax.saxutils import escape as sax_escape

    from reportc.render_docx import escape

    assert escape(text) == sax_escape(text)


def test_the_readers_plan_with_the_shared_checks_sheet_is_the_plan_made_afresh():
    """planner._blank_checks_sheet: the 校验 sheet made once per edition and previous edition is
    the one made for each workbook, whatever the body, year or last year's data."""
    from reportc import check, planner
    from reportc.edition import load_edition
    from reportc.previous import previous_from

    spec = load_edition("2021").spec
    last = check(ROOT / "examples" / "qingshan-minzheng-2025.xlsx")
    for org, year, previous in ((None, 2025, None), ("某县民政局", 2026, previous_from(spec, last))):
        planner._BLANK_CHECKS.clear()
        fresh = planner.plan_workbook(spec, org, year, "0.2.0", previous, None, cached=False)
        shared = planner.plan_workbook(spec, org, year, "0.2.0", previous, None, cached=False)
        assert [s.__dict__ for s in shared.sheets] == [s.__dict__ for s in fresh.sheets]
        assert shared.sheet(spec.sheets["checks"]).cells is not fresh.sheet(spec.sheets["checks"]).cells
