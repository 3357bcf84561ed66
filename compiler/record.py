"""Records: classes declared by their annotated fields, like dataclasses, at a tenth of the start-up cost.

dataclasses compiles five or six methods from source for each class (about 1 ms each on an office PC;
reportc defines some forty on the way to a check, a quarter of its run) and imports inspect. A record
compiles only its __init__, and only when its first instance is made (so that creating one costs what
a dataclass's costs, and a class only ever unpickled costs nothing); __repr__, __eq__ and
__hash__ are shared functions that read the class's field names. What reportc uses of dataclasses
behaves the same: field(default=, default_factory=, compare=, hash=, repr=), frozen (assignment raises
FrozenError, an AttributeError), eq=False (identity hash), inherited fields, replace, fields, asdict
(shallow), and the refusals of a mutable default and of a field() without an annotation. Methods a class
defines itself are kept.
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import dataclass_transform
else:
    def dataclass_transform(**kwargs):
        return lambda decorator: decorator

MISSING = object()


class FrozenError(AttributeError):
    """An assignment to a field of a frozen record."""


class Field:
    __slots__ = ("name", "default", "default_factory", "compare", "hash", "repr")

    def __init__(self, default=MISSING, default_factory=MISSING, compare=True, hash=None, repr=True):
        self.name = ""
        self.default, self.default_factory = default, default_factory
        self.compare, self.hash, self.repr = compare, (compare if hash is None else hash), repr

    def __repr__(self) -> str:
        return f"Field({self.name!r})"


def field(*, default=MISSING, default_factory=MISSING, compare=True, hash=None, repr=True):
    """A field's options, as dataclasses.field: `x: dict = field(default_factory=dict, compare=False)`."""
    return Field(default, default_factory, compare, hash, repr)


@dataclass_transform(field_specifiers=(field,))
def record(cls=None, /, *, frozen: bool = False, eq: bool = True):
    """The class decorator: @record, or @record(frozen=True, eq=False)."""
    def wrap(cls):
        return _make(cls, frozen, eq)
    return wrap if cls is None else wrap(cls)


def fields(cls_or_record) -> tuple[Field, ...]:
    return cls_or_record.__record_fields__


def replace(obj, /, **changes):
    """A copy of the record with some fields changed (dataclasses.replace)."""
    values = {f.name: obj.__dict__[f.name] for f in obj.__record_fields__}
    values.update(changes)
    return obj.__class__(**values)


def asdict(obj) -> dict:
    """The record's fields as a dict (shallow: field values are not copied)."""
    return {f.name: obj.__dict__[f.name] for f in obj.__record_fields__}


def _make(cls, frozen: bool, eq: bool):
    own = []
    annotations = cls.__dict__.get("__annotations__", {})
    for name, annotation in annotations.items():
        if str(annotation).startswith(("ClassVar", "typing.ClassVar")):
            continue
        value = cls.__dict__.get(name, MISSING)
        f = value if isinstance(value, Field) else Field(default=value)
        f.name = name
        if isinstance(f.default, (list, dict, set)):  # as dataclasses: one list shared by every instance
            raise ValueError(f"{cls.__qualname__}.{name}: a mutable default; use field(default_factory=…)")
        if isinstance(value, Field):  # the class attribute is the default, as with dataclasses
            if f.default is MISSING:
                delattr(cls, name)
            else:
                setattr(cls, name, f.default)
        own.append(f)
    stray = [n for n, v in cls.__dict__.items() if isinstance(v, Field) and n not in annotations]
    if stray:
        raise TypeError(f"{cls.__qualname__}.{stray[0]}: field() without an annotation")
    merged = {}  # a field a class redeclares keeps its base's place
    for base in cls.__mro__[-1:0:-1]:
        merged.update((f.name, f) for f in base.__dict__.get("__record_fields__", ()))
    merged.update((f.name, f) for f in own)
    cls.__record_fields__ = all_fields = tuple(merged.values())
    cls.__record_shown__ = tuple(f.name for f in all_fields if f.repr)
    cls.__record_compared__ = tuple(f.name for f in all_fields if f.compare)
    cls.__record_hashed__ = tuple(f.name for f in all_fields if f.hash)
    body = cls.__dict__
    if "__init__" not in body:
        cls.__init__ = _first_init(cls, all_fields)
    if "__repr__" not in body:
        cls.__repr__ = _repr
    if eq and "__eq__" not in body:
        cls.__eq__ = _eq
    if "__hash__" not in body and eq:
        cls.__hash__ = _hash if frozen else None
    if frozen:
        cls.__setattr__ = _frozen_setattr
        cls.__delattr__ = _frozen_delattr
    return cls


def _first_init(cls, all_fields):
    """The class's __init__ until its first instance: it compiles the real one (_init), puts it in its
    place and calls it. A class whose instances are only ever unpickled (an edition's Spec, Table,
    Check: 22 of the 36 records a check defines) compiles nothing."""
    def __init__(self, *args, **kwargs):
        init = _init(cls, all_fields)
        if cls.__dict__.get("__init__") is __init__:
            cls.__init__ = init
        init(self, *args, **kwargs)

    __init__.__qualname__ = f"{cls.__qualname__}.__init__"
    return __init__


def _init(cls, all_fields):
    """__init__(self, a, b=<default>, c=<factory>) storing the fields straight into the instance's
    __dict__ (so frozen records need no detour), then __post_init__ if the class has one."""
    names = {"MISSING": MISSING}
    params, items = [], []
    for i, f in enumerate(all_fields):
        if f.default_factory is not MISSING:
            names[f"_factory{i}"] = f.default_factory
            params.append(f"{f.name}=MISSING")
            items.append(f"{f.name!r}: _factory{i}() if {f.name} is MISSING else {f.name}")
        else:
            if f.default is not MISSING:
                names[f"_default{i}"] = f.default
            params.append(f.name if f.default is MISSING else f"{f.name}=_default{i}")
            items.append(f"{f.name!r}: {f.name}")
    post = "\n    self.__post_init__()" if hasattr(cls, "__post_init__") else ""
    exec(f"def __init__(self, {', '.join(params)}):\n"
         f"    self.__dict__.update({{{', '.join(items)}}}){post}\n", names)
    init = names["__init__"]
    init.__qualname__ = f"{cls.__qualname__}.__init__"
    return init


def _repr(self) -> str:
    d = self.__dict__
    return f"{type(self).__qualname__}({', '.join(f'{n}={d[n]!r}' for n in self.__record_shown__)})"


def _eq(self, other):
    if other.__class__ is not self.__class__:
        return NotImplemented
    d, e = self.__dict__, other.__dict__
    return tuple(d[n] for n in self.__record_compared__) == tuple(e[n] for n in self.__record_compared__)


def _hash(self) -> int:
    d = self.__dict__
    return hash(tuple(d[n] for n in self.__record_hashed__))


def _frozen_setattr(self, name, value):
    raise FrozenError(f"cannot assign to field {name!r}")


def _frozen_delattr(self, name):
    raise FrozenError(f"cannot delete field {name!r}")
