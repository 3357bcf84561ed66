"""Check a filled workbook and publish it: the heart of `reportc check` and `reportc build`."""

from __future__ import annotations

import re
from pathlib import Path

from .findings import Finding, counts
from .digest import sha256
from .reader import FilledWorkbook, read_workbook
from .analysis import Analysis
from .record import record
from .validate import CheckResult

OUTPUT_ROOT = Path("outputs")


@record(frozen=True)
class Outcome:
    """A workbook checked: what was read and its analysis (analysis.Analysis), built once and never
    changed. `strict` (--strict): warnings nobody has explained block publishing as errors do.
    `imported`: when this is last year's published report read by reportc import (importer.Imported)."""

    workbook: FilledWorkbook
    analysis: Analysis
    sha256: str
    strict: bool = False
    imported: object = None

    @property
    def results(self) -> list[CheckResult]:
        """Every check's result (a copy of the analysis's: changing it changes nothing)."""
        return list(self.analysis.results)

    @property
    def findings(self) -> list[Finding]:
        """The findings, sorted, explained, causes linked (a copy of the analysis's)."""
        return list(self.analysis.findings)

    @property
    def errors(self) -> int:
        return counts(self.analysis.findings)["error"]

    @property
    def warnings(self) -> int:
        return counts(self.analysis.findings)["warning"]

    @property
    def open_warnings(self) -> int:
        """Warnings without a 情况说明: they keep the verdict at 须核实."""
        c = counts(self.analysis.findings)
        return c["warning"] - c["explained"]

    @property
    def verdict(self) -> str:
        """不通过 / 须核实 / 可以发布 (verdict.py): the one word every output says."""
        from .verdict import verdict_of

        return verdict_of(self.errors, self.open_warnings)

    @property
    def blocked(self) -> bool:
        """Not publishable: 不通过, or under --strict 须核实 (warnings nobody has explained)."""
        from .verdict import FAIL, VERIFY

        return self.verdict == FAIL or (self.strict and self.verdict == VERIFY)


@record(frozen=True)
class Built(Outcome):
    """A build: the workbook's Outcome and what was written, made once when the set is written."""

    outdir: Path | None = None
    written: tuple[Path, ...] = ()  # the files written, manifest.json included
    problems: tuple[str, ...] = ()  # requested outputs that could not be made (PDF)
    notes: tuple[str, ...] = ()  # made, but worth knowing (PDF with substitute fonts, a file kept)


def check(path: Path, previous: Path | None = None, previous_any: bool = False, strict: bool = False) -> Outcome:
    """Read and analyse a workbook; `previous` is last year's workbook (or published report) for the
    S1–S4 rules (without it, the reference values stored by `reportc new --previous` are used). It must
    be the same body's workbook of the year before, unless `previous_any`. `strict`: --strict."""
    from .analysis import analyse
    from .edition import load_edition

    path = Path(path)
    workbook = read_workbook(path)
    last_year = _last_year(workbook, previous, previous_any) if previous is not None else None
    analysis = analyse(load_edition(workbook.spec.edition), workbook.data, last_year, workbook.findings)
    digest = sha256(path.read_bytes()).hexdigest()
    return Outcome(workbook, analysis, digest, strict)


def _last_year(workbook: FilledWorkbook, previous: Path, previous_any: bool):
    """Last year's figures from `previous` (analysis.LastYear); refused (UsageProblem) when it is
    another body's or year's, unless `previous_any`; unused, with rule M4, when it was altered."""
    from .analysis import LastYear
    from .previous import altered_finding, guard, previous_from

    last = load_previous(previous)
    altered = altered_finding(workbook.spec, last)  # changed by hand: not used, as if --previous were not given
    if altered is not None:
        return LastYear({}, altered=altered)
    texts = workbook.data.texts
    note = guard(texts.get("info.org", ""), texts.get("info.year", ""), last, previous_any)
    return LastYear(previous_from(workbook.spec, last, note), last.workbook)


def load_previous(path: Path) -> Outcome:
    """Last year's workbook checked, or last year's published report (.html/.docx/.pdf/…) imported in memory."""
    from .importer import is_published

    return previous_outcome(path) if is_published(path) else check(path)


def previous_outcome(path: Path) -> Outcome:
    """Last year's published report as the Outcome `--previous` uses (imported in memory, nothing
    written, nothing checked: its analysis holds only its values)."""
    from .analysis import Analysis
    from .checks import Data, compute_values, input_keys
    from .edition import load_edition
    from .importer import read_published
    from .importer.assemble import as_number
    from .layout import cell_map

    imported = read_published(path)
    spec = imported.spec
    keys = input_keys(spec)
    table_keys = {k for t in spec.tables for k, _, _ in t.cells()}
    texts = {k: "" for k in cell_map(spec) if k not in table_keys}
    texts.update(imported.texts)
    numbers = {k: as_number(imported.cells.get(k)) for k in keys}
    blanks = {k for k in keys if imported.cells.get(k) is None}
    data = Data(numbers=numbers, texts=texts, blanks=blanks)
    analysis = Analysis(load_edition(spec.edition), data, compute_values(spec, numbers), (), (), (), ())
    return Outcome(FilledWorkbook(Path(path), spec, {}, data), analysis, imported.sha256, imported=imported)


