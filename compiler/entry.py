"""The `reportc` program: its console script and `python -m reportc` start here.

`reportc check 工作簿.xlsx`, `reportc build 工作簿.xlsx -o 文件夹` and `reportc batch 文件夹 -o 文件夹`
are what clerks, launchers and scripts run most, and loading typer and click to parse them costs about
as much as the whole check of a workbook. When the arguments are plain — the command, one workbook (or
folder), and only options named in QUICK, each value as the next argument — they are read here and the
command runs through the same verbs.py functions cli.py calls. Anything else (help, --version, a mistake, an unknown
option, --opt=value, a repeated option, a value starting with “-”, a wildcard, which click
expands on Windows) goes to the full command line in cli.py, which says in Chinese what is wrong.
tests/test_entry.py holds QUICK to cli.py's own options and both paths to the same results."""

from __future__ import annotations

import sys
from pathlib import Path

# command -> option -> (parameter name, takes a value); the workbook is the one positional argument
QUICK: dict[str, dict[str, tuple[str, bool]]] = {
    "check": {
        "--json": ("as_json", False), "--strict": ("strict", False), "--previous-any": ("previous_any", False),
        "--previous": ("previous", True),
    },
    "build": {
        "-o": ("outdir", True), "--output": ("outdir", True), "--format": ("formats", True),
        "--draft": ("draft", False), "--strict": ("strict", False), "--previous": ("previous", True),
        "--previous-any": ("previous_any", False), "--overwrite": ("overwrite", False),
        "--template": ("template", True),
    },
    "batch": {
        "-o": ("outdir", True), "--output": ("outdir", True), "--jobs": ("jobs", True), "--format": ("formats", True),
        "--template": ("template", True), "--strict": ("strict", False), "--overwrite": ("overwrite", False),
    },
}
POSITIONAL = {"check": "file", "build": "file", "batch": "folder"}  # the one argument that is not an option
TEXT_VALUES = {"formats"}
COUNT_VALUES = {"jobs"}  # plain digits; the other values are paths
WILDCARDS = frozenset("*?[")


def quick_args(argv: list[str]) -> tuple[str, dict] | None:
    """(command, keyword arguments of verbs.<command>) when the arguments are plain, else None."""
    if not argv or argv[0] not in QUICK:
        return None
    options, positional, kwargs, i = QUICK[argv[0]], POSITIONAL[argv[0]], {}, 1
    while i < len(argv):
        token = argv[i]
        if not token or WILDCARDS.intersection(token):
            return None
        if token.startswith("-"):
            name, takes_value = options.get(token, (None, False))
            if name is None or name in kwargs:
                return None
            if takes_value:
                value = argv[i + 1] if i + 1 < len(argv) else ""
                if not value or value.startswith("-") or WILDCARDS.intersection(value):
                    return None
                if name in COUNT_VALUES:
                    if not (value.isascii() and value.isdigit()):
                        return None  # typer says what is wrong with it
                    kwargs[name] = int(value)
                else:
                    kwargs[name] = value if name in TEXT_VALUES else Path(value)
                i += 1
            else:
                kwargs[name] = True
        elif positional in kwargs:
            return None
        else:
            kwargs[positional] = Path(token)
        i += 1
    return (argv[0], kwargs) if positional in kwargs else None


def main(argv: list[str] | None = None) -> None:
    if argv is None:  # the program (console script, python -m reportc), not a call from a script or a test
        from .patterns import prime

        prime()  # the regular expressions compiled by an earlier run (patterns.py)
    args = sys.argv[1:] if argv is None else list(argv)
    quick = quick_args(args)
    if quick is None:
        from .cli import main as full

        full(argv)  # None from the console script: typer reads sys.argv itself and, on Windows, expands wildcards
        return
    from . import verbs
    from .console import setup_console

    setup_console()
    command, kwargs = quick
    sys.exit(verbs.guard(lambda: getattr(verbs, command)(**kwargs)))
