"""The HTML pages checked by validators no one here wrote, and on a phone.

- The Nu HTML Checker (npm vnu-jar, run with Java) reports no error on report.html, validation.html,
  index.html, and a portal page holding report-fragment.html (twice: two reports on one page).
- axe-core (npm) finds no WCAG 2.1 A/AA violation on those pages at 1280 px and at 375 px, run in the
  system's headless Chromium through the DevTools protocol (tests/node/pagecheck.js).
- At 375 px no page is wider than the screen; the statutory tables keep a readable width and scroll
  sideways in a region reachable by keyboard, and no value overflows its cell (3- and 5-digit values).

tests/node holds the npm packages (package.json, package-lock.json; `.ci/run` runs `npm ci` there)."""

from __future__ import annotations

import json
import os
import random
import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest
from conftest import fill, run_cli
from gen import consistent_numbers

from reportc import build
from reportc.spec import load_spec

ROOT = Path(__file__).resolve().parents[1]
NODE_DIR = Path(__file__).resolve().parent / "node"
VNU = NODE_DIR / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
AXE = NODE_DIR / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
IMAGES = ROOT / "docs" / "images"


def _missing() -> list[str]:
    missing = [name for name in ("node", "java") if shutil.which(name) is None]
    if CHROMIUM is None:
        missing.append("chromium")
    if not VNU.is_file() or not AXE.is_file():
        missing.append("tests/node/node_modules（npm ci --prefix tests/node）")
    return missing


pytestmark = pytest.mark.skipif(bool(_missing()), reason=f"needs {', '.join(_missing())} (.ci/run installs them)")
pytestmark = [pytestmark, pytest.mark.xdist_group("page_checks")]  # one pytest-xdist worker runs this module: its module fixture is made once


def scaled_workbook(path: Path, digits: int, seed: int = 3, org: str = "青山县民政局") -> Path:
    """A consistent 2021-edition workbook whose largest counts have this many digits (all counts
    multiplied by one factor: the sums still hold)."""
    spec = load_spec("2021")
    rng = random.Random(seed)
    numbers = consistent_numbers(spec, rng)
    factor = max(1, (10 ** digits - 1) // max(v for v in numbers.values() if isinstance(v, int)))
    numbers = {k: (v * factor if isinstance(v, int) else v) for k, v in numbers.items()}
    assert len(str(max(v for v in numbers.values() if isinstance(v, int)))) == digits
    return fill(path, org=org, year=2025, numbers=numbers, seed=rng)


PORTAL = """<!DOCTYPE html>
<html lang="zh-CN">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>青山县人民政府 政府信息公开</title>{head}</head>
<body><header><p id="t2">门户网站页头（id 与报告的表格编号相同）</p></header>
<main>{body}</main></body></html>
"""
STYLE = re.compile(r"<style>.*?</style>", re.S)


def portal_page(fragments: list[str], keep_style: bool) -> str:
    """The fragments in a portal's page: their <style> moved into the head (a page template that keeps
    it), or stripped (an editor that removes it)."""
    styles = "".join(m for f in fragments for m in STYLE.findall(f)) if keep_style else ""
    return PORTAL.format(head=styles, body="\n".join(STYLE.sub("", f) for f in fragments))


@pytest.fixture(scope="module")
def pages(tmp_path_factory) -> dict[str, Path]:
    work = tmp_path_factory.mktemp("pages")
    found: dict[str, Path] = {}
    fragments = []
    for example, name in (("qingshan-minzheng-2025.xlsx", "qingshan"), ("xigong-minzheng-2020.xlsx", "xigong")):
        out = work / name
        build(ROOT / "examples" / example, out, formats=("html",))
        found[f"{name}/report.html"] = out / "report.html"
        found[f"{name}/validation.html"] = out / "validation.html"
        fragments.append((out / "report-fragment.html").read_text(encoding="utf-8"))
    for keep in (True, False):
        page = work / f"portal-{'style' if keep else 'stripped'}.html"
        page.write_text(portal_page(fragments, keep), encoding="utf-8")
        found[page.name] = page
    # a validation report with findings and narrative numbers; a batch index
    src = work / "batch-in"
    src.mkdir()
    shutil.copy(ROOT / "examples" / "qingshan-minzheng-2025.xlsx", src)
    fill(src / "有错误的工作簿-名字很长很长很长很长很长很长很长很长很长.xlsx", org="错误单位（测试）", year=2025, seed=7,
         **{"t3.new.natural": "无"})
    (src / "旧格式.xls").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600))
    batch = work / "batch-out"
    run_cli("batch", src, "-o", batch)
    found["index.html"] = batch / "index.html"
    errors = [p for p in batch.rglob("validation.html") if "有错误" in str(p)]
    assert errors, sorted(batch.rglob("*"))
    found["errors/validation.html"] = errors[0]
    for digits in (3, 5):
        out = work / f"digits{digits}"
        build(scaled_workbook(work / f"digits{digits}.xlsx", digits), out, formats=("html",))
        found[f"digits{digits}/report.html"] = out / "report.html"
    return found


