"""report.md: the report as Markdown (pipe tables; merged headers become one header row)."""

from __future__ import annotations

import re

from .report import DRAFT_MARK, Report, Section

_ESCAPES = str.maketrans({"|": "\\|", "\\": "\\\\", "*": "\\*", "_": "\\_", "`": "\\`", "<": "&lt;", ">": "&gt;",
                          "[": "\\[", "]": "\\]", "#": "\\#"})


def md_escape(text: str) -> str:
    text = text.translate(_ESCAPES)
    # a paragraph must not turn into a list, quote or rule: "1. …", "- …", "+ …"
    return re.sub(r"^(\d{1,9})([.)])(?=\s|$)", r"\1\\\2", text).replace("\n", " ") if text[:1].isdigit() else (
        "\\" + text if text[:1] in "-+=~" else text)


def _column_labels(block) -> list[str]:
    """Each column's label with every header above it (“行政诉讼—未经复议直接起诉—结果维持”): the merged
    header rows become one. A header over all the value columns (“申请人情况”) adds nothing and is left out."""
    first, count = block.label_cols, len(block.columns)
    labels = []
    for i, column in enumerate(block.columns):
        c = first + i
        above = [text for (_, c0, _, span, text) in sorted(block.header)
                 if c0 <= c < c0 + span and c0 >= first and not (c0 == first and span == count)]
        labels.append("—".join(above) if above else column.label)
    return labels


def _table(section: Section) -> list[str]:
    lines: list[str] = []
    for block in section.table.blocks:
        if block.caption:
            lines += [f"**{md_escape(block.caption)}**", ""]
        note = next((h[4] for h in block.header if h[1] == 0 and h[3] == block.label_cols and block.label_cols), None)
        if note:
            lines += [md_escape(note), ""]
        head = ([block.label_header or " "] if block.label_cols else []) + _column_labels(block)
        lines.append("| " + " | ".join(md_escape(h) for h in head) + " |")
        lines.append("|" + "|".join([" --- "] * (1 if block.label_cols else 0) + [" ---: "] * len(block.columns)) + "|")
        for row in block.rows:
            cells = [section.cells[f"{section.table.id}.{row.id}.{c.id}"] for c in block.columns]
            label = [md_escape(row.display)] if block.label_cols else []
            lines.append("| " + " | ".join(label + cells) + " |")
        lines.append("")
    return lines


def render_md(report: Report) -> str:
    lines: list[str] = []
    if report.draft:
        lines += [f"> **{DRAFT_MARK}**", ""]
    lines += [f"# {md_escape(report.title)}", ""]
    for section in report.sections:
        if section.heading:  # the opening paragraph (开篇) has none
            lines += [f"## {md_escape(section.title)}", ""]
        if section.table is not None:
            lines += _table(section)
        for para in section.paragraphs:
            text = md_escape(para.text)
            if para.level == 2:
                lines += [f"### {text}", ""]
            elif para.level == 3:
                lines += [f"**{text}**", ""]
            else:
                lines += [text, ""]
    if report.signature:  # 落款: Markdown cannot align right; the lines end the document
        lines += ["  \n".join(md_escape(line) for line in report.signature), ""]
    return "\n".join(lines).rstrip("\n") + "\n"
