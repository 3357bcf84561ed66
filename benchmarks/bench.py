"""Time reportc as a user runs it: each command a fresh process, median of several runs.

    python benchmarks/bench.py [--runs 7] [--baseline DIR]

--baseline DIR: also time `reportc check` of DIR's own examples with DIR's code (an older
checkout, e.g. `git archive <commit> | tar -x -C DIR`), interleaved with the current code
in the same run, and print the difference per example.

Targets (2-core machine, issue 10): reportc --help <= 0.2 s, check <= 0.12 s,
build (HTML + DOCX + Markdown) <= 0.25 s, batch >= 30 workbooks/s. Measure with a
non-editable install (an editable install adds ~10 ms of import-hook start-up to
every process). `--pdf` also times a build with the PDF (no target:
LibreOffice's start dominates it).
"""

from __future__ import annotations

import argparse
import resource  # benchmarks run on Linux/macOS; reportc itself needs no POSIX module
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "qingshan-minzheng-2025.xlsx"
TARGETS = {"reportc --help": 0.2, "reportc check": 0.12, "reportc build": 0.25, "reportc new": None}
BATCH_TARGET = 30  # workbooks per second on 2 cores


def timed(args: list[str], cwd: Path) -> tuple[float, float]:
    """(wall seconds, CPU seconds of the child) for one fresh process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(args, cwd=cwd, check=False, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--batch", type=int, default=100, help="workbooks in the batch throughput run")
    parser.add_argument("--baseline", type=Path, help="an older checkout to compare `reportc check` with")
    parser.add_argument("--pdf", action="store_true", help="also time build with --format …,pdf (LibreOffice)")
    opts = parser.parse_args()
    if opts.baseline:
        compare_check(opts.baseline, opts.runs)
        return
    exe = [sys.executable, "-m", "reportc"]
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        commands = {
            "python -c pass": [sys.executable, "-c", "pass"],
            "reportc --help": exe + ["--help"],
            "reportc new": exe + ["new", "--year", "2025", "--org", "测试局", "-o", str(tmp / "new.xlsx"), "--force"],
            "reportc check": exe + ["check", str(EXAMPLE)],
            "reportc build": exe + ["build", str(EXAMPLE), "-o", str(tmp / "out")],
        }
        if opts.pdf:  # on request only: it starts LibreOffice
            commands["build + pdf"] = exe + ["build", str(EXAMPLE), "-o", str(tmp / "out-pdf"), "--format",
                                             "html,docx,md,pdf"]
        print(f"{'command':<16}{'median':>9}{'min':>9}{'cpu':>9}{'target':>9}")
        for name, args in commands.items():
            timed(args, tmp)  # warm the file cache
            runs = [timed(args, tmp) for _ in range(opts.runs)]
            wall = statistics.median(r[0] for r in runs)
            cpu = statistics.median(r[1] for r in runs)
            target = TARGETS.get(name)
            flag = "" if target is None else ("  ok" if wall <= target else "  SLOW")
            print(f"{name:<16}{wall:>8.3f}s{min(r[0] for r in runs):>8.3f}s{cpu:>8.3f}s"
                  f"{(f'{target:.1f}s' if target else '-'):>9}{flag}")
        batch_throughput(exe, tmp, opts.batch)


def compare_check(baseline: Path, runs: int) -> None:
    """`reportc check` of each example: baseline code and current code, interleaved (CPU seconds
    of the child, median; wall time is noisy on a shared machine)."""
    import os
    import shutil

    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        package = tmp / "pkg" / "reportc"
        shutil.copytree(baseline / "compiler", package)
        shutil.copytree(baseline / "xlsx_templates", package / "xlsx_templates")
        env_base = {**os.environ, "PYTHONPATH": str(tmp / "pkg")}
        print(f"{'reportc check':<36}{'baseline':>10}{'current':>10}{'added':>10}  (median CPU / wall, {runs} runs)")
        for example in sorted((ROOT / "examples").glob("*.xlsx")):
            old_example = baseline / "examples" / example.name
            base, cur = [], []
            for _ in range(runs + 1):
                base.append(timed_env([sys.executable, "-m", "reportc", "check", str(old_example)], tmp, env_base))
                cur.append(timed_env([sys.executable, "-m", "reportc", "check", str(example)], tmp, None))
            base, cur = base[1:], cur[1:]  # the first run warms the file cache
            for i, what in ((1, "cpu"), (0, "wall")):
                b = statistics.median(r[i] for r in base)
                c = statistics.median(r[i] for r in cur)
                print(f"{example.name + ' ' + what:<36}{b * 1000:>8.0f}ms{c * 1000:>8.0f}ms{(c - b) * 1000:>+8.0f}ms")


def timed_env(args: list[str], cwd: Path, env: dict | None) -> tuple[float, float]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(args, cwd=cwd, env=env, check=False, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def batch_throughput(exe: list[str], tmp: Path, count: int) -> None:
    """`reportc batch` over `count` copies of the example (one process, all cores)."""
    import os
    import shutil

    folder = tmp / "batch-in"
    folder.mkdir()
    for i in range(count):
        shutil.copy(EXAMPLE, folder / f"body{i:03d}.xlsx")
    runs = []
    for i in range(3):
        out = tmp / f"batch-out{i}"
        runs.append(timed(exe + ["batch", str(folder), "-o", str(out)], tmp)[0])
    wall = statistics.median(runs)
    rate = count / wall
    print(f"reportc batch: {count} workbooks in {wall:.2f}s (median of 3) = {rate:.1f} workbooks/s "
          f"on {os.cpu_count()} cores (target {BATCH_TARGET}/s: {'ok' if rate >= BATCH_TARGET else 'SLOW'})")


if __name__ == "__main__":
    main()
