"""Time reportc as a user runs it: each command a fresh process, median of several runs.

    python benchmarks/bench.py [--runs 7] [--baseline DIR] [--against PYTHON] [--instructions]

--baseline DIR: also time `reportc check` of DIR's own examples with DIR's code (an older
checkout, e.g. `git archive <commit> | tar -x -C DIR`), interleaved with the current code
in the same run, and print the difference per example.

--against PYTHON: time check, build, the naive pipeline and batch with this interpreter's
reportc and with PYTHON's (another install, e.g. a scratch venv of the main branch),
alternately in the same run, and print both (median wall and CPU seconds).
--against-example FILE: the workbook PYTHON's reportc reads (default: this tree's example). An
older reportc refuses a workbook made by a newer spec, so give it its own tree's example
(`git archive <commit> examples | tar -x -C DIR`); a command that fails stops the benchmark.

--instructions: count the instructions each of check, build and the naive pipeline executes
(valgrind's cachegrind, one run each after a warm-up; with --against, for both installs). The
counts are the same from run to run and do not change with the machine's load, so two versions
can be compared on a busy machine where times cannot; they leave out waiting (fsync, disk).

Targets (2-core machine, issues 10 and 18): reportc --help <= 0.2 s, check <= 0.12 s,
build (HTML + DOCX + Markdown + JSON) <= 0.5 x the naive pipeline (benchmarks/naive.py:
openpyxl, one sum, Jinja2 HTML, python-docx DOCX of the same report), batch >= 30
workbooks/s. Measure with a non-editable install (an editable install adds ~10 ms of
import-hook start-up to every process, and with PYTHONDONTWRITEBYTECODE set it compiles
every module at every start). `--pdf` also times a build with the PDF (no target:
LibreOffice's start dominates it).
"""

from __future__ import annotations

import argparse
import os
import resource  # benchmarks run on Linux/macOS; reportc itself needs no POSIX module
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "qingshan-minzheng-2025.xlsx"
NAIVE = ROOT / "benchmarks" / "naive.py"
TARGETS = {"reportc --help": 0.2, "reportc check": 0.12, "reportc new": None}
BUILD_TARGET = 0.5  # build's time as a share of the naive pipeline's
BATCH_TARGET = 30  # workbooks per second on 2 cores


def machine_speed() -> float:
    """Milliseconds a fixed pure-Python loop takes here (best of 5): the virtual machines this runs
    on change speed from hour to hour with no other process to see, and this shows it beside the
    figures (a run at 20 % more than the day's usual is a run on a 20 % slower machine)."""
    best = float("inf")
    for _ in range(5):
        start = time.perf_counter()
        total = 0
        for i in range(1_000_000):
            total += i & 7
        best = min(best, time.perf_counter() - start)
    return best * 1000


