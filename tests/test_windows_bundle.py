"""The Windows offline bundle: its launchers (checked without Windows), the Python they run, the bundle itself.

The bundle tests download wheels from PyPI (marked `network`; they skip with a reason when PyPI cannot
be reached, or when REPORTC_OFFLINE=1).
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import sys
import urllib.parse
import zipfile
from pathlib import Path

import pytest

from conftest import ROOT, assert_no_traceback, run_cli

sys.path.insert(0, str(ROOT / "tools"))
import batlint  # noqa: E402
import make_offline_bundle as mob  # noqa: E402

import reportc  # noqa: E402
from reportc import launch  # noqa: E402

WINDOWS = ROOT / "tools" / "windows"
EXAMPLE = ROOT / "examples" / "qingshan-minzheng-2025.xlsx"


# --- version ----------------------------------------------------------------------------------------

def test_version_is_written_in_one_place():
    try:
        import tomllib
    except ImportError:  # Python 3.10
        import tomli as tomllib
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert "version" not in pyproject["project"], "pyproject.toml must not repeat the version"
    assert "version" in pyproject["project"]["dynamic"]
    assert pyproject["tool"]["setuptools"]["dynamic"]["version"] == {"attr": "reportc.__version__"}
    assert re.fullmatch(r"\d+\.\d+\.\d+", reportc.__version__)
    from importlib.metadata import version

    assert version("reportc") == reportc.__version__, "installed metadata differs: reinstall (pip install -e .)"


def test_version_option_prints_the_release():
    result = run_cli("--version")
    assert result.returncode == 0
    assert result.stdout.strip() == f"reportc {reportc.__version__}"


# --- batch files (no Windows needed) -----------------------------------------------------------------

def test_batch_sources_pass_the_lint():
    assert set(mob.SCRIPTS) == {p.name for p in WINDOWS.iterdir() if p.suffix in (".bat", ".cmd")}
    for name in mob.SCRIPTS:
        data = (WINDOWS / name).read_bytes()
        assert batlint.lint(name, data) == [], name
        assert b"\r\n" in data and b"\n" not in data.replace(b"\r\n", b""), f"{name}: not CRLF"


def test_git_keeps_crlf_for_batch_files():
    if not (ROOT / ".git").exists() or shutil.which("git") is None:
        pytest.skip("不是 git 检出")
    result = subprocess.run(["git", "check-attr", "eol", "--", *[f"tools/windows/{n}" for n in mob.SCRIPTS]],
                            cwd=ROOT, capture_output=True, text=True, encoding="utf-8")
    assert result.returncode == 0
    lines = result.stdout.strip().splitlines()
    assert len(lines) == len(mob.SCRIPTS) and all(line.endswith("eol: crlf") for line in lines), result.stdout


GOOD = (WINDOWS / "生成年报.bat").read_bytes()


@pytest.mark.parametrize("bad, expected", [
    (GOOD.replace(b"\r\n", b"\n"), "CRLF"),
    (b"\xef\xbb\xbf" + GOOD, "BOM"),
    (GOOD.replace(b'"%PY%" -m reportc.launch build', b"%PY% -m reportc.launch build"), "%PY% 没有放在双引号中"),
    (GOOD.replace(b'"%PY%" -m reportc.launch build', b'"%~dp0" -m reportc.launch build'), "反斜杠"),
    (GOOD.replace(b'set "CODE=%ERRORLEVEL%"', b"set CODE=%ERRORLEVEL%"), "set"),
    (GOOD.replace(b"goto :not_installed", b"goto :not_instaled"), "跳转目标"),
    (GOOD.replace(b"pause\r\nexit %CODE%", b"if 1==1 (\r\n  echo x (y)\r\n  echo ) \r\n)\r\npause\r\nexit %CODE%"), "括号"),
    (GOOD.replace("echo 尚未安装".encode(), "echo 尚未安装 & 退出".encode()), "& | < >"),
    (GOOD.replace(b"pause\r\nexit 2\r\n", b"exit 2\r\n"), "pause"),
    (GOOD.replace(b"chcp 65001 >nul\r\n", b""), "chcp 65001"),
    (GOOD.replace(b'set "PYTHONUTF8=1"\r\n', b""), "PYTHONUTF8"),
    (GOOD.replace(b'launch build\r\n', 'launch build "%~dp0我的工作簿"\r\n'.encode()), "中文只能出现在"),
    # Each construct that let cmd parse a dropped file name (issue: a name dropped never runs as a command).
    (GOOD.replace(b"launch build\r\n", b'launch build "%~1"\r\n'), "不要用 %~1"),
    (GOOD.replace(b"launch build\r\n", b'launch build "%1"\r\n'), "不要用 %1"),
    (GOOD.replace(b"launch build\r\n", b"launch build %*\r\n"), "不要用 %*"),
    (GOOD.replace(b"launch build\r\n", b'launch build "%~f2"\r\n'), "不要用 %~f2"),
    (GOOD.replace(b"pause\r\nexit %CODE%", b"shift\r\npause\r\nexit %CODE%"), "shift"),
    (GOOD.replace(b'"%PY%" -m reportc.launch build', b'call "%PY%" -m reportc.launch build'), "call"),
    (GOOD.replace(b"exit %CODE%", b"exit /b %CODE%"), "exit /b"),
    (GOOD.replace(b"exit %CODE%", b"goto :eof"), "goto :eof"),
    (GOOD.replace(b"pause\r\nexit 2\r\n", b"pause\r\n"), "最后一条命令应为 exit"),
    (GOOD.replace(b'set "CODE=%ERRORLEVEL%"', b'set "LINE=%cmdcmdline%"'), "%cmdcmdline%"),
    (GOOD.replace(b"@echo off\r\nchcp 65001 >nul\r\nsetlocal\r\n",
                  b"@echo off\r\nchcp 65001 >nul\r\nsetlocal EnableDelayedExpansion\r\n"), "延迟扩展"),
])
def test_batch_lint_finds_each_mistake(bad, expected):
    assert bad != GOOD, "the mutation did not apply"
    problems = batlint.lint("x.bat", bad)
    assert any(expected in p for p in problems), problems


DEPLOY = (WINDOWS / "部署.cmd").read_bytes()


@pytest.mark.parametrize("bad", [
    DEPLOY.replace(b"exit 0\r\n", b"pause\r\nexit 0\r\n"),
    DEPLOY.replace(b'set "STEP=10"', b'set /p "STEP=10"'),
    DEPLOY.replace(b'set "STEP=10"', b"choice /m x"),
])
def test_batch_lint_keeps_the_deployment_unattended(bad):
    assert bad != DEPLOY
    assert batlint.lint("部署.cmd", DEPLOY) == []
    assert any("无人值守" in p for p in batlint.lint("部署.cmd", bad))


def test_the_guides_are_rendered_with_working_links():
    pages = mob.render_guides("9.9.9")
    assert set(pages) == {f"说明/{name}.html" for name in mob.GUIDES}
    install = pages["说明/安装.html"].decode("utf-8")
    assert install.startswith("<!DOCTYPE html>") and "<title>安装说明" in install and "9.9.9" in install
    assert "InstallAllUsers=1 PrependPath=1" in install and "部署.cmd" in install and "<table>" in install
    assert "在一台能上网的电脑上生成一次" in install  # a line break inside Chinese text is no space
    for name, data in pages.items():
        text = data.decode("utf-8")
        assert b"\n" not in data.replace(b"\r\n", b"")
        for href in re.findall(r'href="([^"]+)"', text):
            if not href.startswith(("http://", "https://")):
                target = urllib.parse.unquote(href.split("#")[0])
                assert f"说明/{target}" in pages, (name, href)  # a page of the bundle
        assert "<script" not in text


def test_the_bundle_readme_names_only_what_the_bundle_holds():
    text = (WINDOWS / "使用说明.txt").read_text(encoding="utf-8")
    assert "docs/" not in text and "安装.html" in text and "使用说明.html" in text and "部署.cmd" in text
    assert "/quiet" not in text


def test_launchers_call_commands_that_exist():
    used = set()
    for name in mob.LAUNCHERS:
        text = (WINDOWS / name).read_text(encoding="utf-8")
        used |= set(re.findall(r'-m reportc\.launch (\w+)', text))
        if name != "安装.bat":
            assert '"%PY%" -m reportc.launch' in text and "py -" not in text, name
    assert used == set(launch.COMMANDS)
    install = (WINDOWS / "安装.bat").read_text(encoding="utf-8")
    assert '--no-index --find-links "%~dp0wheels"' in install
    for version in mob.TARGET_PYTHONS:  # the launcher tries every Python the bundle has wheels for
        assert version in install


# --- what the launchers run ---------------------------------------------------------------------------

def launch_cli(*args, stdin=""):
    env = {**os.environ, "PYTHONIOENCODING": "utf-8", "REPORTC_NO_OPEN": "1"}
    return subprocess.run([sys.executable, "-m", "reportc.launch", *map(str, args)], input=stdin,
                          capture_output=True, text=True, encoding="utf-8", env=env, timeout=120)


def test_build_launcher_writes_beside_a_workbook_with_spaces_and_chinese(tmp_path):
    folder = tmp_path / "县 信息中心 (2025)"
    folder.mkdir()
    workbook = folder / "青山县 民政局 年报.xlsx"
    shutil.copy(EXAMPLE, workbook)
    result = launch_cli("build", workbook)
    assert_no_traceback(result)
    assert result.returncode == 0, result.stderr
    out = folder / "青山县 民政局 年报-年报"
    assert {p.name for p in out.iterdir()} >= {"report.html", "report.docx", "report.md", "validation.html"}
    assert str(out) in result.stdout


def test_new_launcher_asks_for_org_and_year_then_build_reports_errors(tmp_path):
    base = tmp_path / "年报 工具"
    folder = base / "我的工作簿"
    result = launch_cli("new", base, stdin="\n某县 民政局\n25\n2024年\n")
    assert_no_traceback(result)
    assert result.returncode == 0, result.stderr
    assert "机关名称不能为空" in result.stdout and "“25”不是四位数字的年度" in result.stdout
    (workbook,) = folder.glob("*.xlsx")  # named by `reportc new` after 机关名称 and 年度
    assert "2024" in workbook.name and "民政局" in workbook.name and str(workbook.name) in result.stdout
    check = launch_cli("check", workbook)
    assert check.returncode == 1 and "某县 民政局，2024年度" in check.stdout
    build = launch_cli("build", workbook)  # a blank workbook has errors: only the validation report
    assert build.returncode == 1
    report = launch.output_dir(workbook) / "validation.html"
    assert report.is_file() and not report.with_name("report.docx").exists()
    assert "未生成年报" in build.stdout and str(report) in build.stdout
    again = launch_cli("new", base, stdin="某县 民政局\n2024\n")  # never overwrites a workbook
    assert again.returncode != 0 and workbook.stat().st_size > 0
    assert_no_traceback(again)


def test_new_launcher_cancelled(tmp_path):
    result = launch_cli("new", tmp_path / "x", stdin="")
    assert result.returncode == 2 and "已取消" in result.stderr
    assert_no_traceback(result)


def test_launcher_usage_and_missing_file(tmp_path):
    assert launch_cli("bogus", "x").returncode == 2
    assert launch_cli("new").returncode == 2 and launch_cli("shortcuts", "x", "--bogus").returncode == 2
    for command in ("check", "build"):
        result = launch_cli(command, tmp_path / "报告,2025")  # what a comma in a dropped name leaves
        assert result.returncode == 2 and "找不到文件“" in result.stderr and "报告,2025”" in result.stderr
        assert_no_traceback(result)
    assert not list(tmp_path.iterdir())


def test_shortcut_script_uses_the_desktop_folder_and_the_launchers():
    script = launch.shortcut_script()
    assert "GetFolderPath($env:REPORTC_DESKTOP)" in script and "$ErrorActionPreference = 'Stop'" in script
    source = (ROOT / "compiler" / "launch.py").read_text(encoding="utf-8")
    assert '"CommonDesktopDirectory" if all_users else "Desktop"' in source  # the Public desktop for 部署.cmd
    assert script.isascii()  # every Chinese name arrives in an environment variable, as UTF-16
    for name in launch.LAUNCHERS:
        assert (WINDOWS / f"{name}.bat").is_file()
    if sys.platform != "win32":
        result = launch_cli("shortcuts", WINDOWS)
        assert result.returncode == 1 and "Windows" in result.stderr


# --- the bundle (downloads from PyPI) -----------------------------------------------------------------

# --- choosing wheels for a target (no network: wheels described, not downloaded) --------------------

def _wheel(filename: str, *requires: str, python: str = "") -> mob.Wheel:
    name, ver, _build, tags = mob.parse_wheel_filename(filename)
    return mob.Wheel(Path(filename), mob.canonicalize_name(name), ver, frozenset(tags),
                     [mob.Requirement(r) for r in requires], mob.SpecifierSet(python))


PDFPLUMBER_NEW = _wheel("pdfplumber-0.11.11-py3-none-any.whl", "Pillow>=13.0.0")
PDFPLUMBER_OLD = _wheel("pdfplumber-0.11.10-py3-none-any.whl", "Pillow>=9.1")
PILLOW_13 = _wheel("pillow-13.0.0-cp311-cp311-win_amd64.whl", python=">=3.11")
PILLOW_12 = _wheel("pillow-12.1.0-cp310-cp310-win_amd64.whl", python=">=3.10")
REPORTC = _wheel("reportc-1.0-py3-none-any.whl", "pdfplumber>=0.11")


def test_resolve_goes_back_to_an_older_wheel_as_pip_does():
    """The bundle's one folder holds every target's wheels: the newest pure-Python pdfplumber (downloaded
    for 3.11+) asks for a Pillow that has no wheel for 3.10; pip on the PC takes the older pdfplumber."""
    wheels = [REPORTC, PDFPLUMBER_NEW, PDFPLUMBER_OLD, PILLOW_13, PILLOW_12]
    old = mob.resolve(wheels, ["reportc"], "3.10")
    assert old.missing == []
    assert (str(old.chosen["pdfplumber"].version), str(old.chosen["pillow"].version)) == ("0.11.10", "12.1.0")
    new = mob.resolve(wheels, ["reportc"], "3.11")
    assert (str(new.chosen["pdfplumber"].version), str(new.chosen["pillow"].version)) == ("0.11.11", "13.0.0")


def test_resolve_reports_who_asked_when_nothing_fits_and_ends_on_cycles():
    missing = mob.resolve([REPORTC, PDFPLUMBER_NEW, PILLOW_13], ["reportc"], "3.10").missing
    assert missing == ["Pillow>=13.0.0 (需要者 pdfplumber 0.11.11)"]
    a = _wheel("a-1.0-py3-none-any.whl", "b")
    b = _wheel("b-1.0-py3-none-any.whl", "a", "c[x]")
    c = _wheel("c-1.0-py3-none-any.whl", 'd; extra == "x"')
    cycle = mob.resolve([a, b, c], ["a"], "3.12")
    assert sorted(cycle.chosen) == ["a", "b", "c"] and cycle.missing == ["d; extra == \"x\" (需要者 c 1.0)"]
    d = _wheel("d-1.0-py3-none-any.whl", "a")
    assert mob.resolve([a, b, c, d], ["a"], "3.12").missing == []


@pytest.fixture(scope="session")
def bundle(pypi, tmp_path_factory):
    return mob.make_bundle(tmp_path_factory.mktemp("bundle"))


@pytest.fixture(scope="session")
def unpacked(bundle, tmp_path_factory):
    dest = tmp_path_factory.mktemp("unpacked")
    with zipfile.ZipFile(bundle) as zf:
        zf.extractall(dest)
    return dest / mob.bundle_name()


@pytest.mark.network
def test_bundle_is_a_chinese_named_zip_with_launchers_and_wheels(bundle, unpacked):
    assert bundle.name == f"reportc-{reportc.__version__}-离线安装包-Windows.zip"
    with zipfile.ZipFile(bundle) as zf:
        for info in zf.infolist():
            assert info.filename.startswith(mob.bundle_name() + "/")
            if not info.filename.isascii():
                assert info.flag_bits & 0x800, f"{info.filename}: name not flagged UTF-8"
    names = {p.name for p in unpacked.iterdir()}
    assert names >= {*mob.SCRIPTS, "使用说明.txt", "wheels", "示例", "校验值-SHA256.txt", "说明"}
    assert {p.name for p in (unpacked / "说明").iterdir()} >= {"使用说明.html", "安装.html"}
    assert (unpacked / "wheels" / f"reportc-{reportc.__version__}-py3-none-any.whl").is_file()
    for name in mob.SCRIPTS:
        data = (unpacked / name).read_bytes()
        assert batlint.lint(name, data) == []
        assert data.count(b"\n") == data.count(b"\r\n") > 10
    readme = (unpacked / "使用说明.txt").read_bytes()
    assert readme.startswith(b"\xef\xbb\xbf") and b"\n" not in readme.replace(b"\r\n", b"")
    assert "Add python.exe to PATH" in readme.decode("utf-8-sig")
    for line in (unpacked / "校验值-SHA256.txt").read_text(encoding="utf-8").splitlines():
        digest, rel = line.split("  ", 1)
        assert hashlib.sha256((unpacked / rel).read_bytes()).hexdigest() == digest, rel


@pytest.mark.network
@pytest.mark.parametrize("py", mob.TARGET_PYTHONS)
def test_bundle_meets_every_requirement_for_windows(unpacked, py):
    """Our own reading of every wheel's METADATA, with markers evaluated for Windows and this Python."""
    wheels = [mob.read_wheel(p) for p in (unpacked / "wheels").glob("*.whl")]
    res = mob.resolve(wheels, ["reportc"], py)
    assert res.missing == []
    assert "colorama" in res.chosen  # click: colorama; platform_system == "Windows"
    assert ("tomli" in res.chosen) == (py == "3.10")  # reportc: tomli; python_version < "3.11"
    cp = f"cp{py.replace('.', '')}"
    assert f"-{cp}-{cp}-win_amd64.whl" in res.chosen["lxml"].path.name
    click = next(w for w in wheels if w.name == "click")
    assert any(r.name == "colorama" and "Windows" in str(r.marker) for r in click.requires)


