"""`reportc audit`: import and check every published report in a folder (html, docx, pdf),
in parallel, and write index.html and summary.xlsx as `reportc batch` does — 不通过 and
存疑 first. Reports of the same body in consecutive years are paired for S1–S4."""

from __future__ import annotations

import os
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from pathlib import Path

from .batch_run import SUMMARY_FILES, Entry, Progress, _start_worker, folder_name, shown_below, summary_xlsx
from .errors import UsageProblem
from .record import asdict

SUFFIXES = {".html", ".htm", ".shtml", ".docx", ".pdf"}
# the verdict words of verdict.py (as in each report's validation.html/json), plus 存疑 and 无法读取
FAILED, DOUBTFUL, VERIFY, PASSED, UNREADABLE = "不通过", "存疑", "须核实", "可以发布", "无法读取"
ORDER = {FAILED: 0, DOUBTFUL: 1, UNREADABLE: 2, VERIFY: 3, PASSED: 4}
WORKBOOK_NAME = "report-imported.xlsx"
PREVIOUS_RULE_KIND = "previous"


def find_reports(root: Path, exclude: Path | None) -> list[Path]:
    """The published reports under root. A folder reportc wrote (its manifest.json lists the files) is
    one report, not one per file: of a build's set only the page is read (report.html, else report.docx,
    else report.pdf) — not its fragment, other formats or validation.html; the summaries of batch and
    audit are not reports at all. A file the manifest does not list is the user's and is read."""
    found, sets = [], {}
    for path in sorted(root.rglob("*")):
        if exclude is not None and (path.resolve() == exclude or exclude in path.resolve().parents):
            continue
        rel = path.relative_to(root).parts
        if path.is_file() and path.suffix.lower() in SUFFIXES and not any(p.startswith((".", "~$")) for p in rel):
            if path.parent not in sets:
                sets[path.parent] = _reportc_set(path.parent)
            skip = sets[path.parent]
            if path.name not in skip:
                found.append(path)
    return found


SET_PAGE = ("report.html", "report.docx", "report.pdf")  # what stands for a build's set, in this order


def _reportc_set(folder: Path) -> set[str]:
    """The names in folder that audit skips: those reportc's manifest lists, but for a build the one page
    that stands for the set."""
    from . import manifest

    try:
        record = manifest.read(folder)
    except (manifest.NotAManifest, OSError):
        return set()  # not reportc's: every file is the user's
    names = set(manifest.listed(record))
    if record is not None and record.get("kind") == "build":
        page = next((n for n in SET_PAGE if n in names and (folder / n).is_file()), None)
        names.discard(page)
    return names


def _outcome(path: Path, spec, data, findings, sha256: str, previous=None):
    """A published report checked as a workbook is (analysis.analyse); `previous`: last year's
    report of the same body (analysis.LastYear)."""
    from .analysis import analyse
    from .edition import load_edition
    from .publish import Outcome
    from .reader import FilledWorkbook

    analysis = analyse(load_edition(spec.edition), data, previous, findings)
    return Outcome(FilledWorkbook(path, spec, {}, analysis.data), analysis, sha256)


def _data(imported):
    from .checks import Data, input_keys
    from .importer.assemble import as_number
    from .layout import cell_map

    spec = imported.spec
    keys = input_keys(spec)
    table_keys = {k for t in spec.tables for k, _, _ in t.cells()}
    texts = {k: "" for k in cell_map(spec) if k not in table_keys}
    texts.update(imported.texts)
    return Data(numbers={k: as_number(imported.cells.get(k)) for k in keys}, texts=texts,
                blanks={k for k in keys if imported.cells.get(k) is None},
                invalid={k for k in keys if isinstance(imported.cells.get(k), str)})


def _doubt_findings(imported) -> list:
    """The import check's doubts about a published report, each under the rule it concerns (a sum rule,
    or D6 for a number that cannot be read), worded and graded by M5's `published` message."""
    from .findings import Finding
    from .kinds.base import declared
    from .layout import location

    spec = imported.spec
    doubts = list(imported.doubts)
    doubts += [("D6", location(spec, key), message) for key, _, message in imported.unreadable]
    out = []
    for rule, where, message in doubts:
        worded = declared(spec, "M5", where, "published", problem=message)
        out.append(Finding(rule, worded.severity, where, worded.message))
    return out


def _status(outcome, doubtful: bool) -> str:
    if outcome.errors:
        return FAILED
    return DOUBTFUL if doubtful else outcome.verdict


def _files(outcome, workbook: bytes | None) -> dict:
    from .render_validation import render_validation_html, render_validation_json

    files = {"validation.json": render_validation_json(outcome).encode("utf-8"),
             "validation.html": render_validation_html(outcome).encode("utf-8")}
    if workbook is not None:
        files[WORKBOOK_NAME] = workbook
    return files


