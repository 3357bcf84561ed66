"""The output formats of `reportc build` and `reportc batch`: one module per format in this package.

Each module here defines RENDERER (its name for --format, the files it writes, a label) and
`render(job)`, which returns those files' bytes. The module itself is small: the heavy work
(python-docx, Jinja2, LibreOffice) is imported inside `render`, so that reading the registry
(for `reportc --help`, verify, audit, the docs) stays cheap. Adding a format (ODT, say) is adding
one module here: build, --format and its help text, batch's summary page, verify and
docs/命令参考.md all read the registry.
"""

from __future__ import annotations

import os
from collections import namedtuple
from importlib import import_module

from ..errors import UsageProblem

# (typing.NamedTuple would import typing, a tenth of a check's start)
Output = namedtuple("Output", "name link", defaults=("",))
Output.__doc__ = """A file a format writes: its name in the output folder, and its link text on batch's summary
page (index.html; "" for no link)."""

Renderer = namedtuple("Renderer", "name label files rank default needs last", defaults=(True, "", False))
Renderer.__doc__ = """A format: its name as written after --format; what it is, for people; the Outputs it writes;
its rank (the order of index.html's links and of rendering); default: made without --format; needs: what it
needs beyond Python (said in --format's help); last: costly, rendered after every other format (templates are
checked before LibreOffice starts)."""


def _module_names() -> list[str]:
    """The modules of this package (a folder listing: pkgutil would import typing, a tenth of a
    check's start; pkgutil for a zipped install)."""
    try:
        return sorted(f[:-3] for f in os.listdir(__path__[0]) if f.endswith(".py") and not f.startswith("_"))
    except OSError:
        from pkgutil import iter_modules

        return [info.name for info in iter_modules(__path__)]


def _load() -> tuple[tuple[Renderer, ...], dict]:
    found = []
    for name in _module_names():
        module = import_module(f"{__name__}.{name}")
        found.append((module.RENDERER, module.render))
    found.sort(key=lambda pair: pair[0].rank)
    return tuple(r for r, _ in found), {r.name: render for r, render in found}


RENDERERS, _RENDER = _load()
BY_NAME = {r.name: r for r in RENDERERS}
DEFAULT_FORMATS = tuple(r.name for r in RENDERERS if r.default)
ALL_FORMATS = (*DEFAULT_FORMATS, *(r.name for r in RENDERERS if not r.default))  # the usual set, then those on request


def file_names() -> tuple[str, ...]:
    """Every file name a format writes (report.html, report-fragment.html, report.docx, …)."""
    return tuple(o.name for r in RENDERERS for o in r.files)


def links() -> tuple[Output, ...]:
    """The documents batch's summary page links to, in the registry's order."""
    return tuple(o for r in RENDERERS for o in r.files if o.link)


def format_help() -> str:
    """--format's help text."""
    needs = "；".join(f"{r.name} 需要 {r.needs}" for r in RENDERERS if r.needs)
    return (f"输出格式，逗号分隔：{','.join(ALL_FORMATS)}（默认 {','.join(DEFAULT_FORMATS)}"
            + (f"；{needs}" if needs else "") + "）。")


def parse_formats(text: str | None) -> tuple[str, ...]:
    """--format html,docx (a Chinese comma too) -> ("html", "docx"); nothing -> the default set."""
    if not text:
        return DEFAULT_FORMATS
    wanted = tuple(dict.fromkeys(p.strip().lower() for p in text.replace("，", ",").split(",") if p.strip()))
    unknown = [w for w in wanted if w not in BY_NAME]
    if unknown or not wanted:
        raise UsageProblem(f"不认识的输出格式：{'、'.join(unknown) or '（空）'}。可选：{'、'.join(ALL_FORMATS)}，用逗号分隔"
                           f"（默认 {'、'.join(DEFAULT_FORMATS)}）。")
    return wanted


class Job:
    """One rendering of a checked report: what every renderer is given. The report model is made
    on first use, and each format at most once (pdf asks for the docx, whether or not it is wanted)."""

    def __init__(self, outcome, draft: bool, template_dir=None, problems: list[str] | None = None,
                 notes: list[str] | None = None):
        self.outcome = outcome
        self.spec = outcome.workbook.spec
        self.data = outcome.workbook.data
        self.draft = draft
        self.template_dir = template_dir
        self.problems = problems  # None: a format that cannot be made raises UsageProblem
        self.notes = notes
        self._report = None
        self._done: dict[str, dict[str, bytes]] = {}

    @property
    def report(self):
        if self._report is None:
            from ..report import build_report

            self._report = build_report(self.outcome.analysis, draft=self.draft)
        return self._report

    def output(self, name: str) -> dict[str, bytes]:
        """The files of format `name`, rendered once."""
        if name not in self._done:
            self._done[name] = _RENDER[name](self)
        return self._done[name]

    def note(self, text: str) -> None:
        if text and self.notes is not None:
            self.notes.append(text)


def render(job: Job, formats: tuple[str, ...]) -> dict[str, bytes]:
    """The files of the formats wanted, in the registry's order, costly formats last."""
    out: dict[str, bytes] = {}
    for r in sorted((r for r in RENDERERS if r.name in formats), key=lambda r: r.last):
        out.update(job.output(r.name))
    return out
