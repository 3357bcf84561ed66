"""Rewrite the reference images in tests/visual/ from the examples.

    python tests/update_visual.py

Only after looking at the new images (and the diff images a failing test names): they are
what the visual regression tests hold every later build to."""

import shutil
import tempfile
from pathlib import Path

from visual import EXAMPLES, REFERENCE, render, tools_missing

if __name__ == "__main__":
    if tools_missing():
        raise SystemExit(f"missing: {', '.join(tools_missing())}")
    for example, folder in EXAMPLES.items():
        target = REFERENCE / folder
        shutil.rmtree(target, ignore_errors=True)
        target.mkdir(parents=True)
        with tempfile.TemporaryDirectory() as tmp:
            for name, png in render(example, Path(tmp)).items():
                shutil.copyfile(png, target / name)
                print(f"wrote {target / name}")
