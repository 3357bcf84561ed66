"""Generate a corpus of hostile and malformed inputs for `reportc check` / `reportc build`.

    python tests/make_hostile.py OUTDIR      # writes the files and prints the cases

Each case: (file name, expected exit code, words the message must contain). The test
tests/test_hostile.py runs both commands on every case.
"""

from __future__ import annotations

import io
import os
import re
import struct
import sys
import warnings
import zipfile
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from conftest import blank_workbook, filled_bytes  # noqa: E402

OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


@dataclass(frozen=True)
class Case:
    name: str
    exit_code: int
    words: tuple[str, ...]
    build_exit: int | None = None  # when build differs from check


def good_workbook(edition: str = "2021", year: int = 2025, **changes) -> bytes:
    """A consistent filled workbook (seed 5) with changes (keys as conftest.filled_bytes takes them)."""
    return filled_bytes(edition=edition, year=year, seed=5, **changes)


def rezip(data: bytes, replace: dict[str, bytes] | None = None, drop: tuple[str, ...] = (), add: dict | None = None) -> bytes:
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            if info.filename in drop:
                continue
            dst.writestr(info.filename, (replace or {}).get(info.filename, src.read(info.filename)))
        for name, content in (add or {}).items():
            dst.writestr(name, content)
    return out.getvalue()


def sheet_part(data: bytes, sheet: str) -> str:
    """The zip member holding a sheet, found through workbook.xml and its relationships."""
    import re

    z = zipfile.ZipFile(io.BytesIO(data))
    wb = z.read("xl/workbook.xml").decode()
    rels = z.read("xl/_rels/workbook.xml.rels").decode()
    rid = re.search(rf'<sheet [^>]*name="{re.escape(sheet)}"[^>]*r:id="(rId\d+)"', wb).group(1)
    target = re.search(rf'Id="{rid}"[^>]*Target="([^"]+)"|Target="([^"]+)"[^>]*Id="{rid}"', rels)
    path = target.group(1) or target.group(2)
    return path.lstrip("/") if path.startswith("/") else "xl/" + path


def read_part(data: bytes, part: str) -> bytes:
    return zipfile.ZipFile(io.BytesIO(data)).read(part)


def set_cell(data: bytes, sheet: str, ref: str, xml: str) -> bytes:
    """Replace the stored XML of one cell (it must exist in the sheet)."""
    part = sheet_part(data, sheet)
    text = read_part(data, part).decode()
    new, n = re.subn(rf'<c r="{ref}"[^>]*?(?:/>|>.*?</c>)', xml, text, count=1)
    assert n == 1, ref
    return rezip(data, replace={part: new.encode()})


def without_positions(data: bytes) -> bytes:
    """Every sheet rewritten without the optional r= attributes on rows and cells, as some
    generators write it: gaps become empty <row/> and <c/> elements, so positions follow
    from the order alone."""
    import xml.etree.ElementTree as ET

    main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    ET.register_namespace("", main)
    z = zipfile.ZipFile(io.BytesIO(data))
    replace = {}
    for name in z.namelist():
        if not name.startswith("xl/worksheets/sheet"):
            continue
        root = ET.fromstring(z.read(name))
        sheet_data = root.find(f"{{{main}}}sheetData")
        rows, expect_row = [], 1
        for row in list(sheet_data):
            number = int(row.get("r"))
            while expect_row < number:
                rows.append(ET.Element(f"{{{main}}}row"))
                expect_row += 1
            cells, expect_col = [], 0
            for cell in list(row):
                letters = re.match(r"[A-Z]+", cell.get("r")).group(0)
                col = 0
                for ch in letters:
                    col = col * 26 + ord(ch) - 64
                while expect_col < col - 1:
                    cells.append(ET.Element(f"{{{main}}}c"))
                    expect_col += 1
                del cell.attrib["r"]
                cells.append(cell)
                expect_col += 1
            row.attrib.pop("r", None)
            row.attrib.pop("spans", None)
            row[:] = cells
            rows.append(row)
            expect_row += 1
        sheet_data[:] = rows
        replace[name] = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    return rezip(data, replace=replace)


