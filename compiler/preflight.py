"""Look at a file before any parser touches it: right kind, sane size, not a zip bomb."""

from __future__ import annotations

import zipfile
from pathlib import Path

from .errors import CannotCheck

MAX_FILE_BYTES = 50 * 1024 * 1024
MAX_MEMBERS = 2000
MAX_UNCOMPRESSED = 400 * 1024 * 1024
MAX_RATIO = 200  # uncompressed / compressed, for members large enough to matter

SAVE_AS = "请在 Excel 中用“文件—另存为”，或在 WPS 中用“文件—另存为”，选择“Excel 工作簿（*.xlsx）”后再试。"
OTHER_FORMATS = {
    ".xls": "Excel 97-2003 工作簿（.xls）",
    ".xlsm": "启用宏的 Excel 工作簿（.xlsm）",
    ".xlsb": "Excel 二进制工作簿（.xlsb）",
    ".et": "WPS 表格文件（.et）",
    ".ett": "WPS 表格模板（.ett）",
    ".ods": "OpenDocument 表格（.ods）",
    ".csv": "CSV 文本文件（.csv）",
    ".xltx": "Excel 模板（.xltx）",
    ".docx": "Word 文档（.docx）",
    ".doc": "Word 文档（.doc）",
    ".wps": "WPS 文字文档（.wps）",
    ".pdf": "PDF 文件",
}
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def preflight(path: Path) -> None:
    """Raise CannotCheck with a Chinese message when path is not a workbook reportc can open."""
    path = Path(path)
    name = path.name
    if not path.exists():
        raise CannotCheck(f"找不到文件：{path}", "请检查文件名和所在文件夹是否正确。")
    if path.is_dir():
        raise CannotCheck(f"“{path}”是一个文件夹，不是工作簿文件。", "请指定要检查的 .xlsx 文件。")
    try:
        size = path.stat().st_size
        with path.open("rb") as fh:
            head = fh.read(8)
    except OSError as exc:
        raise CannotCheck(f"无法读取文件“{name}”（{exc.strerror or exc}）。", "文件可能正被其他程序占用，请关闭后再试。") from None
    suffix = path.suffix.lower()
    if size == 0:
        raise CannotCheck(f"文件“{name}”是空文件（0 字节）。", "文件可能没有保存完整，请重新保存或重新复制。")
    if size > MAX_FILE_BYTES:
        raise CannotCheck(
            f"文件“{name}”太大（{size / 1024 / 1024:.1f} MB，上限 {MAX_FILE_BYTES // 1024 // 1024} MB）。",
            "年报工作簿通常不到 1 MB；请检查是否在表格中粘贴了大量无关内容，删除后另存再试。",
        )
    if head.startswith(OLE_MAGIC):
        if suffix in (".xlsx", ".xlsm"):
            raise CannotCheck(
                f"文件“{name}”设置了打开密码（已加密），reportc 无法读取。",
                "请先取消文件打开密码：在 Excel 中“文件—信息—保护工作簿—用密码进行加密”清空密码，"
                "或在 WPS 中“文件—文档加密—密码加密”清空密码，保存后再试。",
            )
        kind = OTHER_FORMATS.get(suffix, "旧版 Office 文件")
        raise CannotCheck(f"文件“{name}”是{kind}，不是 .xlsx 工作簿。", SAVE_AS)
    if suffix in OTHER_FORMATS:
        raise CannotCheck(f"文件“{name}”是{OTHER_FORMATS[suffix]}，reportc 只读取 .xlsx 工作簿。", SAVE_AS)
    if not head.startswith(b"PK"):
        raise CannotCheck(f"文件“{name}”不是 .xlsx 工作簿（文件内容不是 Excel 格式）。", SAVE_AS)
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
            if len(infos) > MAX_MEMBERS:
                raise CannotCheck(f"文件“{name}”内部包含 {len(infos)} 个部件，超出正常工作簿的范围，已拒绝读取。")
            total = 0
            for info in infos:
                total += info.file_size
                if info.file_size > 1024 * 1024 and info.file_size > MAX_RATIO * max(info.compress_size, 1):
                    raise CannotCheck(f"文件“{name}”的内部部件“{info.filename}”压缩比异常（疑似压缩炸弹），已拒绝读取。")
            if total > MAX_UNCOMPRESSED:
                raise CannotCheck(f"文件“{name}”解压后超过 {MAX_UNCOMPRESSED // 1024 // 1024} MB，已拒绝读取。")
            names = {i.filename for i in infos}
    except zipfile.BadZipFile:
        raise CannotCheck(f"文件“{name}”已损坏或不完整，无法作为工作簿打开。", "请在 Excel 或 WPS 中打开并重新保存，或重新复制文件。") from None
    if "xl/workbook.xml" not in names:
        if "word/document.xml" in names:
            raise CannotCheck(f"文件“{name}”是 Word 文档，不是 Excel 工作簿。", SAVE_AS)
        raise CannotCheck(f"文件“{name}”不是 Excel 工作簿（缺少工作簿部件）。", SAVE_AS)
    if any(n.lower().endswith("vbaproject.bin") for n in names):
        raise CannotCheck(f"文件“{name}”含有宏（.xlsm 内容），reportc 只读取普通 .xlsx 工作簿。", SAVE_AS)
