"""The Kind base class, its registry, and the checking of rule parameters."""

from __future__ import annotations


from ..errors import SpecError
from ..findings import Finding, fmt_value
from ..record import record
from ..spec import COMMON_KEYS, memo

TYPE_CHECKING = False  # (importing typing would cost a check a tenth of its start)
if TYPE_CHECKING:
    from typing import ClassVar

SEVERITIES = ("error", "warning", "info")
__all__ = ["COMMON_KEYS", "SEVERITIES", "SpecError", "Kind", "Param", "KINDS", "kind_of", "validate_rule", "declared"]


@record(frozen=True)
class Param:
    type: type  # str, list (of strings), dict, int
    required: bool = True
    choices: tuple = ()
    doc: str = ""


KINDS: dict[str, type[Kind]] = {}


class Kind:
    """One sort of rule. Subclasses set `name` and override what applies to them."""

    name: ClassVar[str] = ""
    params: ClassVar[dict[str, Param]] = {}
    in_sheet: ClassVar[bool] = False  # shown and computed live in the 校验 sheet
    doc: ClassVar[str] = ""  # what a rule of this kind checks, for docs/规则一览.md

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if cls.name:
            if cls.name in KINDS:
                raise ValueError(f"rule kind {cls.name!r} registered twice")
            KINDS[cls.name] = cls

    # -- specification time -------------------------------------------------------
    @classmethod
    def check_refs(cls, spec, rule) -> None:
        """Raise SpecError when the rule names tables, rows or cells the edition lacks."""

    @classmethod
    def expand(cls, spec, rule, previous_edition: str | None) -> list:
        """The checks (checks.Check) one rule expands into."""
        raise NotImplementedError

    # -- 校验 sheet and validator (in_sheet kinds) ----------------------------------
    @classmethod
    def evaluate(cls, check, spec, data, values) -> tuple[object, object, bool]:
        """(left, right, passed), exactly as the 校验 sheet computes them."""
        raise NotImplementedError

    @classmethod
    def excel(cls, check, spec, references) -> tuple[str, object, bool]:
        """(left formula, right formula or constant or None, whether 相差 applies)."""
        raise NotImplementedError

    @classmethod
    def condition(cls, check, spec, left: str, right: str) -> str:
        """The Excel test that makes the row pass, given the cells of 填写值 and 应为."""
        raise NotImplementedError

    @classmethod
    def fields(cls, check, spec, left, right, data) -> dict:
        """Values for the rule's message template."""
        return {"target": check.target, "left": fmt_value(left), "right": fmt_value(right), "diff": "",
                "found": "", "expected": "", "edition": spec.edition,
                "previous": data.previous_info.get("locations", {}).get(check.reference, "")}

    @classmethod
    def finding(cls, check, spec, left, right, data) -> Finding | None:
        """The finding for a failed check (None: reported elsewhere)."""
        rule = check.rule
        message = rule.message.format(**cls.fields(check, spec, left, right, data))
        return Finding(rule.id, rule.severity, check.location, message, fmt_value(left), fmt_value(right))

    # -- rules that read the narrative (not in_sheet) -------------------------------
    @classmethod
    def find(cls, spec, check, data, values, readings=()) -> list[Finding]:
        """Findings of a rule the validator runs on its own (narrative rules); `values`: every table
        cell, `readings`: the narrative's numbers (narrative.read_narrative), both read once per workbook."""
        raise NotImplementedError


def kind_of(rule) -> type[Kind]:
    return KINDS[rule.kind]


# Every rule may word the findings reported outside the 校验 sheet (while reading the workbook,
# about last year's workbook, ...) in more than one way: `messages` names each further wording,
# a text or a table { message = "…", severity = "info" } (the rule's severity when left out).
MESSAGES = Param(dict, required=False, doc="其他情形的提示文字：名称 = 文字，或 { message = 文字, severity = 级别 }")


def declared(spec, rule_id: str, location: str, variant: str = "", /, *, left=None, right=None, **fields) -> Finding:
    """The finding of rule `rule_id` as the specification words it: severity and message (the rule's
    `message`, or its `messages.<variant>`) come from the edition's TOML, `fields` fill the message in
    (positional-only parameters, so a message may name a field `location` or `variant`)."""
    rule = memo(spec, "rules_by_id", lambda: {r.id: r for r in spec.rules})[rule_id]
    severity, template = rule.severity, rule.message
    if variant:
        entry = rule.params["messages"][variant]
        severity, template = (entry.get("severity", severity), entry["message"]) if isinstance(entry, dict) else \
            (severity, entry)
    return Finding(rule.id, severity, location, template.format(left=left, right=right, **fields), left=left, right=right)


def validate_messages(rule, source: str, variants=()) -> None:
    """A rule's `messages`: each a text or {message, severity}; every variant the code uses present."""
    messages = rule.params.get("messages", {})
    for name, entry in messages.items():
        if isinstance(entry, dict):
            if set(entry) - {"message", "severity"} or not isinstance(entry.get("message"), str):
                raise SpecError(source, rule.id, f"messages.{name}", "应为文字，或含 message（文字）和 severity 的表。")
            if entry.get("severity", rule.severity) not in SEVERITIES:
                raise SpecError(source, rule.id, f"messages.{name}.severity", f"级别应为 {'、'.join(SEVERITIES)} 之一。")
        elif not isinstance(entry, str):
            raise SpecError(source, rule.id, f"messages.{name}", "应为文字，或含 message（文字）和 severity 的表。")
    for name in variants:
        if name not in messages:
            raise SpecError(source, rule.id, "messages", f"缺少“{name}”情形的提示文字（reportc 在这一情形报告本规则）。")


def validate_rule(rule, source: str) -> None:
    """Check a rule's parameters against its kind's schema (before the spec is built)."""
    if rule.kind not in KINDS:
        raise SpecError(source, rule.id, "kind", f"没有“{rule.kind}”这类规则（可用：{'、'.join(sorted(KINDS))}）。")
    if rule.severity not in SEVERITIES:
        raise SpecError(source, rule.id, "severity", f"级别应为 {'、'.join(SEVERITIES)} 之一。")
    schema = {**KINDS[rule.kind].params, "messages": MESSAGES}
    for key, value in rule.params.items():
        if key not in schema:
            known = "、".join(schema) or "（无）"
            raise SpecError(source, rule.id, key, f"“{rule.kind}”类规则没有这个参数（可用参数：{known}）。")
        param = schema[key]
        if not isinstance(value, param.type) or isinstance(value, bool) and param.type is not bool:
            raise SpecError(source, rule.id, key, f"应为{_TYPE_WORDS.get(param.type, param.type.__name__)}。")
        if param.type is list and not all(isinstance(v, (str, dict)) for v in value):
            raise SpecError(source, rule.id, key, "列表中的每一项应为文字。")
        if param.choices and value not in param.choices:
            raise SpecError(source, rule.id, key, f"应为 {'、'.join(map(str, param.choices))} 之一，实际为“{value}”。")
    for key, param in schema.items():
        if param.required and key not in rule.params:
            raise SpecError(source, rule.id, key, "缺少这个参数。")


_TYPE_WORDS = {str: "文字", list: "列表", dict: "表", int: "整数", bool: "true 或 false"}
