"""File output that is never half-done, never escapes its folder, and says in Chinese why it failed.

- `safe_component` turns text taken from a workbook (机关名称, 年度, a file name) into one
  harmless folder name on every system.
- `write_set` publishes a folder of outputs as one set: everything is written into a
  fresh hidden sibling folder, then swapped in with renames; a build killed at any
  moment leaves either the previous set or the new one (see docs/threat-model.md).
- `atomic_write_bytes` / `write_files` replace single files by rename.
- `output_error` turns an OSError into a message a clerk can act on (exit code 2).
"""

from __future__ import annotations

import errno
import os
import re
import secrets
import shutil
import tempfile
import unicodedata
from pathlib import Path

from .errors import CannotCheck, UsageProblem

UNSAFE_CHARS = '\\/:*?"<>|'
WINDOWS_RESERVED = {"CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$",
                    *(f"COM{i}" for i in "123456789¹²³"), *(f"LPT{i}" for i in "123456789¹²³")}
MAX_COMPONENT_BYTES = 120  # of 255 allowed per name: room for suffixes, and for Windows' 260-character paths
TEMP_MARK = ".reportc-"  # hidden temporary files and folders start with "." and contain this
OUTPUT_PATTERN = re.compile(r"^(report|validation)[A-Za-z0-9_-]*\.[A-Za-z0-9]+$")  # what a build folder may hold (report.html, report-fragment.html, …)


