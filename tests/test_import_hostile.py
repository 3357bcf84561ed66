"""What `reportc import` refuses (exit 2, a Chinese reason naming the file, no workbook):
PDFs without a text layer or with (cid:…) text, pages without a report, and hostile files
over the pre-flight bounds (size, zip bombs, XML entities, nesting depth) — the
tests/make_hostile.py family for published files."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from conftest import assert_no_traceback, run_cli
from importing import EXAMPLES, published
from reportc.preflight import MAX_FILE_BYTES

# one pytest-xdist worker runs this module: its module fixture is made once
pytestmark = pytest.mark.xdist_group("import_hostile")


def image_pdf() -> bytes:
    """A scanned page: an image, no text."""
    from PIL import Image, ImageDraw

    img = Image.new("RGB", (600, 800), "white")
    ImageDraw.Draw(img).rectangle((50, 50, 550, 300), outline="black", width=3)
    buf = io.BytesIO()
    img.save(buf, "PDF", resolution=72)
    return buf.getvalue()


def cid_pdf() -> bytes:
    """Text in a composite font without a ToUnicode map: extractors see only (cid:N)."""
    content = b"BT /F1 24 Tf 72 700 Td <00410042004300440045004600470048> Tj ET\n" * 30
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> /Contents 6 0 R >>",
        b"<< /Type /Font /Subtype /Type0 /BaseFont /SimSun /Encoding /Identity-H /DescendantFonts [5 0 R] >>",
        b"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /SimSun /CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> /DW 1000 >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"endstream",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for i, obj in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % i + obj + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for off in offsets:
        out.write(b"%010d 00000 n \n" % off)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref))
    return out.getvalue()


def rezip(docx: bytes, replace: dict) -> bytes:
    src = zipfile.ZipFile(io.BytesIO(docx))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            dst.writestr(info.filename, replace.get(info.filename, src.read(info.filename)))
        for name, data in replace.items():
            if name not in src.namelist():
                dst.writestr(name, data)
    return out.getvalue()


LAUGHS = (b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
          + b"".join(b'<!ENTITY lol%d "%s">' % (i, (b"&lol%d;" % (i - 1) if i > 1 else b"&lol;") * 10) for i in range(1, 10))
          + b']><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r>'
          b"<w:t>&lol9;</w:t></w:r></w:p></w:body></w:document>")


@pytest.fixture(scope="module")
def docx(tmp_path_factory):
    out = published(EXAMPLES["2021"], tmp_path_factory.mktemp("pub"), ("docx",))
    return (out / "report.docx").read_bytes()


def cases(docx: bytes) -> list[tuple[str, bytes, tuple[str, ...]]]:
    return [
        ("scan.pdf", image_pdf(), ("scan.pdf", "没有文字层，可能是扫描件或图片")),
        ("cid.pdf", cid_pdf(), ("cid.pdf", "cid")),
        ("broken.pdf", b"%PDF-1.4\n" + b"\x00garbage" * 100, ("broken.pdf", "PDF")),
        ("entities.docx", rezip(docx, {"word/document.xml": LAUGHS}), ("entities.docx", "不安全的 XML")),
        ("bomb.docx", rezip(docx, {"word/media/zeros.bin": b"\0" * (8 * 1024 * 1024)}), ("bomb.docx", "压缩炸弹")),
        ("deep.html", b"<html><body>" + b"<div>" * 20000 + "一、总体情况".encode() + b"</div>" * 20000 + b"</body></html>",
         ("deep.html",)),
        ("empty.html", b"", ("empty.html", "空文件")),
        ("old.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 1024, ("old.doc", ".docx")),
        ("spa.html", b'<html><head><title>x</title></head><body><div id="root"></div><script src="a.js"></script></body></html>',
         ("spa.html", "没有找到")),
        ("notes.txt", "随便写的几句话，不是年报。".encode(), ("notes.txt", "没有找到")),
        ("data.json", b'{"format": "something-else"}', ("data.json", "report.json")),
        ("huge-table.html", ("<table>" + ("<tr>" + "<td>1</td>" * 1000 + "</tr>") * 300 + "</table>").encode(),
         ("huge-table.html", "表格过大")),
        ("huge-spans.html", ("<table>" + '<tr><td rowspan="99999999" colspan="99999999">1</td></tr>' * 200 + "</table>").encode(),
         ("huge-spans.html", "表格过大")),
    ]


def test_refusals(docx, tmp_path):
    for name, data, words in cases(docx):
        source = tmp_path / name
        source.write_bytes(data)
        out = tmp_path / f"{name}.xlsx"
        result = run_cli("import", source, "-o", out)
        assert_no_traceback(result)
        assert result.returncode == 2, (name, result.stdout, result.stderr)
        for word in words:
            assert word in result.stderr, (name, word, result.stderr)
        assert not out.exists(), name


def test_many_labelled_rows_take_linear_time(tmp_path):
    """Thousands of rows that look like table rows: matched against the statutory rows in bounded time."""
    import time

    from reportc.importer import read_published

    rows = "".join(f"<tr><td>第{i}项不予公开的其他情形说明</td><td>{i}</td><td>0</td></tr>" for i in range(20000))
    source = tmp_path / "rows.html"
    source.write_text(f"<html><body><p>二、主动公开政府信息情况</p><table>{rows}</table></body></html>", encoding="utf-8")
    start = time.process_time()
    try:
        read_published(source)
    except Exception as exc:  # refused or read: either way, promptly
        assert type(exc).__name__ == "CannotCheck"
    assert time.process_time() - start < 60


def test_oversize_file_is_refused_before_reading(tmp_path):
    source = tmp_path / "big.html"
    with source.open("wb") as fh:
        fh.truncate(MAX_FILE_BYTES + 1)
    result = run_cli("import", source, "-o", tmp_path / "out.xlsx")
    assert result.returncode == 2 and "太大" in result.stderr
    assert not (tmp_path / "out.xlsx").exists()


def test_folder_and_missing_file(tmp_path):
    assert run_cli("import", tmp_path, "-o", tmp_path / "a.xlsx").returncode == 2
    result = run_cli("import", tmp_path / "nope.html", "-o", tmp_path / "a.xlsx")
    assert result.returncode == 2 and "找不到文件" in result.stderr


def test_existing_output_is_kept(docx, tmp_path):
    source = tmp_path / "report.docx"
    source.write_bytes(docx)
    out = tmp_path / "mine.xlsx"
    out.write_bytes(b"not ours")
    result = run_cli("import", source, "-o", out)
    assert result.returncode == 2 and "已存在" in result.stderr
    assert out.read_bytes() == b"not ours"
    assert run_cli("import", source, "-o", out, "--overwrite").returncode == 0
    assert Path(out).read_bytes()[:2] == b"PK"
