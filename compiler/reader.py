"""Read a filled workbook back: find every value through the workbook's metadata,
read input cells only, and normalise them. Formula results cached in the file are
never used; derived cells are read only to see whether they still hold their formula.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from .checks import Data, derivations
from .errors import CannotCheck
from .findings import Finding
from .layout import WORKBOOK_FORMAT, cell_map, where
from .kinds import declared
from .plan import COL_MARGIN, read_extents
from .record import field, record
from .tamper import compare
from .preflight import preflight
from .edition import input_columns, load_edition
from .spec import Spec, available_editions
from .previous import parse_value
from .values import clean_text, parse_number

A1 = re.compile(r"^([A-Z]{1,3})([0-9]{1,7})$")
META_ROWS = 200  # rows of the metadata sheet searched for the items and the cell map
NOT_OURS_HINT = "请用“reportc new”生成填报工作簿，再把数字和文字复制进去（粘贴时选择“选择性粘贴—数值”）。"


@record
class FilledWorkbook:
    """A filled workbook as read: its specification, metadata, the data typed into it and what reading found."""

    path: Path
    spec: Spec
    meta: dict
    data: Data
    findings: list[Finding] = field(default_factory=list)  # made while reading (M1–M3, M5, R1, R4, D6)


def _parse_a1(text: str) -> tuple[int, int]:
    m = A1.match(str(text or ""))
    if not m:
        raise ValueError(text)
    col = 0
    for ch in m.group(1):
        col = col * 26 + ord(ch) - 64
    return int(m.group(2)) - 1, col - 1


def _damaged(path: Path, exc: Exception) -> CannotCheck:
    """The message for a workbook whose XML cannot be parsed, or must not be."""
    from defusedxml import DefusedXmlException

    from .xlsx import XlsxError

    if isinstance(exc, XlsxError):
        return CannotCheck(
            f"无法打开工作簿“{path.name}”：文件已损坏或格式不正确（{exc}）。",
            "请在 Excel 或 WPS 中打开并重新保存为 .xlsx 后再试。",
        )
    if isinstance(exc, DefusedXmlException):
        return CannotCheck(
            f"工作簿“{path.name}”含有不安全的 XML 内容（实体或文档类型声明），已拒绝读取。",
            "Excel 和 WPS 正常保存的文件不含这类内容。请在 Excel 或 WPS 中打开并重新保存为 .xlsx 后再试，并核实文件来源。",
        )
    return CannotCheck(
        f"无法打开工作簿“{path.name}”：文件内部结构有误（{type(exc).__name__}）。",
        "请在 Excel 或 WPS 中打开并重新保存为 .xlsx 后再试。",
    )


def _open(path: Path):
    try:
        from .xlsx import Package
    except ImportError:  # defusedxml missing: never parse a workbook without it
        raise CannotCheck(
            "缺少安全组件 defusedxml，reportc 拒绝读取工作簿。",
            "请重新安装 reportc（pip install reportc 会同时安装 defusedxml）。",
        ) from None

    try:
        return Package(path)
    except Exception as exc:  # malformed or hostile XML (defusedxml refuses entities and DTDs)
        raise _damaged(path, exc) from None


def _read_meta(wb, name: str, editions: list[str]) -> tuple[dict, dict, dict]:
    """The metadata items, the stored cell map and {sheet: (cells, rows, cols)} of what was read already."""
    from .xlsx import XlsxError

    meta_sheet = load_edition(editions[-1]).spec.sheets["meta"]
    if meta_sheet not in wb.sheetnames:
        raise CannotCheck(f"“{name}”不是 reportc 生成的填报工作簿（找不到 reportc 的元数据）。", NOT_OURS_HINT)
    try:  # the columns the tamper check reads too, so that the sheet is parsed once
        cells, read = wb.cells(meta_sheet, META_ROWS, 2 + COL_MARGIN), {}
        read[meta_sheet] = (cells, META_ROWS, 2 + COL_MARGIN)
    except XlsxError:  # a bad cell right of the items: read as before, the items first (the rest fails later)
        cells, read = wb.cells(meta_sheet, META_ROWS, 2), {}
    meta: dict = {}
    chunks: list[str] = []
    for r in range(META_ROWS):
        key, value = cells.get((r, 0)), cells.get((r, 1))
        if key == "cell_map":
            chunks.append(str(value or ""))
        elif key is not None:
            meta[str(key)] = "" if value is None else str(value)
    try:
        stored = json.loads("".join(chunks))
        cmap = {}
        for key, ref in stored.items():
            sheet, _, cell = ref.rpartition("!")
            cmap[str(key)] = (sheet, *_parse_a1(cell))
    except (ValueError, AttributeError, TypeError):
        raise CannotCheck(f"“{name}”的 reportc 元数据已损坏（单元格位置表无法读取）。", NOT_OURS_HINT) from None
    if "format" not in meta:
        raise CannotCheck(f"“{name}”的 reportc 元数据已损坏。", NOT_OURS_HINT)
    return meta, cmap, read


def _cells(wb, sheet: str, rows: int, cols: int, read: dict) -> dict:
    """wb.cells(sheet, rows, cols), from what was read already when it covers them."""
    if sheet in read and rows <= read[sheet][1] and cols <= read[sheet][2]:
        return {pos: value for pos, value in read[sheet][0].items() if pos[0] < rows and pos[1] < cols}
    return wb.cells(sheet, rows, cols)


def _meta_json(meta: dict, key: str, what: str, name: str) -> tuple[dict | None, dict]:
    """A JSON item of the metadata (`previous`, `merged`) and its parsed "values"."""
    if not meta.get(key):
        return None, {}
    try:
        blob = json.loads(meta[key])
        return blob, {k: parse_value(v) for k, v in blob["values"].items()}
    except (ValueError, KeyError, TypeError, AttributeError, ArithmeticError):
        raise CannotCheck(f"“{name}”的 reportc 元数据已损坏（{what}无法读取）。", NOT_OURS_HINT) from None


def _meta_blob(meta: dict, key: str, name: str) -> dict | None:
    """A JSON object item of the metadata (`imported`)."""
    if not meta.get(key):
        return None
    try:
        blob = json.loads(meta[key])
    except ValueError:
        blob = None
    if not isinstance(blob, dict):
        raise CannotCheck(f"“{name}”的 reportc 元数据已损坏（{key}无法读取）。", NOT_OURS_HINT)
    return blob


def read_workbook(path: Path) -> FilledWorkbook:
    path = Path(path)
    preflight(path)
    wb = _open(path)
    try:
        return _read(wb, path)
    except CannotCheck:
        raise
    except Exception as exc:  # malformed XML inside a sheet, bad cell data, …
        raise _damaged(path, exc) from None
    finally:
        wb.close()


def _read(wb, path: Path) -> FilledWorkbook:
    name = path.name
    editions = available_editions()
    meta, stored_map, read = _read_meta(wb, name, editions)
    spec = _spec_of(meta, name, editions)
    findings: list[Finding] = []
    cmap = cell_map(spec)
    if stored_map != cmap:
        changed = sorted(k for k in set(cmap) | set(stored_map) if cmap.get(k) != stored_map.get(k))
        findings.append(declared(spec, "M1", spec.sheets["meta"], "moved", count=len(changed), cells="、".join(changed[:5])))

    # Regenerate what `reportc new` wrote, read every sheet once (a little beyond the
    # template, to see pasted content), and compare all locked cells.
    year = int(meta["year"]) if meta.get("year", "").isdigit() else 0
    previous, previous_values = _meta_json(meta, "previous", "上年参考数据", name)
    merged, _ = _meta_json(meta, "merged", "汇总数据", name)
    imported = _meta_blob(meta, "imported", name)
    if imported and imported.get("doubts"):  # reportc import's checksum failed: 存疑 until someone looks
        findings.append(declared(spec, "M5", f"{spec.sheets['guide']}!B4", left=str(imported.get("file", ""))[:200]))
    expected, inputs, sizes = _expected(spec, meta, year, previous, merged, imported)
    sheetnames = wb.sheetnames
    cells: dict[str, dict] = {}
    for sheet in expected:
        if sheet in sheetnames:
            cells[sheet] = _cells(wb, sheet, *sizes[sheet], read)
    findings += compare(spec, expected, cells, inputs, sheetnames)
    data = _data(spec, cmap, cells, findings)
    if previous:
        data.previous, data.previous_info = previous_values, previous
    return FilledWorkbook(path=path, spec=spec, meta=meta, data=data, findings=findings)


def _expected(spec: Spec, meta: dict, year: int, previous, merged, imported) -> tuple[dict, dict, dict]:
    """What `reportc new` (or merge) wrote into the workbook: its cells, its input cells and the extents
    to read, per sheet. A body's own workbook is compared with the edition's compiled blank workbook
    (Edition.expected); one with last year's data or a roll-up is planned again."""
    org, version = meta.get("org") or None, meta.get("version", "")
    if previous is None and merged is None:
        return load_edition(meta["edition"]).expected(org, year, version, imported)
    from .planner import plan_workbook

    plan = plan_workbook(spec, org, year, version, previous, merged, cached=False, imported=imported)
    contents = plan.contents()
    return contents, plan.inputs(), {sheet: read_extents(cells) for sheet, cells in contents.items()}


