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


def _variant(tmp_path, monkeypatch, change_edition=lambda t: t, claims: str | None = None, reference: str | None = None):
    folder = tmp_path / "editions" / "2098"
    folder.mkdir(parents=True)
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
