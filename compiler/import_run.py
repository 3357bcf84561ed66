"""`reportc import FILE -o 工作簿.xlsx`: a published report read (reportc.importer) and written as a
locked reportc workbook (reportc.import_write)."""

from __future__ import annotations

from pathlib import Path

from .errors import UsageProblem
from .importer.assemble import Imported


def import_report(path: Path, output: Path | None = None, overwrite: bool = False) -> tuple[Imported, Path]:
    """Read `path` and write the workbook (default: 机关名称-年度-导入.xlsx beside the current folder)."""
    from .fsutil import atomic_write_bytes
    from .import_write import workbook_bytes
    from .importer import read_published

    imported = read_published(path)
    if output is None:
        from .filenames import default_filename

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
