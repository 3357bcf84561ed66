"""Command-line usage errors in Chinese: click raises them in English, a clerk reads this."""

from __future__ import annotations

import difflib
import re

COMMAND_NAMES = ("new", "check", "build", "merge", "batch", "verify", "import", "audit")  # the order of `reportc --help`


def _name(param) -> str:
    """How a parameter is written on the command line: --output, or 工作簿 for an argument."""
    if param is None:
        return "参数"
    if param.param_type_name == "argument":
        return f"“{param.metavar or param.name}”"
    return "/".join(param.opts)


def _help_hint(ctx) -> str:
    path = getattr(ctx, "command_path", "") or "reportc"
    return f"运行“{path} --help”查看用法。"


def _value_problem(message: str) -> str:
    """click's type conversion messages ('abc' is not a valid integer.) in Chinese."""
    m = re.search(r"'(.*)' is not a valid (integer|float|boolean)", message)
    if m:
        what = {"integer": "整数", "float": "数字", "boolean": "是或否"}[m.group(2)]
        return f"“{m.group(1)}”不是{what}。"
    m = re.search(r"'(.*)' is not one of (.*)\.$", message) or re.search(r"'(.*)' is not (.*)\.$", message)
    if m:
        choices = "、".join(re.findall(r"'([^']*)'", m.group(2)))
        return f"“{m.group(1)}”不在可选范围内" + (f"（可选：{choices}）。" if choices else "。")
    return message


PREFIX = "命令用法有误："


def translate(exc) -> tuple[str, int]:
    """The Chinese message and exit code for a click usage error (help text for `reportc` alone)."""
    text, code = _translate(exc)
    return (text if code == 0 else PREFIX + text), code


def _translate(exc) -> tuple[str, int]:
    kind = type(exc).__name__
    ctx = getattr(exc, "ctx", None)
    hint = _help_hint(ctx)
    message = getattr(exc, "message", "") or ""
    if kind == "NoArgsIsHelpError":  # `reportc` alone: the help is the answer, not an error
        return ctx.get_help(), 0
    if kind == "NoSuchCommand" or message.startswith("No such command"):
        name = getattr(exc, "command_name", None) or (re.findall(r"'([^']*)'", message) or ["?"])[0]
        close = difflib.get_close_matches(name, COMMAND_NAMES, n=2, cutoff=0.5)
        text = f"没有“{name}”这个命令。"
        if close:
            text += "您是不是要用：" + "、".join(f"reportc {c}" for c in close) + "？"
        return f"{text}\n可用的命令：{'、'.join(COMMAND_NAMES)}。运行“reportc --help”查看用法。", 2
    if kind == "NoSuchOption":
        name = exc.option_name
        text = f"没有“{name}”这个选项。"
        command = getattr(ctx, "command", None)
        hidden = {o for p in getattr(command, "params", []) if getattr(p, "hidden", False) for o in p.opts}
        possible = [p for p in exc.possibilities or () if p not in hidden]  # never a hidden (old) spelling
        if possible:
            text += "您是不是要用：" + "、".join(possible) + "？"
        return f"{text}\n{hint}", 2
    if kind == "MissingParameter":
        param = exc.param
        if param is not None and param.param_type_name == "argument":
            path = getattr(ctx, "command_path", "reportc")
            return f"缺少{_name(param)}。请在“{path}”后面写上{param.metavar or param.name}的名称。\n{hint}", 2
        return f"缺少选项 {_name(param)}，这个选项必须填写。\n{hint}", 2
    if kind == "BadOptionUsage":
        name = exc.option_name
        if "requires" in message and "argument" in message:
            return f"选项 {name} 后面缺少要填写的值（如文件名、年度）。\n{hint}", 2
        if "does not take a value" in message:
            return f"选项 {name} 不带值，只写 {name} 即可。\n{hint}", 2
        return f"选项 {name} 的用法不对。\n{hint}", 2
    if kind == "BadParameter":
        return f"选项 {_name(exc.param)} 的值不正确：{_value_problem(message)}\n{hint}", 2
    m = re.match(r"Got unexpected extra arguments? \((.*)\)", message)
    if m:
        return f"多余的参数：{m.group(1)}。文件名中有空格时请用英文引号括起来。\n{hint}", 2
    return f"{message}\n{hint}", getattr(exc, "exit_code", 2) or 2