def _spec_of(meta: dict, name: str, editions: list[str]) -> Spec:
    """The edition's specification the workbook was made from; refused when reportc cannot read it reliably."""
    if meta.get("format") != WORKBOOK_FORMAT:
        raise _format_problem(name, meta.get("format", ""))
    edition = meta.get("edition", "")
    if edition not in editions:
        raise CannotCheck(
            f"“{name}”使用的报告格式版本“{edition}”reportc 不认识（可用：{'、'.join(editions)}）。",
            "请用“reportc new”生成新工作簿。",
        )
    spec = load_edition(edition).spec
    if meta.get("spec_hash") != spec.hash:
        raise CannotCheck(
            f"“{name}”由 reportc {meta.get('version', '?')} 按另一版报告格式规范生成（规范指纹 {meta.get('spec_hash', '?')}，"
            f"本程序为 {spec.hash}），无法可靠核对。",
            "请用当前版本的“reportc new”生成新工作簿，把数字和文字复制进去（粘贴时选择“选择性粘贴—数值”）。",
        )
    return spec


def _data(spec: Spec, cmap: dict, cells: dict, findings: list[Finding]) -> Data:
    """The inputs read from the sheets' `cells`: numbers (rule D6 for what is not one), the texts
    (R1 for the year, R4 for hidden characters and folded lines) and the totals as found."""

    def raw(key):
        sheet, r, c = cmap[key]
        return cells.get(sheet, {}).get((r, c))

    data = Data(numbers={}, texts={}, derived_raw={key: raw(key) for key in derivations(spec)})
    for key, kind, decimals, limit in input_columns(spec):
        value = raw(key)
        parsed = parse_number(value, kind, decimals, limit)
        if cmap[key][0] not in cells:
            data.numbers[key] = 0
            continue
        data.numbers[key] = parsed.value if parsed.value is not None else 0
        if parsed.value is None and not parsed.problem:
            data.blanks.add(key)
        if parsed.problem:
            data.invalid.add(key)
            data.shown[key] = _shown(value)
            findings.append(declared(spec, "D6", where(*cmap[key]), "read", problem=parsed.problem, left=_raw_text(value)))
        elif parsed.note:
            findings.append(declared(spec, "D6", where(*cmap[key]), "note", note=parsed.note, left=_raw_text(value)))
    data.texts.update(_texts(spec, cmap, raw, findings))
    return data


