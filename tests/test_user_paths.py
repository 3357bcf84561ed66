"""What a clerk, a supervisor and a county office meet on ordinary paths (review of the merged
main): each test is a mistake a user made, and what reportc must say."""

from __future__ import annotations

import random

from conftest import fill
from gen import consistent_numbers

from reportc import check
from reportc.layout import location
from reportc.spec import load_spec


def test_a_cell_typed_as_none_word_is_not_blamed_for_a_sum_it_cannot_change(tmp_path):
    """“无” is read as 0, which is what it says: the O1 imbalance comes from the “12件” beside it,
    not from the “无” that sorts first by key."""
    spec = load_spec("2021")
    numbers = consistent_numbers(spec, random.Random(1))
    key = next(k for k in ("t3.granted.natural", "t3.partial.natural", "t3.unable_not_held.natural") if numbers[k])
    path = fill(tmp_path / "无.xlsx", **{key: f"{numbers[key]}件", "t3.deny_law.natural": "无",
                                            "t3.deny_secret.natural": "无"})
    outcome = check(path)
    o1 = [f for f in outcome.findings if f.rule == "O1"]
    assert o1 and all(f.caused_by == {"rule": "D6", "location": location(spec, key)} for f in o1)


def test_documented_format_lists_keep_every_default_output():
    """README's “另外生成 PDF” example once left report.json out (and so deleted the one the
    previous build wrote): every --format list shown to users holds the default set."""
    import re
    from pathlib import Path

    from reportc.renderers import DEFAULT_FORMATS as FORMATS

    root = Path(__file__).resolve().parents[1]
    shown = []
    for doc in [root / "README.md", *sorted((root / "docs").glob("*.md"))]:
        for m in re.finditer(r"--format\s+([a-z,]+)", doc.read_text(encoding="utf-8")):
            formats = m.group(1).split(",")
            if "pdf" in formats and len(formats) > 1:  # a list meant as “the usual set and PDF”
                shown.append(doc.name)
                assert set(FORMATS) <= set(formats), f"{doc.name}: --format {m.group(1)}"
    assert shown


def test_batch_names_the_workbooks_that_need_verifying(tmp_path):
    """The county office reads the CLI summary: “须核实 1 个” must say which one, and where (as
    index.html and summary.xlsx do), not only count it."""
    from conftest import run_cli


    src = tmp_path / "收回 的工作簿"
    src.mkdir()
    fill(src / "a-好.xlsx", org="云溪县民政局", **{"info.signature": "云溪县民政局"})
    fill(src / "b-落款.xlsx", org="云溪县水利局", **{"info.signature": "云溪县民政局"})
    result = run_cli("batch", src, "-o", tmp_path / "发布 目录", "--jobs", "1")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "可以发布 1 个，须核实 1 个" in result.stdout
    where = location(load_spec("2021"), "info.signature")
    line = next(x for x in result.stdout.splitlines() if "b-落款.xlsx" in x)
    assert line.startswith("  [须核实] b-落款.xlsx：") and where in line and "（规则R7）" in line
    assert not any("a-好.xlsx" in x for x in result.stdout.splitlines())


def test_audit_says_the_verdict_word_of_each_reports_validation(tmp_path):
    """An evaluator reads 可以发布 in a report's validation.html: the audit summary (CLI,
    summary.xlsx, index.html) says the same word, not “通过”."""
    import json
    import shutil

    from conftest import run_cli
    from importing import EXAMPLES, published
    from openpyxl import load_workbook

    pub = published(EXAMPLES["2021"], tmp_path / "pub", ("html",))
    folder = tmp_path / "已发布 年报"
    folder.mkdir()
    shutil.copy(pub / "report.html", folder / "青山 2025.html")
    out = tmp_path / "核对 结果"
    result = run_cli("audit", folder, "-o", out, "--jobs", "1")
    assert result.returncode == 0, result.stdout + result.stderr
    head, row = list(load_workbook(out / "summary.xlsx").active.iter_rows(values_only=True))[:2]
    found = json.loads((out / row[head.index("输出文件夹")] / "validation.json").read_text(encoding="utf-8"))
    assert found["verdict"] == "可以发布"
    assert row[head.index("结论") if "结论" in head else 4] == found["verdict"]
    assert "可以发布 1 份" in result.stdout
    assert ">可以发布<" in (out / "index.html").read_text(encoding="utf-8")


