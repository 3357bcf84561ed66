"""reportc's public API: one function per command, named after it.

    new      the locked fill-in workbook               -> its path
    check    read and validate a filled workbook       -> Outcome
    build    check, then write the output set          -> Built (Outcome + what was written)
    merge    the roll-up of several bodies' workbooks  -> (path, outcomes)
    batch    build every workbook under a folder       -> list[Entry]
    import_report  a published report as a workbook    -> (Imported, path)
    audit    check every published report in a folder  -> list[Entry]
    verify   an output folder against its manifest     -> Verification

The command line (cli.py) is a thin shell over these, and `import reportc` offers them (docs/接口.md).
Each verb does its work in its stage module, imported on first use, so that importing this
module costs next to nothing. Messages for people are in Chinese; problems are raised as
reportc.UsageProblem (the command was used wrongly) or reportc.CannotCheck (the input cannot be read).
"""

from __future__ import annotations

from pathlib import Path

TYPE_CHECKING = False  # (importing typing would cost a check a tenth of its start)
if TYPE_CHECKING:  # for the annotations only (help(), editors): nothing heavy is imported at run time
    from .batch_run import Entry
    from .importer import Imported
    from .publish import Built, Outcome
    from .verification import Verification


def new(year: int | None = None, org: str | None = None, edition: str | None = None,
        output: Path | None = None, overwrite: bool = False, previous: Path | None = None,
        previous_any: bool = False, notes: list[str] | None = None) -> Path:
    """Write a blank fill-in workbook; return its path. With `previous` (last year's workbook or
    published report of the same body) it carries last year's reference figures, name and contacts.
    Warnings for the person (e.g. last year's workbook has errors) are appended to `notes`."""
    from .new_run import new as run

    return run(year=year, org=org, edition=edition, output=output, overwrite=overwrite, previous=previous,
               previous_any=previous_any, notes=notes)


def check(path: Path, previous: Path | None = None, previous_any: bool = False, strict: bool = False) -> Outcome:
    """Read and validate a filled workbook (`previous`: last year's, for the S rules; `strict`: --strict,
    unexplained warnings block too) -> Outcome."""
    from .publish import check as run

    return run(path, previous=previous, previous_any=previous_any, strict=strict)


def build(path: Path, outdir: Path | None = None, formats: tuple[str, ...] | None = None, draft: bool = False,
          previous: Path | None = None, previous_any: bool = False, overwrite: bool = True,
          template_dir: Path | None = None, strict: bool = False) -> Built:
    """Check, then write the documents of `formats` (renderers/; None: renderers.DEFAULT_FORMATS, what
    `reportc build` writes without --format; pdf on request) and the validation report into `outdir`
    (default outputs/机关名称-年度) -> Built. See publish.build."""
    from .publish import build as run

    return run(path, outdir, formats=formats, draft=draft, previous=previous, previous_any=previous_any,
               overwrite=overwrite, template_dir=template_dir, strict=strict)


def merge(files: list[Path], output: Path, org: str, force: bool = False, overwrite: bool = False,
          allow_duplicates: bool = False) -> tuple[Path, list[Outcome]]:
    """The roll-up workbook of several bodies' workbooks of one year -> (its path, the checked inputs)."""
    from .rollup import merge as run

    return run(files, output, org, force=force, overwrite=overwrite, allow_duplicates=allow_duplicates)


def batch(root: Path, out_root: Path, jobs: int | None = None, progress: bool = True,
          formats: tuple[str, ...] | None = None, template_dir: Path | None = None,
          strict: bool = False, overwrite: bool = False) -> list[Entry]:
    """Build every workbook under `root` into its own folder of `out_root`, with index.html and
    summary.xlsx -> list[Entry]."""
    from .batch_run import run_batch as run

    return run(root, out_root, jobs, progress=progress, formats=formats, template_dir=template_dir, strict=strict,
               overwrite=overwrite)


def import_report(path: Path, output: Path | None = None, overwrite: bool = False) -> tuple[Imported, Path]:
    """A published report (html, docx, pdf, md, report.json) written as a workbook -> (Imported, path)."""
    from .import_run import import_report as run

    return run(path, output, overwrite=overwrite)


def audit(root: Path, out_root: Path, jobs: int | None = None, progress: bool = True) -> list[Entry]:
    """Import and check every published report under `root`, with a summary in `out_root` -> list[Entry]."""
    from .audit_run import run_audit as run

    return run(root, out_root, jobs, progress=progress)


def verify(folder: Path) -> Verification:
    """Does an output folder still hold what its manifest.json lists? -> Verification."""
    from .verification import verify_folder as run

    return run(folder)
