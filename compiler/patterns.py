"""Regular expressions compiled once per machine, not once per run.

Python compiles a regular expression in pure Python: the ~80 patterns a `reportc check` uses
(the narrative reader's, the number parser's, the claims of the edition) cost it 15–20 ms of
its ~110, every run. prime() reads the compiled programs a previous run kept in the user's
cache folder (usercache.py) and puts the Pattern objects into re's own cache, so that every
re.compile() of those patterns, wherever it is (a module's constants, an unpickled edition, the
standard library), is found there; at exit, the patterns this run compiled itself are added.
Only reportc's program runs do this (entry.main without arguments, the workers of batch and
audit): a script or a test calling reportc leaves re alone.

Only ever a cache, and never trusted beyond its key:
- the file holds Python's exact version, sre's MAGIC and CODESIZE and a CRC of its payload: any
  difference, a short or corrupt file, or a program sre refuses, and the whole file is ignored;
- a program is kept only when the Pattern made from it compares equal (same pattern, flags and
  compiled code) to the one re made in this run;
- a pattern re warns about (FutureWarning) is not kept: it warns in every run, as it would;
- what cannot be read or written runs without it; tests/test_patterns.py holds each of these.
"""

from __future__ import annotations

import re
import sys

FORMAT = b"reportc-patterns 1\n"
MAX_ENTRIES = 400  # beyond this (patterns of older versions piling up), start again from this run's;
# below re's own limit (512), so that priming never makes re drop what it holds
_state: dict = {}  # "primed": the keys put into re's cache by prime()


def _stamp() -> bytes:
    import _sre

    return f"{sys.version}|{sys.implementation.cache_tag}|{_sre.MAGIC}|{_sre.CODESIZE}\n".encode("utf-8")


def _file_name() -> str:
    """One file per Python build (3.11.7 and 3.11.8 side by side do not replace each other's)."""
    import zlib

    return f"patterns-{sys.implementation.cache_tag or 'python'}-{zlib.crc32(_stamp()):08x}.bin"


def _cache() -> dict | None:
    """re's cache of compiled patterns (keyed (type, pattern, flags)), or None on a Python
    where it is not the dict this module knows."""
    cache = getattr(re, "_cache", None)
    return cache if type(cache) is dict else None


def _decode(data: bytes) -> dict:
    """{(pattern, flags): (flags, code, groups, groupindex, indexgroup)} from the file's bytes;
    ValueError when the file is not this Python's or is damaged."""
    import marshal
    import zlib

    head = FORMAT + _stamp()
    if not data.startswith(head) or len(data) < len(head) + 4:
        raise ValueError("another format or another Python")
    crc, payload = data[len(head):len(head) + 4], data[len(head) + 4:]
    if int.from_bytes(crc, "big") != zlib.crc32(payload):
        raise ValueError("damaged")
    entries = marshal.loads(payload)
    if type(entries) is not dict:
        raise ValueError("damaged")
    return entries


def _encode(entries: dict) -> bytes:
    import marshal
    import zlib

    payload = marshal.dumps(entries)
    return FORMAT + _stamp() + zlib.crc32(payload).to_bytes(4, "big") + payload


def prime() -> int:
    """Put the kept patterns into re's cache; how many (0 when there is no usable file).
    Registers the save at exit. Never raises."""
    if _state:
        return len(_state.get("primed", ()))
    _state["primed"] = set()
    try:
        import atexit

        atexit.register(save)
        cache = _cache()
        if cache is None:
            return 0
        import _sre

        from .usercache import read_bytes

        data = read_bytes(_file_name())
        if data is None:
            return 0
        kept, made = _decode(data), {}
        for (pattern, flags), (final, code, groups, groupindex, indexgroup) in kept.items():
            made[(type(pattern), pattern, flags)] = _sre.compile(pattern, final, code, groups, groupindex, indexgroup)
        _state["kept"] = kept
        for key, compiled in made.items():
            cache.setdefault(key, compiled)
        _state["primed"] = set(made)
        return len(made)
    except Exception:  # noqa: BLE001  (damaged, another Python, refused by sre: compiled as usual)
        _state.pop("kept", None)
        return 0


def program(pattern: str | bytes, flags: int) -> tuple:
    """What re passes to _sre.compile for (pattern, flags), beside the pattern itself."""
    try:
        from re import _compiler, _parser
    except ImportError:  # Python 3.10
        import sre_compile as _compiler
        import sre_parse as _parser

    parsed = _parser.parse(pattern, flags)
    code = [int(op) for op in _compiler._code(parsed, flags)]
    groupindex = dict(parsed.state.groupdict)
    indexgroup = [None] * parsed.state.groups
    for name, index in groupindex.items():
        indexgroup[index] = name
    return (flags | parsed.state.flags, code, parsed.state.groups - 1, groupindex, tuple(indexgroup))


def save() -> bool:
    """Keep the programs of the patterns this run compiled itself (with those already kept);
    True when the file was written. Runs at exit; never raises."""
    try:
        cache = _cache()
        if cache is None or not _state:
            return False
        import _sre
        import warnings

        new = {}
        for key, compiled in list(cache.items()):
            kind, pattern, flags = key
            if key in _state["primed"] or kind not in (str, bytes) or flags & re.DEBUG:
                continue
            with warnings.catch_warnings(record=True) as said:
                warnings.simplefilter("always")
                made = program(pattern, flags)
            # same pattern, flags and code as re's own; a pattern re warns about is left to warn in every run
            if not said and _sre.compile(pattern, *made) == compiled:
                new[(pattern, flags)] = made
        if not new:
            return False
        kept = _state.get("kept", {})
        entries = {**kept, **new} if len(kept) + len(new) <= MAX_ENTRIES else new
        from .usercache import write_bytes

        written = write_bytes(_file_name(), _encode(entries))
        if written:
            _state["kept"] = entries
            _state["primed"] |= {(type(p), p, f) for p, f in new}
        return written
    except BaseException:  # noqa: BLE001  (not writable: the next run compiles again; and a Ctrl-C
        return False  # as Python exits must not print a traceback from this exit hook)
