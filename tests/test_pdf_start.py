"""A stop (Ctrl-C, SIGTERM) that lands while LibreOffice is being started, after its process exists but
before Popen has returned it, still ends it: the stop waits until reportc holds the process. Raised
inside Popen, it would leave LibreOffice running with no one to end it (CI saw exactly that once)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys

import pytest
from conftest import ctrl_c_as_in_a_terminal

pytestmark = pytest.mark.skipif(os.name != "posix", reason="sends signals the POSIX way")

# In a fresh Python: Popen starts a stand-in for LibreOffice (its own session, as reportc starts it), and
# the stop arrives before Popen returns. Prints the stand-in's pid, then whether it was still running.
SCRIPT = r"""
import os, signal, subprocess, sys
from reportc import render_pdf

real = subprocess.Popen
started = []

def popen(args, **kwargs):
    proc = real([sys.executable, "-c", "import time; time.sleep(60)"], start_new_session=True,
                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    started.append(proc)
    print(proc.pid, flush=True)
    os.kill(os.getpid(), getattr(signal, sys.argv[1]))
    sum(range(1000))  # Python runs a handler between bytecodes: here, inside Popen
    return proc

subprocess.Popen = popen
render_pdf.find_soffice = lambda: sys.executable
render_pdf.replacements = lambda: {}
try:
    render_pdf.docx_to_pdf(b"PK")
finally:
    print("running" if started and started[0].poll() is None else "ended", flush=True)
"""


@pytest.mark.parametrize("name, code", [("SIGINT", -signal.SIGINT), ("SIGTERM", 128 + signal.SIGTERM)],
                         ids=["ctrl-c", "sigterm"])
def test_a_stop_while_libreoffice_starts_ends_it(tmp_path, name, code):
    env = {**os.environ, "TMPDIR": str(tmp_path), "PYTHONIOENCODING": "utf-8"}
    run = subprocess.run([sys.executable, "-c", SCRIPT, name], env=env, capture_output=True, text=True,
                         encoding="utf-8", timeout=60, preexec_fn=ctrl_c_as_in_a_terminal)
    lines = run.stdout.split()
    pid = int(lines[0])
    alive = _alive(pid)
    if alive:
        os.kill(pid, signal.SIGKILL)
    assert lines[1:] == ["ended"], run.stderr
    assert not alive
    assert run.returncode == code, run.stderr
    assert ("KeyboardInterrupt" in run.stderr) == (name == "SIGINT")
    assert list(tmp_path.iterdir()) == []  # the conversion's folder went too


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True
