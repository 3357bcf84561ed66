"""What each command does, importable and testable without a shell."""

from __future__ import annotations

import datetime as _dt
from pathlib import Path

from .errors import UsageProblem


def new(year: int | None = None, org: str | None = None, edition: str | None = None,
        output: Path | None = None, force: bool = False, previous: Path | None = None) -> Path:
    """Write a blank fill-in workbook; return its path. With `previous` (last year's
    workbook) the new one carries last year's reference figures, name and contacts."""
    from .fsutil import atomic_write_bytes
    from .spec import edition_for_year, load_spec
    from .workbook import build_workbook, default_filename

    last = None
    if previous is not None:
        from .build import check

        last = check(previous)
        last_year = last.workbook.data.texts.get("info.year", "")
        if year is None and last_year.isdigit():
            year = int(last_year) + 1
    if year is None:
        year = _dt.date.today().year - 1
    if not 2000 <= year <= 2100:
        raise UsageProblem(f"年度“{year}”不正确，请填写四位数字的年度，如2025。")
    if org is not None:
        org = org.strip()
        if len(org) > 100:
            raise UsageProblem("机关名称过长（超过100个字），请检查 --org。")
    spec = load_spec(edition or edition_for_year(year))
    reference = None
    if last is not None:
        from .previous import previous_from

        reference = previous_from(spec, last)
        if org is None:
            org = reference["fields"].get("org") or None
    path = Path(output) if output else Path.cwd() / default_filename(org, year)
    if path.suffix.lower() != ".xlsx":
        raise UsageProblem(f"输出文件应以 .xlsx 结尾：{path}")
    if path.exists() and not force:
        raise UsageProblem(f"文件已存在：{path}\n如需覆盖，请加 --force；或用 -o 指定其他文件名。")
    if path.is_dir():
        raise UsageProblem(f"输出位置是一个文件夹：{path}")
    atomic_write_bytes(path, build_workbook(spec, org, year, reference))
    return path