@pytest.mark.network
def test_resolve_reports_what_a_windows_target_lacks(unpacked):
    wheels = [mob.read_wheel(p) for p in (unpacked / "wheels").glob("*.whl")]
    without = [w for w in wheels if w.name not in ("colorama", "tomli")]
    for py in mob.TARGET_PYTHONS:
        missing = mob.resolve(without, ["reportc"], py).missing
        assert any(m.startswith("colorama") for m in missing)
        assert any(m.startswith("tomli") for m in missing) == (py == "3.10")
    only_cp313_lxml = [w for w in wheels if w.name != "lxml" or "cp313" in w.path.name]
    assert any(m.startswith("lxml") for m in mob.resolve(only_cp313_lxml, ["reportc"], "3.12").missing)
    assert mob.resolve(only_cp313_lxml, ["reportc"], "3.13").missing == []


@pytest.mark.network
@pytest.mark.parametrize("py", mob.TARGET_PYTHONS)
def test_pip_installs_from_the_bundle_without_index(unpacked, py, tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "pip", "install", "--dry-run", "--no-index", "--find-links", str(unpacked / "wheels"),
         "--platform", "win_amd64", "--python-version", py, "--implementation", "cp", "--only-binary=:all:",
         "--target", str(tmp_path / "t"), "--disable-pip-version-check", "reportc"],
        capture_output=True, text=True, encoding="utf-8", timeout=300,
        env={**{k: v for k, v in os.environ.items() if not k.startswith("PIP_")}, "PIP_CONFIG_FILE": os.devnull},
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"reportc-{reportc.__version__}" in result.stdout and "lxml" in result.stdout