def test_a_mistyped_command_lists_every_command_and_suggests_the_new_ones():
    """`reportc verif` once said only new、check、build、merge、batch are available: verify, import
    and audit were missing from the list and from the suggestions."""
    import typer
    from conftest import run_cli

    from reportc.cli import app
    from reportc.usage import COMMAND_NAMES

    assert set(COMMAND_NAMES) == set(typer.main.get_command(app).commands)
    result = run_cli("verif")
    assert result.returncode == 2
    assert "您是不是要用：reportc verify？" in result.stderr
    assert "可用的命令：new、check、build、merge、batch、verify、import、audit。" in result.stderr
    assert "reportc audit" in run_cli("audi").stderr and "reportc import" in run_cli("improt").stderr


def test_readme_names_every_rule_the_xigong_example_raises():
    """README tells what the real 2020 sample's validation points out: the rules it names are
    exactly the ones `check` reports on examples/xigong-minzheng-2020.xlsx."""
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    readme = root / "README.md"
    text = readme.read_text(encoding="utf-8")
    para = text[text.index("校验报告会如实指出原文缺失的内容"):]
    para = para[:para.index("\n\n")]
    named = set(re.findall(r"（([A-Z]\d+)）", para))
    found = {f.rule for f in check(root / "examples" / "xigong-minzheng-2020.xlsx").findings}
    assert named == found


def test_audit_of_two_years_finds_a_copied_report(tmp_path):
    """An evaluator's folder holds a body's 2024 and 2025 reports, the 2025 one last year's text and
    tables: audit pairs them and, as `check --previous` does, says 内容雷同 (S11, S12)."""
    import json
    import shutil

    from conftest import run_cli
    from importing import published
    from openpyxl import load_workbook

    spec = load_spec("2021")
    numbers = consistent_numbers(spec, random.Random(5))
    story = ("我局坚持以公开为常态、不公开为例外，围绕社会救助、养老服务等重点工作推进决策、执行、管理、服务、结果公开，"
             "及时回应社会关切，政府信息公开工作质量进一步提高，群众满意度持续提升。全年组织业务培训，"
             "规范依申请公开办理流程，加强政务新媒体管理，持续优化政府网站栏目设置。")
    folder = tmp_path / "已发布 年报"
    folder.mkdir()
    for year in (2024, 2025):
        wb = fill(tmp_path / f"{year}.xlsx", year=year, seed=5, **numbers, **{"s1.intro.1": story})
        shutil.copy(published(wb, tmp_path / f"pub{year}", ("html",)) / "report.html", folder / f"测试县民政局{year}.html")
    out = tmp_path / "核对 结果"
    result = run_cli("audit", folder, "-o", out, "--jobs", "1")
    assert result.returncode == 0, result.stdout + result.stderr
    head, *rows = list(load_workbook(out / "summary.xlsx").active.iter_rows(values_only=True))
    row = next(r for r in rows if "2025" in r[head.index("文件")])
    found = json.loads((out / row[head.index("输出文件夹")] / "validation.json").read_text(encoding="utf-8"))
    rules = {f["rule"] for f in found["findings"]}
    assert {"S11", "S12"} <= rules, rules
    assert row[head.index("结论") if "结论" in head else 4] == "须核实"


def test_batch_summary_names_no_folder_for_an_unreadable_file(tmp_path):
    """summary.xlsx named an output folder “坏了” for a file that could not be read, and none exists."""
    from conftest import run_cli
    from openpyxl import load_workbook

    src = tmp_path / "收回"
    src.mkdir()
    fill(src / "好.xlsx")
    (src / "坏了.xlsx").write_text("不是工作簿", encoding="utf-8")
    out = tmp_path / "发布"
    result = run_cli("batch", src, "-o", out, "--jobs", "1")
    assert result.returncode == 1
    head, *rows = list(load_workbook(out / "summary.xlsx").active.iter_rows(values_only=True))
    folder = {r[head.index("文件")]: r[head.index("输出文件夹")] for r in rows}
    assert folder["坏了.xlsx"] in ("", None) and not (out / "坏了").exists()
    assert folder["好.xlsx"] and (out / folder["好.xlsx"] / "report.html").is_file()


