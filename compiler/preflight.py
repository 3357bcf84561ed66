"""Look at a file before any parser touches it: right kind, sane size, not a zip bomb."""

from __future__ import annotations

import struct
import zipfile
from pathlib import Path

from .errors import CannotCheck
from .filenames import readable

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
SPREADSHEET_KINDS = (".xls", ".xlsm", ".xlsb", ".et", ".ett", ".ods", ".csv", ".xltx")
SAVE_AS_SHORT = "请在 Excel 或 WPS 中打开，另存为 .xlsx 工作簿后再试。"  # in the first line: batch shows only that
# the second line under a first line that ends with SAVE_AS_SHORT: how, without saying it again
SAVE_AS_HOW = "另存为的方法：“文件—另存为”，文件类型选“Excel 工作簿（*.xlsx）”。"
# suffixes whose files are zip packages holding xl/workbook.xml by right (not a renamed .xlsx)
WORKBOOK_PACKAGES = (".xlsx", ".xlsm", ".xltx", ".xltm")
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def check_name(path: Path) -> None:
    """The file's name goes into every document and page: on Linux it can hold bytes that are not
    UTF-8, which no document can hold. Refused with a Chinese message (rename the file)."""
    if readable(path.name) != path.name:
        raise CannotCheck(f"文件名“{readable(path.name)}”中有无法识别的字符（不是 UTF-8 编码的文字），reportc 无法把它写进报告。",
                          "请把文件改名（用中文、字母或数字）后重试。")


def preflight(path: Path) -> None:
    """Raise CannotCheck with a Chinese message when path is not a workbook reportc can open."""
    path = Path(path)
    name = path.name
    if not path.exists():
        raise CannotCheck(f"找不到文件：{path}", "请检查文件名和所在文件夹是否正确。")
    if path.is_dir():
        raise CannotCheck(f"“{path}”是一个文件夹，不是工作簿文件。", "请指定要检查的 .xlsx 文件。")
    if not path.is_file():  # a FIFO or a device would block or never end
        raise CannotCheck(f"“{path}”不是普通文件（可能是管道或设备），reportc 不读取。", "请指定保存在磁盘上的 .xlsx 工作簿文件。")
    check_name(path)
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
        _refuse_ole(path, suffix)
    if suffix in OTHER_FORMATS:
        if head.startswith(b"PK") and suffix not in WORKBOOK_PACKAGES and _has_workbook_part(path):
            right = path.with_suffix(".xlsx").name
            raise CannotCheck(
                f"文件“{name}”的内容是 Excel 工作簿（.xlsx），只是扩展名错成了“{path.suffix}”：请把文件改名为“{right}”后再试。",
                "在 Windows 资源管理器中显示文件扩展名（“查看—文件扩展名”），把扩展名改为 .xlsx。")
        then = SAVE_AS_SHORT if suffix in SPREADSHEET_KINDS else ""
        raise CannotCheck(f"文件“{name}”是{OTHER_FORMATS[suffix]}，reportc 只读取 .xlsx 工作簿。{then}",
                          SAVE_AS_HOW if then else SAVE_AS)
    if not head.startswith(b"PK"):
        raise CannotCheck(f"文件“{name}”不是 .xlsx 工作簿（文件内容不是 Excel 格式）。", SAVE_AS)
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
            check_members(infos, name, "工作簿")
            names = {i.filename for i in infos}
    except zipfile.BadZipFile:
        raise CannotCheck(f"文件“{name}”已损坏或不完整，无法作为工作簿打开。", "请在 Excel 或 WPS 中打开并重新保存，或重新复制文件。") from None
    if "xl/workbook.xml" not in names:
        if "word/document.xml" in names:
            raise CannotCheck(f"文件“{name}”是 Word 文档，不是 Excel 工作簿。", SAVE_AS)
        if "_rels/.rels" not in names:  # otherwise the relationships may name another workbook part
            raise CannotCheck(f"文件“{name}”不是 Excel 工作簿（缺少工作簿部件）。", SAVE_AS)
    if any(n.lower().endswith("vbaproject.bin") for n in names):
        raise CannotCheck(f"文件“{name}”含有宏（.xlsm 内容），reportc 只读取普通 .xlsx 工作簿。", SAVE_AS)


def _has_workbook_part(path: Path) -> bool:
    """A zip package with xl/workbook.xml: an .xlsx whatever its name says."""
    try:
        with zipfile.ZipFile(path) as zf:
            return "xl/workbook.xml" in set(zf.namelist()[:MAX_MEMBERS])
    except (zipfile.BadZipFile, OSError, ValueError):
        return False


