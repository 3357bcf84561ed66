"""validation.json and validation.html: every finding and every check, for the supervisor."""

from __future__ import annotations

import json
from . import __version__
from .findings import CAUSED_NOTE, SEVERITY_WORDS, counts, fmt_value, rule_tag


def validation_dict(outcome) -> dict:
    """The validation report as data (validation.json; validation.html renders the same).
    Computed once per outcome: the JSON and the HTML report both need it."""
    cached = outcome.__dict__.get("_validation_dict")
    if cached is None:
        cached = outcome.__dict__["_validation_dict"] = _validation_dict(outcome)
    return cached


def _validation_dict(outcome) -> dict:
    from .previous import previous_summary

    wb = outcome.workbook
    c = counts(outcome.findings)
    strict = bool(getattr(outcome, "strict", False))
    strict_key = {"strict": True} if strict else {}  # only under --strict: earlier reports stay as they were
    return {
        "reportc": __version__,
        "file": wb.path.name,
        "sha256": outcome.sha256,
        "org": wb.data.texts.get("info.org", ""),
        "year": wb.data.texts.get("info.year", ""),
        "edition": wb.spec.edition,
        "passed": c["error"] == 0 and not (strict and c["warning"]),
        **strict_key,
        "counts": c,
        "previous": previous_summary(wb.spec, wb.data),
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
        "narrative_numbers": _narrative_numbers(outcome),
    }


def _narrative_numbers(outcome) -> list[dict]:
    """正文中的数字: every number read from the narrative, what it was matched to, ✓/✗/未核对."""
    from .checks import compute_values
    from .narrative import readings_dicts

    wb = outcome.workbook
    return readings_dicts(wb.spec, wb.data, compute_values(wb.spec, wb.data.numbers))


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
    return json.dumps(validation_dict(outcome), ensure_ascii=False, indent=2) + "\n"


CSS = """
body { font-family: "Microsoft YaHei", "微软雅黑", "Noto Sans CJK SC", sans-serif; margin: 0; color: #111; }
main { max-width: 70em; margin: 0 auto; padding: 1.5em; }
h1 { font-size: 1.5em; } h2 { font-size: 1.2em; margin-top: 1.5em; }
table { border-collapse: collapse; width: 100%; font-size: 0.95em; }
th, td { border: 1px solid #999; padding: 0.3em 0.5em; text-align: left; vertical-align: top; }
th { background: #eef3f8; white-space: nowrap; }
td.error, td.warning, td.info, td.pass, td.unreadable, td.rule, td code { white-space: nowrap; }
.error { color: #9c0006; background: #ffc7ce; } .warning { color: #7f6000; background: #ffeb9c; }
.info { color: #333; background: #eee; } .pass { color: #006100; background: #c6efce; }
.unreadable { color: #7f6000; background: #ffeb9c; }
tr.effect td:first-child { border-left: 0.6em solid #ccc; } .caused { color: #555; display: block; }
.summary { font-size: 1.1em; padding: 0.6em; border: 2px solid; }
code { font-family: Consolas, "Noto Sans Mono CJK SC", monospace; }
@page { size: A4 landscape; margin: 15mm; }
@media (max-width: 640px) {
  main { padding: 0.75em; }
  table { font-size: 0.85em; }
  th, td { padding: 0.2em 0.25em; }
  th, td, td.error, td.warning, td.info, td.pass, td.unreadable, td.rule, td code { white-space: normal; overflow-wrap: anywhere; }
}
"""


def page_context(title: str) -> dict:
    from markupsafe import Markup

    return {"title": title, "styles": Markup(CSS), "generator": f"reportc {__version__}"}


def render_validation_html(outcome, template_dir=None) -> str:
    from .pages import render

    d = validation_dict(outcome)
    title = f"校验报告：{d['org']}{d['year']}年政府信息公开工作年度报告"
    verdict = ("校验通过，可以发布。" if d["passed"] else "校验不通过：存在错误，改正前不能发布。" if d["counts"]["error"]
               else f"校验不通过：有{d['counts']['warning']}项提醒，按 --strict 视为不通过，处理前不能发布。")
    findings = [{**f, "severity_word": SEVERITY_WORDS[f["severity"]], "rule_tag": rule_tag(f["rule"]),
                 "caused_note": CAUSED_NOTE if f.get("caused_by") else ""} for f in d["findings"]]
    checks = [{**ch, "rule_tag": rule_tag(ch["rule"]),
               "css": "pass" if ch["status"] == "通过" else ("error" if ch["severity"] == "error" else "warning")}
              for ch in d["checks"]]
    return render("validation.html.j2", {
        **page_context(title), "passed": d["passed"], "verdict": verdict, "counts": d["counts"], "file": d["file"],
        "sha256": d["sha256"], "edition": d["edition"], "findings": findings, "checks": checks,
        "numbers": _numbers(d["narrative_numbers"]),
    }, template_dir)
