"""Precision and recall of contradiction detection (rule S6) on the narrative corpus.

    python benchmarks/narrative_corpus.py [-v]

A contradiction is a reading whose expected verdict in tests/data/narrative_corpus/cases.toml
is ✗. Precision: of the readings the checker flags ✗, how many should be; recall: of the
readings that should be ✗, how many it flags. Also prints how many numbers were read, how
many agree, and how many are listed as 未核对, and the time per sentence.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from corpus import cases, read_case, value_sets  # noqa: E402

from reportc.narrative import AGREES, CONTRADICTS, UNCHECKED  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("-v", "--verbose", action="store_true", help="print every disagreement")
    opts = parser.parse_args()
    sets, all_cases = value_sets(), cases()
    tp = fp = fn = mismatched = 0
    tally = {AGREES: 0, CONTRADICTS: 0, UNCHECKED: 0}
    start = time.perf_counter()
    results = [(case, [(r.number, r.verdict) for r in read_case(sets, case)]) for case in all_cases]
    elapsed = time.perf_counter() - start
    for case, got in results:
        if got != list(case.expect):
            mismatched += 1
            if opts.verbose:
                print(f"[{case.source}] {case.text}\n    expected {list(case.expect)}\n    got      {got}")
        for _, verdict in got:
            tally[verdict] += 1
        wanted = [v for _, v in case.expect]
        flagged = [v for _, v in got]
        for i in range(max(len(wanted), len(flagged))):
            want = wanted[i] if i < len(wanted) else None
            have = flagged[i] if i < len(flagged) else None
            tp += want == CONTRADICTS and have == CONTRADICTS
            fp += want != CONTRADICTS and have == CONTRADICTS
            fn += want == CONTRADICTS and have != CONTRADICTS
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    print(f"sentences {len(all_cases)}, numbers read {sum(tally.values())}: "
          f"✓ {tally[AGREES]}, ✗ {tally[CONTRADICTS]}, 未核对 {tally[UNCHECKED]}")
    print(f"contradictions in the corpus {tp + fn}: caught {tp}, missed {fn}; false alarms {fp}")
    print(f"precision {precision:.3f}  recall {recall:.3f}  sentences read differently from the corpus: {mismatched}")
    print(f"time {elapsed * 1000:.1f} ms in all, {elapsed * 1e6 / len(all_cases):.0f} µs per sentence")


if __name__ == "__main__":
    main()
