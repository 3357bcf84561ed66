"""Hostile and malformed inputs (tests/make_hostile.py): every case gets its exit code and a
message naming the problem, never a traceback, in bounded time and memory; the input
file is unchanged and no partial output is left behind."""

from __future__ import annotations

import hashlib
import os
import resource
import subprocess
import sys
import time

import pytest
from make_hostile import cases

MEMORY_LIMIT = 1024 * 1024 * 1024  # 1 GiB address space per run
TIME_LIMIT = 30  # seconds per run (a normal check takes well under one)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    folder = tmp_path_factory.mktemp("hostile")
    return folder, cases(folder)


def _limit():
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


def run(*args, cwd):
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    env.pop("REPORTC_DEBUG", None)
    start = time.perf_counter()
    result = subprocess.run([sys.executable, "-m", "reportc", *map(str, args)], cwd=cwd, env=env,
                            capture_output=True, text=True, encoding="utf-8", timeout=TIME_LIMIT, preexec_fn=_limit)
    return result, time.perf_counter() - start


def test_corpus_covers_every_kind_of_input(corpus):
    _, all_cases = corpus
    assert len(all_cases) >= 30
    assert {c.exit_code for c in all_cases} == {0, 1, 2}


@pytest.mark.parametrize("command", ["check", "build"])
def test_every_hostile_case(corpus, command, tmp_path):
    folder, all_cases = corpus
    failures = []
    for case in all_cases:
        path = folder / case.name
        before = hashlib.sha256(path.read_bytes()).hexdigest()
        out = tmp_path / f"out-{case.name}"
        args = [command, path] + (["-o", out] if command == "build" else [])
        result, seconds = run(*args, cwd=tmp_path)
        text = result.stdout + result.stderr
        problems = []
        if result.returncode != case.exit_code:
            problems.append(f"exit {result.returncode}, expected {case.exit_code}")
        problems += [f"message lacks “{w}”" for w in case.words if w not in text]
        if "Traceback" in text or "内部错误" in text:
            problems.append("traceback or internal error")
        if hashlib.sha256(path.read_bytes()).hexdigest() != before:
            problems.append("input file changed")
        if command == "build":
            files = sorted(p.name for p in out.iterdir()) if out.exists() else []
            if [f for f in files if f.startswith(".reportc-")]:
                problems.append(f"temporary files left: {files}")
            if case.exit_code == 2 and files:
                problems.append(f"output written for an unreadable file: {files}")
            if case.exit_code == 1 and [f for f in files if f.startswith("report.")]:
                problems.append(f"report written despite errors: {files}")
            if case.exit_code == 0 and "report.html" not in files:
                problems.append("no report for a clean workbook")
        if problems:
            failures.append(f"{case.name}: {'; '.join(problems)}\n{text[:400]}")
        assert seconds < TIME_LIMIT
    assert not failures, "\n\n".join(failures)


def test_clerk_text_is_data_not_markup(corpus, tmp_path):
    folder, _ = corpus
    result, _ = run("build", folder / "模板语法.xlsx", "-o", tmp_path / "out", cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    html = (tmp_path / "out" / "report.html").read_text(encoding="utf-8")
    md = (tmp_path / "out" / "report.md").read_text(encoding="utf-8")
    assert "{{ 7*7 }} {% for x in y %}" in html and "49" not in html.split("{{ 7*7 }}")[1][:5]
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; ]]&gt;" in html and "<script>" not in html
    assert "{{ 7\\*7 }}" in md and "<script>" not in md
    from docx import Document

    texts = [p.text for p in Document(str(tmp_path / "out" / "report.docx")).paragraphs]
    assert "{{ 7*7 }} {% for x in y %} <script>alert(1)</script> & ]]>" in texts


def test_control_characters_removed_from_outputs(corpus, tmp_path):
    folder, _ = corpus
    result, _ = run("build", folder / "控制字符.xlsx", "-o", tmp_path / "out", cwd=tmp_path)
    assert result.returncode == 0 and "R4" in result.stdout
    html = (tmp_path / "out" / "report.html").read_text(encoding="utf-8")
    assert "正文中有控制字符" in html and "\x07" not in html and "\u200b" not in html


def test_interrupted_build_keeps_previous_outputs(corpus, tmp_path, monkeypatch):
    """A renderer failing half-way leaves the earlier outputs as they were."""
    from reportc import build as build_module
    from reportc import render_docx

    folder, _ = corpus
    good = folder / "模板语法.xlsx"
    out = tmp_path / "out"
    build_module.build(good, out)
    before = {p.name: p.read_bytes() for p in out.iterdir()}

    def broken(report):
        raise OSError("disk full")
    monkeypatch.setattr(render_docx, "render_docx", broken)
    with pytest.raises(OSError):
        build_module.build(good, out)
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before
