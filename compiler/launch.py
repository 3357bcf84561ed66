r"""What the Windows launchers (生成年报.bat, 检查工作簿.bat, 新建工作簿.bat, 安装.bat, 部署.cmd) run.

    python -m reportc.launch build          # the workbooks dropped on 生成年报.bat: build beside each, open the folder
    python -m reportc.launch check          # the workbooks dropped on 检查工作簿.bat: list the problems
    python -m reportc.launch build|check 工作簿.xlsx ...   # the same for named workbooks (tests, a console)
    python -m reportc.launch new 文件夹      # ask for 机关名称 and 年度, write into 文件夹\我的工作簿, open it
    python -m reportc.launch shortcuts 文件夹 [--all-users]   # shortcuts to the launchers in 文件夹 (安装.bat, 部署.cmd)

A dropped file name is never seen by cmd as anything but text it does not parse: the .bat files take no
argument at all (no %1, %*, shift or call) and end with `exit`, so that cmd, which has already split
Explorer's line `cmd.exe /c ""C:\...\生成年报.bat" C:\a&md;x&.xlsx"` at the `&`, ends before it runs what
follows. Python reads the dropped names itself from that line, the command line of the cmd.exe that runs
the batch file (read from the process, not through cmd), and splits it the way Explorer wrote it: names
with a space in quotes, other names bare. So `&`, `^`, `%OS%`, `!`, brackets, `;`, `,` and `=` in a name
arrive as written, never expanded and never run.

The .bat files hold no Chinese in any argument (only in messages they echo): every Chinese name is made
here, so it cannot be garbled by the code page a batch file is read with. The prompts are read by Python,
not by `set /p`: the Windows console returns Chinese typed under code page 65001 unreliably to batch
files, while Python reads the console as Unicode.
Each command runs the ordinary `reportc` command line, so messages and exit codes are the same.
Set REPORTC_NO_OPEN=1 to keep Explorer closed (unattended use, tests).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from .console import err, out, setup_console

OUTPUT_SUFFIX = "-年报"
WORKBOOKS = "我的工作簿"
LAUNCHERS = ("生成年报", "检查工作簿", "新建工作簿")
SHORTCUT_PREFIX = "年报工具-"


BLANKS = " \t"  # what separates names on a command line (not U+3000, which may be inside a name)


def split_command_line(text: str) -> list[str]:
    """Words of a command line as Explorer writes them: a word in quotes may hold blanks; the quotes
    are removed. (No Windows file name contains a quote, so there is nothing to escape.)"""
    words, word, quoted, started = [], [], False, False
    for ch in text:
        if ch == '"':
            quoted, started = not quoted, True
        elif ch in BLANKS and not quoted:
            if started:
                words.append("".join(word))
            word, started = [], False
        else:
            word.append(ch)
            started = True
    if started:
        words.append("".join(word))
    return words


def _cmd_program(line: str) -> tuple[str, str]:
    """(program, rest) of a command line: the program is its first word."""
    line = line.lstrip(BLANKS)
    if line.startswith('"'):
        end = line.find('"', 1)
        end = len(line) if end < 0 else end
        return line[1:end], line[end + 1:]
    end = next((i for i, ch in enumerate(line) if ch in BLANKS), len(line))
    return line[:end], line[end:]


def is_cmd(line: str) -> bool:
    program = _cmd_program(line)[0].replace("/", "\\").rsplit("\\", 1)[-1].lower()
    return program in ("cmd", "cmd.exe")


def dropped_names(line: str) -> list[str] | None:
    """The names after the batch file on the command line of the cmd.exe that runs it, e.g.
    `C:\\Windows\\system32\\cmd.exe /c ""D:\\年报工具\\生成年报.bat" D:\\a&b.xlsx "D:\\c d.xlsx""`
    -> ["D:\\a&b.xlsx", "D:\\c d.xlsx"]. None when the line runs no batch file (an open console window)."""
    if not is_cmd(line):
        return None
    rest = _cmd_program(line)[1]
    strip_s = False
    while True:  # the switches: /d /q /s /v:on ... up to /c or /k
        rest = rest.lstrip(BLANKS)
        if not rest.startswith("/") or len(rest) < 2:
            return None
        letter = rest[1].lower()
        end = 2
        while end < len(rest) and rest[end] not in BLANKS and rest[end] != '"' and rest[end] != "/":
            end += 1
        rest = rest[end:]
        if letter in "ck":
            break
        strip_s = strip_s or letter == "s"
    text = rest.lstrip(BLANKS)
    # cmd /c keeps the quotes only when there are exactly two, with blanks and nothing special between them
    # (one quoted program); otherwise it removes the first character (a quote) and the last quote.
    kept = (not strip_s and text.count('"') == 2 and text.startswith('"')
            and not any(ch in text for ch in "&<>()@^|") and any(ch in text.split('"')[1] for ch in BLANKS))
    if text.startswith('"') and not kept:
        last = text.rfind('"')
        text = text[1:last] + text[last + 1:] if last > 0 else text[1:]
    words = split_command_line(text)
    if not words or not words[0].lower().endswith((".bat", ".cmd")):
        return None
    return words[1:]


def _process_command_line(pid: int) -> tuple[str | None, int | None]:
    """(command line, parent id) of process `pid` on Windows, read from its process environment block:
    what the process was started with, never interpreted by cmd. (None, None) when it cannot be read."""
    import ctypes
    from ctypes import wintypes

    class BasicInformation(ctypes.Structure):
        _fields_ = [("ExitStatus", ctypes.c_long), ("PebBaseAddress", ctypes.c_void_p),
                    ("AffinityMask", ctypes.c_size_t), ("BasePriority", ctypes.c_long),
                    ("UniqueProcessId", ctypes.c_size_t), ("InheritedFromUniqueProcessId", ctypes.c_size_t)]

    kernel32 = ctypes.WinDLL("kernel32", use_last_error=True)
    ntdll = ctypes.WinDLL("ntdll")
    kernel32.OpenProcess.restype = wintypes.HANDLE
    kernel32.OpenProcess.argtypes = [wintypes.DWORD, wintypes.BOOL, wintypes.DWORD]
    kernel32.ReadProcessMemory.argtypes = [wintypes.HANDLE, ctypes.c_void_p, ctypes.c_void_p, ctypes.c_size_t,
                                           ctypes.POINTER(ctypes.c_size_t)]
    kernel32.CloseHandle.argtypes = [wintypes.HANDLE]
    ntdll.NtQueryInformationProcess.argtypes = [wintypes.HANDLE, ctypes.c_ulong, ctypes.c_void_p, ctypes.c_ulong,
                                                ctypes.POINTER(ctypes.c_ulong)]
    ntdll.NtQueryInformationProcess.restype = ctypes.c_long
    process_query_information, process_vm_read = 0x0400, 0x0010
    handle = kernel32.OpenProcess(process_query_information | process_vm_read, False, pid)
    if not handle:
        return None, None
    try:
        info = BasicInformation()
        if ntdll.NtQueryInformationProcess(handle, 0, ctypes.byref(info), ctypes.sizeof(info), None) != 0:
            return None, None

        def read(address: int, size: int) -> bytes | None:
            buffer = ctypes.create_string_buffer(size)
            done = ctypes.c_size_t()
            ok = kernel32.ReadProcessMemory(handle, ctypes.c_void_p(address), buffer, size, ctypes.byref(done))
            return buffer.raw[:done.value] if ok and done.value == size else None

        # 64-bit layout: PEB+0x20 -> RTL_USER_PROCESS_PARAMETERS; +0x70 -> CommandLine (UNICODE_STRING).
        params = read(info.PebBaseAddress + 0x20, 8) if info.PebBaseAddress else None
        string = read(int.from_bytes(params, "little") + 0x70, 16) if params else None
        if not string:
            return None, info.InheritedFromUniqueProcessId
        length, address = int.from_bytes(string[:2], "little"), int.from_bytes(string[8:], "little")
        text = read(address, length) if length else b""
        line = text.decode("utf-16-le", "replace") if text is not None else None
        return line, info.InheritedFromUniqueProcessId
    finally:
        kernel32.CloseHandle(handle)


def launcher_command_line() -> str | None:
    """The command line of the cmd.exe that runs the launcher (Windows, 64-bit Python), or None."""
    if sys.platform != "win32" or struct_size() != 8:
        return None
    return nearest_cmd(os.getppid(), _process_command_line)


def nearest_cmd(pid: int | None, read) -> str | None:
    """The command line of the nearest cmd.exe among `pid` and its parents (a virtual environment's
    python.exe starts the real one as its child, so cmd.exe may be the grandparent). `read(pid)` gives
    (command line, parent id)."""
    for _level in range(4):
        if not pid:
            return None
        try:
            line, parent = read(pid)
        except (OSError, AttributeError, ValueError):
            return None
        if line is None:
            return None
        if is_cmd(line):
            return line
        pid = parent
    return None


def struct_size() -> int:
    import struct

    return struct.calcsize("P")


def dropped_files(launcher: str) -> list[Path] | None:
    """The files dropped on the launcher, or None (after saying why) when there are none."""
    line = launcher_command_line()
    names = dropped_names(line) if line else None
    if not names:
        err(f"没有收到工作簿。用法：把填好的工作簿（.xlsx 文件）拖到“{launcher}”图标上松开。")
        return None
    return [Path(name) for name in names]


def output_dir(workbook: Path) -> Path:
    """Where 生成年报 writes: a folder beside the workbook, named after it."""
    return workbook.parent / f"{workbook.stem}{OUTPUT_SUFFIX}"


def run_reportc(args: list[str]) -> int:
    from .entry import main

    try:
        main(args)
    except SystemExit as exc:
        return exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 2)
    return 0


def open_in_explorer(path: Path) -> None:
    """Show a folder or file to the person at the PC (Windows only; elsewhere nothing happens)."""
    if os.environ.get("REPORTC_NO_OPEN") or sys.platform != "win32" or not path.exists():
        return
    try:
        os.startfile(str(path))  # type: ignore[attr-defined]  # Windows only
    except OSError as exc:
        err(f"无法自动打开“{path}”（{exc}），请在资源管理器中打开。")


def missing(workbook: Path) -> bool:
    if workbook.is_file():
        return False
    err(f"错误：找不到文件“{workbook}”：它可能已被移动、改名或删除，请找到它后重新拖入。")
    return True


def build(workbook: Path) -> int:
    if missing(workbook):
        return 2
    target = output_dir(workbook)
    code = run_reportc(["build", str(workbook), "-o", str(target)])
    if code == 0:
        out(f"输出文件夹：{target}")
        open_in_explorer(target)
    elif code == 1 and (target / "validation.html").is_file():  # not after a refusal (exit 2)
        report = target / "validation.html"
        out(f"工作簿有错误，未生成年报。请看校验报告 {report}，按其中指出的单元格改正后重新拖入。")
        open_in_explorer(report)
    return code


def check(workbook: Path) -> int:
    if missing(workbook):
        return 2
    return run_reportc(["check", str(workbook)])


def ask_org() -> str:
    while True:
        org = input("请输入机关名称（如：某县民政局），然后按回车：").strip()
        if org:
            return org
        out("机关名称不能为空。")


def ask_year() -> int:
    import datetime

    default = datetime.date.today().year - 1
    while True:
        text = input(f"请输入报告年度（四位数字，直接按回车为 {default}）：").strip()
        text = text.removesuffix("年").strip()
        if not text:
            return default
        if text.isdigit() and len(text) == 4 and 2000 <= int(text) <= 2100:
            return int(text)
        out(f"“{text}”不是四位数字的年度，请重新输入，如 {default}。")


def writable_folder(folder: Path) -> bool:
    import tempfile

    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=folder):
            return True
    except OSError:
        return False


def workbook_folder(base: Path) -> Path:
    """我的工作簿 beside the launchers; for an installation every user shares (部署.cmd puts it in
    C:\\Program Files, which users cannot write), 我的工作簿 in the user's Documents folder."""
    if writable_folder(base / WORKBOOKS):
        return base / WORKBOOKS
    return Path.home() / "Documents" / WORKBOOKS


