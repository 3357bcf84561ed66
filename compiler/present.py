"""What `check` and `build` print in the terminal (Chinese, plain text, GBK-safe)."""

from __future__ import annotations

from .console import out
from .explain import RULE as EXPLAIN_RULE
from .findings import CAUSED_NOTE, SEVERITY_WORDS, counts, rule_tag
from .verdict import FAIL, PASS, VERIFY


def print_findings(outcome) -> None:
    wb = outcome.workbook
    texts = wb.data.texts
    c = counts(outcome.findings)
    out(f"文件：{wb.path.name}（{texts.get('info.org') or '未填机关名称'}，{texts.get('info.year') or '未填年度'}年度，"
        f"{wb.spec.edition}版格式）")
    passed = sum(1 for r in outcome.results if r.passed)
    explained = f"（已说明 {c['explained']} 项）" if c["explained"] else ""
    out(f"检查 {len(outcome.results)} 项，通过 {passed} 项；错误 {c['error']} 项，提醒 {c['warning']} 项{explained}，"
        f"说明 {c['info']} 项。")
    if not outcome.findings:
        out("没有发现问题。")
    else:
        out("")
        previous_cause = None
        for f in outcome.findings:
            if f.caused_by is None:
                _print_one(f, "")
                previous_cause = None
                continue
            if previous_cause != f.caused_by:
                out(f"    以下问题{CAUSED_NOTE}：")
                previous_cause = f.caused_by
            _print_one(f, "      ")
    out("")
    out("结论：" + conclusion(outcome.verdict, c, getattr(outcome, "strict", False)))


def conclusion(verdict: str, c: dict, strict: bool) -> str:
    """The last line of `check`/`build`: the verdict (Outcome.verdict), in agreement with the exit code."""
    open_warnings = c["warning"] - c["explained"]
    if verdict == FAIL:
        return f"{FAIL}。有{c['error']}项错误，请按上面的位置逐项改正后再检查。"
    if verdict == VERIFY:
        how = "请逐项核实：有误的改正；确属无误的，按每项下方所示在“情况说明”表写明原因。"
        if strict:
            return f"{VERIFY}（按 --strict 视为不通过）。有{open_warnings}项提醒未说明，{how}"
        return f"{VERIFY}。没有错误，有{open_warnings}项提醒未说明，{how}"
    if c["warning"]:
        return f"{PASS}。没有错误，提醒{c['warning']}项，均已说明。"
    return f"{PASS}。没有错误，也没有提醒。"


def heading(f) -> str:
    """[错误][规则D6] 三、依申请公开!D8: the rule id cannot be read as a cell."""
    where = f" {f.location}" if f.location else ""
    done = "（已说明）" if f.explanation and f.severity == "warning" else ""
    return f"[{SEVERITY_WORDS[f.severity]}][{rule_tag(f.rule)}]{where}{done}"


def copy_line(f) -> str:
    """Under an open warning: what to copy into the 情况说明 sheet to explain it."""
    where = f.location or "（空）"
    return f"如核实无误，请在“情况说明”表写明原因：规则填 {rule_tag(f.rule)}，位置填 {where}"


def _print_one(f, indent: str) -> None:
    out(indent + heading(f))
    out(f"{indent}    {f.message}")
    if f.left is not None and f.rule == "D6":
        out(f"{indent}    单元格内容：{f.left}")
    if f.explanation:
        why = "" if f.severity != "error" else "（错误不能靠说明通过，请改正）"
        out(f"{indent}    情况说明（{f.explanation_cell}）：{f.explanation}{why}")
    elif f.severity == "warning" and f.rule != EXPLAIN_RULE and f.caused_by is None:  # caused: fix the cause first
        out(f"{indent}    {copy_line(f)}")


def print_build(outcome, draft: bool) -> None:
    names = "、".join(p.name for p in outcome.written)
    why = "有错误" if outcome.errors else "有提醒未说明，按 --strict 视为不通过"
    if outcome.blocked and not draft:
        out(f"未生成年报文档（{why}）；校验报告已写入 {outcome.outdir}：{names}")
        out("改正后重新运行 reportc build；如需先看草稿，加 --draft。")
    elif outcome.blocked:
        out(f"已生成草稿（校验未通过），写入 {outcome.outdir}：{names}")
    else:
        out(f"已生成年报，写入 {outcome.outdir}：{names}")
