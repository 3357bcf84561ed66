"""`reportc batch`: check and build every workbook under a folder, in parallel, and write
a summary (index.html and summary.xlsx) for the county office and its supervisor."""

from __future__ import annotations

import os
import sys
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import asdict, dataclass
from pathlib import Path

from .errors import UsageProblem

SPREADSHEET_SUFFIXES = {".xlsx", ".xlsm", ".xls", ".xlsb", ".et", ".ods", ".csv"}
STATUS_OK, STATUS_ERRORS, STATUS_UNREADABLE = "通过", "有错误", "无法读取"


@dataclass
class Entry:
    file: str  # relative to the batch folder
    folder: str  # output folder name, relative to the output root
    status: str
    org: str = ""
    year: str = ""
    edition: str = ""
    errors: int = 0
    warnings: int = 0
    message: str = ""
    documents: tuple[str, ...] = ()


def find_workbooks(root: Path, exclude: Path | None) -> list[Path]:
    found = []
    for path in sorted(root.rglob("*")):
        if not path.is_file() or path.suffix.lower() not in SPREADSHEET_SUFFIXES:
            continue
        if path.name.startswith(("~$", ".")):  # Excel/WPS lock files, hidden files
            continue
        if exclude is not None and exclude in path.resolve().parents:
            continue
        found.append(path)
    return found


def folder_name(root: Path, path: Path) -> str:
    rel = path.relative_to(root).with_suffix("")
    name = "_".join(rel.parts)
    return "".join(ch for ch in name if ch not in '\\/:*?"<>|') or "workbook"


def _one(root: str, path: str, out_root: str, folder: str, formats: tuple[str, ...] | None = None,
         template_dir: str | None = None) -> dict:
    """Check and build one workbook (runs in a worker process)."""
    from .build import FORMATS, build
    from .errors import CannotCheck

    rel = str(Path(path).relative_to(root))
    try:
        outcome = build(Path(path), Path(out_root) / folder, formats or FORMATS,
                        template_dir=Path(template_dir) if template_dir else None)
    except CannotCheck as exc:
        return asdict(Entry(rel, folder, STATUS_UNREADABLE, message=str(exc)))
    except Exception as exc:  # never let one workbook stop the rest
        return asdict(Entry(rel, folder, STATUS_UNREADABLE, message=f"reportc 内部错误（{type(exc).__name__}：{exc}）"))
    texts = outcome.workbook.data.texts
    counts = {"error": 0, "warning": 0}
    for f in outcome.findings:
        counts[f.severity] = counts.get(f.severity, 0) + 1
    return asdict(Entry(
        rel, folder, STATUS_ERRORS if outcome.errors else STATUS_OK,
        org=texts.get("info.org", ""), year=texts.get("info.year", ""), edition=outcome.workbook.spec.edition,
        errors=counts["error"], warnings=counts["warning"], message="\n".join(outcome.problems),
        documents=tuple(p.name for p in outcome.written),
    ))


class Progress:
    """A one-line progress bar on a terminal; plain lines when the output is redirected."""

    def __init__(self, total: int, stream=None):
        self.total, self.done = total, 0
        self.stream = stream or sys.stderr
        self.tty = hasattr(self.stream, "isatty") and self.stream.isatty()

    def step(self, entry: Entry) -> None:
        self.done += 1
        width = 30
        filled = width * self.done // max(self.total, 1)
        bar = "#" * filled + "-" * (width - filled)
        line = f"[{bar}] {self.done}/{self.total} {entry.status} {entry.file}"
        try:
            if self.tty:
                self.stream.write("\r" + line[:100].ljust(100))
                if self.done == self.total:
                    self.stream.write("\n")
            else:
                self.stream.write(line + "\n")
            self.stream.flush()
        except (OSError, ValueError):
            pass


