"""An edition compiled once: its specification checked and everything derived from it.

`load_edition("2021")` returns an immutable Edition: the specification, the claims the
narrative checker reads, the 参考表述 templates, the cell map, the derivations, the input
keys, the expanded checks, the sheet plan of the blank workbook and what the reader compares
a filled workbook with (`expected`: the blank workbook's cell contents, kept in the cache so
that reading a workbook does not plan it again). Every mistake in the
edition's files is refused here, naming the file, the entry and the key.

Compiling takes longer than a check of a workbook, so the result is kept on disk in the
user's cache folder (see cache_dir), keyed by the SHA-256 of the edition's files, of
reportc's version and of its code. A cache that cannot be read, does not unpickle, or
whose key differs is ignored and the edition compiled again; one that cannot be written
is simply not written.
"""

from __future__ import annotations

import os
import pickle
import sys
from functools import cached_property
from pathlib import Path
from types import MappingProxyType
from collections.abc import Mapping  # (typing would cost a check a tenth of its start)

from . import __version__
from .checks import derivations, input_keys
from .digest import sha256
from .errors import SpecError
from .kinds import expand, validate_rules
from .layout import cell_map
from .narrative import load_claims
from .plan import SheetPlan, WorkbookPlan, read_extents
from .planner import Planner, encode_cell_map, plan_workbook, reference_layout
from .record import record
from .spec import EDITIONS_PATH, Spec, check_keys, edition_files, load_spec, loaded_spec, memo, remember, templates_root
from .usercache import CACHE_ENV, cache_dir, write_bytes  # noqa: F401  (CACHE_ENV re-exported: it lived here)

CACHE_FORMAT = b"reportc-edition-cache/3"  # 2: the reader's blank workbook (Edition.blank) kept with the spec;
# 3: the key in a header line before the pickle, compared before anything is unpickled
SUBJECT_KEYS = {"id", "what", "priority", "cells", "cells_by", "by", "alternatives", "sets", "amount", "phrases",
                "after", "zero"}


@record(frozen=True)
class Edition:
    name: str
    spec: Spec
    claims: object  # narrative.Claims
    reference: Mapping  # reference.toml (参考表述)
    cell_map: Mapping  # logical cell -> (sheet, row, col)
    derivations: Mapping  # derived cell -> the cells it sums
    input_keys: tuple
    checks: tuple  # the expanded checks (without last year's data)
    key: str  # the SHA-256 the disk cache is keyed by
    blank: tuple  # ReaderSheet per sheet of the blank workbook, in the workbook's order (see `expected`)

    @cached_property
    def plan(self) -> WorkbookPlan:
        """The sheet plan of the edition's blank workbook (first year, no body): computed on first
        use, not cached on disk (unpickling it takes longer than computing it). Read it, never change it."""
        return plan_workbook(self.spec, None, self.spec.first_year, cached=False)

    def sheet_plan(self, org: str | None, year: int, **kwargs) -> WorkbookPlan:
        """The sheet plan of a body's workbook (planner.plan_workbook)."""
        return plan_workbook(self.spec, org, year, **kwargs)

    def expected(self, org: str | None, year: int, version: str, imported: dict | None = None) -> tuple:
        """What the reader compares a body's workbook with, as plan_workbook(spec, org, year, version,
        cached=False, imported=imported) gives it (no last year's data, not a roll-up), without planning:
        ({sheet: {(row, col): value}}, {sheet: input positions}, {sheet: (rows, cols) to read}).
        The sheets that do not depend on the body come from the cache; the cover sheet (填报说明: title,
        version, import note) and the metadata sheet are made here by the planner's own code (the cell
        map's chunks encoded once, when the edition was compiled).
        The dicts and sets are shared: read them, never change them."""
        planner = Planner(self.spec, org, year, version, None, None, False, imported)
        contents, inputs, extents = {}, {}, {}
        for sheet in self.blank:
            if sheet.role == "static":
                contents[sheet.name], inputs[sheet.name], extents[sheet.name] = sheet.cells, sheet.inputs, sheet.extents
                continue
            ws = SheetPlan(sheet.name)
            if sheet.role == "guide":
                planner.checks = _Status(sheet.status)
                planner._guide(ws)
            else:
                planner._meta(ws, sheet.chunks)
            contents[sheet.name], inputs[sheet.name] = ws.contents(), ws.inputs()
            extents[sheet.name] = read_extents(contents[sheet.name])
        return contents, inputs, extents


