"""report.md (reportc's Markdown, or any similar Markdown) into a Doc: headings and
paragraphs, pipe tables; Markdown escapes undone."""

from __future__ import annotations

import re

from .model import Cell, Doc, Para, Table

ESCAPE = re.compile(r"\\(.)")
SEPARATOR = re.compile(r"^\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$")


def unescape(text: str) -> str:
    text = ESCAPE.sub(lambda m: m.group(1), text)
    return text.replace("&lt;", "<").replace("&gt;", ">")


def _cells(line: str) -> list[str]:
    line = line.strip()
    if line.startswith("|"):
        line = line[1:]
    if line.endswith("|") and not line.endswith("\\|"):
        line = line[:-1]
    parts, current, i = [], "", 0
    while i < len(line):
        ch = line[i]
        if ch == "\\" and i + 1 < len(line):
            current += line[i: i + 2]
            i += 2
            continue
        if ch == "|":
            parts.append(current)
            current = ""
        else:
            current += ch
        i += 1
    parts.append(current)
    return [unescape(p.strip()) for p in parts]


def _strip_marks(text: str) -> str:
    m = re.fullmatch(r"\*\*(.*)\*\*", text.strip(), re.S)
    return m.group(1) if m else text


def read_markdown(text: str) -> Doc:
    doc = Doc("md")
    chunks = re.split(r"\n\s*\n", text.replace("\r\n", "\n").replace("\r", "\n"))
    for chunk in chunks:
        lines = [ln for ln in chunk.split("\n") if ln.strip()]
        if not lines:
            continue
        if all("\t" in ln for ln in lines):  # text copied from a page or Word: cells separated by tabs
            doc.blocks.append(Table([[Cell(c.strip()) for c in ln.split("\t")] for ln in lines]))
            continue
        if all(ln.lstrip().startswith("|") for ln in lines):
            rows = [[Cell(c) for c in _cells(ln)] for ln in lines if not SEPARATOR.match(ln.strip())]
            doc.blocks.append(Table(rows))
            continue
        first = lines[0].lstrip()
        if first.startswith(">"):
            continue  # the draft mark
        if len(lines) == 1 and first.startswith("#"):
            level = len(first) - len(first.lstrip("#"))
            heading = unescape(first[level:].strip())
            if level == 1 and not doc.title:
                doc.title = heading
            doc.blocks.append(Para(heading))
            continue
        if len(lines) > 1 and all(ln.endswith("  ") for ln in lines[:-1]):  # hard line breaks: the 落款
            doc.blocks += [Para(_strip_marks(unescape(ln.strip()))) for ln in lines]
            continue
        doc.blocks.append(Para(_strip_marks(unescape(" ".join(ln.strip() for ln in lines)))))
    return doc
