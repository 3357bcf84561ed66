"""Measure the round trip build → import → build per published format (issue 20's closing note):
for the examples and N generated workbooks per edition, how many give an identical report.md,
identical tables, and the share of identical paragraphs (PDF).

    python benchmarks/import_roundtrip.py [--generated 5] [--no-pdf]
"""

from __future__ import annotations

import argparse
import random
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from gen import consistent_numbers, texts  # noqa: E402
from importing import EXAMPLES, paragraphs_of, published, rebuilt_md, same_share, tables_of  # noqa: E402

from reportc.fill import fill_workbook  # noqa: E402
from reportc.spec import load_spec  # noqa: E402
from reportc.writer import build_workbook  # noqa: E402

SOURCES = {"md": "report.md", "html": "report.html", "fragment": "report-fragment.html", "docx": "report.docx",
           "json": "report.json", "pdf": "report.pdf"}


def generated(tmp: Path, edition: str, seed: int) -> Path:
    spec = load_spec(edition)
    rng = random.Random(seed)
    year = 2020 if edition == "2019" else 2025
    values = {k: float(v) if not isinstance(v, (int, str)) else v
              for k, v in {**consistent_numbers(spec, rng), **texts(spec, rng, year=year)}.items()}
    values["s5.sub2.1"] = "1.压实工作责任。"
    path = tmp / f"gen-{edition}-{seed}.xlsx"
    fill_workbook(spec, build_workbook(spec, "测试县民政局", year), values, path)
    return path


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--generated", type=int, default=5)
    parser.add_argument("--no-pdf", action="store_true")
    args = parser.parse_args()
    formats = [f for f in SOURCES if f != "pdf" or (not args.no_pdf and shutil.which("soffice"))]
    stats = {f: {"n": 0, "same": 0, "tables": 0, "paragraphs": []} for f in formats}
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        workbooks = list(EXAMPLES.values())
        workbooks += [generated(tmp, ed, s) for ed in ("2019", "2021") for s in range(args.generated)]
        for i, wb in enumerate(workbooks):
            wanted = ("html", "docx", "md", "json") + (("pdf",) if "pdf" in formats else ())
            out = published(wb, tmp / f"pub{i}", wanted)
            original = (out / "report.md").read_text(encoding="utf-8")
            for f in formats:
                again, _ = rebuilt_md(out / SOURCES[f], tmp / f"rt{i}-{f}")
                s = stats[f]
                s["n"] += 1
                s["same"] += again == original
                s["tables"] += tables_of(again) == tables_of(original)
                s["paragraphs"].append(same_share(paragraphs_of(original), paragraphs_of(again)))
    for f, s in stats.items():
        print(f"{f:9s} {s['n']} reports: report.md identical {s['same']}/{s['n']}, tables identical {s['tables']}/{s['n']}, "
              f"paragraphs identical min {min(s['paragraphs']):.1%}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
