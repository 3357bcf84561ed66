"""The code stays readable: no function in compiler/ longer than 80 lines."""

from __future__ import annotations

import ast

from conftest import ROOT

LIMIT = 80


def long_functions(limit: int = LIMIT) -> list[tuple[str, str, int]]:
    found = []
    for path in sorted((ROOT / "compiler").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                first = min([node.lineno, *(d.lineno for d in node.decorator_list)])
                length = node.end_lineno - first + 1
                name = str(path.relative_to(ROOT / "compiler"))
                if length > limit:
                    found.append((name, node.name, length))
    return found


def test_no_function_is_longer_than_80_lines():
    assert long_functions() == [], "split these functions by what they do"


def test_the_measure_finds_a_long_function():
    assert long_functions(limit=20), "every function under 20 lines: the walk is not measuring"