def run_batch(root: Path, out_root: Path, jobs: int | None = None, progress: bool = True,
              formats: tuple[str, ...] | None = None, template_dir: Path | None = None) -> list[Entry]:
    root = Path(root)
    if not root.is_dir():
        raise UsageProblem(f"找不到文件夹：{root}")
    out_root = Path(out_root)
    files = find_workbooks(root, out_root.resolve() if out_root.exists() else None)
    if not files:
        raise UsageProblem(f"文件夹“{root}”中没有找到工作簿（.xlsx）。")
    names: dict[str, int] = {}
    tasks = []
    for path in files:
        name = folder_name(root, path)
        names[name] = names.get(name, 0) + 1
        if names[name] > 1:
            name = f"{name}_{names[name]}"
        tasks.append((str(root), str(path), str(out_root), name, formats, str(template_dir) if template_dir else None))
    bar = Progress(len(tasks)) if progress else None
    entries: list[Entry] = []
    workers = max(1, min(jobs or os.cpu_count() or 1, len(tasks)))
    if workers == 1:
        for task in tasks:
            entries.append(Entry(**_one(*task)))
            if bar:
                bar.step(entries[-1])
    else:
        import multiprocessing

        # spawn everywhere: the start method Windows has, so the tests here exercise it too
        with ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn")) as pool:
            futures = [pool.submit(_one, *task) for task in tasks]
            for future in as_completed(futures):
                entries.append(Entry(**future.result()))
                if bar:
                    bar.step(entries[-1])
    entries.sort(key=lambda e: e.file)
    write_summary(out_root, entries, template_dir)
    return entries


def write_summary(out_root: Path, entries: list[Entry], template_dir: Path | None = None) -> None:
    from .fsutil import write_files

    write_files(out_root, {"index.html": summary_html(entries, template_dir).encode("utf-8"),
                           "summary.xlsx": summary_xlsx(entries)})


def _counts(entries):
    return {s: sum(1 for e in entries if e.status == s) for s in (STATUS_OK, STATUS_ERRORS, STATUS_UNREADABLE)}


def summary_html(entries: list[Entry], template_dir=None) -> str:
    from .pages import render
    from .render_validation import page_context

    rows = []
    for i, e in enumerate(entries, start=1):
        links = [{"href": f"{e.folder}/{name}", "text": text}
                 for name, text in (("report.html", "网页"), ("report-fragment.html", "网页片段"), ("report.docx", "Word"),
                                    ("report.pdf", "PDF"), ("report.md", "Markdown"), ("validation.html", "校验报告"))
                 if name in e.documents]
        css = {STATUS_OK: "pass", STATUS_ERRORS: "error"}.get(e.status, "unreadable")
        rows.append({**asdict(e), "number": i, "css": css, "links": links})
    return render("index.html.j2", {**page_context("政府信息公开工作年度报告汇总"), "counts": _counts(entries),
                                    "total": len(entries), "entries": rows}, template_dir)


def summary_xlsx(entries: list[Entry]) -> bytes:
    import io

    import xlsxwriter

    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"in_memory": True})
    ws = wb.add_worksheet("汇总")
    bold = wb.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1})
    cell = wb.add_format({"border": 1, "text_wrap": True, "valign": "top"})
    headers = ["序号", "机关名称", "年度", "文件", "状态", "错误", "提醒", "格式版本", "输出文件夹", "说明"]
    for c, (h, w) in enumerate(zip(headers, [6, 24, 8, 36, 10, 6, 6, 8, 30, 60], strict=True)):
        ws.write(0, c, h, bold)
        ws.set_column(c, c, w)
    for i, e in enumerate(entries, start=1):
        ws.write_row(i, 0, [i, e.org, e.year, e.file, e.status, e.errors, e.warnings, e.edition, e.folder, e.message],
                     cell)
    ws.autofilter(0, 0, len(entries), len(headers) - 1)
    ws.freeze_panes(1, 0)
    wb.close()
    return buf.getvalue()
