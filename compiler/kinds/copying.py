"""Copy-paste mistakes: a report taken over from another body or from last year and not
fully adapted. reportc checks these in Python; the 校验 sheet cannot read prose.

- fields_filled: 落款 and 发布日期 are filled in (a reminder);
- signature_org: 落款 names this body (or its office);
- publish_date: 发布日期 falls in the year after the reporting year;
- other_year: a sentence opens with an earlier year as if it were this one (“2024年，我局…” in 2025);
- speaking_body: the body the text names as its author or contact is this one (or its office);
- same_text / same_tables (with `--previous`): a narrative section or a table that is last year's.

Every pattern has bounded quantifiers, and similarity is measured on sets of character
shingles: linear in the length of the text.
"""

from __future__ import annotations

import re
import unicodedata

from ..checks import Check, input_keys, paragraph_keys, span
from ..findings import Finding, fmt_value
from ..layout import location
from .base import Kind, Param, SpecError


class _CopyKind(Kind):
    @classmethod
    def expand(cls, spec, rule, previous_edition):
        return [Check(rule, rule.title, "")]


def _info(data, name: str) -> str:
    return str(data.texts.get(f"info.{name}", "") or "").strip()


def _year(data) -> int | None:
    from ..opening import typed_year

    return typed_year(data.texts.get("info.year", ""))


def _key(text: str) -> str:
    from ..values import org_key

    return org_key(text)


class FieldsFilled(_CopyKind):
    name = "fields_filled"
    doc = "基本信息中应填写的项目（如落款、发布日期）已填写（未填写时提醒）"
    params = {"fields": Param(list, doc="基本信息项目的编号")}

    @classmethod
    def check_refs(cls, spec, rule):
        known = {f.id for f in spec.fields}
        for name in rule.params["fields"]:
            if name not in known:
                raise SpecError(rule.source, rule.id, "fields", f"基本信息中没有编号为“{name}”的项目。")

    @classmethod
    def find(cls, spec, check, data, values, readings=()):
        rule = check.rule
        labels = {f.id: f.label for f in spec.fields}
        return [Finding(rule.id, rule.severity, location(spec, f"info.{name}"), rule.message.format(target=labels[name]))
                for name in rule.params["fields"] if not _info(data, name)]


class SignatureOrg(_CopyKind):
    name = "signature_org"
    doc = "落款是本机关的名称（或本机关的办公室等规定的内设机构）"
    params = {"offices": Param(list, required=False, doc="落款可在机关名称后加的内设机构，如“办公室”")}

    @classmethod
    def find(cls, spec, check, data, values, readings=()):
        rule = check.rule
        signer, org = _info(data, "signature"), _info(data, "org")
        if not signer or not org:  # an empty 落款 is rule fields_filled's; an empty 机关名称 rule R1's
            return []
        allowed = {_key(org + office) for office in ("", *rule.params.get("offices", ()))}
        if _key(signer) in allowed:
            return []
        return [Finding(rule.id, rule.severity, location(spec, "info.signature"),
                        rule.message.format(left=signer, right=org), left=signer, right=org)]


DATE = re.compile(r"((?:19|20|21)\d\d)年(\d{1,2})月(\d{1,2})日")


class PublishDate(_CopyKind):
    name = "publish_date"
    doc = "发布日期在报告年度的次年（1月1日至12月31日之间）"
    params = {}

    @classmethod
    def find(cls, spec, check, data, values, readings=()):
        from datetime import date

        from ..opening import format_date

        rule = check.rule
        typed, year = _info(data, "publish_date"), _year(data)
        if not typed or year is None:
            return []
        shown = format_date(typed)
        m = DATE.fullmatch(shown)
        when = None
        if m:
            try:
                when = date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
            except ValueError:
                when = None
        if when is not None and when.year == year + 1:
            return []
        if when is None:
            message = f"发布日期“{typed}”不是可以读懂的日期；请写成“{year + 1}年1月20日”这样的日期。"
        else:
            message = rule.message.format(left=shown, year=year, next=year + 1)
        return [Finding(rule.id, rule.severity, location(spec, "info.publish_date"), message, left=typed,
                        right=f"{year + 1}年")]


# ---- the year and the body the text speaks as -------------------------------------------------

SENTENCE_END = re.compile(r"[。！？；!?;\n]")
# a sentence's opening: list markers such as （一） 1. 一是 before the words
MARKER = re.compile(r"[\s\u3000]{0,6}(?:[（(][一二三四五六七八九十\d]{1,3}[)）]|[一二三四五六七八九十]{1,3}[、是]|"
                    r"\d{1,2}[.、．])?[\s\u3000]{0,3}")
