"""What `check` and `build` print in the terminal (Chinese, plain text, GBK-safe)."""

from __future__ import annotations

from .console import out
from .findings import CAUSED_NOTE, SEVERITY_WORDS, counts, rule_tag


def print_findings(outcome) -> None:
    wb = outcome.workbook
    texts = wb.data.texts
    c = counts(outcome.findings)
    out(f"文件：{wb.path.name}（{texts.get('info.org') or '未填机关名称'}，{texts.get('info.year') or '未填年度'}年度，"
        f"{wb.spec.edition}版格式）")
    passed = sum(1 for r in outcome.results if r.passed)
    out(f"检查 {len(outcome.results)} 项，通过 {passed} 项；错误 {c['error']} 项，提醒 {c['warning']} 项，说明 {c['info']} 项。")
    if not outcome.findings:
        out("没有发现问题。")
        return
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
    out("结论：" + conclusion(c, getattr(outcome, "strict", False)))


def conclusion(c: dict, strict: bool) -> str:
    """The last line of `check`/`build`: it agrees with the exit code, --strict included."""
    if c["error"]:
        return "有错误，请按上面的位置逐项改正后再检查。"
    if strict and c["warning"]:
        return f"有{c['warning']}项提醒；按 --strict 视为不通过。请逐项核实改正后再检查。"
    return "没有错误。"


def heading(f) -> str:
    """[错误][规则D6] 三、依申请公开!D8: the rule id cannot be read as a cell."""
    where = f" {f.location}" if f.location else ""
    return f"[{SEVERITY_WORDS[f.severity]}][{rule_tag(f.rule)}]{where}"


def _print_one(f, indent: str) -> None:
    out(indent + heading(f))
    out(f"{indent}    {f.message}")
    if f.left is not None and f.rule == "D6":
        out(f"{indent}    单元格内容：{f.left}")


def print_build(outcome, draft: bool) -> None:
    names = "、".join(p.name for p in outcome.written)
    why = "有错误" if outcome.errors else "有提醒，按 --strict 视为不通过"
    if outcome.blocked and not draft:
        out(f"未生成年报文档（{why}）；校验报告已写入 {outcome.outdir}：{names}")
        out("改正后重新运行 reportc build；如需先看草稿，加 --draft。")
    elif outcome.blocked:
        out(f"已生成草稿（校验未通过），写入 {outcome.outdir}：{names}")
    else:
        out(f"已生成年报，写入 {outcome.outdir}：{names}")