ENCRYPTED = ("请先取消文件打开密码：在 Excel 中“文件—信息—保护工作簿—用密码进行加密”清空密码，"
             "或在 WPS 中“文件—文档加密—密码加密”清空密码，保存后再试。")


def _refuse_ole(path: Path, suffix: str) -> None:
    """An OLE compound file: say exactly what it is, from the names of its streams."""
    name = path.name
    streams = ole_stream_names(path)
    if "encryptioninfo" in streams or "encryptedpackage" in streams:
        raise CannotCheck(f"文件“{name}”设置了打开密码（已加密），reportc 无法读取。", ENCRYPTED)
    if "workbook" in streams or "book" in streams:
        kind = OTHER_FORMATS.get(suffix) if suffix in (".xls", ".et", ".ett") else None
        raise CannotCheck(f"文件“{name}”是{kind or 'Excel 97-2003 工作簿（.xls）'}，不是 .xlsx 工作簿。{SAVE_AS_SHORT}", SAVE_AS_HOW)
    if "worddocument" in streams:
        raise CannotCheck(f"文件“{name}”是 Word 97-2003 文档（.doc），不是 Excel 工作簿。", SAVE_AS)
    if "powerpoint document" in streams:
        raise CannotCheck(f"文件“{name}”是 PowerPoint 97-2003 演示文稿（.ppt），不是 Excel 工作簿。", SAVE_AS)
    kind = OTHER_FORMATS.get(suffix) if suffix not in (".xlsx", ".xlsm") else None
    if not streams and kind is None:  # the directory cannot be read: say both possibilities
        raise CannotCheck(
            f"文件“{name}”是 Office 复合文件，内部目录无法识别：可能设置了打开密码（已加密），也可能是改了扩展名的旧版文件。",
            ENCRYPTED + "如果是旧版文件：" + SAVE_AS,
        )
    then = SAVE_AS_SHORT if suffix in SPREADSHEET_KINDS else ""
    raise CannotCheck(
        f"文件“{name}”是{kind or '旧版 Office 复合文件（不是 .xlsx 工作簿，内容无法识别）'}，reportc 无法读取。{then}",
        SAVE_AS_HOW if then else SAVE_AS)


def ole_stream_names(path: Path, limit: int = 4096) -> set[str]:
    """Lower-case names of the entries in an OLE compound file's directory (MS-CFB), read
    minimally: the header, the FAT sectors it lists, and the directory chain. An empty set
    when the structure is damaged."""
    try:
        with Path(path).open("rb") as fh:
            header = fh.read(512)
            if len(header) < 512 or header[:8] != OLE_MAGIC:
                return set()
            shift = struct.unpack_from("<H", header, 0x1E)[0]
            if shift not in (9, 12):
                return set()
            size = 1 << shift
            fat_count, dir_start = struct.unpack_from("<II", header, 0x2C)
            difat = [s for s in struct.unpack_from("<109I", header, 0x4C) if s < 0xFFFFFFFA][: min(fat_count, 109)]

            def sector(n: int) -> bytes:
                fh.seek((n + 1) * size)
                return fh.read(size)

            fat: list[int] = []
            for n in difat:
                fat.extend(struct.unpack(f"<{size // 4}I", sector(n).ljust(size, b"\xff")))
            names: set[str] = set()
            current, seen = dir_start, set()
            while current < 0xFFFFFFFA and current not in seen and len(seen) < limit:
                seen.add(current)
                block = sector(current)
                for off in range(0, len(block) - 127, 128):
                    length = struct.unpack_from("<H", block, off + 0x40)[0]
                    if 2 <= length <= 64 and block[off + 0x42] in (1, 2, 5):
                        names.add(block[off: off + length - 2].decode("utf-16-le", "replace").lower())
                current = fat[current] if current < len(fat) else 0xFFFFFFFE
            return names
    except (OSError, struct.error):
        return set()


def check_members(infos, name: str, what: str) -> None:
    """The zip limits (member count, compression ratio, unpacked size) of a workbook or a Word
    document, checked before any member is read; `what` names the kind of file in the message."""
    if len(infos) > MAX_MEMBERS:
        raise CannotCheck(f"文件“{name}”内部包含 {len(infos)} 个部件，超出正常{what}的范围，已拒绝读取。")
    total = 0
    for info in infos:
        total += info.file_size
        if info.file_size > 1024 * 1024 and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            raise CannotCheck(f"文件“{name}”的内部部件“{info.filename}”压缩比异常（疑似压缩炸弹），已拒绝读取。")
    if total > MAX_UNCOMPRESSED:
        raise CannotCheck(f"文件“{name}”解压后超过 {MAX_UNCOMPRESSED // 1024 // 1024} MB，已拒绝读取。")
