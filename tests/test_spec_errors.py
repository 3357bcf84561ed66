"""An edition file with a mistake is refused when it loads, with a message naming the
file, the rule and the key — never a bare StopIteration or KeyError deep inside."""

from __future__ import annotations

from pathlib import Path

import pytest

from reportc.errors import CannotCheck
from reportc.kinds import KINDS
from reportc.edition import CACHE_ENV, clear, load_edition
from reportc.spec import EDITIONS_PATH

SOURCE = Path(__file__).parent / "data" / "editions" / "2099" / "edition.toml"


def _load_variant(tmp_path, monkeypatch, change) -> None:
    text = change(SOURCE.read_text(encoding="utf-8"))
    folder = tmp_path / "editions" / "2098"
    folder.mkdir(parents=True)
    (folder / "edition.toml").write_text(text.replace('edition = "2099"', 'edition = "2098"'), encoding="utf-8")
    monkeypatch.setenv(EDITIONS_PATH, str(tmp_path / "editions"))
    monkeypatch.setenv(CACHE_ENV, str(tmp_path / "cache"))
    clear()
    try:
        load_edition("2098")
    finally:
        clear()


CASES = [
    ("a misspelt parameter", lambda t: t.replace('over = "rows"\ntotal = "*.total"', 'ovr = "rows"\ntotal = "*.total"'),
     ["2098/edition.toml", "D1", "ovr", "没有这个参数"]),
    ("a missing parameter", lambda t: t.replace('parts = ["all.review_upheld", "all.review_corrected"]\n', ""),
     ["D3", "parts", "缺少"]),
    ("an unknown kind", lambda t: t.replace('id = "D9"\nkind = "equal"', 'id = "D9"\nkind = "equals"'),
     ["D9", "kind", "equals"]),
    ("a duplicate id", lambda t: t.replace('id = "D9"', 'id = "D1"'), ["D1", "重复"]),
    ("a cell that does not exist", lambda t: t.replace('right = ["*.revised"]', 'right = ["*.revisd"]'),
     ["D9", "right", "t2.rules.revisd"]),
    ("an unknown table", lambda t: t.replace('table = "t4"\ntotal', 'table = "t5"\ntotal'), ["D3", "table", "t5"]),
    ("a wrong type", lambda t: t.replace('parts = ["*.natural", "*.legal"]', 'parts = "*.natural"'), ["D1", "parts", "列表"]),
    ("a bad choice", lambda t: t.replace('op = ">="', 'op = "=>"'), ["D9", "op", "=>"]),
]


@pytest.mark.parametrize("name,change,words", CASES, ids=[c[0] for c in CASES])
def test_edition_mistakes_are_named(tmp_path, monkeypatch, name, change, words):
    with pytest.raises(CannotCheck) as err:
        _load_variant(tmp_path, monkeypatch, change)
    text = str(err.value) + str(getattr(err.value, "hint", ""))
    for word in words:
        assert word in text, f"{name}: {text}"


def test_the_test_edition_itself_loads(tmp_path, monkeypatch):
    _load_variant(tmp_path, monkeypatch, lambda t: t)  # no exception: the variants above fail for their change only


def test_every_kind_documents_itself():
    for name, kind in KINDS.items():
        assert kind.doc, name
        assert all(p.doc for p in kind.params.values()), name
    assert {"equal", "sum", "previous", "cell_type", "blank", "required_fields", "narrative_filled",
            "edition_year", "placeholder", "text_mentions", "missing_number", "narrative_numbers", "reader"} <= set(KINDS)
