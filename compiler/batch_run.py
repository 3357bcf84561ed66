"""`reportc batch`: check and build every workbook under a folder, in parallel, and write
a summary (index.html and summary.xlsx) for the county office and its supervisor."""

from __future__ import annotations

import os
import sys
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from pathlib import Path

from .filenames import readable, shell_word, shown_path
from .errors import UsageProblem
from .record import asdict, record

SPREADSHEET_SUFFIXES = {".xlsx", ".xlsm", ".xls", ".xlsb", ".et", ".ods", ".csv"}
# A readable workbook's status is its verdict (verdict.py): 可以发布, 须核实 or 不通过
STATUS_UNREADABLE, STATUS_SKIPPED = "无法读取", "跳过"
VERDICT_CSS = {"可以发布": "pass", "须核实": "warning", "不通过": "error"}
DUPLICATE = "重复"
SUMMARY_FILES = ("index.html", "summary.xlsx")
MANIFEST_NAME = "manifest.json"


@record
class Entry:
    file: str  # relative to the batch folder
    folder: str  # output folder name, relative to the output root
    status: str  # the verdict (可以发布/须核实/不通过), 无法读取 or 跳过
    org: str = ""
    year: str = ""
    edition: str = ""
    errors: int = 0
    warnings: int = 0
    explained: int = 0  # warnings with a 情况说明
    blocked: bool = False  # no documents: 不通过, or 须核实 under --strict
    message: str = ""
    documents: tuple[str, ...] = ()
    duplicate_of: tuple[str, ...] = ()  # other files with the same body and year


def is_lock_file(path: Path) -> bool:
    """An Excel/WPS lock file "~$name.xlsx": a few hundred bytes holding the user's name,
    never a zip package. A real workbook merely named "~$…" is not one."""
    if not path.name.startswith("~$"):
        return False
    try:
        with path.open("rb") as fh:
            return fh.read(2) != b"PK" and path.stat().st_size < 4096
    except OSError:
        return True


def find_workbooks(root: Path, exclude: Path | None,
                   in_output: list[Path] | None = None) -> tuple[list[Path], list[Path]]:
    """(workbooks to build, files listed as skipped: hidden names, "~$…" that are not lock files).
    Workbooks under `exclude` (the output folder) are not inputs; they are added to `in_output`."""
    found, skipped = [], []
    for path in sorted(root.rglob("*")):
        if not path.is_file() or path.suffix.lower() not in SPREADSHEET_SUFFIXES:
            continue
        if exclude is not None and (path.resolve() == exclude or exclude in path.resolve().parents):
            if in_output is not None and not is_lock_file(path) and path.resolve() != exclude / "summary.xlsx":
                in_output.append(path)
            continue
        if is_lock_file(path):
            continue
        hidden = any(part.startswith((".", "~$")) for part in path.relative_to(root).parts)
        (skipped if hidden else found).append(path)
    return found, skipped


def folder_name(root: Path, path: Path) -> str:
    from .fsutil import safe_component

    rel = path.relative_to(root).with_suffix("")
    return safe_component("_".join(rel.parts), "workbook")


def shown_below(root: Path, path: Path) -> str:
    """A file's path below root as a batch's or an audit's summary shows it (filenames.readable: any text)."""
    return readable(str(path.relative_to(root)))


def _start_worker() -> None:
    """In a worker: end this process as soon as the batch parent is gone (killed, crashed)
    instead of living on; Ctrl-C is for the parent, which stops the workers itself. A worker
    is a fresh Python (spawn): it too takes the regular expressions compiled by earlier runs
    (patterns.py)."""
    import multiprocessing
    import signal
    import threading
    from multiprocessing.connection import wait

    from .patterns import prime

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    prime()
    parent = multiprocessing.parent_process()
    if parent is None:
        return

    def watch():
        wait([parent.sentinel])
        os._exit(1)

    threading.Thread(target=watch, name="reportc-parent-watch", daemon=True).start()


