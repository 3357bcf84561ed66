"""reportc: compile 政府信息公开工作年度报告 from a locked Excel workbook.

The public API, shared by the command line, the tests and anyone scripting reportc:

    import reportc
    path = reportc.new_workbook(year=2025, org="某县民政局")       # the locked fill-in workbook
    outcome = reportc.check("填好的.xlsx")                          # -> reportc.Outcome
    built = reportc.build("填好的.xlsx", "outputs/某县民政局-2025")  # check, then write -> reportc.Built
    reportc.merge([...], "汇总.xlsx", org="某县人民政府")           # the county roll-up
    entries = reportc.batch("收回的工作簿", "发布")                  # -> list[reportc.Entry]
    result = reportc.verify("outputs/某县民政局-2025")               # -> reportc.Verification
    imported, path = reportc.import_report("上年年报.html", "导入.xlsx")  # a published report -> workbook

The verbs are reportc.api's, one function per command. Names are loaded on first use, so
`reportc --help` does not import the heavy parts. See docs/接口.md.
"""

__version__ = "0.2.0"

# public name -> (module, attribute)
_API = {
    "new_workbook": ("api", "new"),
    "check": ("api", "check"),
    "build": ("api", "build"),
    "merge": ("api", "merge"),
    "batch": ("api", "batch"),
    "verify": ("api", "verify"),
    "import_report": ("api", "import_report"),
    "audit": ("api", "audit"),
    "read_published": ("importer", "read_published"),
    "Imported": ("importer.assemble", "Imported"),
    "Outcome": ("publish", "Outcome"),
    "Built": ("publish", "Built"),
    "CheckResult": ("validate", "CheckResult"),
    "Finding": ("findings", "Finding"),
    "Entry": ("batch_run", "Entry"),
    "Verification": ("verification", "Verification"),
    "Spec": ("spec", "Spec"),
    "load_spec": ("spec", "load_spec"),
    "CannotCheck": ("errors", "CannotCheck"),
    "UsageProblem": ("errors", "UsageProblem"),
}
__all__ = ["__version__", *_API]


def __getattr__(name: str):
    if name not in _API:
        raise AttributeError(f"module 'reportc' has no attribute {name!r}")
    from importlib import import_module

    module, attr = _API[name]
    value = getattr(import_module(f"{__name__}.{module}"), attr)
    globals()[name] = value  # later look-ups skip this function
    return value


def __dir__():
    return sorted(__all__)