def _entry(rel: str, folder: str, outcome, status: str, written) -> dict:
    from .batch_run import first_problem

    texts = outcome.workbook.data.texts
    return asdict(Entry(rel, folder, status, org=texts.get("info.org", ""), year=texts.get("info.year", ""),
                        edition=outcome.workbook.spec.edition, errors=outcome.errors, warnings=outcome.warnings,
                        message="\n".join(first_problem(outcome)), documents=tuple(p.name for p in written)))


def audit_one(root: str, path: str, out_root: str, folder: str) -> dict:
    """Import, check and write one report's validation and workbook (runs in a worker)."""
    from .errors import CannotCheck
    from .importer import read_published
    from .import_write import workbook_bytes

    rel = shown_below(Path(root), Path(path))
    try:
        imported = read_published(Path(path))
        data = _data(imported)
        outcome = _outcome(Path(path), imported.spec, data, _doubt_findings(imported), imported.sha256)
        doubtful = imported.status != "导入完成"
        written = _write_report(Path(out_root) / folder, rel, _files(outcome, workbook_bytes(imported)), outcome)
    except CannotCheck as exc:
        return {"entry": asdict(Entry(rel, folder, UNREADABLE, message=str(exc))), "payload": None}
    except Exception as exc:  # one report never stops the rest
        return {"entry": asdict(Entry(rel, folder, UNREADABLE, message=f"reportc 内部错误（{type(exc).__name__}：{exc}）")),
                "payload": None}
    payload = {"path": path, "edition": imported.spec.edition, "sha256": imported.sha256, "doubtful": doubtful,
               "numbers": {k: str(v) for k, v in data.numbers.items()}, "blanks": sorted(data.blanks),
               "invalid": sorted(data.invalid), "texts": data.texts,
               "doubts": [f.as_dict() for f in _doubt_findings(imported)]}
    return {"entry": _entry(rel, folder, outcome, _status(outcome, doubtful), written), "payload": payload}


def _restore(payload):
    from .checks import Data
    from .findings import Finding
    from .previous import parse_value
    from .spec import load_spec

    spec = load_spec(payload["edition"])
    data = Data(numbers={k: parse_value(v) for k, v in payload["numbers"].items()}, texts=payload["texts"],
                blanks=set(payload["blanks"]), invalid=set(payload["invalid"]))
    doubts = [Finding(d["rule"], d["severity"], d["location"], d["message"]) for d in payload["doubts"]]
    return spec, data, doubts


def _write_report(folder: Path, source: str, files: dict, outcome) -> list[Path]:
    """One report's validation files and imported workbook, with their manifest (an earlier audit's set of
    the same report is replaced; nothing else is)."""
    from . import manifest
    from .fsutil import write_set

    record = manifest.make("audit-report", files, title="已发布年报的核对", source=source,
                           source_sha256=outcome.sha256, verdict=outcome.verdict)
    return write_set(folder, files, record, overwrite=False,
                     same_owner=lambda old: old.get("kind") == "audit-report" and old.get("source") == source).written


def pair_years(results: list[dict], out_root: Path) -> None:
    """Reports of the same body in consecutive years: this year's checked against last year's (S1–S4),
    its validation files written again."""
    from .analysis import LastYear
    from .previous import previous_from
    from .values import org_key

    by_body: dict[tuple[str, str], dict] = {}
    for r in results:
        p = r["payload"]
        if p and p["texts"].get("info.org") and p["texts"].get("info.year", "").isdigit():
            by_body.setdefault((org_key(p["texts"]["info.org"]), p["texts"]["info.year"]), r)
    for (key, year), r in by_body.items():
        last = by_body.get((key, str(int(year) - 1)))
        if last is None:
            continue
        spec, data, doubts = _restore(r["payload"])
        last_spec, last_data, _ = _restore(last["payload"])
        last_outcome = _outcome(Path(last["payload"]["path"]), last_spec, last_data, [], last["payload"]["sha256"])
        info = previous_from(spec, last_outcome)
        if last["payload"]["doubtful"]:
            info["published"] = {"kind": "published", "status": "存疑", "doubts": [d["message"] for d in last["payload"]["doubts"]][:20]}
        else:
            info["published"] = {"kind": "published", "status": "导入完成", "doubts": []}
        # last year's figures, narrative and inputs (内容雷同: S11, S12), as check --previous
        outcome = _outcome(Path(r["payload"]["path"]), spec, data, doubts, r["payload"]["sha256"],
                           LastYear(info, last_outcome.workbook))
        entry = r["entry"]
        folder = out_root / entry["folder"]
        workbook = (folder / WORKBOOK_NAME).read_bytes() if (folder / WORKBOOK_NAME).is_file() else None
        written = _write_report(folder, entry["file"], _files(outcome, workbook), outcome)
        r["entry"] = _entry(entry["file"], entry["folder"], outcome, _status(outcome, r["payload"]["doubtful"]), written)
        r["entry"]["message"] = "\n".join(x for x in (r["entry"]["message"], f"已与上年年报“{last['entry']['file']}”跨年度核对。") if x)


