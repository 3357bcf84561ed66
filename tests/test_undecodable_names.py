"""On Linux a file name may hold bytes that are not UTF-8 (Python keeps them as lone surrogates).
No document can hold such a name: every command that reads a file refuses it with a Chinese message
(rename it) instead of failing inside; batch and audit list it as unreadable and go on."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "qingshan-minzheng-2025.xlsx"

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="only Linux file names hold such bytes")


def _copy(source: Path, folder: Path, name: bytes) -> Path:
    """A copy of source named by raw bytes."""
    target = os.path.join(os.fsencode(folder), name)
    with open(target, "wb") as fh:
        fh.write(source.read_bytes())
    return Path(os.fsdecode(target))


def _reportc(*args, cwd: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    env.pop("REPORTC_DEBUG", None)
    return subprocess.run([sys.executable, "-m", "reportc", *map(str, args)], cwd=cwd, env=env, capture_output=True,
                          text=True, encoding="utf-8", errors="replace", timeout=120)


REFUSAL = "中有无法识别的字符（不是 UTF-8 编码的文字）"


@pytest.fixture
def published(tmp_path) -> Path:
    built = _reportc("build", EXAMPLE, "-o", tmp_path / "built", "--format", "html", cwd=tmp_path)
    assert built.returncode == 0, built.stderr
    return tmp_path / "built" / "report.html"


def test_check_build_import_and_previous_refuse_the_name(tmp_path, published):
    workbook = _copy(EXAMPLE, tmp_path, b"\xc7\xe0\xc9\xbd-2025.xlsx")  # 青山 in GBK: a name copied from an old disk
    page = _copy(published, tmp_path, b"report-\xff.html")
    good = _copy(EXAMPLE, tmp_path, b"good.xlsx")
    for args in (["check", workbook], ["build", workbook, "-o", tmp_path / "out"], ["import", page, "-o", tmp_path / "i.xlsx"],
                 ["check", good, "--previous", workbook], ["build", good, "-o", tmp_path / "out2", "--previous", page]):
        result = _reportc(*args, cwd=tmp_path)
        assert result.returncode == 2, (args, result.stderr)
        assert REFUSAL in result.stderr and "改名" in result.stderr and "内部错误" not in result.stderr, result.stderr
    assert not (tmp_path / "out").exists() and not (tmp_path / "i.xlsx").exists()


def test_batch_and_audit_list_the_file_as_unreadable_and_go_on(tmp_path, published):
    (tmp_path / "in").mkdir()
    _copy(EXAMPLE, tmp_path / "in", b"\xff\xfe.xlsx")
    _copy(EXAMPLE, tmp_path / "in", b"good.xlsx")
    batch = _reportc("batch", "in", "-o", "out", "--jobs", "1", cwd=tmp_path)
    assert batch.returncode == 1 and "内部错误" not in batch.stdout + batch.stderr, batch.stdout + batch.stderr
    assert "[无法读取] ��.xlsx：文件名“��.xlsx”" + REFUSAL in batch.stdout
    assert "��.xlsx" in (tmp_path / "out" / "index.html").read_text(encoding="utf-8")
    assert (tmp_path / "out" / "good" / "report.html").is_file()

    (tmp_path / "pages").mkdir()
    _copy(published, tmp_path / "pages", b"r\xfe.html")
    _copy(published, tmp_path / "pages", b"ok.html")
    audit = _reportc("audit", "pages", "-o", "audited", cwd=tmp_path)
    assert "内部错误" not in audit.stdout + audit.stderr, audit.stdout + audit.stderr
    assert "[无法读取] r�.html：文件名“r�.html”" + REFUSAL in audit.stdout
    assert "r�.html" in (tmp_path / "audited" / "index.html").read_text(encoding="utf-8")
