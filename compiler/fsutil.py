"""File output that is never half-done, never escapes its folder, and says in Chinese why it failed.

- `safe_component` turns text taken from a workbook (机关名称, 年度, a file name) into one
  harmless folder name on every system.
- `write_set` publishes a set of outputs and its manifest.json into a folder that may hold the
  user's own files: only files the previous manifest lists (and that are unchanged) are replaced
  or removed; a journal lets the next run finish or undo a killed one, so the folder holds the
  previous set or the new one (see docs/threat-model.md).
- `refuse_inputs_inside` refuses an output folder that holds an input.
- `atomic_write_bytes` replaces a single file by rename.
- `output_error` turns an OSError into a message a clerk can act on (exit code 2).
"""

from __future__ import annotations

import errno
import os
import re
import tempfile
import unicodedata
from pathlib import Path

from .errors import CannotCheck, UsageProblem
from .record import field, record

UNSAFE_CHARS = '\\/:*?"<>|'
WINDOWS_RESERVED = {"CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$",
                    *(f"COM{i}" for i in "123456789¹²³"), *(f"LPT{i}" for i in "123456789¹²³")}
MAX_COMPONENT_BYTES = 120  # of 255 allowed per name: room for suffixes, and for Windows' 260-character paths
TEMP_MARK = ".reportc-"  # hidden temporary files and folders start with "." and contain this


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
    with open(path, "xb") as fh:  # a new name: never a file that is there already
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


# --- publishing a set of files into a folder that may hold the user's own files -----------------
#
# reportc replaces or removes in a folder only what the folder's manifest.json lists and what is still
# as reportc wrote it; nothing is found by a name pattern. A set is published with a journal:
#   1. `.reportc-journal.json` is created (exclusively, and locked while this run works) and lists the
#      temporary names this run will make: `.NAME.reportc-new-TOKEN` for each new file and
#      `.NAME.reportc-old-TOKEN` for each file of the previous set that is replaced or removed;
#   2. every new file, the new manifest.json too, is written and synced under its temporary name;
#   3. `.reportc-journal.commit` is created: the commit point;
#   4. each previous file is renamed aside, each new file renamed into place, manifest.json last;
#   5. the set-aside files, the commit mark and the journal are deleted.
# A run killed before 3 is rolled back at the next start (its temporary files deleted); one killed
# after 3 is rolled forward. Either way the folder then holds the previous set or the new one, and
# recovery deletes only the names the journal lists, after checking that each is a name of this form.

JOURNAL = ".reportc-journal.json"
COMMIT = ".reportc-journal.commit"
_JOURNAL_HEAD = b'{"journal": "reportc"'
_TOKEN = re.compile(r"[0-9a-f]{16}")


@record
class Published:
    written: list[Path]  # every file now in place, manifest.json last
    kept: list[str] = field(default_factory=list)  # files of the previous set left in place: changed since


def _temp_name(name: str, kind: str, token: str) -> str:
    return f".{name}{TEMP_MARK}{kind}-{token}"


def _key(name: str) -> str:
    """File names as the system compares them (Windows: without case)."""
    return name.casefold() if os.name == "nt" else name


def _lock(fd: int) -> bool:
    """An exclusive lock on the journal while a run works; the system drops it when the process dies."""
    try:
        if os.name == "nt":
            import msvcrt

            os.lseek(fd, 0, os.SEEK_SET)
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        else:
            import fcntl

            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except (OSError, ImportError):
        return False
    return True


def _busy(target: Path) -> UsageProblem:
    return UsageProblem(f"另一个 reportc 正在向“{target}”写入文件。", "请等它结束后再运行。")


def _open_journal(target: Path) -> int:
    """Create and lock this run's journal, after recovering what a killed run left."""
    path = target / JOURNAL
    for _ in range(3):
        try:
            fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o666)
        except FileExistsError:
            _recover_existing(target)
            continue
        if not _lock(fd):
            os.close(fd)
            raise _busy(target)
        _hide(path)
        (target / COMMIT).unlink(missing_ok=True)  # a commit mark without its journal commits nothing
        return fd
    raise _busy(target)


