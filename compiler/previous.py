"""Last year's figures: the reference values the across-year rules (S1–S4) compare with,
and the guard rails that make sure "last year's workbook" really is last year's, of the same body."""

from __future__ import annotations

from .checks import previous_rules, span
from .kinds import declared, expand
from .errors import UsageProblem
from .findings import Finding, rule_tag
from .spec import Spec
from .values import parse_value  # noqa: F401  (re-exported: it lived here)

# 发布日期 is not carried: last year's date would be wrong in this year's report.
CARRIED_FIELDS = ("org", "contact_unit", "address", "postcode", "phone", "email", "website", "signature")
RULE = "S5"  # findings about the previous workbook itself (common.toml)
ALTERED = "M4"  # last year's workbook was changed after reportc wrote it (common.toml)
TAMPER_RULES = ("M1", "M2", "M3")  # what the reader finds in a workbook changed by hand
ALTERED_HINT = "请使用 reportc 生成、未经改动的上年工作簿（可先运行 reportc check 查看它被改动的地方）。"


def alterations(last) -> str:
    """Where last year's workbook (a build.Outcome) was changed after reportc wrote it: its
    metadata, sheets or locked cells (rules M1–M3); "" when it is as reportc wrote it."""
    found = [f for f in last.workbook.findings if f.rule in TAMPER_RULES]
    if not found:
        return ""
    shown = "；".join(f"{f.location}：{f.message}" if f.location else f.message for f in found[:3])
    more = f"等{len(found)}处" if len(found) > 3 else ""
    return f"上年工作簿“{last.workbook.path.name}”在 reportc 生成后被改动（{shown}{more}），其中的数字不可信"


def altered_finding(spec: Spec, last) -> Finding | None:
    """Rule M4 for `check --previous` (worded by this year's `spec`): the altered workbook is not
    used for the across-year rules."""
    text = alterations(last)
    if not text:
        return None
    return declared(spec, ALTERED, "", "unused", alterations=text, left=last.workbook.path.name)


def previous_from(spec: Spec, last, override: str = "") -> dict:
    """Reference values for this year's `spec` from last year's workbook (a build.Outcome).
    `override`: why a workbook of another body or year is used (--previous-any), kept in the findings."""
    from .narrative import previous_figures

    last_spec = last.workbook.spec
    data = last.workbook.data
    values = last.analysis.values
    year = data.texts.get("info.year", "")
    refs: dict[str, str] = {}
    locations: dict[str, str] = {}
    for check in expand(spec, last_spec.edition):
        if not check.reference or check.reference in refs:
            continue
        terms = check.reference[len("ref:"):].split("+")
        refs[check.reference] = str(sum((values[t] for t in terms), 0))
        locations[check.reference] = f"{year}年度报告 {span(last_spec, terms)}"
    info = {
        "edition": last_spec.edition,
        "year": year,
        "org": data.texts.get("info.org", ""),
        "file": last.workbook.path.name,
        "sha256": last.sha256,
        "values": refs,
        "locations": locations,
        "figures": previous_figures(last_spec, values),  # for 同比 in the narrative (rule S6)
        "fields": {f: data.texts.get(f"info.{f}", "") for f in CARRIED_FIELDS},
    }
    if override:
        info["override"] = override
    imported = last.imported
    if imported is not None:  # last year's published report, read by reportc import
        info["published"] = {"kind": imported.kind, "status": imported.status, "doubts": imported.doubt_lines()[:20]}
    return info


def same_org(a: str, b: str) -> bool:
    """机关名称 compared as people mean them: full-/half-width, spaces and bracket styles do not count."""
    from .values import org_key

    return org_key(a) == org_key(b)


def mismatch(this_org: str, this_year, last) -> str:
    """Why `last` (a build.Outcome) is not last year's workbook of `this_org`, or "" when it is."""
    texts = last.workbook.data.texts
    last_org, last_year = texts.get("info.org", ""), texts.get("info.year", "")
    problems = []
    if this_org and not same_org(this_org, last_org):
        problems.append(f"机关名称为“{last_org or '未填'}”")
    if str(this_year).isdigit():
        if not last_year.isdigit() or int(last_year) != int(this_year) - 1:
            problems.append(f"年度为{last_year or '未填'}年度")
    if not problems:
        return ""
    wanted = f"“{this_org}”" if this_org else "本机关"
    wanted_year = f"{int(this_year) - 1}年度" if str(this_year).isdigit() else "上一年度"
    return (f"上一年度工作簿应为{wanted}{wanted_year}的工作簿，而“{last.workbook.path.name}”的"
            + "、".join(problems) + "。")


def guard(this_org: str, this_year, last, allow_any: bool) -> str:
    """Refuse a previous workbook of another body or year (UsageProblem); with --previous-any,
    return the note to record in the findings ("" when nothing needed overriding)."""
    problem = mismatch(this_org, this_year, last)
    if not problem:
        return ""
    if not allow_any:
        raise UsageProblem(
            problem,
            "请用 --previous 指定本机关上一年度的工作簿；如机关已更名或确需使用该工作簿，加 --previous-any。",
        )
    return problem + "已按 --previous-any 仍然使用，跨年度核对结果请人工复核。"


def previous_findings(spec: Spec, data) -> list[Finding]:
    """What the findings say about last year's workbook: an override, and rules that could not
    be compared because last year's workbook has another edition (never silently nothing)."""
    info = data.previous_info
    if not info:
        return []
    out = []
    where = f"上年工作簿“{info.get('file', '')}”"
    if info.get("override"):
        out.append(declared(spec, RULE, "", "override", override=info["override"], left=info.get("file")))
    published = info.get("published") or {}
    if published.get("doubts"):
        out.append(declared(spec, RULE, "", "doubts", file=info.get("file", ""), doubts="；".join(published["doubts"][:5]),
                            left=info.get("file")))
    all_rules = sorted({r.id for r in spec.rules if r.kind == "previous"})
    compared = sorted({r.id for r in previous_rules(spec, info.get("edition"))})
    skipped = [r for r in all_rules if r not in compared]
    if skipped:
        tags = "、".join(rule_tag(r) for r in skipped)
        out.append(declared(spec, RULE, "", "skipped" if compared else "none_compared", where=where,
                            previous_edition=info.get("edition"), edition=spec.edition, rules=tags,
                            left=info.get("edition"), right=spec.edition))
    return out


def previous_summary(spec: Spec, data) -> dict:
    """The `previous` item of validation.json: what was compared with what."""
    info = data.previous_info
    all_rules = sorted({r.id for r in spec.rules if r.kind == "previous"})
    if not info:
        return {"used": False, "compared_rules": [], "skipped_rules": all_rules,
                "note": "未提供上一年度工作簿，跨年度核对未进行。"}
    compared = sorted({r.id for r in previous_rules(spec, info.get("edition"))})
    skipped = [r for r in all_rules if r not in compared]
    note = "跨年度规则均已核对。" if not skipped else (
        f"上年工作簿为{info.get('edition')}版格式，{'、'.join(skipped)}无法跨版本核对，已跳过。")
    if info.get("published"):
        note = (f"上年数据取自已发布的上年年报“{info.get('file', '')}”（reportc import 读取，导入核对：{info['published'].get('status', '')}），"
                "不是上年工作簿。" + note)
    return {"used": True, "file": info.get("file", ""), "org": info.get("org", ""), "year": info.get("year", ""),
            "edition": info.get("edition", ""), "sha256": info.get("sha256", ""),
            "compared_rules": compared, "skipped_rules": skipped, "override": info.get("override", ""),
            "source": "published" if info.get("published") else "workbook", "note": note}
