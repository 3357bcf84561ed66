"""The Windows launchers run by a real cmd implementation: Wine's cmd.exe, with a stand-in for py.exe and
python.exe (tests/data/fakepy.c, built with MinGW) that logs the arguments it receives.

This checks what the lint cannot: that cmd parses the files, follows the branches (no Python, not
unpacked, Python 3.11 only, errors), passes every path with spaces and brackets as one argument, and stops
with "Press any key" (pause). Wine's cmd is not Windows' cmd; the files keep to what both accept.
Marked `wine` (excluded by default; .ci/run installs wine64 and MinGW and runs them).
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import ROOT, TESTS

pytestmark = pytest.mark.wine

WINDOWS = ROOT / "tools" / "windows"
PAUSED = "Press any key"


def wine_binary() -> str | None:
    for candidate in ("wine64", "/usr/lib/wine/wine64", "wine"):
        found = shutil.which(candidate)
        if found:
            return found
    return None


@pytest.fixture(scope="session")
def wine(tmp_path_factory):
    binary, gcc = wine_binary(), shutil.which("x86_64-w64-mingw32-gcc")
    if not binary or not gcc:
        pytest.skip("需要 wine64 和 x86_64-w64-mingw32-gcc（.ci/run 用 apt 安装：wine64 gcc-mingw-w64-x86-64-win32）")
    base = tmp_path_factory.mktemp("wine")
    fake_dir = base / "fakebin"
    fake_dir.mkdir()
    subprocess.run([gcc, "-municode", "-O1", "-o", str(fake_dir / "py.exe"), str(TESTS / "data" / "fakepy.c"),
                    "-lshell32"], check=True, capture_output=True)
    python_dir = base / "pythonbin"  # a python.exe on PATH, no py launcher
    python_dir.mkdir()
    shutil.copy(fake_dir / "py.exe", python_dir / "python.exe")
    env = {**os.environ, "WINEPREFIX": str(base / "prefix"), "WINEDEBUG": "-all", "LC_ALL": "C.UTF-8",
           "WINEDLLOVERRIDES": "mscoree,mshtml="}
    subprocess.run([binary, "cmd", "/c", "exit 0"], env=env, capture_output=True, timeout=300)  # makes the prefix
    return {"binary": binary, "env": env, "fake_dir": fake_dir, "python_dir": python_dir, "base": base}


def winpath(path: Path) -> str:
    return "Z:" + str(path).replace("/", "\\")


class Bundle:
    def __init__(self, wine, folder: Path):
        self.wine, self.folder, self.log = wine, folder, folder.parent / "log.txt"
        folder.mkdir(parents=True)
        (folder / "wheels").mkdir()
        for bat in WINDOWS.glob("*.bat"):
            shutil.copy(bat, folder / bat.name)

    def run(self, bat: str, *args: str, python="py", **extra):
        self.log.unlink(missing_ok=True)
        env = {**self.wine["env"], "FAKEPY_LOG": winpath(self.log), **extra}
        if python:
            env["WINEPATH"] = winpath(self.wine["fake_dir" if python == "py" else "python_dir"])
        else:  # (an empty WINEPATH would put an empty entry on PATH, where Wine "finds" any program)
            env.pop("WINEPATH", None)
        result = subprocess.run([self.wine["binary"], "cmd", "/c", bat, *args], cwd=self.folder, env=env,
                                input=b"\r\n", capture_output=True, timeout=300)
        output = result.stdout.decode("utf-8", "replace") + result.stderr.decode("utf-8", "replace")
        calls = []
        if self.log.exists():
            record: list[str] = []
            for line in self.log.read_text(encoding="utf-8").splitlines():
                if line == "--":
                    calls.append(record)
                    record = []
                else:
                    record.append(line)
        return result.returncode, output, calls


@pytest.fixture
def bundle(wine, tmp_path):
    return Bundle(wine, tmp_path / "county office (it)" / "bundle dir")


def test_install_without_python_explains_and_waits(bundle):
    code, output, calls = bundle.run("安装.bat", python=None)
    assert code == 1 and PAUSED in output and calls == []
    assert "python.org" in output
    code, output, calls = bundle.run("安装.bat", FAKEPY_ONLY="-3.9")  # a py launcher with no usable version
    assert code == 1 and "python.org" in output
    assert [c[0] for c in calls] == ["-3.13", "-3.12", "-3.11", "-3.10"]


def test_install_falls_back_to_python_on_path(bundle):
    code, output, calls = bundle.run("安装.bat", "/quiet", python="python")
    assert code == 0 and PAUSED not in output
    assert calls[0][0] == "-c" and ["-m", "venv", winpath(bundle.folder) + "\\venv"] in calls


def test_install_outside_the_unpacked_folder_stops(bundle):
    shutil.rmtree(bundle.folder / "wheels")
    code, output, calls = bundle.run("安装.bat")
    assert code == 1 and PAUSED in output and calls == []


def test_install_finds_python_311_and_installs_offline(bundle):
    code, output, calls = bundle.run("安装.bat", FAKEPY_ONLY="-3.11")
    assert code == 0 and PAUSED in output
    here = winpath(bundle.folder)
    tried = [c[0] for c in calls if c and c[0].startswith("-3.") and "-c" in c]
    assert tried[:3] == ["-3.13", "-3.12", "-3.11"] and "-3.10" not in tried  # newest first, stops when found
    assert ["-3.11", "-m", "venv", f"{here}\\venv"] in calls
    assert ["-m", "pip", "install", "--no-index", "--find-links", f"{here}\\wheels", "--upgrade", "reportc"] in calls
    assert ["-m", "reportc", "--version"] in calls
    assert ["-m", "reportc.launch", "shortcuts", f"{here}\\."] in calls
    assert (bundle.folder / "venv" / "Scripts" / "python.exe").is_file()
    again_code, again_output, again_calls = bundle.run("安装.bat", "/quiet", "/noshortcut")
    assert again_code == 0 and PAUSED not in again_output
    assert not any("venv" in c for c in again_calls)  # the working environment is kept
    assert not any("shortcuts" in c for c in again_calls)


def test_launchers_before_install_say_so(bundle):
    for bat in ("生成年报.bat", "检查工作簿.bat", "新建工作簿.bat"):
        code, output, calls = bundle.run(bat, winpath(bundle.folder / "a.xlsx"))
        assert code == 2 and PAUSED in output and calls == [], bat


def test_dropped_files_reach_reportc_whole_and_errors_wait(bundle):
    assert bundle.run("安装.bat", "/quiet")[0] == 0
    first = winpath(bundle.folder.parent / "a b (1).xlsx")
    second = winpath(bundle.folder.parent / "x'y [2].xlsx")
    code, output, calls = bundle.run("生成年报.bat", first, second)
    assert code == 0 and PAUSED in output
    assert calls == [["-m", "reportc.launch", "build", first], ["-m", "reportc.launch", "build", second]]
    code, output, calls = bundle.run("生成年报.bat", first, FAKEPY_EXIT="1")
    assert code == 1 and PAUSED in output
    code, output, calls = bundle.run("检查工作簿.bat", second, FAKEPY_EXIT="1")
    assert code == 1 and PAUSED in output and calls == [["-m", "reportc.launch", "check", second]]
    code, output, calls = bundle.run("检查工作簿.bat")
    assert code == 2 and PAUSED in output and calls == []
    code, output, calls = bundle.run("新建工作簿.bat")
    assert code == 0 and calls == [["-m", "reportc.launch", "new", winpath(bundle.folder) + "\\."]]
