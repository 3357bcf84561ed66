"""Load an edition's specification (data files under xlsx_templates/) into plain objects.

One specification per edition drives the workbook writer, the reader, the validator
and the renderers. Nothing here knows about a particular edition.
"""

from __future__ import annotations

from decimal import Decimal
import json
import sys
from pathlib import Path

from .errors import CannotCheck, SpecError
from .digest import sha256
from .record import field, record

TEMPLATES_PACKAGE = __package__ + ".xlsx_templates"
NUMBER_KINDS = ("count", "signed_count", "amount")
COMMON_KEYS = {"id", "kind", "severity", "title", "message"}  # keys every rule has; the rest are its kind's parameters


@record(frozen=True)
class Column:
    id: str
    label: str
    kind: str
    decimals: int = 0


@record(frozen=True)
class Row:
    id: str
    label: str
    group: tuple[str, ...] = ()

    @property
    def display(self) -> str:
        """A row name a clerk recognises, e.g. "（三）不予公开 2.其他法律行政法规禁止公开"."""
        if self.group and self.label[:1].isdigit():
            return f"{self.group[-1]} {self.label}"
        return self.label


@record(frozen=True)
class Block:
    caption: str | None
    label_cols: int
    label_header: str | None
    header: tuple[tuple[int, int, int, int, str], ...]
    columns: tuple[Column, ...]
    rows: tuple[Row, ...]


@record(frozen=True, eq=False)  # identity hash: specs are loaded once and used as cache keys
class Table:
    id: str
    title: str
    sheet: str
    blocks: tuple[Block, ...]
    short: str = ""  # how findings name the table: 表三
    sheet_label_widths: tuple[float, ...] = ()  # Excel widths of the label columns
    sheet_data_width: float = 10  # Excel width of each data column
    print_label_shares: tuple[float, ...] = ()  # share of the printed width per label column

    @property
    def rows(self) -> list[Row]:
        return [r for b in self.blocks for r in b.rows]

    @property
    def columns(self) -> list[Column]:
        """Columns of a single-block table (the only kind rules expand over)."""
        if len(self.blocks) != 1:
            raise ValueError(f"table {self.id} has several blocks")
        return list(self.blocks[0].columns)

    def block_of(self, row_id: str) -> Block:
        for b in self.blocks:
            if any(r.id == row_id for r in b.rows):
                return b
        raise KeyError(row_id)

    def cells(self) -> list[tuple[str, Row, Column]]:
        """Every data cell as (key, row, column), in reading order."""
        return [(f"{self.id}.{r.id}.{c.id}", r, c) for b in self.blocks for r in b.rows for c in b.columns]


@record(frozen=True)
class Field:
    id: str
    label: str
    kind: str
    required: bool = False
    hint: str = ""


@record(frozen=True)
class Narrative:
    id: str
    title: str
    sheet: str
    intro_label: str
    intro_rows: int
    rows_per_subsection: int
    subsections: tuple[str, ...]
    hint: str = ""
    required: bool = True  # rule narrative_filled: at least one paragraph
    heading: bool = True  # False: the outputs print no heading for it (the opening paragraph)


@record(frozen=True)
class Rule:
    id: str
    kind: str
    severity: str
    title: str
    message: str
    params: dict = field(default_factory=dict, hash=False, compare=False)
    source: str = ""  # the specification file that defines the rule, for error messages


@record(frozen=True, eq=False)  # identity hash: load_spec caches one object per edition
class Spec:
    edition: str
    name: str
    document: str
    first_year: int
    last_year: int | None
    title_pattern: str
    section_order: tuple[str, ...]
    sheets: dict = field(hash=False, compare=False)
    fields: tuple[Field, ...] = ()
    narrative: tuple[Narrative, ...] = ()
    tables: tuple[Table, ...] = ()
    rules: tuple[Rule, ...] = ()
    rule_order: str = ""  # rule-id letters in the order findings are listed: "MODRS"
    hash: str = ""
    folder: str = ""  # where the edition's files are
    reference: dict = field(default_factory=dict, hash=False, compare=False)  # reference.toml (参考表述)
    number_limits: dict = field(default_factory=dict, hash=False, compare=False)  # kind -> largest plausible value
    # what is computed from the specification (cell map, derivations, expanded checks, claims), filled
    # on first use by memo() and kept with the spec in the edition cache (see edition.py)
    memo: dict = field(default_factory=dict, hash=False, compare=False, repr=False)

    def table(self, table_id: str) -> Table:
        for t in self.tables:
            if t.id == table_id:
                return t
        raise KeyError(table_id)

    def section(self, section_id: str) -> Table | Narrative:
        for s in (*self.tables, *self.narrative):
            if s.id == section_id:
                return s
        raise KeyError(section_id)

    def rule_rank(self, rule_id: str) -> tuple[int, int]:
        """Sort key of a rule id: by letter as rule_order lists them, then by number."""
        letter = self.rule_order.find(rule_id[:1])
        digits = rule_id[1:]
        return (letter if letter >= 0 else len(self.rule_order)), int(digits) if digits.isdigit() else 0

    def covers(self, year: int) -> bool:
        return year >= self.first_year and (self.last_year is None or year <= self.last_year)

    def column_kind(self, key: str) -> Column:
        table_id, row_id, col_id = key.split(".")
        block = self.table(table_id).block_of(row_id)
        return next(c for c in block.columns if c.id == col_id)


