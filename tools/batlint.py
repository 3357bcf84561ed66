"""Checks on the Windows batch files that can be made without Windows.

    python tools/batlint.py tools/windows/*.bat tools/windows/*.cmd

cmd.exe is unforgiving: a UTF-8 byte-order mark breaks the first line, LF-only endings break labels
and `goto`, an unquoted path breaks at a space, `&`, or a bracket, a path ending in a backslash before
a closing quote ("%~dp0") escapes that quote for the program that receives it, an unquoted `)` inside
a bracketed block ends the block. Chinese appears only in messages (echo, title, rem): Wine's cmd reads
a batch file in the ANSI code page whatever `chcp` says, so a Chinese argument is one code page away
from garbled; the Chinese names are made by reportc.launch instead. make_offline_bundle.py refuses to ship a file with any problem found here.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

# Variables that hold no path (a command, a version, a flag): these may appear unquoted.
NOT_PATHS = {"ERRORLEVEL", "PYCMD", "CODE", "STEP"}
EXPANSION = re.compile(r"%~[a-z$:]*[0-9]|%[0-9]|%[A-Za-z_][A-Za-z0-9_]*%|%\*", re.I)
LABEL = re.compile(r"^:([A-Za-z_][A-Za-z0-9_]*)\s*$")
JUMP = re.compile(r"\b(?:goto|call)\s+:?([A-Za-z_][A-Za-z0-9_]*)", re.I)
ALLOWED_OPERATORS = re.compile(r"2>&1|>nul|<nul|&&|\|\|")
APPEND_TO_QUOTED = re.compile(r">>(?=\s*\")")  # >>"%LOG%": appending to a quoted file
BUILTIN_NO_ESCAPE = re.compile(r'^\s*(?:echo\b|set\s+"|if\s+(?:not\s+)?exist\b)', re.I)


def _outside_quotes(line: str) -> str:
    """The line with every "quoted" part blanked out."""
    return re.sub(r'"[^"]*"?', lambda m: " " * len(m.group()), line)


def _inside_quotes(line: str, pos: int) -> bool:
    return line.count('"', 0, pos) % 2 == 1


def lint(name: str, data: bytes) -> list[str]:
    problems: list[str] = []
    if data.startswith(b"\xef\xbb\xbf"):
        problems.append(f"{name}: 以 UTF-8 BOM 开头（cmd 会把第一行读错）")
    if re.search(rb"(?<!\r)\n", data) or re.search(rb"\r(?!\n)", data):
        problems.append(f"{name}: 不是全部 CRLF 换行")
    if not data.endswith(b"\r\n"):
        problems.append(f"{name}: 最后一行没有以 CRLF 结束")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return problems + [f"{name}: 不是 UTF-8 编码"]
    lines = text.replace("\r\n", "\n").split("\n")
    if lines[:2] != ["@echo off", "chcp 65001 >nul"]:
        problems.append(f"{name}: 前两行应为 “@echo off” 和 “chcp 65001 >nul”")
    if not any(line.strip().lower() == "setlocal" for line in lines[:4]):
        problems.append(f"{name}: 开头缺少 setlocal")
    if "python" in text.lower() or "%PY%" in text:
        for setting in ('set "PYTHONUTF8=1"', 'set "PYTHONIOENCODING=utf-8"'):
            if setting not in text:
                problems.append(f"{name}: 缺少 {setting}")
    unattended = name.lower().endswith(".cmd")
    if "enabledelayedexpansion" in text.lower():
        problems.append(f"{name}: 不要启用延迟扩展（路径中的 ! 会丢失）")
    labels = {m.group(1).lower() for line in lines if (m := LABEL.match(line))}
    depth = 0
    for number, line in enumerate(lines, 1):
        where = f"{name} 第{number}行"
        stripped = line.strip()
        if not stripped or stripped.lower().startswith(("rem ", "::")) or stripped.lower() == "rem":
            continue
        first_wide = next((i for i, ch in enumerate(line) if not ch.isascii()), None)
        if first_wide is not None and not re.search(r"(?:^|\s)(?:echo|title)[\s.]", line[:first_wide], re.I):
            problems.append(f"{where}: 中文只能出现在 echo、title、rem 行中；命令参数中的中文可能因代码页被读错，"
                            "请在 Python（reportc.launch）中生成")
        scan = line.replace("%%", "\0\0")  # for-loop variables (%%V) are not expansions
        for m in EXPANSION.finditer(scan):
            token = m.group()
            if token == "%*" or (token[-1].isdigit() and token[-1] != "0"):
                problems.append(f"{where}: 不要用 {token}：拖放的文件名会经 cmd 解析；批处理文件不取参数，"
                                "文件名由 reportc.launch 从命令行读取")
            elif token.strip("%").upper() == "CMDCMDLINE":
                problems.append(f"{where}: 不要展开 {token}：其中的文件名会被 cmd 当作命令解析")
            elif token.strip("%").upper() in NOT_PATHS:
                continue
            elif not _inside_quotes(scan, m.start()):
                problems.append(f"{where}: {token} 没有放在双引号中")
        bare_words = _outside_quotes(line).lower().split()
        if "shift" in bare_words or re.match(r"\s*call\b", line, re.I):
            problems.append(f"{where}: 不要用 shift 或 call（会再次解析参数中的文件名）")
        if re.search(r"\bgoto\s+:eof\b", line, re.I) or re.match(r"\s*exit\s+/b\b", line, re.I):
            problems.append(f"{where}: 请用 exit 而不是 exit /b 或 goto :eof：否则 cmd 会接着执行拖放文件名中 & 之后的内容")
        if unattended and re.match(r"\s*(?:pause\b|choice\b|set\s+/p\b)", line, re.I):
            problems.append(f"{where}: .cmd 文件用于无人值守部署，不能等待输入（pause、set /p、choice）")
        if re.search(r'%~[a-z]*p[a-z]*[0-9]"', line, re.I) and not BUILTIN_NO_ESCAPE.match(line):
            problems.append(f"{where}: 以反斜杠结尾的路径紧跟引号（\\\"），程序会把引号当作字符；请写成 \"%~dp0.\" 或接上文件名")
        if re.search(r"(?:^|[\s(&|])set\s+(?!/[ap]\b)[^\"\s]", _outside_quotes(line), re.I):
            problems.append(f"{where}: set 请写成 set \"名称=值\"（避免把行尾空格带入）")
        bare = ALLOWED_OPERATORS.sub(" ", _outside_quotes(APPEND_TO_QUOTED.sub("  ", line)))
        if re.search(r"[&|<>]", bare):
            problems.append(f"{where}: 引号外有 & | < > 字符，cmd 会把它当作命令符号")
        for m in JUMP.finditer(_outside_quotes(line)):
            if m.group(1).lower() not in labels and m.group(1).lower() != "eof":
                problems.append(f"{where}: 跳转目标 :{m.group(1)} 不存在")
        for ch in _outside_quotes(line):
            depth += {"(": 1, ")": -1}.get(ch, 0)
            if depth < 0:
                problems.append(f"{where}: 多余的右括号“)”（会提前结束括号块）")
                depth = 0
        if re.match(r"\s*exit\b", line, re.I) and not unattended:
            previous = next((p.strip().lower() for p in reversed(lines[:number - 1]) if p.strip()), "")
            if not previous.endswith("pause"):
                problems.append(f"{where}: 退出前没有 pause，窗口会一闪而过，看不到提示")
    commands = [line.strip() for line in lines if line.strip() and not line.strip().lower().startswith(("rem ", "::"))
                and not LABEL.match(line.strip())]
    if commands and not re.match(r"(?:exit\b(?!\s*/b)|goto\s+:?\w+\s*$)", commands[-1], re.I):
        problems.append(f"{name}: 最后一条命令应为 exit：执行到文件末尾时，cmd 会接着执行拖放文件名中 & 之后的内容")
    if depth != 0:
        problems.append(f"{name}: 括号不配对（缺少 {depth} 个“)”）")
    return problems


def main(paths: list[str]) -> int:
    problems = [p for path in paths for p in lint(Path(path).name, Path(path).read_bytes())]
    print("\n".join(problems) if problems else f"{len(paths)} 个批处理文件检查通过。")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
