"""The docs: those generated from code are current, the README keeps its promises, the guide's examples
are what reportc prints, and the threat model cites only tests that exist."""

import random
import re
from pathlib import Path

import openpyxl
from conftest import assert_no_traceback, fill, run_cli
from gen import consistent_numbers

from reportc.checks import input_keys
from reportc.docgen import DOCS
from reportc.spec import load_spec
from reportc.writer import build_workbook

ROOT = Path(__file__).resolve().parents[1]


def cli(*args, cwd=None):
    result = run_cli(*args, cwd=cwd)
    assert_no_traceback(result)
    return result


def test_generated_docs_are_current():
    for name, make in DOCS.items():
        committed = (ROOT / "docs" / name).read_text(encoding="utf-8")
        assert committed == make(), f"docs/{name} is out of date: run python -m reportc.docgen"


def test_readme_names_the_two_setup_commands():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "reportc build examples/qingshan-minzheng-2025.xlsx" in readme
    assert "bash .ci/run" in readme and "python -m pytest" in readme
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "python -m pytest" in ci
    assert (ROOT / "examples" / "qingshan-minzheng-2025.xlsx").is_file()


def test_every_command_is_documented():
    reference = (ROOT / "docs" / "命令参考.md").read_text(encoding="utf-8")
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    from reportc.cli import app
    from typer.main import get_command

    group = get_command(app)
    for name in group.list_commands(None):
        assert f"## reportc {name}" in reference
        assert f"reportc {name}" in readme


GUIDE = ROOT / "docs" / "使用说明.md"


def _guide_blocks() -> list[str]:
    return re.findall(r"^```[a-z]*\n(.*?)^```", GUIDE.read_text(encoding="utf-8"), re.S | re.M)


def test_guide_lists_every_sheet_of_a_new_workbook(tmp_path):
    path = tmp_path / "a.xlsx"
    path.write_bytes(build_workbook(load_spec("2021"), "某县民政局", 2025))
    guide = GUIDE.read_text(encoding="utf-8")
    for name in openpyxl.load_workbook(path).sheetnames:
        if not name.startswith("_"):
            assert f"| {name} |" in guide, name


def _doc_workbook(folder: Path, narrative_extra: int, break_cells: bool) -> Path:
    """The workbook the guide's examples were printed from (tests/gen.py, seed 3)."""
    spec = load_spec("2021")
    rng = random.Random(3)
    numbers = consistent_numbers(spec, rng)
    total = sum(numbers[k] for k in input_keys(spec) if k.startswith("t3.new."))
    changes = {"s1.intro.1": f"2025年，本机关收到政府信息公开申请{int(total) + narrative_extra}件。"}
    if break_cells:
        changes.update({"t3.new.natural": f"{int(numbers['t3.new.natural'])}件", "t3.carried.other_org": None})
    return fill(folder / "某县民政局-2025-填报.xlsx", org="某县民政局", year=2025, seed=rng, numbers=numbers, **changes)


def test_guide_check_example_is_real_output(tmp_path):
    _doc_workbook(tmp_path, 0, True)
    printed = cli("check", "某县民政局-2025-填报.xlsx", cwd=tmp_path).stdout
    block = next(b for b in _guide_blocks() if b.startswith("[错误][规则D6]"))
    assert block.strip() in printed, printed


def test_guide_strict_example_is_real_output(tmp_path):
    _doc_workbook(tmp_path, 16, False)
    result = cli("build", "--strict", "某县民政局-2025-填报.xlsx", cwd=tmp_path)
    block = next(b for b in _guide_blocks() if b.startswith("$ reportc build --strict"))
    expected = block.split("\n", 1)[1].strip().replace("outputs/某县民政局-2025", str(Path("outputs") / "某县民政局-2025"))
    assert result.returncode == 1 and expected == result.stdout.strip(), result.stdout


def test_guide_edition_warning_is_real_output(tmp_path):
    result = cli("new", "--year", "2025", "--edition", "2019", "-o", tmp_path / "a.xlsx")
    block = next(b for b in _guide_blocks() if b.startswith("提醒：报告年度为2025年"))
    assert block.strip() == result.stderr.strip()


def test_docs_show_commands_that_can_be_copied():
    root = ROOT
    docs = root / "docs"
    for name in ("docs/使用说明.md", "docs/县级汇总工作流程.md", "README.md"):
        text = (root / name).read_text(encoding="utf-8")
        for line in text.splitlines():
            if "reportc " in line and line.lstrip().startswith(("reportc", "$ reportc")):
                assert "…" not in line and "（填报）" not in line, f"{name}: {line}"
    guide = (docs / "使用说明.md").read_text(encoding="utf-8")
    assert "--overwrite" in guide and "--allow-errors" in guide and "--previous-any" in guide
    assert "规则D6" in guide and "可能由上面的单元格引起" in guide


def test_threat_model_names_only_real_tests():
    """Every test the threat model cites as proof exists, in the file it is cited from: a name
    without a file (`test_x`) is in the file last named before it on the same line."""
    doc = (ROOT / "docs" / "threat-model.md").read_text(encoding="utf-8")
    source = {p.stem: p.read_text(encoding="utf-8") for p in (ROOT / "tests").glob("test_*.py")}
    cited = []
    for line in doc.splitlines():
        module = None
        for named, name in re.findall(r"`(?:(test_\w+)\.py::)?(test_\w+)`", line):
            module = named or module
            cited.append((module, name))
    assert len(cited) >= 15
    for module, name in cited:
        files = [source.get(module, "")] if module else source.values()
        assert any(f"def {name}(" in text for text in files), f"docs/threat-model.md: {module}.py::{name}"
