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

FORMATS = ("html", "docx", "md")
FILE_NAMES = {"html": "report.html", "docx": "report.docx", "md": "report.md"}
OUTPUT_ROOT = Path("outputs")


@dataclass
class Outcome:
    workbook: Workbook
    results: list[CheckResult]
    findings: list[Finding]
    sha256: str
    written: list[Path] = field(default_factory=list)
    outdir: Path | None = None

    @property
    def errors(self) -> int:
        return counts(self.findings)["error"]


def check(path: Path, previous: Path | None = None) -> Outcome:
    """Read and validate a workbook; `previous` is last year's workbook for the S1–S4 rules
    (without it, the reference values stored by `reportc new --previous` are used)."""
    path = Path(path)
    workbook = read_workbook(path)
    if previous is not None:
        from .previous import previous_from, parse_value

        info = previous_from(workbook.spec, check(previous))
        workbook.data.previous = {k: parse_value(v) for k, v in info["values"].items()}
        workbook.data.previous_info = info
    results, findings = run_checks(workbook.spec, workbook.data)
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    return Outcome(workbook, results, sort_findings(workbook.findings + findings), digest)


def parse_formats(text: str | None) -> tuple[str, ...]:
    if not text:
        return FORMATS
    wanted = tuple(dict.fromkeys(p.strip().lower() for p in text.replace("，", ",").split(",") if p.strip()))
    unknown = [w for w in wanted if w not in FORMATS]
    if unknown or not wanted:
        raise UsageProblem(f"不认识的输出格式：{'、'.join(unknown) or '（空）'}。可选：html、docx、md，用逗号分隔。")
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
          previous: Path | None = None) -> Outcome:
    """Validate, then publish the output set: the documents and the validation report, or
    only the validation report when there are errors (without --draft). The set replaces
    the folder's previous set as a whole (fsutil.write_set), so report.* of an earlier
    build never stand beside a newer validation report."""
    from .fsutil import output_error, write_set
    from .render_validation import render_validation_html, render_validation_json

    outcome = check(path, previous)
    target = Path(outdir) if outdir else default_outdir(outcome)
    try:
        if target.exists() and not target.is_dir():
            raise UsageProblem(f"输出位置不是文件夹：{target}")
    except OSError as exc:
        raise output_error(exc, target) from None
    files: dict[str, bytes] = {
        "validation.json": render_validation_json(outcome).encode("utf-8"),
        "validation.html": render_validation_html(outcome).encode("utf-8"),
    }
    if not outcome.errors or draft:
        files.update(render_documents(outcome, formats, draft=bool(outcome.errors)))
    try:
        outcome.written = write_set(target, files)
    except OSError as exc:
        raise output_error(exc, target) from None
    outcome.outdir = target
    return outcome


def render_documents(outcome: Outcome, formats: tuple[str, ...], draft: bool) -> dict[str, bytes]:
    from .report import build_report

    report = build_report(outcome.workbook.spec, outcome.workbook.data, draft=draft)
    out: dict[str, bytes] = {}
    if "html" in formats:
        from .render_html import render_html

        out[FILE_NAMES["html"]] = render_html(report).encode("utf-8")
    if "docx" in formats:
        from .render_docx import render_docx

        out[FILE_NAMES["docx"]] = render_docx(report)
    if "md" in formats:
        from .render_md import render_md

        out[FILE_NAMES["md"]] = render_md(report).encode("utf-8")
    return out
