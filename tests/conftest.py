import functools
import os
import pickle
import random
import shutil
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


def made_once(tmp_path_factory, name: str, make):
    """make(folder) -> result, made once per test run: by the first pytest-xdist worker that asks, in the
    run's common temporary folder, its result pickled beside the files for the other workers (the
    pattern in pytest-xdist's docs; an flock on Linux). Without xdist, or without fcntl, made here.
    The files are shared: tests only read them."""
    try:
        import fcntl
    except ImportError:
        fcntl = None
    if os.environ.get("PYTEST_XDIST_WORKER") is None or fcntl is None:
        folder = tmp_path_factory.mktemp(name)
        return folder, make(folder)
    root = tmp_path_factory.getbasetemp().parent / f"made-once-{name}"
    root.mkdir(exist_ok=True)
    with open(root / "lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file is closed
        done, folder = root / "result.pickle", root / "files"
        if not done.exists():
            shutil.rmtree(folder, ignore_errors=True)  # a worker that failed half-way
            folder.mkdir()
            done.write_bytes(pickle.dumps(make(folder)))
        return folder, pickle.loads(done.read_bytes())


# ---- filled workbooks: the one factory every test uses ------------------------------------------

# Texts enough for a report without random data (sections 一、五、六; 二 is prefilled by `new`).
BASE_TEXTS = {"s1.intro.1": "全年工作概述。", "s5.intro.1": "无。", "s6.intro.1": "本年度未收取信息处理费。"}


def cell_value(value):
    """A value as openpyxl writes it into a cell (Decimal amounts as floats)."""
    from decimal import Decimal

    return float(value) if isinstance(value, Decimal) else value


@functools.lru_cache(maxsize=None)
def blank_workbook(edition: str, org: str | None, year: int) -> bytes:
    """The bytes `reportc new` writes (byte-identical each time, so made once per test process)."""
    from reportc.writer import build_workbook

    return build_workbook(load_spec(edition), org, year)


def filled_bytes(*, edition: str = "2021", org: str | None = "测试县民政局", year: int | None = None,
                 seed: int | random.Random = 1, numbers: dict | None = None, consistent: bool = True,
                 blank_org: str | None | type(...) = ..., values: dict | None = None,
                 template: bytes | Path | None = None, previous: dict | None = None, **changes) -> bytes:
    """The bytes of a filled workbook (conftest.fill writes them to a file).

    consistent=True (the default): numbers that pass every rule (tests/gen.py, deterministic per
    seed, or `numbers` as given) and the narrative texts of gen.texts for org and year.
    consistent=False: the blank workbook with BASE_TEXTS only (no numbers typed).
    values: the cells to write, exactly these (nothing generated: consistent, numbers and seed unused).
    changes: cell key -> value, the key written "t3.new.natural" or "t3__new__natural".
    blank_org: the 机关名称 `new` put in (default: org).
    previous: last year's reference values, as `new --previous` stores them in the blank workbook.
    template: the workbook to fill (bytes or a file) instead of the blank one `new` writes, its other
    cells kept (blank_org and previous then unused).
    Decimal amounts are written as openpyxl writes them (cell_value)."""
    from gen import consistent_numbers, texts

    from reportc.fill import fill_workbook
    from reportc.writer import build_workbook

    spec = load_spec(edition)
    year = EDITION_YEARS[edition] if year is None else year
    if values is not None:
        values = dict(values)
    elif consistent:
        rng = seed if isinstance(seed, random.Random) else random.Random(seed)
        values = {**(numbers if numbers is not None else consistent_numbers(spec, rng)),
                  **texts(spec, rng, org=org, year=year)}
    else:
        values = dict(BASE_TEXTS)
    values.update({key.replace("__", "."): value for key, value in changes.items()})
    if template is None:
        blank = org if blank_org is ... else blank_org
        template = (blank_workbook(edition, blank, year) if previous is None
                    else build_workbook(spec, blank, year, previous=previous))
    return fill_workbook(spec, template, {key: cell_value(value) for key, value in values.items()})


def fill(path: Path, **options) -> Path:
    """Write a filled workbook at path (its folders made) and return path; options as filled_bytes."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(filled_bytes(**options))
    return path


@pytest.fixture
def filled_workbook(tmp_path):
    """filled_workbook(name="filled.xlsx", **options) -> Path: a filled workbook in tmp_path
    (name may hold folders, or be an absolute path); options as conftest.filled_bytes."""

    def make(name: str | Path = "filled.xlsx", **options) -> Path:
        return fill(tmp_path / name, **options)

    return make


def ctrl_c_as_in_a_terminal() -> None:
    """In the child before it runs: Ctrl-C (SIGINT) with its default meaning, as a terminal starts
    programs. A process may inherit SIGINT ignored from its parent (a test runner's worker can be one),
    and Python then leaves it ignored: the signal would do nothing, and the test would time the run.
    SIGTERM likewise: reportc ends LibreOffice on it only where no one has set it otherwise."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_DFL)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)


# ---- the order tests are handed out in ----------------------------------------------------------

# The modules with the longest tests (CPU measured with -n 0 on the 2-core machine), first. pytest-xdist
# (--dist loadgroup; ModuleGroups below) hands out the grouped modules first, largest first, then single tests in collection
# order, each to the worker that is free: a 35 s test collected last ran alone at the end of the run,
# while the other worker had nothing left to do.
LONGEST_FIRST = ("test_libreoffice.py", "test_batch.py", "test_number_cells.py", "test_gnumeric.py", "test_hostile.py",
                 "test_chain.py", "test_verdict_libreoffice.py", "test_template_errors.py", "test_fragment_styles.py",
                 "test_import_hostile.py", "test_import_roundtrip.py", "test_mutation.py", "test_merge.py")


def pytest_collection_modifyitems(items):
    rank = {name: i for i, name in enumerate(LONGEST_FIRST)}
    items.sort(key=lambda item: rank.get(item.path.name, len(rank)))  # stable: the order within a module stays


# ---- xdist_group, honoured ----------------------------------------------------------------------

# pytest-xdist's loadgroup finds a test's group in a suffix it writes into the test's node id; with pytest
# 9.2's structured node ids that write has no effect, and grouped tests were handed out one by one
# (pytest-xdist issue 1386): each worker made the module fixtures of test_visual, test_print_layout, …
# again. The scheduler below groups them itself: a module that marks itself xdist_group(…) goes to one
# worker whole; every other test is handed out alone, as loadgroup does.
GROUPED_MODULES = frozenset(p.name for p in Path(__file__).parent.glob("test_*.py")
                            if "pytest.mark.xdist_group(" in p.read_text(encoding="utf-8"))


def pytest_xdist_make_scheduler(config, log):
    if config.getvalue("dist") != "loadgroup":
        return None
    from xdist.scheduler import LoadScopeScheduling

    class ModuleGroups(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            module = nodeid.split("::", 1)[0]
            return module if Path(module).name in GROUPED_MODULES else nodeid

    return ModuleGroups(config, log)
