"""One public surface: the names docs/接口.md documents are what `import reportc` offers,
the command line uses them, and importing reportc stays cheap."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import reportc

DOC = Path(__file__).resolve().parents[1] / "docs" / "接口.md"


def test_every_public_name_resolves_and_is_documented():
    doc = DOC.read_text(encoding="utf-8")
    for name in reportc.__all__:
        assert getattr(reportc, name) is not None
        assert f"`reportc.{name}" in doc or name == "__version__", f"{name} is not in docs/接口.md"
    verbs = ("new_workbook", "check", "build", "merge", "batch", "import_report", "audit", "verify")
    assert all(getattr(reportc, verb).__module__ == "reportc.api" for verb in verbs)


def test_each_verb_takes_what_its_stage_function_takes():
    """reportc.api delegates to the stage modules: a parameter added there and not here (or the
    other way round) would be unreachable from the API and the CLI."""
    import inspect

    from reportc import api, audit_run, batch_run, import_run, new_run, publish, rollup, verification

    stages = {api.new: new_run.new, api.check: publish.check, api.build: publish.build, api.merge: rollup.merge,
              api.batch: batch_run.run_batch, api.import_report: import_run.import_report,
              api.audit: audit_run.run_audit, api.verify: verification.verify_folder}
    for verb, stage in stages.items():
        ours, theirs = inspect.signature(verb).parameters, inspect.signature(stage).parameters
        assert list(ours) == list(theirs), verb.__name__
        assert [p.default for p in ours.values()] == [p.default for p in theirs.values()], verb.__name__


def test_the_command_line_reaches_the_work_only_through_the_api():
    import ast

    tree = ast.parse(Path(reportc.__file__).with_name("cli.py").read_text(encoding="utf-8"))
    imported = {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.level}
    assert not imported & {"publish", "new_run", "import_run", "verification", "batch_run.run_batch"}
    assert "api" in {a.name for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.level
                     and node.module is None for a in node.names}


def test_documented_signatures_name_every_parameter():
    import inspect

    doc = DOC.read_text(encoding="utf-8")
    for name in ("new_workbook", "check", "build", "merge", "batch"):
        line = next(x for x in doc.splitlines() if f"`reportc.{name}(" in x)
        documented = line.split(f"`reportc.{name}(", 1)[1].split(")`", 1)[0]
        for param in inspect.signature(getattr(reportc, name)).parameters:
            assert param in documented, f"docs/接口.md: reportc.{name} lacks the parameter {param}"


def test_unknown_names_are_attribute_errors():
    try:
        reportc.no_such_thing  # noqa: B018
    except AttributeError as err:
        assert "no_such_thing" in str(err)
    else:
        raise AssertionError("no AttributeError")


def test_the_api_runs_the_main_path(tmp_path):
    path = reportc.new_workbook(year=2025, org="某县民政局", output=tmp_path / "某县民政局-2025-填报.xlsx")
    outcome = reportc.check(path)
    assert isinstance(outcome, reportc.Outcome) and outcome.errors > 0  # nothing filled in yet
    assert all(isinstance(f, reportc.Finding) for f in outcome.findings)
    example = Path(__file__).resolve().parents[1] / "examples" / "qingshan-minzheng-2025.xlsx"
    built = reportc.build(example, tmp_path / "out")
    assert built.errors == 0 and (tmp_path / "out" / "report.html").is_file()


def test_importing_reportc_loads_no_heavy_module():
    code = "import sys, reportc; print(sorted(m for m in sys.modules if m.split('.')[0] in " \
           "('reportc', 'openpyxl', 'xlsxwriter', 'docx', 'jinja2', 'typer')))"
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert loaded.strip() == "['reportc']"
