"""Generate a corpus of hostile and malformed inputs for `reportc check` / `reportc build`.

    python tests/make_hostile.py OUTDIR      # writes the files and prints the cases

Each case: (file name, expected exit code, words the message must contain). The test
tests/test_hostile.py runs both commands on every case.
"""

from __future__ import annotations

import io
import random
import sys
import zipfile
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from gen import consistent_numbers, texts  # noqa: E402

from reportc.fill import fill_workbook  # noqa: E402
from reportc.spec import load_spec  # noqa: E402
from reportc.workbook import build_workbook  # noqa: E402

OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


@dataclass(frozen=True)
class Case:
    name: str
    exit_code: int
    words: tuple[str, ...]
    build_exit: int | None = None  # when build differs from check


def good_workbook(edition: str = "2021", year: int = 2025, **changes) -> bytes:
    spec = load_spec(edition)
    rng = random.Random(5)
    values = {**consistent_numbers(spec, rng), **texts(spec, rng, year=year)}
    values.update({k.replace("__", "."): v for k, v in changes.items()})
    values = {k: float(v) if isinstance(v, Decimal) else v for k, v in values.items()}
    return fill_workbook(spec, build_workbook(spec, "测试县民政局", year), values)


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
    return out


if __name__ == "__main__":
    target = Path(sys.argv[1] if len(sys.argv) > 1 else "hostile")
    for case in cases(target):
        print(f"{case.exit_code}  {case.name}  {' / '.join(case.words)}")