def _one(root: str, path: str, out_root: str, folder: str, formats: tuple[str, ...] | None = None,
         template_dir: str | None = None, strict: bool = False, overwrite: bool = False) -> dict:
    """Check and build one workbook (runs in a worker process)."""
    from .publish import build
    from .errors import CannotCheck

    rel = shown_below(Path(root), Path(path))
    try:
        outcome = build(Path(path), Path(out_root) / folder, formats, overwrite=overwrite,
                        template_dir=Path(template_dir) if template_dir else None, strict=strict)
    except CannotCheck as exc:
        return asdict(Entry(rel, folder, STATUS_UNREADABLE, message=str(exc)))
    except Exception as exc:  # never let one workbook stop the rest
        return asdict(Entry(rel, folder, STATUS_UNREADABLE, message=f"reportc 内部错误（{type(exc).__name__}：{exc}）"))
    from .findings import counts as count_findings

    texts = outcome.workbook.data.texts
    counts = count_findings(outcome.findings)
    return asdict(Entry(
        rel, folder, outcome.verdict,
        org=texts.get("info.org", ""), year=texts.get("info.year", ""), edition=outcome.workbook.spec.edition,
        errors=counts["error"], warnings=counts["warning"], explained=counts["explained"], blocked=outcome.blocked,
        message="\n".join([*first_problem(outcome), *outcome.problems, *outcome.notes]),
        documents=tuple(p.name for p in outcome.written),
    ))


def first_problem(outcome) -> list[str]:
    """For summary.xlsx and index.html: the first finding behind the verdict (an error for 不通过,
    a warning nobody has explained for 须核实), with its cell."""
    from .findings import rule_tag

    severity = "error" if outcome.errors else "warning"
    for f in outcome.findings:
        if f.severity == severity and not f.explanation:
            where = f"{f.location}：" if f.location else ""
            return [f"{where}{f.message}（{rule_tag(f.rule)}）"]
    return []


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
              formats: tuple[str, ...] | None = None, template_dir: Path | None = None,
              strict: bool = False, overwrite: bool = False) -> list[Entry]:
    """Build every workbook under root into its own folder of out_root, then write index.html and
    summary.xlsx with the batch's manifest.json in out_root. Like build, it replaces only files that
    the manifests list (a per-body set or a summary of another batch only with `overwrite`)."""
    from .fsutil import check_set, output_error, recover, refuse_inputs_inside

    root = Path(root)
    if not root.is_dir():
        if root.is_file():
            raise UsageProblem(f"“{root}”是一个文件，不是文件夹。批量处理需要存放各单位工作簿的文件夹；"
                               f"只处理这一个文件请用：reportc build {shell_word(shown_path(root))}")
        raise UsageProblem(f"找不到文件夹：{root}")
    out_root = Path(out_root)
    if out_root.exists() and not out_root.is_dir():
        raise UsageProblem(f"输出位置“{out_root}”是一个文件，不是文件夹。请用 -o 指定一个文件夹。")
    if out_root.resolve() == root.resolve():
        raise UsageProblem(f"输出文件夹不能就是存放工作簿的文件夹“{root}”：生成的文件会与各单位的工作簿混在一起。"
                           "请用 -o 另指定一个文件夹，如 -o 批量输出。")
    refuse_inputs_inside(out_root, [root, template_dir])
    in_output: list[Path] = []
    files, skipped = find_workbooks(root, out_root.resolve(), in_output)
    if not files and not skipped:
        inside = (f"输出文件夹“{out_root}”在其中，它里面的 {len(in_output)} 个工作簿不处理"
                  "（输出文件夹里放的是生成的文件，其中的工作簿不作为输入）。" if in_output else "")
        raise UsageProblem(f"文件夹“{root}”中没有找到工作簿（.xlsx）。{inside}",
                           "请把要处理的工作簿放在输出文件夹以外，或用 -o 另指定输出文件夹。" if in_output else "")
    try:
        if out_root.is_dir():
            recover(out_root)  # what an earlier, killed batch left behind: only the names its journal lists
            check_set(out_root, SUMMARY_FILES, overwrite, _same_batch)  # before hours of work, not after
        out_root.mkdir(parents=True, exist_ok=True)  # here, not by the workers: one that fails must not remove it
    except OSError as exc:
        raise output_error(exc, out_root) from None
    taken = {n.casefold() for n in (*SUMMARY_FILES, MANIFEST_NAME)}  # Windows compares names without case
    tasks = []
    for path in files:
        base = folder_name(root, path)
        name, n = base, 1
        while name.casefold() in taken:
            n += 1
            name = f"{base}_{n}"
        taken.add(name.casefold())
        tasks.append((str(root), str(path), str(out_root), name, formats, str(template_dir) if template_dir else None,
                      strict, overwrite))
    bar = Progress(len(tasks)) if progress else None
    entries: list[Entry] = [
        Entry(shown_below(root, p), "", STATUS_SKIPPED,
              message="文件名以“.”或“~$”开头（隐藏文件或 Excel 临时文件的名字），未处理；如确是要处理的工作簿，请改名后重新运行。")
        for p in skipped
    ] + [
        Entry(shown_below(root, p), "", STATUS_SKIPPED,
              message=f"在输出文件夹“{out_root}”中，未处理：输出文件夹里放的是生成的文件，其中的工作簿不作为输入。"
                      "如确是要处理的工作簿，请移到输出文件夹以外。")
        for p in in_output
    ]
    workers = max(1, min(jobs or os.cpu_count() or 1, len(tasks)))
    if workers == 1:
        for task in tasks:
            entries.append(Entry(**_one(*task)))
            if bar:
                bar.step(entries[-1])
    elif tasks:
        entries += _parallel(tasks, workers, bar)
    entries.sort(key=lambda e: e.file)
    mark_duplicates(entries)
    try:
        write_summary(out_root, entries, template_dir, overwrite)
    except OSError as exc:
        raise output_error(exc, out_root) from None
    return entries