def _close_journal(fd: int, target: Path, keep: bool = False) -> None:
    os.close(fd)
    if not keep:
        (target / JOURNAL).unlink(missing_ok=True)


class _UndoFailed(OSError):
    """Putting the previous set back failed too: the journal is kept, and the next run finishes the new set."""


def _read_journal(raw: bytes, target: Path) -> dict | None:
    """The journal's plan; None when it was never written (a run killed before writing anything)."""
    import json

    if not raw.strip():
        return None
    try:
        plan = json.loads(raw.decode("utf-8"))
    except ValueError:
        if raw.startswith(_JOURNAL_HEAD[: len(raw)]) or raw.startswith(_JOURNAL_HEAD):
            return None  # written in part: nothing was made before the journal was complete on disk
        plan = None
    if not _valid_journal(plan):
        raise UsageProblem(f"“{target / JOURNAL}”不是 reportc 的记录文件，reportc 不会改动它。",
                           "请把它移走，或用 -o 指定其他文件夹。")
    return plan


def _valid_journal(plan) -> bool:
    """Every name in it is one this module makes: `.NAME.reportc-KIND-TOKEN` for a plain NAME."""
    from .manifest import MANIFEST, is_plain_name

    if not isinstance(plan, dict) or plan.get("journal") != "reportc":
        return False
    token = plan.get("token")
    if not (isinstance(token, str) and _TOKEN.fullmatch(token)):
        return False
    for kind in ("new", "old"):
        names = plan.get(kind)
        if not isinstance(names, dict):
            return False
        for name, temp in names.items():
            if not ((is_plain_name(name) or name == MANIFEST) and temp == _temp_name(name, kind, token)):
                return False
    return True


def _recover_existing(target: Path) -> None:
    """Finish or undo the run whose journal is in target (unless that run is still working)."""
    path = target / JOURNAL
    try:
        fd = os.open(path, os.O_RDWR | getattr(os, "O_BINARY", 0))
    except FileNotFoundError:
        return
    try:
        if not _lock(fd):
            raise _busy(target)
        os.lseek(fd, 0, os.SEEK_SET)
        raw = b""
        while chunk := os.read(fd, 65536):
            raw += chunk
            if len(raw) > 1 << 20:
                break
        plan = _read_journal(raw, target)
        if plan is not None:
            if (target / COMMIT).exists():
                _forward(target, plan, undo=False)
            else:
                _roll_back(target, plan)
        (target / COMMIT).unlink(missing_ok=True)
    finally:
        os.close(fd)
    path.unlink(missing_ok=True)


def recover(target: Path) -> None:
    """What the next run into target does first: finish (after the commit point) or undo (before it)
    a run that was killed while writing there. Deletes only the temporary names its journal lists."""
    target = Path(target)
    if (target / JOURNAL).exists():
        _recover_existing(target)


def pending(target: Path) -> bool:
    """A run into target was interrupted and not recovered yet (or is working now)."""
    return (Path(target) / JOURNAL).exists()


def _roll_back(target: Path, plan: dict) -> None:
    for name, temp in plan["old"].items():  # nothing is set aside before the commit point; be sure
        if os.path.lexists(target / temp) and not os.path.lexists(target / name):
            os.replace(target / temp, target / name)
    for temp in plan["new"].values():
        (target / temp).unlink(missing_ok=True)


def _forward(target: Path, plan: dict, undo: bool) -> None:
    """Put the new set in place: each previous file aside, each new one in, manifest.json last; then
    delete what was set aside. With `undo` (this run, not a recovery) a failure puts everything back."""
    from .manifest import MANIFEST

    new, old = plan["new"], plan["old"]
    order = [*(n for n in new if n != MANIFEST), *(n for n in old if n not in new), *([MANIFEST] if MANIFEST in new else [])]
    done: list[tuple[str, str]] = []
    try:
        for name in order:
            if name in new and not os.path.lexists(target / new[name]):
                continue  # already in place: a recovery after a run killed once this file was in
            aside = old.get(name)
            if aside and os.path.lexists(target / name) and not os.path.lexists(target / aside):
                os.replace(target / name, target / aside)
                done.append((name, aside))
            if name in new and os.path.lexists(target / new[name]):
                os.replace(target / new[name], target / name)
                done.append((new[name], name))
    except BaseException as exc:
        if not undo:
            raise
        try:
            for source, moved in reversed(done):
                os.replace(target / moved, target / source)
            for temp in new.values():
                (target / temp).unlink(missing_ok=True)
        except OSError as again:
            raise _UndoFailed(again.errno, str(again)) from exc
        (target / COMMIT).unlink(missing_ok=True)
        raise
    _sync_dir(target)
    for aside in old.values():
        (target / aside).unlink(missing_ok=True)


