"""report.pdf: the DOCX converted by LibreOffice headless (on request: it costs a LibreOffice start).

Every conversion gets a private, throw-away LibreOffice profile (-env:UserInstallation), so
it neither touches the user's own LibreOffice settings nor collides with a LibreOffice that
is already open, and runs under a timeout.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

TIMEOUT = 180  # seconds; a first start on a slow office PC takes well under a minute

INSTALL_HINT = ("生成 PDF 需要 LibreOffice（免费软件，https://zh-cn.libreoffice.org/ 下载安装；"
                "Debian/Ubuntu：sudo apt install libreoffice-writer）。其他格式的文件已照常生成。")


class PdfUnavailable(Exception):
    """The PDF could not be made; the message is Chinese and user-facing."""


def find_soffice() -> str | None:
    """LibreOffice's soffice: REPORTC_SOFFICE, then PATH, then the usual Windows and macOS places."""
    override = os.environ.get("REPORTC_SOFFICE")
    if override:
        return override if Path(override).is_file() else None
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return found
    candidates = []
    for var in ("ProgramFiles", "ProgramFiles(x86)", "ProgramW6432"):
        base = os.environ.get(var)
        if base:
            candidates.append(Path(base) / "LibreOffice" / "program" / "soffice.exe")
    candidates.append(Path("/Applications/LibreOffice.app/Contents/MacOS/soffice"))
    return next((str(p) for p in candidates if p.is_file()), None)


def docx_to_pdf(docx: bytes, timeout: int = TIMEOUT) -> bytes:
    exe = find_soffice()
    if exe is None:
        raise PdfUnavailable(f"没有找到 LibreOffice，未生成 report.pdf。{INSTALL_HINT}")
    with tempfile.TemporaryDirectory(prefix="reportc-pdf-") as tmp:
        folder = Path(tmp)
        source = folder / "report.docx"
        source.write_bytes(docx)
        profile = folder / "profile"
        try:
            proc = subprocess.run(
                [exe, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore", "--nolockcheck",
                 "--convert-to", "pdf:writer_pdf_Export", "--outdir", str(folder), str(source)],
                capture_output=True, timeout=timeout, check=False,
                stdin=subprocess.DEVNULL,
            )
        except subprocess.TimeoutExpired:
            raise PdfUnavailable(f"LibreOffice 转换 PDF 超过 {timeout} 秒未完成，未生成 report.pdf。"
                                 "请关闭其他 LibreOffice 窗口后重试。其他格式的文件已照常生成。") from None
        except OSError as exc:
            raise PdfUnavailable(f"无法启动 LibreOffice（{exe}：{exc.strerror or exc}），未生成 report.pdf。"
                                 f"{INSTALL_HINT}") from None
        pdf = folder / "report.pdf"
        if not pdf.is_file() or not pdf.read_bytes().startswith(b"%PDF"):
            detail = (proc.stderr or proc.stdout or b"").decode("utf-8", "replace").strip().splitlines()
            raise PdfUnavailable("LibreOffice 未能把 report.docx 转换为 PDF"
                                 f"（{detail[-1] if detail else f'退出码 {proc.returncode}'}），未生成 report.pdf。"
                                 "其他格式的文件已照常生成。")
        return pdf.read_bytes()


# The official fonts the DOCX names (render_docx), and the names a PDF may embed them under.
OFFICIAL_FONTS = {
    "仿宋_GB2312": ("仿宋", "fangsong", "simfang"),
    "方正小标宋简体": ("小标宋", "xiaobiaosong", "fzxbs"),
}
_BASE_FONT = re.compile(rb"/(?:BaseFont|FontName)\s*/([^\s/\[\]<>()]+)")


def embedded_fonts(pdf: bytes) -> list[str]:
    """Font names embedded in a PDF, #XX escapes decoded (“AAAAAA+仿宋_GB2312”)."""
    names = set()
    for raw in _BASE_FONT.findall(pdf):
        decoded = re.sub(rb"#([0-9A-Fa-f]{2})", lambda m: bytes([int(m.group(1), 16)]), raw)
        names.add(decoded.decode("utf-8", "replace").split("+", 1)[-1])
    return sorted(names)


def font_note(pdf: bytes) -> str:
    """A note when LibreOffice had to substitute the official fonts (a PC without 仿宋_GB2312 or
    方正小标宋简体 prints the PDF in another typeface), or "" when they are embedded."""
    fonts = embedded_fonts(pdf)
    folded = [f.casefold() for f in fonts]
    missing = [name for name, aliases in OFFICIAL_FONTS.items()
               if not any(a.casefold() in f for f in folded for a in aliases)]
    if not missing:
        return ""
    used = "、".join(fonts[:3]) or "其他字体"
    return (f"提醒：本机没有公文字体“{'”“'.join(missing)}”，report.pdf 中改用了 {used}，版式与正式公文不同。"
            "正式印发的 PDF 请在装有这些字体的电脑上生成，或在 Word/WPS 中打开 report.docx 另存为 PDF。")
