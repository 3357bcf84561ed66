"""Render the examples as people see them, for the visual regression tests.

For each example: report.html on screen (Chromium screenshot), report.html printed
(Chromium → PDF → PNG pages) and report.docx (LibreOffice → PDF → PNG pages). Pages are
rasterised at a low resolution in greyscale: enough to see layout, breaks and fonts.

    python tests/update_visual.py   # after reviewing a wanted change: rewrite tests/visual/
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from chromium import chromium, print_pdf, screenshot

ROOT = Path(__file__).resolve().parents[1]
REFERENCE = Path(__file__).resolve().parent / "visual"
EXAMPLES = {"qingshan-minzheng-2025.xlsx": "qingshan-2025", "xigong-minzheng-2020.xlsx": "xigong-2020"}
DPI = 50
SCREEN = (1000, 1400)

# A page matches when its mean absolute grey difference is small and few pixels changed a lot.
MAX_MEAN_DIFF = 2.5  # of 255
MAX_CHANGED = 0.01  # share of pixels differing by more than CHANGED_LEVEL
CHANGED_LEVEL = 64


def tools_missing() -> list[str]:
    missing = [] if chromium() else ["chromium"]
    missing += [t for t in ("soffice", "pdftoppm") if shutil.which(t) is None]
    return missing


def _pdf_pages(pdf: Path, prefix: Path) -> list[Path]:
    subprocess.run(["pdftoppm", "-r", str(DPI), "-gray", "-png", str(pdf), str(prefix)], check=True, timeout=120)
    return sorted(prefix.parent.glob(prefix.name + "-*.png"), key=lambda p: int(p.stem.rsplit("-", 1)[1]))


def render(example: str, work: Path) -> dict[str, Path]:
    """name -> PNG: screen.png, print-1.png…, docx-1.png…"""
    from reportc.publish import build

    out = work / "out"
    build(ROOT / "examples" / example, out, formats=("html", "docx", "pdf"))
    images: dict[str, Path] = {}
    shot = screenshot(out / "report.html", work / "screen-rgb.png", *SCREEN)
    from PIL import Image

    with Image.open(shot) as im:
        im.convert("L").save(work / "screen.png")
    images["screen.png"] = work / "screen.png"
    printed = print_pdf(out / "report.html", work / "print.pdf")
    for i, page in enumerate(_pdf_pages(printed, work / "print"), start=1):
        images[f"print-{i}.png"] = page
    for i, page in enumerate(_pdf_pages(out / "report.pdf", work / "docx"), start=1):
        images[f"docx-{i}.png"] = page
    return images


def compare(actual: Path, reference: Path, diff_out: Path) -> str | None:
    """None when the images match within the tolerance, else a message naming a diff image."""
    from PIL import Image, ImageChops

    with Image.open(actual) as a_im, Image.open(reference) as r_im:
        a, r = a_im.convert("L"), r_im.convert("L")
    if a.size != r.size:
        return f"{actual.name}: size {a.size} differs from the reference {r.size}"
    delta = ImageChops.difference(a, r)
    hist = delta.histogram()
    pixels = a.size[0] * a.size[1]
    mean = sum(level * n for level, n in enumerate(hist)) / pixels
    changed = sum(hist[CHANGED_LEVEL + 1:]) / pixels
    if mean <= MAX_MEAN_DIFF and changed <= MAX_CHANGED:
        return None
    # the diff image: the reference faded, changed pixels red
    mask = delta.point(lambda v: 255 if v > CHANGED_LEVEL else 0)
    faded = Image.merge("RGB", [r.point(lambda v: v // 2 + 127)] * 3)
    faded.paste((255, 0, 0), mask=mask)
    faded.save(diff_out)
    return (f"{actual.name}: mean difference {mean:.2f} (max {MAX_MEAN_DIFF}), changed pixels {changed:.2%} "
            f"(max {MAX_CHANGED:.0%}); diff image {diff_out}, rendered {actual}")