_EDITIONS: dict = {}  # (edition, REPORTC_EDITIONS) -> Edition, once per process


def load_edition(name: str) -> Edition:
    """The compiled edition `name`: from this process, from the disk cache, or compiled now."""
    slot = (name, os.environ.get(EDITIONS_PATH, ""))
    edition = _EDITIONS.get(slot)
    if edition is None:
        edition = _EDITIONS[slot] = _load(name)
    return edition


def clear() -> None:
    """Forget the editions of this process (tests that change the edition files)."""
    _EDITIONS.clear()
    load_spec.cache_clear()


def _load(name: str) -> Edition:
    key = cache_key(name)
    spec = loaded_spec(name)  # parsed earlier in this process
    if spec is None or not spec.memo.get("validated"):
        cached = read_cache(name, key)
        if cached is not None:
            return _edition(name, remember(cached, name), key)
    spec = compile_spec(spec or load_spec(name))
    write_cache(name, key, spec)
    return _edition(name, spec, key)


def compile_spec(spec: Spec) -> Spec:
    """Check everything the edition's files name, and compute what is derived from them."""
    if not spec.memo.get("validated"):
        validate_rules(spec)
        validate_claims(spec)
        validate_reference(spec)
    cell_map(spec), derivations(spec), input_keys(spec), load_claims(spec)
    expand(spec, None), reference_layout(spec, None), input_columns(spec)
    memo(spec, "reader", lambda: blank_sheets(spec))  # its plan's formulas (checks.sheet_refs) go in the cache too
    spec.memo["validated"] = True
    return spec


def input_columns(spec: Spec) -> tuple:
    """(key, kind, decimals, largest plausible value) of every input number cell, in input_keys order:
    how the reader parses it (values.parse_number)."""
    def compute():
        out = []
        for key in input_keys(spec):
            col = spec.column_kind(key)
            out.append((key, col.kind, col.decimals or 6, spec.number_limits.get(col.kind)))
        return tuple(out)

    return memo(spec, "input_columns", compute)


@record(frozen=True)
class ReaderSheet:
    """A sheet of the blank workbook as the reader needs it: plain dicts, sets and strings (cheap to
    unpickle, unlike the planner's objects)."""

    name: str
    role: str  # "static": the same in every body's workbook; "guide", "meta": made for each workbook
    cells: dict  # (row, col) -> value, as SheetPlan.contents() (None in input cells: never compared)
    inputs: frozenset  # input positions, as SheetPlan.inputs()
    extents: tuple  # (rows, cols) the reader reads (plan.read_extents)
    status: str = ""  # the guide's 校验结果 formula (the 校验 sheet's status)
    chunks: tuple = ()  # the metadata sheet's cell map, as planner.encode_cell_map gives it (Planner._meta)


@record(frozen=True)
class _Status:
    """Stands for the 校验 sheet's plan where the planner's cover sheet needs only its status formula."""

    status_formula: str
    status_cached: object = None


def blank_sheets(spec: Spec) -> tuple:
    """The blank workbook's sheets (first year, no body, no last year's data) for the reader."""
    planner = Planner(spec, None, spec.first_year, None, None, None, False)
    plan = planner.plan()
    roles = {spec.sheets["guide"]: "guide", spec.sheets["meta"]: "meta"}
    out = []
    for sheet in plan.sheets:
        role = roles.get(sheet.name, "static")
        status = planner.checks.status_formula if role == "guide" else ""
        inputs = frozenset(sheet.inputs())
        cells = {pos: None if pos in inputs else value for pos, value in sheet.contents().items()}
        chunks = tuple(encode_cell_map(cell_map(spec))) if role == "meta" else ()
        out.append(ReaderSheet(sheet.name, role, cells, inputs, read_extents(cells), status, chunks))
    return tuple(out)


