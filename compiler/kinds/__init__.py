"""Rule kinds: one class per kind of check.

A kind holds everything about one sort of rule: the parameters an edition file may
give it (checked when the specification loads), how a rule expands into checks, the
Python evaluation, the Excel formulas of the 校验 sheet, the message and the line of
documentation. Adding a kind is adding a class to one of the modules below.
"""

from .base import KINDS, Kind, Param, SpecError, kind_of, validate_rule
from . import amounts, cells, copying, fields, reader, tables, text  # noqa: F401  (registers the kinds)

__all__ = ["KINDS", "Kind", "Param", "SpecError", "kind_of", "validate_rule"]
