"""Helpers of the import tests: build a workbook's outputs, import one, build again, compare."""

from __future__ import annotations

import re
from pathlib import Path

from reportc.import_run import import_report
from reportc.publish import build

ROOT = Path(__file__).parent.parent
EXAMPLES = {"2021": ROOT / "examples" / "qingshan-minzheng-2025.xlsx", "2019": ROOT / "examples" / "xigong-minzheng-2020.xlsx"}


def published(workbook: Path, out: Path, formats=("html", "docx", "md", "json")) -> Path:
    build(workbook, out, tuple(formats), draft=True)
    return out


def rebuilt_md(source: Path, tmp: Path) -> tuple[str, object]:
    """Import `source`, build the imported workbook, return (report.md, Imported)."""
    tmp.mkdir(parents=True, exist_ok=True)
    imported, xlsx = import_report(source, tmp / "imported.xlsx", overwrite=True)
    build(xlsx, tmp / "again", ("md",), draft=True)
    return (tmp / "again" / "report.md").read_text(encoding="utf-8"), imported


def tables_of(md: str) -> list[str]:
    return [line for line in md.splitlines() if line.startswith("|")]


def paragraphs_of(md: str) -> list[str]:
    return [line for line in md.split("\n\n") if line.strip() and not line.startswith("|")]


def same_share(a: list[str], b: list[str]) -> float:
    matched = sum(1 for x in a if x in set(b))
    return matched / max(1, len(a))


def strip_classes(html: str) -> str:
    html = re.sub(r"<style.*?</style>", "", html, flags=re.S)
    return re.sub(r'\s(class|id|headers|scope)="[^"]*"', "", html)
