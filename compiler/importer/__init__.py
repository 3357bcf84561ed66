"""`reportc import`: a published report (HTML page or fragment, DOCX, PDF with a text layer,
Markdown, report.json) back into a locked reportc workbook.

    imported = read_published(path)      # in memory: edition, 基本信息, narrative, table values, checksum
    result = import_report(path, output)  # and the workbook written

The tables' own arithmetic (O1, D1–D5) is the import's checksum: when it fails, or a value
cannot be read, the workbook is still written, marked 存疑 on its first sheet.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from ..errors import UsageProblem
from .assemble import STATUS_DOUBT, STATUS_OK, Imported

__all__ = ["Imported", "read_published", "import_report", "STATUS_OK", "STATUS_DOUBT", "SUFFIXES"]

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


def import_report(path: Path, output: Path | None = None, overwrite: bool = False) -> tuple[Imported, Path]:
    """Read `path` and write the workbook (default: 机关名称-年度-导入.xlsx beside the current folder)."""
    from ..fsutil import atomic_write_bytes
    from .write import workbook_bytes

    imported = read_published(path)
    if output is None:
        from ..commands import default_filename

        year = imported.texts.get("info.year", "")
        name = default_filename(imported.texts.get("info.org"), int(year) if year.isdigit() else 0)
        if not year.isdigit():
            name = name.replace("-0-填报", "-填报").replace("0-填报", "填报")
        output = Path.cwd() / name.replace("填报.xlsx", "导入.xlsx")
    output = Path(output)
    if output.suffix.lower() != ".xlsx":
        raise UsageProblem(f"输出文件应以 .xlsx 结尾：{output}")
    if output.is_dir():
        raise UsageProblem(f"输出位置是一个文件夹：{output}")
    if output.exists() and not overwrite:
        raise UsageProblem(f"文件已存在：{output}\n如需覆盖，请加 --overwrite；或用 -o 指定其他文件名。")
    if output.exists() and output.resolve() == Path(path).resolve():
        raise UsageProblem("输出文件不能是要导入的文件本身。")
    atomic_write_bytes(output, workbook_bytes(imported))
    return imported, output


PUBLISHED = (".html", ".htm", ".shtml", ".docx", ".pdf", ".md", ".json")


def is_published(path: Path) -> bool:
    """A published report (not a workbook): what --previous imports in memory."""
    return Path(path).suffix.lower() in PUBLISHED


def previous_outcome(path: Path):
    """Last year's published report as the Outcome `--previous` uses (imported in memory, nothing written)."""
    from ..checks import Data, input_keys
    from ..layout import cell_map
    from ..publish import Outcome
    from ..reader import Workbook
    from .assemble import as_number

    imported = read_published(path)
    spec = imported.spec
    keys = input_keys(spec)
    table_keys = {k for t in spec.tables for k, _, _ in t.cells()}
    texts = {k: "" for k in cell_map(spec) if k not in table_keys}
    texts.update(imported.texts)
    numbers = {k: as_number(imported.cells.get(k)) for k in keys}
    blanks = {k for k in keys if imported.cells.get(k) is None}
    data = Data(numbers=numbers, texts=texts, blanks=blanks)
    outcome = Outcome(Workbook(Path(path), spec, {}, data), [], [], imported.sha256)
    outcome.imported = imported
    return outcome