def test_import_refuses_reportcs_own_validation_and_summary_pages(tmp_path):
    """An evaluator imports the wrong file of an output folder: validation.html became a 存疑 workbook
    with 30 blank rows (exit 1); like validation.json it is refused, pointing at report.html."""
    from conftest import run_cli
    from importing import EXAMPLES, published

    pub = published(EXAMPLES["2021"], tmp_path / "pub", ("html",))
    result = run_cli("import", pub / "validation.html", "-o", tmp_path / "v.xlsx")
    assert result.returncode == 2, result.stdout + result.stderr
    assert "“validation.html”是 reportc 生成的校验报告或汇总页，不是年报" in result.stderr
    assert "report.html" in result.stderr and not (tmp_path / "v.xlsx").exists()
    src = tmp_path / "收回"
    src.mkdir()
    fill(src / "a.xlsx")
    assert run_cli("batch", src, "-o", tmp_path / "发布", "--jobs", "1").returncode == 0
    result = run_cli("import", tmp_path / "发布" / "index.html", "-o", tmp_path / "i.xlsx")
    assert result.returncode == 2 and "汇总页，不是年报" in result.stderr
    # the report itself still imports
    assert run_cli("import", pub / "report.html", "-o", tmp_path / "r.xlsx").returncode == 0


def test_merge_takes_the_documented_wildcard_as_windows_passes_it(tmp_path):
    """docs show `reportc merge 部门/*.xlsx …`; cmd.exe and PowerShell pass `部门/*.xlsx` unexpanded,
    and reportc said “找不到文件”. The pattern is matched in its folder (lock files left out)."""
    from conftest import run_cli

    dept = tmp_path / "收回 的工作簿" / "部门"
    dept.mkdir(parents=True)
    fill(dept / "民政局.xlsx", org="云溪县民政局")
    fill(dept / "财政局.xlsx", org="云溪县财政局", seed=2)
    (dept / "~$民政局.xlsx").write_bytes(b"lock")
    out = tmp_path / "汇总.xlsx"
    result = run_cli("merge", str(dept / "*.xlsx"), "-o", out, "--org", "云溪县人民政府")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "已汇总 2 个工作簿" in result.stdout and out.is_file()
    none = run_cli("merge", str(dept / "乡镇*.xlsx"), str(dept / "民政局.xlsx"), "-o", tmp_path / "x.xlsx",
                   "--org", "云溪县人民政府")
    assert none.returncode == 2 and "没有与“" in none.stderr and "乡镇*.xlsx”相符的工作簿" in none.stderr
    twice = run_cli("merge", str(dept / "*.xlsx"), str(dept / "民政局.xlsx"), "-o", tmp_path / "y.xlsx",
                    "--org", "云溪县人民政府")
    assert twice.returncode == 2 and "同一个工作簿被列了两次" in twice.stderr and "民政局.xlsx”" in twice.stderr


def test_new_into_a_folder_writes_the_default_name_inside_it(tmp_path):
    """`reportc new -o 文件夹` (or -o .) puts 机关名称-年度-填报.xlsx in that folder instead of refusing
    “输出文件应以 .xlsx 结尾：.”; a file name that is not .xlsx is still refused."""
    from conftest import run_cli

    folder = tmp_path / "下发 工作簿"
    folder.mkdir()
    result = run_cli("new", "--year", "2025", "--org", "云溪县民政局", "-o", folder)
    assert result.returncode == 0, result.stdout + result.stderr
    assert (folder / "云溪县民政局-2025-填报.xlsx").is_file()
    result = run_cli("new", "--year", "2025", "--org", "云溪县交通运输局", "-o", ".", cwd=folder)
    assert result.returncode == 0, result.stdout + result.stderr
    assert (folder / "云溪县交通运输局-2025-填报.xlsx").is_file()
    result = run_cli("new", "--year", "2025", "--org", "云溪县民政局", "-o", folder / "a.txt")
    assert result.returncode == 2 and ".xlsx" in result.stderr
