"""What `check`, `build` and `batch` do once their arguments are parsed: call reportc.api, have present.py
print the result, return the exit code. Both cli.py (typer) and entry.py's quick path call these,
so a command behaves the same whichever of the two parsed its arguments; `guard` turns every
failure into a Chinese message and an exit code, never a traceback."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from .console import err
from .errors import CannotCheck, UsageProblem


def guard(fn) -> int:
    """Run a command body: Chinese messages, exit codes, never a traceback."""
    try:
        return fn()
    except CannotCheck as exc:
        err(f"错误：{exc}")
        return exc.exit_code
    except KeyboardInterrupt:
        err("已中断。")
        return 130
    except BrokenPipeError:  # output piped into a program that stopped reading (e.g. head)
        _silence_stdout()
        return 0
    except MemoryError:
        err("错误：内存不足，文件可能过大。")
        return 2
    except Exception as exc:  # an internal error: say so plainly, in Chinese
        if os.environ.get("REPORTC_DEBUG"):
            raise
        err(f"reportc 内部错误（{type(exc).__name__}：{exc}）。请把命令和文件发给维护人员。")
        return 3


def _silence_stdout() -> None:
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass


def check(file: Path, as_json: bool = False, strict: bool = False, previous: Path | None = None,
          previous_any: bool = False) -> int:
    """`reportc check`: 1 for 不通过 (or 须核实 under --strict), else 0."""
    from . import api
    from .present import print_findings

    try:
        outcome = api.check(file, previous, previous_any, strict)
    except CannotCheck as exc:
        if as_json:  # a script reading stdout gets JSON here too
            _unreadable_json(file, exc)
        raise
    if as_json:
        import json

        from .console import out
        from .render_validation import validation_dict

        out(json.dumps(validation_dict(outcome), ensure_ascii=False, indent=2))
    else:
        print_findings(outcome)
    return 1 if outcome.blocked else 0  # 不通过, or 须核实 under --strict (Outcome.verdict)


def _unreadable_json(file: Path, exc: CannotCheck) -> None:
    import json

    from .console import out

    out(json.dumps({"file": str(file), "readable": False, "error": exc.message, "hint": exc.hint},
                   ensure_ascii=False, indent=2))


def build(file: Path, outdir: Path | None = None, formats: str | None = None, draft: bool = False,
          strict: bool = False, previous: Path | None = None, previous_any: bool = False,
          overwrite: bool = False, template: Path | None = None) -> int:
    """`reportc build`: 1 when blocked, 2 when a document could not be written, else 0."""
    from . import api
    from .present import print_build, print_findings, print_notes
    from .renderers import parse_formats

    outcome = api.build(file, outdir, parse_formats(formats), draft, previous, previous_any, overwrite, template,
                        strict=strict)
    print_findings(outcome)
    print_build(outcome, draft)
    print_notes(outcome)
    return 1 if outcome.blocked else (2 if outcome.problems else 0)


def batch(folder: Path, outdir: Path | None = None, jobs: int | None = None, formats: str | None = None,
          template: Path | None = None, strict: bool = False, overwrite: bool = False) -> int:
    """`reportc batch` (into outputs/ without -o): 1 when a workbook did not pass, could not be read, or is a
    duplicate, else 0."""
    from . import api
    from .batch_run import STATUS_SKIPPED, STATUS_UNREADABLE
    from .pages import check_template_dir
    from .present import batch_of_one, print_batch
    from .publish import OUTPUT_ROOT
    from .renderers import parse_formats

    outdir = OUTPUT_ROOT if outdir is None else outdir
    if folder.is_file():
        raise UsageProblem(f"“{folder}”是一个文件，不是文件夹。reportc batch 处理一个文件夹中的全部工作簿。",
                           batch_of_one(folder))
    entries = api.batch(folder, outdir, jobs, formats=parse_formats(formats), template_dir=check_template_dir(template),
                        strict=strict, overwrite=overwrite)
    failed = [e for e in entries if e.blocked or e.status in (STATUS_UNREADABLE, STATUS_SKIPPED)]
    print_batch(entries, failed, outdir)
    return 1 if [e for e in failed if e.status != STATUS_SKIPPED] or any(e.duplicate_of for e in entries) else 0
