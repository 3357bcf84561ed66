"""Tamper evidence: compare every locked cell with what `reportc new` wrote.

Sheet protection is removed in seconds, so it proves nothing. Instead the expected
content of every sheet is the sheet plan (plan.py) computed from the specification
and compared cell by cell with the file: labels, formulas, totals, the 校验 sheet and
the metadata. Input cells are the only cells allowed to differ.
"""

from __future__ import annotations

from .findings import Finding, fmt_value
from .kinds import declared
from .layout import a1

MAX_LISTED = 20  # changed cells listed one by one per sheet; the rest are counted


def _norm(value):
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)):
        return float(value)
    text = str(value)
    if text.startswith("="):
        # LibreOffice writes the constants TRUE and FALSE as TRUE() and FALSE()
        return "=" + text[1:].replace(" ", "").replace("$", "").replace("'", "").upper().replace("TRUE()", "TRUE").replace(
            "FALSE()", "FALSE")
    return text


def _show(value) -> str:
    if value is None or value == "":
        return "（空）"
    text = fmt_value(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else str(value)
    return text if len(text) <= 40 else text[:40] + "…"


def _shift(expected: dict, actual: dict, changed: list) -> str:
    """Explain a block of changes as inserted or deleted rows or columns, if it is one."""
    labels = [(pos, expected[pos]) for pos, _, _ in changed if isinstance(expected.get(pos), str) and expected[pos]]
    if len(labels) < 3:
        return ""
    for axis, word in ((0, "行"), (1, "列")):
        for k in (1, -1, 2, -2, 3, -3):
            moved = [pos for pos, text in labels
                     if _norm(actual.get((pos[0] + k, pos[1]) if axis == 0 else (pos[0], pos[1] + k))) == _norm(text)]
            if len(moved) >= max(3, len(labels) * 2 // 3):
                first = min(p[axis] for p in moved)
                where = f"第{first + 1}行" if axis == 0 else f"{a1(0, first)[:-1]}列"
                return f"看起来在{where}附近{'插入' if k > 0 else '删除'}了{abs(k)}{word}。"
    return ""


def _changed(expected: dict, actual: dict, ok) -> list:
    """(position, expected, found) of every cell outside `ok` whose content differs, by position.
    Most cells are stored as written: they are compared as they are, and normalised only when they differ."""
    changed = []
    for pos, was in expected.items():
        if pos in ok:
            continue
        now = actual.get(pos)
        if now != was and _norm(was) != _norm(now):
            changed.append((pos, was, now))
    for pos, now in actual.items():
        if pos not in expected and pos not in ok and _norm(now) is not None:
            changed.append((pos, None, now))
    changed.sort(key=lambda item: item[0])
    return changed


def compare(spec, expected_sheets: dict, actual_sheets: dict, allowed: dict, sheetnames: list[str]) -> list[Finding]:
    """Rules M2 (sheets) and M3 (locked cells), worded by `spec`; expected_sheets/actual_sheets:
    {sheet: {(r, c): value}}; allowed: {sheet: {(r, c)}} input cells."""
    findings: list[Finding] = []
    missing = [name for name in expected_sheets if name not in sheetnames]
    extra = [name for name in sheetnames if name not in expected_sheets]
    for name in missing:
        renamed = len(missing) == 1 and len(extra) == 1
        findings.append(declared(spec, "M2", name, "renamed" if renamed else "missing", sheet=name,
                                 other=extra[0] if renamed else ""))
    for name in extra:
        findings.append(declared(spec, "M2", name, "extra", sheet=name))
    for name, expected in expected_sheets.items():
        if name not in actual_sheets:
            continue
        actual = actual_sheets[name]
        changed = _changed(expected, actual, allowed.get(name, set()))
        if not changed:
            continue
        shift = _shift(expected, actual, changed)
        below = max(r for r, _ in expected) if expected else 0
        for pos, was, now in changed[:MAX_LISTED]:
            if was is None and pos[0] > below:
                variant, was_text = "outside", _show(was)
            elif isinstance(was, str) and was.startswith("=") and not (isinstance(now, str) and str(now).startswith("=")):
                variant, was_text = "formula", was
            else:
                variant, was_text = "changed", _show(was)
            findings.append(declared(spec, "M3", f"{name}!{a1(*pos)}", variant, was=was_text, now=_show(now),
                                     left=_show(now), right=_show(was)))  # 填写值, 应为
        rest = len(changed) - MAX_LISTED
        if shift or rest > 0:
            findings.append(declared(spec, "M3", name, "summary", sheet=name, count=len(changed), shift=shift,
                                     listed=f"以上只列出前{MAX_LISTED}个。" if rest > 0 else ""))
    return findings
