"""The narrative read: every number a paragraph states, matched to the claims and checked
against the tables.

Sentences → numbers (numbers_zh) → claims (which words name which table cells) → readings with a
verdict: ✓ (agrees), ✗ (contradicts, a finding of rule S6) or 未核对 (read, but not checkable:
words not understood, a breakdown by place, last year's figures missing). A phrasing the checker
does not understand is never a finding.
"""

from __future__ import annotations

import re
from decimal import Decimal

from ..numbers_zh import Number, find_numbers, normalise
from ..record import record
from .claims import AGREES, CONTRADICTS, FOLD, N, UNCHECKED, Claims, Subject, load_claims

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


@record(frozen=True)
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
    from ..findings import fmt_value

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
            out += self.read_sentence(_Sentence(key, sentence, sentence_norm), events, ctx)
        return out

    def read_sentence(self, at: _Sentence, events: list, ctx: dict) -> list[Reading]:
        """The readings of one sentence's numbers and zero phrases, in the order they stand."""
        out: list[Reading] = []
        for _, kind, item in events:
            reading = self.zero_reading(at, *item, ctx) if kind == 0 else self.number_reading(at, item, ctx)
            if reading:
                out.append(reading)
        return out

    def zero_reading(self, at: _Sentence, subject: Subject, m: re.Match, ctx: dict) -> Reading:
        """未发生, 均获维持: a zero stated without a number."""
        cells = self.cells_of(subject, ctx, at.norm, m.start())
        base = dict(key=at.key, sentence=at.sentence, start=m.start(), end=m.end(), stated="0")
        listed = self.listed(subject, at.norm, m.start()) if subject.by else None
        if listed == ():
            return Reading(**base, subject=subject.what, note="不清楚“均”指的是前面哪几项")
        if listed:  # 复议1件、诉讼2件，均获维持: the quantifier covers every subject listed
            cells = tuple(dict.fromkeys(c for v in listed for c in subject.cells_by.get(v, ())))
        if cells is None:
            return Reading(**base, subject=subject.what, note="不清楚指的是行政复议还是行政诉讼")
        actual = _sum(self.values, cells)
        return Reading(**base, subject=subject.what, cells=tuple(cells), expected=_fmt(actual),
                       verdict=AGREES if actual == 0 else CONTRADICTS)

    def number_reading(self, at: _Sentence, n: Number, ctx: dict) -> Reading | None:
        """A number: a change (同比), a rate or share (%), or a count of a subject; None when it restates nothing."""
        sentence_norm = at.norm
        left = self.left_context(sentence_norm, n.start, at.prev_end)
        right = sentence_norm[n.end:]
        cut = _CLAUSE_CUT.search(right)
        right = right[:cut.start()] if cut else right
        base = dict(key=at.key, sentence=at.sentence, start=n.start, end=n.end, stated=_fmt(n.value))
        at.prev_end = n.end
        frame = left + N
        change = self.claims.change.search(frame)
        if change is None and at.last_change is not None:  # 同比减少6件（下降12.5%）
            change = _AGAIN.match(frame)
        if change:
            up = change.group("dir") in self.claims.up_words
            own = self.match_subject(left[:change.start()], "", ctx) if change.start() else None
            own_cells = self.cells_of(own, ctx, sentence_norm, n.start) if own else None
            subject = (own.what, own_cells) if own_cells else (at.last_change or at.last)
            reading = self.change_reading(base, n, up, subject)
            if reading:
                at.last_change = subject
            return reading
        if n.unit == "%":
            rate = next((r for r in self.claims.rates if r[0].search(frame)), None)
            if rate:  # 办结率100%
                return self.rate_reading(base, n, *rate[1:])
            share = self.claims.share.search(frame)
            if share:
                return self.share_reading(base, n, share.group("den") or "", at.last)
            return None  # other percentages (满意率98%) restate nothing
        subject = self.match_subject(left, right, ctx)
        if subject is None:
            return Reading(**base, note="没有对应到表中的项目") if n.unit in LISTED_UNITS else None
        cells = self.cells_of(subject, ctx, sentence_norm, n.start)
        others = ()
        if subject.by and cells and not self.mentioned(subject.by, sentence_norm[:n.start]):
            # what the subject depends on was said in an earlier sentence, or not at all
            # (自然人85件: of 本年新收, or with 上年结转?): any reading of it may be meant
            others = tuple(c for c in dict.fromkeys(subject.cells_by.values()) if c != cells)
        reading = self.count_reading(base, n, subject, cells, others)
        for k, v in subject.sets.items():
            ctx[k] = v
        if reading.cells:
            at.last = (subject.what, reading.cells)
        return reading


class _Sentence:
    """A sentence being read: where it is, and what its earlier numbers said."""

    def __init__(self, key: str, sentence: str, norm: str):
        self.key, self.sentence, self.norm = key, sentence, norm  # norm: normalised and folded
        self.prev_end = 0  # where the previous number ended
        self.last = None  # (what, cells) of the last claim in the sentence
        self.last_change = None  # (what, cells) of the last 同比 in the sentence


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
    from ..checks import paragraph_keys

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

