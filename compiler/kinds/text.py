"""Rules that read the narrative; reportc checks them, the 校验 sheet cannot."""

from __future__ import annotations

import re

from ..checks import Check, paragraph_keys
from ..findings import Finding, fmt_value
from ..layout import location
from .base import Kind, Param


class _TextKind(Kind):
    @classmethod
    def expand(cls, spec, rule, previous_edition):
        return [Check(rule, rule.title, "")]

    @classmethod
    def paragraphs(cls, spec, data):
        """(key, text) of every paragraph of every narrative section."""
        for section in spec.narrative:
            for key in paragraph_keys(spec, section.id):
                yield section, key, data.texts.get(key, "")


class Placeholder(_TextKind):
    name = "placeholder"
    doc = "正文中没有留下占位文字（如 XX、请填写）"
    params = {"patterns": Param(list, doc="占位文字")}

    @classmethod
    def find(cls, spec, check, data, values):
        out = []
        rule = check.rule
        for section, key, text in cls.paragraphs(spec, data):
            found = next((p for p in rule.params["patterns"] if p in text), None)
            if found:
                out.append(Finding(rule.id, rule.severity, location(spec, key),
                                   rule.message.format(target=section.title, found=found), left=excerpt(text, found)))
        return out


class TextMentions(_TextKind):
    name = "text_mentions"
    doc = "正文的某一部分提到了规定的事项"
    params = {"section": Param(str, doc="正文部分的编号"), "words": Param(list, doc="应提到的词语（任一即可）")}

    @classmethod
    def check_refs(cls, spec, rule):
        from .base import SpecError

        if rule.params["section"] not in {n.id for n in spec.narrative}:
            raise SpecError(rule.source, rule.id, "section", f"没有编号为“{rule.params['section']}”的正文部分。")

    @classmethod
    def find(cls, spec, check, data, values):
        rule = check.rule
        keys = paragraph_keys(spec, rule.params["section"])
        text = "".join(data.texts.get(k, "") for k in keys)
        if any(w in text for w in rule.params["words"]):
            return []
        return [Finding(rule.id, rule.severity, location(spec, keys[0]), rule.message)]


NUMERALS = "0123456789０１２３４５６７８９〇零一二三四五六七八九十百千万两几多余数每该此本逐首"


class MissingNumber(_TextKind):
    name = "missing_number"
    doc = "正文中计数的说法没有漏填数字（如“主动公开各类政府信息条”）"
    params = {"verbs": Param(list, doc="计数的动词"), "units": Param(list, doc="量词")}

    @classmethod
    def find(cls, spec, check, data, values):
        """A counting verb followed, within a few characters and with no numeral, by a unit."""
        rule = check.rule
        verbs = "|".join(map(re.escape, sorted(rule.params["verbs"], key=len, reverse=True)))
        units = "|".join(map(re.escape, sorted(rule.params["units"], key=len, reverse=True)))
        # the unit must end a clause (公开条例, 事项 are words, not counts); 共和国 is not 共
        pattern = re.compile(
            rf"(?:{verbs})(?![和同享])([^，。；：、,.;:\n《》{NUMERALS}]{{0,10}}?)(?<![事款选单专])(?:{units})(?=[，。；：、）),.;:\s]|$)"
        )
        out = []
        for section, key, text in cls.paragraphs(spec, data):
            for m in pattern.finditer(text):
                out.append(Finding(rule.id, rule.severity, location(spec, key),
                                   rule.message.format(target=section.title, found=m.group(0)), left=m.group(0)))
        return out


class NarrativeNumbers(_TextKind):
    name = "narrative_numbers"
    doc = "正文中引用的数字与表格一致"
    params = {"quotes": Param(list, doc="说法（正则表达式，一个分组为数字）及其对应的表格单元格")}

    @classmethod
    def find(cls, spec, check, data, values):
        rule = check.rule
        out = []
        quotes = [(re.compile(q["pattern"]), q) for q in rule.params["quotes"]]
        for section, key, text in cls.paragraphs(spec, data):
            for pattern, quote in quotes:
                for m in pattern.finditer(text):
                    want = sum((values[c] for c in quote["cells"]), 0)
                    if int(m.group(1)) != want:
                        out.append(Finding(
                            rule.id, rule.severity, location(spec, key),
                            rule.message.format(target=section.title, found=m.group(0), what=quote["what"],
                                                right=fmt_value(want)),
                            left=m.group(1), right=fmt_value(want), cells=tuple(quote["cells"]),
                        ))
        return out


class PeriodYear(_TextKind):
    name = "period_year"
    doc = "开篇写明的统计期限是报告年度（如“统计期限自2025年1月1日起至2025年12月31日止”）"
    params = {"section": Param(str, doc="开篇所在正文部分的编号")}

    @classmethod
    def check_refs(cls, spec, rule):
        TextMentions.check_refs(spec, rule)

    @classmethod
    def find(cls, spec, check, data, values):
        from ..opening import check_period_year

        return check_period_year(spec, check, data, values)


def excerpt(text: str, found: str) -> str:
    i = text.find(found)
    start = max(0, i - 12)
    return ("…" if start else "") + text[start: i + len(found) + 12] + ("…" if i + len(found) + 12 < len(text) else "")