def new(base: Path) -> int:
    try:
        org = ask_org()
        year = ask_year()
    except (EOFError, KeyboardInterrupt):
        err("已取消，没有生成工作簿。")
        return 2
    folder = workbook_folder(base)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        err(f"无法建立文件夹“{folder}”（{exc.strerror or exc}），没有生成工作簿。")
        return 2
    os.chdir(folder)  # `reportc new` names the workbook after 机关名称 and 年度, in the current folder
    code = run_reportc(["new", "--year", str(year), "--org", org])
    if code == 0:
        out("请用 Excel 或 WPS 打开填写；填好后把工作簿拖到“检查工作簿”或“生成年报”上。")
        open_in_explorer(folder)
    return code


def shortcut_script() -> str:
    """PowerShell that puts a shortcut to each launcher on the desktop: the user's ('Desktop', which may be
    redirected, e.g. to OneDrive, so its path comes from Windows) or every user's ('CommonDesktopDirectory',
    C:\\Users\\Public\\Desktop). Names, folder and desktop arrive in environment variables."""
    return (
        "$ErrorActionPreference = 'Stop'\n"
        "$desktop = [Environment]::GetFolderPath($env:REPORTC_DESKTOP)\n"
        "$shell = New-Object -ComObject WScript.Shell\n"
        "foreach ($name in $env:REPORTC_LAUNCHERS.Split('|')) {\n"
        "  $link = $shell.CreateShortcut((Join-Path $desktop ($env:REPORTC_SHORTCUT_PREFIX + $name + '.lnk')))\n"
        "  $link.TargetPath = Join-Path $env:REPORTC_HOME ($name + '.bat')\n"
        "  $link.WorkingDirectory = $env:REPORTC_HOME\n"
        "  $link.Save()\n"
        "}\n"
    )