def pagecheck(jobs: list[dict], work: Path) -> list[dict]:
    spec, result = work / "jobs.json", work / "result.json"
    spec.write_text(json.dumps({"chromium": CHROMIUM, "jobs": jobs}), encoding="utf-8")
    proc = subprocess.run(["node", str(NODE_DIR / "pagecheck.js"), str(spec), str(result)], capture_output=True,
                          text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr[-3000:]
    return json.loads(result.read_text(encoding="utf-8"))


def test_nu_html_checker_finds_no_error(pages):
    files = [str(p) for name, p in sorted(pages.items())]
    proc = subprocess.run(["java", "-jar", str(VNU), "--errors-only", "--format", "json", *files],
                          capture_output=True, text=True, timeout=300)
    messages = json.loads(proc.stderr or "{}").get("messages", [])
    assert not messages, "\n".join(f"{m.get('url', '')[-40:]}:{m.get('lastLine')}: {m.get('message')}"
                                   for m in messages[:30])


def test_axe_finds_no_violation_and_no_page_is_wider_than_a_phone(pages, tmp_path):
    jobs = [{"file": str(p), "width": width, "height": 900, "axe": True}
            for name, p in sorted(pages.items()) if not name.startswith("digits") for width in (1280, 375)]
    results = pagecheck(jobs, tmp_path)
    problems = []
    for r in results:
        for v in r.get("violations", []):
            problems.append(f"{r['file'][-45:]} @{r['width']}px: {v['id']} ({v['impact']}) {v['help']}: {v['nodes'][:3]}")
        if r["scrollWidth"] > r["clientWidth"] or r["overflowing"]:
            problems.append(f"{r['file'][-45:]} @{r['width']}px: page {r['scrollWidth']} px wide on a "
                            f"{r['clientWidth']} px screen: {r['overflowing'][:5]}")
    assert not problems, "\n".join(problems)


class _Ids(HTMLParser):
    def __init__(self):
        super().__init__()
        self.ids: list[str] = []
        self.regions: list[dict] = []
        self.scopes: set[str] = set()

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if "id" in a:
            self.ids.append(a["id"])
        if a.get("class") == "table-wrap":
            self.regions.append(a)
        if tag == "th":
            self.scopes.add(a.get("scope"))


def test_ids_are_unique_and_the_fragments_own(pages):
    for name in ("qingshan/report.html", "portal-style.html"):
        parser = _Ids()
        parser.feed(pages[name].read_text(encoding="utf-8"))
        duplicates = sorted({i for i in parser.ids if parser.ids.count(i) > 1})
        assert not duplicates, (name, duplicates)
        assert parser.scopes == {"row", "col"}, parser.scopes  # no rowgroup/colgroup without such groups
        assert [r.get("aria-label") for r in parser.regions][:3] == [
            "表二（可左右滑动查看）", "表三（可左右滑动查看）", "表四（可左右滑动查看）"]
        assert all(r.get("tabindex") == "0" and r.get("role") == "region" for r in parser.regions)
    portal = _Ids()
    portal.feed(pages["portal-style.html"].read_text(encoding="utf-8"))
    fragment_ids = [i for i in portal.ids if i != "t2"]
    prefixes = {re.match(r"rc\d{4}-[0-9a-f]{6}-", i).group(0) for i in fragment_ids}
    assert len(prefixes) == 2  # one per report: two reports on one page do not clash


def test_tables_on_a_phone_scroll_sideways_and_keep_every_value_readable(pages, tmp_path):
    jobs = []
    for digits in (3, 5):
        page = pages[f"digits{digits}/report.html"]
        jobs.append({"file": str(page), "width": 375, "height": 800, "axe": False, "shots": [
            {"selector": "#section-t3 .table-wrap", "png": str(tmp_path / f"t3-375-{digits}.png")},
            {"selector": "#section-t3 .table-wrap", "png": str(tmp_path / f"t3-375-{digits}-right.png"),
             "scrollLeft": 2000},
            {"selector": "#section-t4 .table-wrap", "png": str(tmp_path / f"t4-375-{digits}.png")}],
            "measure": ["#section-t3 .table-wrap", "#section-t4 .table-wrap"]})
    results = pagecheck(jobs, tmp_path)
    for digits, r in zip((3, 5), results, strict=True):
        for selector, m in r["measured"].items():
            assert m["scrollWidth"] > m["clientWidth"], (selector, m)  # the table scrolls, it is not squeezed
            assert not m["overflowingCells"], (digits, selector, m["overflowingCells"][:5])
            assert m["narrowestColumn"] >= 40, (selector, m)  # px: a readable minimum
        for png in r["shots"]:
            assert Path(png).stat().st_size > 1000
    if os.environ.get("REPORTC_SAVE_IMAGES"):  # after looking at them: docs/images/phone-*.png
        for png in (p for r in results for p in r["shots"]):
            shutil.copyfile(png, IMAGES / f"phone-{Path(png).name}")


def test_paragraphs_are_spaced_at_least_1_3_line_spacings(pages, tmp_path):
    """The 适老化 guidance: space between paragraphs at least 1.3 times the line spacing (on screen)."""
    names = ["qingshan/report.html", "xigong/report.html", "portal-style.html"]
    results = pagecheck([{"file": str(pages[n]), "width": w, "paragraphs": True} for n in names for w in (1280, 375)],
                        tmp_path)
    for r in results:
        spacing = r["paragraphSpacing"]
        assert spacing["pairs"] >= 3 and spacing["min"] >= 1.3, (r["file"], r["width"], spacing)
