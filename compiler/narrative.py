"""The narrative agrees with the tables: every number the text states, read and checked.

Sentences → numbers (numbers_zh) → claims (the specification's claims.toml: which
words name which table cells) → readings with a verdict: ✓ (agrees), ✗ (contradicts,
a finding of rule S6) or 未核对 (read, but not checkable: words not understood, a
breakdown by place, last year's figures missing). A phrasing the checker does not
understand is never a finding.

Also here: rule R5 (a count with its number missing) and the 参考表述, the standard
sentences built from the tables, in Python and as an Excel formula.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache
from importlib import resources

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as tomllib

from .numbers_zh import Number, find_numbers, normalise, unit_is_word_end

AGREES, CONTRADICTS, UNCHECKED = "✓", "✗", "未核对"
N = "#"  # stands for the number when phrases are matched (written Ｎ in claims.toml)
# Clause marks and Ｎ folded to ASCII, in the phrases and in the text they are matched against:
# negated classes of ASCII characters ([^,.;#]) compile many times faster than CJK ones.
FOLD = str.maketrans("，。；：Ｎ#", ",.;:#＃")
_FOLD_PATTERN = str.maketrans("，。；：Ｎ", ",.;:#")
AMOUNT_UNITS = {"元": Decimal(1), "万元": Decimal(10_000), "亿元": Decimal(100_000_000)}
LISTED_UNITS = ("件", "元", "万元", "亿元")  # numbers in these units are listed even when not understood
_SENTENCE = re.compile(r"[^。！？；!?;\n]+[。！？；!?;]?")
_CLAUSE_CUT = re.compile(r"[,:]")  # in folded text
_AGAIN = re.compile(r"[、和及与（(]?(?P<dir>增长|增加|上升|提高|下降|减少|降低)(?:了)?#\Z")  # a change restated
_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})(?=年)")
_CARRIED_INTO = re.compile(r"(?:结转|转结|转入|延续|顺延)(?:至|到)\Z")
_CARRIED_AFTER = re.compile(r"件?(?:申请)?(?:结转|转结|转入|延续|顺延)(?:至|到)?(\d{4})年")
# what may stand between the subjects of a list a quantifier covers: numbers, units, 、 and , (folded)
_LIST_WINDOW = 120  # characters before a quantifier searched for the subjects it covers
_LIST_GLUE = re.compile(r"[\d.#件起宗次个例项、,和及与共发生分别各为有了的均案件申请]{0,200}")
_NUMERAL = re.compile(r"[0-9〇零一二两三四五六七八九十百千万亿]")  # in normalised text
# Bounds that keep reading linear in the text: a sentence longer than MAX_SENTENCE characters
# (real ones have a few hundred) is not read clause by clause, its numbers are listed 未核对; a
# paragraph is read up to its MAX_NUMBERS-th number, a reading 未核对 says where reading stopped;
# a phrase is looked for at no more than MAX_FILLERS positions in the fillers before a number.
MAX_SENTENCE = 1000
MAX_FILLERS = 8
MAX_NUMBERS = 500  # numbers read per paragraph (real ones have a few dozen); the rest are not read
MAX_PARAGRAPH = 32767  # Excel's limit for a cell: text beyond it did not come from Excel or WPS, and is not read


# ---- the specification data ---------------------------------------------------------

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


@dataclass(frozen=True)
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


@dataclass(frozen=True)
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
    if not path.is_file():
        return {}
    return tomllib.loads(path.read_text(encoding="utf-8"))


def _folder(spec):
    from pathlib import Path

    return Path(spec.folder) if spec.folder else resources.files(__package__ + ".xlsx_templates").joinpath(spec.edition)


def claims_data(spec) -> dict:
    """The raw claims of an edition: the shared xlsx_templates/claims.toml with the edition
    folder's claims.toml merged in (an edition subject replaces a shared one of the same id).
    Subjects naming cells the edition does not have are left out."""
    shared = _read(resources.files(__package__ + ".xlsx_templates").joinpath("claims.toml"))
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


def reference_data(spec) -> dict:
    """The 参考表述 templates of an edition (<edition folder>/reference.toml). The workbook's
    formulas depend on these, so spec.load_spec reads them once with the rest."""
    return spec.reference


def load_claims(spec) -> Claims:
    """The compiled claims of an edition (once per loaded specification, kept in the edition cache)."""
    from .spec import memo

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


# ---- readings --------------------------------------------------------------------------

@dataclass(frozen=True)
class Reading:
    key: str  # narrative cell, e.g. s1.sub2.1
    sentence: str  # as written
    start: int  # the number (or zero phrase) within the sentence
    end: int
    stated: str  # the number as read: 17, 1.2万 → 12000, 0 for 未发生…
    subject: str = ""  # what it was matched to, in Chinese
    cells: tuple = ()
    expected: str | None = None  # the tables' value (or percentage / change)
    verdict: str = UNCHECKED
    note: str = ""  # why 未核对, or how a percentage was computed

    @property
    def number(self) -> str:
        return self.sentence[self.start:self.end]

    def marked(self, width: int = 40) -> str:
        """The sentence with the number marked 【…】, shortened around it."""
        s, e = self.start, self.end
        left = self.sentence[max(0, s - width):s]
        right = self.sentence[e:e + width // 2]
        return (("…" if s > width else "") + left + "【" + self.number + "】" + right
                + ("…" if e + width // 2 < len(self.sentence) else ""))


def _fmt(value) -> str:
    from .findings import fmt_value

    return fmt_value(value)


def _sum(values: dict, cells) -> object:
    return sum((values[c] for c in cells), 0)


def _within(stated: Decimal, actual, tolerance: Decimal) -> bool:
    return abs(Decimal(str(actual)) - stated) < tolerance


class _Reader:
    def __init__(self, spec, claims: Claims, values: dict, previous: dict | None, year: str):
        self.spec, self.claims, self.values = spec, claims, values
        self.previous = previous or {}
        self.year = year.strip()
        self.zero_subjects = tuple(s for s in claims.subjects if s.zero)  # looked for in every sentence

    # -- helpers --
    def cells_of(self, subject: Subject, ctx: dict, sentence: str = "", start: int = 0) -> tuple | None:
        if subject.by:
            value = self.mentioned(subject.by, sentence[:start]) or ctx.get(subject.by)
            return subject.cells_by.get(value or "")
        return subject.cells

    def mentioned(self, context: str, text: str) -> str | None:
        """The context the last subject named in `text` sets (行政复议…均维持 → review)."""
        best = None
        for subject in self.claims.subjects:
            if subject.mention is None or context not in subject.sets or not subject.mention.applies(text):
                continue
            for m in subject.mention.rx.finditer(text):
                score = (m.end(), subject.priority, m.end() - m.start())
                if best is None or score > best[0]:
                    best = (score, subject.sets[context])
        return best[1] if best else None

    def listed(self, subject: Subject, sentence: str, start: int):
        """The contexts (review, litigation, …) a quantifier such as 均 at `start` covers when the
        clause before it lists several subjects: 复议1件、诉讼2件，均获维持 → (review, litigation).
        None: one subject or none (the usual context applies); (): several, but the words between
        them say more than a list (行政复议1件被纠错，行政诉讼2件，均获维持), so it is not clear."""
        # the list stands right before the quantifier: a bounded window keeps reading linear
        window = sentence[max(0, start - _LIST_WINDOW):start]
        start = len(window)
        sentence = window
        found = []  # (start, end, value) of each subject naming a context, longest first where they overlap
        for other in self.claims.subjects:
            if other.mention is None or subject.by not in other.sets or not other.mention.applies(window):
                continue
            found += [(m.start(), m.end(), other.sets[subject.by], other.priority)
                      for m in other.mention.rx.finditer(window)]
        found.sort(key=lambda f: (f[0], -(f[1] - f[0]), -f[3]))
        kept, end = [], -1
        for f in found:
            if f[0] >= end:
                kept.append(f)
                end = f[1]
        values = tuple(dict.fromkeys(f[2] for f in kept))
        if len(values) < 2 or any(v not in subject.cells_by for v in values):
            return None
        between = "".join(sentence[a[1]:b[0]] for a, b in zip(kept, kept[1:], strict=False)) + sentence[kept[-1][1]:start]
        if _LIST_GLUE.fullmatch(between) is None:
            return ()
        return values

    def left_context(self, sentence: str, start: int, prev_end: int) -> str:
        left = sentence[prev_end:start]
        left = _drop_parentheticals(left)  # 作其他处理（含撤回申请）341件
        opened = max(left.rfind("（"), left.rfind("("))
        if opened >= 0:  # the number stands inside parentheses: only their words count
            return left[opened + 1:]
        cuts = [m.end() for m in _CLAUSE_CUT.finditer(left)]
        if cuts:
            tail = left[cuts[-1]:]
            if self.only_fillers(tail) and len(cuts) > 1:
                return left[cuts[-2]:]
            if self.only_fillers(tail):
                return left
            return tail
        return left

    def only_fillers(self, text: str) -> bool:
        return all(ch in self.claims.fillers or ch.isspace() for ch in text)

    def match_subject(self, left: str, right: str, ctx: dict):
        best = None
        around = left + N + right
        k = len(left)
        while k and (left[k - 1] in self.claims.fillers or left[k - 1].isspace()):
            k -= 1
        # the phrase may end anywhere in the fillers before the number (the last few, or before them all)
        ends = dict.fromkeys([*range(len(left), max(k, len(left) - MAX_FILLERS) - 1, -1), k])
        for subject in self.claims.subjects:
            m, length = None, 0
            if subject.before and subject.before.applies(left):
                for end in ends:
                    found = subject.before.rx.search(left, 0, end)
                    if found and found.end() - found.start() > length:
                        m, length = found, found.end() - found.start()
            if subject.after and subject.after.applies(around):
                m2 = subject.after.rx.search(around)
                if m2 and m2.start() <= len(left) < m2.end():
                    m, length = m2, max(length, m2.end() - m2.start())
            if not m:
                continue
            score = (subject.priority, length)
            if best is None or score > best[0]:
                best = (score, subject)
        return best[1] if best else None

    def blocked(self, sentence: str, start: int) -> str:
        before = sentence[:start]
        m = self.claims.blockers.search(before)
        if m:
            return f"句中有“{m.group(0)}”，所说的可能不是表中的数"
        for m in _YEAR.finditer(before):
            y = m.group(1)
            if self.year and _CARRIED_INTO.search(before, max(0, m.start() - 4), m.start()):
                # 结转至2026年: where this year's open applications go, the year after the report's
                if not (self.year.isdigit() and int(y) == int(self.year) + 1):
                    return f"句中说的是结转至{y}年的申请，不是结转下年度的"
            elif self.year and y != self.year:
                return f"句中说的是{y}年，不是本年度"
        return ""

    def carried_after(self, sentence: str, end: int) -> str:
        """16件结转至2025年: applications carried into a year other than the one after the report's."""
        m = _CARRIED_AFTER.match(sentence, end)
        if m and not (self.year.isdigit() and int(m.group(1)) == int(self.year) + 1):
            return f"句中说的是结转至{m.group(1)}年的申请，不是结转下年度的"
        return ""

    def previous_value(self, cells) -> object | None:
        figures = self.previous.get("figures") or {}
        if cells and all(c in figures for c in cells):
            return sum((Decimal(str(figures[c])) for c in cells), Decimal(0))
        ref = self.previous.get("values", {}).get("ref:" + "+".join(cells))
        return Decimal(str(ref)) if ref is not None else None

    # -- verdicts --
    def count_reading(self, base: dict, n: Number, subject: Subject, cells, others=()) -> Reading:
        unit_ok = (n.unit in AMOUNT_UNITS) if subject.amount else (n.unit in self.claims.count_units)
        alternatives = subject.alternatives or ((cells,) + tuple(others))
        if cells is None and not subject.alternatives:
            return Reading(**base, subject=subject.what, note="不清楚指的是哪一项（如规章还是行政规范性文件）")
        shown = alternatives[0]
        expected = _sum(self.values, shown)
        reading = dict(base, subject=describe(self.spec, shown) if subject.by and len(shown) == 1 else subject.what, cells=tuple(shown), expected=_fmt(expected))
        if not unit_ok:
            return Reading(**reading, note=f"单位“{n.unit}”与表中项目不符")
        blocked = self.blocked(base["sentence"], base["start"]) or self.carried_after(base["sentence"], base["end"])
        if blocked:
            return Reading(**reading, note=blocked)
        mult = AMOUNT_UNITS[n.unit] / AMOUNT_UNITS[subject.amount] if subject.amount else Decimal(1)
        stated = n.value * mult
        tolerance = Decimal(1).scaleb(-n.decimals) * n.scale * mult
        hits = [a for a in alternatives if _within(stated, _sum(self.values, a), tolerance)]
        if n.approx:
            if hits or any(stated <= _sum(self.values, a) < 2 * stated for a in alternatives):
                return Reading(**reading, verdict=AGREES, note="约数")
            return Reading(**reading, note="约数，未核对")
        if hits:
            return Reading(**dict(reading, cells=tuple(hits[0]), expected=_fmt(_sum(self.values, hits[0]))),
                           verdict=AGREES)
        return Reading(**reading, verdict=CONTRADICTS)

    def share_reading(self, base: dict, n: Number, den_words: str, numerator) -> Reading:
        if numerator is None:
            return None
        what, cells = numerator
        num = _sum(self.values, cells)
        candidates = []
        for pattern, den_cells in self.claims.denominators:
            if den_words and pattern.search(den_words):
                candidates = [den_cells]
                break
        if not candidates:
            if den_words.strip("的"):
                return Reading(**base, subject=f"{what}所占比例", cells=tuple(cells),
                               note=f"不清楚“占{den_words}”指表中的哪一项")
            candidates = [d for _, d in self.claims.denominators]
        tolerance = Decimal(1).scaleb(-n.decimals)
        shown = None
        for den_cells in candidates:
            den = _sum(self.values, den_cells)
            if not den:
                continue
            pct = Decimal(str(num)) * 100 / Decimal(str(den))
            shown = shown or (den_cells, pct)
            if _within(n.value, pct, tolerance):
                return Reading(**base, subject=f"{what}所占比例", cells=tuple(cells) + tuple(den_cells),
                               expected=f"{pct:.2f}%", verdict=AGREES, note=f"{_fmt(num)}÷{_fmt(den)}")
        if shown is None:
            return Reading(**base, subject=f"{what}所占比例", cells=tuple(cells), note="分母为0")
        den_cells, pct = shown
        den = _sum(self.values, den_cells)
        return Reading(**base, subject=f"{what}所占比例", cells=tuple(cells) + tuple(den_cells),
                       expected=f"{pct:.2f}%", verdict=CONTRADICTS, note=f"{_fmt(num)}÷{_fmt(den)}")

    def rate_reading(self, base: dict, n: Number, what: str, numerator, denominator) -> Reading:
        num, den = _sum(self.values, numerator), _sum(self.values, denominator)
        cells = tuple(numerator) + tuple(denominator)
        if not den:
            return Reading(**base, subject=what, cells=cells, note="分母为0")
        blocked = self.blocked(base["sentence"], base["start"])
        pct = Decimal(str(num)) * 100 / Decimal(str(den))
        reading = dict(base, subject=what, cells=cells, expected=f"{pct:.2f}%", note=f"{_fmt(num)}÷{_fmt(den)}")
        if blocked:
            return Reading(**dict(reading, note=blocked))
        ok = _within(n.value, pct, Decimal(1).scaleb(-n.decimals))
        return Reading(**reading, verdict=AGREES if ok else CONTRADICTS)

    def change_reading(self, base: dict, n: Number, up: bool, subject) -> Reading | None:
        if subject is None:  # 政务新媒体176个，同比增长6.7%: not about the tables
            return Reading(**base, note="不清楚同比变化指的是哪一项") if n.unit in LISTED_UNITS else None
        what, cells = subject
        prev = self.previous_value(cells)
        if prev is None:
            return Reading(**base, subject=f"{what}的同比变化", cells=tuple(cells),
                           note="没有上年数据（可用 --previous 提供上年工作簿）")
        cur = Decimal(str(_sum(self.values, cells)))
        sign = 1 if up else -1
        change = cur - prev
        if n.unit == "%":
            if not prev:
                return Reading(**base, subject=f"{what}的同比变化", cells=tuple(cells), note="上年为0")
            change = change * 100 / prev
            words, shown = ("增长", "下降"), f"{abs(change):.2f}%"
        else:
            words, shown = ("增加", "减少"), _fmt(abs(change))
        actual = change * sign
        expected = "持平" if change == 0 else words[change < 0] + shown
        tolerance = Decimal(1).scaleb(-n.decimals) * n.scale
        ok = _within(n.value, actual, tolerance)
        return Reading(**base, subject=f"{what}的同比变化", cells=tuple(cells), expected=expected,
                       verdict=AGREES if ok else CONTRADICTS, note=f"本年{_fmt(cur)}，上年{_fmt(prev)}")

    # -- a cell of narrative --
    def read(self, key: str, text: str) -> list[Reading]:
        out: list[Reading] = []
        ctx = dict(self.claims.contexts)
        if len(text) > MAX_PARAGRAPH:
            rest = text[MAX_PARAGRAPH:MAX_PARAGRAPH + 40]
            out.append(Reading(key, rest, 0, 0, "", note=f"本段超过{MAX_PARAGRAPH}字（Excel 单元格的上限），此后的文字未核对"))
            return self.read(key, text[:MAX_PARAGRAPH]) + out
        norm = normalise(text)
        folded = norm.translate(FOLD)
        zero_subjects = [s for s in self.zero_subjects if s.zero.applies(folded)]  # once, not per sentence
        seen = 0  # numbers and zero phrases met in the paragraph
        for sm in _SENTENCE.finditer(norm):
            if not zero_subjects and not _NUMERAL.search(sm.group(0)):
                continue  # nothing to read: no numeral, no zero phrase
            sentence = text[sm.start():sm.end()]
            room = max(MAX_NUMBERS - seen, 0)
            numbers = find_numbers(sm.group(0), limit=room + 1)
            too_long, too_many = len(sentence) > MAX_SENTENCE, len(numbers) > room or seen > MAX_NUMBERS
            seen += len(numbers)
            if too_long or too_many:
                if too_long:
                    out += [Reading(key, sentence, n.start, n.end, _fmt(n.value), note=f"句子超过{MAX_SENTENCE}字，未核对")
                            for n in numbers[:room] if n.unit in LISTED_UNITS]
                if too_many:  # the paragraph's budget is spent: say where reading stopped
                    n = numbers[room] if too_long and len(numbers) > room else (numbers[0] if numbers else None)
                    start, end, stated = (n.start, n.end, _fmt(n.value)) if n else (0, 0, "")
                    out.append(Reading(key, sentence, start, end, stated,
                                       note=f"本段的数字超过{MAX_NUMBERS}个，自此以后未核对"))
                    break
                continue
            sentence_norm = sm.group(0).translate(FOLD)
            events = [(n.start, 1, n) for n in numbers]
            for subject in zero_subjects:
                if subject.zero.applies(sentence_norm):
                    events += [(m.start(), 0, (subject, m)) for m in subject.zero.rx.finditer(sentence_norm)]
            events.sort(key=lambda e: (e[0], e[1]))
            seen += len(events) - len(numbers)
            prev_end = 0
            last = None  # (what, cells) of the last claim in the sentence
            last_change = None  # (what, cells) of the last 同比 in the sentence
            for _, kind, item in events:
                if kind == 0:
                    subject, m = item
                    cells = self.cells_of(subject, ctx, sentence_norm, m.start())
                    base = dict(key=key, sentence=sentence, start=m.start(), end=m.end(), stated="0")
                    listed = self.listed(subject, sentence_norm, m.start()) if subject.by else None
                    if listed == ():
                        out.append(Reading(**base, subject=subject.what, note="不清楚“均”指的是前面哪几项"))
                        continue
                    if listed:  # 复议1件、诉讼2件，均获维持: the quantifier covers every subject listed
                        cells = tuple(dict.fromkeys(c for v in listed for c in subject.cells_by.get(v, ())))
                    if cells is None:
                        out.append(Reading(**base, subject=subject.what, note="不清楚指的是行政复议还是行政诉讼"))
                        continue
                    actual = _sum(self.values, cells)
                    out.append(Reading(**base, subject=subject.what, cells=tuple(cells), expected=_fmt(actual),
                                       verdict=AGREES if actual == 0 else CONTRADICTS))
                    continue
                n: Number = item
                left = self.left_context(sentence_norm, n.start, prev_end)
                right = sentence_norm[n.end:]
                cut = _CLAUSE_CUT.search(right)
                right = right[:cut.start()] if cut else right
                base = dict(key=key, sentence=sentence, start=n.start, end=n.end, stated=_fmt(n.value))
                prev_end = n.end
                frame = left + N
                change = self.claims.change.search(frame)
                if change is None and last_change is not None:  # 同比减少6件（下降12.5%）
                    change = _AGAIN.match(frame)
                if change:
                    up = change.group("dir") in self.claims.up_words
                    own = self.match_subject(left[:change.start()], "", ctx) if change.start() else None
                    own_cells = self.cells_of(own, ctx, sentence_norm, n.start) if own else None
                    subject = (own.what, own_cells) if own_cells else (last_change or last)
                    reading = self.change_reading(base, n, up, subject)
                    if reading:
                        out.append(reading)
                        last_change = subject
                    continue
                if n.unit == "%":
                    rate = next((r for r in self.claims.rates if r[0].search(frame)), None)
                    if rate:  # 办结率100%
                        out.append(self.rate_reading(base, n, *rate[1:]))
                        continue
                    share = self.claims.share.search(frame)
                    if share:
                        reading = self.share_reading(base, n, share.group("den") or "", last)
                        if reading:
                            out.append(reading)
                    continue  # other percentages (满意率98%) restate nothing
                subject = self.match_subject(left, right, ctx)
                if subject is None:
                    if n.unit in LISTED_UNITS:
                        out.append(Reading(**base, note="没有对应到表中的项目"))
                    continue
                cells = self.cells_of(subject, ctx, sentence_norm, n.start)
                others = ()
                if subject.by and cells and not self.mentioned(subject.by, sentence_norm[:n.start]):
                    # what the subject depends on was said in an earlier sentence, or not at all
                    # (自然人85件: of 本年新收, or with 上年结转?): any reading of it may be meant
                    others = tuple(c for c in dict.fromkeys(subject.cells_by.values()) if c != cells)
                reading = self.count_reading(base, n, subject, cells, others)
                out.append(reading)
                for k, v in subject.sets.items():
                    ctx[k] = v
                if reading.cells:
                    last = (subject.what, reading.cells)
        return out


