"""report.pdf: the DOCX converted by LibreOffice headless (on request: it costs a LibreOffice start).

Every conversion gets a private, throw-away LibreOffice profile (-env:UserInstallation), so
it neither touches the user's own LibreOffice settings nor collides with a LibreOffice that
is already open, and runs under a timeout. On a PC without the official fonts the profile carries a
font replacement table (SUBSTITUTES) so that the PDF keeps serif body, sans 黑体 and Kai 楷体 headings
and a bold title in Simplified Chinese faces.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
import time
from contextlib import contextmanager
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


PREFIX = "reportc-pdf-"  # reportc's own temporary folders (the stale sweep removes only these)
MARKER = "reportc-pdf.txt"  # written first into each: its age is the folder's age
STALE_AFTER = 3600  # seconds: no conversion runs this long (TIMEOUT), so an older folder was left by a killed build


def docx_to_pdf(docx: bytes, timeout: int = TIMEOUT) -> bytes:
    """The DOCX converted to PDF in a temporary folder that holds everything LibreOffice writes
    (its profile, and its lu*.tmp files: TMPDIR/TMP/TEMP point into the folder). The folder goes on
    every exit that can be caught (an error, the timeout, Ctrl-C, SIGTERM); what a SIGKILL leaves
    is swept at the next conversion (sweep_stale)."""
    exe = find_soffice()
    if exe is None:
        raise PdfUnavailable(f"没有找到 LibreOffice，未生成 report.pdf。{INSTALL_HINT}")
    sweep_stale()
    folder = Path(tempfile.mkdtemp(prefix=PREFIX))
    try:
        (folder / MARKER).write_text("reportc 生成 PDF 时的临时文件夹，可以删除。\n", encoding="utf-8")
        with _stops_handled() as stops:
            return _convert(exe, folder, docx, timeout, stops)
    finally:
        _remove(folder)


def _convert(exe: str, folder: Path, docx: bytes, timeout: int, stops: _Stops) -> bytes:
    source = folder / "report.docx"
    source.write_bytes(docx)
    profile = folder / "profile"
    # fonts: on a PC without the official ones, the replacement table (and a bold stand-in title)
    pairs = replacements()
    if TITLE_FONT in pairs:
        source.write_bytes(bold_title(docx))
    (profile / "user").mkdir(parents=True)
    (profile / "user" / "registrymodifications.xcu").write_text(font_table(pairs), encoding="utf-8")
    scratch = folder / "tmp"
    scratch.mkdir()
    env = {**os.environ, "TMPDIR": str(scratch), "TMP": str(scratch), "TEMP": str(scratch)}
    # its own process group: on any exit the whole of LibreOffice (soffice and soffice.bin) is ended
    group = {"start_new_session": True} if os.name == "posix" else {
        "creationflags": getattr(subprocess, "CREATE_NEW_PROCESS_GROUP", 0)}
    # a stop (Ctrl-C, SIGTERM) while LibreOffice starts waits until Popen has returned it: raised inside
    # Popen, after the start, it would leave LibreOffice running with no one to end it
    stops.holding = True
    try:
        proc = subprocess.Popen(
            [exe, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore", "--nolockcheck",
             "--convert-to", "pdf:writer_pdf_Export", "--outdir", str(folder), str(source)],
            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, **group)
    except OSError as exc:
        stops.release()
        raise PdfUnavailable(f"无法启动 LibreOffice（{exe}：{exc.strerror or exc}），未生成 report.pdf。"
                             f"{INSTALL_HINT}") from None
    try:
        stops.release()  # a stop held while it started takes effect here, where LibreOffice is ended
        stdout, stderr = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        _end(proc)
        raise PdfUnavailable(f"LibreOffice 转换 PDF 超过 {timeout} 秒未完成，未生成 report.pdf。"
                             "请关闭其他 LibreOffice 窗口后重试。其他格式的文件已照常生成。") from None
    except BaseException:
        _end(proc)
        raise
    pdf = folder / "report.pdf"
    if not pdf.is_file() or not pdf.read_bytes().startswith(b"%PDF"):
        detail = (stderr or stdout or b"").decode("utf-8", "replace").strip().splitlines()
        raise PdfUnavailable("LibreOffice 未能把 report.docx 转换为 PDF"
                             f"（{detail[-1] if detail else f'退出码 {proc.returncode}'}），未生成 report.pdf。"
                             "其他格式的文件已照常生成。")
    return pdf.read_bytes()


# The fonts report.docx names, the other names the same font is installed under, and what LibreOffice
# prints in its place on a PC without it: a Simplified Chinese face of the same kind (a serif body, a
# sans 黑体, a Kai 楷体, a serif title made bold), the first candidate that is installed. Without this
# table LibreOffice falls back to any CJK face (on Debian Noto Sans CJK JP: Japanese glyph shapes, and
# headings that look like the body).
FONT_ALIASES = {
    "仿宋_GB2312": ("fangsong_gb2312",),
    "仿宋": ("fangsong",),
    "方正小标宋简体": ("fzxiaobiaosong-b05s", "方正小标宋_gbk", "fzxiaobiaosong-b05"),
    "黑体": ("simhei",),
    "楷体_GB2312": ("kaiti_gb2312",),
    "楷体": ("kaiti",),
    "宋体": ("simsun",),
}
SUBSTITUTES = {
    "仿宋_GB2312": ("仿宋", "FangSong", "Noto Serif CJK SC", "AR PL UMing CN", "宋体", "SimSun"),
    "仿宋": ("FangSong", "仿宋_GB2312", "Noto Serif CJK SC", "AR PL UMing CN", "宋体", "SimSun"),
    "方正小标宋简体": ("方正小标宋_GBK", "华文中宋", "STZhongsong", "Noto Serif CJK SC", "AR PL UMing CN", "宋体", "SimSun"),
    "黑体": ("SimHei", "Noto Sans CJK SC", "微软雅黑", "Microsoft YaHei", "WenQuanYi Zen Hei"),
    "楷体_GB2312": ("楷体", "KaiTi", "AR PL UKai CN", "华文楷体", "STKaiti"),
    "楷体": ("KaiTi", "楷体_GB2312", "AR PL UKai CN", "华文楷体", "STKaiti"),
    "宋体": ("SimSun", "Noto Serif CJK SC", "AR PL UMing CN"),
}
TITLE_FONT = "方正小标宋简体"  # a heavy face: its stand-in is printed bold


def replacements(installed: set[str] | None = None) -> dict[str, str]:
    """Official font -> the installed font printed in its place, for each official font that is missing
    (none when the installed fonts cannot be listed: nothing is replaced on a guess)."""
    installed = installed_fonts() if installed is None else installed
    if not installed:
        return {}
    pairs = {}
    for font, candidates in SUBSTITUTES.items():
        if font.casefold() in installed or any(a in installed for a in FONT_ALIASES.get(font, ())):
            continue
        target = next((c for c in candidates if c.casefold() in installed), None)
        if target is not None:
            pairs[font] = target
    return pairs


def font_table(pairs: dict[str, str]) -> str:
    """The profile's registrymodifications.xcu: LibreOffice's font replacement table (Tools > Options >
    Fonts), each pair applied always (only missing fonts have a pair)."""
    from xml.sax.saxutils import escape

    nodes = []
    for i, (font, target) in enumerate(pairs.items()):
        props = {"Always": "true", "OnScreenOnly": "false", "ReplaceFont": font, "SubstituteFont": target}
        nodes.append(f'<item oor:path="/org.openoffice.Office.Common/Font/Substitution/FontPairs">'
                     f'<node oor:name="_{i}" oor:op="replace">' + "".join(
                         f'<prop oor:name="{k}" oor:op="fuse"><value>{escape(v)}</value></prop>'
                         for k, v in props.items()) + "</node></item>\n")
    return ('<?xml version="1.0" encoding="UTF-8"?>\n'
            '<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema" '
            'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">\n'
            '<item oor:path="/org.openoffice.Office.Common/Font/Substitution"><prop oor:name="Replacement" '
            f'oor:op="fuse"><value>{"true" if pairs else "false"}</value></prop></item>\n'
            + "".join(nodes) + "</oor:items>\n")


def bold_title(docx: bytes) -> bytes:
    """The DOCX with its title style bold: for the PDF of a PC without 方正小标宋简体, whose stand-in
    (a regular serif) would otherwise look like the body. report.docx itself is not changed."""
    import io
    import zipfile

    src, out = zipfile.ZipFile(io.BytesIO(docx)), io.BytesIO()
    with src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "word/styles.xml":
                text = data.decode("utf-8")
                text = re.sub(r'(<w:style\b(?:(?!</w:style>).)*?w:eastAsia="' + TITLE_FONT + r'"(?:(?!</w:style>).)*?)'
                              r'<w:b w:val="0"/>', r"\1<w:b/>", text, count=1, flags=re.S)
                data = text.encode("utf-8")
            dst.writestr(info, data)
    return out.getvalue()


def installed_fonts() -> set[str] | None:
    """Casefolded family names of the installed fonts, or None when they cannot be listed: fontconfig's
    fc-list (Linux, and LibreOffice on it), the Fonts keys of the registry on Windows."""
    if os.name == "nt":
        return _windows_fonts()
    exe = shutil.which("fc-list")
    if exe is None:
        return None
    try:
        out = subprocess.run([exe, ":", "family"], capture_output=True, timeout=30, check=False).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    names = {name.strip().casefold() for line in out.decode("utf-8", "replace").splitlines()
             for name in line.split(",") if name.strip()}
    return names or None


def _windows_fonts() -> set[str] | None:
    """“仿宋_GB2312 (TrueType)”, “SimSun & NSimSun (TrueType)”: the value names of the Fonts keys."""
    try:
        import winreg
    except ImportError:
        return None
    names = set()
    key_path = r"SOFTWARE\Microsoft\Windows NT\CurrentVersion\Fonts"
    for root in (winreg.HKEY_LOCAL_MACHINE, winreg.HKEY_CURRENT_USER):
        try:
            with winreg.OpenKey(root, key_path) as key:
                for i in range(winreg.QueryInfoKey(key)[1]):
                    value = winreg.EnumValue(key, i)[0]
                    value = re.sub(r"\s*\([^)]*\)\s*$", "", value)
                    names.update(n.strip().casefold() for n in value.split("&") if n.strip())
        except OSError:
            continue
    return names or None


def _end(proc: subprocess.Popen) -> None:
    """End LibreOffice and every process it started, and reap it."""
    try:
        if os.name == "posix":
            import signal

            os.killpg(proc.pid, signal.SIGKILL)
        else:
            subprocess.run(["taskkill", "/F", "/T", "/PID", str(proc.pid)], capture_output=True, timeout=30,
                           check=False)
    except (OSError, subprocess.SubprocessError):
        pass
    try:
        proc.kill()
        proc.communicate(timeout=30)
    except (OSError, subprocess.SubprocessError):
        pass


class _Stops:
    """What a stop signal does while LibreOffice runs: SIGTERM and SIGHUP (batch ending a worker, a closed
    terminal) raise SystemExit, so that the finally clauses end LibreOffice and remove the folder (by
    default they end Python at once); Ctrl-C raises KeyboardInterrupt as always. While `holding` (LibreOffice
    being started) a stop is kept, and release() raises it."""

    def __init__(self) -> None:
        self.holding = False
        self.pending: int | None = None

    def handler(self, number, frame) -> None:
        if self.holding:
            if self.pending is None:
                self.pending = number
            return
        _raise_for(number)

    def release(self) -> None:
        self.holding = False
        number, self.pending = self.pending, None
        if number is not None:
            _raise_for(number)


def _raise_for(number: int):
    import signal

    if number == signal.SIGINT:
        raise KeyboardInterrupt
    raise SystemExit(128 + number)


@contextmanager
def _stops_handled():
    """_Stops' handler for SIGINT (where Python's own handler is set), SIGTERM and SIGHUP (where none is
    set; POSIX), in the main thread only; the previous handlers are back afterwards."""
    import signal
    import threading

    stops = _Stops()
    previous = {}
    if threading.current_thread() is threading.main_thread():
        if signal.getsignal(signal.SIGINT) is signal.default_int_handler:
            previous[signal.SIGINT] = signal.signal(signal.SIGINT, stops.handler)
        for name in ("SIGTERM", "SIGHUP") if os.name == "posix" else ():
            number = getattr(signal, name)
            if signal.getsignal(number) is signal.SIG_DFL:
                previous[number] = signal.signal(number, stops.handler)
    try:
        yield stops
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)


def _remove(folder: Path) -> None:
    """Remove a temporary folder; on Windows a file LibreOffice just closed may still be locked: retry."""
    for attempt in range(5):
        shutil.rmtree(folder, ignore_errors=True)
        if not folder.exists():
            return
        time.sleep(0.2 * (attempt + 1))


def sweep_stale(root: Path | None = None, now: float | None = None) -> list[Path]:
    """Remove reportc's PDF folders that a killed build left in the temp folder: only folders named
    PREFIX… that hold reportc's MARKER older than STALE_AFTER (a running conversion's folder is young;
    nothing else is touched). Returns the folders removed."""
    root = Path(root or tempfile.gettempdir())
    now = time.time() if now is None else now
    removed = []
    try:
        entries = list(os.scandir(root))
    except OSError:
        return removed
    for entry in entries:
        try:
            if not entry.name.startswith(PREFIX) or not entry.is_dir(follow_symlinks=False):
                continue
            marker = Path(entry.path) / MARKER
            if now - marker.lstat().st_mtime < STALE_AFTER:
                continue
        except OSError:  # no marker (not ours), or another user's folder
            continue
        _remove(Path(entry.path))
        removed.append(Path(entry.path))
    return removed


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


def font_note(pdf: bytes, pairs: dict[str, str] | None = None) -> str:
    """A note when LibreOffice had to substitute the official fonts (a PC without 仿宋_GB2312 or
    方正小标宋简体 prints the PDF in another typeface), or "" when they are embedded."""
    fonts = embedded_fonts(pdf)
    folded = [f.casefold() for f in fonts]
    missing = [name for name, aliases in OFFICIAL_FONTS.items()
               if not any(a.casefold() in f for f in folded for a in aliases)]
    if not missing:
        return ""
    pairs = replacements() if pairs is None else pairs  # the stand-ins the conversion used (font_table)
    named = [f"{pairs[name]}（代替{name}）" for name in missing if name in pairs]
    used = "、".join(named) or "、".join(fonts[:3]) or "其他字体"
    return (f"提醒：本机没有公文字体“{'”“'.join(missing)}”，report.pdf 中改用了 {used}，版式与正式公文不同。"
            "正式印发的 PDF 请在装有这些字体的电脑上生成，或在 Word/WPS 中打开 report.docx 另存为 PDF。")
