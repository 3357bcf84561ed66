"""The docs that are generated from code are current, and the README keeps its promises."""

from pathlib import Path

from reportc.docgen import DOCS

ROOT = Path(__file__).resolve().parents[1]


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
