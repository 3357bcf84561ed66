"""md: report.md, the report as Markdown."""

from __future__ import annotations

from . import Output, Renderer

RENDERER = Renderer("md", "Markdown 文本", (Output("report.md", "Markdown"),), rank=40)


def render(job) -> dict[str, bytes]:
    from ..render_md import render_md

    return {"report.md": render_md(job.report).encode("utf-8")}
