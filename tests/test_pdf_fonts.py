"""report.pdf on a PC without the official fonts: LibreOffice's throw-away profile carries a font
replacement table, so the PDF keeps the house style's distinctions with Simplified Chinese faces
(a serif body, a sans 黑体 heading, a Kai 楷体 heading, a bold serif title) instead of falling back to
one Japanese sans face for everything. Fonts that are installed are never replaced."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from xml.etree import ElementTree

import pytest

from reportc import build
from reportc.render_pdf import bold_title, find_soffice, font_table, installed_fonts, replacements

ROOT = Path(__file__).resolve().parents[1]
OOR = "{http://openoffice.org/2001/registry}"
DEBIAN = {"noto serif cjk sc", "noto sans cjk sc", "noto serif cjk jp", "ar pl ukai cn", "dejavu sans"}


def test_each_missing_official_font_gets_a_chinese_face_of_its_kind():
    pairs = replacements(DEBIAN)
    assert pairs["仿宋_GB2312"] == pairs["仿宋"] == "Noto Serif CJK SC"
    assert pairs["方正小标宋简体"] == "Noto Serif CJK SC"  # printed bold (bold_title)
    assert pairs["黑体"] == "Noto Sans CJK SC"
    assert pairs["楷体_GB2312"] == pairs["楷体"] == "AR PL UKai CN"
    # without a Kai face, 楷体 is left to LibreOffice rather than given a face of another kind
    assert "楷体" not in replacements(DEBIAN - {"ar pl ukai cn"})


def test_installed_official_fonts_are_never_replaced():
    windows = {"仿宋_gb2312", "simsun", "nsimsun", "simhei", "kaiti", "fangsong", "microsoft yahei"}
    pairs = replacements(windows)
    assert "仿宋_GB2312" not in pairs and "黑体" not in pairs and "楷体" not in pairs and "宋体" not in pairs
    assert pairs["方正小标宋简体"] == "宋体" or pairs["方正小标宋简体"] == "SimSun"
    assert pairs["楷体_GB2312"] in ("楷体", "KaiTi")
    everything = {f.casefold() for f in ("仿宋_GB2312", "仿宋", "方正小标宋简体", "黑体", "楷体_GB2312", "楷体", "宋体")}
    assert replacements(everything) == {}
    assert replacements(set()) == {}  # the fonts cannot be listed: nothing replaced on a guess


def test_the_table_is_libreoffice_configuration():
    pairs = {"仿宋_GB2312": "Noto Serif CJK SC", "黑体": "Noto Sans CJK SC"}
    root = ElementTree.fromstring(font_table(pairs).encode("utf-8"))
    items = root.findall("item")
    assert items[0].get(OOR + "path") == "/org.openoffice.Office.Common/Font/Substitution"
    assert items[0].find("prop").get(OOR + "name") == "Replacement" and items[0].find("prop/value").text == "true"
    found = {}
    for item in items[1:]:
        assert item.get(OOR + "path") == "/org.openoffice.Office.Common/Font/Substitution/FontPairs"
        props = {p.get(OOR + "name"): p.find("value").text for p in item.find("node").findall("prop")}
        assert props["Always"] == "true" and props["OnScreenOnly"] == "false"
        found[props["ReplaceFont"]] = props["SubstituteFont"]
    assert found == pairs


def test_the_pdf_copy_has_a_bold_title_and_report_docx_does_not(tmp_path):
    import zipfile

    build(ROOT / "examples" / "qingshan-minzheng-2025.xlsx", tmp_path / "out", formats=("docx",))
    docx = (tmp_path / "out" / "report.docx").read_bytes()
    copy = tmp_path / "copy.docx"
    copy.write_bytes(bold_title(docx))
    from docx import Document

    original, bolded = Document(str(tmp_path / "out" / "report.docx")), Document(str(copy))
    assert original.styles["年报标题"].font.bold is False
    assert bolded.styles["年报标题"].font.bold is True
    for name in ("Normal", "年报一级标题", "年报二级标题", "年报三级标题"):
        assert bolded.styles[name].font.bold == original.styles[name].font.bold, name
    with zipfile.ZipFile(copy) as z:
        assert sorted(z.namelist()) == sorted(zipfile.ZipFile(tmp_path / "out" / "report.docx").namelist())


def _pdf_fonts(pdf: Path) -> list[str]:
    out = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True, timeout=60).stdout
    return [line.split()[0].split("+", 1)[-1] for line in out.splitlines()[2:] if line.strip()]


@pytest.mark.libreoffice
@pytest.mark.skipif(find_soffice() is None or shutil.which("pdffonts") is None,
                    reason="needs LibreOffice and poppler-utils (.ci/run installs them)")
@pytest.mark.skipif(not {"noto serif cjk sc", "noto sans cjk sc"} <= (installed_fonts() or set()),
                    reason="needs fonts-noto-cjk (.ci/run installs it)")
def test_pdf_without_the_official_fonts_keeps_serif_body_sans_headings_and_bold_title(tmp_path):
    if not replacements():
        pytest.skip("the official fonts are installed here")
    build(ROOT / "examples" / "qingshan-minzheng-2025.xlsx", tmp_path / "out", formats=("pdf",))
    fonts = _pdf_fonts(tmp_path / "out" / "report.pdf")
    # pdffonts names every Noto CJK face by the collection's shared CFF name (…CJKjp-…): judge the family
    serif = [f for f in fonts if f.startswith("NotoSerifCJK")]
    sans = [f for f in fonts if f.startswith("NotoSansCJK")]
    assert any("-Regular" in f for f in serif), fonts  # the body (仿宋_GB2312) and tables (宋体)
    assert any("-Bold" in f for f in serif), fonts  # the title (方正小标宋简体)
    assert sans and all("-Bold" not in f for f in sans), fonts  # 黑体 headings, not bold
    if "ar pl ukai cn" in (installed_fonts() or set()):
        assert any("UKai" in f for f in fonts), fonts  # 楷体 headings
