"""Rules on 基本信息 and the narrative sheets: required_fields, narrative_filled, edition_year."""

from __future__ import annotations

from ..checks import Check, paragraph_keys, sheet_refs, span
from ..findings import Finding, fmt_value
from .base import Kind


class _Presence(Kind):
    """Rules that pass when something was filled in: 填写值 counts it, more than 0 passes."""

    in_sheet = True

    @classmethod
    def condition(cls, check, spec, left, right):
        return f"{left}>0"


class RequiredFields(_Presence):
    name = "required_fields"
    doc = "基本信息中带 * 的必填项已填写"

    @classmethod
    def expand(cls, spec, rule, previous_edition):
        out = []
        for f in spec.fields:
            if f.required:
                key = f"info.{f.id}"
                out.append(Check(rule, f.label, span(spec, [key]), cells=(key,)))
        return out

    @classmethod
    def evaluate(cls, check, spec, data, values):
        n = len(data.texts.get(check.cells[0], "").strip())
        return n, None, n > 0

    @classmethod
    def excel(cls, check, spec, references):
        return f"=LEN(TRIM({sheet_refs(spec, check.cells)[0]}))", None, False


class NarrativeFilled(_Presence):
    name = "narrative_filled"
    doc = "正文每一部分至少有一段文字"

    @classmethod
    def expand(cls, spec, rule, previous_edition):
        out = []
        for section in spec.narrative:
            if section.required:
                keys = tuple(paragraph_keys(spec, section.id))
                out.append(Check(rule, section.title, span(spec, keys), cells=keys))
        return out

    @classmethod
    def evaluate(cls, check, spec, data, values):
        n = sum(1 for k in check.cells if data.texts.get(k, "").strip())
        return n, None, n > 0

    @classmethod
    def excel(cls, check, spec, references):
        return "=COUNTA(" + ",".join(sheet_refs(spec, check.cells)) + ")", None, False


class EditionYear(Kind):
    name = "edition_year"
    in_sheet = True
    doc = "报告年度属于工作簿所用格式版本的适用年度"

    @classmethod
    def expand(cls, spec, rule, previous_edition):
        return [Check(rule, "年度", span(spec, ["info.year"]), cells=("info.year",))]

    @classmethod
    def evaluate(cls, check, spec, data, values):
        from ..opening import typed_year

        year = typed_year(data.texts.get("info.year", ""))  # “2025年” is read as 2025 (规则R1 reports the form)
        return year, spec.edition, year is not None and spec.covers(year)

    @classmethod
    def excel(cls, check, spec, references):
        # the year as typed_year reads it: 2025, “2025年” and “2025年度” give 2025; anything else 0
        ref = sheet_refs(spec, check.cells)[0]
        return (f'=IFERROR(VALUE(SUBSTITUTE(SUBSTITUTE(TRIM({ref}),"年度",""),"年","")),0)', spec.edition, False)

    @classmethod
    def condition(cls, check, spec, left, right):
        return f"AND({left}>={spec.first_year},{left}<={spec.last_year or 9999})"

    @classmethod
    def finding(cls, check, spec, left, right, data):
        from ..spec import edition_covering

        expected = edition_covering(left) if isinstance(left, int) else None
        fields = cls.fields(check, spec, left, right, data)
        fields.update(left=fmt_value(left) or "（未填）", expected=f"{expected}版" if expected else "对应年度", right="")
        rule = check.rule
        message = rule.message.format(**fields)
        typed = str(data.texts.get("info.year", "")).strip()
        if left is None and typed:  # something was typed, but not a year
            message = f"年度单元格的内容“{typed}”不是四位数字的年度（见规则R1），无法核对报告格式版本。"
        return Finding(rule.id, rule.severity, check.location, message, fmt_value(left), fmt_value(right))
