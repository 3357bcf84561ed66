"""docx: report.docx, the copy for signing, in the house style of official documents."""

from __future__ import annotations

from . import Output, Renderer

RENDERER = Renderer("docx", "Word 文档（公文格式，供签发）", (Output("report.docx", "Word"),), rank=20)


def render(job) -> dict[str, bytes]:
    from ..render_docx import render_docx

    return {"report.docx": render_docx(job.report)}