def unsafe_home(folder: Path) -> str | None:
    r"""Why the launchers cannot live in `folder`, or None. cmd expands %NAME% in the line that starts a
    batch file (`cmd.exe /c ""C:\x%OS%\生成年报.bat""` looks for C:\xWindows_NT\...), so a `%` in the folder's
    path can make every launcher fail to start."""
    if "%" in str(folder):
        return (f"安装文件夹“{folder}”的路径中有“%”：Windows 运行批处理文件时会把 %…% 当作变量替换，"
                "双击或拖放时可能找不到“生成年报”等文件。请把文件夹改名（去掉 %）后重新安装。")
    return None


def shortcuts(folder: Path, all_users: bool = False) -> int:
    import base64
    import subprocess

    folder = folder.resolve()
    problem = unsafe_home(folder)
    if problem:
        err(problem)
        return 2
    where = "公共桌面（所有用户）" if all_users else "桌面"
    names = "、".join(SHORTCUT_PREFIX + n for n in LAUNCHERS)
    if sys.platform != "win32":
        err("桌面快捷方式只能在 Windows 上创建。")
        return 1
    env = {**os.environ, "REPORTC_HOME": str(folder), "REPORTC_LAUNCHERS": "|".join(LAUNCHERS),
           "REPORTC_SHORTCUT_PREFIX": SHORTCUT_PREFIX,
           "REPORTC_DESKTOP": "CommonDesktopDirectory" if all_users else "Desktop"}
    encoded = base64.b64encode(shortcut_script().encode("utf-16-le")).decode("ascii")
    try:
        result = subprocess.run(["powershell", "-NoProfile", "-NonInteractive", "-ExecutionPolicy", "Bypass",
                                 "-EncodedCommand", encoded], env=env, capture_output=True, timeout=120)
        ok = result.returncode == 0
    except (OSError, subprocess.TimeoutExpired):
        ok = False
    if ok:
        out(f"已在{where}创建快捷方式：{names}。")
        return 0
    err(f"未能在{where}创建快捷方式（可能被单位的安全策略禁止，或没有管理员权限）。不影响使用：直接用安装文件夹中的 "
        + "、".join(n + ".bat" for n in LAUNCHERS) + " 即可。")
    return 1


