"""The claims of an edition: which words of the narrative name which table cells (claims.toml),
compiled once per edition (edition.py keeps them)."""

from __future__ import annotations

import re

from ..record import record


AGREES, CONTRADICTS, UNCHECKED = "✓", "✗", "未核对"
N = "#"  # stands for the number when phrases are matched (written Ｎ in claims.toml)
# Clause marks and Ｎ folded to ASCII, in the phrases and in the text they are matched against:
# negated classes of ASCII characters ([^,.;#]) compile many times faster than CJK ones.
FOLD = str.maketrans("，。；：Ｎ#", ",.;:#＃")
_FOLD_PATTERN = str.maketrans("，。；：Ｎ", ",.;:#")


def _key(phrase: str) -> str | None:
    """The longest run of characters every match of `phrase` contains (outside groups,
    classes and optional characters), or None: a cheap test before a regex is compiled."""
    runs, run, depth, i = [], "", 0, 0
    while i < len(phrase):
        ch = phrase[i]
        nxt = phrase[i + 1:i + 2]
        if ch == "\\":
            run, i = "", i + 2
            runs.append(run)
            continue
        if ch in "[{":  # a class or a repeat count: skip it
            i = phrase.index("]" if ch == "[" else "}", i + 1) + 1
            runs.append(run)
            run = ""
            continue
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        elif ch == "|" and depth == 0:
            return None
        if depth == 0 and ch not in "()" and ch not in "?*+{}.^$" and not (nxt in ("?", "*") or nxt == "{"):
            run += ch
        else:
            runs.append(run)
            run = ""
        i += 1
    runs.append(run)
    best = max(runs, key=len)
    return best or None


class Lazy:
    """A regex compiled on first use, and a test whether it can match a text at all."""

    def __init__(self, alternatives: list[str], suffix: str = ""):
        self.text = "(?:" + "|".join(alternatives) + ")" + suffix
        keys = [_key(a) for a in alternatives]
        self.keys = None if None in keys else tuple(keys)
        self._rx = None

    def applies(self, text: str) -> bool:
        return self.keys is None or any(k in text for k in self.keys)

    @property
    def rx(self) -> re.Pattern:
        if self._rx is None:
            self._rx = re.compile(self.text)
        return self._rx


@record(frozen=True)
class Subject:
    id: str
    what: str
    priority: int
    cells: tuple
    cells_by: dict
    by: str | None
    alternatives: tuple
    sets: dict
    amount: str | None
    before: Lazy | None  # the phrases, at the end of the words before the number
    after: Lazy | None  # a phrase around Ｎ
    zero: Lazy | None  # states zero without a number
    mention: Lazy | None = None  # the phrases anywhere (subjects that set a context)


@record(frozen=True)
class Claims:
    subjects: tuple
    fillers: frozenset
    blockers: re.Pattern
    share: re.Pattern
    change: re.Pattern
    up_words: tuple
    count_units: tuple
    contexts: dict
    denominators: tuple  # (pattern, cells)
    rates: tuple = ()  # (pattern ending at Ｎ, what, numerator cells, denominator cells)


def _read(path) -> dict:
    from ..spec import read_toml

    return read_toml(path) if path.is_file() else {}


def _folder(spec):
    from pathlib import Path

    from ..spec import templates_root

    return Path(spec.folder) if spec.folder else templates_root().joinpath(spec.edition)


def claims_data(spec) -> dict:
    """The raw claims of an edition: the shared xlsx_templates/claims.toml with the edition
    folder's claims.toml merged in (an edition subject replaces a shared one of the same id).
    Subjects naming cells the edition does not have are left out."""
    from ..spec import templates_root

    shared = _read(templates_root().joinpath("claims.toml"))
    own = _read(_folder(spec).joinpath("claims.toml"))
    subjects = {s["id"]: s for s in shared.get("subjects", [])}
    for s in own.get("subjects", []):
        subjects[s["id"]] = s
    cells = {k for t in spec.tables for k, _, _ in t.cells()}

    def known(s) -> bool:
        named = [*s.get("cells", ()), *(c for v in s.get("cells_by", {}).values() for c in v),
                 *(c for a in s.get("alternatives", ()) for c in a)]
        return all(c in cells for c in named)

    denominators = [d for d in shared.get("denominators", []) if all(c in cells for c in d["cells"])]
    rates = [r for r in shared.get("rates", []) if all(c in cells for c in (*r["numerator"], *r["denominator"]))]
    return {**shared, "subjects": [s for s in subjects.values() if known(s)], "denominators": denominators,
            "rates": rates}




def load_claims(spec) -> Claims:
    """The compiled claims of an edition (once per loaded specification, kept in the edition cache)."""
    from ..spec import memo

    return memo(spec, "claims", lambda: _load_claims(spec))


def _load_claims(spec) -> Claims:
    data = claims_data(spec)

    def alternatives(patterns) -> str:
        return "|".join(patterns).translate(_FOLD_PATTERN)

    def lazy(patterns, suffix: str = "") -> Lazy:
        return Lazy([p.translate(_FOLD_PATTERN) for p in patterns], suffix)

    ph = data["phrasing"]
    # fillers as a set of characters (共计, 合计, … are runs of them), stripped before phrases are
    # matched: a class of CJK characters in every phrase's regex would cost most of the load time
    fill = frozenset("".join(ph["fillers"]).translate(_FOLD_PATTERN)) | frozenset("\u200b\ufeff")
    subjects = []
    for s in data["subjects"]:
        before = after = zero = None
        if s.get("phrases"):
            before = lazy(s["phrases"], r"\Z")
        if s.get("after"):
            after = lazy(s["after"])
        if s.get("zero"):
            zero = lazy(s["zero"])
        subjects.append(Subject(
            s["id"], s["what"], int(s.get("priority", 0)), tuple(s.get("cells", ())),
            {k: tuple(v) for k, v in s.get("cells_by", {}).items()}, s.get("by"),
            tuple(tuple(a) for a in s.get("alternatives", ())), dict(s.get("sets", {})), s.get("amount"),
            before, after, zero,
            lazy(s["phrases"]) if s.get("phrases") and s.get("sets") else None,
        ))
    return Claims(
        subjects=tuple(subjects),
        fillers=fill,
        blockers=re.compile(alternatives(ph["blockers"])),
        share=re.compile(alternatives([ph["share"]])),
        change=re.compile(alternatives([ph["change"]])),
        up_words=tuple(ph["up_words"]),
        count_units=tuple(ph["count_units"]),
        contexts=dict(data.get("contexts", {})),
        denominators=tuple((re.compile(alternatives(d["phrases"])), tuple(d["cells"])) for d in data.get("denominators", ())),
        rates=tuple((re.compile("(?:" + alternatives(r["phrases"]) + ")(?:为|达到|达|是|约){0,2}#$"), r["what"],
                     tuple(r["numerator"]), tuple(r["denominator"])) for r in data.get("rates", ())),
    )

