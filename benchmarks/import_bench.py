"""Time `reportc import` and `reportc audit` (issue 20): in-process import of a published
report (read, checksum, workbook written in memory), median of several runs; audit of 100 HTML
reports with --jobs 2 as a fresh process.

    python benchmarks/import_bench.py [--runs 7] [--reports 100] [--no-pdf]

Targets: import of an HTML report <= 0.3 s, of a PDF <= 1.5 s; audit of 100 HTML reports
<= 60 s on 2 cores. Wall and CPU seconds are both printed: on a shared machine the CPU
figure is the one to compare.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "qingshan-minzheng-2025.xlsx"
TARGETS = {"html": 0.3, "pdf": 1.5}
AUDIT_TARGET = 60.0


def time_import(path: Path, runs: int) -> tuple[float, float]:
    from reportc.importer import read_published
    from reportc.importer.write import workbook_bytes

    walls, cpus = [], []
    for _ in range(runs):
        w0, c0 = time.perf_counter(), time.process_time()
        workbook_bytes(read_published(path))
        walls.append(time.perf_counter() - w0)
        cpus.append(time.process_time() - c0)
    return statistics.median(walls), statistics.median(cpus)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--reports", type=int, default=100)
    parser.add_argument("--no-pdf", action="store_true")
    args = parser.parse_args()
    from reportc.publish import build

    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        formats = ("html",) if args.no_pdf or not shutil.which("soffice") else ("html", "pdf")
        build(EXAMPLE, tmp / "pub", formats)
        time_import(tmp / "pub" / "report.html", 1)  # warm the imports
        for kind in formats:
            wall, cpu = time_import(tmp / "pub" / f"report.{kind}", args.runs)
            print(f"import report.{kind}: {wall:.3f} s wall, {cpu:.3f} s CPU (median of {args.runs}; target {TARGETS[kind]} s)")
        folder = tmp / "reports"
        folder.mkdir()
        page = (tmp / "pub" / "report.html").read_text(encoding="utf-8")
        for i in range(args.reports):  # distinct bodies: 青山县民政局 → 青山县民政局{i}
            (folder / f"r{i:03d}.html").write_text(page.replace("青山县民政局", f"青山县民政局{i}"), encoding="utf-8")
        start = time.perf_counter()
        result = subprocess.run([sys.executable, "-m", "reportc", "audit", str(folder), "-o", str(tmp / "out"),
                                 "--jobs", "2"], capture_output=True, text=True, encoding="utf-8")
        wall = time.perf_counter() - start
        print(f"audit of {args.reports} HTML reports, --jobs 2: {wall:.1f} s wall (target {AUDIT_TARGET} s); "
              f"exit {result.returncode}: {result.stdout.splitlines()[0] if result.stdout else result.stderr[-200:]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
