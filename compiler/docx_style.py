"""The house style of report.docx (after GB/T 9704-2012), shared by the prepared base document
(docx_base.py, python-docx) and the per-report writer (render_docx.py): fonts, sizes, styles."""

from __future__ import annotations

FANGSONG = "仿宋_GB2312"
XIAOBIAOSONG = "方正小标宋简体"
HEITI = "黑体"
KAITI = "楷体_GB2312"
SONGTI = "宋体"

LINE_PITCH = 579  # twips: 225 mm text block / 22 lines
TEXT_WIDTH = 8844  # twips: 156 mm
BODY_PT, TITLE_PT, TABLE_PT, PAGE_NO_PT = 16, 22, 10.5, 14

# (style name, font, size pt, bold, alignment, outline level, first-line indent in chars)
STYLES = {
    "Normal": (FANGSONG, BODY_PT, False, "both", None, 2),
    "年报标题": (XIAOBIAOSONG, TITLE_PT, False, "center", 0, 0),
    "年报一级标题": (HEITI, BODY_PT, False, "both", 1, 2),
    "年报二级标题": (KAITI, BODY_PT, False, "both", 2, 2),
    "年报三级标题": (FANGSONG, BODY_PT, True, "both", 3, 2),
    "年报表格": (SONGTI, TABLE_PT, False, "center", None, 0),
    "年报页码": (SONGTI, PAGE_NO_PT, False, None, None, 0),
}
LEVEL_STYLE = {0: "Normal", 2: "年报二级标题", 3: "年报三级标题"}


def style_id(name: str) -> str:
    """The w:styleId python-docx gives a style it adds (its name without spaces); "Normal" is the
    template's own. A paragraph in the default style names no w:pStyle."""
    return name.replace(" ", "")


# The language of the text: Chinese (spelling, line breaking and font choice in Word and WPS); Latin
# runs such as an e-mail address stay English. python-docx's template says en-US for both.
LANGUAGE = {"w:val": "en-US", "w:eastAsia": "zh-CN", "w:bidi": "ar-SA"}
