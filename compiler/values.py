"""Turn what a clerk typed into a number cell into a number, or say exactly what is wrong."""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime, time
from decimal import Decimal

from .record import record

SPACES = " \t\r\n\u3000\u00a0\u2002\u2003\u2009\u200b\ufeff"
DASHES = {"—", "－", "-", "--", "——", "/", "／", "\\", "、", "…", "..."}
NONE_WORDS = {"无", "没有", "暂无", "空", "零", "nil", "null", "none", "n/a", "na"}
TOO_LARGE = "大得不合常理"  # words of the D6 message for a number beyond the specification's bound
NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)$")


@record(frozen=True)
class Parsed:
    value: int | Decimal | None  # None: blank
    problem: str = ""  # non-empty: an error message about the raw value
    note: str = ""  # non-empty: the value was normalised; say how


def _to_halfwidth(text: str) -> str:
    return unicodedata.normalize("NFKC", text)


def parse_number(raw, kind: str, decimals: int = 6, limit: Decimal | None = None) -> Parsed:
    """kind: count (whole, >= 0), signed_count (whole), amount (decimal >= 0, in 万元); limit:
    the largest plausible absolute value (from the specification), beyond it an error.
    A problem message ends with how the cell is counted meanwhile (按0计算), so that the
    findings that follow from it (sums, narrative numbers) can be understood."""
    parsed = _parse(raw, kind, decimals, limit)
    if parsed.problem:
        counted = _show(Decimal(parsed.value)) if parsed.value is not None else "0"
        return Parsed(parsed.value, f"{parsed.problem}改正前，本格按{counted}计算。", parsed.note)
    return parsed


def _parse(raw, kind: str, decimals: int, limit: Decimal | None = None) -> Parsed:
    if raw is None:
        return Parsed(None)
    if isinstance(raw, bool):
        return Parsed(0, f"应填写数字，实际是逻辑值“{'TRUE' if raw else 'FALSE'}”。")
    if isinstance(raw, (datetime, date, time)):
        return Parsed(0, f"应填写数字，实际被识别为日期或时间“{raw}”；请把单元格格式改为“常规”后重新输入数字。")
    note = ""
    if isinstance(raw, str):
        text = raw.strip(SPACES)
        if text == "":
            return Parsed(None, note="单元格中只有空格，按空白处理。" if raw else "")
        if text.startswith("="):
            return Parsed(0, f"应直接填写数字，实际是公式“{text}”；请改为公式的计算结果。")
        half = _to_halfwidth(text).replace(",", "").replace(" ", "")
        if NUMBER.match(half):
            # A number stored as text is not a number to Excel, WPS or LibreOffice: the table's
            # 合计 formulas and the 校验 sheet leave it out. reportc counts it as they do (0) and
            # says so as an error, so that the workbook, the sheet and `check` give one verdict.
            if limit is not None and abs(Decimal(half)) > limit:
                return _too_large(Decimal(half), kind, limit)
            how = []
            if half != text.replace(",", ""):
                how.append("含全角数字或符号")
            if raw != text:
                how.append("带有空格")
            if "," in text or "，" in text:
                how.append("带有千位分隔符")
            typed = raw if len(raw) <= 40 else raw[:40] + "…"
            return Parsed(0, f"单元格的内容是文本“{typed}”" + (f"（{'，'.join(how)}）" if how else "")
                          + f"，不是数字，表格的合计和“校验”表都不计入它；请重新输入数字{half}"
                            "（或选中该格，点击旁边的感叹号，选“转换为数字”）。")
        else:
            return Parsed(0, _text_problem(text, kind, decimals))
    if isinstance(raw, float):
        if raw != raw or raw in (float("inf"), float("-inf")):
            return Parsed(0, "应填写数字，实际是无效数值。")
        raw = Decimal(repr(raw))
    if isinstance(raw, int):
        raw = Decimal(raw)
    if not isinstance(raw, Decimal):
        return Parsed(0, f"应填写数字，实际是“{raw}”。")
    if limit is not None and abs(raw) > limit:
        return _too_large(raw, kind, limit)
    value: int | Decimal = int(raw) if raw == raw.to_integral_value() else raw
    shown = _show(raw)
    if kind in ("count", "signed_count") and isinstance(value, Decimal):
        return Parsed(value, f"件数应为整数，实际填写了{shown}；请改为整数。", note)
    if kind != "signed_count" and value < 0:
        what = "金额" if kind == "amount" else "件数"
        return Parsed(value, f"{what}不能为负数，实际填写了{shown}。", note)
    if kind == "amount" and isinstance(value, Decimal):
        exponent = value.normalize().as_tuple().exponent
        if isinstance(exponent, int) and -exponent > decimals:
            return Parsed(value, f"金额最多保留{decimals}位小数，实际填写了{shown}；请按规定位数填写，reportc 不会自动舍入。", note)
    return Parsed(value, "", note)


