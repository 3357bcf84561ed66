"""JSON text as json.dumps(obj, ensure_ascii=False, indent=2) writes it, several times faster.

With `indent`, the standard library falls back to its pure-Python encoder; validation.json and
report.json are large enough for that to be a tenth of a build. This writes the same text with
the C string encoder. Anything but plain dicts (string keys), lists, tuples, strings, ints,
finite floats, booleans and None is handed to json.dumps itself, so the result is always
byte-for-byte what json.dumps gives (tests/test_speed_paths.py compares them).
"""

from __future__ import annotations

import json
from json.encoder import encode_basestring  # the C encoder when available (ensure_ascii=False)


class _Other(Exception):
    """A value this writer does not handle: json.dumps writes the whole text."""


def dumps(obj) -> str:
    """json.dumps(obj, ensure_ascii=False, indent=2)."""
    out: list[str] = []
    try:
        _write(obj, out, "\n")
    except _Other:
        return json.dumps(obj, ensure_ascii=False, indent=2)
    return "".join(out)


def _write(obj, out: list, newline: str) -> None:
    kind = type(obj)
    if kind is str:
        out.append(encode_basestring(obj))
    elif obj is None:
        out.append("null")
    elif obj is True:
        out.append("true")
    elif obj is False:
        out.append("false")
    elif kind is int:
        out.append(int.__repr__(obj))
    elif kind is float:
        if obj != obj or obj in (float("inf"), float("-inf")):
            raise _Other
        out.append(float.__repr__(obj))
    elif kind is dict:
        if not obj:
            out.append("{}")
            return
        inner = newline + "  "
        first = True
        for key, value in obj.items():
            if type(key) is not str:
                raise _Other
            out.append(("{" if first else ",") + inner + encode_basestring(key) + ": ")
            first = False
            _write(value, out, inner)
        out.append(newline + "}")
    elif kind is list or kind is tuple:
        if not obj:
            out.append("[]")
            return
        inner = newline + "  "
        first = True
        for value in obj:
            out.append(("[" if first else ",") + inner)
            first = False
            _write(value, out, inner)
        out.append(newline + "]")
    else:
        raise _Other