def each(command, files: list[Path], verb: str) -> int:
    """Run `command` on each dropped file in turn; 0 when every one passed, else the highest exit code."""
    worst = 0
    for workbook in files:
        out("-" * 60)
        out(f"正在{verb}：“{workbook}”")
        worst = max(worst, command(workbook))
    out("-" * 60)
    return worst


def workbooks(action: str, args: list[str]) -> int:
    command, launcher, verb = {"build": (build, "生成年报", "生成"), "check": (check, "检查工作簿", "检查")}[action]
    files = [Path(a) for a in args] if args else dropped_files(launcher)
    if files is None:
        return 2
    code = each(command, files, verb)
    if action == "build" and code:
        out("有工作簿未能生成年报，请看上面的提示和校验报告（validation.html）。")
    return code


USAGE = ("用法：python -m reportc.launch build|check [工作簿.xlsx ...]（不写文件名时读取拖到图标上的文件），"
         "python -m reportc.launch new 文件夹，python -m reportc.launch shortcuts 文件夹 [--all-users]")


def main(argv: list[str] | None = None) -> int:
    setup_console()
    args = sys.argv[1:] if argv is None else argv
    if args[:1] in (["build"], ["check"]):
        return workbooks(args[0], args[1:])
    if len(args) == 2 and args[0] == "new":
        return new(Path(args[1]))
    if args[:1] == ["shortcuts"] and len(args) in (2, 3) and args[2:] in ([], ["--all-users"]):
        return shortcuts(Path(args[1]), all_users=len(args) == 3)
    err(USAGE)
    return 2


COMMANDS = {"build": build, "check": check, "new": new, "shortcuts": shortcuts}


if __name__ == "__main__":
    from .patterns import prime

    prime()  # a program run, as the launchers' (the regular expressions an earlier run compiled: patterns.py)
    sys.exit(main())
