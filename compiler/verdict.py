"""The one verdict a signer reads, said the same way everywhere (CLI, validation.html/json, 校验 sheet,
batch index.html and summary.xlsx, manifest.json).

- 不通过: the workbook has errors;
- 须核实: no errors, but warnings that nobody has explained;
- 可以发布: no errors, and every warning explained (or none).
"""

from __future__ import annotations

FAIL = "不通过"
VERIFY = "须核实"
PASS = "可以发布"
VERDICTS = (FAIL, VERIFY, PASS)


def verdict_of(errors: int, open_warnings: int) -> str:
    """The verdict for a count of errors and of warnings without an explanation."""
    if errors:
        return FAIL
    return VERIFY if open_warnings else PASS
