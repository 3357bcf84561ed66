"""Output safety: reportc never deletes or replaces an input or a file it did not write.

build and batch leave manifest.json, the record of what they wrote; only files it lists, and that are
unchanged since, are ever replaced or removed. `reportc verify` compares a folder with it."""

from __future__ import annotations

import datetime as dt
import errno
import hashlib
import json
import os
from pathlib import Path

import pytest
from conftest import assert_no_traceback, run_cli
from make_hostile import good_workbook

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "qingshan-minzheng-2025.xlsx"
USER_FILES = ("report-final.docx", "reports.xlsx", "report_2023.pdf", "reportcard.md", "validation-notes.txt")
USER_FOLDERS = ("report_archive.2023", "validation.bak")


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under folder (hidden ones too), by relative path."""
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def user_files(folder: Path) -> dict[str, bytes]:
    folder.mkdir(parents=True, exist_ok=True)
    for name in USER_FILES:
        (folder / name).write_bytes(f"用户的文件 {name}".encode())
    for name in USER_FOLDERS:
        (folder / name).mkdir()
        (folder / name / "里面.txt").write_text("用户的", encoding="utf-8")
    (folder / ".notes.reportc-backup.txt").write_text("用户的隐藏笔记", encoding="utf-8")
    return snapshot(folder)


def failing_workbook(**changes) -> bytes:
    return good_workbook(t3__new__natural="9" * 5000, **changes)  # a D6 error: exit 1, validation report only


# ---- issue 17 item 2: an input is never deleted ---------------------------------------------------

@pytest.mark.parametrize("where", ["cwd", "out/report.xlsx", "out/validation-2024.xlsx"])
def test_build_refuses_an_output_folder_that_holds_the_workbook(tmp_path, where):
    name = "report.xlsx" if where == "cwd" else where
    workbook = tmp_path / name
    workbook.parent.mkdir(parents=True, exist_ok=True)
    workbook.write_bytes(EXAMPLE.read_bytes())
    before = snapshot(tmp_path)
    out = "." if where == "cwd" else "out"
    result = run_cli("build", name, "-o", out, cwd=tmp_path)
    assert_no_traceback(result)
    assert result.returncode == 2, result.stdout + result.stderr
    assert f"输出文件夹“{out}”" in result.stderr and workbook.name in result.stderr, result.stderr
    assert snapshot(tmp_path) == before  # the workbook is there, nothing was written


def test_every_command_refuses_an_output_that_holds_an_input(tmp_path):
    (tmp_path / "out").mkdir()
    last = tmp_path / "out" / "上年.xlsx"
    last.write_bytes(good_workbook(year=2024))
    current = tmp_path / "本年.xlsx"
    current.write_bytes(EXAMPLE.read_bytes())
    template = tmp_path / "out" / "模板"
    template.mkdir()
    (template / "page.html.j2").write_text((ROOT / "compiler" / "templates" / "page.html.j2").read_text(encoding="utf-8"),
                                           encoding="utf-8")
    src = tmp_path / "各单位"
    src.mkdir()
    (src / "甲.xlsx").write_bytes(good_workbook(info__org="甲局"))
    (src / "乙.xlsx").write_bytes(good_workbook(info__org="乙局"))
    before = snapshot(tmp_path)
    for args, named in (
        (["build", current, "-o", "out", "--previous", last, "--previous-any"], "上年.xlsx"),
        (["build", current, "-o", "out", "--template", template], "模板"),
        (["batch", "各单位", "-o", "."], "各单位"),
        (["batch", src, "-o", tmp_path], "各单位"),
        (["new", "--previous", last, "--previous-any", "-o", last, "--overwrite"], "上年.xlsx"),
        (["merge", src / "甲.xlsx", src / "乙.xlsx", "-o", src / "甲.xlsx", "--org", "某县", "--overwrite"], "甲.xlsx"),
    ):
        result = run_cli(*args, cwd=tmp_path)
        assert_no_traceback(result)
        assert result.returncode == 2 and named in result.stderr, (args, result.stderr)
        assert "输出" in result.stderr and "输入" in result.stderr, result.stderr
        assert snapshot(tmp_path) == before, args


# ---- issue 17 item 3: no file of the user's is deleted or replaced --------------------------------

def test_users_files_beside_the_outputs_are_never_touched(tmp_path):
    out = tmp_path / "out"
    mine = user_files(out)
    good = tmp_path / "甲.xlsx"
    good.write_bytes(good_workbook(info__org="甲局"))
    bad = tmp_path / "甲-有错.xlsx"
    bad.write_bytes(failing_workbook(info__org="甲局"))
    other = tmp_path / "乙.xlsx"
    other.write_bytes(good_workbook(info__org="乙局"))

    result = run_cli("build", good, "-o", out)
    assert result.returncode == 0, result.stderr
    assert {k: v for k, v in snapshot(out).items() if k in mine} == mine
    assert (out / "report.html").is_file() and (out / "manifest.json").is_file()
    assert not [p for p in out.iterdir() if p.name.startswith(".") and p.name != ".notes.reportc-backup.txt"]

    result = run_cli("build", good, "-o", out)  # a rebuild replaces its own set
    assert result.returncode == 0, result.stderr

    result = run_cli("build", bad, "-o", out)  # errors: the old report.* go, the user's files stay
    assert result.returncode == 1, result.stderr
    files = snapshot(out)
    assert {k: v for k, v in files.items() if k in mine} == mine
    assert set(files) - set(mine) == {"manifest.json", "validation.html", "validation.json"}

    result = run_cli("build", other, "-o", out)  # another body's set: only with --overwrite
    assert result.returncode == 2 and "--overwrite" in result.stderr and "甲局2025年度" in result.stderr
    result = run_cli("build", other, "-o", out, "--overwrite")
    assert result.returncode == 0, result.stderr
    assert {k: v for k, v in snapshot(out).items() if k in mine} == mine
    assert json.loads((out / "manifest.json").read_text(encoding="utf-8"))["org"] == "乙局"


@pytest.mark.parametrize("overwrite", [False, True])
def test_a_file_in_the_way_that_reportc_did_not_write_is_a_refusal(tmp_path, overwrite):
    out = tmp_path / "out"
    out.mkdir()
    (out / "report.html").write_text("<p>门户网站上的页面</p>", encoding="utf-8")
    (out / "validation.json").mkdir()  # a folder of the same name
    before = snapshot(out)
    result = run_cli("build", EXAMPLE, "-o", out, *(["--overwrite"] if overwrite else []))
    assert_no_traceback(result)
    assert result.returncode == 2, result.stderr
    assert "report.html" in result.stderr and "validation.json" in result.stderr and "manifest.json" in result.stderr
    assert snapshot(out) == before and sorted(p.name for p in out.iterdir()) == ["report.html", "validation.json"]


def test_a_report_file_changed_after_the_build_is_never_lost(tmp_path):
    out = tmp_path / "out"
    good = tmp_path / "w.xlsx"
    good.write_bytes(good_workbook())
    assert run_cli("build", good, "-o", out).returncode == 0
    (out / "report.md").write_text("办公室改过的稿子", encoding="utf-8")
    result = run_cli("build", good, "-o", out)  # it would be replaced: refused, nothing written
    assert result.returncode == 2 and "report.md" in result.stderr and "修改" in result.stderr, result.stderr
    assert (out / "report.md").read_text(encoding="utf-8") == "办公室改过的稿子"
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(failing_workbook())
    result = run_cli("build", bad, "-o", out)  # it would be removed: kept, and said
    assert result.returncode == 1
    assert (out / "report.md").read_text(encoding="utf-8") == "办公室改过的稿子"
    assert "report.md" in result.stderr and "没有删除" in result.stderr, result.stderr
    assert not (out / "report.html").exists() and not (out / "report.docx").exists()


def test_a_manifest_that_is_not_reportcs_is_never_replaced(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "manifest.json").write_text('{"name": "网站的配置"}', encoding="utf-8")
    result = run_cli("build", EXAMPLE, "-o", out, "--overwrite")
    assert result.returncode == 2 and "manifest.json" in result.stderr
    assert sorted(p.name for p in out.iterdir()) == ["manifest.json"]


def test_the_launcher_keeps_the_users_files(tmp_path, monkeypatch):
    from reportc import launch

    workbook = tmp_path / "某局.xlsx"
    workbook.write_bytes(EXAMPLE.read_bytes())
    target = launch.output_dir(workbook)
    mine = user_files(target)
    monkeypatch.setenv("REPORTC_NO_OPEN", "1")
    assert launch.main(["build", str(workbook)]) == 0
    assert {k: v for k, v in snapshot(target).items() if k in mine} == mine
    assert (target / "report.docx").is_file()


# ---- a killed or failing run ----------------------------------------------------------------------

def test_a_failure_while_renaming_puts_the_previous_set_back(tmp_path, monkeypatch):
    from reportc import fsutil, publish

    out = tmp_path / "out"
    user_files(out)
    publish.build(EXAMPLE, out)
    before = snapshot(out)
    real = os.replace
    calls = []

    def failing(src, dst):
        calls.append(dst)
        if len(calls) == 5:
            raise PermissionError(errno.EACCES, "in use")  # Word holds report.docx, say
        return real(src, dst)
    monkeypatch.setattr(fsutil.os, "replace", failing)
    with pytest.raises(Exception) as exc:
        publish.build(EXAMPLE, out)
    assert "无法写入" in str(exc.value)
    assert snapshot(out) == before


def test_when_putting_back_fails_too_the_next_run_finishes_the_new_set(tmp_path, monkeypatch):
    from reportc import fsutil, publish
    from reportc.verification import verify_folder

    out = tmp_path / "out"
    mine = user_files(out)
    publish.build(EXAMPLE, out)
    real = os.replace
    calls = []

    def failing(src, dst):
        calls.append(dst)
        if len(calls) in (5, 6):  # a rename, then the first undo, fail
            raise PermissionError(errno.EACCES, "in use")
        return real(src, dst)
    monkeypatch.setattr(fsutil.os, "replace", failing)
    with pytest.raises(Exception, match="无法写入"):
        publish.build(EXAMPLE, out, draft=True)
    monkeypatch.setattr(fsutil.os, "replace", real)
    assert fsutil.pending(out)
    assert verify_folder(out).problems  # verify says the run was interrupted
    fsutil.recover(out)
    assert not fsutil.pending(out) and verify_folder(out).ok
    assert {k: v for k, v in snapshot(out).items() if k in mine} == mine
    assert not [p for p in out.iterdir() if p.name.startswith(".") and p.name != ".notes.reportc-backup.txt"]


def test_recovery_deletes_only_the_names_its_journal_lists(tmp_path):
    """A run killed before its commit point: the next run deletes exactly the temporary files its
    journal names; a user's file with a look-alike name stays."""
    from reportc.fsutil import JOURNAL, recover

    out = tmp_path / "out"
    out.mkdir()
    token = "0123456789abcdef"
    listed = out / f".report.html.reportc-new-{token}"
    listed.write_text("半成品", encoding="utf-8")
    lookalikes = [out / ".notes.reportc-backup.txt", out / f".report.md.reportc-new-{'f' * 16}", out / ".x.reportc-old-1"]
    for p in lookalikes:
        p.write_text("用户的", encoding="utf-8")
    plan = {"journal": "reportc", "token": token, "new": {"report.html": listed.name, "../evil": "../x"}, "old": {}}
    (out / JOURNAL).write_text(json.dumps(plan), encoding="utf-8")
    with pytest.raises(Exception, match="不是 reportc 的记录文件"):  # a journal with a path in it: not ours
        recover(out)
    assert listed.exists()
    plan["new"].pop("../evil")
    (out / JOURNAL).write_text(json.dumps(plan), encoding="utf-8")
    recover(out)
    assert sorted(p.name for p in out.iterdir()) == sorted(p.name for p in lookalikes)


