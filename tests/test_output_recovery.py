"""Recovery of a set of outputs whose writer was killed (compiler/fsutil.py): wherever the kill
falls, the next run finds the previous set or the new one, never a part of either. Each kill point
is reached deterministically: a child process is ended with os._exit at that point."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

from reportc.fsutil import COMMIT, JOURNAL, recover

OLD = {"report.html": b"<p>old</p>", "report.md": b"old", "gone.txt": b"only in the old set"}
NEW = {"report.html": b"<p>new</p>", "report.md": b"new"}

# the child writes OLD, then NEW, and dies at the point named by its argument
CHILD = textwrap.dedent('''
    import os, sys
    from pathlib import Path
    from reportc import fsutil, manifest

    target, point = Path(sys.argv[1]), sys.argv[2]
    OLD, NEW = {old!r}, {new!r}
    fsutil.write_set(target, OLD, manifest.make("build", OLD, "旧"))
    real_forward, real_write = fsutil._forward, fsutil._write

    def write(path, data):
        if point == "before_commit" and path.name == fsutil.COMMIT:
            os._exit(9)
        real_write(path, data)

    def forward(target, plan, undo):
        if point == "before_forward":
            os._exit(9)
        real_forward(target, plan, undo)
        if point == "after_forward":  # new set in place, set-aside files deleted, commit mark still there
            os._exit(9)

    fsutil._forward, fsutil._write = forward, write
    fsutil.write_set(target, NEW, manifest.make("build", NEW, "新"))
''')


def _files(folder):
    return {p.name: p.read_bytes() for p in folder.iterdir() if p.name != "manifest.json"}


@pytest.mark.parametrize("point,expected", [
    ("before_commit", OLD),  # the new files written under temporary names: rolled back
    ("before_forward", NEW),  # the commit mark written: rolled forward
    ("after_forward", NEW),  # every file in place, the commit mark not yet deleted: nothing left to do
])
def test_a_run_killed_around_the_commit_point_recovers_one_whole_set(tmp_path, point, expected):
    """after_forward: the recovery once moved the new files aside again and deleted them, leaving
    only manifest.json (seen as a rare failure of test_hostile.py::test_killed_builds_leave_the_old_or_the_new_set
    on a loaded machine)."""
    target = tmp_path / "out"
    code = CHILD.format(old=OLD, new=NEW)
    done = subprocess.run([sys.executable, "-c", code, str(target), point], capture_output=True, text=True)
    assert done.returncode == 9, done.stderr
    assert (target / JOURNAL).exists() and (target / COMMIT).exists() == (point != "before_commit")
    recover(target)
    assert _files(target) == expected
    assert not (target / JOURNAL).exists() and not (target / COMMIT).exists()
    from reportc.verification import verify_folder

    assert verify_folder(target).ok
