"""Renderers: what the terminal, validation.html and the JSON report show of a finding."""

from __future__ import annotations

import json

from conftest import run_cli

from reportc import build


def test_rule_ids_are_tagged_in_terminal_html_and_json(tmp_path, filled_workbook):
    path = filled_workbook("a.xlsx", t3__granted__natural="12件")
    result = run_cli("check", path)
    assert "[错误][规则D6] 三、依申请公开!" in result.stdout
    assert "] D6 " not in result.stdout and "[错误] D6" not in result.stdout
    data = json.loads(run_cli("check", path, "--json").stdout)
    d6 = next(f for f in data["findings"] if f["rule"] == "D6")
    assert d6["rule"] == "D6" and d6["rule_tag"] == "规则D6"
    build(path, tmp_path / "out")
    html = (tmp_path / "out" / "validation.html").read_text(encoding="utf-8")
    assert ">规则D6</td>" in html and ">D6</td>" not in html and ">规则O1</td>" in html