def _make_dirs(target: Path) -> list[Path]:
    """Create target and its missing parents; return those created (removed again if nothing is written)."""
    missing = []
    p = target
    while not p.exists() and p != p.parent:
        missing.append(p)
        p = p.parent
    for d in reversed(missing):
        d.mkdir(exist_ok=True)
    return missing


def write_set(target: Path, files: dict[str, bytes], record: dict, overwrite: bool = True,
              same_owner=None) -> Published:
    """Publish `files` and their manifest `record` (manifest.make) into the folder target as one set.

    Replaced or removed are only files the previous manifest lists and that are unchanged since; a
    previous file that this set does not write and that was changed since is kept (Published.kept).
    Refused (UsageProblem, nothing written): a file in the way that is not listed, or listed but changed
    since; a manifest.json that is not reportc's; the previous set of another owner (same_owner(old)
    false) unless `overwrite`. Files the manifest does not list are never touched."""
    from .manifest import MANIFEST, NotAManifest, dumps

    target = Path(target)
    if target.exists() and not target.is_dir():
        raise UsageProblem(f"输出位置不是文件夹：{target}")
    made = _make_dirs(target)
    keep = False
    try:
        fd = _open_journal(target)
        try:
            try:
                from .manifest import read

                old = read(target)
            except NotAManifest as exc:
                raise UsageProblem(f"{exc.message}reportc 不会替换它，因此无法在这里生成。",
                                   "请把它移走或改名，或用 -o 指定其他文件夹。") from None
            replace, stale, kept = _plan(target, files, old, overwrite, same_owner)
            data = {**files, MANIFEST: dumps(record)}
            token = os.urandom(8).hex()  # secrets.token_hex's bytes, without loading hmac and OpenSSL
            plan = {"journal": "reportc", "token": token,
                    "new": {n: _temp_name(n, "new", token) for n in data},
                    "old": {n: _temp_name(n, "old", token) for n in [*replace, *stale]}}
            import json

            raw = memoryview(json.dumps(plan, ensure_ascii=False).encode("utf-8"))
            while raw:
                raw = raw[os.write(fd, raw):]
            os.fsync(fd)
            _sync_dir(target)
            try:
                for name, payload in data.items():
                    _write(target / plan["new"][name], payload)  # not hidden on Windows: the attribute would stay after the rename
                _sync_dir(target)
                _write(target / COMMIT, token.encode("ascii"))
                _sync_dir(target)
            except BaseException:
                (target / COMMIT).unlink(missing_ok=True)
                _roll_back(target, plan)
                raise
            try:
                _forward(target, plan, undo=True)
            except _UndoFailed:
                keep = True  # the journal and the commit mark stay: the next run finishes this one
                raise
            (target / COMMIT).unlink(missing_ok=True)
        finally:
            _close_journal(fd, target, keep)
    except BaseException:
        for d in made:  # folders this run created and left empty
            try:
                d.rmdir()
            except OSError:
                break
        raise
    _sync_dir(target)
    return Published([target / n for n in data], kept)


def check_set(target: Path, names, overwrite: bool = True, same_owner=None) -> None:
    """Refuse now what write_set would refuse for these names (batch: before the long work, not after)."""
    from .manifest import NotAManifest, read

    target = Path(target)
    if not target.is_dir():
        return
    try:
        old = read(target)
    except NotAManifest as exc:
        raise UsageProblem(f"{exc.message}reportc 不会替换它，因此无法在这里生成。",
                           "请把它移走或改名，或用 -o 指定其他文件夹。") from None
    _plan(target, dict.fromkeys(names, b""), old, overwrite, same_owner)


