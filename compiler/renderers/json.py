"""json: report.json, the report's data, machine-readable (docs/数据格式.md)."""

from __future__ import annotations

from . import Output, Renderer

RENDERER = Renderer("json", "报告数据（机器可读，格式见 docs/数据格式.md）", (Output("report.json"),), rank=50)


def render(job) -> dict[str, bytes]:
    from ..render_json import render_json

    return {"report.json": render_json(job.outcome.analysis, job.draft, job.report).encode("utf-8")}
