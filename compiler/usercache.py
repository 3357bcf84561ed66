"""The user's cache folder: compiled editions (edition.py), compiled page templates (pages.py),
the prepared DOCX (render_docx.py) and compiled regular expressions (patterns.py). Only ever a cache: what cannot be read or written there is
made again, and nothing in it is trusted unless its key matches."""

from __future__ import annotations

import os
from pathlib import Path

CACHE_ENV = "REPORTC_CACHE_DIR"  # overrides the cache folder


def cache_dir() -> Path:
    """%LOCALAPPDATA%\\reportc\\cache on Windows, $XDG_CACHE_HOME/reportc or ~/.cache/reportc
    elsewhere; REPORTC_CACHE_DIR overrides both."""
    if os.environ.get(CACHE_ENV):
        return Path(os.environ[CACHE_ENV])
    if os.name == "nt":
        base = os.environ.get("LOCALAPPDATA") or str(Path.home() / "AppData" / "Local")
        return Path(base) / "reportc" / "cache"
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "reportc"


def read_bytes(name: str) -> bytes | None:
    """A cache file's bytes, or None (never an exception)."""
    try:
        return (cache_dir() / name).read_bytes()
    except Exception:  # noqa: BLE001  (absent, unreadable: made again)
        return None


def write_bytes(name: str, data: bytes) -> bool:
    """Write a cache file atomically (a temporary file renamed over it); False when it cannot be written."""
    import tempfile

    tmp = None
    try:
        folder = cache_dir()
        folder.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".cache-", suffix=".tmp", dir=folder)
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.replace(tmp, folder / name)
        return True
    except Exception:  # noqa: BLE001  (read-only or full disk: run without the cache)
        if tmp is not None:
            try:
                os.unlink(tmp)
            except OSError:
                pass
        return False
