"""entry.py reads plain `check`, `build` and `batch` arguments itself (no typer, no click: a faster start)
and hands everything else to cli.py. Both paths must give the same messages, exit codes and files."""

from __future__ import annotations

import inspect
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import fill

from reportc import cli, entry, verbs

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "qingshan-minzheng-2025.xlsx"


def _click_options(command: str) -> dict[str, tuple[str, bool]]:
    import typer.main

    group = typer.main.get_command(cli.app)
    params = group.commands[command].params
    return {opt: (p.name, not p.is_flag) for p in params if p.param_type_name == "option" and not p.hidden
            for opt in p.opts}


@pytest.mark.parametrize("command", sorted(entry.QUICK))
def test_the_quick_options_are_the_commands_own(command):
    assert entry.QUICK[command] == _click_options(command)
    verb = set(inspect.signature(getattr(verbs, command)).parameters)
    import typer.main

    click_names = {p.name for p in typer.main.get_command(cli.app).commands[command].params if not p.hidden}
    assert verb == click_names


@pytest.mark.parametrize("argv", [
    [], ["check"], ["check", "--help"], ["--version"], ["new"], ["check", "a.xlsx", "b.xlsx"],
    ["check", "--previous=x.xlsx", "a.xlsx"], ["check", "a.xlsx", "--json", "--json"], ["check", "*.xlsx"],
    ["check", "年报[1].xlsx"], ["build", "a.xlsx", "-o"], ["build", "a.xlsx", "-o", "-x"], ["check", "a.xlsx", "--"],
    ["check", "-"], ["check", ""], ["check", "a.xlsx", "--jsn"], ["build", "a.xlsx", "-o", "x", "-o", "y"],
    ["check", "a.xlsx", "-o", "x"], ["check", "--previous", "a.xlsx"],
    ["batch"], ["batch", "文件夹", "--jobs", "两"], ["batch", "文件夹", "--jobs", "²"], ["batch", "文件夹", "--jobs", "-1"],
    ["batch", "文件夹", "--jobs"], ["batch", "a", "b"], ["batch", "文件夹", "--draft"], ["batch", "文件夹", "--jobs=2"],
])
def test_anything_but_plain_arguments_goes_to_the_full_command_line(argv):
    assert entry.quick_args(argv) is None


def test_plain_arguments_are_read_as_typer_reads_them():
    assert entry.quick_args(["build", "年报 1.xlsx", "--format", "html,md", "-o", "输出", "--draft"]) == (
        "build", {"file": Path("年报 1.xlsx"), "formats": "html,md", "outdir": Path("输出"), "draft": True})


def test_wildcards_reach_typer_as_typed_so_that_it_expands_them_on_windows(tmp_path, monkeypatch, capsys):
    """cmd.exe leaves `reportc check 年报*.xlsx` to the program: typer expands it on Windows, but only when
    it reads sys.argv itself (given a list, it takes it as is). Windows is simulated for typer alone."""
    import os

    import typer.core

    class Windows:
        name = "nt"

        def __getattr__(self, attribute):
            return getattr(os, attribute)

    fill(tmp_path / "年报 甲.xlsx")
    monkeypatch.setattr(typer.core, "os", Windows())
    monkeypatch.setattr(sys, "argv", ["reportc", "check", str(tmp_path / "年报*.xlsx")])
    with pytest.raises(SystemExit) as info:
        entry.main()
    out = capsys.readouterr().out
    assert info.value.code == 0 and "年报 甲.xlsx" in out and "可以发布" in out


def test_batch_arguments_are_read_as_typer_reads_them():
    assert entry.quick_args(["batch", "各单位 年报", "--jobs", "3", "-o", "汇总", "--overwrite"]) == (
        "batch", {"folder": Path("各单位 年报"), "jobs": 3, "outdir": Path("汇总"), "overwrite": True})


def _run(main, argv, capsys) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as info:
        main(argv)
    captured = capsys.readouterr()
    return info.value.code, captured.out, captured.err


def _check_cases(tmp_path):
    good = fill(tmp_path / "好的 年报.xlsx")
    blank = fill(tmp_path / "空白.xlsx", consistent=False)
    return [["check", str(good)], ["check", str(good), "--json"], ["check", "--strict", str(blank)],
            ["check", str(blank), "--json"], ["check", str(tmp_path / "没有.xlsx")],
            ["check", str(tmp_path / "没有.xlsx"), "--json"], ["check", str(tmp_path)],
            ["check", str(good), "--previous", str(tmp_path / "没有.xlsx")]]


