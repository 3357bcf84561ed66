"""Exceptions for situations where reportc cannot do its job at all (exit code 2)."""

from __future__ import annotations


class CannotCheck(Exception):
    """The input cannot be read or checked at all; the message is Chinese and user-facing."""

    exit_code = 2

    def __init__(self, message: str, hint: str = ""):
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return f"{self.message}\n{self.hint}" if self.hint else self.message


class UsageProblem(CannotCheck):
    """A wrong command-line argument (also exit code 2)."""


class SpecError(CannotCheck):
    """An edition file that cannot be used: names the file, the entry (a rule, a table, a
    claim) and the key. Lives here, below the specification and the rule kinds, which both raise it."""

    def __init__(self, source: str, rule_id: str, key: str | None, problem: str, entry: str = "规则"):
        where = f"规范文件 {source}" + (f" 中的{entry} {rule_id or '（无编号）'}" if entry else "")
        where += f" 的参数“{key}”" if key else ""
        super().__init__(f"{where}有误：{problem}", "请改正报告格式规范文件（xlsx_templates/）后再试。")