def timed(args: list[str], cwd: Path, env: dict | None = None) -> tuple[float, float]:
    """(wall seconds, CPU seconds of the child) for one fresh process; a failed run stops the
    benchmark (a command that refuses its input at once would otherwise look fast). batch's exit 1
    is its verdict 须核实 on the copies of one body's workbook (重复), not a failure."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    result = subprocess.run(args, cwd=cwd, env=env, check=False, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if result.returncode and not (result.returncode == 1 and "batch" in args):
        raise SystemExit(f"exit {result.returncode} from {args}:\n{result.stderr.decode('utf-8', 'replace')[-800:]}")
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--batch", type=int, default=100, help="workbooks in the batch throughput run")
    parser.add_argument("--baseline", type=Path, help="an older checkout to compare `reportc check` with")
    parser.add_argument("--pdf", action="store_true", help="also time build with --format …,pdf (LibreOffice)")
    parser.add_argument("--against", help="another install's python: time both, alternately")
    parser.add_argument("--against-example", type=Path, default=EXAMPLE, help="the workbook --against's reportc reads")
    parser.add_argument("--instructions", action="store_true", help="count instructions (valgrind) instead of timing")
    opts = parser.parse_args()
    if opts.instructions:
        count_instructions(opts.against, opts.against_example)
        return
    if opts.baseline:
        compare_check(opts.baseline, opts.runs)
        return
    if opts.against:
        against(opts.against, opts.against_example, opts.runs, opts.batch)
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
            "naive pipeline": [sys.executable, str(NAIVE), str(EXAMPLE), str(tmp / "naive")],
        }
        if opts.pdf:  # on request only: it starts LibreOffice
            commands["build + pdf"] = exe + ["build", str(EXAMPLE), "-o", str(tmp / "out-pdf"), "--format",
                                             "html,docx,md,pdf"]
        print(f"machine speed: {machine_speed():.0f} ms for the calibration loop (lower is faster)")
        print(f"{'command':<16}{'median':>9}{'min':>9}{'cpu':>9}{'target':>9}")
        medians = {}
        for name, args in commands.items():
            timed(args, tmp)  # warm the file cache
            runs = [timed(args, tmp) for _ in range(opts.runs)]
            wall = statistics.median(r[0] for r in runs)
            cpu = statistics.median(r[1] for r in runs)
            medians[name] = (wall, cpu)
            target = TARGETS.get(name)
            flag = "" if target is None else ("  ok" if wall <= target else "  SLOW")
            print(f"{name:<16}{wall:>8.3f}s{min(r[0] for r in runs):>8.3f}s{cpu:>8.3f}s"
                  f"{(f'{target:.2f}s' if target else '-'):>9}{flag}")
        ratio = [medians["reportc build"][i] / medians["naive pipeline"][i] for i in (0, 1)]
        print(f"build / naive pipeline: {ratio[0]:.2f} (wall), {ratio[1]:.2f} (cpu); target <= {BUILD_TARGET}: "
              f"{'ok' if ratio[0] <= BUILD_TARGET else 'SLOW'}")
        batch_throughput(exe, tmp, opts.batch)
        print(f"machine speed: {machine_speed():.0f} ms for the calibration loop (lower is faster)")


def instructions(args: list[str], cwd: Path, env: dict) -> int:
    """Instructions one run of args executes in user space (valgrind --tool=cachegrind)."""
    import re

    result = subprocess.run(["valgrind", "--tool=cachegrind", "--cache-sim=no", "--cachegrind-out-file=/dev/null",
                             *args], cwd=cwd, env=env, capture_output=True, text=True, check=False)
    m = re.search(r"I\s+refs:\s+([\d,]+)", result.stderr)
    if not m:
        raise SystemExit(f"valgrind did not count {args[:4]}: {result.stderr[-500:]}")
    return int(m.group(1).replace(",", ""))


def count_instructions(other: str | None, other_example: Path) -> None:
    """check, build and the naive pipeline in instructions (millions), for this install and `other`'s."""
    pythons = {"this": sys.executable, **({"other": other} if other else {})}
    examples = {"this": EXAMPLE, "other": other_example}
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        rows: dict = {}
        for tag, py in pythons.items():
            # each install its own cache folder; PYTHONDONTWRITEBYTECODE unset so that .pyc files are used
            env = {**os.environ, "REPORTC_CACHE_DIR": str(tmp / f"cache-{tag}")}
            env.pop("PYTHONDONTWRITEBYTECODE", None)
            commands = {
                "python -c pass": [py, "-c", "pass"],
                "check": [py, "-m", "reportc", "check", str(examples[tag])],
                "build": [py, "-m", "reportc", "build", str(examples[tag]), "-o", str(tmp / f"out-{tag}")],
                "naive": [py, str(NAIVE), str(examples[tag]), str(tmp / f"naive-{tag}")],
            }
            for name, args in commands.items():
                timed(args, tmp, env)  # warms the caches, and stops here if the command fails
                rows[(name, tag)] = instructions(args, tmp, env) / 1e6
        print(f"{'':<16}" + "".join(f"{tag:>14}" for tag in pythons) + "   (millions of instructions)")
        for name in ("python -c pass", "check", "build", "naive"):
            print(f"{name:<16}" + "".join(f"{rows[(name, tag)]:>14.1f}" for tag in pythons))
        for tag in pythons:
            print(f"build / naive ({tag}): {rows[('build', tag)] / rows[('naive', tag)]:.2f}")