def test_check_says_the_same_on_both_paths(tmp_path, capsys):
    for argv in _check_cases(tmp_path):
        assert entry.quick_args(argv) is not None, argv
        assert _run(entry.main, argv, capsys) == _run(cli.main, argv, capsys), argv


@pytest.mark.parametrize("extra", [[], ["--format", "html,md"], ["--format", "html,odt"], ["--draft", "--strict"]])
def test_build_says_and_writes_the_same_on_both_paths(tmp_path, capsys, extra):
    workbook = fill(tmp_path / "年报.xlsx", consistent=not extra[:1] == ["--draft"])
    results = {}
    for name, main in (("full", cli.main), ("fast", entry.main)):
        argv = ["build", str(workbook), "-o", str(tmp_path / name), *extra]
        assert entry.quick_args(argv) is not None
        code, out, err = _run(main, argv, capsys)
        folder = tmp_path / name
        files = sorted(p.name for p in folder.iterdir()) if folder.exists() else []
        md = (folder / "report.md").read_text(encoding="utf-8") if (folder / "report.md").exists() else None
        results[name] = (code, out.replace(str(folder), "<out>"), err.replace(str(folder), "<out>"), files, md)
    assert results["fast"] == results["full"]


@pytest.mark.parametrize("extra", [[], ["--format", "md", "--jobs", "1"], ["--format", "html,odt"], ["--strict"]])
def test_batch_says_and_writes_the_same_on_both_paths(tmp_path, capsys, extra):
    folder = tmp_path / "各单位"
    fill(folder / "好的.xlsx")
    fill(folder / "sub" / "空白.xlsx", consistent=False)
    (folder / "坏的.xlsx").write_bytes(b"not a workbook")
    results = {}
    for name, main in (("full", cli.main), ("fast", entry.main)):
        out = tmp_path / name
        argv = ["batch", str(folder), "-o", str(out), "--jobs", "1", *extra] if "--jobs" not in extra else \
            ["batch", str(folder), "-o", str(out), *extra]
        assert entry.quick_args(argv) is not None
        code, stdout, stderr = _run(main, argv, capsys)
        files = sorted(str(p.relative_to(out)) for p in out.rglob("*")) if out.exists() else []
        results[name] = (code, stdout.replace(str(out), "<out>"), stderr.replace(str(out), "<out>"), files)
    assert results["fast"] == results["full"]
    assert results["fast"][0] == (2 if "html,odt" in extra else 1)  # odt: no such format; else the blank fails


def test_batch_of_a_file_says_the_same_on_both_paths(tmp_path, capsys):
    argv = ["batch", str(fill(tmp_path / "年报.xlsx")), "-o", str(tmp_path / "out")]
    assert entry.quick_args(argv) is not None
    fast, full = _run(entry.main, argv, capsys), _run(cli.main, argv, capsys)
    assert fast == full and fast[0] == 2 and "不是文件夹" in fast[2]


def test_check_build_and_batch_start_without_typer_or_click(tmp_path):
    probe = (
        "import sys\n"
        "from reportc.entry import main\n"
        "try:\n"
        "    main(sys.argv[1:])\n"
        "except SystemExit as exc:\n"
        "    print(exc.code, sorted(m for m in ('typer', 'click') if m in sys.modules), file=sys.stderr)\n"
    )
    (tmp_path / "in").mkdir()
    for name in ("甲.xlsx", "乙.xlsx"):  # two: batch starts its worker processes
        (tmp_path / "in" / name).write_bytes(EXAMPLE.read_bytes())
    for argv, code in ((["check", str(EXAMPLE)], 0), (["build", str(EXAMPLE), "-o", str(tmp_path / "out")], 0),
                       # 1: the same report twice is flagged as a duplicate
                       (["batch", str(tmp_path / "in"), "-o", str(tmp_path / "batch")], 1)):
        result = subprocess.run([sys.executable, "-c", probe, *argv], capture_output=True, text=True,
                                encoding="utf-8", timeout=120)
        assert result.stderr.strip().splitlines()[-1] == f"{code} []", result.stderr
    result = subprocess.run([sys.executable, "-c", probe, "check", "--help"], capture_output=True, text=True,
                            encoding="utf-8", timeout=120)
    assert "['click', 'typer']" in result.stderr  # help is typer's