def _too_large(raw: Decimal, kind: str, limit: Decimal) -> Parsed:
    shown = _show(raw)
    shown = shown if len(shown) <= 20 else f"{shown[:12]}…（共 {len(shown)} 位）"
    what = "金额（万元）" if kind == "amount" else "件数"
    return Parsed(0, f"数值{shown}{TOO_LARGE}（{what}不应超过{_show(limit)}）；请核对是否多输入了数字。")


def _show(d: Decimal) -> str:
    return format(d.normalize(), "f") if d != 0 else "0"


UNIT_TO_WAN = {"元": Decimal("0.0001"), "万元": Decimal(1), "万": Decimal(1), "亿元": Decimal(10000), "亿": Decimal(10000)}
WITH_UNIT = re.compile(r"^([+-]?\d+(?:\.\d+)?)\s*(件|个|项|次|条|亿元|亿|万元|万|元|份|宗)$")


def _text_problem(text: str, kind: str = "count", decimals: int = 6) -> str:
    shown = text if len(text) <= 40 else text[:40] + "…"
    low = text.lower()
    if low in NONE_WORDS or text in DASHES:
        return f"应填写数字，实际填写了“{shown}”；没有发生的请填0。"
    m = WITH_UNIT.match(_to_halfwidth(text).replace(",", "").replace(" ", ""))
    if m:
        number, unit = m.group(1), m.group(2)
        if kind == "amount" and unit in UNIT_TO_WAN and unit not in ("万元", "万"):
            return _converted(shown, Decimal(number), unit, decimals)
        number = number if len(number) <= 20 else f"{number[:12]}…（共 {len(number)} 位）"
        return f"应只填写数字，实际填写了“{shown}”；请去掉单位，只填{number}。"
    return f"应填写数字，实际填写了文字“{shown}”。"


def _converted(shown: str, number: Decimal, unit: str, decimals: int) -> str:
    """251000元 in a 万元 cell: say what it is in 万元 and what to type."""
    wan = number * UNIT_TO_WAN[unit]
    exact = _show(wan)
    text = f"本格以万元为单位，实际填写了“{shown}”：{_show(number)}{unit} = {exact}万元，请填 {exact}。"
    rounded = wan.quantize(Decimal(1).scaleb(-decimals), rounding="ROUND_HALF_UP")
    if rounded != wan:
        text = (f"本格以万元为单位，实际填写了“{shown}”：{_show(number)}{unit} = {exact}万元，"
                f"按规定保留{decimals}位小数，请填 {_show(rounded)}。")
    return text


# Characters a reader cannot see: C0/C1 controls, zero-width characters, bidirectional
# controls (U+202E can make "12" read as "21"), invisible operators, characters XML cannot
# hold (U+FFFE, U+FFFF, lone surrogates). Removed from clerk text with a note (R4).
CONTROL = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u00ad\u061c\u180e\u200b-\u200f\u2028-\u202e"
    "\u2060-\u206f\ufeff\ufff9-\ufffb\ufffe\uffff\ud800-\udfff]"
)


def clean_text(raw) -> tuple[str, bool]:
    """Narrative or field text: (text, whether control characters were removed)."""
    if raw is None:
        return "", False
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)
    text = str(raw).replace("\r\n", "\n").replace("\r", "\n")
    cleaned = CONTROL.sub("", text)
    return cleaned, cleaned != text


BRACKETS = str.maketrans({"【": "(", "】": ")", "〔": "(", "〕": ")", "[": "(", "]": ")", "〈": "(", "〉": ")",
                          "{": "(", "}": ")", "«": "(", "»": ")"})


def org_key(text) -> str:
    """机关名称 as people mean it: full/half-width forms, bracket styles （）【】〔〕[], spaces and
    invisible characters do not count (“某县 民政局（本级）” = “某县民政局(本级)”)."""
    import unicodedata

    text = unicodedata.normalize("NFKC", CONTROL.sub("", str(text or ""))).translate(BRACKETS)
    return "".join(text.split()).casefold()


def parse_value(text: str):
    """A number stored as text in a workbook's metadata ("12", "3.5") as int or Decimal."""
    d = Decimal(text)
    return int(d) if d == d.to_integral_value() else d