# ---- issue 19 part 4: manifest.json ---------------------------------------------------------------

def test_manifest_records_every_file_the_workbook_the_version_verdict_and_time(tmp_path):
    import reportc

    out = tmp_path / "out"
    assert run_cli("build", EXAMPLE, "-o", out).returncode == 0
    m = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    on_disk = sorted(p.name for p in out.iterdir() if p.name != "manifest.json")
    assert sorted(f["name"] for f in m["files"]) == on_disk
    for f in m["files"]:
        assert f["size"] == (out / f["name"]).stat().st_size and f["sha256"] == sha(out / f["name"])
    assert m["workbook"] == {"name": EXAMPLE.name, "size": EXAMPLE.stat().st_size, "sha256": sha(EXAMPLE)}
    assert m["reportc"] == reportc.__version__ and m["kind"] == "build" and m["format"] == "reportc-manifest"
    assert m["verdict"] == "可以发布" and (m["errors"], m["warnings"]) == (0, 0)
    created = dt.datetime.fromisoformat(m["created"])
    assert created.tzinfo is not None and abs(dt.datetime.now(dt.timezone.utc) - created) < dt.timedelta(minutes=5)
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(failing_workbook())
    assert run_cli("build", bad, "-o", out, "--overwrite").returncode == 1  # another body: 测试县民政局
    m = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert m["verdict"] == "不通过" and m["errors"] >= 1
    assert sorted(f["name"] for f in m["files"]) == ["validation.html", "validation.json"]