def _drop_parentheticals(text: str) -> str:
    """The text without its closed parentheticals, nested ones too, in one pass (what removing
    innermost （…） pairs until none is left gives, without re-scanning the text for each level)."""
    out: list[str] = []
    opened: list[int] = []
    for ch in text:
        if ch in "（(":
            opened.append(len(out))
            out.append(ch)
        elif ch in "）)" and opened:
            del out[opened.pop():]
        else:
            out.append(ch)
    return "".join(out)


def describe(spec, cells) -> str:
    """表二“行政规范性文件”本年废止件数 for one cell; the table's name otherwise."""
    if len(cells) != 1:
        return "、".join(describe(spec, [c]) for c in cells) if len(cells) <= 3 else f"表中{len(cells)}个单元格之和"
    table_id, row_id, col_id = cells[0].split(".")
    table = spec.table(table_id)
    row = next(r for r in table.rows if r.id == row_id)
    col = spec.column_kind(cells[0])
    short = f"表{table.title[0]}"
    if not row.label:
        return f"{short}“{col.label}”"
    return f"{short}“{row.display}”{col.label}"


def read_narrative(spec, data, values: dict) -> list[Reading]:
    """Every number read from the narrative of a workbook, with its verdict. Read once per
    workbook (analysis.analyse): rule S6 and the validation report's 正文中的数字 both use the readings."""
    from .checks import paragraph_keys

    reader = _Reader(spec, load_claims(spec), values, data.previous_info,
                     str(data.texts.get("info.year", "")))
    out: list[Reading] = []
    for section in spec.narrative:
        for key in paragraph_keys(spec, section.id):
            text = data.texts.get(key, "")
            if text:
                out += reader.read(key, text)
    return out


