"""What the commands print in the terminal (Chinese, plain text, GBK-safe): the findings, each
command's summary and next steps, the columns of the help pages. The CLI (cli.py) decides what
to run and the exit code; this module only says it. Imports are inside the functions: the help
pages use the column helpers, and must start fast."""

from __future__ import annotations

from pathlib import Path

from .console import err, out
from .filenames import shell_word, shown_path
from .verdict import FAIL, PASS, VERIFY


def display_width(text: str) -> int:
    """Terminal columns: CJK and full-width characters take two."""
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def pad(text: str, width: int) -> str:
    return text + " " * max(0, width - display_width(text))


def print_findings(outcome) -> None:
    from .findings import CAUSED_NOTE, counts

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
    from .findings import SEVERITY_WORDS, rule_tag

    where = f" {f.location}" if f.location else ""
    done = "（已说明）" if f.explanation and f.severity == "warning" else ""
    return f"[{SEVERITY_WORDS[f.severity]}][{rule_tag(f.rule)}]{where}{done}"


def copy_line(f) -> str:
    """Under an open warning: what to copy into the 情况说明 sheet to explain it."""
    from .findings import rule_tag

    where = f.location or "（空）"
    return f"如核实无误，请在“情况说明”表写明原因：规则填 {rule_tag(f.rule)}，位置填 {where}"


def _print_one(f, indent: str) -> None:
    from .explain import RULE as EXPLAIN_RULE

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


def print_notes(outcome) -> None:
    """After build: the outputs that could not be made (PDF without LibreOffice), then what is worth knowing."""
    for problem in outcome.problems:
        err(problem)
    for note in outcome.notes:
        err(note)


def print_new(path: Path, notes: list[str], org_missing: bool) -> None:
    for note in notes:
        err(note)
    out(f"已生成填报工作簿：{shown_path(path)}")
    for line in next_step(path, org_missing):
        out(line)


def next_step(path: Path, org_missing: bool = False) -> list[str]:
    """What `reportc new` tells the clerk to do next (first the 机关名称 when no --org was given)."""
    shown = shown_path(path)
    fill = "  1. 用 Excel 或 WPS 打开工作簿，在浅黄色单元格中填写，保存。"
    if org_missing:
        fill = ("  1. 用 Excel 或 WPS 打开工作簿，先在“基本信息”表填写机关名称（生成时未指定 --org），"
                "再在其他浅黄色单元格中填写，保存。")
    return [
        "下一步：",
        fill,
        f"  2. 检查：reportc check {shell_word(shown)}",
        f"  3. 没有错误后生成年报：reportc build {shell_word(shown)}",
    ]


def print_merge(path: Path, outcomes: list) -> None:
    from .rollup import invalid_cells

    out(f"已汇总 {len(outcomes)} 个工作簿，生成：{path}")
    for outcome in outcomes:
        cells = invalid_cells(outcome)
        if cells:
            out(f"  提醒：{outcome.workbook.path.name} 有 {len(cells)} 个单元格不是有效数字，汇总时的计算："
                + "、".join(cells) + "（另见汇总工作簿的“汇总来源”表）。")
    out("请在汇总工作簿中填写正文后，用 reportc build 生成本级年报。")


def print_refused(outcomes: list) -> None:
    """merge refused for errors: each failing workbook's findings."""
    for outcome in outcomes:
        print_findings(outcome)
        out("")


def print_batch(entries: list, failed: list, outdir: Path) -> None:
    from .batch_run import STATUS_SKIPPED, STATUS_UNREADABLE, VERDICT_CSS

    skipped = sum(1 for e in failed if e.status == STATUS_SKIPPED)
    tally = "，".join(f"{word} {sum(1 for e in entries if e.status == word)} 个" for word in (*VERDICT_CSS, STATUS_UNREADABLE))
    out(f"共 {len(entries)} 个文件：{tally}" + (f"，跳过 {skipped} 个" if skipped else "") + "。")
    for e in failed:
        out(f"  [{e.status}] {e.file}" + (f"：{e.message.splitlines()[0]}" if e.message else f"（错误 {e.errors} 项）"))
    for e in entries:  # 须核实 has its documents, but someone must still look: say which
        if e.status == "须核实" and not e.blocked:
            out(f"  [须核实] {e.file}" + (f"：{e.message.splitlines()[0]}" if e.message else ""))
    for e in entries:
        if e.duplicate_of:
            out(f"  [重复] {e.file}：与 {'、'.join(e.duplicate_of)} 是同一机关同一年度的工作簿，请核实保留哪一个。")
    out(f"汇总页：{Path(outdir) / 'index.html'}；汇总表：{Path(outdir) / 'summary.xlsx'}")


