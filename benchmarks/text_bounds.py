"""Time the readers of clerk text on hostile cells of Excel's full length (32,767 characters).

    python benchmarks/text_bounds.py [--length 32767]

Each line: one cell made of a repeated piece (digits, Chinese numerals, separators, units,
%, spaces, brackets, fillers, subjects, zero phrases), the CPU time of the narrative checker
(rule S6), rule R5's missing-number search and the opening's readers on it. Target: every
cell <= 0.5 s (issue 17, item 5); tests/test_text_bounds.py holds a 2 s bound on any mix.
"""

from __future__ import annotations

import argparse
import time

from reportc.narrative import missing_numbers, read_text
from reportc.opening import period_years, refresh
from reportc.spec import load_spec

TARGET = 0.5
PIECES = {
    "digits": "1", "digits + 件": None, "1. + digits": None, "numerals": "一二三四五六七八九十百千万",
    "同比增长 digits %": None, "groups ,000": ",000", "spaces": " ", "fillers 共计": "共计", "brackets （": "（",
    "closed brackets": "（1件）", "numbers 1件": "1件", "numbers 1件，": "收到申请1件，", "sentences a。": "a。",
    "sentences 1件。": "1件。", "zero phrases": "未发生行政复议。", "changes": "同比增长1%。", "shares": "申请1件占",
    "years": "2024年收到申请1件", "mentions": "行政复议收到申请1件", "mix": "收到申请1.2,3４５６七万余件%（ ",
    "period": "2024年统计期限", "opening": "本报告由根据",
}


def cell(name: str, piece: str | None, length: int) -> str:
    if name == "digits + 件":
        return "收到申请" + "1" * (length - 5) + "件"
    if name == "1. + digits":
        return "收到申请1." + "1" * (length - 6)
    if name == "同比增长 digits %":
        return "同比增长" + "1" * (length - 5) + "%"
    return (piece * (length // len(piece) + 1))[:length]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--length", type=int, default=32767)
    args = parser.parse_args()
    spec = load_spec("2021")
    values = {k: 0 for t in spec.tables for k, _, _ in t.cells()}
    read_text(spec, "收到申请1件。", values)  # load the claims first
    worst = 0.0
    print(f"{'cell':24} {'S6 read':>8} {'R5':>6} {'opening':>8}  (CPU seconds, {args.length} characters)")
    for name, piece in PIECES.items():
        text = cell(name, piece, args.length)
        times = []
        for fn in (lambda text=text: read_text(spec, text, values, year="2025"),
                   lambda text=text: missing_numbers(text, ["收到", "办结", "主动公开"], ["件", "条", "次"]),
                   lambda text=text: (period_years(text), refresh(spec, {}, text))):
            start = time.process_time()
            fn()
            times.append(time.process_time() - start)
        worst = max(worst, sum(times))
        print(f"{name:24} {times[0]:8.3f} {times[1]:6.3f} {times[2]:8.3f}")
    print(f"worst cell: {worst:.3f} s (target {TARGET} s) {'OK' if worst <= TARGET else 'OVER'}")
    return 0 if worst <= TARGET else 1


if __name__ == "__main__":
    raise SystemExit(main())