def read_text(spec, text: str, values: dict, previous: dict | None = None, year: str = "",
              key: str = "s1.sub2.1") -> list[Reading]:
    """The readings of one text against table values (for tests, the corpus and the benchmark)."""
    return _Reader(spec, load_claims(spec), values, previous, year).read(key, text)


def previous_figures(spec, values: dict) -> dict[str, str]:
    """Last year's values the narrative's 同比/较上年 may refer to: every cell a claim names
    (cells of tables 三 and 四 keep their keys across editions)."""
    keys: set[str] = set()
    for s in load_claims(spec).subjects:
        keys.update(s.cells)
        for cells in s.cells_by.values():
            keys.update(cells)
        for cells in s.alternatives:
            keys.update(cells)
    return {k: _fmt(values[k]) for k in sorted(keys) if k in values}


# ---- findings and the validation report ---------------------------------------------------

def cells_text(spec, cells) -> str:
    from .layout import location

    if not cells:
        return ""
    locs = [location(spec, c) for c in cells]
    if len(locs) <= 3:
        return "、".join(locs)
    from .checks import span

    return span(spec, list(cells))


def finding_message(spec, r: Reading) -> str:
    where = cells_text(spec, r.cells)
    if r.subject.endswith("所占比例"):
        return (f"写“{r.marked()}”，按表中数字计算{r.subject}为{r.expected}（{r.note}，{where}）。")
    if r.subject.endswith("同比变化"):
        return f"写“{r.marked()}”，按表中数字{r.note}，{r.subject}为{r.expected}（{where}）。"
    return f"写“{r.marked()}”，{r.subject}（{where}）为{r.expected}。"