# a year spoken of as the year of the report: “2024年，”, “2024年度，”, “2024年全年”, “2024年我局”
OPENING_YEAR = re.compile(r"((?:19|20|21)\d\d)[\s\u3000]{0,2}年度?[\s\u3000]{0,2}(?=[，,]|全年|我|本)")
# “本年度（2024年）”, “今年（2024年度）”
THIS_YEAR_IS = re.compile(r"(?:本年度?|今年|本报告年度)[\s\u3000]{0,2}[（(][\s\u3000]{0,2}((?:19|20|21)\d\d)"
                          r"[\s\u3000]{0,2}年?度?[\s\u3000]{0,2}[）)]")


def sentences(text: str):
    """(start, sentence) of each sentence of a paragraph (a linear scan)."""
    start = 0
    for m in SENTENCE_END.finditer(text):
        yield start, text[start:m.start()]
        start = m.end()
    if start < len(text):
        yield start, text[start:]


def other_years(text: str, year: int) -> list[str]:
    """The phrases of a paragraph that speak of another year as the report's year."""
    out = []
    for _, sentence in sentences(text):
        marker = MARKER.match(sentence)
        m = OPENING_YEAR.match(sentence, marker.end() if marker else 0)
        # an earlier year only: “2026年，我局将…” in a 2025 report is a plan, not a copy
        if m and int(m.group(1)) < year:
            out.append(sentence[m.start():m.end() + 12].strip().rstrip("，,、；;："))
    for m in THIS_YEAR_IS.finditer(text):
        if int(m.group(1)) != year:
            out.append(m.group(0))
    return out


class OtherYear(_CopyKind):
    name = "other_year"
    doc = ("正文没有把别的年度当作本年度来写：句子或段落以更早的年度开头（如2025年报告中的“2024年，我局…”），"
           "或“本年度（2024年）”；比较的说法（与2024年相比、较上年、2024年结转、截至2024年底）不在此列")
    params = {}

    @classmethod
    def find(cls, spec, check, data, values, readings=()):
        rule = check.rule
        year = _year(data)
        if year is None:
            return []
        out = []
        for section in spec.narrative:
            for key in paragraph_keys(spec, section.id):
                found = other_years(data.texts.get(key, ""), year)
                if found:
                    out.append(Finding(rule.id, rule.severity, location(spec, key),
                                       rule.message.format(target=section.title, found=found[0], right=year),
                                       left=found[0], right=str(year)))
        return out


# “本报告由X根据…编制”, “请与X联系”, “联系X办公室”: X is the body that speaks
SPEAKERS = (
    re.compile(r"本报告由([^，。；,;\n]{1,40}?)(?:根据|依据|按照|结合|编制)"),
    re.compile(r"(?:请|可)与([^，。；,;\n（(：:]{1,40}?)联系"),
    re.compile(r"请联系([^，。；,;\n（(：:]{1,40}?办公室)"),
)
PLACE = "省市县区州盟旗镇乡"
# words that name a body of its own (another 局, 委, 政府 …); an internal unit (办公室, 政务公开科) has none
BODY_WORDS = ("局", "委", "厅", "政府", "院", "署", "中心", "街道", "镇", "乡", "公司", "办事处")


def org_forms(org: str) -> list[str]:
    """The ways a body's own text names it: 宿迁市人民政府 → 宿迁市人民政府, 宿迁市政府, 市人民政府,
    市政府, 人民政府, 政府 (from each place word on, with and without 人民)."""
    forms = set()
    for name in {org, org.replace("人民", "")}:
        forms.add(name)
        for i, ch in enumerate(name):
            if ch in PLACE:
                forms.update(x for x in (name[i:], name[i + 1:]) if len(x) >= 2)
    return sorted(forms, key=len, reverse=True)


def names_another_body(speaker: str, org: str) -> bool:
    x = _key(speaker)
    if not x or x[0] in "本我该" or "、" in x:  # a list (本报告由总体情况、…组成) names no body
        return False
    if any(x.startswith(_key(form)) for form in org_forms(org)):
        return False
    if x[0] in "局委厅院署":  # 局办公室: this bureau's office
        return False
    return any(word in x for word in BODY_WORDS)


def speakers(text: str) -> list[str]:
    return [m.group(1).strip() for pattern in SPEAKERS for m in pattern.finditer(text)]


