"""examples/make_xigong.py as the README runs it: a re-run writes the committed workbook byte for byte."""

from __future__ import annotations

import shutil
import subprocess
import sys

from conftest import ROOT

EXAMPLES = ROOT / "examples"


def test_make_xigong_rerun_is_byte_identical_to_the_committed_workbook(tmp_path):
    copy = tmp_path / "examples"
    copy.mkdir()
    shutil.copy(EXAMPLES / "make_xigong.py", copy)
    shutil.copytree(EXAMPLES / "source", copy / "source")
    made = copy / "xigong-minzheng-2020.xlsx"
    runs = []
    for _ in range(2):
        result = subprocess.run([sys.executable, str(copy / "make_xigong.py")], capture_output=True, text=True,
                                encoding="utf-8", timeout=300)
        assert result.returncode == 0, result.stderr
        runs.append(made.read_bytes())
    assert runs[0] == runs[1]
    assert runs[0] == (EXAMPLES / "xigong-minzheng-2020.xlsx").read_bytes(), \
        "examples/xigong-minzheng-2020.xlsx is not what make_xigong.py makes: regenerate and review it"
