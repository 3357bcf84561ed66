"""validation.html's 审核签发 block: verdict, counts, the workbook's and every output file's SHA-256, lines
for 经办人 / 审核人 / 签发人, printed on one A4 page (headless Chromium → PDF → text per page)."""

from __future__ import annotations

import hashlib
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from chromium import chromium, print_pdf
from conftest import ROOT

from reportc import build

EXAMPLE = ROOT / "examples" / "xigong-minzheng-2020.xlsx"  # a real report: 须核实 (two warnings)


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _signoff(html: str) -> str:
    return re.search(r'<section class="signoff".*?</section>', html, re.S).group(0)


def test_signoff_lists_every_output_and_the_workbook(tmp_path):
    outcome = build(EXAMPLE, tmp_path)
    block = _signoff((tmp_path / "validation.html").read_text(encoding="utf-8"))
    assert "审核签发" in block and f"<strong>{outcome.verdict}</strong>" in block
    c = {s: sum(1 for f in outcome.findings if f.severity == s) for s in ("error", "warning", "info")}
    explained = sum(1 for f in outcome.findings if f.severity == "warning" and f.explanation)
    assert f"错误 {c['error']} 项，提醒 {c['warning']} 项（已说明 {explained} 项），说明 {c['info']} 项" in block
    assert _sha(EXAMPLE) in block
    others = [p for p in outcome.written if p.name not in ("validation.html", "manifest.json")]  # manifest.json is written last and lists validation.html
    assert {p.name for p in others} >= {"report.html", "report.docx", "report.md", "validation.json"}
    for p in others:  # the hashes of the files as written, validation.json included
        assert re.search(rf"<code>{re.escape(p.name)}</code></td><td>{p.stat().st_size}</td><td><code>{_sha(p)}</code>",
                         block), p.name
    assert "<code>validation.html</code>" not in block
    for who in ("经办人", "审核人", "签发人"):
        assert f'<th scope="row">{who}</th><td></td><td class="date">日期：' in block


@pytest.mark.skipif(chromium() is None or shutil.which("pdftotext") is None, reason="needs Chromium and pdftotext")
def test_signoff_prints_on_one_a4_page(tmp_path):
    build(EXAMPLE, tmp_path)
    pdf = print_pdf(tmp_path / "validation.html", tmp_path / "v.pdf")
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    pages = int(re.search(r"Pages:\s+(\d+)", info).group(1))
    size = re.search(r"Page size:\s+([\d.]+) x ([\d.]+) pts", info).groups()
    assert sorted(round(float(x)) for x in size) == [595, 842]  # A4
    texts = [subprocess.run(["pdftotext", "-f", str(i), "-l", str(i), str(pdf), "-"], capture_output=True, text=True,
                            check=True).stdout for i in range(1, pages + 1)]
    holding = [i for i, t in enumerate(texts) if "签发人" in t]
    assert len(holding) == 1, holding
    page = texts[holding[0]]
    # the whole block on that page: its title, the verdict, the workbook's hash, every output, the three signers
    for piece in ("审核签发", "须核实", _sha(EXAMPLE)[:32], "report.docx", "validation.json", "经办人", "审核人", "签发人"):
        assert piece in page.replace("\n", ""), piece
    assert all("经办人" not in t for i, t in enumerate(texts) if i != holding[0])
    assert holding[0] == pages - 1 and "发现的问题" not in page  # a page of its own, the last one