# ---- issue 19 part 4: reportc verify --------------------------------------------------------------

def test_verify_names_each_changed_missing_and_added_report_file(tmp_path):
    out = tmp_path / "out"
    assert run_cli("build", EXAMPLE, "-o", out).returncode == 0
    (out / "笔记.txt").write_text("用户的", encoding="utf-8")
    result = run_cli("verify", out)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "全部一致" in result.stdout and "笔记.txt" in result.stdout  # listed, not counted

    with open(out / "report.html", "a", encoding="utf-8") as fh:
        fh.write("<p>发布后加的一段</p>")
    (out / "report.md").unlink()
    (out / "report.pdf").write_bytes(b"%PDF-1.4")
    result = run_cli("verify", out)
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert any("[已改动] report.html" in x for x in lines), result.stdout
    assert any("[缺少] report.md" in x for x in lines)
    assert any("[新增] report.pdf" in x for x in lines)
    assert any("笔记.txt" in x and "不影响" in x for x in lines)
    assert "3 个文件" in result.stdout

    data = json.loads(run_cli("verify", out, "--json").stdout)
    assert data["readable"] is True and data["ok"] is False and data["verdict"] == "可以发布"
    status = {f["name"]: (f["status"], f["counted"]) for f in data["files"]}
    assert status["report.html"] == ("已改动", True) and status["report.md"] == ("缺少", True)
    assert status["report.pdf"] == ("新增", True) and status["笔记.txt"][1] is False
    assert status["report.docx"] == ("一致", False)