def _same_batch(old: dict) -> bool:
    return old.get("kind") == "batch"


def _parallel(tasks: list, workers: int, bar) -> list[Entry]:
    """Run tasks in worker processes (spawn everywhere: the start method Windows has, so the
    tests here exercise it too). Workers end with the parent (_start_worker); on Ctrl-C or
    any other exit the parent cancels what is queued and stops the running workers at once."""
    import multiprocessing

    entries: list[Entry] = []
    pool = ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn"),
                               initializer=_start_worker)
    try:
        pending = {pool.submit(_one, *task) for task in tasks}
        while pending:
            # wake up often: on Windows a blocking wait would not see Ctrl-C until a task ends
            done, pending = wait(pending, timeout=0.25, return_when=FIRST_COMPLETED)
            for future in done:
                entries.append(Entry(**future.result()))
                if bar:
                    bar.step(entries[-1])
    except BaseException:
        processes = list((getattr(pool, "_processes", None) or {}).values())
        pool.shutdown(wait=False, cancel_futures=True)
        for process in processes:
            process.terminate()
        for process in processes:
            process.join(timeout=1)
        # the pool's manager thread closes its wake-up pipe when it sees the workers gone; ended here, not
        # while Python exits (its exit hook wrote to that pipe as it closed: “Exception ignored … Bad file
        # descriptor” after 已中断)
        manager = getattr(pool, "_executor_manager_thread", None)
        if manager is not None:
            manager.join(timeout=2)
        raise
    pool.shutdown()
    return entries


def mark_duplicates(entries: list[Entry]) -> None:
    """Several workbooks of the same body (机关名称 compared after normalising spaces and
    brackets) and year: each names the others; index.html and summary.xlsx show 重复."""
    from .rollup import body_key

    groups: dict[tuple[str, str], list[Entry]] = {}
    for e in entries:
        if e.status in VERDICT_CSS and e.org.strip() and e.year.strip():
            groups.setdefault(body_key(e.org, e.year), []).append(e)
    for group in groups.values():
        if len(group) > 1:
            for e in group:
                e.duplicate_of = tuple(o.file for o in group if o is not e)


