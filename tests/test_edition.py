"""An edition is compiled once: validated when it loads, immutable, cached on disk safely."""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
from pathlib import Path

import pytest

from reportc import edition as ed, record
from reportc.errors import CannotCheck
from reportc.spec import EDITIONS_PATH, parse_spec
from reportc.writer import build_workbook

HERE = Path(__file__).parent
SOURCE = HERE / "data" / "editions" / "2099" / "edition.toml"


@pytest.fixture
def fresh(tmp_path, monkeypatch):
    monkeypatch.setenv(ed.CACHE_ENV, str(tmp_path / "cache"))
    ed.clear()
    yield tmp_path
    ed.clear()


COMMON = HERE.parent / "xlsx_templates" / "common.toml"


def _variant(tmp_path, monkeypatch, change_edition=lambda t: t, claims: str | None = None, reference: str | None = None,
             change_common=None):
    folder = tmp_path / "editions" / "2098"
    folder.mkdir(parents=True)
    if change_common is not None:  # the edition's own common.toml, a changed copy of the package's
        (folder / "common.toml").write_text(change_common(COMMON.read_text(encoding="utf-8")), encoding="utf-8")
    text = change_edition(SOURCE.read_text(encoding="utf-8"))
    (folder / "edition.toml").write_text(text.replace('edition = "2099"', 'edition = "2098"'), encoding="utf-8")
    if claims is not None:
        (folder / "claims.toml").write_text(claims, encoding="utf-8")
    if reference is not None:
        (folder / "reference.toml").write_text(reference, encoding="utf-8")
    monkeypatch.setenv(EDITIONS_PATH, str(tmp_path / "editions"))
    ed.clear()
    return ed.load_edition("2098")


MISTAKES = [
    ("a column kind typo", dict(change_edition=lambda t: t.replace('kind = "count"', 'kind = "cuont"', 1)),
     ["2098/edition.toml", "的列", "kind", "cuont"]),
    ("a misspelt table key", dict(change_edition=lambda t: t.replace("short = ", "shrot = ", 1)),
     ["2098/edition.toml", "表格", "shrot"]),
    ("a misspelt rule key", dict(change_edition=lambda t: t.replace('over = "rows"\ntotal', 'ovr = "rows"\ntotal')),
     ["2098/edition.toml", "D1", "ovr"]),
    ("a claim naming a cell the edition lacks",
     dict(claims='[[subjects]]\nid = "ghost"\nwhat = "幽灵"\ncells = ["t3.new.ghost"]\nphrases = ["幽灵"]\n'),
     ["2098/claims.toml", "ghost", "cells", "t3.new.ghost"]),
    ("a misspelt claim key", dict(claims='[[subjects]]\nid = "ghost"\nwhat = "幽灵"\ncels = ["t3.new.total"]\n'),
     ["2098/claims.toml", "ghost", "cels"]),
    ("a reference naming a cell the edition lacks",
     dict(reference='[[reference]]\nsection = "s1.sub2"\nparts = ["收到", { sum = ["t3.new.ghost"] }, "件。"]\n'),
     ["2098/reference.toml", "s1.sub2", "parts", "t3.new.ghost"]),
    ("a misspelt reference key", dict(reference='[[reference]]\nsectoin = "s1.sub2"\nparts = ["收到。"]\n'),
     ["2098/reference.toml", "参考表述", "sectoin", "没有这个参数"]),
    ("a misspelt key of a reference's value",
     dict(reference='[[reference]]\nsection = "s1.sub2"\nparts = [{ amount = ["t3.new.total"], decimal = 2 }]\n'),
     ["2098/reference.toml", "s1.sub2", "decimal", "没有这个参数"]),
    ("a reference value of no kind", dict(reference='[[reference]]\nsection = "s1.sub2"\nparts = [{ sun = ["t3.new.total"] }]\n'),
     ["2098/reference.toml", "s1.sub2", "parts", "sum、amount、if_zero"]),
    ("a misspelt narrative key", dict(change_common=lambda t: t.replace("intro_label =", "intro_lable =", 1)),
     ["2098/common.toml", "正文部分 s0", "intro_lable"]),
    ("a misspelt field key", dict(change_common=lambda t: t.replace("required = true", "requierd = true", 1)),
     ["2098/common.toml", "基本信息项 org", "requierd"]),
    ("a field kind typo", dict(change_common=lambda t: t.replace('kind = "year"', 'kind = "yaer"', 1)),
     ["2098/common.toml", "基本信息项 year", "kind", "yaer"]),
    ("a misspelt key of common.toml", dict(change_common=lambda t: t.replace("[sheets]", "[sheet]", 1)),
     ["规范文件 2098/common.toml 的参数“sheet”", "没有这个参数"]),
    ("a rule of the edition's own common.toml", dict(change_common=lambda t: t.replace('severity = "error"', 'severity = 1', 1)),
     ["2098/common.toml", "severity"]),
]


