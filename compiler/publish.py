"""Check a filled workbook and publish it: the heart of `reportc check` and `reportc build`."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

from .errors import UsageProblem
from .findings import Finding, counts
from .reader import Workbook, read_workbook
from .validate import CheckResult, run_checks, sort_findings

FORMATS = ("html", "docx", "md")  # the default set
ALL_FORMATS = (*FORMATS, "pdf")  # pdf on request: it costs a LibreOffice start
FILE_NAMES = {"html": "report.html", "docx": "report.docx", "md": "report.md", "pdf": "report.pdf"}
OUTPUT_ROOT = Path("outputs")


@dataclass
class Outcome:
    workbook: Workbook
    results: list[CheckResult]
    findings: list[Finding]
    sha256: str
    written: list[Path] = field(default_factory=list)
    outdir: Path | None = None
    problems: list[str] = field(default_factory=list)  # requested outputs that could not be made (PDF)
    notes: list[str] = field(default_factory=list)  # made, but worth knowing (PDF with substitute fonts)
    strict: bool = False  # --strict: warnings block publishing as errors do

    @property
    def errors(self) -> int:
        return counts(self.findings)["error"]

    @property
    def warnings(self) -> int:
        return counts(self.findings)["warning"]

    @property
    def blocked(self) -> bool:
        """Not publishable: errors, or under --strict any warning."""
        return bool(self.errors or (self.strict and self.warnings))


def check(path: Path, previous: Path | None = None, previous_any: bool = False) -> Outcome:
    """Read and validate a workbook; `previous` is last year's workbook for the S1–S4 rules
    (without it, the reference values stored by `reportc new --previous` are used). It must be
    the same body's workbook of the year before, unless `previous_any`."""
    from .causes import link_causes
    from .previous import altered_finding, guard, parse_value, previous_findings, previous_from

    path = Path(path)
    workbook = read_workbook(path)
    altered = None
    if previous is not None:
        texts = workbook.data.texts
        last = check(previous)
        altered = altered_finding(last)  # changed by hand: not used, as if --previous were not given
        if altered is None:
            note = guard(texts.get("info.org", ""), texts.get("info.year", ""), last, previous_any)
            info = previous_from(workbook.spec, last, note)
            workbook.data.previous = {k: parse_value(v) for k, v in info["values"].items()}
            workbook.data.previous_info = info
    results, findings = run_checks(workbook.spec, workbook.data)
    findings += previous_findings(workbook.spec, workbook.data) + ([altered] if altered else [])
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    ordered = link_causes(workbook.spec, workbook.data, results, sort_findings(workbook.findings + findings))
    return Outcome(workbook, results, ordered, digest)


def parse_formats(text: str | None) -> tuple[str, ...]:
    if not text:
        return FORMATS
    wanted = tuple(dict.fromkeys(p.strip().lower() for p in text.replace("，", ",").split(",") if p.strip()))
    unknown = [w for w in wanted if w not in ALL_FORMATS]
    if unknown or not wanted:
        raise UsageProblem(f"不认识的输出格式：{'、'.join(unknown) or '（空）'}。可选：html、docx、md、pdf，用逗号分隔"
                           "（默认 html、docx、md）。")
    return wanted


def default_outdir(outcome: Outcome) -> Path:
    """outputs/机关名称-年度: one folder name made safe (workbook text never leaves outputs/)."""
    from .fsutil import safe_component

    texts = outcome.workbook.data.texts
    org = safe_component(texts.get("info.org", "")) or safe_component(outcome.workbook.path.stem, "report")
    year = texts.get("info.year", "").strip()
    year = year if re.fullmatch(r"\d{4}", year) else safe_component(year)
    name = safe_component(f"{org}-{year}" if year else org, "report")
    return OUTPUT_ROOT / name


