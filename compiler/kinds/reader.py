"""Findings the reader makes while it reads the file (M1–M3, R4): documented, not expanded."""

from __future__ import annotations

from .base import Kind


class Reader(Kind):
    name = "reader"
    doc = "读取工作簿时检查（结构、锁定内容、隐藏字符）"

    @classmethod
    def expand(cls, spec, rule, previous_edition):
        return []
