r"""The Windows launchers run by a real cmd implementation: Wine's cmd.exe, with a stand-in for py.exe and
python.exe (tests/data/fakepy.c, built with MinGW) that logs the arguments it receives.

This checks what the lint cannot: that cmd parses the files, follows the branches (no Python, not
unpacked, Python 3.11 only, errors), and stops with "Press any key" (pause); and that a dropped file name
is never run as a command. Files are dropped as Explorer drops them: tests/data/explorer_drop.c starts
`cmd.exe /c ""Z:\...\生成年报.bat" Z:\in\x&md;PWNED&.xlsx "Z:\in\c d.xlsx""` with CreateProcessW (names
without a space unquoted). The stand-in Python records its parent's command line, read from the process as
reportc.launch reads it, and reportc.launch.dropped_names (run here, on the host) must recover every name.
Wine's cmd is not Windows' cmd; the files keep to what both accept.
Marked `wine` (excluded by default; .ci/run installs wine64 and MinGW and runs them).
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import ROOT, TESTS

from reportc import launch

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
    subprocess.run([gcc, "-municode", "-O1", "-o", str(base / "explorer_drop.exe"),
                    str(TESTS / "data" / "explorer_drop.c")], check=True, capture_output=True)
    python_dir = base / "pythonbin"  # a python.exe on PATH, no py launcher
    python_dir.mkdir()
    shutil.copy(fake_dir / "py.exe", python_dir / "python.exe")
    env = {**os.environ, "WINEPREFIX": str(base / "prefix"), "WINEDEBUG": "-all", "LC_ALL": "C.UTF-8",
           "WINEDLLOVERRIDES": "mscoree,mshtml="}
    subprocess.run([binary, "cmd", "/c", "exit 0"], env=env, capture_output=True, timeout=300)  # makes the prefix
    return {"binary": binary, "env": env, "fake_dir": fake_dir, "python_dir": python_dir, "base": base,
            "drop": base / "explorer_drop.exe"}


def winpath(path: Path) -> str:
    return "Z:" + str(path).replace("/", "\\")


class Bundle:
    def __init__(self, wine, folder: Path):
        self.wine, self.folder, self.log = wine, folder, folder.parent / "log.txt"
        self.parent_log = folder.parent / "parent-log.txt"
        folder.mkdir(parents=True)
        (folder / "wheels").mkdir()
        for bat in [*WINDOWS.glob("*.bat"), *WINDOWS.glob("*.cmd")]:
            shutil.copy(bat, folder / bat.name)

    def run(self, bat: str, *args: str, python="py", drop: list[str] | None = None, cwd: Path | None = None,
            stdin: bytes = b"\r\n", **extra):
        """Run `bat` with `args` (Wine quotes them), or with the files in `drop` as Explorer does."""
        self.log.unlink(missing_ok=True)
        self.parent_log.unlink(missing_ok=True)
        env = {**self.wine["env"], "FAKEPY_LOG": winpath(self.log), "FAKEPY_PARENT_LOG": winpath(self.parent_log),
               **extra}
        if python:
            env["WINEPATH"] = winpath(self.wine["fake_dir" if python == "py" else "python_dir"])
        else:  # (an empty WINEPATH would put an empty entry on PATH, where Wine "finds" any program)
            env.pop("WINEPATH", None)
        if drop is None:
            command = [self.wine["binary"], "cmd", "/c", bat, *args]
        else:
            env["EXPLORER_DROP"] = explorer_line(winpath(self.folder / bat), drop)
            command = [self.wine["binary"], str(self.wine["drop"])]
        result = subprocess.run(command, cwd=cwd or self.folder, env=env, input=stdin, capture_output=True,
                                timeout=300)
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

    def parent_lines(self) -> list[str]:
        return self.parent_log.read_text(encoding="utf-8").splitlines() if self.parent_log.exists() else []


def explorer_line(bat: str, names: list[str]) -> str:
    """The command line Explorer starts a batch file with when files are dropped on it (a name in quotes
    only when it holds a space)."""
    quoted = [f'"{n}"' if " " in n else n for n in names]
    return f'cmd.exe /c ""{bat}"{"".join(" " + q for q in quoted)}"'


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
    code, output, calls = bundle.run("安装.bat", python="python")
    assert code == 0 and PAUSED in output
    assert calls[0][0] == "-c" and ["-m", "venv", winpath(bundle.folder) + "\\venv"] in calls


def test_install_outside_the_unpacked_folder_stops(bundle):
    shutil.rmtree(bundle.folder / "wheels")
    code, output, calls = bundle.run("安装.bat")
    assert code == 1 and PAUSED in output and calls == []


def test_install_finds_python_311_and_installs_offline(bundle):
    code, output, calls = bundle.run("安装.bat", FAKEPY_ONLY="-3.11")
    assert code == 0 and PAUSED in output, (output, calls)
    here = winpath(bundle.folder)
    tried = [c[0] for c in calls if c and c[0].startswith("-3.") and "-c" in c]
    assert tried[:3] == ["-3.13", "-3.12", "-3.11"] and "-3.10" not in tried  # newest first, stops when found
    assert ["-3.11", "-m", "venv", f"{here}\\venv"] in calls
    assert ["-m", "pip", "install", "--no-index", "--find-links", f"{here}\\wheels", "--upgrade", "reportc"] in calls
    assert ["-m", "reportc", "--version"] in calls
    assert ["-m", "reportc.launch", "shortcuts", f"{here}\\."] in calls
    assert (bundle.folder / "venv" / "Scripts" / "python.exe").is_file()
    again_code, again_output, again_calls = bundle.run("安装.bat")
    assert again_code == 0 and PAUSED in again_output, (again_output, again_calls)
    assert not any("venv" in c for c in again_calls)  # the working environment is kept


def test_launchers_before_install_say_so(bundle):
    for bat in ("生成年报.bat", "检查工作簿.bat", "新建工作簿.bat"):
        code, output, calls = bundle.run(bat, winpath(bundle.folder / "a.xlsx"))
        assert code == 2 and PAUSED in output and calls == [], bat


def test_dropped_files_reach_reportc_whole_and_errors_wait(bundle, tmp_path):
    assert bundle.run("安装.bat")[0] == 0
    first = winpath(tmp_path / "a b (1).xlsx")
    second = winpath(tmp_path / "x'y [2].xlsx")
    code, output, calls = bundle.run("生成年报.bat", drop=[first, second])
    assert code == 0 and PAUSED in output
    assert calls == [["-m", "reportc.launch", "build"]]  # no name passes through cmd
    (line,) = bundle.parent_lines()
    assert launch.dropped_names(line) == [first, second]
    code, output, calls = bundle.run("生成年报.bat", drop=[first], FAKEPY_EXIT="1")
    assert code == 1 and PAUSED in output
    code, output, calls = bundle.run("检查工作簿.bat", drop=[second], FAKEPY_EXIT="1")
    assert code == 1 and PAUSED in output and calls == [["-m", "reportc.launch", "check"]]
    assert launch.dropped_names(bundle.parent_lines()[0]) == [second]
    code, output, calls = bundle.run("检查工作簿.bat", drop=[], FAKEPY_EXIT="2")  # double-clicked: no file
    assert code == 2 and PAUSED in output
    assert launch.dropped_names(bundle.parent_lines()[0]) == []
    code, output, calls = bundle.run("新建工作簿.bat")
    assert code == 0 and calls == [["-m", "reportc.launch", "new", winpath(bundle.folder) + "\\."]]


# Names as a clerk's files might be called. Explorer quotes a name only when it holds a space; no Windows
# file name holds " | < > ? * or :, so a `|` can only arrive inside quotes. (`%~dp0`, `%1` or `%*` in an
# unquoted name crashes Wine's cmd.exe itself, before any batch file runs; Windows' cmd leaves them as they are.)
HOSTILE = [
    "x&md;PWNED&.xlsx", "a&&md;PWNED&&b.xlsx", "x^&md;PWNED^&.xlsx", "a^b^^c.xlsx", "100%.xlsx", "%OS%.xlsx",
    "%PY%.xlsx", "x!OS!y!.xlsx", "(1).xlsx", "a)b(c.xlsx", "a;b,c=d.xlsx", "it's.xlsx",
    "a b & md PWNED.xlsx", "a | md PWNED.xlsx", "青山县民政局2025年报（定稿）.xlsx", "全角　空格.xlsx",
    "长" * 245 + ".xlsx",
]


def assert_nothing_ran(*folders: Path) -> None:
    for folder in folders:
        made = [p.name for p in folder.rglob("*") if p.name.upper() in ("PWNED", "PWNED2")]
        assert made == [], f"cmd ran a command from a file name: {made} in {folder}"


@pytest.mark.parametrize("launcher, action", [("生成年报.bat", "build"), ("检查工作簿.bat", "check")])
def test_no_dropped_name_runs_as_a_command(bundle, tmp_path, launcher, action):
    """Each hostile name dropped alone, then all of them at once: cmd runs nothing but the launcher, the
    launcher runs Python once with no name, and Python recovers every name exactly (none expanded)."""
    assert bundle.run("安装.bat")[0] == 0
    inbox = tmp_path / "in"
    inbox.mkdir()
    scratch = tmp_path / "cwd"
    scratch.mkdir()
    for name in HOSTILE if action == "build" else HOSTILE[:3]:  # (each run takes seconds in Wine)
        path = winpath(inbox / name)
        code, output, calls = bundle.run(launcher, drop=[path], cwd=scratch)
        assert code == 0 and PAUSED in output, (name, output)
        assert calls == [["-m", "reportc.launch", action]], name
        assert [launch.dropped_names(line) for line in bundle.parent_lines()] == [[path]], name
        assert_nothing_ran(scratch, inbox, bundle.folder)
    every = [winpath(inbox / name) for name in HOSTILE]
    code, output, calls = bundle.run(launcher, drop=every, cwd=scratch, FAKEPY_EXIT="1")
    assert code == 1 and calls == [["-m", "reportc.launch", action]]
    assert launch.dropped_names(bundle.parent_lines()[0]) == every
    assert_nothing_ran(scratch, inbox, bundle.folder)


def test_files_dropped_on_install_and_new_run_nothing(bundle, tmp_path):
    scratch = tmp_path / "cwd"
    scratch.mkdir()
    hostile = [winpath(tmp_path / "x&md;PWNED&.xlsx"), winpath(tmp_path / "y&md;PWNED2&.xlsx")]
    code, output, calls = bundle.run("安装.bat", drop=hostile, cwd=scratch)
    assert code == 0 and PAUSED in output, (code, output, calls)  # (what cmd printed, when it fails)
    assert ["-m", "reportc.launch", "shortcuts", winpath(bundle.folder) + "\\."] in calls
    code, output, calls = bundle.run("新建工作簿.bat", drop=hostile, cwd=scratch)
    assert code == 0 and calls == [["-m", "reportc.launch", "new", winpath(bundle.folder) + "\\."]], (code, output, calls)
    code, output, calls = bundle.run("生成年报.bat", drop=hostile, cwd=scratch)
    assert code == 0 and launch.dropped_names(bundle.parent_lines()[0]) == hostile, (code, output, calls)
    assert_nothing_ran(scratch, tmp_path)


@pytest.mark.parametrize("folder", ["a&md;PWNED&b", "(x) & y", "x^y!z;w,v=u'"])
def test_bundle_in_a_folder_with_cmd_characters(wine, tmp_path, folder):
    bundle = Bundle(wine, tmp_path / folder / "bundle")
    scratch = tmp_path / "cwd"
    scratch.mkdir()
    code, output, calls = bundle.run("安装.bat", drop=[], cwd=scratch)  # double-clicked
    here = winpath(bundle.folder)
    assert code == 0, output
    assert ["-m", "pip", "install", "--no-index", "--find-links", f"{here}\\wheels", "--upgrade", "reportc"] in calls
    assert ["-m", "reportc.launch", "shortcuts", f"{here}\\."] in calls
    names = [winpath(tmp_path / "in" / "x&md;PWNED&.xlsx"), winpath(tmp_path / "in" / "b c.xlsx")]
    code, output, calls = bundle.run("生成年报.bat", drop=names, cwd=scratch)
    assert code == 0 and calls == [["-m", "reportc.launch", "build"]], output
    assert launch.dropped_names(bundle.parent_lines()[0]) == names
    assert_nothing_ran(scratch, tmp_path)


def test_bundle_in_a_folder_with_percent_runs_nothing_from_it(wine, tmp_path):
    """cmd expands %NAME% in the line that starts a batch file (Wine's cmd even drops a lone %), so a
    launcher in such a folder may not start at all; nothing else runs, and the installer's Python step
    refuses the folder with a message (tests/test_launch.py::test_install_folder_with_percent_is_refused)."""
    bundle = Bundle(wine, tmp_path / "100% %OS% &md;PWNED&" / "bundle")
    scratch = tmp_path / "cwd"
    scratch.mkdir()
    code, output, calls = bundle.run("安装.bat", drop=[winpath(tmp_path / "x&md;PWNED2&.xlsx")], cwd=scratch)
    assert not any("shortcuts" in c for c in calls)  # never reported as installed there
    assert_nothing_ran(scratch, tmp_path)


@pytest.fixture
def share(wine, tmp_path):
    """The bundle on a share (here a folder with a space and Chinese in its name), and where it deploys to."""
    bundle = Bundle(wine, tmp_path / "信息中心 共享" / "reportc-bundle")
    target, log = tmp_path / "Program Files" / "reportc", tmp_path / "ProgramData" / "reportc" / "deploy.log"
    env = {"REPORTC_DEPLOY_TARGET": winpath(target), "REPORTC_DEPLOY_LOG": winpath(log)}
    return bundle, target, log, env


def test_deploy_installs_for_all_users_without_a_question_and_logs(share, tmp_path):
    bundle, target, log, env = share
    (bundle.folder / "wheels" / "reportc-0.0.0-py3-none-any.whl").write_bytes(b"")
    code, output, calls = bundle.run("部署.cmd", drop=[], stdin=b"", cwd=tmp_path, **env)
    if code != 0:
        # Seen once in CI (exit 13, installing reportc; not reproduced in 20 local runs, idle and loaded), in
        # the session's first deploy: most likely Wine failing to start the python.exe the stand-in had just
        # copied. One more run, whose output is kept: a fault of the script fails both runs (the second run
        # goes through the same steps, reusing the venv), a fault of the emulator only the first.
        print("deploy failed once; run again:", code, output, calls)
        first = calls
        code, output, calls = bundle.run("部署.cmd", drop=[], stdin=b"", cwd=tmp_path, **env)
        calls = first + calls
    assert code == 0, (output, calls, log.read_text(encoding="utf-8", errors="replace") if log.exists() else None)
    assert PAUSED not in output
    assert (target / "生成年报.bat").is_file() and (target / "wheels" / "reportc-0.0.0-py3-none-any.whl").is_file()
    here = winpath(target)
    assert ["-3.13", "-m", "venv", f"{here}\\venv"] in calls
    assert ["-m", "pip", "install", "--no-index", "--find-links", f"{here}\\wheels", "--upgrade", "reportc"] in calls
    assert ["-m", "reportc.launch", "shortcuts", here, "--all-users"] in calls
    text = log.read_text(encoding="utf-8", errors="replace")  # (Wine's cmd garbles the batch file's Chinese)
    assert "reportc deploy start" in text and "reportc deploy exit 0" in text
    assert "Python 3.12.0" in text and "reportc 0.2.0" in text
    again, output, calls = bundle.run("部署.cmd", drop=[], stdin=b"", cwd=tmp_path, **env)  # a second run: same result
    assert again == 0 and not any("venv" in c for c in calls)
    assert log.read_text(encoding="utf-8", errors="replace").count("reportc deploy exit 0") == 2  # appended to


@pytest.mark.parametrize("case, expected, words", [
    ("no python", 10, "no supported Python"),
    ("not extracted", 15, "not an unpacked bundle"),
    ("target is a file", 11, "cannot copy to the target"),
    ("shortcuts fail", 14, "shortcuts failed"),
])
def test_deploy_exit_code_says_what_failed(share, tmp_path, case, expected, words):
    bundle, target, log, env = share
    extra = dict(env)
    if case == "not extracted":
        shutil.rmtree(bundle.folder / "wheels")
    if case == "target is a file":
        target.parent.mkdir(parents=True)
        target.write_text("x")
    if case == "shortcuts fail":
        extra["FAKEPY_EXIT"] = "1"
    code, output, calls = bundle.run("部署.cmd", drop=[], stdin=b"", cwd=tmp_path, python=None if case == "no python" else "py",
                                     **extra)
    assert code == expected, output
    assert PAUSED not in output
    text = log.read_text(encoding="utf-8", errors="replace")
    assert words in text and f"reportc deploy exit {expected}" in text


def test_install_and_deploy_refuse_an_unsupported_python(bundle, share, tmp_path):
    """A python on PATH that fails the version check (not 64-bit 3.10-3.13): shown, refused, nothing made."""
    code, output, calls = bundle.run("安装.bat", python="python", FAKEPY_C_EXIT="1")
    assert code == 1 and PAUSED in output and "python.org" in output
    assert "Python 3.12.0" in output  # the version found is named
    assert not any("venv" in c for c in calls) and not (bundle.folder / "venv").exists()
    deploy, target, log, env = share
    code, output, calls = deploy.run("部署.cmd", drop=[], stdin=b"", cwd=tmp_path, python="python", FAKEPY_C_EXIT="1",
                                     **env)
    assert code == 10 and not target.exists()
    assert "no supported Python" in log.read_text(encoding="utf-8", errors="replace")
