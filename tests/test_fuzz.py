"""Fuzzing: random mutations of the XML parts of valid workbooks never crash or hang reportc.

Quick run in the default test command; the long run (thousands of cases) is marked slow:

    python -m pytest -m slow tests/test_fuzz.py
"""

from __future__ import annotations

import io
import signal
import tempfile
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from make_hostile import good_workbook

from reportc.publish import check, render_documents
from reportc.errors import CannotCheck

BASE = {edition: good_workbook(edition, year) for edition, year in (("2021", 2025), ("2019", 2020))}
INTERESTING = [b"<", b">", b"&", b'"', b"'", b"=", b"/", b"0", b"9", b"-", b".", b"E", b"\x00", b"\xff",
               b"<c r=\"A1\"><v>1</v></c>", b"t=\"s\"", b"t=\"e\"", b"<f>SUM(A1)</f>", b"&amp;", b"_x0007_",
               "无".encode(), b"</sheetData>", b"<row r=\"99999999\">"]


def _timeout(signum, frame):
    raise TimeoutError("reportc check hung")


@st.composite
def mutated(draw):
    edition = draw(st.sampled_from(sorted(BASE)))
    data = BASE[edition]
    z = zipfile.ZipFile(io.BytesIO(data))
    names = [n for n in z.namelist() if n.endswith((".xml", ".rels"))]
    name = draw(st.sampled_from(names))
    content = bytearray(z.read(name))
    for _ in range(draw(st.integers(1, 4))):
        op = draw(st.sampled_from(["flip", "delete", "insert", "truncate", "duplicate"]))
        pos = draw(st.integers(0, max(len(content) - 1, 0)))
        if op == "flip" and content:
            content[pos] = draw(st.integers(0, 255))
        elif op == "delete":
            del content[pos: pos + draw(st.integers(1, 64))]
        elif op == "insert":
            content[pos:pos] = draw(st.sampled_from(INTERESTING))
        elif op == "truncate":
            del content[pos:]
        elif op == "duplicate":
            content[pos:pos] = content[pos: pos + draw(st.integers(1, 200))]
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for n in z.namelist():
            dst.writestr(n, bytes(content) if n == name else z.read(n))
    return out.getvalue()


def _exercise(data: bytes) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "fuzz.xlsx"
        path.write_bytes(data)
        old = signal.signal(signal.SIGALRM, _timeout)
        signal.alarm(20)
        try:
            outcome = check(path)
            render_documents(outcome, ("html", "md", "docx"), draft=bool(outcome.errors))
            event("checked and rendered: " + ("with errors" if outcome.errors else "no errors"))
        except CannotCheck as exc:
            assert exc.message  # a Chinese message, exit code 2
            event("refused with a message (exit 2)")
        finally:
            signal.alarm(0)
            signal.signal(signal.SIGALRM, old)
        assert path.read_bytes() == data


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(mutated())
def test_fuzz_quick(data):
    _exercise(data)


@pytest.mark.slow
@settings(max_examples=3000, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(mutated())
def test_fuzz_long(data):
    _exercise(data)
