"""reportc.record behaves as dataclasses does for what reportc uses: each class shape below is made
twice, once by each, and every observable behaviour compared (instances, repr, equality, hashing,
frozen assignment, inheritance, replace, pickling)."""

from __future__ import annotations

import copy
import dataclasses
import pickle

from typing import ClassVar

import pytest

from reportc import record


def shapes(decorate, field):
    """The class shapes reportc declares, made with the given decorator and field function."""

    @decorate(frozen=True)
    class Plain:
        name: str
        count: int = 0
        tags: tuple = ()

    @decorate(frozen=True)
    class WithFields:
        key: str
        shown: dict = field(default_factory=dict, hash=False, compare=False)
        cells: tuple = field(default=(), compare=False)
        note: str | None = field(default=None, compare=False, hash=False)
        memo: dict = field(default_factory=dict, hash=False, compare=False, repr=False)
        kind: ClassVar[str] = "k"

    @decorate(frozen=True, eq=False)
    class ByIdentity:
        name: str
        sheets: dict = field(default_factory=dict)

    @decorate
    class Mutable:
        items: list = field(default_factory=list)
        total: int = 0

        def add(self, n):
            self.items.append(n)
            self.total += n

    @decorate(frozen=True)
    class Base:
        a: int
        b: str = "b"

    @decorate(frozen=True)
    class Child(Base):
        c: float = 1.5
        b: str = "B"  # redeclared: keeps its place, takes the new default

        def __repr__(self):
            return "own repr"

    return {c.__name__: c for c in (Plain, WithFields, ByIdentity, Mutable, Base, Child)}


DC = shapes(dataclasses.dataclass, dataclasses.field)
RC = shapes(record.record, record.field)

CASES = [
    ("Plain", ("x",), {}), ("Plain", ("x", 2, (1, 2)), {}), ("Plain", (), {"name": "y", "tags": ("t",)}),
    ("WithFields", ("k",), {}), ("WithFields", ("k", {"a": 1}, ("A1",), "n"), {}), ("WithFields", ("k",), {"note": "x"}),
    ("ByIdentity", ("n",), {}), ("Mutable", (), {}), ("Mutable", ([1],), {"total": 1}),
    ("Base", (1,), {}), ("Child", (1,), {}), ("Child", (1, "x", 2.0), {}), ("Child", (), {"a": 3, "c": 0.0}),
]


def _pair(name, args, kwargs):
    return DC[name](*copy.deepcopy(args), **copy.deepcopy(kwargs)), RC[name](*copy.deepcopy(args), **copy.deepcopy(kwargs))


def _state(obj):
    return {k: v for k, v in vars(obj).items()}


@pytest.mark.parametrize("name, args, kwargs", CASES)
def test_instances_repr_and_fields_are_as_with_dataclasses(name, args, kwargs):
    d, r = _pair(name, args, kwargs)
    assert _state(r) == _state(d)
    assert list(vars(r)) == list(vars(d))  # the same fields, in the same order
    assert repr(r) == repr(d).replace(DC[name].__qualname__, RC[name].__qualname__)
    assert [f.name for f in record.fields(RC[name])] == [f.name for f in dataclasses.fields(DC[name])]
    assert record.asdict(r) == dataclasses.asdict(d)


@pytest.mark.parametrize("name, args, kwargs", CASES)
def test_equality_and_hashing_are_as_with_dataclasses(name, args, kwargs):
    d1, r1 = _pair(name, args, kwargs)
    d2, r2 = _pair(name, args, kwargs)
    assert (r1 == r2) == (d1 == d2)
    assert (r1 != r2) == (d1 != d2)
    assert (r1 == "other") == (d1 == "other")
    assert (type(RC[name]).__hash__ is None) == (type(DC[name]).__hash__ is None)
    assert (RC[name].__hash__ is None) == (DC[name].__hash__ is None)
    if DC[name].__hash__ is not None:
        assert (hash(r1) == hash(r2)) == (hash(d1) == hash(d2))
    for f in dataclasses.fields(DC[name]):  # a change to one field: equal and same hash as dataclasses says
        value = getattr(d1, f.name)
        other = {"x": "z"} if isinstance(value, dict) else ("z",) if isinstance(value, tuple) else \
            [9] if isinstance(value, list) else 7 if isinstance(value, int | float) else "z"
        d3, r3 = dataclasses.replace(d1, **{f.name: other}), record.replace(r1, **{f.name: other})
        assert (r3 == r1) == (d3 == d1), f.name
        if DC[name].__hash__ is not None:
            assert (hash(r3) == hash(r1)) == (hash(d3) == hash(d1)), f.name


