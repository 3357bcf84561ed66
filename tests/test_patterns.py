"""Regular expressions kept between runs (patterns.py): a kept program is used only when it is
this Python's and intact, and a pattern made from it is the one re would have made."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from reportc import patterns
from reportc.usercache import CACHE_ENV

EXAMPLE = Path(__file__).parents[1] / "examples" / "qingshan-minzheng-2025.xlsx"
try:
    from re._compiler import compile as re_makes  # what re.compile does on a cache miss
except ImportError:  # Python 3.10
    from sre_compile import compile as re_makes

# shapes re compiles differently: CJK classes (a big charset), named groups, lookbehind,
# backreferences, flags, bytes, a possessive-free nested repeat
SAMPLES = [
    (r"(?P<num>\d{1,3}(?:,\d{3})*)(?P<unit>件|次|条)?", 0),
    (r"[一二三四五六七八九十]{1,3}[、是]", 0),
    (r"(?<![0-9.])(\d+)\s*(?=件)", 0),
    (r"(依申请|主动)公开\1", 0),
    (r"^第.+?条$", re.M),
    (r"abc|ABD", re.I),
    (rb"<meta[^>]+charset\s*=\s*[\"']?([A-Za-z0-9_\-]+)", re.I),
    (r"(?:(?:新收|收到)[^,.;#]{0,18}?申请[^,.;#]{0,6}#件?)+", 0),
]
TEXTS = ["收到申请12件", "一、二是", "共1,234件 5件", "依申请公开依申请公开", "第一条\n第二条", "abd ABC",
         "全年共收到政府信息公开申请#件", ""]


@pytest.fixture
def fresh(tmp_path, monkeypatch):
    """An empty cache folder, re's cache emptied, patterns.py as at the start of a run."""
    monkeypatch.setenv(CACHE_ENV, str(tmp_path / "cache"))
    _new_run(monkeypatch)
    monkeypatch.setattr("atexit.register", lambda f: f)  # no save at the end of the test process
    return tmp_path / "cache"


def _new_run(monkeypatch) -> None:
    monkeypatch.setattr(re, "_cache", {})
    if hasattr(re, "_cache2"):  # Python 3.12+: a second cache, looked in first
        monkeypatch.setattr(re, "_cache2", {})
    monkeypatch.setattr(patterns, "_state", {})


def _compile_samples() -> list[re.Pattern]:
    return [re.compile(p, f) for p, f in SAMPLES]


def _kept_file(cache: Path) -> Path:
    (path,) = cache.glob("patterns-*.bin")
    return path


def test_kept_programs_make_the_patterns_re_makes(fresh, monkeypatch):
    patterns.prime()
    _compile_samples()
    assert patterns.save()
    _new_run(monkeypatch)
    assert patterns.prime() == len(SAMPLES)
    primed = dict(re._cache)
    for pattern, flags in SAMPLES:
        kept = primed[(type(pattern), pattern, int(flags))]
        fresh_one = re_makes(pattern, int(flags))
        assert kept == fresh_one  # pattern, flags and compiled code
        assert kept.groupindex == fresh_one.groupindex and kept.groups == fresh_one.groups
        for text in TEXTS:
            subject = text.encode("utf-8") if isinstance(pattern, bytes) else text
            assert [m.span() for m in kept.finditer(subject)] == [m.span() for m in fresh_one.finditer(subject)]
    assert [re.compile(p, f) for p, f in SAMPLES] == [primed[(type(p), p, int(f))] for p, f in SAMPLES]  # found, not made
    assert not patterns.save()  # nothing new: the file is not written again


def test_nothing_compiled_nothing_written(fresh):
    patterns.prime()
    assert not patterns.save()
    assert not fresh.exists() or not list(fresh.glob("patterns-*.bin"))


