"""validation.json and validation.html: every finding and every check, for the supervisor."""

from __future__ import annotations

from . import __version__
from .findings import CAUSED_NOTE, SEVERITY_WORDS, counts, fmt_value, rule_tag
from .verdict import FAIL, PASS, VERIFY


def validation_dict(outcome) -> dict:
    """The validation report as data (validation.json; validation.html renders the same), from the
    outcome's analysis (analysis.Analysis): nothing is computed again here."""
    from .narrative import readings_dicts
    from .previous import previous_summary

    wb, analysis = outcome.workbook, outcome.analysis
    c = counts(outcome.findings)
    strict_key = {"strict": True} if outcome.strict else {}  # only under --strict: earlier reports stay as they were
    return {
        "reportc": __version__,
        "file": wb.path.name,
        "sha256": outcome.sha256,
        "org": analysis.data.texts.get("info.org", ""),
        "year": analysis.data.texts.get("info.year", ""),
        "edition": analysis.spec.edition,
        "verdict": outcome.verdict,
        "passed": not outcome.blocked,
        **strict_key,
        "counts": c,
        "explanations": [{"row": e.row, "rule": e.rule, "location": e.location, "text": e.text, "cell": e.cell}
                         for e in analysis.explanations],
        "previous": previous_summary(analysis.spec, analysis.data),
        "findings": [f.as_dict() for f in outcome.findings],
        "checks": [
            {
                "rule": r.check.rule.id,
                "severity": r.check.rule.severity,
                "title": r.check.rule.title,
                "target": r.check.target,
                "location": r.check.location,
                "left": fmt_value(r.left),
                "right": fmt_value(r.right),
                "status": r.status,
            }
            for r in outcome.results
        ],
        "narrative_numbers": readings_dicts(analysis.spec, analysis.readings),  # 正文中的数字
    }


VERDICT_CSS = {"✓": "pass", "✗": "warning", "未核对": "info"}


def _numbers(readings: list[dict]) -> list[dict]:
    """The readings for the template: the sentence split around the number, a css class."""
    out = []
    for r in readings:
        start, end = r["start"], r["start"] + len(r["number"])
        out.append({**r, "before": r["sentence"][:start], "after": r["sentence"][end:],
                    "css": VERDICT_CSS[r["verdict"]]})
    return out


def render_validation_json(outcome) -> str:
    from .jsontext import dumps

    return dumps(validation_dict(outcome)) + "\n"  # json.dumps(…, ensure_ascii=False, indent=2)


CSS = """
body { font-family: "Microsoft YaHei", "微软雅黑", "Noto Sans CJK SC", sans-serif; margin: 0; color: #111; }
main { max-width: 70em; margin: 0 auto; padding: 1.5em; }
h1 { font-size: 1.5em; } h2 { font-size: 1.2em; margin-top: 1.5em; }
table { border-collapse: collapse; width: 100%; font-size: 0.95em; }
th, td { border: 1px solid #999; padding: 0.3em 0.5em; text-align: left; vertical-align: top; }
th { background: #eef3f8; white-space: nowrap; }
td.error, td.warning, td.info, td.pass, td.unreadable, td.rule, td.count, td code { white-space: nowrap; }
.error { color: #9c0006; background: #ffc7ce; } .warning { color: #7f6000; background: #ffeb9c; }
.info { color: #333; background: #eee; } .pass { color: #006100; background: #c6efce; }
.unreadable { color: #7f6000; background: #ffeb9c; }
tr.effect td:first-child { border-left: 0.6em solid #ccc; } .caused { color: #555; display: block; }
.summary { font-size: 1.1em; padding: 0.6em; border: 2px solid; }
code { font-family: Consolas, "Noto Sans Mono CJK SC", monospace; }
.summary strong { font-size: 1.3em; margin-right: 0.5em; }
.explained { display: block; margin-top: 0.3em; padding: 0.2em 0.4em; border-left: 0.3em solid #7f6000; background: #fff8e1; }
.explained.on-error { border-left-color: #9c0006; background: #fff0f0; }
.signoff { margin-top: 2em; border: 2px solid #333; padding: 0.8em 1.2em; break-inside: avoid; page-break-inside: avoid; }
.signoff h2 { margin-top: 0; text-align: center; letter-spacing: 0.5em; }
.signoff table { font-size: 0.9em; } .signoff th { width: 7em; } .signoff code { word-break: break-all; white-space: normal; }
.signoff .files th:first-child { width: 12em; } .signoff .files th:nth-child(2) { width: 6em; }
.signoff .files td:last-child code { white-space: nowrap; word-break: normal; }
.signoff .sign td { height: 3.2em; vertical-align: bottom; }
.signoff .sign td.date { width: 12em; text-align: right; white-space: nowrap; }
@page { size: A4 landscape; margin: 15mm; }
@media print {
  main { max-width: none; padding: 0; }
  .signoff { break-before: page; page-break-before: always; margin-top: 0; font-size: 10.5pt; }
}
@media (max-width: 640px) {
  main { padding: 0.75em; }
  table { font-size: 0.85em; }
  th, td { padding: 0.2em 0.25em; }
  th, td, td.error, td.warning, td.info, td.pass, td.unreadable, td.rule, td code { white-space: normal; overflow-wrap: anywhere; }
  .signoff { padding: 0.5em; }
  .signoff th, .signoff .files th:first-child, .signoff .files th:nth-child(2) { width: auto; }
  .signoff .files td:last-child code { white-space: normal; word-break: break-all; }
}
"""