def narrative_findings(spec, check, readings) -> list:
    """Rule S6: each number of the narrative (`readings`, read_narrative) that contradicts the tables."""
    from .findings import Finding
    from .layout import location

    titles = {s.id: s.title for s in spec.narrative}
    return [
        Finding(check.rule.id, check.rule.severity, location(spec, r.key),
                check.rule.message.format(target=titles[r.key.split(".")[0]], detail=finding_message(spec, r)),
                left=r.stated, right=r.expected, cells=tuple(r.cells))
        for r in readings if r.verdict == CONTRADICTS
    ]


def readings_dicts(spec, readings) -> list[dict]:
    """The 正文中的数字 section of validation.json (`readings`: read_narrative's, of the analysis)."""
    from .layout import location

    return [
        {
            "cell": location(spec, r.key),
            "sentence": r.sentence,
            "number": r.number,
            "start": r.start,  # where the number stands in the sentence
            "value": r.stated,
            "subject": r.subject,
            "cells": [location(spec, c) for c in r.cells],
            "expected": r.expected,
            "verdict": r.verdict,
            "note": r.note,
        }
        for r in readings
    ]


# ---- R5: a count whose number is missing ------------------------------------------------------

NUMERALS = "0123456789０１２３４５６７８９〇零一二三四五六七八九十百千万两几多余数每该此本逐首"