def batch_of_one(folder: Path) -> str:
    """What to run instead of `reportc batch` on one file."""
    return f"只生成这一个工作簿的年报，请用：reportc build {shell_word(shown_path(folder))}"


def print_import(file: Path, imported, path: Path) -> None:
    texts = imported.texts
    out(f"文件：{file.name}（{texts.get('info.org') or '未识别机关名称'}，{texts.get('info.year') or '未识别年度'}年度，"
        f"{imported.spec.edition}版格式）")
    for note in imported.notes:
        err("提醒：" + note)
    lines = imported.doubt_lines()
    if lines:
        out(f"存疑：以下 {len(lines)} 处数字与表格自身的合计关系不符或无法读取，请对照原文核实：")
        for line in lines:
            out("  " + line)
    else:
        out("导入完成：表格的合计关系全部相符。")
    out(f"已生成工作簿：{shown_path(path)}")


def print_audit(entries: list, outdir: Path) -> None:
    from .audit_run import DOUBTFUL, FAILED, PASSED
    from .audit_run import VERIFY as TO_VERIFY

    counts = {s: sum(1 for e in entries if e.status == s) for s in (FAILED, DOUBTFUL, TO_VERIFY, PASSED)}
    out(f"共 {len(entries)} 份年报：不通过 {counts[FAILED]} 份，存疑 {counts[DOUBTFUL]} 份，须核实 {counts[TO_VERIFY]} 份，"
        f"可以发布 {counts[PASSED]} 份，无法读取 {len(entries) - sum(counts.values())} 份。")
    for e in entries:
        if e.status not in (PASSED, TO_VERIFY):
            out(f"  [{e.status}] {e.file}" + (f"：{e.message.splitlines()[0]}" if e.message else ""))
    out(f"汇总页：{Path(outdir) / 'index.html'}；汇总表：{Path(outdir) / 'summary.xlsx'}")


def print_verification(result) -> None:
    """verify: each file of the folder and the verdict."""
    from .verification import ADDED, CHANGED, MISSING, OTHER, SAME

    m = result.manifest
    made = "、".join(x for x in (m.get("created") and f"{m['created']}生成", m.get("reportc") and f"reportc {m['reportc']}") if x)
    out(f"文件夹：{result.folder}（{m.get('title') or '来源不明'}；{made}）")
    wb = m.get("workbook")
    if isinstance(wb, dict):
        out(f"工作簿：{wb.get('name')}（SHA-256 {wb.get('sha256')}）；结论：{m.get('verdict', '未记录')}")
    for f in result.files:
        if f.status == SAME:
            out(f"  [{SAME}] {f.name}")
        elif f.status == CHANGED:
            out(f"  [{CHANGED}] {f.name}：与 manifest.json 记录的不同（现 {f.size} 字节、SHA-256 {f.sha256}；"
                f"记录为 {f.expected_size} 字节、SHA-256 {f.expected_sha256}）")
        elif f.status == MISSING:
            out(f"  [{MISSING}] {f.name}：manifest.json 中有，文件夹中没有")
        elif f.status == ADDED:
            out(f"  [{ADDED}] {f.name}：是 reportc 输出文件的名字，但不在 manifest.json 中（生成之后放入或改名而来）")
        else:
            out(f"  [{OTHER}] {f.name}：不在 manifest.json 中，也不是 reportc 的输出文件名，不影响核对结果")
    for problem in result.problems:
        out(f"  [未完成] {problem}")
    listed_count = sum(1 for f in result.files if f.status in (SAME, CHANGED, MISSING))
    bad = [f for f in result.files if f.counted]
    if result.ok:
        out(f"核对结果：manifest.json 列出的 {listed_count} 个文件全部一致，没有新增的报告文件。")
    else:
        out(f"核对结果：不一致。{len(bad)} 个文件与 manifest.json 不符" + (f"，另有 {len(result.problems)} 项问题" if result.problems else "")
            + "。")
