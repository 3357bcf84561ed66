"""html: report.html, the page for the government portal, and report-fragment.html for a CMS editor."""

from __future__ import annotations

from . import Output, Renderer

RENDERER = Renderer("html", "网页：可直接发布的整页，和供网站内容管理系统粘贴的片段",
                    (Output("report.html", "网页"), Output("report-fragment.html", "网页片段")), rank=10)


def render(job) -> dict[str, bytes]:
    from ..render_html import render_pages

    return {name: text.encode("utf-8") for name, text in render_pages(job.report, job.template_dir).items()}
