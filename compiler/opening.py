"""The opening paragraph (开篇) before 一、总体情况, and the 落款 at the end.

`reportc new` prefills the opening slot with the standard wording published reports
use (编制依据, 统计期限, 电子版下载位置, 联系方式), built from 基本信息. When the clerk
keeps that wording, the outputs take the body's name, website and contacts from
基本信息 as they are at build time (the clerk fills the contacts after `new`); the
statistical period stays as the clerk typed it. Anything else the clerk wrote is
printed verbatim.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

OPENING_ID = "s0"
BASIS = "根据《中华人民共和国政府信息公开条例》（以下简称《条例》）和《中华人民共和国政府信息公开工作年度报告格式》要求编制"
CONTACT_PARTS = (("address", "地址"), ("postcode", "邮编"), ("phone", "电话"), ("email", "电子邮箱"))
DEFAULT_SITE = "本机关门户网站"

STANDARD = re.compile(
    r"本报告由(?P<org>[^，。]+?)" + re.escape(BASIS) + "。"
    r"(?P<contents>全文包括[^。]*。)?"
    r"本报告中所列数据的统计期限自(?P<y1>\d{4})年1月1日起至(?P<y2>\d{4})年12月31日止。"
    r"(?:本报告电子版可在[^。]*?下载。)?"
    r"(?:如对本报告有疑问，请与[^。（]*?联系(?:（[^。]*?）)?。)?"
)
# Bounded: a clause is “统计期限自2024年1月1日起至2024年12月31日止” (no input makes reading it slow).
PERIOD = re.compile(r"统计(?:期限|期间|时限|周期|区间)[^。；\n]{0,100}")
YEAR = re.compile(r"(?<!\d)((?:19|20|21)\d\d)\s{0,4}年")


def _contents(spec) -> str:
    titles = [re.sub(r"^[一二三四五六七八九十]+、", "", spec.section(s).title)
              for s in spec.section_order if s != OPENING_ID]
    return "全文包括" + "、".join(titles) + "。"


def standard_text(spec, texts: dict, y1: str | None = None, y2: str | None = None, contents: str | None = None) -> str:
    """The standard opening paragraph for the 基本信息 in `texts` (info.* keys)."""
    def info(name: str) -> str:
        return str(texts.get(f"info.{name}", "") or "").strip()

    org = info("org") or "本机关"
    year = info("year")
    y1, y2 = y1 or year, y2 or year
    site = info("website") or DEFAULT_SITE
    unit = info("contact_unit") or org
    parts = [f"{label}：{info(name)}" for name, label in CONTACT_PARTS if info(name)]
    contact = f"（{'，'.join(parts)}）" if parts else ""
    return (f"本报告由{org}{BASIS}。{contents if contents is not None else _contents(spec)}"
            f"本报告中所列数据的统计期限自{y1}年1月1日起至{y2}年12月31日止。"
            f"本报告电子版可在{site}下载。如对本报告有疑问，请与{unit}联系{contact}。")


def prefill(spec, texts: dict) -> dict:
    """Opening-slot values for a new workbook."""
    if OPENING_ID not in spec.section_order:
        return {}
    return {f"{OPENING_ID}.intro.1": standard_text(spec, texts)}


def refresh(spec, texts: dict, paragraph: str) -> str:
    """The paragraph with 基本信息 as it is now, if the clerk kept the standard wording."""
    m = STANDARD.fullmatch(paragraph.strip())
    if not m:
        return paragraph
    return standard_text(spec, texts, m.group("y1"), m.group("y2"), m.group("contents") or "")


def period_years(text: str) -> list[tuple[str, str]]:
    """(sentence, year) for each year named in a statistical-period clause."""
    out = []
    for m in PERIOD.finditer(text):
        clause = m.group(0)
        out += [(clause, y.group(1)) for y in YEAR.finditer(clause)]
    return out


def format_date(value: str) -> str:
    """发布日期 as written in official documents (2026年1月20日); other text unchanged."""
    text = str(value or "").strip()
    if re.fullmatch(r"\d{5}(?:\.0+)?", text) and 36526 <= float(text) <= 73050:  # Excel day number, 2000–2099
        d = date(1899, 12, 30) + timedelta(days=int(float(text)))
        return f"{d.year}年{d.month}月{d.day}日"
    m = re.fullmatch(r"(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?(?:\s+00:00(?::00)?)?", text)
    if m:
        try:
            d = date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        except ValueError:
            return text
        return f"{d.year}年{d.month}月{d.day}日"
    return text


def signature(texts: dict) -> tuple[str, ...]:
    """The 落款 lines (signer, date); empty when neither is given."""
    signer = str(texts.get("info.signature", "") or "").strip()
    when = format_date(texts.get("info.publish_date", ""))
    if not signer and not when:
        return ()
    return tuple(x for x in (signer or str(texts.get("info.org", "")).strip(), when) if x)


def text_width(text: str) -> float:
    """Width in body characters: CJK characters 1, digits and Latin letters ½."""
    return sum(0.5 if ord(ch) < 0x2E80 else 1.0 for ch in text)


SIGNATURE_RIGHT = 4  # the date stands four characters from the right margin (右空四字)


def signature_indents(lines: tuple[str, ...]) -> list[float]:
    """Right indents (in characters) of the 落款 lines: the date 右空四字, the signer centred over it;
    a signer longer than the date keeps 右空二字 and the date is centred under it."""
    if len(lines) < 2:
        return [SIGNATURE_RIGHT] * len(lines)
    signer, when = text_width(lines[0]), text_width(lines[1])
    if signer <= when:
        return [SIGNATURE_RIGHT + (when - signer) / 2, SIGNATURE_RIGHT]
    right = max(2.0, SIGNATURE_RIGHT - (signer - when) / 2)
    return [right, right + (signer - when) / 2]


def typed_year(text) -> int | None:
    """The year a clerk typed: 2025, “2025年”, “2025年度” give 2025 (规则R1 reports the form); else None."""
    m = re.fullmatch(r"\s*(\d{4})\s*(?:年度?)?\s*", str(text or ""))
    return int(m.group(1)) if m else None


def check_period_year(spec, check, data, values) -> list:
    """Text rule (kind "period_year"): the statistical period in the opening names the report's year."""
    from .checks import paragraph_keys
    from .findings import Finding
    from .layout import location

    year = typed_year(data.texts.get("info.year", ""))
    year = str(year) if year is not None else ""  # no readable year: 规则R1 says so
    section = check.rule.params.get("section", OPENING_ID)
    if not year or section not in spec.section_order:
        return []
    out = []
    for key in paragraph_keys(spec, section):
        for clause, found in period_years(data.texts.get(key, "")):
            if found != year:
                out.append(Finding(
                    check.rule.id, check.rule.severity, location(spec, key),
                    check.rule.message.format(target=spec.section(section).title, found=found, right=year,
                                              clause=clause),
                    left=found, right=year,
                ))
                break
    return out
