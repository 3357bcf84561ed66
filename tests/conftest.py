import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from reportc.spec import available_editions, load_spec

TESTS = Path(__file__).parent
ROOT = TESTS.parent
sys.path.insert(0, str(TESTS))

# The year each edition's tests use.
EDITION_YEARS = {"2019": 2020, "2021": 2025}


@pytest.fixture(params=available_editions())
def spec(request):
    return load_spec(request.param)


@pytest.fixture
def year(spec):
    return EDITION_YEARS[spec.edition]


def run_cli(*args, cwd=None, env=None):
    """Run reportc as a fresh process; return CompletedProcess with text output."""
    full_env = {**os.environ, "PYTHONIOENCODING": "utf-8", **(env or {})}
    full_env.pop("REPORTC_DEBUG", None)
    return subprocess.run(
        [sys.executable, "-m", "reportc", *map(str, args)],
        cwd=cwd, env=full_env, capture_output=True, text=True, encoding="utf-8", timeout=120,
    )


def assert_no_traceback(result):
    assert "Traceback" not in result.stderr and "Traceback" not in result.stdout, result.stderr


def pypi_reachable() -> str | None:
    """None when PyPI answers, else why not."""
    if os.environ.get("REPORTC_OFFLINE"):
        return "REPORTC_OFFLINE 已设置"
    try:
        socket.create_connection(("pypi.org", 443), timeout=5).close()
    except OSError as exc:
        return f"无法连接 pypi.org（{exc}）"
    return None


@pytest.fixture(scope="session")
def pypi():
    why = pypi_reachable()
    if why:
        pytest.skip(f"需要访问 PyPI 下载 wheel，离线时跳过：{why}")