def page_context(title: str) -> dict:
    from markupsafe import Markup

    return {"title": title, "styles": Markup(CSS), "generator": f"reportc {__version__}"}


VERDICT_CSS_CLASS = {FAIL: "error", VERIFY: "warning", PASS: "pass"}


def verdict_sentence(d: dict) -> str:
    """The banner's sentence after the verdict word, from the validation data."""
    c = d["counts"]
    open_warnings = c["warning"] - c["explained"]
    if d["verdict"] == FAIL:
        return f"有{c['error']}项错误，改正前不能发布。"
    if d["verdict"] == VERIFY:
        strict = "按 --strict 视为不通过，未生成年报文档；" if d.get("strict") else ""
        return (f"没有错误，有{open_warnings}项提醒未说明。{strict}请逐项核实：有误的改正，"
                "确属无误的在工作簿“情况说明”表写明原因。")
    if c["warning"]:
        return f"没有错误，提醒{c['warning']}项，均已说明。"
    return "没有错误，也没有提醒。"


def output_hashes(files: dict[str, bytes] | None) -> list[dict]:
    """The 审核签发 block's list of output files: name, size, SHA-256 (validation.html cannot list itself)."""
    import hashlib

    return [{"name": name, "size": len(data), "sha256": hashlib.sha256(data).hexdigest()}
            for name, data in sorted((files or {}).items()) if name != "validation.html"]


def render_validation_html(outcome, template_dir=None, outputs: dict[str, bytes] | None = None) -> str:
    """validation.html; `outputs` are the other files of the build (name -> bytes), rendered before it,
    whose SHA-256 the 审核签发 block lists."""
    from .pages import render

    d = validation_dict(outcome)
    title = f"校验报告：{d['org']}{d['year']}年政府信息公开工作年度报告"
    findings = [{**f, "severity_word": SEVERITY_WORDS[f["severity"]], "rule_tag": rule_tag(f["rule"]),
                 "caused_note": CAUSED_NOTE if f.get("caused_by") else ""} for f in d["findings"]]
    checks = [{**ch, "rule_tag": rule_tag(ch["rule"]),
               "css": "pass" if ch["status"] == "通过" else ("error" if ch["severity"] == "error" else "warning")}
              for ch in d["checks"]]
    return render("validation.html.j2", {
        **page_context(title), "passed": d["passed"], "verdict": d["verdict"], "verdict_text": verdict_sentence(d),
        "verdict_css": VERDICT_CSS_CLASS[d["verdict"]], "report_title": title.split("：", 1)[1],
        "counts": d["counts"], "file": d["file"], "sha256": d["sha256"], "edition": d["edition"],
        "findings": findings, "checks": checks, "numbers": _numbers(d["narrative_numbers"]),
        "outputs": output_hashes(outputs), "signers": SIGNERS,
    }, template_dir)


SIGNERS = ("经办人", "审核人", "签发人")