def default_outdir(outcome: Outcome) -> Path:
    """outputs/机关名称-年度: one folder name made safe (workbook text never leaves outputs/)."""
    from .fsutil import safe_component

    texts = outcome.workbook.data.texts
    org = safe_component(texts.get("info.org", "")) or safe_component(outcome.workbook.path.stem, "report")
    year = texts.get("info.year", "").strip()
    year = year if re.fullmatch(r"\d{4}", year) else safe_component(year)
    name = safe_component(f"{org}-{year}" if year else org, "report")
    return OUTPUT_ROOT / name


def build(path: Path, outdir: Path | None = None, formats: tuple[str, ...] | None = None, draft: bool = False,
          previous: Path | None = None, previous_any: bool = False, overwrite: bool = True,
          template_dir: Path | None = None, strict: bool = False) -> Built:
    """Validate, then publish the output set: the documents and the validation report, or
    only the validation report when there are errors (without --draft), with manifest.json, the
    record of what was written (manifest.py). The set replaces the folder's previous set
    (fsutil.write_set): report.* of an earlier build never stand beside a newer validation report,
    and no file that manifest.json does not list is replaced or removed. An output folder that holds
    an input (the workbook, the previous workbook, the template folder) is refused.
    With `overwrite=False` (`reportc build` without --overwrite) only a set of the same body and
    year is replaced (a rebuild); another workbook's set is kept and the build refused.
    With `strict` (--strict) warnings count as errors: no documents unless `draft`. `formats` None: the
    default ones (renderers.DEFAULT_FORMATS; the registry is not loaded by a check)."""
    from .fsutil import output_error, refuse_inputs_inside, write_set
    from .pages import check_template_dir
    from .render_validation import render_validation_html, render_validation_json
    from .renderers import DEFAULT_FORMATS

    formats = DEFAULT_FORMATS if formats is None else formats

    template_dir = check_template_dir(template_dir)
    outcome = check(path, previous, previous_any, strict)
    target = Path(outdir) if outdir else default_outdir(outcome)
    try:
        refuse_inputs_inside(target, [path, previous, template_dir])
    except OSError as exc:
        raise output_error(exc, target) from None
    files: dict[str, bytes] = {}
    problems: list[str] = []
    notes: list[str] = []
    if not outcome.blocked or draft:
        files.update(render_documents(outcome, formats, draft=outcome.blocked, template_dir=template_dir,
                                      problems=problems, notes=notes))
    # validation.html last: its 审核签发 block lists the SHA-256 of every other file
    files["validation.json"] = render_validation_json(outcome).encode("utf-8")
    files["validation.html"] = render_validation_html(outcome, template_dir, files).encode("utf-8")
    try:
        published = write_set(target, files, build_manifest(outcome, files), overwrite, same_owner=_same_report(outcome))
    except OSError as exc:
        raise output_error(exc, target) from None
    notes += [f"提醒：“{target / name}”是上次生成的，之后被修改过，与本次结果无关；reportc 没有删除它，请核对后自行处理。"
              for name in published.kept]
    return Built(outcome.workbook, outcome.analysis, outcome.sha256, outcome.strict, outcome.imported,
                 outdir=target, written=tuple(published.written), problems=tuple(problems), notes=tuple(notes))


def build_manifest(outcome: Outcome, files: dict[str, bytes]) -> dict:
    """manifest.json of a build (fields: docs/使用说明.md)."""
    from . import manifest

    texts = outcome.workbook.data.texts
    org, year = texts.get("info.org", ""), texts.get("info.year", "")
    wb = outcome.workbook.path
    return manifest.make(
        "build", files, title=f"{org or '未填机关名称'}{year}年度年报",
        workbook={"name": wb.name, "size": wb.stat().st_size, "sha256": outcome.sha256},
        org=org, year=year, edition=outcome.workbook.spec.edition, verdict=outcome.verdict,
        errors=outcome.errors, warnings=outcome.warnings, strict=outcome.strict,
        documents=any(name.startswith("report") for name in files))


def _same_report(outcome: Outcome):
    """Whether a previous manifest is this body's and year's (a rebuild needs no --overwrite)."""
    from .previous import same_org

    texts = outcome.workbook.data.texts

    def same(old: dict) -> bool:
        return (old.get("kind") == "build" and same_org(str(old.get("org", "")), texts.get("info.org", ""))
                and str(old.get("year", "")) == texts.get("info.year", ""))
    return same


def render_documents(outcome: Outcome, formats: tuple[str, ...], draft: bool, template_dir: Path | None = None,
                     problems: list[str] | None = None, notes: list[str] | None = None) -> dict[str, bytes]:
    """The documents of the formats wanted (renderers/: one module per format)."""
    from .renderers import Job, render

    return render(Job(outcome, draft, template_dir, problems, notes), formats)
