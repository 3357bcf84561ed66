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
        with _termination_as_exit():
            return _convert(exe, folder, docx, timeout)
    finally:
        _remove(folder)


def _convert(exe: str, folder: Path, docx: bytes, timeout: int) -> bytes:
    source = folder / "report.docx"
    source.write_bytes(docx)
    profile = folder / "profile"
    scratch = folder / "tmp"
    scratch.mkdir()
    env = {**os.environ, "TMPDIR": str(scratch), "TMP": str(scratch), "TEMP": str(scratch)}
    # its own process group: on any exit the whole of LibreOffice (soffice and soffice.bin) is ended
    group = {"start_new_session": True} if os.name == "posix" else {
        "creationflags": getattr(subprocess, "CREATE_NEW_PROCESS_GROUP", 0)}
    try:
        proc = subprocess.Popen(
            [exe, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore", "--nolockcheck",
             "--convert-to", "pdf:writer_pdf_Export", "--outdir", str(folder), str(source)],
            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, **group)
    except OSError as exc:
        raise PdfUnavailable(f"无法启动 LibreOffice（{exe}：{exc.strerror or exc}），未生成 report.pdf。"
                             f"{INSTALL_HINT}") from None
    try:
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


@contextmanager
def _termination_as_exit():
    """SIGTERM and SIGHUP (batch ending a worker, a closed terminal) raise SystemExit while LibreOffice
    runs, so that the finally clauses end it and remove the folder; by default they end Python at once.
    Only in the main thread, and only where no one else has set a handler."""
    import signal
    import threading

    names = [n for n in ("SIGTERM", "SIGHUP") if hasattr(signal, n)] if os.name == "posix" else []
    if threading.current_thread() is not threading.main_thread():
        names = []
    previous = {}
    for name in names:
        number = getattr(signal, name)
        if signal.getsignal(number) is signal.SIG_DFL:
            previous[number] = signal.signal(number, _exit_on_signal)
    try:
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)


def _exit_on_signal(number, frame):
    raise SystemExit(128 + number)


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
