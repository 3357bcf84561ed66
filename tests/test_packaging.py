"""The wheel builds with the setuptools version pyproject.toml asks for, with every warning an error: the
license is an SPDX expression (PEP 639), not the table form setuptools stops accepting on 2027-02-18."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from conftest import ROOT
from test_readme_install import fresh_copy

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib


def floor() -> str:
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    (requirement,) = [r for r in pyproject["build-system"]["requires"] if r.startswith("setuptools")]
    return re.fullmatch(r"setuptools>=(\d+)", requirement.replace(" ", "")).group(1)


def test_license_is_an_spdx_expression_with_its_file():
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert pyproject["project"]["license"] == "MIT"
    assert pyproject["project"]["license-files"] == ["LICENSE"]
    assert "MIT License" in (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert int(floor()) >= 77  # the first setuptools that reads license = "MIT" (PEP 639)


@pytest.fixture(scope="module")
def old_setuptools(pypi, tmp_path_factory):
    """A virtual environment with the oldest setuptools pyproject.toml allows."""
    venv = tmp_path_factory.mktemp("setuptools-floor") / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=300)
    python = venv / ("Scripts/python.exe" if sys.platform == "win32" else "bin/python")
    subprocess.run([str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
                    f"setuptools=={floor()}.*", "wheel"], check=True, timeout=600)
    return python


def build(python: Path, project: Path, dest: Path) -> subprocess.CompletedProcess:
    """setuptools' PEP 517 backend, called directly, every warning (SetuptoolsDeprecationWarning too) an error."""
    code = f"from setuptools import build_meta; print(build_meta.build_wheel({str(dest)!r}))"
    return subprocess.run([str(python), "-W", "error", "-c", code], cwd=project, capture_output=True, text=True,
                          encoding="utf-8", errors="replace", timeout=600)


@pytest.mark.network
def test_wheel_builds_with_the_setuptools_floor_and_warnings_as_errors(old_setuptools, tmp_path):
    if shutil.which("git") is None or not (ROOT / ".git").exists():
        pytest.skip("需要 git 检出的项目")
    project = fresh_copy(tmp_path / "project")
    result = build(old_setuptools, project, tmp_path / "dist")
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    wheel = tmp_path / "dist" / result.stdout.strip().splitlines()[-1]
    with zipfile.ZipFile(wheel) as zf:
        meta = next(n for n in zf.namelist() if n.endswith(".dist-info/METADATA"))
        text = zf.read(meta).decode("utf-8")
        assert "License-Expression: MIT" in text and "License-File: LICENSE" in text
        assert any(n.endswith("licenses/LICENSE") for n in zf.namelist())
    # The same build with the old table form fails: the test can tell the two apart.
    pyproject = project / "pyproject.toml"
    pyproject.write_text(pyproject.read_text(encoding="utf-8").replace('license = "MIT"', 'license = { text = "MIT" }')
                         .replace('license-files = ["LICENSE"]\n', ""), encoding="utf-8")
    old = build(old_setuptools, project, tmp_path / "dist-old")
    assert old.returncode != 0 and "`project.license` as a TOML table is deprecated" in old.stderr, old.stderr[-2000:]