def run_audit(root: Path, out_root: Path, jobs: int | None = None, progress: bool = True) -> list[Entry]:
    from .fsutil import check_set, output_error, recover, refuse_inputs_inside

    root, out_root = Path(root), Path(out_root)
    if not root.is_dir():
        raise UsageProblem(f"找不到文件夹：{root}" if not root.exists() else f"“{root}”是一个文件，不是文件夹。"
                           "reportc audit 检查一个文件夹中的全部已发布年报；单个文件请用 reportc import。")
    if out_root.exists() and not out_root.is_dir():
        raise UsageProblem(f"输出位置“{out_root}”是一个文件，不是文件夹。请用 -o 指定一个文件夹。")
    if out_root.resolve() == root.resolve():
        raise UsageProblem(f"输出文件夹不能就是存放年报的文件夹“{root}”。请用 -o 另指定一个文件夹。")
    refuse_inputs_inside(out_root, [root])
    files = find_reports(root, out_root.resolve())
    if not files:
        raise UsageProblem(f"文件夹“{root}”中没有找到已发布的年报（.html、.docx、.pdf）。")
    taken = {"index.html", "summary.xlsx"}
    tasks = []
    for path in files:
        base = folder_name(root, path) + "_" + path.suffix.lower().lstrip(".")
        name, n = base, 1
        while name.casefold() in taken:
            n += 1
            name = f"{base}_{n}"
        taken.add(name.casefold())
        tasks.append((str(root), str(path), str(out_root), name))
    try:
        if out_root.is_dir():
            recover(out_root)  # what a killed audit left: only the names its journal lists
            check_set(out_root, SUMMARY_FILES, False, _same_audit)  # before the long work, not after
        out_root.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise output_error(exc, out_root) from None
    bar = Progress(len(tasks)) if progress else None
    workers = max(1, min(jobs or os.cpu_count() or 1, len(tasks)))
    results = []
    if workers == 1:
        for task in tasks:
            results.append(audit_one(*task))
            if bar:
                bar.step(Entry(**results[-1]["entry"]))
    else:
        results = _parallel(tasks, workers, bar)
    pair_years(results, out_root)
    entries = [Entry(**r["entry"]) for r in results]
    entries.sort(key=lambda e: (ORDER.get(e.status, 9), e.file))
    try:
        write_audit_summary(out_root, entries)
    except OSError as exc:
        raise output_error(exc, out_root) from None
    return entries


def _parallel(tasks: list, workers: int, bar) -> list[dict]:
    """Worker processes (spawn, as on Windows); at most 2 tasks queued per worker keeps memory bounded."""
    import multiprocessing

    results: list[dict] = []
    pool = ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn"),
                               initializer=_start_worker)
    queue = list(reversed(tasks))
    try:
        pending = set()
        while queue or pending:
            while queue and len(pending) < 2 * workers:
                pending.add(pool.submit(audit_one, *queue.pop()))
            done, pending = wait(pending, timeout=0.25, return_when=FIRST_COMPLETED)
            for future in done:
                results.append(future.result())
                if bar:
                    bar.step(Entry(**results[-1]["entry"]))
    except BaseException:
        processes = list((getattr(pool, "_processes", None) or {}).values())
        pool.shutdown(wait=False, cancel_futures=True)
        for process in processes:
            process.terminate()
        raise
    pool.shutdown()
    return results


def _same_audit(old: dict) -> bool:
    return old.get("kind") == "audit"


def write_audit_summary(out_root: Path, entries: list[Entry]) -> None:
    """index.html and summary.xlsx with the audit's manifest.json (it lists the per-report folders too)."""
    from . import manifest
    from .fsutil import write_set

    files = {"index.html": audit_html(entries).encode("utf-8"), "summary.xlsx": summary_xlsx(entries)}
    record = manifest.make("audit", files, title="已发布年报核对汇总", reports=len(entries),
                           folders=sorted({e.folder for e in entries if e.documents}))
    write_set(out_root, files, record, overwrite=False, same_owner=_same_audit)


def audit_html(entries: list[Entry]) -> str:
    from .pages import render
    from .render_validation import page_context

    rows = []
    for i, e in enumerate(entries, start=1):
        links = [{"href": f"{e.folder}/{name}", "text": text}
                 for name, text in (("validation.html", "核对报告"), (WORKBOOK_NAME, "导入的工作簿")) if name in e.documents]
        css = {PASSED: "pass", VERIFY: "warning", FAILED: "error", DOUBTFUL: "error"}.get(e.status, "unreadable")
        rows.append({**asdict(e), "number": i, "css": css, "links": links, "duplicate": ""})
    counts = {s: sum(1 for e in entries if e.status == s) for s in (FAILED, DOUBTFUL, VERIFY, PASSED, UNREADABLE)}
    return render("audit.html.j2", {**page_context("已发布政府信息公开工作年度报告核对汇总"), "counts": counts,
                                    "total": len(entries), "entries": rows}, None)
