"""reportc: compile 政府信息公开工作年度报告 from a locked Excel workbook."""

__version__ = "0.2.0"
