"""pdf: report.pdf, the DOCX converted by LibreOffice (on request: it costs a LibreOffice start)."""

from __future__ import annotations

from ..errors import UsageProblem
from . import Output, Renderer

RENDERER = Renderer("pdf", "PDF（由 Word 文档转换）", (Output("report.pdf", "PDF"),), rank=30, default=False, needs="LibreOffice",
                    last=True)


def render(job) -> dict[str, bytes]:
    from ..render_pdf import PdfUnavailable, docx_to_pdf, font_note

    try:
        pdf = docx_to_pdf(job.output("docx")["report.docx"])
    except PdfUnavailable as exc:
        if job.problems is None:
            raise UsageProblem(str(exc)) from None
        job.problems.append(str(exc))
        return {}
    job.note(font_note(pdf))
    return {"report.pdf": pdf}
