"""What the narrative's readings become: rule S6's findings (a number contradicting the tables),
the 正文中的数字 of the validation report, and rule R5 (a count whose number is missing)."""

from __future__ import annotations

import re
from functools import lru_cache

from ..numbers_zh import unit_is_word_end
from .claims import CONTRADICTS
from .reading import Reading

def cells_text(spec, cells) -> str:
    from ..layout import location

    if not cells:
        return ""
    locs = [location(spec, c) for c in cells]
    if len(locs) <= 3:
        return "、".join(locs)
    from ..checks import span

    return span(spec, list(cells))


def finding_message(spec, r: Reading) -> str:
    where = cells_text(spec, r.cells)
    if r.subject.endswith("所占比例"):
        return (f"写“{r.marked()}”，按表中数字计算{r.subject}为{r.expected}（{r.note}，{where}）。")
    if r.subject.endswith("同比变化"):
        return f"写“{r.marked()}”，按表中数字{r.note}，{r.subject}为{r.expected}（{where}）。"
    return f"写“{r.marked()}”，{r.subject}（{where}）为{r.expected}。"


def narrative_findings(spec, check, readings) -> list:
    """Rule S6: each number of the narrative (`readings`, read_narrative) that contradicts the tables."""
    from ..findings import Finding
    from ..layout import location

    titles = {s.id: s.title for s in spec.narrative}
    return [
        Finding(check.rule.id, check.rule.severity, location(spec, r.key),
                check.rule.message.format(target=titles[r.key.split(".")[0]], detail=finding_message(spec, r)),
                left=r.stated, right=r.expected, cells=tuple(r.cells))
        for r in readings if r.verdict == CONTRADICTS
    ]


def readings_dicts(spec, readings) -> list[dict]:
    """The 正文中的数字 section of validation.json (`readings`: read_narrative's, of the analysis)."""
    from ..layout import location

    return [
        {
            "cell": location(spec, r.key),
            "sentence": r.sentence,
            "number": r.number,
            "start": r.start,  # where the number stands in the sentence
            "value": r.stated,
            "subject": r.subject,
            "cells": [location(spec, c) for c in r.cells],
            "expected": r.expected,
            "verdict": r.verdict,
            "note": r.note,
        }
        for r in readings
    ]


# ---- R5: a count whose number is missing ------------------------------------------------------

NUMERALS = "0123456789０１２３４５６７８９〇零一二三四五六七八九十百千万两几多余数每该此本逐首"


@lru_cache(maxsize=None)
def _missing_pattern(verbs: tuple, units: tuple) -> re.Pattern:
    v = "|".join(map(re.escape, sorted(verbs, key=len, reverse=True)))
    u = "|".join(map(re.escape, sorted(units, key=len, reverse=True)))
    # the unit must end a clause (公开条例, 事项 are words, not counts); 共和国 is not 共
    return re.compile(
        rf"(?:{v})(?![和同享])([^，。；：、,.;:\n《》{NUMERALS}]{{0,10}}?)(?<![事款选单专])(?P<unit>{u})(?=[，。；：、）),.;:\s]|$)"
    )


def missing_numbers(text: str, verbs, units) -> list[str]:
    """“主动公开各类政府信息条”: a counting verb, then a unit with no number (not 政府文件, 案件)."""
    pattern = _missing_pattern(tuple(verbs), tuple(units))
    return [m.group(0) for m in pattern.finditer(text) if not unit_is_word_end(text, m.start("unit"), m.group("unit"))]


def missing_number_findings(spec, check, data, values: dict) -> list:
    """Rule R5."""
    from ..checks import paragraph_keys
    from ..findings import Finding
    from ..layout import location

    out = []
    for section in spec.narrative:
        for key in paragraph_keys(spec, section.id):
            for found in missing_numbers(data.texts.get(key, ""), check.rule.params["verbs"], check.rule.params["units"]):
                out.append(Finding(
                    check.rule.id, check.rule.severity, location(spec, key),
                    check.rule.message.format(target=section.title, found=found), left=found,
                ))
    return out