def memo(spec: Spec, name, compute):
    """spec.memo[name], computed once per loaded specification (the edition cache keeps it)."""
    try:
        return spec.memo[name]
    except KeyError:
        value = spec.memo[name] = compute()
        return value


# the keys each entry of an edition file may have: a misspelt key is refused, never ignored
TABLE_KEYS = {"id", "title", "sheet", "blocks", "short", "sheet_label_widths", "sheet_data_width", "print_label_shares"}
BLOCK_KEYS = {"caption", "label_cols", "label_header", "header", "columns", "rows"}
COLUMN_KEYS = {"id", "label", "kind", "decimals"}
ROW_KEYS = {"id", "label", "group"}
EDITION_KEYS = {"edition", "name", "document", "first_year", "last_year", "tables", "rules"}
COMMON_FILE_KEYS = {"title_pattern", "section_order", "rule_order", "number_limits", "sheets", "fields", "narrative",
                    "rules"}
FIELD_KEYS = {"id", "label", "kind", "required", "hint"}
FIELD_KINDS = ("text", "year")
NARRATIVE_KEYS = {"id", "title", "sheet", "heading", "intro_label", "intro_rows", "rows_per_subsection", "subsections",
                  "hint", "required"}


def check_keys(data, allowed: set, required: set, source: str, entry: str, name: str) -> None:
    if not isinstance(data, dict):
        raise SpecError(source, name, None, "应为一个表（[[...]] 或 {...}）。", entry)
    for key in data:
        if key not in allowed:
            raise SpecError(source, name, key, f"没有这个参数（可用参数：{'、'.join(sorted(allowed))}）。", entry)
    for key in sorted(required):
        if key not in data:
            raise SpecError(source, name, key, "缺少这个参数。", entry)


def _block(data: dict, source: str = "", table_id: str = "") -> Block:
    check_keys(data, BLOCK_KEYS, {"columns", "rows"}, source, "表格", table_id)
    for c in data["columns"]:
        check_keys(c, COLUMN_KEYS, {"id", "label", "kind"}, source, "表格", f"{table_id} 的列 {c.get('id', '')}")
        if c["kind"] not in NUMBER_KINDS:
            raise SpecError(source, f"{table_id} 的列 {c['id']}", "kind",
                            f"没有“{c['kind']}”这类数字（可用：{'、'.join(NUMBER_KINDS)}）。", "表格")
    for r in data["rows"]:
        check_keys(r, ROW_KEYS, {"id", "label"}, source, "表格", f"{table_id} 的行 {r.get('id', '')}")
    return Block(
        caption=data.get("caption"),
        label_cols=int(data.get("label_cols", 1)),
        label_header=data.get("label_header"),
        header=tuple(tuple(h) for h in data.get("header", ())),
        columns=tuple(Column(c["id"], c["label"], c["kind"], int(c.get("decimals", 0))) for c in data["columns"]),
        rows=tuple(Row(r["id"], r["label"], tuple(r.get("group", ()))) for r in data["rows"]),
    )


def _field(data, source: str) -> Field:
    check_keys(data, FIELD_KEYS, {"id", "label", "kind"}, source, "基本信息项", str(_get(data, "id")))
    if data["kind"] not in FIELD_KINDS:
        raise SpecError(source, data["id"], "kind", f"没有“{data['kind']}”这类填写项（可用：{'、'.join(FIELD_KINDS)}）。",
                        "基本信息项")
    return Field(data["id"], data["label"], data["kind"], data.get("required", False), data.get("hint", ""))


