"""DOCX and PDF specifics: a DOCX saved again by LibreOffice (its own table XML) round-trips;
a table split across PDF pages with its header row repeated is joined, the header read once."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from importing import EXAMPLES, published, rebuilt_md
from reportc.importer.model import Table
from reportc.importer.pdf import read_pdf
from reportc.spec import load_spec

needs_soffice = pytest.mark.skipif(shutil.which("soffice") is None, reason="needs LibreOffice (.ci/run installs it)")


@pytest.mark.libreoffice
@needs_soffice
@pytest.mark.parametrize("edition", sorted(EXAMPLES))
def test_docx_saved_by_libreoffice_round_trips(tmp_path, edition):
    out = published(EXAMPLES[edition], tmp_path / "pub", ("md", "docx"))
    resaved = tmp_path / "resaved"
    resaved.mkdir()
    profile = tmp_path / "profile"
    subprocess.run(["soffice", f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to",
                    "docx:MS Word 2007 XML", "--outdir", str(resaved), str(out / "report.docx")],
                   check=True, capture_output=True, timeout=180)
    original = (out / "report.md").read_text(encoding="utf-8")
    assert (resaved / "report.docx").read_bytes() != (out / "report.docx").read_bytes()
    again, imported = rebuilt_md(resaved / "report.docx", tmp_path / "second")
    assert imported.status == "导入完成", imported.doubt_lines()
    assert again == original


@pytest.mark.libreoffice
@needs_soffice
def test_table_split_across_pdf_pages_is_joined_once(tmp_path):
    out = published(EXAMPLES["2021"], tmp_path / "pub", ("pdf",))
    data = (out / "report.pdf").read_bytes()
    doc = read_pdf(data, out / "report.pdf")
    t3 = [b for b in doc.blocks if isinstance(b, Table) and any("本年新收" in c.text for row in b.rows for c in row)]
    assert len(t3) == 1  # the two page parts joined
    texts = [" ".join(c.text for c in row) for row in t3[0].rows]
    assert sum(1 for t in texts if "申请人情况" in t) == 1  # the header repeated on the next page is dropped
    assert sum(1 for t in texts if "四、结转下年度继续办理" in t) == 1
    assert len(t3[0].rows) == 3 + len(load_spec("2021").table("t3").rows)  # three header rows, then every row once