@pytest.mark.parametrize("name,kwargs,words", MISTAKES, ids=[m[0] for m in MISTAKES])
def test_mistakes_fail_at_load_naming_file_entry_and_key(fresh, monkeypatch, name, kwargs, words):
    with pytest.raises(CannotCheck) as err:
        _variant(fresh, monkeypatch, **kwargs)
    text = str(err.value)
    for word in words:
        assert word in text, f"{name}: {text}"
    assert "KeyError" not in text


def test_the_unchanged_variant_loads(fresh, monkeypatch):
    edition = _variant(fresh, monkeypatch)
    assert edition.spec.edition == "2098" and edition.checks and edition.input_keys
    unchanged_common = _variant(fresh / "own", monkeypatch, change_common=lambda t: t)
    assert [f.id for f in unchanged_common.spec.fields if f.required] == ["org", "year"]


def test_new_with_edition_is_not_stopped_by_another_broken_edition(fresh, monkeypatch):
    """A REPORTC_EDITIONS folder being edited (its common.toml misspelt) stops only what needs it:
    `new --edition 2021` works; `new --year` (which must ask every edition which years it covers)
    names the broken file and key, in Chinese, with exit code 2."""
    from conftest import assert_no_traceback, run_cli

    with pytest.raises(CannotCheck):
        _variant(fresh, monkeypatch, change_common=lambda t: t.replace("intro_label =", "intro_lable =", 1))
    env = {EDITIONS_PATH: str(fresh / "editions"), ed.CACHE_ENV: str(fresh / "cache")}
    made = run_cli("new", "--edition", "2021", "--year", "2025", "--org", "某县民政局", "-o", fresh / "a.xlsx", env=env)
    assert made.returncode == 0 and (fresh / "a.xlsx").is_file(), made.stderr
    other = run_cli("new", "--edition", "2021", "--year", "2020", "--org", "某县民政局", "-o", fresh / "b.xlsx", env=env)
    assert other.returncode == 0 and "应使用2019版的格式" in other.stdout + other.stderr, other.stdout + other.stderr
    refused = run_cli("new", "--year", "2025", "--org", "某县民政局", "-o", fresh / "c.xlsx", env=env)
    assert_no_traceback(refused)
    assert refused.returncode == 2 and "2098/common.toml" in refused.stderr and "intro_lable" in refused.stderr
    assert not (fresh / "c.xlsx").exists()


def test_an_edition_is_immutable(fresh):
    edition = ed.load_edition("2021")
    with pytest.raises(record.FrozenError):
        edition.spec = None  # type: ignore[misc]
    for mapping in (edition.cell_map, edition.derivations, edition.reference):
        with pytest.raises(TypeError):
            mapping["x"] = 1  # type: ignore[index]
    assert isinstance(edition.checks, tuple) and isinstance(edition.input_keys, tuple)
    assert edition.cell_map["t3.new.natural"][0] == edition.spec.table("t3").sheet
    assert edition.plan is edition.plan and edition.plan.meta["edition"] == "2021"


def test_cache_miss_then_hit(fresh):
    path = ed.cache_path("2021")
    assert not path.exists()
    first = ed.load_edition("2021")
    assert path.is_file()
    ed.clear()
    hit = ed.read_cache("2021", ed.cache_key("2021"))
    assert hit is not None
    second = ed.load_edition("2021")
    assert second.spec is not first.spec  # read back from disk, not this process's object
    assert second.key == first.key and len(second.checks) == len(first.checks)
    assert [c.location for c in second.checks] == [c.location for c in first.checks]
    assert dict(second.cell_map) == dict(first.cell_map)


def test_cached_edition_writes_the_same_workbook_as_a_fresh_parse(fresh):
    ed.load_edition("2021")
    ed.clear()
    cached = ed.load_edition("2021").spec
    assert cached.memo.get("validated")
    fresh_spec = parse_spec("2021")  # no memo, no cache: as main's code built it
    assert build_workbook(cached, "青山县民政局", 2025) == build_workbook(fresh_spec, "青山县民政局", 2025)


@pytest.mark.parametrize("content", [b"", b"not a pickle", pickle.dumps({"key": "0" * 64}),
                                     pickle.dumps(["a list"]), b"\x80\x05\x95garbage"])