def _edition(name: str, spec: Spec, key: str) -> Edition:
    return Edition(
        name=name, spec=spec, claims=load_claims(spec), reference=MappingProxyType(spec.reference),
        cell_map=MappingProxyType(cell_map(spec)), derivations=MappingProxyType(derivations(spec)),
        input_keys=input_keys(spec), checks=expand(spec, None), key=key,
        blank=memo(spec, "reader", lambda: blank_sheets(spec)),
    )


# ---- validation of claims and references --------------------------------------------------

def _subject_cells(subject: dict) -> list[tuple[str, str]]:
    """(key, cell) for every cell a claims subject names."""
    out = [("cells", c) for c in subject.get("cells", ())]
    out += [("cells_by", c) for v in subject.get("cells_by", {}).values() for c in v]
    out += [("alternatives", c) for a in subject.get("alternatives", ()) for c in a]
    return out


def validate_claims(spec: Spec) -> None:
    """Subjects with known keys; an edition's own claims.toml names only cells the edition has.
    (Subjects of the shared xlsx_templates/claims.toml are offered to every edition and left
    out where an edition lacks their cells.)"""
    from .narrative import _folder, _read

    cells = {k for t in spec.tables for k, _, _ in t.cells()}
    shared = templates_root().joinpath("claims.toml")
    for source, path, own in (("claims.toml", shared, False), (f"{spec.edition}/claims.toml",
                                                                 _folder(spec).joinpath("claims.toml"), True)):
        for subject in _read(path).get("subjects", []):
            sid = str(subject.get("id", ""))
            for key in subject:
                if key not in SUBJECT_KEYS:
                    raise SpecError(source, sid, key, f"没有这个参数（可用参数：{'、'.join(sorted(SUBJECT_KEYS))}）。", "表述")
            for key in ("id", "what"):
                if not isinstance(subject.get(key), str):
                    raise SpecError(source, sid, key, "缺少这一项或不是文字。", "表述")
            if own:
                for key, cell in _subject_cells(subject):
                    if cell not in cells:
                        raise SpecError(source, sid, key, f"本版本的表格中没有单元格“{cell}”。", "表述")


REFERENCE_KEYS = {"section", "parts"}
PART_KEYS = {"sum": {"sum"}, "amount": {"amount", "decimals"}, "if_zero": {"if_zero", "then", "else"}}


def _reference_cells(parts, source: str, section: str) -> list[str]:
    """The cells the parts of a 参考表述 name; a part that is neither text nor one of the three kinds of
    value (sum, amount, if_zero with then/else) is refused, its misspelt key named."""
    if not isinstance(parts, list):
        raise SpecError(source, section, "parts", "应为一个列表（文字和取值）。", "参考表述")
    out: list[str] = []
    for part in parts:
        if isinstance(part, str):
            continue
        kind = next((k for k in PART_KEYS if isinstance(part, dict) and k in part), None)
        if kind is None:
            raise SpecError(source, section, "parts", "每一项应为文字，或含 sum、amount、if_zero 之一的表。", "参考表述")
        allowed = PART_KEYS[kind]
        check_keys(part, allowed, allowed - {"decimals"}, source, "参考表述", f"{section} 的 {kind}")
        for key in ("sum", "amount", "if_zero"):
            out += part.get(key, ())
        for key in ("then", "else"):
            if key in part:
                out += _reference_cells(part[key], source, section)
    return out