def test_verify_without_a_readable_manifest_exits_2(tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    result = run_cli("verify", empty)
    assert result.returncode == 2 and "manifest.json" in result.stderr
    data = json.loads(run_cli("verify", empty, "--json").stdout)
    assert data["readable"] is False and "manifest.json" in data["error"]
    for content in ("不是 JSON", '{"format": "reportc-manifest", "kind": "build", "format_version": 1, '
                                 '"files": [{"name": "../../etc/passwd", "size": 1, "sha256": "' + "0" * 64 + '"}]}'):
        (empty / "manifest.json").write_text(content, encoding="utf-8")
        result = run_cli("verify", empty)
        assert_no_traceback(result)
        assert result.returncode == 2 and "不是 reportc" in result.stderr, result.stderr
    result = run_cli("verify", tmp_path / "没有")
    assert result.returncode == 2 and "找不到" in result.stderr


def test_the_api_verifies_too(tmp_path):
    import reportc

    reportc.build(EXAMPLE, tmp_path / "out")
    result = reportc.verify(tmp_path / "out")
    assert isinstance(result, reportc.Verification) and result.ok
    (tmp_path / "out" / "validation.json").write_text("{}", encoding="utf-8")
    assert not reportc.verify(tmp_path / "out").ok


# ---- issue 17 item 4: batch -----------------------------------------------------------------------

def _bodies(tmp_path, count=2) -> Path:
    src = tmp_path / "各单位"
    src.mkdir()
    for i in range(count):
        (src / f"单位{i}.xlsx").write_bytes(good_workbook(info__org=f"单位{i}"))
    return src


@pytest.mark.parametrize("overwrite", [False, True])
def test_batch_never_replaces_a_summary_it_did_not_write(tmp_path, overwrite):
    src = _bodies(tmp_path)
    out = tmp_path / "网站根目录"
    out.mkdir()
    (out / "index.html").write_text("<h1>本局首页</h1>", encoding="utf-8")
    (out / "summary.xlsx").write_bytes(b"PK user's sheet")
    (out / ".notes.reportc-backup.txt").write_text("用户的", encoding="utf-8")
    before = snapshot(out)
    result = run_cli("batch", src, "-o", out, "--jobs", "1", *(["--overwrite"] if overwrite else []))
    assert_no_traceback(result)
    assert result.returncode == 2 and "index.html" in result.stderr and "summary.xlsx" in result.stderr, result.stderr
    assert snapshot(out) == before and sorted(p.name for p in out.iterdir()) == sorted(before)


def test_batch_replaces_its_own_summary_and_keeps_users_files(tmp_path):
    src = _bodies(tmp_path)
    out = tmp_path / "out"
    out.mkdir()
    (out / ".notes.reportc-backup.txt").write_text("用户的", encoding="utf-8")
    mine = user_files(out / "单位0")
    for _ in range(2):
        result = run_cli("batch", src, "-o", out, "--jobs", "1")
        assert result.returncode == 0, result.stdout + result.stderr
    assert (out / ".notes.reportc-backup.txt").read_text(encoding="utf-8") == "用户的"
    assert {k: v for k, v in snapshot(out / "单位0").items() if k in mine} == mine
    m = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert m["kind"] == "batch" and sorted(f["name"] for f in m["files"]) == ["index.html", "summary.xlsx"]
    assert m["folders"] == ["单位0", "单位1"]
    assert run_cli("verify", out).returncode == 0
    (out / "单位1" / "report.html").write_text("改了", encoding="utf-8")
    result = run_cli("verify", out)
    assert result.returncode == 1 and "单位1/report.html" in result.stdout


def test_batch_says_that_workbooks_in_its_output_folder_are_skipped(tmp_path):
    src = tmp_path / "收回"
    (src / "发布").mkdir(parents=True)
    (src / "发布" / "放错了.xlsx").write_bytes(good_workbook(info__org="甲局"))
    before = sha(src / "发布" / "放错了.xlsx")
    result = run_cli("batch", src, "-o", src / "发布")
    assert result.returncode == 2 and "放错了" not in result.stdout
    assert "没有找到工作簿" in result.stderr and "输出文件夹" in result.stderr and "不作为输入" in result.stderr
    (src / "甲.xlsx").write_bytes(good_workbook(info__org="乙局"))
    result = run_cli("batch", src, "-o", src / "发布", "--jobs", "1")
    assert result.returncode == 0, result.stderr
    assert "放错了.xlsx" in result.stdout and "跳过" in result.stdout
    assert sha(src / "发布" / "放错了.xlsx") == before


# ---- issue 17 item 9: OS errors on every output path are the user's ---------------------------------

def test_new_into_an_unwritable_folder_is_exit_2(tmp_path, monkeypatch, capsys):
    from reportc import cli, fsutil

    def denied(*args, **kwargs):
        raise PermissionError(errno.EACCES, "Permission denied")
    monkeypatch.setattr(fsutil.tempfile, "mkstemp", denied)
    with pytest.raises(SystemExit) as exc:
        cli.main(["new", "--year", "2025", "--org", "某局", "-o", str(tmp_path / "只读" / "t.xlsx")])
    err = capsys.readouterr().err
    assert exc.value.code == 2 and "没有写入权限" in err and "内部错误" not in err, err


def test_batch_summary_that_cannot_be_written_is_exit_2(tmp_path, monkeypatch, capsys):
    from reportc import batch_run, cli

    src = _bodies(tmp_path, count=1)

    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")
    monkeypatch.setattr(batch_run, "write_summary", full)
    with pytest.raises(SystemExit) as exc:
        cli.main(["batch", str(src), "-o", str(tmp_path / "out"), "--jobs", "1"])
    err = capsys.readouterr().err
    assert exc.value.code == 2 and "磁盘空间不足" in err and "内部错误" not in err, err


def test_build_into_the_current_folder_works(tmp_path):
    here = tmp_path / "发布"
    here.mkdir()
    mine = user_files(here)
    result = run_cli("build", EXAMPLE, "-o", ".", cwd=here)
    assert result.returncode == 0, result.stderr
    assert (here / "report.html").is_file() and {k: v for k, v in snapshot(here).items() if k in mine} == mine


def test_a_run_at_work_in_the_folder_is_not_mistaken_for_a_killed_one(tmp_path):
    """While one run holds the folder's journal, another neither recovers (undoes) its work nor writes."""
    from reportc import fsutil, publish
    from reportc.errors import UsageProblem

    out = tmp_path / "out"
    out.mkdir()
    fd = fsutil._open_journal(out)  # what a run does first
    try:
        with pytest.raises(UsageProblem, match="另一个 reportc 正在"):
            publish.build(EXAMPLE, out)
        assert sorted(p.name for p in out.iterdir()) == [fsutil.JOURNAL]
    finally:
        fsutil._close_journal(fd, out)
    publish.build(EXAMPLE, out)
    assert (out / "manifest.json").is_file() and not fsutil.pending(out)


def test_no_public_name_is_shadowed_by_a_module_of_that_name():
    """`import reportc.verify` would replace the function reportc.verify by a module: no module has an API name."""
    import reportc

    modules = {p.stem for p in (ROOT / "compiler").glob("*.py")} | {p.name for p in (ROOT / "compiler").iterdir() if p.is_dir()}
    assert not set(reportc.__all__) & modules


def test_paths_are_compared_as_the_system_compares_them(tmp_path, monkeypatch):
    """Windows compares paths without case (os.path.normcase there); a symlink to the input's folder is that folder."""
    from reportc import fsutil
    from reportc.errors import UsageProblem

    (tmp_path / "out").mkdir()
    workbook = tmp_path / "out" / "年报.xlsx"
    workbook.write_bytes(b"x")
    fsutil.refuse_inputs_inside(tmp_path / "OUT", [workbook])  # different folders here (Linux)
    monkeypatch.setattr(fsutil.os.path, "normcase", str.lower)  # as ntpath.normcase does
    with pytest.raises(UsageProblem, match="年报.xlsx"):
        fsutil.refuse_inputs_inside(tmp_path / "OUT", [workbook])
    monkeypatch.undo()
    (tmp_path / "link").symlink_to(tmp_path / "out", target_is_directory=True)
    with pytest.raises(UsageProblem, match="中包含输入"):
        fsutil.refuse_inputs_inside(tmp_path / "link", [workbook])
    with pytest.raises(UsageProblem, match="就是输入"):
        fsutil.refuse_inputs_inside(tmp_path / "link" / "年报.xlsx", [workbook], folder=False)