def to_strict(data: bytes) -> bytes:
    """The package in Strict OOXML namespaces, as Excel's “Strict Open XML” save writes it."""
    z = zipfile.ZipFile(io.BytesIO(data))
    swap = [(b"http://schemas.openxmlformats.org/spreadsheetml/2006/main", b"http://purl.oclc.org/ooxml/spreadsheetml/main"),
            (b"http://schemas.openxmlformats.org/officeDocument/2006/relationships",
             b"http://purl.oclc.org/ooxml/officeDocument/relationships")]
    replace = {}
    for name in z.namelist():
        content = z.read(name)
        if name.endswith((".xml", ".rels")) and not name.startswith("[Content_Types]"):
            for old, new in swap:
                content = content.replace(old, new)
            if name == "xl/workbook.xml":
                content = content.replace(b"<workbook ", b'<workbook conformance="strict" ', 1)
        replace[name] = content
    return rezip(data, replace=replace)


def redirected_shared_strings(org: str = "测试县民政局", shown: str = "重定向后的民政局") -> bytes:
    """A fresh workbook whose shared strings live in another part, named by the workbook's
    relationships; a decoy xl/sharedStrings.xml still holds the original text."""
    data = blank_workbook("2021", org, 2025)
    original = read_part(data, "xl/sharedStrings.xml")
    rels = read_part(data, "xl/_rels/workbook.xml.rels").replace(b'Target="sharedStrings.xml"', b'Target="strings/real.xml"')
    types = read_part(data, "[Content_Types].xml").replace(
        b"</Types>", b'<Override PartName="/xl/strings/real.xml" ContentType="application/vnd.openxmlformats-officedocument.'
        b'spreadsheetml.sharedStrings+xml"/></Types>')
    return rezip(data, replace={"xl/_rels/workbook.xml.rels": rels, "[Content_Types].xml": types},
                 add={"xl/strings/real.xml": original.replace(org.encode(), shown.encode())})


def duplicate_member(data: bytes, member: str, content: bytes) -> bytes:
    """A zip holding the member twice (Python's zipfile reads the last; others the first)."""
    out = io.BytesIO(data)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with zipfile.ZipFile(out, "a") as z:
            z.writestr(member, content)
    return out.getvalue()


def ole_file(*streams: str) -> bytes:
    """A minimal OLE compound file (MS-CFB, 512-byte sectors) whose directory lists the
    given stream names: sector 0 holds the FAT, the directory follows."""
    entries = [("Root Entry", 5)] + [(name, 2) for name in streams]
    per_sector = 4
    dir_sectors = (len(entries) + per_sector - 1) // per_sector
    directory = b""
    for i, (name, kind) in enumerate(entries):
        raw = name.encode("utf-16-le") + b"\0\0"
        child = 1 if kind == 5 and len(entries) > 1 else 0xFFFFFFFF
        right = i + 1 if kind == 2 and i + 1 < len(entries) else 0xFFFFFFFF
        directory += (raw.ljust(64, b"\0") + struct.pack("<HBB", len(raw), kind, 1)
                      + struct.pack("<III", 0xFFFFFFFF, right, child) + bytes(16 + 4 + 16)
                      + struct.pack("<IQ", 0xFFFFFFFE, 0))
    directory = directory.ljust(dir_sectors * 512, b"\0")
    fat = [0xFFFFFFFD] + [i + 2 for i in range(dir_sectors - 1)] + [0xFFFFFFFE]
    fat_sector = struct.pack(f"<{len(fat)}I", *fat).ljust(512, b"\xff")
    header = (OLE + bytes(16) + struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6) + bytes(6)
              + struct.pack("<IIIIIIIII", 0, 1, 1, 0, 4096, 0xFFFFFFFE, 0, 0xFFFFFFFE, 0)
              + struct.pack("<109I", 0, *([0xFFFFFFFF] * 108)))
    return header + fat_sector + directory


def one_row_workbook(cells: int = 3_500_000) -> bytes:
    """A workbook whose first row on 三、依申请公开 carries millions of extra cells without r=
    (about 60 MB of sheet XML, just inside the limits; random digits keep the zip ratio sane)."""
    data = good_workbook()
    part = sheet_part(data, "三、依申请公开")
    xml = read_part(data, part)
    digits = os.urandom(cells * 3).translate(bytes(b % 10 + 48 for b in range(256)))
    row = b"".join(b"<c><v>" + digits[i:i + 3] + b"</v></c>" for i in range(0, len(digits), 3))
    cut = xml.index(b"</row>")
    return rezip(data, replace={part: xml[:cut] + row + xml[cut:]})


