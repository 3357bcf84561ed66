r"""reportc.launch reads the files dropped on a launcher from the command line of the cmd.exe that runs it,
never through cmd: how it splits Explorer's line (the Wine tests in tests/test_batch_wine.py feed it the lines
that Wine's cmd.exe really had), and what it does with the names."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from reportc import launch

CMD = r"C:\WINDOWS\system32\cmd.exe"
BAT = r"D:\年报 工具\生成年报.bat"


@pytest.mark.parametrize("line, names", [
    # Explorer: names with a space in quotes, the others bare; the whole in quotes after /c.
    (f'{CMD} /c ""{BAT}" D:\\x&md;PWNED&.xlsx "D:\\c d.xlsx""', [r"D:\x&md;PWNED&.xlsx", r"D:\c d.xlsx"]),
    (f'{CMD} /c ""{BAT}" D:\\%OS%^&!x!(1);a,b=c.xlsx"', [r"D:\%OS%^&!x!(1);a,b=c.xlsx"]),
    (f'{CMD} /c ""{BAT}" "D:\\全角　空格 x.xlsx" D:\\全角　空格.xlsx"', [r"D:\全角　空格 x.xlsx", r"D:\全角　空格.xlsx"]),
    (f'{CMD} /c ""{BAT}" "', []),  # double-clicked
    (f'"{CMD}" /d /s /c ""{BAT}" D:\\a.xlsx"', [r"D:\a.xlsx"]),
    (f'cmd /c "{BAT}"', []),  # two quotes around a program: cmd keeps them
    (f'{CMD} /c ""D:\\工具\\部署.cmd" D:\\a.xlsx"', [r"D:\a.xlsx"]),
    (f'{CMD} /c ""{BAT}" ' + "D:\\" + "长" * 250 + '.xlsx"', ["D:\\" + "长" * 250 + ".xlsx"]),
])
def test_dropped_names_as_explorer_writes_them(line, names):
    assert launch.dropped_names(line) == names


@pytest.mark.parametrize("line", [
    f'"{CMD}" ',  # a console window: no batch file on the line
    CMD,
    r'"D:\年报\venv\Scripts\python.exe" -m reportc.launch build',  # not cmd
    f'{CMD} /c "D:\\a.exe D:\\b.xlsx"',  # cmd running a program, not a batch file
    f'{CMD} /k',
])
def test_no_names_without_a_launcher_on_the_line(line):
    assert launch.dropped_names(line) is None


def launch_cli(*args, stdin=""):
    env = {**os.environ, "PYTHONIOENCODING": "utf-8", "REPORTC_NO_OPEN": "1"}
    return subprocess.run([sys.executable, "-m", "reportc.launch", *map(str, args)], input=stdin,
                          capture_output=True, text=True, encoding="utf-8", env=env, timeout=120)


def test_without_names_and_outside_cmd_the_launcher_explains():
    for action, launcher in (("build", "生成年报"), ("check", "检查工作簿")):
        result = launch_cli(action)
        assert result.returncode == 2 and f"拖到“{launcher}”图标上" in result.stderr
        assert "Traceback" not in result.stderr


def test_each_name_is_a_file_name_never_expanded(tmp_path):
    names = ["%OS%.xlsx", "x&md;PWNED&.xlsx", "a^b!c!.xlsx"]
    result = launch_cli("check", *(tmp_path / n for n in names))
    assert result.returncode == 2
    for name in names:
        assert f"“{tmp_path / name}”" in result.stderr  # the missing file, named exactly as dropped
    assert "Windows_NT" not in result.stdout + result.stderr
    assert list(tmp_path.iterdir()) == []


def test_install_folder_with_percent_is_refused(tmp_path):
    folder = tmp_path / "100% 工具"
    folder.mkdir()
    result = launch_cli("shortcuts", folder)
    assert result.returncode == 2 and "%" in result.stderr and "改名" in result.stderr
    assert launch.unsafe_home(tmp_path / "a&b (1)") is None


def test_new_falls_back_to_documents_when_the_install_folder_is_read_only(tmp_path, monkeypatch):
    """部署.cmd installs in C:\\Program Files, which users cannot write: 我的工作簿 goes to Documents."""
    monkeypatch.setattr(Path, "home", classmethod(lambda cls: tmp_path / "user"))
    monkeypatch.setattr(launch, "writable_folder", lambda folder: False)
    assert launch.workbook_folder(tmp_path / "pf") == tmp_path / "user" / "Documents" / launch.WORKBOOKS
    monkeypatch.undo()
    assert launch.workbook_folder(tmp_path / "mine") == tmp_path / "mine" / launch.WORKBOOKS


def test_the_nearest_cmd_is_found_through_the_venv_launcher():
    bat_line = f'{CMD} /c ""{BAT}" D:\\a.xlsx"'
    processes = {30: ('"D:\\年报\\venv\\Scripts\\python.exe" -m reportc.launch build', 20), 20: (bat_line, 10),
                 10: (r"C:\WINDOWS\Explorer.EXE", 1)}
    assert launch.nearest_cmd(30, processes.__getitem__) == bat_line
    assert launch.dropped_names(launch.nearest_cmd(30, processes.__getitem__)) == [r"D:\a.xlsx"]
    console = {30: ("python.exe -m reportc.launch build", 20), 20: (f'"{CMD}" ', 10)}
    assert launch.dropped_names(launch.nearest_cmd(30, console.__getitem__)) is None
    unreadable = {30: (None, None)}
    assert launch.nearest_cmd(30, unreadable.__getitem__) is None