class SpeakingBody(_CopyKind):
    name = "speaking_body"
    doc = ("正文中自称的机关是本机关：开篇的“本报告由……编制”、联系方式中的“请与……联系”“联系……办公室”"
           "所写的机关应为本机关或其内设机构")
    params = {}

    @classmethod
    def find(cls, spec, check, data, values, readings=()):
        from ..opening import OPENING_ID, refresh

        rule = check.rule
        org = _info(data, "org")
        if not org:
            return []
        out = []
        for section in spec.narrative:
            for key in paragraph_keys(spec, section.id):
                text = data.texts.get(key, "")
                if section.id == OPENING_ID and text:
                    text = refresh(spec, data.texts, text)  # the standard wording is printed with 基本信息
                other = next((s for s in speakers(text) if names_another_body(s, org)), None)
                if other:
                    out.append(Finding(rule.id, rule.severity, location(spec, key),
                                       rule.message.format(target=section.title, found=other, right=org),
                                       left=other, right=org))
        return out


# ---- last year's report, with --previous ---------------------------------------------------------

NOT_WORDS = re.compile(r"[\d\s\u3000.,，、%％:：;；·\-—()（）\"“”'‘’]")
SHINGLE = 4


def normalised(text: str) -> str:
    """Text without numbers, whitespace and punctuation that numbers bring (full-width folded)."""
    return NOT_WORDS.sub("", unicodedata.normalize("NFKC", text))


def similarity(a: str, b: str) -> float:
    """Jaccard similarity of the sets of 4-character shingles (1.0: the same words in any order)."""
    sa = {a[i:i + SHINGLE] for i in range(max(len(a) - SHINGLE + 1, 1))}
    sb = {b[i:i + SHINGLE] for i in range(max(len(b) - SHINGLE + 1, 1))}
    return len(sa & sb) / len(sa | sb) if sa | sb else 1.0


class SameText(_CopyKind):
    name = "same_text"
    doc = "（有上年工作簿时）正文各部分不是上年报告的原文照搬：去掉数字和空白后与上年相同或几乎相同（相似度达到规定比例）时提醒"
    params = {
        "sections": Param(list, doc="比较的正文部分编号"),
        "threshold": Param(int, doc="相似度（百分比）达到多少时提醒"),
        "min_chars": Param(int, doc="去掉数字和空白后不足多少字的部分不比较（如“无”）"),
    }

    @classmethod
    def check_refs(cls, spec, rule):
        known = {n.id for n in spec.narrative}
        for sid in rule.params["sections"]:
            if sid not in known:
                raise SpecError(rule.source, rule.id, "sections", f"没有编号为“{sid}”的正文部分。")
        if not 0 < rule.params["threshold"] <= 100:
            raise SpecError(rule.source, rule.id, "threshold", "应为1到100之间的百分比。")

    @classmethod
    def find(cls, spec, check, data, values, readings=()):
        rule = check.rule
        last = data.last
        if last is None:
            return []
        out = []
        last_ids = {n.id for n in last.spec.narrative}
        for sid in rule.params["sections"]:
            if sid not in last_ids:
                continue
            keys = paragraph_keys(spec, sid)
            now = normalised("".join(data.texts.get(k, "") for k in keys))
            before = normalised("".join(last.data.texts.get(k, "") for k in paragraph_keys(last.spec, sid)))
            if min(len(now), len(before)) < rule.params["min_chars"]:
                continue
            ratio = similarity(now, before)
            if ratio * 100 >= rule.params["threshold"]:
                first = next((k for k in keys if data.texts.get(k, "").strip()), keys[0])
                percent = f"{int(ratio * 100)}%"
                out.append(Finding(rule.id, rule.severity, location(spec, first),
                                   rule.message.format(target=spec.section(sid).title, found=percent,
                                                       previous=last.path.name),
                                   left=percent, right=f"{rule.params['threshold']}%"))
        return out


class SameTables(_CopyKind):
    name = "same_tables"
    doc = "（有同一格式版本的上年工作簿时）一张表格的全部填报数字不是与上年完全相同（非零数字达到规定个数时才比较）"
    params = {"min_nonzero": Param(int, doc="表格中至少有多少个非零数字时才比较")}

    @classmethod
    def find(cls, spec, check, data, values, readings=()):
        rule = check.rule
        last = data.last
        if last is None or last.spec.edition != spec.edition:
            return []
        inputs = set(input_keys(spec))
        out = []
        for table in spec.tables:
            keys = [k for k, _, _ in table.cells() if k in inputs]
            if any(k in data.invalid or k in data.blanks or k in last.data.invalid for k in keys):
                continue  # bad or blank cells are their own findings
            now = [data.numbers.get(k, 0) for k in keys]
            if now != [last.data.numbers.get(k, 0) for k in keys]:
                continue
            nonzero = sum(1 for v in now if v)
            if nonzero < rule.params["min_nonzero"]:
                continue
            out.append(Finding(rule.id, rule.severity, span(spec, keys),
                               rule.message.format(target=table.short, left=len(keys), found=nonzero,
                                                   previous=last.path.name),
                               left=fmt_value(len(keys))))
        return out