def _plan(target: Path, files: dict[str, bytes], old: dict | None, overwrite: bool, same_owner):
    """(previous files replaced, previous files removed, previous files kept because changed)."""
    from .manifest import MANIFEST, listed, unchanged

    known = {_key(n): r for n, r in listed(old).items()}
    if old is not None and same_owner is not None and not overwrite and not same_owner(old):
        present = [r["name"] for r in known.values() if os.path.lexists(target / r["name"])]
        if present:
            raise UsageProblem(
                f"输出文件夹“{target}”中已有另一份报告的文件（{old.get('title') or '来源不明'}）：{_names(present)}。",
                "如需覆盖，请加 --overwrite；或用 -o 指定其他文件夹。")
    in_way, edited = [], []
    for name in files:
        path = target / name
        if not os.path.lexists(path):
            continue
        record = known.get(_key(name))
        if record is None or path.is_dir():
            in_way.append(name)
        elif not unchanged(path, record):
            edited.append(name)
    if in_way:
        why = "它们不在本文件夹的 manifest.json 中" if old is not None else "本文件夹没有 manifest.json（旧版本 reportc 也不留）"
        raise UsageProblem(
            f"输出文件夹“{target}”中已有同名的文件或文件夹：{_names(in_way)}。{why}，不能确定是 reportc 生成的，"
            "为免删除您的文件，reportc 不会替换它们，未生成任何文件。",
            "请把它们移走或改名，或用 -o 指定其他文件夹（加 --overwrite 也不会替换它们）。")
    if edited:
        raise UsageProblem(
            f"输出文件夹“{target}”中的 {_names(edited)} 是 reportc 上次生成的，但之后被修改过（如在 Word 中编辑并保存）；"
            "为免丢失修改，reportc 不会替换，未生成任何文件。",
            "请把修改过的文件移走或改名后重新运行，或用 -o 指定其他文件夹。")
    wanted = {_key(n) for n in files}
    replace = [n for n in files if os.path.lexists(target / n)]
    if old is not None:
        replace.append(MANIFEST)
    stale, kept = [], []
    for key, record in known.items():
        path = target / record["name"]
        if key in wanted or not os.path.lexists(path):
            continue
        (stale if unchanged(path, record) else kept).append(record["name"])
    return replace, stale, kept


def _names(names: list[str]) -> str:
    return "、".join(names[:8]) + (f"等 {len(names)} 个" if len(names) > 8 else "")


def refuse_inputs_inside(output: Path, inputs, folder: bool = True) -> None:
    """Refuse an output that would hold an input: a folder that contains (at any depth) the workbook,
    the previous workbook or the template folder; for a file output (folder=False), the input itself."""
    out = _resolved(output)
    for item in inputs:
        if item is None:
            continue
        inp = _resolved(item)
        same = inp == out or _samefile(output, item)
        if same or (folder and _within(inp, out)):
            what = "输出文件夹" if folder else "输出文件"
            raise UsageProblem(
                f"{what}“{output}”{'就是' if same else '中包含'}输入“{item}”。"
                + ("reportc 不会在存放输入的文件夹中生成文件，以免与输入混在一起或误删输入。" if folder
                   else "reportc 不会覆盖输入文件。"),
                "请用 -o 另指定一个" + ("不包含输入的文件夹，如 -o 输出。" if folder else "文件名。"))


def _resolved(path) -> str:
    text = str(Path(path).resolve())
    return os.path.normcase(text)


def _within(inner: str, outer: str) -> bool:
    return inner == outer or inner.startswith(outer.rstrip(os.sep) + os.sep)


def _samefile(a, b) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


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
    if code == errno.EBUSY:
        return CannotCheck(f"无法写入“{where}”：它正被系统或其他程序使用。", "请关闭使用它的程序，或用 -o 指定其他文件夹。")
    if code == errno.ENOENT:
        return CannotCheck(f"无法写入“{where}”：找不到所在的文件夹或磁盘。", "请检查路径，或用 -o 指定一个存在的文件夹。")
    return CannotCheck(f"无法写入“{where}”（系统错误代码 {code if code is not None else winerror}）。",
                       "请检查磁盘和文件夹是否可用，或用 -o 指定其他文件夹后再试。")
