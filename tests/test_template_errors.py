"""A `--template` folder whose template fails, runs away or reaches outside the folder is a
clear error (exit 2) naming the template file and line, and nothing is written."""

from __future__ import annotations

import os
import time

import pytest
from conftest import ROOT, assert_no_traceback, run_cli

from reportc import pages
from reportc.errors import UsageProblem

QINGSHAN = ROOT / "examples" / "qingshan-minzheng-2025.xlsx"

FAILING = {
    "divide_by_zero": ("<html>\n{{ body }}\n{{ 1/0 }}</html>", "第3行", "ZeroDivisionError"),
    "markup_plus_number": ("<html>\n\n{{ body + 1 }}</html>", "第3行", "TypeError"),
    "recursive_macro": ("{% macro m(n) %}{{ m(n + 1) }}{% endmacro %}\n{{ m(1) }}", "report.html.j2", "递归"),
    "recursive_include": ("<p>\n{% include 'report.html.j2' %}</p>", "report.html.j2", "递归"),
    "huge_range": ("<html>\n{% for i in range(10**9) %}x{% endfor %}</html>", "第2行", "range()"),
    "huge_string": ("<html>\n{{ 'x' * 300000000 }}</html>", "第2行", "生成预算"),
    "huge_power": ("<html>\n{{ 10 ** 100000000 }}</html>", "第2行", "生成预算"),
    "nested_loops": ("<html>\n{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}</html>",
                     "report.html.j2", "生成预算"),
    "nested_output": ("<html>\n{% for i in range(100000) %}{% for j in range(100000) %}xxxxxxxxxx{% endfor %}{% endfor %}",
                      "report.html.j2", "生成预算"),
}


def _folder(tmp_path, source: str):
    chrome = tmp_path / "门户模板"
    chrome.mkdir()
    (chrome / "report.html.j2").write_text(source, encoding="utf-8")
    return chrome


@pytest.mark.parametrize("case", sorted(FAILING))
def test_a_failing_template_is_a_users_error_naming_file_and_line(tmp_path, case):
    source, where, what = FAILING[case]
    out = tmp_path / "out"
    start = time.perf_counter()
    result = run_cli("build", QINGSHAN, "-o", out, "--template", _folder(tmp_path, source))
    assert_no_traceback(result)
    assert result.returncode == 2, result.stdout + result.stderr
    assert "report.html.j2" in result.stderr and where in result.stderr and what in result.stderr, result.stderr
    assert "没有生成任何文件" in result.stderr
    assert not out.exists() or not list(out.iterdir())
    assert time.perf_counter() - start < pages.RENDER_SECONDS + 60  # stopped by the budget, not by the test's timeout


def test_the_render_budget_stops_a_slow_template(tmp_path, monkeypatch):
    """A template that loops without calling anything is stopped by the time budget while it writes."""
    chrome = _folder(tmp_path, "{% set xs = range(100000)|list %}{% for i in xs %}{% for j in xs %}"
                               "{% if j == 0 %}.{% endif %}{% endfor %}{% endfor %}")
    monkeypatch.setattr(pages, "RENDER_SECONDS", 1)
    pages._ENVS.clear()
    with pytest.raises(UsageProblem) as raised:
        pages.render("report.html.j2", {}, chrome)
    assert "用时超过1秒" in str(raised.value) and "report.html.j2" in str(raised.value)
    pages._ENVS.clear()


def test_the_budget_is_stated_in_the_template_guide():
    guide = (ROOT / "docs" / "模板说明.md").read_text(encoding="utf-8")
    assert f"{pages.RENDER_SECONDS} 秒" in guide and f"{pages.MAX_RANGE}" in guide
    assert guide.strip() == pages.context_markdown().strip()


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="needs symbolic links")
def test_a_link_out_of_the_template_folder_is_refused(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("密码123", encoding="utf-8")
    chrome = tmp_path / "门户模板"
    chrome.mkdir()
    (chrome / "report.html.j2").write_text("<html>{{ body }}{% include 'secret.j2' %}</html>", encoding="utf-8")
    (chrome / "secret.j2").symlink_to(secret)
    out = tmp_path / "out"
    result = run_cli("build", QINGSHAN, "-o", out, "--template", chrome)
    assert_no_traceback(result)
    assert result.returncode == 2 and "secret.j2" in result.stderr and "模板文件夹以外" in result.stderr, result.stderr
    assert not out.exists() or not list(out.iterdir())
    (chrome / "report.html.j2").unlink()
    (chrome / "report.html.j2").symlink_to(secret)  # the page template itself a link out
    result = run_cli("build", QINGSHAN, "-o", out, "--template", chrome)
    assert result.returncode == 2 and "模板文件夹以外" in result.stderr, result.stderr


def test_a_link_inside_the_template_folder_is_used(tmp_path):
    chrome = tmp_path / "门户模板"
    chrome.mkdir()
    (chrome / "shared.j2").write_text("<html><main>{{ body }}</main><footer>门户页脚</footer></html>", encoding="utf-8")
    (chrome / "report.html.j2").symlink_to(chrome / "shared.j2")
    out = tmp_path / "out"
    result = run_cli("build", QINGSHAN, "-o", out, "--template", chrome)
    assert result.returncode == 0, result.stderr
    assert "门户页脚" in (out / "report.html").read_text(encoding="utf-8")
