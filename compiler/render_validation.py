"""validation.json and validation.html: every finding and every check, for the supervisor."""

from __future__ import annotations

import json
from html import escape

from . import __version__
from .findings import CAUSED_NOTE, SEVERITY_WORDS, counts, fmt_value, rule_tag


def validation_dict(outcome) -> dict:
    from .previous import previous_summary

    wb = outcome.workbook
    c = counts(outcome.findings)
    return {
        "reportc": __version__,
        "file": wb.path.name,
        "sha256": outcome.sha256,
        "org": wb.data.texts.get("info.org", ""),
        "year": wb.data.texts.get("info.year", ""),
        "edition": wb.spec.edition,
        "passed": c["error"] == 0,
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
"""


def page(title: str, body: list[str]) -> str:
    """A plain standalone page for supervisors (validation report, batch summary)."""
    return "\n".join([
        "<!DOCTYPE html>", '<html lang="zh-CN">', "<head>", '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{escape(title)}</title>", f"<style>{CSS}</style>", "</head>", "<body>", "<main>",
        f"<h1>{escape(title)}</h1>", *body, "</main>", "</body>", "</html>", "",
    ])


def _numbers_table(readings: list[dict]) -> str:
    if not readings:
        return "<p>正文中没有读到与表格有关的数字。</p>"
    css = {"✓": "pass", "✗": "warning", "未核对": "info"}
    rows = []
    for r in readings:
        text, start, end = r["sentence"], r["start"], r["start"] + len(r["number"])
        sentence = f"{escape(text[:start])}<mark>{escape(text[start:end])}</mark>{escape(text[end:])}"
        table = escape(r["subject"]) + "".join(f"<br><code>{escape(c)}</code>" for c in r["cells"])
        rows.append(
            f'<tr><td><code>{escape(r["cell"])}</code></td><td>{sentence}</td><td><code>{escape(r["number"])}</code></td>'
            f'<td>{table}</td><td>{escape(r["expected"] or "")}</td>'
            f'<td class="{css[r["verdict"]]}">{escape(r["verdict"])}</td><td>{escape(r["note"])}</td></tr>'
        )
    return ('<table><thead><tr><th scope="col">位置</th><th scope="col">句子</th><th scope="col">数字</th>'
            '<th scope="col">对应的表格项目</th><th scope="col">表中为</th><th scope="col">结果</th>'
            '<th scope="col">说明</th></tr></thead><tbody>' + "\n".join(rows) + "</tbody></table>")


EFFECT = ' class="effect"'  # a finding that may follow from the bad cell in the row above


def render_validation_html(outcome) -> str:
    d = validation_dict(outcome)
    c = d["counts"]
    title = f"校验报告：{d['org']}{d['year']}年政府信息公开工作年度报告"
    verdict = "校验通过，可以发布。" if d["passed"] else "校验不通过：存在错误，改正前不能发布。"
    rows = []
    for f in d["findings"]:
        sev = f["severity"]
        caused = (f'<span class="caused">↳ {CAUSED_NOTE}（{escape(f["caused_by"]["location"])}）：</span>'
                  if f["caused_by"] else "")
        rows.append(
            f'<tr{EFFECT if caused else ""}><td class="{sev}">{SEVERITY_WORDS[sev]}</td>'
            f'<td class="rule">{escape(rule_tag(f["rule"]))}</td>'
            f'<td><code>{escape(f["location"])}</code></td><td>{caused}{escape(f["message"])}</td>'
            f'<td>{escape(f["left"] or "")}</td><td>{escape(f["right"] or "")}</td></tr>'
        )
    checks = []
    for ch in d["checks"]:
        css = "pass" if ch["status"] == "通过" else ("error" if ch["severity"] == "error" else "warning")
        checks.append(
            f'<tr><td class="rule">{escape(rule_tag(ch["rule"]))}</td><td>{escape(ch["title"])}</td><td>{escape(ch["target"])}</td>'
            f'<td><code>{escape(ch["location"])}</code></td><td>{escape(ch["left"] or "")}</td>'
            f'<td>{escape(ch["right"] or "")}</td><td class="{css}">{escape(ch["status"])}</td></tr>'
        )
    return page(title, [
        f'<p class="summary {"pass" if d["passed"] else "error"}">{verdict}'
        f' 错误 {c["error"]} 项，提醒 {c["warning"]} 项，说明 {c["info"]} 项。</p>',
        f"<p>文件：<code>{escape(d['file'])}</code>（SHA-256 <code>{d['sha256'][:16]}…</code>）；"
        f"报告格式：{escape(d['edition'])}版；reportc {escape(d['reportc'])}。</p>",
        "<h2>发现的问题</h2>",
        "<p>没有发现问题。</p>" if not rows else
        '<table><thead><tr><th scope="col">级别</th><th scope="col">规则</th><th scope="col">位置</th>'
        '<th scope="col">说明</th><th scope="col">填写值</th><th scope="col">应为</th></tr></thead><tbody>'
        + "\n".join(rows) + "</tbody></table>",
        "<h2>正文中的数字</h2>",
        "<p>reportc 从正文中读出的每个数字，以及它对应的表格项目：✓ 与表格一致，✗ 与表格不符（规则S6），"
        "未核对 表示读到了但无法核对（表述未能理解、分地区或分单位的数字、缺少上年数据等），请人工核对。</p>",
        _numbers_table(d["narrative_numbers"]),
        "<h2>全部检查</h2>",
        "<p>与工作簿“校验”表逐项对应（规则编号相同），由 reportc 根据输入单元格重新计算。</p>",
        '<table><thead><tr><th scope="col">规则</th><th scope="col">检查内容</th><th scope="col">检查对象</th>'
        '<th scope="col">位置</th><th scope="col">左值</th><th scope="col">右值</th><th scope="col">结果</th></tr></thead><tbody>'
        + "\n".join(checks) + "</tbody></table>",
    ])