@lru_cache(maxsize=None)
def _missing_pattern(verbs: tuple, units: tuple) -> re.Pattern:
    v = "|".join(map(re.escape, sorted(verbs, key=len, reverse=True)))
    u = "|".join(map(re.escape, sorted(units, key=len, reverse=True)))
    # the unit must end a clause (公开条例, 事项 are words, not counts); 共和国 is not 共
    return re.compile(
        rf"(?:{v})(?![和同享])([^，。；：、,.;:\n《》{NUMERALS}]{{0,10}}?)(?<![事款选单专])(?P<unit>{u})(?=[，。；：、）),.;:\s]|$)"
    )


def missing_numbers(text: str, verbs, units) -> list[str]:
    """“主动公开各类政府信息条”: a counting verb, then a unit with no number (not 政府文件, 案件)."""
    pattern = _missing_pattern(tuple(verbs), tuple(units))
    return [m.group(0) for m in pattern.finditer(text) if not unit_is_word_end(text, m.start("unit"), m.group("unit"))]


def missing_number_findings(spec, check, data, values: dict) -> list:
    """Rule R5."""
    from .checks import paragraph_keys
    from .findings import Finding
    from .layout import location

    out = []
    for section in spec.narrative:
        for key in paragraph_keys(spec, section.id):
            for found in missing_numbers(data.texts.get(key, ""), check.rule.params["verbs"], check.rule.params["units"]):
                out.append(Finding(
                    check.rule.id, check.rule.severity, location(spec, key),
                    check.rule.message.format(target=section.title, found=found), left=found,
                ))
    return out


