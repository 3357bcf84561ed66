"""File names as people see and type them: the default workbook name, a path shown relative to
the current folder, a name quoted for a command line."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

# Characters a file name must not have (Windows) or that a shell treats specially: dropped,
# brackets become hyphens, so that the name can be typed or pasted into any terminal unquoted.
_DROP = set('\\/:*?"<>|&;$`\'!#%^~=+,{}') | {"“", "”", "‘", "’", "《", "》", "「", "」"}
_SEPARATE = set("()[]（）【】〔〕［］〈〉")


def default_filename(org: str | None, year: int) -> str:
    """某县民政局-2025-填报.xlsx: short, no spaces, no brackets or shell characters."""
    text = unicodedata.normalize("NFKC", org or "")
    name = "".join("-" if ch in _SEPARATE else ch for ch in text if ch not in _DROP and not ch.isspace())
    name = re.sub(r"-{2,}", "-", name).strip("-.")
    return f"{name}-{year}-填报.xlsx" if name else f"{year}-填报.xlsx"


def readable(name: str) -> str:
    """A name as text that can be written anywhere: on Linux a file name may hold bytes that are not
    UTF-8 (Python keeps them as lone surrogates); each becomes “�”."""
    return name.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def shell_word(name: str) -> str:
    """A file name as typed in a command: quoted when it has spaces."""
    plain = not any(ch.isspace() or ch in _DROP or ch in _SEPARATE for ch in name.replace("\\", "").replace(":", "").replace("/", ""))
    return name if plain else f'"{name}"'


def shown_path(path: Path) -> str:
    """A path as the clerk typed it: relative to the current folder when inside it."""
    try:
        return str(Path(path).relative_to(Path.cwd()))
    except ValueError:
        return str(path)
