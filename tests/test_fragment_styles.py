"""report-fragment.html keeps its tables' look where a portal's editor strips <style>: every table and
cell carries its border, padding and alignment inline (and border="1"). Checked in Chromium: each table
of the fragment with its <style> removed renders like the fragment with it, and like report.html's."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from chromium import chromium, screenshot
from visual import compare

from reportc import build

ROOT = Path(__file__).resolve().parents[1]
TABLE = re.compile(r'<div class="table-wrap".*?</table></div>', re.S)
STYLE = re.compile(r"<style>(.*?)</style>", re.S)
PAGE = ('<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>表格</title>{head}</head>'
        '<body style="margin:8px"><div style="width:900px">{body}</div></body></html>')


def test_every_fragment_table_and_cell_carries_its_look_inline(tmp_path):
    build(ROOT / "examples" / "qingshan-minzheng-2025.xlsx", tmp_path, formats=("html",))
    fragment = (tmp_path / "report-fragment.html").read_text(encoding="utf-8")
    tables = re.findall(r"<table\b[^>]*>", fragment)
    assert len(tables) == 3
    assert all('border="1"' in t and "border-collapse: collapse" in t for t in tables)
    cells = re.findall(r"<t[hd]\b[^>]*>", fragment)
    assert len(cells) > 250
    for cell in cells:
        assert re.search(r'style="[^"]*border: 1px solid #000[^"]*padding: [^"]*text-align: (center|left)', cell), cell
    labels = [c for c in cells if 'class="label"' in c or 'class="caption"' in c]
    assert labels and all("text-align: left" in c for c in labels)


@pytest.mark.skipif(chromium() is None, reason="needs Chromium (.ci/run installs it)")
@pytest.mark.parametrize("example", ["qingshan-minzheng-2025.xlsx", "xigong-minzheng-2020.xlsx"])
def test_fragment_tables_look_the_same_without_style(tmp_path, example):
    build(ROOT / "examples" / example, tmp_path / "out", formats=("html",))
    fragment = (tmp_path / "out" / "report-fragment.html").read_text(encoding="utf-8")
    page = (tmp_path / "out" / "report.html").read_text(encoding="utf-8")
    fragment_css = STYLE.search(fragment).group(1)
    page_css = STYLE.search(page).group(1)
    page_tables, fragment_tables = TABLE.findall(page), TABLE.findall(fragment)
    assert len(page_tables) == len(fragment_tables) == 3
    problems = []
    for i, (in_page, in_fragment) in enumerate(zip(page_tables, fragment_tables, strict=True)):
        variants = {
            "page": PAGE.format(head=f"<style>{page_css}</style>", body=in_page),
            "fragment": PAGE.format(head="", body=f'<div class="reportc-report"><style>{fragment_css}</style>'
                                                  f"{in_fragment}</div>"),
            "stripped": PAGE.format(head="", body=f'<div class="reportc-report">{in_fragment}</div>'),
        }
        shots = {}
        for name, html in variants.items():
            path = tmp_path / f"t{i}-{name}.html"
            path.write_text(html, encoding="utf-8")
            shots[name] = screenshot(path, tmp_path / f"t{i}-{name}.png", 940, 1300)
        for name in ("fragment", "page"):
            problem = compare(shots["stripped"], shots[name], tmp_path / f"diff-t{i}-{name}.png")
            if problem:
                problems.append(f"table {i + 2}, stripped vs {name}: {problem}")
    assert not problems, "\n".join(problems)
