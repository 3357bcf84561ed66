"""`reportc import`: a published report (HTML page or fragment, DOCX, PDF with a text layer,
Markdown, report.json) back into a locked reportc workbook.

    imported = read_published(path)      # in memory: edition, 基本信息, narrative, table values, checksum

Writing the workbook (`reportc.import_run.import_report`) and last year's report as `--previous`
(`reportc.publish.load_previous`) sit in higher layers and use this package.

The tables' own arithmetic (O1, D1–D5) is the import's checksum: when it fails, or a value
cannot be read, the workbook is still written, marked 存疑 on its first sheet.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from .assemble import STATUS_DOUBT, STATUS_OK, Imported

__all__ = ["Imported", "read_published", "is_published", "STATUS_OK", "STATUS_DOUBT", "SUFFIXES"]

SUFFIXES = (".html", ".htm", ".shtml", ".docx", ".pdf", ".md", ".json")


def read_published(path: Path, edition: str | None = None) -> Imported:
    """Read a published report; CannotCheck (exit 2) when it holds no report or must not be read."""
    from .guard import check_file, kind_of

    path = Path(path)
    data = check_file(path)
    kind = kind_of(path, data)
    if kind == "json":
        from .jsonfile import read_json

        imported = read_json(data, path)
    else:
        from .assemble import assemble

        if kind == "html":
            from .html import read_html

            doc = read_html(data, path)
        elif kind == "docx":
            from .docx import read_docx

            doc = read_docx(data, path)
        elif kind == "pdf":
            from .pdf import read_pdf

            doc = read_pdf(data, path)
        else:
            from .markdown import read_markdown

            doc = read_markdown(data.decode("utf-8-sig", errors="replace"))
        imported = assemble(doc, path, edition)
    imported.sha256 = hashlib.sha256(data).hexdigest()
    return imported


PUBLISHED = (".html", ".htm", ".shtml", ".docx", ".pdf", ".md", ".json")


def is_published(path: Path) -> bool:
    """A published report (not a workbook): what --previous imports in memory."""
    return Path(path).suffix.lower() in PUBLISHED