def validate_reference(spec: Spec) -> None:
    """Every 参考表述 stands beside a subsection the edition has and names cells it has; a misspelt
    key is named as such (not as the key it should have been)."""
    source = f"{spec.edition}/reference.toml"
    check_keys(spec.reference, {"reference"}, set(), source, "", "")
    cells = {k for t in spec.tables for k, _, _ in t.cells()}
    cmap = cell_map(spec)
    for item in spec.reference.get("reference", ()):
        section = str(item.get("section", "")) if isinstance(item, dict) else ""
        check_keys(item, REFERENCE_KEYS, REFERENCE_KEYS, source, "参考表述", section)
        if f"{section}.title" not in cmap:
            raise SpecError(source, section, "section", "正文中没有这个小节（应为 s1.sub2 这样的小节编号）。", "参考表述")
        for cell in _reference_cells(item["parts"], source, section):
            if cell not in cells:
                raise SpecError(source, section, "parts", f"本版本的表格中没有单元格“{cell}”。", "参考表述")


# ---- the disk cache ------------------------------------------------------------------------

def _code_stamp(h) -> None:
    """In a source checkout (an editable install, the tests), reportc's modules by name, size and
    time, so that edited code never reads a stale cache. An installed release is identified by
    its version alone (stat-ing every module would cost each run a few milliseconds)."""
    package = Path(__file__).parent
    if "site-packages" in package.parts:
        return
    for path in sorted(package.rglob("*.py")):
        try:
            st = path.stat()
        except OSError:
            continue
        h.update(f"{path.relative_to(package).as_posix()}:{st.st_size}:{st.st_mtime_ns}\n".encode("utf-8"))


def cache_key(name: str) -> str:
    """SHA-256 of the cache format, reportc's version, Python's, the edition's files
    (wherever they are: the package or a REPORTC_EDITIONS folder) and, in a source checkout,
    reportc's code."""
    h = sha256(CACHE_FORMAT)
    h.update(f"\n{__version__}\n{sys.version_info[:2]}\n{name}\n".encode("utf-8"))
    for path in edition_files(name):
        h.update(str(path).encode("utf-8") + b"\0")
        try:
            data = path.read_bytes() if path.is_file() else b"<absent>"
        except OSError:
            data = b"<unreadable>"
        h.update(sha256(data).digest())
    _code_stamp(h)
    return h.hexdigest()


def cache_path(name: str) -> Path:
    safe = "".join(ch if ch.isascii() and (ch.isalnum() or ch in "-_") else "_" for ch in name)
    return cache_dir() / f"edition-{safe}-{sha256(name.encode('utf-8')).hexdigest()[:8]}.pickle"


def _header(key: str) -> bytes:
    return CACHE_FORMAT + b" " + key.encode("ascii") + b"\n"


def read_cache(name: str, key: str) -> Spec | None:
    """The compiled spec from the cache when its key is `key`, else None (never an exception). The key
    is read and compared first: a file whose header does not match is never unpickled."""
    header = _header(key)
    try:
        with open(cache_path(name), "rb") as f:
            if f.read(len(header)) != header:
                return None
            spec = pickle.load(f)
        if isinstance(spec, Spec) and spec.memo.get("validated"):
            return spec
    except Exception:  # noqa: BLE001  (a missing, unreadable or corrupt cache is compiled again)
        pass
    return None


# memo entries left out of the cache: made again where needed faster than unpickled everywhere (the
# table grids: build draws them, check never does)
UNCACHED = ("grids",)


def write_cache(name: str, key: str, spec: Spec) -> bool:
    """Write the cache atomically (usercache.write_bytes); False when it cannot be written."""
    left_out = {k: spec.memo.pop(k) for k in UNCACHED if k in spec.memo}
    try:
        data = _header(key) + pickle.dumps(spec, protocol=pickle.HIGHEST_PROTOCOL)
    except Exception:  # noqa: BLE001  (an unpicklable value: run without the cache)
        return False
    finally:
        spec.memo.update(left_out)
    return write_bytes(cache_path(name).name, data)
