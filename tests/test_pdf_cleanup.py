"""A PDF build leaves nothing in the temp folder: not on success, not on Ctrl-C or SIGTERM (LibreOffice
and its folder are removed), and what a SIGKILL leaves (it cannot be caught) is swept by the next
conversion once it is an hour old. LibreOffice's own lu*.tmp files land inside reportc's folder."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import ctrl_c_as_in_a_terminal

from reportc.render_pdf import MARKER, PREFIX, STALE_AFTER, find_soffice, sweep_stale

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "qingshan-minzheng-2025.xlsx"

pytestmark = [pytest.mark.libreoffice,
              pytest.mark.skipif(find_soffice() is None, reason="needs LibreOffice (.ci/run installs it)"),
              pytest.mark.skipif(not sys.platform.startswith("linux"), reason="finds processes in /proc")]


def _slow_soffice(tmp_path: Path) -> Path:
    """LibreOffice, then half a minute more in the same process group: the signal always lands while
    reportc waits for the conversion (a fast conversion could end before it), and what reportc must end
    is still running then."""
    wrapper = tmp_path / "slow-soffice.sh"
    wrapper.write_text(f'#!/bin/sh\n"{find_soffice()}" "$@"\nstatus=$?\nsleep 30\nexit $status\n', encoding="utf-8")
    wrapper.chmod(0o755)
    return wrapper


def _start_build(tmp_path: Path, temp: Path, slow: bool = False) -> subprocess.Popen:
    env = {**os.environ, "TMPDIR": str(temp), "PYTHONIOENCODING": "utf-8",
           **({"REPORTC_SOFFICE": str(_slow_soffice(tmp_path))} if slow else {})}
    return subprocess.Popen([sys.executable, "-m", "reportc", "build", str(EXAMPLE), "-o", str(tmp_path / "out"),
                             "--format", "pdf", "--overwrite"], env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, preexec_fn=ctrl_c_as_in_a_terminal)


def _wait_for_libreoffice(temp: Path, build: subprocess.Popen) -> None:
    """Until LibreOffice has made its profile in reportc's folder (it is converting)."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if list(temp.glob(PREFIX + "*/profile/user")) and _processes_using(temp):
            return  # converting now (waiting longer, a fast conversion could end before the signal)
        assert build.poll() is None, build.communicate()
        time.sleep(0.05)
    raise AssertionError("LibreOffice did not start within 60 s")


def _processes_using(temp: Path) -> list[int]:
    """Processes whose command line names the temp folder (LibreOffice started by the build)."""
    found = []
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            cmdline = (proc / "cmdline").read_bytes()
        except OSError:
            continue
        if str(temp).encode() in cmdline:
            found.append(int(proc.name))
    return found


def _wait_gone(temp: Path, seconds: float) -> list[int]:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and _processes_using(temp):
        time.sleep(0.1)
    return _processes_using(temp)


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM], ids=["ctrl-c", "sigterm"])
def test_a_caught_signal_during_conversion_ends_libreoffice_and_leaves_nothing(tmp_path, sig):
    temp = tmp_path / "temp"
    temp.mkdir()
    build = _start_build(tmp_path, temp, slow=True)
    _wait_for_libreoffice(temp, build)
    build.send_signal(sig)
    build.communicate(timeout=60)
    assert build.returncode != 0
    left = _wait_gone(temp, 10)
    for pid in left:  # do not leave them running when the test fails
        os.kill(pid, signal.SIGKILL)
    assert not left, "LibreOffice still running after the build was stopped"
    assert sorted(p.name for p in temp.iterdir()) == []
    assert not (tmp_path / "out" / "report.pdf").exists()


def test_a_killed_build_is_swept_at_the_next_conversion(tmp_path):
    temp = tmp_path / "temp"
    temp.mkdir()
    # not reportc's, or not old: never touched
    (temp / (PREFIX + "user")).mkdir()
    os.utime(temp / (PREFIX + "user"), (time.time() - 3 * STALE_AFTER,) * 2)
    (temp / "lu1234abcd.tmp").write_text("someone else's", encoding="utf-8")
    build = _start_build(tmp_path, temp)
    _wait_for_libreoffice(temp, build)
    build.kill()  # SIGKILL: nothing in reportc runs
    build.communicate(timeout=30)
    assert build.returncode == -signal.SIGKILL
    # LibreOffice lives on (in its own session) until its conversion ends; wait, then end it if need be
    for pid in _wait_gone(temp, 60):
        os.kill(pid, signal.SIGKILL)
    left = sorted(p.name for p in temp.iterdir())
    killed = [name for name in left if name.startswith(PREFIX) and name != PREFIX + "user"]
    assert len(killed) == 1, left
    # everything LibreOffice wrote is inside reportc's folder: no lu*.tmp of its own in the temp folder
    assert set(left) == {PREFIX + "user", "lu1234abcd.tmp", killed[0]}
    # young: the next conversion leaves it (it could be another build's, running)
    assert sweep_stale(temp) == []
    assert (temp / killed[0]).is_dir()
    # an hour later, the next build removes it
    hour_ago = time.time() - STALE_AFTER - 60
    os.utime(temp / killed[0] / MARKER, (hour_ago, hour_ago))
    again = _start_build(tmp_path, temp)
    _, err = again.communicate(timeout=300)
    assert again.returncode == 0, err.decode("utf-8", "replace")
    assert (tmp_path / "out" / "report.pdf").read_bytes().startswith(b"%PDF")
    assert sorted(p.name for p in temp.iterdir()) == sorted([PREFIX + "user", "lu1234abcd.tmp"])