def edit_with_openpyxl(data: bytes, fn) -> bytes:
    from openpyxl import load_workbook

    wb = load_workbook(io.BytesIO(data))
    fn(wb)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def million_rows(data: bytes) -> bytes:
    """Paste a million rows below the table on 三、依申请公开 (streamed into the sheet XML)."""
    part = sheet_part(data, "三、依申请公开")
    xml = zipfile.ZipFile(io.BytesIO(data)).read(part).decode()
    rows = "".join(f'<row r="{r}"><c r="A{r}"><v>{r}</v></c></row>' for r in range(40, 1_000_040))
    xml = xml.replace("</sheetData>", rows + "</sheetData>", 1)
    return rezip(data, replace={part: xml.encode()})


def cases(folder: Path) -> list[Case]:
    folder.mkdir(parents=True, exist_ok=True)
    good = good_workbook()
    out: list[Case] = []

    def put(name: str, content: bytes, code: int, *words: str, build_exit: int | None = None):
        (folder / name).write_bytes(content)
        out.append(Case(name, code, words, build_exit))

    # --- not a workbook at all ------------------------------------------------------
    put("空文件.xlsx", b"", 2, "空文件")
    put("文本改名.xlsx", "这不是工作簿".encode("utf-8"), 2, "不是 .xlsx 工作簿")
    put("截断.xlsx", good[: len(good) // 3], 2, "已损坏或不完整")
    put("加密.xlsx", OLE + bytes(2000), 2, "请先取消文件打开密码")
    put("旧格式.xls", OLE + bytes(2000), 2, "Excel 97-2003", "另存为")
    put("宏.xlsm", good, 2, ".xlsm", "另存为")
    put("WPS表格.et", OLE + bytes(2000), 2, "WPS 表格文件")
    put("开放文档.ods", b"PK\x03\x04" + bytes(100), 2, "OpenDocument")
    put("数据.csv", "机关名称,年度\n测试局,2025\n".encode("utf-8"), 2, "CSV")
    put("Word文档.xlsx", rezip(good, drop=("xl/workbook.xml",), add={"word/document.xml": b"<w/>"}), 2, "Word 文档")
    put("带宏内容.xlsx", rezip(good, add={"xl/vbaProject.bin": b"\0" * 100}), 2, "含有宏")

    # --- zip bombs and oversized files ------------------------------------------------
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("xl/workbook.xml", b"<workbook/>")
        z.writestr("xl/worksheets/sheet1.xml", b"\0" * (60 * 1024 * 1024))
    put("压缩炸弹.xlsx", bomb.getvalue(), 2, "压缩比异常")
    many = io.BytesIO()
    with zipfile.ZipFile(many, "w", zipfile.ZIP_STORED) as z:
        for i in range(2500):
            z.writestr(f"xl/m{i}.xml", b"<a/>")
    put("部件过多.xlsx", many.getvalue(), 2, "部件")
    put("超大文件.xlsx", good + b"\0" * (51 * 1024 * 1024), 2, "太大")

    # --- XML attacks ---------------------------------------------------------------
    original = zipfile.ZipFile(io.BytesIO(good)).read("xl/workbook.xml").decode()
    body = original.split("?>", 1)[1] if original.startswith("<?xml") else original
    laughs = ('<?xml version="1.0"?><!DOCTYPE workbook [<!ENTITY lol "lol">'
              + "".join(f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">' for i in range(1, 10))
              + "]>" + body.replace("<sheets>", "<sheets><!-- &lol9; -->", 1))
    put("实体炸弹.xlsx", rezip(good, replace={"xl/workbook.xml": laughs.encode()}), 2, "不安全的 XML 内容")
    xxe = ('<?xml version="1.0"?><!DOCTYPE workbook [<!ENTITY e SYSTEM "file:///etc/passwd">]>' + body)
    put("外部实体.xlsx", rezip(good, replace={"xl/workbook.xml": xxe.encode()}), 2, "不安全的 XML 内容")
    sheet = sheet_part(good, "基本信息")
    sheet_xml = zipfile.ZipFile(io.BytesIO(good)).read(sheet).decode()
    sheet_xml = '<?xml version="1.0"?><!DOCTYPE worksheet [<!ENTITY big "' + "x" * 1000 + '">]>' + \
        sheet_xml.replace("测试县民政局", "&big;&big;", 1)
    put("工作表实体.xlsx", rezip(good, replace={sheet: sheet_xml.encode()}), 2, "不安全的 XML 内容")
    put("坏XML.xlsx", rezip(good, replace={"xl/workbook.xml": b"<workbook><sheets>"}), 2, "无法打开工作簿")

    # --- workbooks reportc did not make, or cannot trust -----------------------------
    from openpyxl import Workbook

    other = Workbook()
    other.active["A1"] = "政府信息公开工作年度报告"
    buf = io.BytesIO()
    other.save(buf)
    put("别人的表.xlsx", buf.getvalue(), 2, "不是 reportc 生成的填报工作簿", "reportc new")

    def set_meta(key, value):
        def edit(wb):
            ws = wb["_reportc"]
            for row in ws.iter_rows():
                if row[0].value == key:
                    row[1].value = value
        return edit
    put("未知版本.xlsx", edit_with_openpyxl(good, set_meta("format", "reportc-workbook/9")), 2, "不认识的 reportc 版本")
    put("未知格式版本.xlsx", edit_with_openpyxl(good, set_meta("edition", "2099")), 2, "2099", "reportc new")
    put("规范不同.xlsx", edit_with_openpyxl(good, set_meta("spec_hash", "0123456789abcdef")), 2, "另一版报告格式规范")

    # --- tampering (protection removed first) ---------------------------------------
    def unprotect(wb):
        for ws in wb.worksheets:
            ws.protection.sheet = False
        wb.security = None

    def tamper(fn):
        def edit(wb):
            unprotect(wb)
            fn(wb)
        return edit

    put("改标签.xlsx", edit_with_openpyxl(good, tamper(lambda wb: wb["三、依申请公开"].__setitem__("A6", "一、本年收到申请"))),
        1, "三、依申请公开!A6", "一、本年收到申请", "一、本年新收政府信息公开申请数量")
    put("公式改数字.xlsx", edit_with_openpyxl(good, tamper(lambda wb: wb["三、依申请公开"].__setitem__("J6", 999))),
        1, "三、依申请公开!J6", "公式被改成了“999”")
    put("改校验公式.xlsx", edit_with_openpyxl(good, tamper(lambda wb: wb["校验"].__setitem__("I7", '="通过"'))),
        1, "校验!I7")
    put("插入行.xlsx", edit_with_openpyxl(good, tamper(lambda wb: wb["三、依申请公开"].insert_rows(10))),
        1, "插入了1行")
    put("删除列.xlsx", edit_with_openpyxl(good, tamper(lambda wb: wb["二、主动公开"].delete_cols(3))),
        1, "二、主动公开")

    def rename(wb):
        wb["四、复议诉讼"].title = "Sheet4"
    put("改表名.xlsx", edit_with_openpyxl(good, tamper(rename)), 1, "找不到工作表“四、复议诉讼”", "Sheet4")
    put("删表.xlsx", edit_with_openpyxl(good, tamper(lambda wb: wb.remove(wb["五、问题及改进"]))), 1, "找不到工作表“五、问题及改进”")

    def edit_map(wb):
        ws = wb["_reportc"]
        for row in ws.iter_rows():
            if row[0].value == "cell_map":
                row[1].value = row[1].value.replace("三、依申请公开!D6", "三、依申请公开!D7", 1)
                break
    put("改元数据.xlsx", edit_with_openpyxl(good, tamper(edit_map)), 1, "元数据被改动")
    put("表下粘贴百万行.xlsx", million_rows(good), 1, "表格范围以外多了内容")

    # --- a clerk's text is data --------------------------------------------------------
    long_text = "长" * 32767
    put("超长单元格.xlsx", good_workbook(**{"s1__sub1__2": long_text}), 0, "错误 0 项")
    many_paragraphs = "\n".join(f"第{i}段。" for i in range(300))
    put("数千段落.xlsx", good_workbook(**{f"s1__sub{n}__{i}": many_paragraphs for n in range(1, 6) for i in range(2, 4)}),
        0, "错误 0 项")
    put("模板语法.xlsx", good_workbook(**{"s1__sub1__2": "{{ 7*7 }} {% for x in y %} <script>alert(1)</script> & ]]>"}),
        0, "错误 0 项")
    put("控制字符.xlsx", good_workbook(**{"s1__sub1__2": "正文\u200b中有_x0007_控制字符"}), 0, "控制字符")

    # --- issue 12 item 7: an OLE compound file is told apart by its streams ----------------
    put("加密工作簿.xlsx", ole_file("\x06DataSpaces", "EncryptionInfo", "EncryptedPackage"), 2,
        "文件“加密工作簿.xlsx”设置了打开密码（已加密）", "请先取消文件打开密码")
    put("旧格式改名.xlsx", ole_file("Workbook", "\x05SummaryInformation"), 2,
        "文件“旧格式改名.xlsx”是Excel 97-2003 工作簿（.xls），不是 .xlsx 工作簿。", "另存为")
    put("旧格式Book.xlsx", ole_file("Book"), 2, "文件“旧格式Book.xlsx”是Excel 97-2003 工作簿（.xls）")
    put("Word旧格式改名.xlsx", ole_file("WordDocument", "1Table"), 2, "文件“Word旧格式改名.xlsx”是 Word 97-2003 文档（.doc）")
    put("其他复合文件.xlsx", ole_file("Contents"), 2, "旧版 Office 复合文件（不是 .xlsx 工作簿，内容无法识别）")

    # --- issue 9 item 6: the package is read as Office reads it ------------------------------
    template = blank_workbook("2021", "测试县民政局", 2025)  # XlsxWriter: shared strings
    put("共享字符串负序号.xlsx", set_cell(template, "基本信息", "B4", '<c r="B4" s="12" t="s"><v>-1</v></c>'), 2,
        "基本信息!B4", "不存在的共享字符串")
    put("共享字符串越界.xlsx", set_cell(template, "基本信息", "B4", '<c r="B4" s="12" t="s"><v>99999</v></c>'), 2,
        "不存在的共享字符串")
    workbook_xml = read_part(good, "xl/workbook.xml").replace("二、主动公开".encode(), "三、依申请公开".encode(), 1)
    put("同名工作表.xlsx", rezip(good, replace={"xl/workbook.xml": workbook_xml}), 2, "有两个工作表同名“三、依申请公开”")
    info_part = sheet_part(good, "基本信息")
    put("重复部件.xlsx", duplicate_member(good, info_part, read_part(good, info_part).replace(
        "测试县民政局".encode(), "别的机关".encode())), 2, "重复的部件")
    put("无位置属性.xlsx", without_positions(good), 0, "错误 0 项")
    put("严格格式.xlsx", to_strict(good), 0, "错误 0 项")
    put("日期单元格.xlsx", set_cell(good, "三、依申请公开", "D6", '<c r="D6" s="13" t="d"><v>2025-03-01T00:00:00</v></c>'),
        1, "三、依申请公开!D6", "识别为日期或时间“2025-03-01”")

    # --- issue 9 item 7: a date or time typed into a number cell --------------------------------
    def typed(ref, value, number_format, sheet="三、依申请公开"):
        def edit(wb):
            wb[sheet][ref].value = value
            wb[sheet][ref].number_format = number_format
        return edit
    put("日期格式的件数.xlsx", edit_with_openpyxl(good, typed("D6", 45717, "yyyy/m/d")), 1,
        "三、依申请公开!D6", "识别为日期或时间“2025-03-01”")
    put("时间格式的金额.xlsx", edit_with_openpyxl(good, typed("B16", 0.5, "h:mm", "二、主动公开")), 1,
        "二、主动公开!B16", "识别为日期或时间“12:00:00”")

    # --- issue 9 items 8-10: what check passes, build renders; nothing invisible is published ----
    put("代理字符.xlsx", good_workbook(**{"s1__sub1__2": "正文_xD800_在此_xFFFF_结束", "info__contact_unit": "办公室_xD83D__xDE00_"}),
        0, "控制字符")
    put("千位数字.xlsx", good_workbook(t3__new__natural="9" * 5000), 1, "三、依申请公开!D6", "大得不合常理")
    put("天文数字.xlsx", good_workbook(t3__new__natural=1e308), 1, "三、依申请公开!D6", "大得不合常理")
    put("十的三十次方.xlsx", good_workbook(t3__new__natural=10**30), 1, "三、依申请公开!D6", "大得不合常理")
    put("方向控制符.xlsx", good_workbook(**{"s1__sub1__2": "共收到申请\u202e21\u202c件", "info__contact_unit": "办公室\u2066"}),
        0, "控制字符或改变文字方向的字符")
    put("标题换行.xlsx", good_workbook(info__title="测试县民政局2025年报告\n# 注入的标题\n- 列表项"), 0, "换行已改为空格")
    return out


if __name__ == "__main__":
    target = Path(sys.argv[1] if len(sys.argv) > 1 else "hostile")
    for case in cases(target):
        print(f"{case.exit_code}  {case.name}  {' / '.join(case.words)}")