@pytest.mark.network
def test_bundle_installs_offline_and_runs_the_build_launcher(unpacked, tmp_path):
    """What 安装.bat and 生成年报.bat do, on this machine: a new venv, pip --no-index from wheels\\ (plus this
    platform's build of each binary wheel, e.g. lxml, MarkupSafe), then `python -m reportc.launch build` on the
    bundled example."""
    binary = {(w.name, str(w.version)) for w in map(mob.read_wheel, (unpacked / "wheels").glob("*.whl"))
              if not any(tag.platform == "any" for tag in w.tags)}
    assert ("lxml", next(v for n, v in binary if n == "lxml")) in binary
    native = tmp_path / "native"
    pip_env = {**{k: v for k, v in os.environ.items() if not k.startswith("PIP_")}, "PIP_CONFIG_FILE": os.devnull}
    for requirement in sorted(f"{n}=={v}" for n, v in binary):  # one at a time: the bundle may hold two versions
        subprocess.run([sys.executable, "-m", "pip", "download", "--quiet", "--only-binary=:all:", "--no-deps",
                        "--dest", str(native), requirement], check=True, env=pip_env, timeout=300)  # of one package
    venv = tmp_path / "安装 位置" / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=300)
    python = venv / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
    install = subprocess.run([str(python), "-m", "pip", "install", "--no-index", "--find-links", str(unpacked / "wheels"),
                              "--find-links", str(native), "--disable-pip-version-check", "reportc"],
                             capture_output=True, text=True, encoding="utf-8", env=pip_env, timeout=600)
    assert install.returncode == 0, install.stdout + install.stderr
    workbook = tmp_path / "收回 的工作簿" / mob.EXAMPLE_NAME
    workbook.parent.mkdir()
    shutil.copy(unpacked / "示例" / mob.EXAMPLE_NAME, workbook)
    env = {**os.environ, "PYTHONUTF8": "1", "PYTHONIOENCODING": "utf-8", "REPORTC_NO_OPEN": "1"}
    env.pop("PYTHONPATH", None)
    version = subprocess.run([str(python), "-m", "reportc", "--version"], capture_output=True, text=True,
                             encoding="utf-8", env=env, cwd=tmp_path)
    assert version.stdout.strip() == f"reportc {reportc.__version__}"
    result = subprocess.run([str(python), "-m", "reportc.launch", "build", str(workbook)], capture_output=True,
                            text=True, encoding="utf-8", env=env, cwd=tmp_path, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    out = launch.output_dir(workbook)
    assert {"report.html", "report.docx", "report.md", "validation.html"} <= {p.name for p in out.iterdir()}