def test_frozen_records_refuse_assignment_and_deletion():
    r = RC["Plain"]("x")
    with pytest.raises(record.FrozenError):
        r.name = "y"
    with pytest.raises(AttributeError):
        del r.count
    with pytest.raises(AttributeError):
        r.extra = 1
    assert r.name == "x"


def test_a_mutable_record_is_mutable_and_its_factories_are_per_instance():
    a, b = RC["Mutable"](), RC["Mutable"]()
    a.add(3)
    assert (a.items, a.total, b.items, b.total) == ([3], 3, [], 0)
    with pytest.raises(TypeError):
        hash(a)


def test_wrong_arguments_are_refused_as_dataclasses_refuses_them():
    for args, kwargs in [((), {}), (("x", 1, (), 4), {}), (("x",), {"name": "y"}), (("x",), {"other": 1})]:
        with pytest.raises(TypeError):
            DC["Plain"](*args, **kwargs)
        with pytest.raises(TypeError):
            RC["Plain"](*args, **kwargs)


def test_class_variables_and_own_methods_are_left_alone():
    assert RC["WithFields"].kind == "k"
    assert "kind" not in [f.name for f in record.fields(RC["WithFields"])]
    assert repr(RC["Child"](1)) == "own repr"
    assert RC["Child"](1).b == "B"


@pytest.mark.parametrize("name, args, kwargs", CASES)
def test_records_survive_copy(name, args, kwargs):
    _, r = _pair(name, args, kwargs)
    for again in (copy.copy(r), copy.deepcopy(r)):
        assert type(again) is type(r)
        assert _state(again) == _state(r)


# pickle finds classes by module and name: the shapes above are local, so module-level ones here
@record.record(frozen=True)
class Stored:
    key: str
    memo: dict = record.field(default_factory=dict, compare=False)


@record.record(frozen=True)
class Unpickled:  # never made here by calling it
    key: str
    memo: dict = record.field(default_factory=dict, compare=False)


def test_a_pickled_frozen_record_loads_without_assigning():
    r = Stored("k", {"a": 1})
    again = pickle.loads(pickle.dumps(r))
    assert again == r and again.memo == {"a": 1}
    with pytest.raises(record.FrozenError):
        again.key = "x"


@pytest.mark.parametrize("decorate, field", [(dataclasses.dataclass, dataclasses.field), (record.record, record.field)],
                         ids=["dataclasses", "record"])
def test_mistakes_in_a_declaration_are_refused_as_dataclasses_refuses_them(decorate, field):
    with pytest.raises(ValueError):
        @decorate
        class SharedList:
            items: list = []
    with pytest.raises(TypeError):
        @decorate
        class Unannotated:
            name: str
            items = field(default_factory=list)


def test_init_is_compiled_on_the_first_instance_only(monkeypatch):
    """A record compiles its __init__ when its first instance is made, once; one whose instances are
    only unpickled (an edition's classes, in a check) compiles none."""
    compiled = []
    real = record._init
    monkeypatch.setattr(record, "_init", lambda cls, fields: compiled.append(cls.__name__) or real(cls, fields))

    @record.record(frozen=True)
    class Lazy:
        name: str
        count: int = 0

    @record.record(frozen=True)
    class LazyChild(Lazy):
        extra: tuple = ()

    class Plain(Lazy):  # not a record: inherits Lazy's __init__
        pass

    stored = object.__new__(Unpickled)  # as pickle makes an instance: no __init__
    stored.__dict__.update(key="k", memo={})
    again = pickle.loads(pickle.dumps(stored))
    assert (again.key, again.memo) == ("k", {})
    assert compiled == []
    first, second = Lazy("a"), Lazy("b", 2)
    assert (first.name, first.count, second.count) == ("a", 0, 2)
    assert Plain("c").name == "c" and LazyChild("d", 1, (1,)).extra == (1,)
    assert compiled == ["Lazy", "LazyChild"]
    with pytest.raises(TypeError):
        Lazy()
    with pytest.raises(TypeError):
        LazyChild("x", other=1)
    assert compiled == ["Lazy", "LazyChild"]
