"""Hostile and malformed inputs (tests/make_hostile.py): every case gets its exit code and a
message naming the problem, never a traceback, in bounded time and memory; the input
file is unchanged and no partial output is left behind."""

from __future__ import annotations

import hashlib
import os
import resource
import shutil
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest
from conftest import ctrl_c_as_in_a_terminal, made_once
from make_hostile import cases

# not kept on one pytest-xdist worker: this module's tests take longer than the corpus (about 10 s), and
# spread over both workers they do not hold up the end of the run; the corpus is made once (conftest.made_once)

MEMORY_LIMIT = 1024 * 1024 * 1024  # 1 GiB address space per run
TIME_LIMIT = 30  # seconds per run (a normal check takes well under one)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    return made_once(tmp_path_factory, "hostile", cases)


def _limit():
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


def run(*args, cwd):
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    env.pop("REPORTC_DEBUG", None)
    start = time.perf_counter()
    result = subprocess.run([sys.executable, "-m", "reportc", *map(str, args)], cwd=cwd, env=env,
                            capture_output=True, text=True, encoding="utf-8", timeout=TIME_LIMIT, preexec_fn=_limit)
    return result, time.perf_counter() - start


def test_corpus_covers_every_kind_of_input(corpus):
    _, all_cases = corpus
    assert len(all_cases) >= 30
    assert {c.exit_code for c in all_cases} == {0, 1, 2}


@pytest.mark.parametrize("command", ["check", "build"])
def test_every_hostile_case(corpus, command, tmp_path):
    folder, all_cases = corpus
    failures = []
    for case in all_cases:
        path = folder / case.name
        before = hashlib.sha256(path.read_bytes()).hexdigest()
        out = tmp_path / f"out-{case.name}"
        args = [command, path] + (["-o", out] if command == "build" else [])
        result, seconds = run(*args, cwd=tmp_path)
        text = result.stdout + result.stderr
        problems = []
        if result.returncode != case.exit_code:
            problems.append(f"exit {result.returncode}, expected {case.exit_code}")
        problems += [f"message lacks “{w}”" for w in case.words if w not in text]
        if "Traceback" in text or "内部错误" in text:
            problems.append("traceback or internal error")
        if hashlib.sha256(path.read_bytes()).hexdigest() != before:
            problems.append("input file changed")
        if command == "build":
            files = sorted(p.name for p in out.iterdir()) if out.exists() else []
            if [f for f in files if f.startswith(".reportc-")]:
                problems.append(f"temporary files left: {files}")
            if case.exit_code == 2 and files:
                problems.append(f"output written for an unreadable file: {files}")
            if case.exit_code == 1 and [f for f in files if f.startswith("report.")]:
                problems.append(f"report written despite errors: {files}")
            if case.exit_code == 0 and "report.html" not in files:
                problems.append("no report for a clean workbook")
        if problems:
            failures.append(f"{case.name}: {'; '.join(problems)}\n{text[:400]}")
        assert seconds < TIME_LIMIT
    assert not failures, "\n\n".join(failures)


def test_clerk_text_is_data_not_markup(corpus, tmp_path):
    folder, _ = corpus
    result, _ = run("build", folder / "模板语法.xlsx", "-o", tmp_path / "out", cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    html = (tmp_path / "out" / "report.html").read_text(encoding="utf-8")
    md = (tmp_path / "out" / "report.md").read_text(encoding="utf-8")
    assert "{{ 7*7 }} {% for x in y %}" in html and "49" not in html.split("{{ 7*7 }}")[1][:5]
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; ]]&gt;" in html and "<script>" not in html
    assert "{{ 7\\*7 }}" in md and "<script>" not in md
    from docx import Document

    texts = [p.text for p in Document(str(tmp_path / "out" / "report.docx")).paragraphs]
    assert "{{ 7*7 }} {% for x in y %} <script>alert(1)</script> & ]]>" in texts


def test_control_characters_removed_from_outputs(corpus, tmp_path):
    folder, _ = corpus
    result, _ = run("build", folder / "控制字符.xlsx", "-o", tmp_path / "out", cwd=tmp_path)
    assert result.returncode == 0 and "R4" in result.stdout
    html = (tmp_path / "out" / "report.html").read_text(encoding="utf-8")
    assert "正文中有控制字符" in html and "\x07" not in html and "\u200b" not in html


def test_interrupted_build_keeps_previous_outputs(corpus, tmp_path, monkeypatch):
    """A renderer failing half-way leaves the earlier outputs as they were."""
    from reportc import publish as build_module
    from reportc import render_docx

    folder, _ = corpus
    good = folder / "模板语法.xlsx"
    out = tmp_path / "out"
    build_module.build(good, out)
    before = {p.name: p.read_bytes() for p in out.iterdir()}

    def broken(report):
        raise OSError("disk full")
    monkeypatch.setattr(render_docx, "render_docx", broken)
    with pytest.raises(OSError):
        build_module.build(good, out)
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before


