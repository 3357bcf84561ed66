"""report.docx declares its text Chinese (w:eastAsia="zh-CN"): Word and WPS then break lines, check
spelling and pick fonts as for Chinese. python-docx's template says en-US."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

from reportc import build

ROOT = Path(__file__).resolve().parents[1]


def test_docx_declares_chinese_in_every_language_setting(tmp_path):
    build(ROOT / "examples" / "qingshan-minzheng-2025.xlsx", tmp_path / "out", formats=("docx",))
    with zipfile.ZipFile(tmp_path / "out" / "report.docx") as z:
        parts = {name: z.read(name).decode("utf-8") for name in z.namelist() if name.endswith(".xml")}
    langs = [(name, tag) for name, xml in parts.items() for tag in re.findall(r"<w:lang\b[^>]*>", xml)]
    assert langs, "no w:lang in report.docx"
    defaults = re.search(r"<w:docDefaults>.*?</w:docDefaults>", parts["word/styles.xml"], re.S).group(0)
    assert 'w:eastAsia="zh-CN"' in defaults
    wrong = [(name, tag) for name, tag in langs if 'w:eastAsia="zh-CN"' not in tag]
    assert not wrong, wrong