def _narrative(data, source: str) -> Narrative:
    check_keys(data, NARRATIVE_KEYS, NARRATIVE_KEYS - {"heading", "hint", "required"}, source, "正文部分", str(_get(data, "id")))
    return Narrative(
        data["id"], data["title"], data["sheet"], data["intro_label"], int(data["intro_rows"]),
        int(data["rows_per_subsection"]), tuple(data["subsections"]), data.get("hint", ""), data.get("required", True),
        data.get("heading", True),
    )


def _get(data, key: str) -> object:
    return data.get(key, "") if isinstance(data, dict) else ""


def _rule(data: dict, source: str) -> Rule:
    for key in ("id", "kind", "severity", "title"):
        if not isinstance(data.get(key), str):
            raise SpecError(source, str(data.get("id", "")), key, "缺少这一项或不是文字。")
    params = {k: v for k, v in data.items() if k not in COMMON_KEYS}
    return Rule(data["id"], data["kind"], data["severity"], data["title"], data.get("message", data["title"]), params,
                source)


def _table(t: dict, source: str = "") -> Table:
    check_keys(t, TABLE_KEYS, {"id", "title", "sheet", "blocks", "short"}, source, "表格", str(t.get("id", "")))
    return Table(
        t["id"], t["title"], t["sheet"], tuple(_block(b, source, t["id"]) for b in t["blocks"]), short=t["short"],
        sheet_label_widths=tuple(t.get("sheet_label_widths", ())), sheet_data_width=t.get("sheet_data_width", 10),
        print_label_shares=tuple(t.get("print_label_shares", ())),
    )


EDITIONS_PATH = "REPORTC_EDITIONS"  # extra folders holding edition folders (os.pathsep-separated)


def _roots() -> list:
    """Folders that hold edition folders: the package's own, then any named in REPORTC_EDITIONS."""
    import os

    roots = [templates_root()]
    roots += [Path(p) for p in os.environ.get(EDITIONS_PATH, "").split(os.pathsep) if p]
    return roots


def _edition_folders() -> dict:
    out = {}
    for root in _roots():
        if root.is_dir():
            for p in root.iterdir():
                if p.is_dir() and p.joinpath("edition.toml").is_file():
                    out.setdefault(p.name, p)
    return out


def read_toml(path) -> dict:
    """A TOML file of an edition (tomllib is imported here: a check with the edition cached reads none)."""
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - exercised on Python 3.10 only
        import tomli as tomllib
    return tomllib.loads(path.read_text(encoding="utf-8"))


def templates_root():
    """The package's xlsx_templates folder. Installed from a wheel (or editable) it is a plain folder,
    found from the package's __path__ without importlib.resources (importing that costs a check a
    tenth of its start); a zipped install reaches it through importlib.resources."""
    from importlib import import_module

    for folder in getattr(import_module(TEMPLATES_PACKAGE), "__path__", ()):
        if Path(folder).is_dir():
            return Path(folder)
    from importlib import resources

    return resources.files(TEMPLATES_PACKAGE)


def available_editions() -> list[str]:
    return sorted(_edition_folders())


_LOADED: dict = {}  # (edition, REPORTC_EDITIONS) -> Spec: one object per edition and process


def _loaded_key(edition: str) -> tuple:
    import os

    return edition, os.environ.get(EDITIONS_PATH, "")


def load_spec(edition: str) -> Spec:
    """The parsed specification of an edition, one object per process (and per REPORTC_EDITIONS).

    The file structure is checked here; the rules' parameters, claims and references are
    checked by edition.load_edition, which every command goes through."""
    key = _loaded_key(edition)
    spec = _LOADED.get(key)
    if spec is None:
        spec = _LOADED[key] = parse_spec(edition)
    return spec


def loaded_spec(edition: str) -> Spec | None:
    """The spec load_spec already returned in this process, if any."""
    return _LOADED.get(_loaded_key(edition))


def remember(spec: Spec, edition: str) -> Spec:
    """Make `spec` (e.g. read from the edition cache) the one load_spec(edition) returns from now on."""
    _LOADED[_loaded_key(edition)] = spec
    return spec


load_spec.cache_clear = _LOADED.clear  # type: ignore[attr-defined]  (as when it was an lru_cache)