def _texts(spec: Spec, cmap: dict, raw, findings: list[Finding]) -> dict:
    """基本信息, the narrative and the 情况说明 table, cleaned of hidden characters."""
    texts, control_cells, folded = {}, [], []
    table_keys = {k for t in spec.tables for k, _, _ in t.cells()}
    for key in cmap:
        if key in table_keys:
            continue
        value = raw(key)
        if key == "info.signature" and _is_default_signature(spec, value):
            value = raw("info.org")  # 落款 still holds its default: 机关名称
        if key == "info.year" and isinstance(value, float) and value.is_integer():
            value = int(value)
        text, had_control = clean_text(value)
        if had_control:
            control_cells.append(where(*cmap[key]))
        if key.startswith("info.") and any(ch in text for ch in "\n\t"):  # single-line fields stay one line
            text = " ".join(text.split())
            folded.append(where(*cmap[key]))
        texts[key] = text.strip() if key.startswith("info.") else text
    year_text = texts.get("info.year", "")
    if year_text and not re.fullmatch(r"(19|20|21)\d\d", year_text):
        findings.append(declared(spec, "R1", where(*cmap["info.year"]), "year", left=_raw_text(year_text)))
    if control_cells:
        findings.append(declared(spec, "R4", "、".join(control_cells[:10]) + ("等" if len(control_cells) > 10 else ""),
                                 "control", count=len(control_cells)))
    if folded:
        findings.append(declared(spec, "R4", "、".join(folded), "folded"))
    return texts


def _format_problem(name: str, found: str) -> CannotCheck:
    """An older workbook (another sheet plan): say what changed and how to move the entries over;
    a newer or unknown one: upgrade reportc."""
    ours = int(WORKBOOK_FORMAT.rsplit("/", 1)[1])
    theirs = found.rsplit("/", 1)[1] if found.startswith("reportc-workbook/") else ""
    if theirs.isdigit() and int(theirs) < ours:
        return CannotCheck(
            f"“{name}”是旧版 reportc 生成的工作簿（格式“{found}”，本程序读取“{WORKBOOK_FORMAT}”）："
            "新版工作簿的结构有变化（如新增了说明提醒用的“情况说明”表），无法可靠核对。",
            "请用当前版本的“reportc new”生成新工作簿，把数字和文字复制进去（粘贴时选择“选择性粘贴—数值”）。",
        )
    return CannotCheck(
        f"“{name}”由不认识的 reportc 版本生成（格式“{found}”，本程序读取“{WORKBOOK_FORMAT}”）。",
        "请升级 reportc，或用当前版本的“reportc new”生成新工作簿并把数字复制进去。",
    )


def _raw_text(value) -> str:
    text = str(value)
    return text if len(text) <= 60 else text[:60] + "…"


def _shown(value) -> str:
    """An invalid number cell as the 校验 sheet's 填写值 shows it (CellType.excel)."""
    from .findings import fmt_value

    if isinstance(value, str):
        return value.strip(" ")
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, (int, float)):
        return fmt_value(value)
    return str(value)


def _is_default_signature(spec, value) -> bool:
    from .checks import normalise_formula
    from .planner import signature_default

    return isinstance(value, str) and value.startswith("=") and \
        normalise_formula(value) == normalise_formula(signature_default(spec))
