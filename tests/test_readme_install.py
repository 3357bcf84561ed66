"""The README's two set-up commands, as written, on a fresh copy of the project with the machine's python3."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT

import reportc


def setup_commands() -> list[str]:
    """The commands of the first ```bash block under the README's set-up heading."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("\n## 快速开始", 1)[1]
    block = re.search(r"```bash\n(.*?)```", section, re.S).group(1)
    return [line for line in block.splitlines() if line.strip() and not line.lstrip().startswith("#")]


def test_readme_setup_is_two_commands_and_ci_runs_the_second():
    first, second = setup_commands()
    assert first.startswith("python3 -m venv .venv && ")
    assert "reportc build examples/qingshan-minzheng-2025.xlsx" in first
    assert " python " not in f" {first} " and "pip install" in first
    assert second == "bash .ci/run"
    ci = [line.strip() for line in (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()]
    commands = [line for line in ci if line and not line.startswith("#")]
    assert commands[-1] == "python -m pytest", "the README names python -m pytest as the test command .ci/run ends with"
    assert "python3 -m venv .venv" in commands


def readme_commands_after_setup() -> tuple[str, list[str]]:
    """The README's bundle command and its xigong commands, as written."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    bundle = re.search(r"`(\.venv/bin/python3 tools/make_offline_bundle\.py)`", readme).group(1)
    section = readme.split("## 真实样例", 1)[1]
    block = re.search(r"```bash\n(.*?)```", section, re.S).group(1)
    xigong = [line.split("#")[0].strip() for line in block.splitlines() if line.strip()]
    return bundle, xigong


def test_readme_commands_work_without_activating_the_venv():
    """Shown before `. .venv/bin/activate` would be run: each names the virtual environment's programs."""
    bundle, xigong = readme_commands_after_setup()
    assert bundle.startswith(".venv/bin/python3 ")
    assert xigong == [".venv/bin/python3 examples/make_xigong.py",
                      ".venv/bin/reportc build examples/xigong-minzheng-2020.xlsx"]


def system_python() -> Path | None:
    """The machine's own python3, never the virtual environment running these tests."""
    if os.environ.get("REPORTC_SYSTEM_PYTHON"):
        return Path(os.environ["REPORTC_SYSTEM_PYTHON"])
    if Path("/usr/bin/python3").is_file():
        return Path("/usr/bin/python3")
    venv_bin = str(Path(sys.prefix) / "bin")
    path = os.pathsep.join(p for p in os.environ.get("PATH", "").split(os.pathsep) if p and p != venv_bin)
    found = shutil.which("python3", path=path)
    return Path(found) if found else None


def fresh_copy(dest: Path) -> Path:
    """The project's files as a fresh clone would have them: tracked and new, not ignored."""
    listed = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
                            cwd=ROOT, capture_output=True, check=True).stdout.decode("utf-8").split("\0")
    for rel in filter(None, listed):
        source = ROOT / rel
        if source.is_file():
            (dest / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, dest / rel)
    return dest


@pytest.mark.network
def test_readme_first_command_works_on_a_fresh_copy(pypi, tmp_path):
    if shutil.which("git") is None or not (ROOT / ".git").exists():
        pytest.skip("需要 git 检出的项目（用 git ls-files 复制项目文件）")
    python = system_python()
    if python is None:
        pytest.skip("这台机器上没有 python3")
    if str(python.resolve()).startswith(str(Path(sys.prefix).resolve())):
        pytest.fail(f"{python} 是测试所用的虚拟环境，不是系统的 python3")
    project = fresh_copy(tmp_path / "reportc 副本")
    first = setup_commands()[0]
    env = {k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "PYTHONPATH", "PYTHONHOME")}
    venv_bin = str(Path(sys.prefix) / "bin")
    env["PATH"] = os.pathsep.join([str(python.parent), *(p for p in env["PATH"].split(os.pathsep) if p != venv_bin)])
    result = subprocess.run(["bash", "-c", first], cwd=project, env=env, capture_output=True, text=True,
                            encoding="utf-8", errors="replace", timeout=900)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    out = project / "outputs" / "青山县民政局-2025"
    assert {p.name for p in out.iterdir()} >= {"report.html", "report.docx", "report.md", "validation.html",
                                               "validation.json"}
    assert "已生成年报" in result.stdout
    version = subprocess.run([str(project / ".venv" / "bin" / "reportc"), "--version"], capture_output=True,
                             text=True, encoding="utf-8")
    assert version.stdout.strip() == f"reportc {reportc.__version__}"
    venv_cfg = (project / ".venv" / "pyvenv.cfg").read_text(encoding="utf-8")
    assert str(python.parent) in venv_cfg  # made by the machine's python3

    # The README's next commands, as written, in the environment command 1 made (no test extras):
    # the Windows bundle, and the real sample regenerated byte for byte.
    bundle, xigong = readme_commands_after_setup()
    assert subprocess.run([str(project / ".venv" / "bin" / "python3"), "-c", "import packaging"],
                          capture_output=True).returncode != 0, "command 1 should not bring packaging"
    made = subprocess.run(["bash", "-c", bundle], cwd=project, env=env, capture_output=True, text=True,
                          encoding="utf-8", errors="replace", timeout=1800)
    assert made.returncode == 0, made.stdout[-3000:] + made.stderr[-3000:]
    (zip_path,) = (project / "dist").glob("reportc-*-离线安装包-Windows.zip")
    assert "已生成" in made.stdout and zip_path.stat().st_size > 1_000_000
    committed = (project / "examples" / "xigong-minzheng-2020.xlsx").read_bytes()
    for command in xigong:
        result = subprocess.run(["bash", "-c", command], cwd=project, env=env, capture_output=True, text=True,
                                encoding="utf-8", errors="replace", timeout=600)
        assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    assert (project / "examples" / "xigong-minzheng-2020.xlsx").read_bytes() == committed
    assert (project / "outputs" / "西工区民政局-2020" / "report.html").is_file()


def test_install_guide_exists_and_is_linked():
    guide = (ROOT / "docs" / "安装.md").read_text(encoding="utf-8")
    for must in ("Add python.exe to PATH", "py --version", "安装.bat", "生成年报", "检查工作簿", "新建工作簿",
                 "--no-index", "启用编辑", "受保护的视图", "锁定", "pipx", "python3 -m venv", "make_offline_bundle.py",
                 "reportc --version"):
        assert must in guide, must
    assert "](docs/安装.md)" in (ROOT / "README.md").read_text(encoding="utf-8")
    assert "](安装.md)" in (ROOT / "docs" / "使用说明.md").read_text(encoding="utf-8")