# ---- 参考表述: the standard sentences, in Python and as an Excel formula ------------------------

def _amount_text(value, decimals: int) -> str:
    d = Decimal(str(value))
    if d == d.to_integral_value():
        return str(int(d))
    return str(d.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP))


def _render(parts, values: dict) -> str:
    out = []
    for part in parts:
        if isinstance(part, str):
            out.append(part)
        elif "sum" in part:
            out.append(str(int(_sum(values, part["sum"]))))
        elif "amount" in part:
            out.append(_amount_text(_sum(values, part["amount"]), int(part.get("decimals", 0))))
        else:
            chosen = part["then"] if _sum(values, part["if_zero"]) == 0 else part["else"]
            out.append(_render(chosen, values))
    return "".join(out)


def reference_sentences(spec, values: dict) -> dict[str, str]:
    """section/subsection key (s1.sub2) -> the standard sentences for these table values."""
    return {r["section"]: _render(r["parts"], values) for r in reference_data(spec).get("reference", ())}


def _excel_text(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def _excel(parts, ref) -> str:
    pieces = []
    for part in parts:
        if isinstance(part, str):
            pieces.append(_excel_text(part))
        elif "sum" in part:
            pieces.append("SUM(" + ",".join(ref(c) for c in part["sum"]) + ")")
        elif "amount" in part:
            total = "SUM(" + ",".join(ref(c) for c in part["amount"]) + ")"
            d = int(part.get("decimals", 0))
            pieces.append(f"IF({total}=INT({total}),FIXED({total},0,1),FIXED({total},{d},1))")  # 1: no thousands separators
        else:
            test = "SUM(" + ",".join(ref(c) for c in part["if_zero"]) + ")=0"
            pieces.append(f"IF({test},{_excel(part['then'], ref)},{_excel(part['else'], ref)})")
    return "&".join(pieces) if pieces else '""'


def reference_formula(spec, section: str, ref) -> str:
    """The formula of the 参考表述 cell for a subsection: `ref` maps a logical cell key
    ("t3.new.total") to its A1 reference text ("'三、依申请公开'!J6"). Only &, SUM, IF,
    INT and FIXED: the same text in Excel, WPS and LibreOffice (FIXED rounds half away
    from zero like ROUND_HALF_UP; blank cells count as 0 as in reference_sentences)."""
    for r in reference_data(spec).get("reference", ()):
        if r["section"] == section:
            return "=" + _excel(r["parts"], ref)
    raise KeyError(section)
