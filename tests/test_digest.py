"""digest.sha256 (Python's own SHA-256, not OpenSSL's) gives hashlib's digests."""

from __future__ import annotations

import hashlib
import os

import pytest

from reportc.digest import sha256


@pytest.mark.parametrize("size", [0, 1, 55, 56, 63, 64, 65, 1000, 300_000])
def test_the_digest_is_hashlib_s(size):
    data = os.urandom(size)
    assert sha256(data).hexdigest() == hashlib.sha256(data).hexdigest()
    h, reference = sha256(), hashlib.sha256()
    for start in range(0, size, 97):  # fed in pieces
        h.update(data[start:start + 97])
        reference.update(data[start:start + 97])
    assert h.digest() == reference.digest() and h.copy().hexdigest() == reference.hexdigest()

