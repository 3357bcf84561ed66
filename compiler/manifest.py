"""manifest.json: the record that `reportc build` (and `reportc batch`, in its output root) leaves in
the folder it wrote.

It lists every file written there (name, size, SHA-256), the workbook's name and SHA-256, reportc's
version, the verdict and the time. reportc replaces or removes in a folder only the files its manifest
lists and that are still as written (fsutil.write_set); `reportc verify` compares the folder with it.
The fields are described in docs/使用说明.md.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import json
from pathlib import Path

from .errors import CannotCheck

MANIFEST = "manifest.json"
FORMAT = "reportc-manifest"
FORMAT_VERSION = 1
KINDS = ("build", "batch", "audit", "audit-report")  # audit: its summary folder; audit-report: one report's folder
MAX_BYTES = 1024 * 1024  # a manifest lists a handful of files; anything larger is not one of ours


class NotAManifest(CannotCheck):
    """manifest.json exists but is not a readable reportc manifest (exit code 2)."""


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def now() -> str:
    """The local time with its offset, ISO 8601: 2026-12-03T16:20:05+08:00."""
    return _dt.datetime.now().astimezone().isoformat(timespec="seconds")


def entry(name: str, data: bytes) -> dict:
    return {"name": name, "size": len(data), "sha256": sha256_bytes(data)}


def make(kind: str, files: dict[str, bytes], title: str, **fields) -> dict:
    """The manifest of a set about to be written: `files` are the bytes of every file but the manifest."""
    from . import __version__

    assert kind in KINDS
    return {"format": FORMAT, "format_version": FORMAT_VERSION, "kind": kind, "title": title,
            "reportc": __version__, "created": now(), **fields,
            "files": [entry(name, data) for name, data in files.items()]}


def dumps(manifest: dict) -> bytes:
    return (json.dumps(manifest, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def is_plain_name(name) -> bool:
    """A file name directly in the folder: no separator, not . or .., nothing hidden."""
    return (isinstance(name, str) and 0 < len(name) <= 255 and name not in (".", "..") and not name.startswith(".")
            and not any(ch in name for ch in '/\\:\0'))


def read(folder: Path) -> dict | None:
    """The manifest of folder; None when there is none; NotAManifest when manifest.json is not
    reportc's (unreadable, not JSON, another program's) — such a file is the user's and is never replaced."""
    path = Path(folder) / MANIFEST
    if not path.exists() and not path.is_symlink():
        return None
    where = f"“{path}”"
    if path.is_symlink() or not path.is_file():
        raise NotAManifest(f"{where}不是 reportc 生成的清单文件（不是普通文件）。")
    try:
        if path.stat().st_size > MAX_BYTES:
            raise NotAManifest(f"{where}不是 reportc 生成的清单文件（文件过大）。")
        data = json.loads(path.read_bytes().decode("utf-8"))
    except (OSError, UnicodeDecodeError, ValueError):
        raise NotAManifest(f"{where}无法读取，或不是 reportc 生成的清单文件。") from None
    if not _valid(data):
        raise NotAManifest(f"{where}不是 reportc 生成的清单文件（内容不符合格式）。")
    return data


def _valid(data) -> bool:
    if not isinstance(data, dict) or data.get("format") != FORMAT or data.get("kind") not in KINDS:
        return False
    if not isinstance(data.get("format_version"), int) or data["format_version"] > FORMAT_VERSION:
        return False
    files = data.get("files")
    if not isinstance(files, list):
        return False
    names = set()
    for f in files:
        if not (isinstance(f, dict) and is_plain_name(f.get("name")) and f["name"] != MANIFEST
                and isinstance(f.get("size"), int) and isinstance(f.get("sha256"), str) and len(f["sha256"]) == 64):
            return False
        names.add(f["name"].casefold())
    return len(names) == len(files)


def listed(manifest: dict | None) -> dict[str, dict]:
    """name -> {name, size, sha256} of every file the manifest lists."""
    return {f["name"]: f for f in (manifest or {}).get("files", [])}


def unchanged(path: Path, record: dict) -> bool:
    """The file at path is still the one the manifest lists (a regular file of that size and SHA-256)."""
    try:
        if path.is_symlink() or not path.is_file() or path.stat().st_size != record["size"]:
            return False
        return sha256_file(path) == record["sha256"]
    except OSError:
        return False
