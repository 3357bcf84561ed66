"""Exceptions for situations where reportc cannot do its job at all (exit code 2)."""


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
