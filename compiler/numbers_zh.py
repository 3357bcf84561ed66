"""Numbers in Chinese prose, in every form clerks type or paste.

`find_numbers(text)` yields each number that is stated as a quantity: a numeral
(half- or full-width digits, thousands separators, decimals, Chinese numerals
七/十七/一百零五/两千三百, 〇/零, a 万/亿 multiplier) followed — after any kind of
space, even U+3000 or a no-break space — by a unit (件, 条, 万元, %, …). Numbers that
restate nothing are skipped: years (2024年), dates, article numbers (第二十条), ordinals
(第六期), phone numbers and codes. A unit is a word, not a character: 件 of 文件,
案件, 事件 is never a count (see `is_unit_word`).

Pure functions, regexes compiled once; no imports beyond the standard library.
"""

from __future__ import annotations

import re
from decimal import Decimal

from .record import record

FULL_WIDTH = str.maketrans("０１２３４５６７８９．％", "0123456789.%")  # ，stays a clause mark
# Every space a pasted text may carry: ASCII, no-break, ideographic, thin/en/em spaces, zero-width.
SPACES = "\\s\u00a0\u1680\u2000-\u200b\u202f\u205f\u3000\ufeff"

CN_DIGITS = {"〇": 0, "零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
CN_SMALL = {"十": 10, "百": 100, "千": 1000}
CN_BIG = {"万": 10_000, "亿": 100_000_000}

# Units of a stated quantity, longest first so that 万元 wins over 元 and 人次 over 次.
UNITS = ("万元", "亿元", "人次", "场次", "余件", "件", "条", "次", "篇", "个", "项", "期", "场", "份", "部",
         "起", "宗", "例", "元", "家", "人", "名", "类", "批", "%")
# Characters that turn a unit into part of a word (件 in 文件 is a document, not a count);
# checked on the characters after the unit: 件数 is still a count.
UNIT_WORDS = {
    "件": ("文件", "案件", "事件", "条件", "附件", "邮件", "稿件", "软件", "证件", "函件", "信件", "物件", "要件",
          "部件", "配件", "硬件", "快件", "来件", "原件", "复印件", "材料件"),
    "条": ("条例", "条款", "条目", "条线", "条件", "条文", "条理", "条幅", "条码", "条形"),
    "项": ("项目", "事项", "款项", "选项", "单项", "专项", "项下"),
    "次": ("次要", "次数", "次序", "次日", "次年", "次月", "层次", "名次", "档次", "其次"),
    "个": ("个人", "个别", "个体", "个性", "个案"),
    "期": ("期限", "期间", "期内", "期末", "期满", "期刊", "日期", "定期", "逾期", "如期", "期待", "期望", "期盼"),
    "份": ("身份", "股份", "年份", "月份", "省份"),
    "部": ("部门", "部分", "部署", "部件", "内部", "全部", "局部", "部位"),
    "人": ("人员", "人民", "人口", "人才", "人大", "人社", "人力"),
    "元": ("元旦", "元素", "单元", "多元", "元年"),
    "场": ("场所", "场地", "场景", "现场", "市场", "立场", "场合"),
    "类": ("类型", "类别", "类似", "分类"),
    "家": ("家庭", "国家", "专家", "家属"),
    "名": ("名单", "名称", "名次", "名义", "签名", "排名", "实名"),
    "批": ("批准", "批复", "批示", "审批", "批次"),
    "起": ("起诉", "起草", "起来", "起到", "发起", "提起", "引起", "起点"),
    "例": ("例外", "条例", "案例", "比例", "例如", "惯例"),
    "篇": ("篇幅", "篇章"),
    "宗": ("宗旨", "宗教"),
}


@record(frozen=True)
class Number:
    start: int  # position of the numeral in the text
    end: int  # position after the unit
    value: Decimal
    text: str  # the number and its unit as written, e.g. "1.2万件"
    unit: str  # 件, 万元, %, …
    decimals: int  # digits after the point as written (rounding the text allows)
    scale: int  # 1, or 10 000 for "1.2万件" (the rounding is of the 万)
    approx: bool  # 余/多/约/近: "200余场"


# Every repetition is bounded, so that no text makes a reader take more than linear time: a
# number has at most 20 digits (5 thousands groups, 10 decimals) or 24 Chinese numerals; a
# longer run is not a number (the part of it that matches is glued to a digit or a numeral
# on its left, and is skipped). The lookbehinds skip, at once, the starts inside a run that
# `_skip` would refuse anyway (a digit or point on the left, a numeral after a numeral), and
# the groups of a run with too many (1,000,000,000,000,000,000件 is not 000,000,…件).
MAX_DIGITS, MAX_GROUPS, MAX_DECIMALS, MAX_NUMERALS, MAX_SPACES = 20, 5, 10, 24, 4
_ARABIC = (rf"(?<![0-9.])(?<!\d,)(?:\d{{1,3}}(?:,\d{{3}}){{1,{MAX_GROUPS}}}(?:\.\d{{1,{MAX_DECIMALS}}})?"
           rf"|\d{{1,{MAX_DIGITS}}}(?:\.\d{{1,{MAX_DECIMALS}}})?)")
_CHINESE = rf"[〇零一二两三四五六七八九十百千万亿]{{1,{MAX_NUMERALS}}}"
_UNIT = "|".join(re.escape(u) for u in UNITS)
NUMBER_RE = re.compile(
    rf"(?P<about>约|近|超过|逾)?(?P<num>{_ARABIC}|(?<![〇零一二两三四五六七八九十百千万亿]){_CHINESE})"
    rf"(?P<big>[万亿](?![元]))?(?P<more>余|多)?[{SPACES}]{{0,{MAX_SPACES}}}(?P<unit>{_UNIT})"
)
# A numeral glued to letters or digits on its left (0791-12345678, ABC123, V2) is a code.
_CODE_LEFT = re.compile(r"[A-Za-z0-9_\-/.+#@]$")
# Numerals that are parts of words: 一是, 三安全一稳定, 一体化, 十分 … are not numbers.
_ORDINAL_LEFT = ("第", "每", "前", "后")


def normalise(text: str) -> str:
    """Full-width digits, point and percent as ASCII (same length, same positions)."""
    return text.translate(FULL_WIDTH)


def chinese_value(text: str) -> int | None:
    """七 → 7, 十七 → 17, 一百零五 → 105, 两千三百 → 2300, 三万五千 → 35000, 二〇二 → 202."""
    if not text:
        return None
    if all(ch in CN_DIGITS for ch in text):  # digit by digit: 二〇二四, 一〇五
        return int("".join(str(CN_DIGITS[ch]) for ch in text))
    total, section, digit = 0, 0, None
    for ch in text:
        if ch in CN_DIGITS:
            if digit is not None and CN_DIGITS[ch] != 0:
                return None  # 三五 inside a unit-structured number
            digit = CN_DIGITS[ch] if CN_DIGITS[ch] else None
        elif ch in CN_SMALL:
            section += (1 if digit is None else digit) * CN_SMALL[ch]
            digit = None
        elif ch in CN_BIG:
            section += digit or 0
            if section == 0:
                return None
            total += section * CN_BIG[ch]
            section, digit = 0, None
        else:
            return None
    return total + section + (digit or 0)


# The words of UNIT_WORDS that a unit starts (条例 for 条; none for 件).
_WORDS_STARTING = {unit: tuple(w for w in words if w.startswith(unit)) for unit, words in UNIT_WORDS.items()}


def is_unit_word(text: str, unit_end: int, unit: str) -> bool:
    """True when the unit is the start of a word (件 of 文件 cannot start a word, but 条 of 条例 can)."""
    start = unit_end - len(unit)
    return any(text.startswith(word, start) for word in _WORDS_STARTING.get(unit, ()))


def unit_is_word_end(text: str, unit_start: int, unit: str) -> bool:
    """True when the unit's characters end a word: 文件, 案件, 事项 (the 件/项 are not units there)."""
    for word in UNIT_WORDS.get(unit, ()):
        if word.endswith(unit) and text.startswith(word, unit_start + len(unit) - len(word)):
            return True
    return False


def _skip(text: str, m: re.Match) -> bool:
    start = m.start("num")
    num, unit = m.group("num"), m.group("unit")
    left = text[max(0, start - 1):start]
    if left and (_CODE_LEFT.search(left) or left in _ORDINAL_LEFT):
        return True
    if m.group("about") is None and left and left in _CHINESE_CHARS and num[0] in _CHINESE_CHARS:
        return True  # part of a longer numeral word
    if num[0] in _CHINESE_CHARS and chinese_value(num) is None:
        return True
    if is_unit_word(text, m.end("unit"), unit):
        return True
    if num == "一" and m.group("more") is None:  # 办结一件申请、解决一个问题: an article, not a count
        after = text[m.end():m.end() + 1]
        if after and ("\u4e00" <= after <= "\u9fff" or after in "“「《"):
            return True
    if num == "零" and unit == "件":  # 零件 (parts)
        return True
    if unit == "%" or unit.endswith("元"):
        return False
    # a year, month or day is never followed by these units, but 2024年度 etc. never reach here
    return False


_CHINESE_CHARS = set("〇零一二两三四五六七八九十百千万亿")


def find_numbers(text: str, limit: int | None = None) -> list[Number]:
    """Every stated quantity in `text` (already `normalise`d or not); the first `limit` only."""
    text = normalise(text)
    out: list[Number] = []
    for m in NUMBER_RE.finditer(text):
        if limit is not None and len(out) >= limit:
            break
        if _skip(text, m):
            continue
        num = m.group("num")
        if num[0].isdigit():
            value = Decimal(num.replace(",", ""))
            decimals = len(num.split(".")[1]) if "." in num else 0
        else:
            value = Decimal(chinese_value(num))
            decimals = 0
        scale = 1
        unit = m.group("unit")
        if m.group("big"):
            scale = CN_BIG[m.group("big")]
        elif unit == "余件":
            unit = "件"
        value *= scale
        approx = bool(m.group("more") or m.group("about") or m.group("unit") == "余件")
        out.append(Number(m.start("num"), m.end(), value, text[m.start("num"):m.end()], unit, decimals, scale, approx))
    return out