# --- issue 9: output stays where it belongs ------------------------------------------------

def _tree(folder):
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*"))


def test_paths_from_workbook_text_stay_in_outputs(tmp_path):
    """Item 1: build without -o writes inside outputs/ whatever 机关名称 and 年度 say."""
    from make_hostile import good_workbook

    from reportc.fsutil import MAX_COMPONENT_BYTES

    hostile = [
        {"info__year": "2025/../../../X"}, {"info__org": "..", "info__year": ""}, {"info__org": ".", "info__year": ""},
        {"info__org": "/tmp/evil-absolute"}, {"info__org": "C:\\Windows\\evil"}, {"info__org": "CON", "info__year": ""},
        {"info__org": "com1.txt", "info__year": ""}, {"info__org": "局" * 300}, {"info__org": "a\u202eb_x0007_c\nd"},
    ]
    cwd = tmp_path / "work"
    cwd.mkdir()
    for i, changes in enumerate(hostile):
        src = tmp_path / f"in{i}.xlsx"
        src.write_bytes(good_workbook(**changes))
        result, _ = run("build", src, cwd=cwd)
        text = result.stdout + result.stderr
        assert result.returncode in (0, 1, 2) and "Traceback" not in text and "内部错误" not in text, text
        assert sorted(p.name for p in cwd.iterdir()) == ["outputs"], (changes, _tree(cwd))
        assert sorted(p.name for p in tmp_path.iterdir() if not p.name.startswith("in")) == ["work"]
        for path in (cwd / "outputs").rglob("*"):
            assert len(path.name.encode("utf-8")) <= MAX_COMPONENT_BYTES
            name = path.name.split(".")[0].upper()
            assert name not in ("CON", "COM1", "..", ".", "") and not path.name.endswith((" ", "."))
            assert not any(ch in path.name for ch in '\\:*?"<>|\n\x07\u202e')
        assert not Path("/tmp/evil-absolute").exists()
    folders = [p.name for p in (cwd / "outputs").iterdir()]
    assert len(folders) >= 6 and all(p.is_dir() for p in (cwd / "outputs").iterdir())


def test_text_is_never_a_formula_in_summary_and_sources(tmp_path):
    """Item 2: 机关名称 and file names starting with = + - @ are text in summary.xlsx and 汇总来源."""
    from make_hostile import good_workbook

    src = tmp_path / "in"
    src.mkdir()
    names = {"=1+1": "=HYPERLINK(1).xlsx", "+2+3": "+cmd.xlsx", "-4+5": "-1.xlsx", "@SUM(1)": "@x.xlsx"}
    for org, file in names.items():
        (src / file).write_bytes(good_workbook(info__org=org))
    result, _ = run("batch", src, "-o", tmp_path / "out", "--jobs", "1", cwd=tmp_path)
    assert "Traceback" not in result.stderr
    merged = tmp_path / "merged.xlsx"
    result, _ = run("merge", *sorted(src.iterdir()), "-o", merged, "--org", "=汇总", "--allow-errors", cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    from openpyxl import load_workbook

    rows = list(load_workbook(tmp_path / "out" / "summary.xlsx")["汇总"].iter_rows(min_row=2))
    assert {r[1].value for r in rows} == set(names) and {r[3].value for r in rows} == set(names.values())
    assert all(r[1].data_type == "s" and r[3].data_type == "s" for r in rows)
    sources = load_workbook(merged)["汇总来源"]
    cells = [c for row in sources.iter_rows(min_row=5) for c in row[1:3] if c.value]
    assert {c.value for c in cells} == set(names) | set(names.values())
    assert all(c.data_type == "s" for c in cells)
    with zipfile.ZipFile(tmp_path / "out" / "summary.xlsx") as z:
        assert not [n for n in z.namelist() if n.startswith("xl/worksheets/") and b"<f>" in z.read(n)]


def _fingerprint(folder):
    """The files of an output set; a DOCX by its document XML (its zip stores write times), and
    validation.html without the DOCX's SHA-256 in its 审核签发 block, once that is checked to be
    the hash of the DOCX beside it (so a mixed set still shows)."""
    import hashlib
    import json
    import re

    out = {}
    for p in sorted(folder.iterdir()):
        if p.name == "manifest.json":  # its time and the DOCX's digest differ from build to build
            out[p.name] = sorted(f["name"] for f in json.loads(p.read_text(encoding="utf-8"))["files"])
        elif p.suffix == ".docx":
            with zipfile.ZipFile(p) as z:
                out[p.name] = z.read("word/document.xml")
        elif p.name == "validation.html":
            text = p.read_bytes()
            row = re.search(rb"<code>report\.docx</code></td><td>\d+</td><td><code>([0-9a-f]{64})</code>", text)
            if row:
                docx = folder / "report.docx"
                assert docx.is_file() and hashlib.sha256(docx.read_bytes()).hexdigest().encode() == row.group(1)
                text = text.replace(row.group(0), b"")
            out[p.name] = text
        else:
            out[p.name] = p.read_bytes()
    return out


def test_failing_build_replaces_the_whole_set(corpus, tmp_path):
    """Item 3: a failing build leaves its validation report only, never an earlier report.*."""
    folder, _ = corpus
    out = tmp_path / "out"
    assert run("build", folder / "模板语法.xlsx", "-o", out, cwd=tmp_path)[0].returncode == 0
    assert "report.html" in _fingerprint(out)
    result, _ = run("build", folder / "千位数字.xlsx", "-o", out, cwd=tmp_path)
    assert result.returncode == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]
    assert sorted(_fingerprint(out)) == ["manifest.json", "validation.html", "validation.json"]
    result, _ = run("build", folder / "空文件.xlsx", "-o", out, cwd=tmp_path)  # unreadable: the folder is untouched
    assert result.returncode == 2 and sorted(_fingerprint(out)) == ["manifest.json", "validation.html", "validation.json"]


