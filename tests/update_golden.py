"""Regenerate tests/golden/* from the examples. Review `git diff tests/golden` before committing."""

from pathlib import Path

from test_golden import EXAMPLES, GOLDEN, ROOT, stable

from reportc import build

if __name__ == "__main__":
    import tempfile

    for example, folder in EXAMPLES.items():
        with tempfile.TemporaryDirectory() as tmp:
            build(ROOT / "examples" / example, Path(tmp))
            target = GOLDEN / folder
            target.mkdir(parents=True, exist_ok=True)
            for name in ("report.html", "report.md"):
                (target / name).write_text(stable((Path(tmp) / name).read_text(encoding="utf-8")), encoding="utf-8")
                print(f"wrote {target / name}")
