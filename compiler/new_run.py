"""`reportc new`: the locked fill-in workbook of an edition, with last year's figures when given."""

from __future__ import annotations

import datetime as _dt
from pathlib import Path

from .errors import UsageProblem
from .filenames import default_filename, shell_word


def new(year: int | None = None, org: str | None = None, edition: str | None = None,
        output: Path | None = None, overwrite: bool = False, previous: Path | None = None,
        previous_any: bool = False, notes: list[str] | None = None) -> Path:
    """Write a blank fill-in workbook; return its path. With `previous` (last year's
    workbook of the same body) the new one carries last year's reference figures, name and
    contacts. Warnings for the person (e.g. last year's workbook has errors) go to `notes`."""
    from .fsutil import atomic_write_bytes, output_error, refuse_inputs_inside
    from .spec import LAST_YEAR, edition_covering, edition_for_year, year_problem
    from .writer import build_workbook

    notes = notes if notes is not None else []
    last = None
    override = ""
    if previous is not None:
        from .publish import load_previous
        from .previous import guard

        last = load_previous(previous)
        _altered_previous(last, previous_any, notes)
        last_year = last.workbook.data.texts.get("info.year", "")
        if year is None and last_year.isdigit():
            year = int(last_year) + 1
    if year is None:
        year = _dt.date.today().year - 1
    if last is not None:
        override = guard((org or "").strip(), year, last, previous_any)
        if override:
            notes.append("提醒：" + override)
        imported = getattr(last, "imported", None)
        if imported is not None and imported.doubt_lines():
            notes.append(f"提醒：上年年报“{last.workbook.path.name}”导入存疑（{len(imported.doubt_lines())} 处数字与表格自身的合计关系不符"
                         "或无法读取），带入的上年数据可能不准确；请用 reportc import 查看。")
        if last.errors:
            notes.append(
                f"提醒：上一年度工作簿“{last.workbook.path.name}”有 {last.errors} 项错误，带入的上年数据可能不准确；"
                f"请先运行 reportc check {shell_word(str(previous))} 查看。"
            )
    from .edition import load_edition

    if not _earliest_year(edition) <= year <= LAST_YEAR:
        raise UsageProblem(year_problem(year))
    if org is not None:
        org = org.strip()
        if not org:
            raise UsageProblem("--org 的机关名称是空的（只有空格）。请写上机关名称，如 --org \"某县民政局\"；"
                               "暂不确定时可不加 --org，生成后在“基本信息”表填写机关名称。")
        if len(org) > 100:
            raise UsageProblem("机关名称过长（超过100个字），请检查 --org。")
    spec = load_edition(edition or edition_for_year(year)).spec
    if not spec.covers(year):  # --edition of another period: allowed, but said (规则S8's wording)
        expected = edition_covering(year, {n: e.spec for n, e in _usable_editions(edition).items()})
        notes.append(f"提醒：报告年度为{year}年，" + (f"官方格式规定应使用{expected}版的格式" if expected else "没有对应的格式版本")
                     + f"，当前按 --edition {spec.edition} 生成{spec.edition}版格式；检查时将提示规则S8。"
                     + (f"如无特殊原因，请去掉 --edition 或改用 --edition {expected}。" if expected else ""))
    reference = None
    if last is not None:
        from .previous import previous_from

        reference = previous_from(spec, last, override)
        if org is None:
            org = reference["fields"].get("org") or None
    path = Path(output) if output else Path.cwd() / default_filename(org, year)
    if output and path.is_dir():  # -o 文件夹 (or -o .): the default name inside it
        path = path / default_filename(org, year)
    if path.suffix.lower() != ".xlsx":
        raise UsageProblem(f"输出文件应以 .xlsx 结尾：{path}")
    if path.is_dir():
        raise UsageProblem(f"输出位置是一个文件夹：{path}")
    refuse_inputs_inside(path, [previous], folder=False)
    if path.exists() and not overwrite:
        raise UsageProblem(f"文件已存在：{path}\n如需覆盖，请加 --overwrite；或用 -o 指定其他文件名。")
    content = build_workbook(spec, org, year, reference)
    try:
        atomic_write_bytes(path, content)
    except OSError as exc:
        raise output_error(exc, path) from None
    return path


def _altered_previous(last, previous_any: bool, notes: list[str]) -> None:
    """Refuse last year's workbook when it was changed after reportc wrote it (rule M4), unless
    --previous-any; then say that its figures were carried all the same."""
    from .previous import ALTERED_HINT, alterations

    text = alterations(last)
    if text and not previous_any:
        raise UsageProblem(f"{text}，不能带入新工作簿（规则M4）。", ALTERED_HINT[:-1] + "；确需使用该工作簿，加 --previous-any。")
    if text:
        notes.append(f"提醒：{text}；已按 --previous-any 仍然带入，上年数据请人工核对。")


def _usable_editions(wanted: str | None) -> dict:
    """Edition name -> Edition, of those `new` may consult. With --edition, another edition's folder that
    cannot be loaded (a REPORTC_EDITIONS folder being edited, say) does not stop the one asked for;
    without it, the year decides the edition, so every edition must load (the error names the file)."""
    from .edition import load_edition
    from .errors import SpecError
    from .spec import available_editions

    loaded = {wanted: load_edition(wanted)} if wanted else {}
    for name in available_editions():
        if name != wanted:
            try:
                loaded[name] = load_edition(name)
            except SpecError:
                if wanted is None:
                    raise
    return loaded


def _earliest_year(wanted: str | None) -> int:
    return min(e.spec.first_year for e in _usable_editions(wanted).values())