def write_summary(out_root: Path, entries: list[Entry], template_dir: Path | None = None,
                  overwrite: bool = False) -> None:
    """index.html and summary.xlsx with the batch's manifest.json (it also lists the per-body folders)."""
    from . import manifest
    from .fsutil import write_set

    files = {"index.html": summary_html(entries, template_dir).encode("utf-8"), "summary.xlsx": summary_xlsx(entries)}
    record = manifest.make("batch", files, title="批量处理汇总", workbooks=len(entries),
                           counts={**_counts(entries), STATUS_SKIPPED: sum(1 for e in entries if e.status == STATUS_SKIPPED)},
                           folders=sorted({e.folder for e in entries if e.documents}))
    write_set(out_root, files, record, overwrite, same_owner=_same_batch)


def _duplicate_note(e: Entry) -> str:
    others = "、".join(e.duplicate_of[:5]) + (f"等 {len(e.duplicate_of)} 个文件" if len(e.duplicate_of) > 5 else "")
    return f"{DUPLICATE}：与 {others} 是同一机关（{e.org}）同一年度（{e.year}）的工作簿"


def _counts(entries):
    return {s: sum(1 for e in entries if e.status == s) for s in (*VERDICT_CSS, STATUS_UNREADABLE)}


def summary_html(entries: list[Entry], template_dir=None) -> str:
    from .pages import render
    from .render_validation import page_context

    from .renderers import Output, links as document_links

    rows = []
    for i, e in enumerate(entries, start=1):
        links = [{"href": f"{e.folder}/{name}", "text": text}
                 for name, text in (*document_links(), Output("validation.html", "校验报告")) if name in e.documents]
        css = VERDICT_CSS.get(e.status, "unreadable")
        rows.append({**asdict(e), "number": i, "css": css, "links": links,
                     "duplicate": DUPLICATE if e.duplicate_of else "",
                     "message": "；".join(x for x in (e.message, _duplicate_note(e) if e.duplicate_of else "") if x)})
    return render("index.html.j2", {**page_context("政府信息公开工作年度报告汇总"), "counts": _counts(entries),
                                    "total": len(entries), "entries": rows,
                                    "skipped": sum(1 for e in entries if e.status == STATUS_SKIPPED),
                                    "duplicates": sum(1 for e in entries if e.duplicate_of)}, template_dir)


def summary_xlsx(entries: list[Entry]) -> bytes:
    import io

    import xlsxwriter

    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"in_memory": True})
    ws = wb.add_worksheet("汇总")
    bold = wb.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1})
    cell = wb.add_format({"border": 1, "text_wrap": True, "valign": "top"})
    headers = ["序号", "机关名称", "年度", "文件", "结论", "错误", "提醒", "已说明", "格式版本", "输出文件夹", "说明", DUPLICATE]
    for c, (h, w) in enumerate(zip(headers, [6, 24, 8, 36, 10, 6, 6, 7, 8, 30, 60, 6], strict=True)):
        ws.write(0, c, h, bold)
        ws.set_column(c, c, w)
    for i, e in enumerate(entries, start=1):
        message = "；".join(m for m in (e.message, _duplicate_note(e) if e.duplicate_of else "") if m)
        ws.write_number(i, 0, i, cell)
        # text from workbooks and file names is always written as text, never as a formula
        for c, text in enumerate([e.org, e.year, e.file, e.status], start=1):
            if c == 2 and text.isascii() and text.isdigit() and len(text) <= 4:  # 年度 as a number: sorts as one
                ws.write_number(i, c, int(text), cell)
            else:
                ws.write_string(i, c, text, cell)
        ws.write_number(i, 5, e.errors, cell)
        ws.write_number(i, 6, e.warnings, cell)
        ws.write_number(i, 7, e.explained, cell)
        folder = e.folder if e.documents else ""  # nothing written for it (无法读取, 跳过): no folder to name
        for c, text in enumerate([e.edition, folder, message, DUPLICATE if e.duplicate_of else ""], start=8):
            ws.write_string(i, c, text, cell)
    ws.autofilter(0, 0, len(entries), len(headers) - 1)
    ws.freeze_panes(1, 0)
    wb.close()
    return buf.getvalue()
