"""Published files are hostile input, as workbooks are: the pre-flight bounds of
preflight.py (size, zip members and ratios) before any parser sees them, and the kind
of file told by its content, not its name."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from ..errors import CannotCheck
from ..preflight import MAX_FILE_BYTES, OLE_MAGIC, check_members, check_name

MAX_DEPTH = 400  # HTML/XML element nesting: deeper is no report
MAX_PAGES = 300  # PDF pages read
MAX_TEXT = 5_000_000  # characters of text taken from one document


def check_file(path: Path) -> bytes:
    name = path.name
    if not path.exists():
        raise CannotCheck(f"找不到文件：{path}", "请检查文件名和所在文件夹是否正确。")
    if path.is_dir():
        raise CannotCheck(f"“{path}”是一个文件夹，不是年报文件。", "请指定要导入的年报文件（.html、.docx、.pdf、.md 或 report.json）。")
    if not path.is_file():
        raise CannotCheck(f"“{path}”不是普通文件（可能是管道或设备），reportc 不读取。")
    check_name(path)
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise CannotCheck(f"文件“{name}”太大（{size / 1024 / 1024:.1f} MB，上限 {MAX_FILE_BYTES // 1024 // 1024} MB），已拒绝读取。",
                              "年报文件通常不到 10 MB；请确认文件是否正确。")
        data = path.read_bytes()
    except OSError as exc:
        raise CannotCheck(f"无法读取文件“{name}”（{exc.strerror or exc}）。", "文件可能正被其他程序占用，请关闭后再试。") from None
    if not data:
        raise CannotCheck(f"文件“{name}”是空文件（0 字节）。", "文件可能没有保存完整，请重新下载或复制。")
    return data


def check_zip(data: bytes, name: str) -> zipfile.ZipFile:
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        infos = zf.infolist()
    except zipfile.BadZipFile:
        raise CannotCheck(f"文件“{name}”已损坏或不完整，无法作为 Word 文档打开。", "请在 Word 或 WPS 中打开并另存为 .docx 后再试。") from None
    check_members(infos, name, "文档")
    return zf


def kind_of(path: Path, data: bytes) -> str:
    name, suffix = path.name, path.suffix.lower()
    if data.startswith(b"%PDF"):
        return "pdf"
    if data.startswith(OLE_MAGIC):
        raise CannotCheck(f"文件“{name}”是 Word 97-2003 文档（.doc）或其他旧版 Office 文件，reportc 不能直接导入。",
                          "请在 Word 或 WPS 中打开，另存为 .docx 后再导入。")
    if data.startswith(b"PK"):
        zf = check_zip(data, name)
        names = set(zf.namelist())
        if "word/document.xml" in names:
            return "docx"
        if "xl/workbook.xml" in names:
            raise CannotCheck(f"文件“{name}”是 Excel 工作簿，不是发布的年报。",
                              "检查填报工作簿请用 reportc check；导入的是发布的年报（网页、Word、PDF）。")
        raise CannotCheck(f"文件“{name}”是压缩包，不是年报文件。", "请解压后导入其中的年报文件。")
    head = data[:4096].lstrip(b"\xef\xbb\xbf \t\r\n")
    if suffix == ".json" or head.startswith(b"{"):
        return "json"
    if suffix == ".md" or suffix == ".markdown":
        return "md"
    if suffix in (".html", ".htm", ".shtml", ".xhtml") or head[:1] == b"<" or b"<html" in data[:4096].lower():
        return "html"
    if suffix == ".txt":
        return "md"
    raise CannotCheck(f"文件“{name}”不是 reportc 能导入的年报格式。",
                      "可导入：网页（.html）、Word（.docx）、带文字层的 PDF、Markdown（.md）和 report.json。")