def against(other: str, other_example: Path, runs: int, count: int) -> None:
    """check, build, the naive pipeline and batch: this install's reportc and `other`'s, alternately."""
    import shutil

    pythons = {"this": sys.executable, "other": other}
    examples = {"this": EXAMPLE, "other": other_example}
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        for tag, example in examples.items():
            (tmp / f"batch-in-{tag}").mkdir()
            for i in range(count):
                shutil.copy(example, tmp / f"batch-in-{tag}" / f"body{i:03d}.xlsx")

        def commands(py: str, tag: str, i: int) -> dict:
            example, folder = str(examples[tag]), str(tmp / f"batch-in-{tag}")
            return {
                "check": [py, "-m", "reportc", "check", example],
                "build": [py, "-m", "reportc", "build", example, "-o", str(tmp / f"out-{tag}")],
                "naive": [py, str(NAIVE), example, str(tmp / f"naive-{tag}")],
                "batch": [py, "-m", "reportc", "batch", folder, "-o", str(tmp / f"batch-{tag}-{i}")],
            }

        # each install its own cache folder: they share one otherwise, and each run would find the other
        # install's compiled edition and make it again (a cost neither has when used alone)
        envs = {tag: {**os.environ, "REPORTC_CACHE_DIR": str(tmp / f"cache-{tag}")} for tag in pythons}
        times: dict = {}
        for i in range(runs + 1):
            for tag, py in pythons.items():
                for name, args in commands(py, tag, i).items():
                    if name == "batch" and i >= 3:
                        continue
                    result = timed(args, tmp, envs[tag])
                    if i:  # the first round warms the file cache (and the edition caches)
                        times.setdefault((name, tag), []).append(result)
        print(f"{'':<10}{'this wall':>11}{'this cpu':>10}{'other wall':>12}{'other cpu':>11}   ({runs} runs, median)")
        for name in ("check", "build", "naive"):
            row = [statistics.median(r[i] for r in times[(name, tag)]) for tag in pythons for i in (0, 1)]
            print(f"{name:<10}{row[0]:>10.3f}s{row[1]:>9.3f}s{row[2]:>11.3f}s{row[3]:>10.3f}s")
        for tag in pythons:
            b = [statistics.median(r[i] for r in times[("build", tag)]) for i in (0, 1)]
            n = [statistics.median(r[i] for r in times[("naive", tag)]) for i in (0, 1)]
            print(f"build / naive ({tag}): {b[0] / n[0]:.2f} wall, {b[1] / n[1]:.2f} cpu")
        for tag in pythons:
            wall = statistics.median(r[0] for r in times[("batch", tag)])
            print(f"batch ({tag}): {count} workbooks in {wall:.2f}s = {count / wall:.1f}/s")


def compare_check(baseline: Path, runs: int) -> None:
    """`reportc check` of each example: baseline code and current code, interleaved (CPU seconds
    of the child, median; wall time is noisy on a shared machine)."""
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
                base.append(timed([sys.executable, "-m", "reportc", "check", str(old_example)], tmp, env_base))
                cur.append(timed([sys.executable, "-m", "reportc", "check", str(example)], tmp, None))
            base, cur = base[1:], cur[1:]  # the first run warms the file cache
            for i, what in ((1, "cpu"), (0, "wall")):
                b = statistics.median(r[i] for r in base)
                c = statistics.median(r[i] for r in cur)
                print(f"{example.name + ' ' + what:<36}{b * 1000:>8.0f}ms{c * 1000:>8.0f}ms{(c - b) * 1000:>+8.0f}ms")


def machine_ticks() -> tuple[int, int] | None:
    """(busy, all) clock ticks of every core since boot, from /proc/stat (Linux; None elsewhere)."""
    try:
        with open("/proc/stat", encoding="ascii") as fh:
            fields = [int(x) for x in fh.readline().split()[1:]]
    except (OSError, ValueError):
        return None
    idle = fields[3] + (fields[4] if len(fields) > 4 else 0)  # idle + iowait
    return sum(fields[:8]) - idle, sum(fields[:8])


def batch_throughput(exe: list[str], tmp: Path, count: int) -> None:
    """`reportc batch` over `count` copies of the example (one process, all cores). Besides the rate,
    each run's CPU per workbook (the batch process and its workers) and the share of the cores other
    processes took meanwhile (/proc/stat): a slow run on a busy machine shows as such."""
    import shutil

    folder = tmp / "batch-in"
    folder.mkdir()
    for i in range(count):
        shutil.copy(EXAMPLE, folder / f"body{i:03d}.xlsx")
    runs = []
    tick = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100
    for i in range(3):
        out = tmp / f"batch-out{i}"
        before = machine_ticks()
        wall, cpu = timed(exe + ["batch", str(folder), "-o", str(out)], tmp)
        after = machine_ticks()
        others = None
        if before and after and after[1] > before[1]:
            busy = (after[0] - before[0]) / tick  # CPU seconds of every process
            others = max(0.0, busy - cpu) / (wall * (os.cpu_count() or 1))
        runs.append((wall, cpu, others))
        print(f"  batch run {i + 1}: {count / wall:.1f} workbooks/s, CPU {cpu * 1000 / count:.0f} ms per workbook"
              + (f", other processes {others:.0%} of the cores" if others is not None else ""))
    wall = statistics.median(r[0] for r in runs)
    rate = count / wall
    print(f"reportc batch: {count} workbooks in {wall:.2f}s (median of 3) = {rate:.1f} workbooks/s "
          f"on {os.cpu_count()} cores (target {BATCH_TARGET}/s: {'ok' if rate >= BATCH_TARGET else 'SLOW'})")


if __name__ == "__main__":
    main()