def test_killed_builds_leave_the_old_or_the_new_set(corpus, tmp_path):
    """Item 3: builds killed (SIGKILL) at twelve random moments leave the previous complete set or the
    new complete set, nothing mixed, once the next run has recovered the folder (it finishes or undoes the
    killed run from its journal); leftovers are hidden, and the recovered folder matches its manifest.
    A user's file in the folder is never touched."""
    import random
    import signal

    from reportc.fsutil import recover
    from reportc.verification import verify_folder

    folder, _ = corpus
    old_src, new_src = folder / "超长单元格.xlsx", folder / "模板语法.xlsx"
    reference = tmp_path / "ref"
    assert run("build", new_src, "-o", reference / "new", cwd=tmp_path)[0].returncode == 0
    assert run("build", old_src, "-o", reference / "old", cwd=tmp_path)[0].returncode == 0
    old, new = _fingerprint(reference / "old"), _fingerprint(reference / "new")
    start = time.perf_counter()
    assert run("build", new_src, "-o", reference / "timed", cwd=tmp_path)[0].returncode == 0
    duration = time.perf_counter() - start  # how long an uninterrupted build takes here
    assert old != new and sorted(old) == sorted(new)
    work = tmp_path / "work"
    out = work / "out"
    rng = random.Random(20261128)
    seen = set()
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    # kill points spread over the whole build (start-up, checking, rendering, writing, the swap)
    # and past its end, each moved at random by up to ±10 %
    # (None: after the build has ended, so that a machine slower now than when `duration` was
    # measured still sees the new set)
    for fraction in (0.05, 0.2, 0.35, 0.5, 0.65, 0.8, 0.9, 0.95, 1.0, 1.05, 1.5, 2.0, None):
        if not out.exists() or _fingerprint(out) != old:
            shutil.rmtree(out, ignore_errors=True)
            assert run("build", old_src, "-o", out, cwd=tmp_path)[0].returncode == 0
        (out / "用户的笔记.txt").write_text("不要删", encoding="utf-8")
        proc = subprocess.Popen([sys.executable, "-m", "reportc", "build", str(new_src), "-o", str(out)], cwd=tmp_path,
                                env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        if fraction is None:
            proc.wait(timeout=120)
        else:
            time.sleep(duration * fraction * rng.uniform(0.9, 1.1))
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        visible = [p.name for p in work.iterdir() if not p.name.startswith(".")]
        assert visible in (["out"], []), visible
        if out.exists():  # names only: a kill during the swap leaves old and new files side by side until recovery
            assert not {p.name for p in out.iterdir()} - set(old) - {"用户的笔记.txt"} - {p.name for p in out.glob(".*")}
        recover(out)  # what the next build into this folder does first
        assert [p.name for p in work.iterdir()] == ["out"]
        assert (out / "用户的笔记.txt").read_text(encoding="utf-8") == "不要删"
        (out / "用户的笔记.txt").unlink()
        state = _fingerprint(out)
        assert state in (old, new), sorted(state)
        assert verify_folder(out).ok
        seen.add("new" if state == new else "old")
    assert seen == {"old", "new"}, seen  # the kills fell both before and after the swap


def _batch_folder(tmp_path, count=3, **changes):
    src = tmp_path / "各单位"
    src.mkdir()
    _write_bodies(src, count, **changes)
    return src


def _write_bodies(src, count, **changes):
    from make_hostile import good_workbook

    for i in range(count):
        (src / f"单位{i}.xlsx").write_bytes(good_workbook(info__org=f"单位{i}", **changes))


@pytest.fixture(scope="module")
def forty_bodies(tmp_path_factory):
    """The workbooks of 40 bodies (as _batch_folder(count=40) writes them), made once per run."""
    folder, _ = made_once(tmp_path_factory, "forty-bodies", lambda folder: _write_bodies(folder, 40))
    return folder


def _copy_of(folder, tmp_path, times: int = 1):
    """The bodies' workbooks in 各单位 (times > 1: that many copies, each in a subfolder of its own)."""
    if times == 1:
        return shutil.copytree(folder, tmp_path / "各单位")
    for i in range(times):
        shutil.copytree(folder, tmp_path / "各单位" / f"第{i + 1}批")
    return tmp_path / "各单位"


def test_batch_names_do_not_collide_and_nothing_is_silently_ignored(tmp_path):
    """Item 4: index.html.xlsx / summary.xlsx.xlsx do not collide with the summary files;
    "~$…" that is a real workbook and ".…" files are listed as skipped; -o = input folder refused."""
    from make_hostile import good_workbook

    src = _batch_folder(tmp_path, count=1)
    for name, org in (("index.html.xlsx", "甲局"), ("summary.xlsx.xlsx", "乙局"), ("INDEX.HTML.xlsx", "丙局"),
                      ("~$真工作簿.xlsx", "丁局"), (".隐藏.xlsx", "戊局")):
        (src / name).write_bytes(good_workbook(info__org=org))
    (src / "~$单位0.xlsx").write_bytes(b"\x06clerk" + bytes(150))  # a real Excel lock file: ignored
    out = tmp_path / "out"
    result, _ = run("batch", src, "-o", out, "--jobs", "2", cwd=tmp_path)
    text = result.stdout + result.stderr
    assert "Traceback" not in text and "内部错误" not in text, text
    assert result.returncode == 0, text
    assert (out / "index.html").is_file() and (out / "summary.xlsx").is_file()
    assert not [p for p in out.iterdir() if p.name.startswith(".")]
    from openpyxl import load_workbook

    rows = {r[3]: r for r in load_workbook(out / "summary.xlsx")["汇总"].iter_rows(min_row=2, values_only=True)}
    assert set(rows) == {"单位0.xlsx", "index.html.xlsx", "summary.xlsx.xlsx", "INDEX.HTML.xlsx", "~$真工作簿.xlsx", ".隐藏.xlsx"}
    for name in ("index.html.xlsx", "summary.xlsx.xlsx", "INDEX.HTML.xlsx"):
        assert rows[name][4] in ("可以发布", "须核实")  # the verdict: documents were built
        folder = rows[name][9]
        assert folder.casefold() not in ("index.html", "summary.xlsx") and (out / folder / "report.html").is_file()
    assert len({rows[n][9].casefold() for n in rows if rows[n][9]}) == 4
    for name in ("~$真工作簿.xlsx", ".隐藏.xlsx"):
        assert rows[name][4] == "跳过" and "改名" in rows[name][10]
        assert name in text
    assert "~$单位0.xlsx" not in rows
    result, _ = run("batch", src, "-o", src, cwd=tmp_path)
    assert result.returncode == 2 and "输出文件夹不能就是存放工作簿的文件夹" in result.stderr


def _children(pid):
    """Pids of the processes whose parent is pid (Linux /proc)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


def _alive(pid):
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def _start_batch(tmp_path, src, pipes=False):
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    stream = subprocess.PIPE if pipes else subprocess.DEVNULL
    proc = subprocess.Popen([sys.executable, "-m", "reportc", "batch", str(src), "-o", str(tmp_path / "out"), "--jobs", "2"],
                            cwd=tmp_path, env=env, stdout=stream, stderr=stream, start_new_session=True,
                            preexec_fn=ctrl_c_as_in_a_terminal)
    deadline = time.time() + 60
    workers = []
    while time.time() < deadline and len(workers) < 2:
        time.sleep(0.2)
        workers = [p for p in _children(proc.pid) if "multiprocessing" in Path(f"/proc/{p}/cmdline").read_text(errors="replace")
                   and "resource_tracker" not in Path(f"/proc/{p}/cmdline").read_text(errors="replace")]
    assert len(workers) == 2, "workers did not start"
    time.sleep(1.0)  # let them get busy
    return proc, _children(proc.pid)


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs Linux /proc")
def test_killing_the_batch_parent_ends_its_workers(tmp_path, forty_bodies):
    """Item 5: after SIGKILL of `reportc batch` no worker lives on (nor keeps writing)."""
    import signal

    src = _copy_of(forty_bodies, tmp_path)
    proc, children = _start_batch(tmp_path, src)
    assert children
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    deadline = time.time() + 5
    while time.time() < deadline and [p for p in children if _alive(p)]:
        time.sleep(0.1)
    assert not [p for p in children if _alive(p)], "workers outlived the killed parent"
    done = len(list((tmp_path / "out").glob("*/report.html")))
    time.sleep(2)
    assert len(list((tmp_path / "out").glob("*/report.html"))) == done  # nobody writes any more
    result, _ = run("batch", src, "-o", tmp_path / "out", "--jobs", "2", cwd=tmp_path)  # the next run
    assert result.returncode == 0, result.stdout + result.stderr
    assert not [p for p in (tmp_path / "out").iterdir() if p.name.startswith(".")]
    assert len(list((tmp_path / "out").glob("*/report.html"))) == 40


def _start_exit_seconds() -> float:
    """How long this machine, as loaded now, takes to start a Python process that imports reportc's
    command line and to end it (median of three): the time no stop can beat, measured in the same test."""
    runs = []
    for _ in range(3):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-c", "import reportc.cli"], check=True)
        runs.append(time.perf_counter() - start)
    return sorted(runs)[1]


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs Linux /proc")
def test_ctrl_c_stops_the_batch_within_a_second(tmp_path, forty_bodies):
    """Item 5: Ctrl-C (SIGINT to the terminal's process group) ends parent and workers within a
    second, with a Chinese message and no traceback. On a loaded machine the second grows by
    twice the time a reportc process takes there to start and end (docs/threat-model.md): the
    guarantee is that no running workbook is waited for."""
    import signal

    src = _copy_of(forty_bodies, tmp_path, times=6)  # 240 workbooks: still at work after several seconds
    proc, children = _start_batch(tmp_path, src, pipes=True)
    allowed = 1.0 + 2 * _start_exit_seconds()  # measured while the batch's workers are busy
    assert proc.poll() is None, "the batch ended before Ctrl-C could be pressed"
    start = time.perf_counter()
    os.killpg(proc.pid, signal.SIGINT)
    stdout, stderr = proc.communicate(timeout=10)
    elapsed = time.perf_counter() - start
    text = stdout.decode("utf-8") + stderr.decode("utf-8")
    print(f"Ctrl-C stopped the batch in {elapsed:.2f} s (allowed {allowed:.2f} s)")
    assert elapsed < allowed, (elapsed, allowed)
    assert proc.returncode == 130 and "已中断" in text and "Traceback" not in text, text
    deadline = time.time() + allowed
    while time.time() < deadline and [p for p in children if _alive(p)]:
        time.sleep(0.05)
    assert not [p for p in children if _alive(p)]


# --- issue 9: what is shown is what is checked -----------------------------------------------

def test_shared_strings_found_through_relationships(tmp_path):
    """Item 6: the shared strings Office uses are the part the relationships name, not a
    fixed path; reportc reads (and would publish) what Excel and LibreOffice show."""
    from make_hostile import redirected_shared_strings

    from reportc.reader import read_workbook

    path = tmp_path / "重定向.xlsx"
    path.write_bytes(redirected_shared_strings(shown="重定向后的民政局"))
    assert read_workbook(path).data.texts["info.org"] == "重定向后的民政局"


@pytest.mark.libreoffice
def test_shared_strings_as_libreoffice_shows_them(tmp_path):
    """Item 6, against a real office program: LibreOffice shows the redirected strings too."""
    from libreoffice import soffice
    from make_hostile import redirected_shared_strings

    if soffice() is None:
        pytest.skip("LibreOffice not installed")
    path = tmp_path / "重定向.xlsx"
    path.write_bytes(redirected_shared_strings(shown="重定向后的民政局"))
    profile = tmp_path / "profile"
    subprocess.run([soffice(), f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,2",
                    "--outdir", str(tmp_path / "csv"), str(path)], capture_output=True, timeout=120, check=False)
    shown = "".join(p.read_text(encoding="utf-8", errors="replace") for p in (tmp_path / "csv").glob("*基本信息*"))
    if not shown:
        pytest.skip("LibreOffice did not convert the workbook")
    assert "重定向后的民政局" in shown


DRAFT_CASES = ("千位数字.xlsx", "天文数字.xlsx", "十的三十次方.xlsx", "代理字符.xlsx", "方向控制符.xlsx", "标题换行.xlsx",
               "日期格式的件数.xlsx", "时间格式的金额.xlsx", "日期单元格.xlsx", "无位置属性.xlsx", "严格格式.xlsx")


def test_check_and_build_agree(corpus, tmp_path):
    """Item 8: whatever check accepts (exit 0 or 1), build renders, with --draft too:
    surrogates, XML-illegal characters, numbers with thousands of digits, 1e308."""
    folder, all_cases = corpus
    codes = {c.name: c.exit_code for c in all_cases}
    for name in DRAFT_CASES:
        # check's exit code on each of these is codes[name]: test_every_hostile_case[check] runs the same
        # `reportc check` on every corpus file and asserts it, so it is not run a second time here
        assert codes[name] in (0, 1), name
        built, _ = run("build", folder / name, "-o", tmp_path / name, "--draft", cwd=tmp_path)
        text = built.stdout + built.stderr
        assert built.returncode == codes[name] and "内部错误" not in text, f"{name}: {text}"
        assert {"report.html", "report.docx", "report.md"} <= {p.name for p in (tmp_path / name).iterdir()}
    html = (tmp_path / "千位数字.xlsx" / "report.html").read_text(encoding="utf-8")
    assert "9999999999" not in html


INVISIBLE = "\u202e\u202d\u202a\u202b\u202c\u2066\u2067\u2068\u2069\u200e\u200f\u061c\u200b\u2060\ufeff\u00ad"


def test_bidi_and_invisible_characters_never_published(corpus, tmp_path):
    """Item 9: U+202E and friends are removed from every output, with a note (R4)."""
    folder, _ = corpus
    result, _ = run("build", folder / "方向控制符.xlsx", "-o", tmp_path / "out", cwd=tmp_path)
    assert result.returncode == 0 and "R4" in result.stdout and "改变文字方向" in result.stdout
    html = (tmp_path / "out" / "report.html").read_text(encoding="utf-8")
    md = (tmp_path / "out" / "report.md").read_text(encoding="utf-8")
    with zipfile.ZipFile(tmp_path / "out" / "report.docx") as z:
        docx = z.read("word/document.xml").decode("utf-8")
    for text in (html, md, docx):
        assert "共收到申请21件" in text
        assert not [ch for ch in INVISIBLE if ch in text]
    from reportc.values import clean_text

    for ch in INVISIBLE:
        assert clean_text(f"1{ch}2") == ("12", True)


def test_single_line_fields_cannot_inject_structure(corpus, tmp_path):
    """Item 10: newlines in 报告标题 (and every 基本信息 field) are folded: the Markdown title
    stays one line and the DOCX title one paragraph without breaks."""
    folder, _ = corpus
    result, _ = run("build", folder / "标题换行.xlsx", "-o", tmp_path / "out", cwd=tmp_path)
    assert result.returncode == 0 and "换行已改为空格" in result.stdout
    md = (tmp_path / "out" / "report.md").read_text(encoding="utf-8").splitlines()
    title = next(line for line in md if line.startswith("# "))
    assert "注入的标题" in title and "列表项" in title
    assert not [line for line in md if line.startswith(("# 注入", "- 列表", "\\# 注入"))]
    from docx import Document

    doc = Document(str(tmp_path / "out" / "report.docx"))
    from reportc.report import title_lines

    first = next(p for p in doc.paragraphs if "注入的标题" in p.text)
    folded = "测试县民政局2025年报告 # 注入的标题 - 列表项"
    assert first.text.replace("\n", "") == folded  # line breaks only where the layout balances the title
    assert first._p.xml.count("<w:br") == len(title_lines(folded)) - 1
    assert sum("注入的标题" in p.text for p in doc.paragraphs) == 1


# --- issue 9: resources and the file system -----------------------------------------------------

MEASURED_RUN = """
import sys
from pathlib import Path
from reportc.cli import main
try:
    main(sys.argv[1:])
except SystemExit as exc:
    code = exc.code
status = Path("/proc/self/status").read_text()
peak = next(line.split()[1] for line in status.splitlines() if line.startswith("VmHWM"))
print(f"PEAK_KB={peak}", file=sys.stderr)
sys.exit(code)
"""


# The floor for reading a workbook's sheets in Python: expat with handlers that do nothing.
BARE_PARSE = """
import sys, zipfile, pyexpat
with zipfile.ZipFile(sys.argv[1]) as z:
    for name in z.namelist():
        if name.startswith("xl/worksheets/"):
            p = pyexpat.ParserCreate(namespace_separator="}")
            p.buffer_text = True
            p.StartElementHandler = lambda name, attrs: None
            p.EndElementHandler = p.CharacterDataHandler = lambda data: None
            with z.open(name) as f:
                p.ParseFile(f)
"""


def _cpu_seconds(args: list[str], cwd: Path) -> tuple[int, float, str]:
    """(exit code, CPU seconds, stderr) of one child process."""
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    proc = subprocess.Popen(args, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    stderr = proc.stderr.read().decode("utf-8")
    proc.stderr.close()
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)  # reaped here: Popen must not wait for it again
    return proc.returncode, usage.ru_utime + usage.ru_stime, stderr


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="needs Linux /proc")
def test_one_row_with_millions_of_cells_is_answered_in_bounded_time_and_memory(tmp_path):
    """Item 11: a workbook with one 3.5-million-cell row (about 60 MB of sheet XML) is answered
    in one streaming pass and within 300 MB of memory (peak resident set of the reportc process).
    One pass: at most twice the CPU time this machine, as it runs now, takes merely to parse the
    sheets with expat and empty handlers (the slower of a run before and one after reportc's), plus
    2 s. On the 2-core development VM the bare parse took 4.5–7.1 s and reportc 7.7–8.2 s; a fixed
    10 s failed there on a slow day (11.2 s), and a reader that reads the row twice fails this bound
    (17.6 s against 16.2). One that was quadratic in the row would take hours."""
    path = tmp_path / "一行.xlsx"
    tests = Path(__file__).parent
    subprocess.run([sys.executable, "-c", f"import sys; sys.path.insert(0, {str(tests)!r}); from make_hostile import "
                    f"one_row_workbook; open({str(path)!r}, 'wb').write(one_row_workbook())"], check=True, timeout=300)
    bare = [sys.executable, "-c", BARE_PARSE, str(path)]
    code, before, stderr = _cpu_seconds(bare, tmp_path)
    assert code == 0, stderr
    code, cpu, stderr = _cpu_seconds([sys.executable, "-c", MEASURED_RUN, "check", str(path)], tmp_path)
    floor = max(before, _cpu_seconds(bare, tmp_path)[1])
    peak_mb = int(stderr.split("PEAK_KB=")[1].split()[0]) / 1024
    print(f"one row: reportc check {cpu:.2f} s CPU, bare expat parse {floor:.2f} s, peak {peak_mb:.0f} MB")
    assert code == 1, stderr  # the extra cells beside the table are reported
    assert cpu <= 2 * floor + 2, (cpu, floor)
    assert peak_mb <= 300, peak_mb


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="FIFOs are POSIX")
def test_not_a_regular_file_is_refused_at_once(tmp_path):
    """Item 12: a FIFO named .xlsx is refused at once (it used to hang forever)."""
    fifo = tmp_path / "管道.xlsx"
    os.mkfifo(fifo)
    for command in ("check", "build"):
        result, seconds = run(command, fifo, cwd=tmp_path)
        assert result.returncode == 2 and "不是普通文件" in result.stderr and seconds < 10
    result, _ = run("check", "/dev/null", cwd=tmp_path)
    assert result.returncode == 2 and "不是普通文件" in result.stderr


def test_output_errors_are_users_errors(corpus, tmp_path, monkeypatch, capsys):
    """Item 13: read-only folder, disk full, name too long, -o under a file: exit 2 with a
    Chinese message naming the folder, no English errno text, nothing partial left."""
    import errno

    from reportc import cli, fsutil

    folder, _ = corpus
    good = folder / "模板语法.xlsx"
    (tmp_path / "一个文件.txt").write_text("x", encoding="utf-8")
    result, _ = run("build", good, "-o", tmp_path / "一个文件.txt" / "out", cwd=tmp_path)
    assert result.returncode == 2 and "一个文件.txt" in result.stderr and "不是文件夹" in result.stderr
    result, _ = run("build", good, "-o", tmp_path / ("长" * 200), cwd=tmp_path)
    assert result.returncode == 2 and "太长" in result.stderr, result.stderr
    for code, words in ((errno.ENOSPC, "磁盘空间不足"), (errno.EACCES, "没有写入权限"), (errno.EROFS, "只读")):
        def full(path, data, code=code):
            Path(path).write_bytes(data[: len(data) // 2])
            raise OSError(code, os.strerror(code))
        monkeypatch.setattr(fsutil, "_write", full)
        out = tmp_path / f"out-{code}"
        with pytest.raises(SystemExit) as exc:
            cli.main(["build", str(good), "-o", str(out)])
        err = capsys.readouterr().err
        assert exc.value.code == 2 and words in err and str(out) in err, err
        assert os.strerror(code) not in err and "内部错误" not in err
        assert not out.exists() and not [p for p in tmp_path.iterdir() if p.name.startswith(".")]


def test_merge_refuses_the_same_body_twice_and_huge_sums(tmp_path):
    """Item 14 (and issue 12 item 2): the same body and year twice (different bytes, name typed
    with other spaces and brackets) is refused unless --allow-duplicates; numbers too large to
    sum are a clear error, never an OverflowError."""
    from make_hostile import good_workbook

    a, b, c = tmp_path / "a.xlsx", tmp_path / "b.xlsx", tmp_path / "c.xlsx"
    a.write_bytes(good_workbook(info__org="某县民政局(本级)"))
    b.write_bytes(good_workbook(info__org="某县 民政局（本级）", info__phone="12345"))
    c.write_bytes(good_workbook(info__org="某县财政局"))
    out = tmp_path / "汇总.xlsx"
    result, _ = run("merge", a, b, c, "-o", out, "--org", "某县", cwd=tmp_path)
    assert result.returncode == 2 and "同一机关同一年度" in result.stderr and "a.xlsx" in result.stderr \
        and "b.xlsx" in result.stderr and "--allow-duplicates" in result.stderr and not out.exists()
    result, _ = run("merge", a, b, c, "-o", out, "--org", "某县", "--allow-duplicates", cwd=tmp_path)
    assert result.returncode == 0 and out.exists(), result.stderr
    huge1, huge2 = tmp_path / "h1.xlsx", tmp_path / "h2.xlsx"
    huge1.write_bytes(good_workbook(info__org="甲", t3__new__natural=1e308))
    huge2.write_bytes(good_workbook(info__org="乙", t3__new__natural=1e308))
    result, _ = run("merge", huge1, huge2, "-o", tmp_path / "h.xlsx", "--org", "某县", "--allow-errors", cwd=tmp_path)
    text = result.stdout + result.stderr
    assert result.returncode == 2 and "大得不合常理" in text and "三、依申请公开!D6" in text
    assert "OverflowError" not in text and "内部错误" not in text


def test_batch_marks_the_same_body_twice(tmp_path):
    """Issue 12 item 2: batch marks both rows of the same body and year as 重复."""
    from make_hostile import good_workbook

    src = _batch_folder(tmp_path, count=2)
    (src / "单位0-重新保存.xlsx").write_bytes(good_workbook(info__org="单位 0", info__phone="1"))
    out = tmp_path / "out"
    result, _ = run("batch", src, "-o", out, "--jobs", "1", cwd=tmp_path)
    assert result.returncode == 1 and "[重复] 单位0.xlsx" in result.stdout, result.stdout + result.stderr
    from openpyxl import load_workbook

    rows = {r[3]: r for r in load_workbook(out / "summary.xlsx")["汇总"].iter_rows(min_row=2, values_only=True)}
    assert rows["单位0.xlsx"][11] == "重复" and rows["单位0-重新保存.xlsx"][11] == "重复" and rows["单位1.xlsx"][11] == ""
    assert "单位0-重新保存.xlsx" in rows["单位0.xlsx"][10]
    index = (out / "index.html").read_text(encoding="utf-8")
    assert index.count(">重复</td>") == 2


@pytest.mark.libreoffice
def test_ole_files_from_an_office_program_are_told_apart(tmp_path):
    """Issue 12 item 7, on real files: an .xls and a .doc saved by LibreOffice and renamed
    .xlsx are named as what they are, not as encrypted workbooks."""
    from libreoffice import soffice

    if soffice() is None:
        pytest.skip("LibreOffice not installed")
    root = Path(__file__).parent.parent
    (tmp_path / "t.txt").write_text("正文", encoding="utf-8")
    profile = tmp_path / "profile"
    for source, target in ((root / "examples" / "qingshan-minzheng-2025.xlsx", "xls"), (tmp_path / "t.txt", "doc")):
        subprocess.run([soffice(), f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", target,
                        "--outdir", str(tmp_path / "lo"), str(source)], capture_output=True, timeout=120, check=False)
    made = {p.suffix: p for p in (tmp_path / "lo").iterdir()}
    if set(made) != {".xls", ".doc"}:
        pytest.skip("LibreOffice did not convert")
    expected = {".xls": "是Excel 97-2003 工作簿（.xls），不是 .xlsx 工作簿", ".doc": "是 Word 97-2003 文档（.doc）"}
    for suffix, words in expected.items():
        renamed = tmp_path / f"改名{suffix}.xlsx"
        renamed.write_bytes(made[suffix].read_bytes())
        result, _ = run("check", renamed, cwd=tmp_path)
        assert result.returncode == 2 and words in result.stderr and "密码" not in result.stderr, result.stderr