@pytest.mark.parametrize("damage", ["payload", "crc", "short", "python", "format"])
def test_a_damaged_or_foreign_file_is_ignored_and_made_again(fresh, monkeypatch, damage):
    patterns.prime()
    _compile_samples()
    assert patterns.save()
    path = _kept_file(fresh)
    data = bytearray(path.read_bytes())
    if damage == "payload":
        data[-40] ^= 0x01
    elif damage == "crc":
        head = len(patterns.FORMAT + patterns._stamp())
        data[head] ^= 0xFF
    elif damage == "short":
        data = data[: len(data) // 2]
    elif damage == "python":
        data = bytearray(bytes(data).replace(sys.version.encode("utf-8"), b"3.99.0 (another build)", 1))
    else:
        data = bytearray(b"reportc-patterns 0\n" + bytes(data)[len(patterns.FORMAT):])
    path.write_bytes(bytes(data))
    _new_run(monkeypatch)
    assert patterns.prime() == 0
    assert re._cache == {}
    _compile_samples()
    assert patterns.save()  # made again, whole
    _new_run(monkeypatch)
    assert patterns.prime() == len(SAMPLES)


def test_a_program_sre_refuses_discards_the_whole_file(fresh, monkeypatch):
    good = {(p, int(f)): patterns.program(p, int(f)) for p, f in SAMPLES}
    final, code, groups, groupindex, indexgroup = good[SAMPLES[0][0], 0]
    bad = {**good, SAMPLES[0]: (final, code[:5] + [99999] + code[6:], groups, groupindex, indexgroup)}
    fresh.mkdir(parents=True)
    (fresh / patterns._file_name()).write_bytes(patterns._encode(bad))  # an intact file, CRC and all
    assert patterns.prime() == 0
    assert re._cache == {}  # not one of them put in: all or nothing


def test_a_program_unlike_re_s_own_is_not_kept(fresh, monkeypatch):
    real = patterns.program

    def wrong(pattern, flags):
        if pattern == SAMPLES[1][0]:  # a valid program, but another pattern's ({1,2}, not {1,3})
            return real(pattern.replace("{1,3}", "{1,2}"), flags)
        return real(pattern, flags)

    monkeypatch.setattr(patterns, "program", wrong)
    patterns.prime()
    _compile_samples()
    assert patterns.save()
    _new_run(monkeypatch)
    assert patterns.prime() == len(SAMPLES) - 1
    assert (str, SAMPLES[1][0], 0) not in re._cache


def test_an_unwritable_cache_folder_runs_without_it(fresh, monkeypatch, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x", encoding="utf-8")
    monkeypatch.setenv(CACHE_ENV, str(blocker / "cache"))
    assert patterns.prime() == 0
    _compile_samples()
    assert patterns.save() is False


def test_a_pattern_re_warns_about_is_not_kept(fresh, monkeypatch):
    patterns.prime()
    _compile_samples()
    with pytest.warns(FutureWarning):
        re.compile("[[a]")  # "Possible nested set"
    assert patterns.save()
    _new_run(monkeypatch)
    assert patterns.prime() == len(SAMPLES)
    with pytest.warns(FutureWarning):
        re.compile("[[a]")  # warns again: compiled, not found


def test_only_the_program_keeps_patterns(tmp_path, monkeypatch):
    """A script or a test calling entry.main with its arguments leaves re's cache and the folder alone."""
    from reportc import entry

    monkeypatch.setenv(CACHE_ENV, str(tmp_path / "cache"))
    monkeypatch.setattr(patterns, "_state", {})
    with pytest.raises(SystemExit):
        entry.main(["check", str(EXAMPLE)])
    assert patterns._state == {}  # never primed: no save registered


def test_a_ctrl_c_while_saving_at_exit_is_quiet(fresh, monkeypatch):
    def interrupted(pattern, flags):
        raise KeyboardInterrupt

    patterns.prime()
    _compile_samples()
    monkeypatch.setattr(patterns, "program", interrupted)
    assert patterns.save() is False


def test_a_python_without_re_s_cache_dict_is_left_alone(fresh, monkeypatch):
    monkeypatch.setattr(re, "_cache", None)
    assert patterns.prime() == 0
    assert patterns.save() is False


def test_patterns_of_older_versions_do_not_pile_up(fresh, monkeypatch):
    monkeypatch.setattr(patterns, "MAX_ENTRIES", len(SAMPLES) + 1)
    patterns.prime()
    _compile_samples()
    assert patterns.save()
    _new_run(monkeypatch)
    patterns.prime()
    re.compile("新的一条"), re.compile("又一条")  # two more: over the limit
    assert patterns.save()
    _new_run(monkeypatch)
    assert patterns.prime() == 2


def test_a_check_kept_and_then_found_every_pattern(tmp_path):
    """Two real runs of `reportc check`: the second compiles no pattern of reportc's (each found in
    the kept file), and each kept one equals what re makes of it."""
    env = {**os.environ, CACHE_ENV: str(tmp_path / "cache"), "PYTHONIOENCODING": "utf-8"}
    for _ in range(2):
        subprocess.run([sys.executable, "-m", "reportc", "check", str(EXAMPLE)], env=env, capture_output=True,
                       check=True)
    path = _kept_file(tmp_path / "cache")
    before = path.read_bytes()
    probe = """
import re, runpy, sys
import reportc.usercache  # pathlib and what it compiles: before the count starts
from reportc import patterns
try:
    from re import _compiler
except ImportError:
    import sre_compile as _compiler
made, real = [], _compiler.compile
def counting(p, flags=0):
    made.append(p)
    return real(p, flags)
_compiler.compile = counting
primed = patterns.prime()
differ = [k for k, v in re._cache.items() if v != real(k[1], k[2])]
sys.argv = ["reportc", "check", sys.argv[1]]
try:
    runpy.run_module("reportc", run_name="__main__")
except SystemExit:
    pass
print("PROBE", primed, len(differ), len(made), made, file=sys.stderr)
"""
    result = subprocess.run([sys.executable, "-c", probe, str(EXAMPLE)], env=env, capture_output=True, text=True,
                            encoding="utf-8")
    line = next(x for x in result.stderr.splitlines() if x.startswith("PROBE "))
    primed, differ, compiled = map(int, line.split()[1:4])
    assert primed >= 60 and differ == 0 and compiled == 0, line
    assert path.read_bytes() == before
