"""Rules that read the narrative; reportc checks them, the 校验 sheet cannot."""

from __future__ import annotations

from ..checks import Check, paragraph_keys
from ..findings import Finding
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
    def find(cls, spec, check, data, values, readings=()):
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
    def find(cls, spec, check, data, values, readings=()):
        rule = check.rule
        keys = paragraph_keys(spec, rule.params["section"])
        text = "".join(data.texts.get(k, "") for k in keys)
        if any(w in text for w in rule.params["words"]):
            return []
        return [Finding(rule.id, rule.severity, location(spec, keys[0]), rule.message)]


class MissingNumber(_TextKind):
    name = "missing_number"
    doc = "正文中计数的说法没有漏填数字（如“主动公开各类政府信息条”；“政府文件”“案件”中的“件”不是量词）"
    params = {"verbs": Param(list, doc="计数的动词"), "units": Param(list, doc="量词")}

    @classmethod
    def find(cls, spec, check, data, values, readings=()):
        from ..narrative import missing_number_findings

        return missing_number_findings(spec, check, data, values)


class NarrativeNumbers(_TextKind):
    name = "narrative_numbers"
    doc = ("正文中写的数字与表格一致：能读懂的说法（件数、金额、比例、同比变化、“未发生”“均维持”）逐一核对，"
           "说法见规范的 claims.toml；读不懂的列为“未核对”，不报错")
    params = {}

    @classmethod
    def find(cls, spec, check, data, values, readings=()):
        from ..narrative import narrative_findings

        return narrative_findings(spec, check, readings)


class PeriodYear(_TextKind):
    name = "period_year"
    doc = "开篇写明的统计期限是报告年度（如“统计期限自2025年1月1日起至2025年12月31日止”）"
    params = {"section": Param(str, doc="开篇所在正文部分的编号")}

    @classmethod
    def check_refs(cls, spec, rule):
        TextMentions.check_refs(spec, rule)

    @classmethod
    def find(cls, spec, check, data, values, readings=()):
        from ..opening import check_period_year

        return check_period_year(spec, check, data, values)


def excerpt(text: str, found: str) -> str:
    i = text.find(found)
    start = max(0, i - 12)
    return ("…" if start else "") + text[start: i + len(found) + 12] + ("…" if i + len(found) + 12 < len(text) else "")
