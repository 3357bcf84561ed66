"""SHA-256 without loading OpenSSL.

hashlib.sha256 is OpenSSL's, and importing hashlib loads libcrypto: about 4 ms of every run,
a check's largest single import. Python's own SHA-256 module (the one hashlib falls back to when
OpenSSL is absent) gives the same digests and loads in a fraction of that; hashlib is the
fallback here in turn. For what a check hashes (the edition's files, the workbook); what hashes
megabytes where hashlib is loaded anyway (the manifest of a build, an imported PDF) uses hashlib,
several times faster on large data. tests/test_digest.py holds the digests to hashlib's."""

from __future__ import annotations

try:
    from _sha256 import sha256  # CPython 3.10, 3.11
except ImportError:  # pragma: no cover  (the module's name on CPython 3.12 and later; other Pythons)
    try:
        from _sha2 import sha256
    except ImportError:
        from hashlib import sha256

__all__ = ["sha256"]