def safe_component(text, fallback: str = "") -> str:
    """One folder or file name made from untrusted text: no separators, no control or
    invisible characters, no leading/trailing dots or spaces, not a Windows device name,
    at most MAX_COMPONENT_BYTES bytes of UTF-8. Empty text gives the fallback."""
    from .values import CONTROL

    text = unicodedata.normalize("NFC", str(text or ""))
    text = CONTROL.sub("", text)
    text = "".join("_" if ch in UNSAFE_CHARS or ord(ch) < 32 else ch for ch in text)
    text = " ".join(text.split()).strip(" .")
    if text.split(".")[0].rstrip(" ").upper() in WINDOWS_RESERVED:
        text = "_" + text
    raw = text.encode("utf-8")
    if len(raw) > MAX_COMPONENT_BYTES:
        text = raw[:MAX_COMPONENT_BYTES].decode("utf-8", "ignore").rstrip(" .")
    return text or fallback


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _write(path: Path, data: bytes) -> None:
    with open(path, "wb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())


def _hide(path: Path) -> None:
    """Temporary folders start with "."; on Windows they are also given the hidden attribute."""
    if os.name == "nt":
        try:
            import ctypes

            ctypes.windll.kernel32.SetFileAttributesW(str(path), 0x2)
        except (AttributeError, OSError):
            pass


def _sync_dir(folder: Path) -> None:
    if os.name == "nt":
        return
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _temp_prefix(target: Path) -> str:
    return f".{target.name}{TEMP_MARK}"


def recover(target: Path) -> None:
    """Finish what a killed run left beside target: if it died between its two renames (the
    previous set moved aside, the new one not yet in place), put the previous set back;
    then remove every temporary folder of this target."""
    target = Path(target)
    parent = target.parent
    if not parent.is_dir():
        return
    prefix = _temp_prefix(target)
    leftovers = sorted(p for p in parent.iterdir() if p.name.startswith(prefix))
    if not target.exists():
        old = [p for p in leftovers if p.name.startswith(prefix + "old-")]
        if old:
            os.replace(old[0], target)
            leftovers.remove(old[0])
    for p in leftovers:
        shutil.rmtree(p, ignore_errors=True) if p.is_dir() else p.unlink(missing_ok=True)


def sweep(folder: Path) -> None:
    """Remove the hidden temporary files and folders a killed run left directly in folder
    (for a folder whose sub-folders are output sets, such as batch's output root)."""
    folder = Path(folder)
    if not folder.is_dir():
        return
    for p in folder.iterdir():
        if p.name.startswith(".") and TEMP_MARK in p.name:
            shutil.rmtree(p, ignore_errors=True) if p.is_dir() else p.unlink(missing_ok=True)


def foreign_entries(target: Path) -> list[str]:
    """Names in an existing output folder that a build did not write."""
    if not Path(target).is_dir():
        return []
    return sorted(p.name for p in Path(target).iterdir() if not OUTPUT_PATTERN.match(p.name))


def write_set(target: Path, files: dict[str, bytes]) -> list[Path]:
    """Replace the folder target by exactly `files`, as one set.

    The files are written and synced into a new hidden sibling folder; then the previous
    folder (if any) is renamed aside, the new one renamed into place, and the previous one
    deleted. A folder holding anything a build did not write is refused, never deleted."""
    target = Path(target)
    parent = target.parent
    parent.mkdir(parents=True, exist_ok=True)
    recover(target)
    if target.exists() and not target.is_dir():
        raise UsageProblem(f"输出位置不是文件夹：{target}")
    foreign = foreign_entries(target)
    if foreign:
        raise UsageProblem(
            f"输出文件夹“{target}”中有不是 reportc 生成的内容（{'、'.join(foreign[:5])}{'等' if len(foreign) > 5 else ''}），"
            "reportc 每次生成时会整体替换这个文件夹，为免删除这些内容，已停止。\n"
            "请用 -o 指定一个新的或专用的输出文件夹。"
        )
    prefix = _temp_prefix(target)
    new = Path(tempfile.mkdtemp(prefix=prefix + "new-", dir=parent))
    _hide(new)
    try:
        for name, data in files.items():
            _write(new / name, data)
            os.chmod(new / name, 0o666 & ~_umask())
        os.chmod(new, 0o777 & ~_umask())
    except BaseException:
        shutil.rmtree(new, ignore_errors=True)
        raise
    if target.exists():
        old = parent / f"{prefix}old-{secrets.token_hex(4)}"
        try:
            os.replace(target, old)
        except BaseException:
            shutil.rmtree(new, ignore_errors=True)
            raise
        try:
            os.replace(new, target)
        except BaseException:
            os.replace(old, target)
            shutil.rmtree(new, ignore_errors=True)
            raise
        shutil.rmtree(old, ignore_errors=True)
    else:
        try:
            os.replace(new, target)
        except BaseException:
            shutil.rmtree(new, ignore_errors=True)
            raise
    _sync_dir(parent)
    return [target / name for name in files]


def atomic_write_bytes(path: Path, data: bytes) -> None:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=TEMP_MARK, suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o666 & ~_umask())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_files(folder: Path, files: dict[str, bytes]) -> list[Path]:
    """Write several files so that none is half-written: every file goes to a temporary
    name first; only when all are on disk are they renamed into place."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    temps: list[tuple[str, Path]] = []
    try:
        for name, data in files.items():
            fd, tmp = tempfile.mkstemp(prefix=TEMP_MARK, suffix=".tmp", dir=folder)
            temps.append((name, Path(tmp)))
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())
            os.chmod(tmp, 0o666 & ~_umask())
        written = []
        for name, tmp in temps:
            os.replace(tmp, folder / name)
            written.append(folder / name)
    except BaseException:
        for _, tmp in temps:
            tmp.unlink(missing_ok=True)
        raise
    return written


def output_error(exc: OSError, where: Path) -> CannotCheck:
    """A Chinese message for a failed write: which folder, what happened, what to do."""
    code = exc.errno
    winerror = getattr(exc, "winerror", None)
    if winerror in (32, 33):  # ERROR_SHARING_VIOLATION, ERROR_LOCK_VIOLATION
        return CannotCheck(f"无法写入“{where}”：其中的文件正被其他程序打开。",
                           "请关闭打开这些文件的程序（如 Word、浏览器）后再试。")
    if code in (errno.EACCES, errno.EPERM, errno.EROFS):
        return CannotCheck(f"无法写入“{where}”：没有写入权限，或磁盘是只读的（也可能其中的文件正被其他程序打开）。",
                           "请关闭打开这些文件的程序，或用 -o 指定一个有写入权限的文件夹。")
    if code in (errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)):
        return CannotCheck(f"无法写入“{where}”：磁盘空间不足，未生成任何文件。",
                           "请清理磁盘空间，或用 -o 指定其他磁盘上的文件夹后再试。")
    if code == errno.ENAMETOOLONG or winerror in (206,):
        return CannotCheck(f"无法写入“{where}”：文件夹名称或路径太长。", "请用 -o 指定一个较短的输出路径。")
    if code in (errno.ENOTDIR, errno.EEXIST):
        return CannotCheck(f"无法写入“{where}”：路径中有一部分是文件，不是文件夹。", "请用 -o 指定一个文件夹。")
    if code == errno.ENOENT:
        return CannotCheck(f"无法写入“{where}”：找不到所在的文件夹或磁盘。", "请检查路径，或用 -o 指定一个存在的文件夹。")
    return CannotCheck(f"无法写入“{where}”（系统错误代码 {code if code is not None else winerror}）。",
                       "请检查磁盘和文件夹是否可用，或用 -o 指定其他文件夹后再试。")
