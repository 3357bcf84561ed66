"""What the Windows drag-and-drop launchers (生成年报.bat, 检查工作簿.bat, 新建工作簿.bat) run.

The .bat files only find the bundled Python and pass each dropped file here, quoted:

    python -m reportc.launch build 工作簿.xlsx   # build next to the workbook, then open the output folder
    python -m reportc.launch check 工作簿.xlsx   # list the problems
    python -m reportc.launch new 文件夹           # ask for 机关名称 and 年度, write the workbook there, open it

The prompts are read by Python, not by `set /p`: the Windows console returns Chinese typed under
code page 65001 unreliably to batch files, while Python reads the console as Unicode.
Each command runs the ordinary `reportc` command line, so messages and exit codes are the same.
Set REPORTC_NO_OPEN=1 to keep Explorer closed (unattended use, tests).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from .console import err, out, setup_console

OUTPUT_SUFFIX = "-年报"


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


def build(workbook: Path) -> int:
    target = output_dir(workbook)
    code = run_reportc(["build", str(workbook), "-o", str(target)])
    if code == 0:
        out(f"输出文件夹：{target}")
        open_in_explorer(target)
    elif (target / "validation.html").is_file():
        report = target / "validation.html"
        out(f"工作簿有错误，未生成年报。请看校验报告 {report}，按其中指出的单元格改正后重新拖入。")
        open_in_explorer(report)
    return code


def check(workbook: Path) -> int:
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


def new(folder: Path) -> int:
    try:
        org = ask_org()
        year = ask_year()
    except (EOFError, KeyboardInterrupt):
        err("已取消，没有生成工作簿。")
        return 2
    from .workbook import default_filename

    folder.mkdir(parents=True, exist_ok=True)
    target = folder / default_filename(org, year)
    code = run_reportc(["new", "--year", str(year), "--org", org, "-o", str(target)])
    if code == 0:
        out("请用 Excel 或 WPS 打开填写；填好后把工作簿拖到“检查工作簿”或“生成年报”上。")
        open_in_explorer(folder)
    return code


COMMANDS = {"build": build, "check": check, "new": new}


def main(argv: list[str] | None = None) -> int:
    setup_console()
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 2 or args[0] not in COMMANDS:
        err("用法：python -m reportc.launch build|check 工作簿.xlsx，或 python -m reportc.launch new 文件夹")
        return 2
    return COMMANDS[args[0]](Path(args[1]))


if __name__ == "__main__":
    sys.exit(main())
