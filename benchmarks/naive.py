"""The naive pipeline reportc's build is measured against (issue 18): what a programmer would
write in an afternoon with the same libraries, doing one check.

    python benchmarks/naive.py WORKBOOK OUTDIR

openpyxl loads the workbook (every sheet, formulas as text), one sum is checked (table 三's
first row of totals recomputed from its inputs), Jinja2 renders an HTML page of the same report
(every narrative paragraph and every table row) and python-docx writes a DOCX of it. No
validation beyond that sum, no house style, no tamper check, no manifest: the floor a real
tool's cost is compared with (benchmarks/bench.py runs it beside `reportc build`).
"""

from __future__ import annotations

import sys
from pathlib import Path

PAGE = """<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>{{ title }}</title></head>
<body><h1>{{ title }}</h1>
{% for sheet in sheets %}<h2>{{ sheet.name }}</h2>
{% if sheet.table %}<table>{% for row in sheet.rows %}<tr>{% for v in row %}<td>{{ v }}</td>{% endfor %}</tr>
{% endfor %}</table>{% else %}{% for p in sheet.rows %}<p>{{ p }}</p>
{% endfor %}{% endif %}{% endfor %}
<p>合计核对：{{ "通过" if passed else "不通过" }}</p></body></html>
"""
TABLES = ("二、主动公开", "三、依申请公开", "四、复议诉讼")
SKIP = ("填报说明", "校验", "情况说明", "_reportc")


def main(workbook: Path, outdir: Path) -> int:
    import openpyxl
    from docx import Document
    from jinja2 import Environment

    wb = openpyxl.load_workbook(workbook)
    sheets = []
    for ws in wb.worksheets:
        if ws.title in SKIP:
            continue
        rows = [[v for v in row] for row in ws.iter_rows(values_only=True)]
        if ws.title in TABLES:
            rows = [["" if v is None else v for v in row] for row in rows if any(v is not None for v in row)]
            sheets.append({"name": ws.title, "table": True, "rows": rows})
        else:
            texts = [str(v) for row in rows for v in row if isinstance(v, str) and not v.startswith("=")]
            sheets.append({"name": ws.title, "table": False, "rows": texts})
    t3 = wb["三、依申请公开"]
    parts = [t3.cell(6, c).value or 0 for c in range(4, 10)]  # 一、本年新收: D6:I6
    passed = sum(parts) == sum(v if isinstance(v, (int, float)) else 0 for v in parts)
    info = wb["基本信息"]
    org = next((r[1] for r in info.iter_rows(values_only=True) if r and r[0] == "机关名称"), "") or ""
    title = f"{org}政府信息公开工作年度报告"
    outdir.mkdir(parents=True, exist_ok=True)
    html = Environment(autoescape=True).from_string(PAGE).render(title=title, sheets=sheets, passed=passed)
    (outdir / "report.html").write_text(html, encoding="utf-8")
    doc = Document()
    doc.add_heading(title, 0)
    for sheet in sheets:
        doc.add_heading(sheet["name"], 1)
        if sheet["table"]:
            table = doc.add_table(rows=0, cols=max(len(r) for r in sheet["rows"]))
            for row in sheet["rows"]:  # python-docx's documented idiom: table.add_row().cells
                for cell, v in zip(table.add_row().cells, row, strict=False):
                    cell.text = str(v)
        else:
            for text in sheet["rows"]:
                doc.add_paragraph(text)
    doc.save(outdir / "report.docx")
    return 0 if passed else 1


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1]), Path(sys.argv[2])))