def build(path: Path, outdir: Path | None = None, formats: tuple[str, ...] = FORMATS, draft: bool = False,
          previous: Path | None = None, previous_any: bool = False, overwrite: bool = True,
          template_dir: Path | None = None, strict: bool = False) -> Outcome:
    """Validate, then publish the output set: the documents and the validation report, or
    only the validation report when there are errors (without --draft). The set replaces
    the folder's previous set as a whole (fsutil.write_set), so report.* of an earlier
    build never stand beside a newer validation report.
    With `overwrite=False` (`reportc build` without --overwrite) only files of the same body and
    year are replaced (a rebuild); another workbook's reports are kept and the build refused.
    `reportc batch` writes into an output tree of its own and keeps the default.
    With `strict` (--strict) warnings count as errors: no documents unless `draft`."""
    from .fsutil import output_error, write_set
    from .pages import check_template_dir
    from .render_validation import render_validation_html, render_validation_json

    template_dir = check_template_dir(template_dir)
    outcome = check(path, previous, previous_any)
    outcome.strict = strict
    target = Path(outdir) if outdir else default_outdir(outcome)
    try:
        if target.exists() and not target.is_dir():
            raise UsageProblem(f"输出位置不是文件夹：{target}")
        if not overwrite:
            _refuse_foreign_outputs(target, outcome)
    except OSError as exc:
        raise output_error(exc, target) from None
    files: dict[str, bytes] = {
        "validation.json": render_validation_json(outcome).encode("utf-8"),
        "validation.html": render_validation_html(outcome, template_dir).encode("utf-8"),
    }
    if not outcome.blocked or draft:
        files.update(render_documents(outcome, formats, draft=outcome.blocked, template_dir=template_dir,
                                      problems=outcome.problems, notes=outcome.notes))
    try:
        outcome.written = write_set(target, files)
    except OSError as exc:
        raise output_error(exc, target) from None
    outcome.outdir = target
    return outcome


def _refuse_foreign_outputs(target: Path, outcome: Outcome) -> None:
    """Refuse to replace reports that another workbook (another body or year) wrote into `target`."""
    import json

    from .previous import same_org

    ours = ["validation.json", "validation.html", *FILE_NAMES.values()]
    present = [n for n in ours if (target / n).is_file()]
    if not present:
        return
    texts = outcome.workbook.data.texts
    try:
        before = json.loads((target / "validation.json").read_text(encoding="utf-8"))
        same = (same_org(str(before.get("org", "")), texts.get("info.org", ""))
                and str(before.get("year", "")) == texts.get("info.year", ""))
        who = f"{before.get('org') or '未填机关名称'}{before.get('year', '')}年度"
    except (OSError, ValueError, AttributeError):
        same, who = False, "来源不明"
    if not same:
        raise UsageProblem(
            f"输出文件夹“{target}”中已有另一份年报的文件（{who}）：{'、'.join(present)}。",
            "如需覆盖，请加 --overwrite；或用 -o 指定其他文件夹。",
        )


def render_documents(outcome: Outcome, formats: tuple[str, ...], draft: bool, template_dir: Path | None = None,
                     problems: list[str] | None = None, notes: list[str] | None = None) -> dict[str, bytes]:
    from .report import build_report

    report = build_report(outcome.workbook.spec, outcome.workbook.data, draft=draft)
    out: dict[str, bytes] = {}
    if "html" in formats:  # the page and the fragment for a CMS editor
        from .render_html import render_pages

        out.update({name: text.encode("utf-8") for name, text in render_pages(report, template_dir).items()})
    if "docx" in formats or "pdf" in formats:
        from .render_docx import render_docx

        docx = render_docx(report)
        if "docx" in formats:
            out[FILE_NAMES["docx"]] = docx
    if "md" in formats:
        from .render_md import render_md

        out[FILE_NAMES["md"]] = render_md(report).encode("utf-8")
    if "pdf" in formats:  # last: the other documents are rendered (and templates checked) before LibreOffice starts
        from .render_pdf import PdfUnavailable, docx_to_pdf, font_note

        try:
            out[FILE_NAMES["pdf"]] = docx_to_pdf(docx)
            note = font_note(out[FILE_NAMES["pdf"]])
            if note and notes is not None:
                notes.append(note)
        except PdfUnavailable as exc:
            if problems is None:
                raise UsageProblem(str(exc)) from None
            problems.append(str(exc))
    return out