def test_a_corrupt_cache_is_compiled_again(fresh, content):
    path = ed.cache_path("2021")
    path.parent.mkdir(parents=True)
    path.write_bytes(content)
    edition = ed.load_edition("2021")
    assert edition.checks
    assert ed.read_cache("2021", ed.cache_key("2021")) is not None  # rewritten with the right key


def test_a_cache_with_another_key_is_never_trusted(fresh):
    ed.load_edition("2019")
    ed.clear()
    # the 2019 edition's cache renamed as 2021's: it unpickles fine, but its key is 2019's
    ed.cache_path("2019").replace(ed.cache_path("2021"))
    assert ed.read_cache("2021", ed.cache_key("2021")) is None
    assert ed.load_edition("2021").spec.edition == "2021"


class _Runs:
    def __init__(self, path: str):
        self.path = path

    def __reduce__(self):
        return (Path.touch, (Path(self.path),))


@pytest.mark.parametrize("header", [b"reportc-edition-cache/3 " + b"0" * 64 + b"\n", b"reportc-edition-cache/2\n", b""])
def test_a_cache_whose_key_does_not_match_is_never_unpickled(fresh, header):
    """The key is compared before anything is unpickled: a file with another key (or another cache
    format, or none) whose pickle would run code is not run."""
    ran = fresh / "ran"
    path = ed.cache_path("2021")
    path.parent.mkdir(parents=True)
    path.write_bytes(header + pickle.dumps(_Runs(str(ran))))
    assert ed.read_cache("2021", ed.cache_key("2021")) is None
    assert ed.load_edition("2021").checks
    assert not ran.exists()
    assert ed.read_cache("2021", ed.cache_key("2021")) is not None  # compiled again and rewritten


def test_the_key_follows_the_edition_files(fresh, monkeypatch):
    edition = _variant(fresh, monkeypatch)
    key = edition.key
    toml = fresh / "editions" / "2098" / "edition.toml"
    toml.write_text(toml.read_text(encoding="utf-8") + "\n# changed\n", encoding="utf-8")
    assert ed.cache_key("2098") != key


@pytest.mark.skipif(os.name == "nt" or os.geteuid() == 0, reason="root can write anywhere")
def test_an_unwritable_cache_folder_is_not_fatal(fresh, monkeypatch):
    folder = fresh / "ro"
    folder.mkdir()
    folder.chmod(0o500)
    monkeypatch.setenv(ed.CACHE_ENV, str(folder / "cache"))
    try:
        assert ed.load_edition("2021").checks
    finally:
        folder.chmod(0o700)


def test_a_cache_path_that_is_a_file_is_not_fatal(fresh, monkeypatch):
    blocker = fresh / "blocker"
    blocker.write_text("not a folder", encoding="utf-8")
    monkeypatch.setenv(ed.CACHE_ENV, str(blocker / "cache"))
    edition = ed.load_edition("2021")
    assert edition.checks
    assert not ed.write_cache("2021", edition.key, edition.spec)
    assert blocker.read_text(encoding="utf-8") == "not a folder"
    assert not list(fresh.glob("**/.cache-*.tmp"))


def test_cache_folder_by_platform(monkeypatch):
    monkeypatch.delenv(ed.CACHE_ENV, raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", "/x/cache")
    if os.name != "nt":
        assert ed.cache_dir() == Path("/x/cache/reportc")
    monkeypatch.setenv(ed.CACHE_ENV, "/y")
    assert ed.cache_dir() == Path("/y")


def test_a_second_process_reads_the_cache(fresh):
    env = {**os.environ, ed.CACHE_ENV: str(fresh / "cache"), "PYTHONIOENCODING": "utf-8"}
    code = ("import reportc.edition as e, reportc.spec as s; hit = e.read_cache('2021', e.cache_key('2021')) is not None;"
            "ed = e.load_edition('2021'); print(hit, ed.spec is s.load_spec('2021'))")
    runs = [subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, encoding="utf-8")
            for _ in range(2)]
    assert [r.stdout.split() for r in runs] == [["False", "True"], ["True", "True"]], [r.stderr for r in runs]


def test_a_failing_rename_leaves_no_temporary_file(fresh, monkeypatch):
    def refuse(src, dst):
        raise PermissionError(13, "Permission denied", str(dst))

    monkeypatch.setattr(ed.os, "replace", refuse)
    edition = ed.load_edition("2021")
    assert edition.checks
    folder = ed.cache_dir()
    assert folder.is_dir() and list(folder.iterdir()) == []
