r"""What the Windows drag-and-drop launchers (生成年报.bat, 检查工作簿.bat, 新建工作簿.bat) run.

The .bat files only find the bundled Python and pass each dropped file here, quoted:

    python -m reportc.launch build 工作簿.xlsx   # build next to the workbook, then open the output folder
    python -m reportc.launch check 工作簿.xlsx   # list the problems
    python -m reportc.launch new 文件夹           # ask for 机关名称 and 年度, write into 文件夹\我的工作簿, open it
    python -m reportc.launch shortcuts 文件夹     # desktop shortcuts to the launchers in 文件夹 (安装.bat)

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


def output_dir(workbook: Path) -> Path:
    """Where 生成年报 writes: a folder beside the workbook, named after it."""
    return workbook.parent / f"{workbook.stem}{OUTPUT_SUFFIX}"


def run_reportc(args: list[str]) -> int:
    from .cli import main

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
    err(f"错误：找不到文件“{workbook}”。如果文件名中有英文的逗号、分号、等号、& 或 ^，"
        "Windows 拖放时会把文件名拆开：请把文件改名（可用中文标点）后重新拖入。")
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


def new(base: Path) -> int:
    folder = base / WORKBOOKS
    try:
        org = ask_org()
        year = ask_year()
    except (EOFError, KeyboardInterrupt):
        err("已取消，没有生成工作簿。")
        return 2
    folder.mkdir(parents=True, exist_ok=True)
    os.chdir(folder)  # `reportc new` names the workbook after 机关名称 and 年度, in the current folder
    code = run_reportc(["new", "--year", str(year), "--org", org])
    if code == 0:
        out("请用 Excel 或 WPS 打开填写；填好后把工作簿拖到“检查工作簿”或“生成年报”上。")
        open_in_explorer(folder)
    return code


def shortcut_script() -> str:
    """PowerShell that puts a shortcut to each launcher on the desktop (the desktop may be redirected,
    e.g. to OneDrive, so its path comes from Windows). Names and folder arrive in environment variables."""
    return (
        "$ErrorActionPreference = 'Stop'\n"
        "$desktop = [Environment]::GetFolderPath('Desktop')\n"
        "$shell = New-Object -ComObject WScript.Shell\n"
        "foreach ($name in $env:REPORTC_LAUNCHERS.Split('|')) {\n"
        "  $link = $shell.CreateShortcut((Join-Path $desktop ($env:REPORTC_SHORTCUT_PREFIX + $name + '.lnk')))\n"
        "  $link.TargetPath = Join-Path $env:REPORTC_HOME ($name + '.bat')\n"
        "  $link.WorkingDirectory = $env:REPORTC_HOME\n"
        "  $link.Save()\n"
        "}\n"
    )


def shortcuts(folder: Path) -> int:
    import base64
    import subprocess

    folder = folder.resolve()
    names = "、".join(SHORTCUT_PREFIX + n for n in LAUNCHERS)
    if sys.platform != "win32":
        err("桌面快捷方式只能在 Windows 上创建。")
        return 1
    env = {**os.environ, "REPORTC_HOME": str(folder), "REPORTC_LAUNCHERS": "|".join(LAUNCHERS),
           "REPORTC_SHORTCUT_PREFIX": SHORTCUT_PREFIX}
    encoded = base64.b64encode(shortcut_script().encode("utf-16-le")).decode("ascii")
    try:
        result = subprocess.run(["powershell", "-NoProfile", "-NonInteractive", "-ExecutionPolicy", "Bypass",
                                 "-EncodedCommand", encoded], env=env, capture_output=True, timeout=120)
        ok = result.returncode == 0
    except (OSError, subprocess.TimeoutExpired):
        ok = False
    if ok:
        out(f"已在桌面创建快捷方式：{names}。")
        return 0
    err("未能在桌面创建快捷方式（可能被单位的安全策略禁止）。不影响使用：直接用安装文件夹中的 "
        + "、".join(n + ".bat" for n in LAUNCHERS) + " 即可。")
    return 1


COMMANDS = {"build": build, "check": check, "new": new, "shortcuts": shortcuts}


def main(argv: list[str] | None = None) -> int:
    setup_console()
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 2 or args[0] not in COMMANDS:
        err("用法：python -m reportc.launch build|check 工作簿.xlsx，或 python -m reportc.launch new|shortcuts 文件夹")
        return 2
    return COMMANDS[args[0]](Path(args[1]))


if __name__ == "__main__":
    sys.exit(main())