def edition_files(edition: str) -> list:
    """The files an edition is made of, in a fixed order: what the edition cache's key hashes."""
    folders = _edition_folders()
    if edition not in folders:
        raise CannotCheck(f"不支持的报告格式版本“{edition}”。可用版本：{'、'.join(available_editions())}。")
    folder = folders[edition]
    shared = templates_root()
    names = ("common.toml", "edition.toml", "reference.toml", "claims.toml")
    return [*(folder.joinpath(n) for n in names), shared.joinpath("common.toml"), shared.joinpath("claims.toml")]


def _worded_out(part: dict) -> dict:
    """An edition file without its rules' `messages`: the wordings of findings reported outside the
    校验 sheet are not in the workbook, so not in the fingerprint a workbook is checked against."""
    if "rules" not in part:
        return part
    return {**part, "rules": [{k: v for k, v in r.items() if k != "messages"} for r in part["rules"]]}


def parse_spec(edition: str) -> Spec:
    folders = _edition_folders()
    if edition not in folders:
        raise CannotCheck(f"不支持的报告格式版本“{edition}”。可用版本：{'、'.join(available_editions())}。")
    folder = folders[edition]
    # an edition folder may carry its own common.toml; otherwise the package's is shared
    common_path = folder.joinpath("common.toml")
    common_name = f"{edition}/common.toml"
    if not common_path.is_file():
        common_path, common_name = templates_root().joinpath("common.toml"), "common.toml"
    common = read_toml(common_path)
    check_keys(common, COMMON_FILE_KEYS, COMMON_FILE_KEYS - {"rule_order", "number_limits"}, common_name, "", "")
    ed = read_toml(folder.joinpath("edition.toml"))
    check_keys(ed, EDITION_KEYS, {"edition", "name", "document", "first_year", "tables", "rules"}, f"{edition}/edition.toml",
          "版本", edition)
    # the workbook's 参考表述 formulas come from reference.toml: part of what the hash covers
    reference_path = folder.joinpath("reference.toml")
    reference = read_toml(reference_path) if reference_path.is_file() else {}
    digest = sha256(
        json.dumps([_worded_out(common), _worded_out(ed), reference], ensure_ascii=False, sort_keys=True).encode("utf-8")
    ).hexdigest()
    rules = tuple(
        [_rule(r, common_name) for r in common["rules"]] + [_rule(r, f"{edition}/edition.toml") for r in ed["rules"]]
    )
    spec = Spec(
        edition=ed["edition"],
        name=ed["name"],
        document=ed["document"],
        first_year=int(ed["first_year"]),
        last_year=ed.get("last_year"),
        title_pattern=common["title_pattern"],
        section_order=tuple(common["section_order"]),
        sheets=dict(common["sheets"]),
        fields=tuple(_field(f, common_name) for f in common["fields"]),
        narrative=tuple(_narrative(n, common_name) for n in common["narrative"]),
        tables=tuple(_table(t, f"{edition}/edition.toml") for t in ed["tables"]),
        rules=rules,
        rule_order=common.get("rule_order", ""),
        hash=digest[:16],
        folder=str(folder),
        number_limits={k: Decimal(str(v)) for k, v in common.get("number_limits", {}).items()},
        reference=reference,
    )
    return spec


def edition_covering(year: int, specs: dict | None = None) -> str | None:
    """The edition the official format prescribes for a report year, if reportc has it (among `specs`,
    edition name -> Spec, when given: e.g. only the editions that load)."""
    if specs is None:
        specs = {edition: None for edition in available_editions()}
    for edition in sorted(specs, reverse=True):
        if (specs[edition] or load_spec(edition)).covers(year):
            return edition
    return None


LAST_YEAR = 2100  # the last report year `reportc new` accepts


def editions_text() -> str:
    """2019版（2019–2020年度）、2021版（2021年度起）: the editions and the years each covers."""
    parts = []
    for edition in available_editions():
        spec = load_spec(edition)
        years = f"{spec.first_year}–{spec.last_year}年度" if spec.last_year else f"{spec.first_year}年度起"
        parts.append(f"{edition}版（{years}）")
    return "、".join(parts)


def year_problem(year: int) -> str:
    """Why a report year cannot be used: the supported range and the editions."""
    first = min(load_spec(e).first_year for e in available_editions())
    return (f"reportc 目前没有适用于 {year} 年度的报告格式：支持 {first}–{LAST_YEAR} 年度，"
            f"现有格式版本：{editions_text()}。")


def edition_for_year(year: int) -> str:
    edition = edition_covering(year)
    if edition is not None:
        return edition
    raise CannotCheck(year_problem(year))
