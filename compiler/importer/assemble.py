"""A read document (model.Doc) into a workbook's inputs: the edition, 基本信息, the
narrative slots and the table values, and the import's own checksum (the tables' sums).

Nothing is guessed: a value that cannot be read stays blank and is listed; blank, “/”,
“—”, “-”, “无” and 0 are kept as they were published, as the workbook distinguishes them.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from decimal import Decimal, InvalidOperation
from pathlib import Path

from ..checks import expand_ref, input_keys, targets
from ..errors import CannotCheck
from ..findings import fmt_value
from ..layout import NarrativeRow, location, narrative_rows
from ..opening import BASIS, DEFAULT_SITE, OPENING_ID
from ..record import field, record
from ..spec import Spec, Table, edition_covering, load_spec
from ..values import DASHES, NONE_WORDS
from .model import MAX_SLOTS, Doc, Para, TableTooLarge, clean, matrix, squeeze
from .model import Table as DocTable

STATUS_OK, STATUS_DOUBT = "导入完成", "存疑"
MAX_ROWS = 1000  # table rows with values matched per statutory table (a report has under a hundred)
CHINESE_NUMBERS = "一二三四五六七八九十"
SECTION_HEADING = re.compile(r"^([一二三四五六七八九十]{1,2})\s*[、.．]\s*(\S.{0,40})$")
SUB_HEADING = re.compile(r"^[（(]([一二三四五六七八九十]{1,2})[）)]\s*(\S.{0,40})$")
SUB_INLINE = re.compile(r"^[（(]([一二三四五六七八九十]{1,2})[）)][^。]{1,30}。.")
DATE_LINE = re.compile(r"^(\d{4})\s*[年./-]\s*(\d{1,2})\s*[月./-]\s*(\d{1,2})\s*日?$")
TITLE_REPORT = re.compile(r"^(?P<org>.*?)\s*(?P<year>(?:19|20|21)\d\d)\s*年度?\s*(?P<rest>政府信息公开工作年度报告)\s*$")
TITLE_ANY = re.compile(r"(?:19|20|21)\d\d\s*年度?.{0,40}?(?:政府信息公开|政务公开).{0,10}?(?:年度)?报告")
YEAR_IN = re.compile(r"(?<!\d)((?:19|20|21)\d\d)\s*年")
NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)$")
WITH_UNIT = re.compile(r"^([+-]?\d+(?:\.\d+)?)(件|个|项|次|条|万元|份|宗)$")
SECTION_OF = {1: "s1", 2: "t2", 3: "t3", 4: "t4", 5: "s5", 6: "s6"}
PAGE_CHROME = re.compile(r"(来源|发布时间|发布日期|浏览次数|访问量|字号|打印|关闭|分享|责任编辑|信息来源|索引号|点击率)[：:]|【\s*[大中小]\s*】|【[^】]{0,8}(打印|关闭|收藏|分享|返回|顶部)[^】]{0,8}】")


@record
class Imported:
    """A published report read back: everything a workbook needs, and what may have been misread."""

    source: Path
    kind: str
    spec: Spec
    texts: dict  # info.* and narrative keys -> text
    cells: dict  # input table keys -> int | Decimal | str (a published “—”) | None (blank)
    published: dict = field(default_factory=dict)  # every table key found -> value as published
    unreadable: list = field(default_factory=list)  # (key, text, message)
    doubts: list = field(default_factory=list)  # checksum failures: (rule id, location, message)
    notes: list = field(default_factory=list)
    sha256: str = ""

    @property
    def status(self) -> str:
        return STATUS_DOUBT if (self.doubts or self.unreadable) else STATUS_OK

    def doubt_lines(self) -> list[str]:
        lines = [f"[规则{rule}] {where}：{message}" for rule, where, message in self.doubts]
        groups: list[list] = []  # the cells of one row with the same message: one line, as a range
        for key, _, message in self.unreadable:
            if groups and groups[-1][1] == message:
                groups[-1][0].append(key)
            else:
                groups.append([[key], message])
        for keys, message in groups:
            first = location(self.spec, keys[0])
            last = location(self.spec, keys[-1]).split("!", 1)[1]
            lines.append(f"{first}{':' + last if len(keys) > 1 else ''}：{message}")
        return lines


def chinese_number(text: str) -> int:
    if text == "十":
        return 10
    if text.startswith("十"):
        return 10 + CHINESE_NUMBERS.index(text[1]) + 1
    if len(text) == 2 and text[1] == "十":
        return (CHINESE_NUMBERS.index(text[0]) + 1) * 10
    return CHINESE_NUMBERS.index(text[0]) + 1 if len(text) == 1 else 0


# ---- values ---------------------------------------------------------------------------

def value_like(text: str) -> bool:
    half = unicodedata.normalize("NFKC", clean(text)).replace(",", "").replace(" ", "")
    return (not half or clean(text) in DASHES or half in DASHES or half.lower() in NONE_WORDS
            or bool(NUMBER.match(half)) or bool(WITH_UNIT.match(half)))


IDEOGRAPH = re.compile(r"[\u4e00-\u9fff]")


def valueish(text: str) -> bool:
    """Where a value belongs: a value, or a short garbled one (“3б”, “l2”) that is listed as unreadable."""
    shown = clean(text)
    return value_like(shown) or (len(shown) <= 12 and any(ch.isdigit() for ch in shown) and not IDEOGRAPH.search(shown))


def read_value(text: str):
    """(value, problem): a number, a published dash or 无 kept as text, None for blank; or a problem."""
    shown = clean(text)
    half = unicodedata.normalize("NFKC", shown).replace(",", "").replace(" ", "")
    if not half:
        return None, ""
    if shown in DASHES or half in DASHES or half.lower() in NONE_WORDS:
        return shown, ""
    m = WITH_UNIT.match(half)
    number = m.group(1) if m else half
    if NUMBER.match(number):
        try:
            d = Decimal(number)
        except InvalidOperation:
            return None, f"无法读取“{shown}”"
        return (int(d) if d == d.to_integral_value() else d), ""
    return None, f"无法读取“{shown[:30]}”，已留空"


def as_number(value):
    return value if isinstance(value, (int, Decimal)) else 0


# ---- table rows -----------------------------------------------------------------------

@record
class Row:
    label: str  # squeezed label text
    values: list  # texts of the value cells, left to right
    cells: list = field(default_factory=list)  # (text, starts in this row) of every cell, left to right
    used: bool = False


def table_rows(table: DocTable) -> list[Row]:
    out = []
    for r, slots in enumerate(matrix(table)):
        seen, cells = set(), []
        for oid, text, origin_row in slots:
            if oid in seen:
                continue
            seen.add(oid)
            cells.append((text, origin_row == r))
        labels = [i for i, (text, _) in enumerate(cells) if not valueish(text)]
        last = labels[-1] if labels else -1
        label = squeeze("".join(text for text, _ in cells[: last + 1]))
        values = [text for text, own in cells[last + 1:] if own]
        out.append(Row(label, values, cells))
    return out


def _score(label: str, full: str, short: str, fuzzy: bool = False) -> float:
    if not label:
        return 0
    if label in (full, short):
        return 4
    if len(short) >= 2 and label.endswith(short):
        return 3
    if (len(short) >= 2 and short in label) or (len(label) >= 2 and label in full and full.endswith(label)):
        return 2
    if not fuzzy or len(label) >= 80:
        return 0
    return 1 if difflib.SequenceMatcher(None, label, short, autojunk=False).ratio() >= 0.75 else 0


def _pick(rows: list[Row], full: str, short: str, n: int, start: int) -> int | None:
    """The row that best matches a statutory row: exact or contained labels first; a similar
    label (difflib) only when none does."""
    for fuzzy in (False, True):
        best, best_key = None, None
        for i, row in enumerate(rows):
            if row.used or not row.values:
                continue
            score = _score(row.label, full, short, fuzzy)
            if not score:
                continue
            key = (score, len(row.values) >= n, i >= start, -abs(i - start))
            if best_key is None or key > best_key:
                best, best_key = i, key
        if best is not None:
            return best
    return None


def _row_values(texts: list, n: int) -> list | None:
    values = list(texts)
    while len(values) > n and not clean(values[-1]):
        values.pop()
    if len(values) < n:
        return None
    return values[-n:]


def read_table(table: Table, rows: list[Row], imported: Imported) -> int:
    """Put the values of the rows that match `table`'s rows into imported.published; return how many rows matched."""
    matched = 0
    pointer = 0
    for block in table.blocks:
        n = len(block.columns)
        for spec_row in block.rows:
            keys = [f"{table.id}.{spec_row.id}.{c.id}" for c in block.columns]
            if block.label_cols:
                full, short = squeeze("".join(spec_row.group) + spec_row.label), squeeze(spec_row.label)
                i = _pick(rows, full, short, n, pointer)
            else:
                i = next((j for j, row in enumerate(rows) if not row.used and not row.label and len(row.values) >= n), None)
                if i is None:
                    i = next((j for j, row in enumerate(rows) if not row.used and len(row.values) >= n), None)
            if i is None:
                for key in keys:
                    imported.unreadable.append((key, "", f"{table.short}找不到“{spec_row.display or table.title}”行，已留空"))
                continue
            rows[i].used = True
            pointer = i + 1
            matched += 1
            values = _row_values(rows[i].values, n)
            if values is None:
                for key in keys:
                    imported.unreadable.append((key, "", f"{table.short}“{spec_row.display}”行的数字个数不对（应为{n}个），已留空"))
                continue
            for key, text in zip(keys, values, strict=False):
                value, problem = read_value(text)
                imported.published[key] = value
                if problem:
                    imported.unreadable.append((key, text, problem))
    return matched


# ---- the checksum -------------------------------------------------------------------

def checksum(spec: Spec, imported: Imported) -> None:
    """The tables' own arithmetic (sum and equal rules: O1, D1–D5) over the values as published."""
    bad = {key for key, _, _ in imported.unreadable}
    values = {k: as_number(v) for k, v in imported.published.items()}
    for rule in spec.rules:
        if rule.kind not in ("sum", "equal"):
            continue
        tid = rule.params["table"]
        sides = ("total", "parts") if rule.kind == "sum" else ("left", "right")
        for star, target in targets(spec, rule):
            left, right = ([expand_ref(x, tid, star) for x in ([r] if isinstance(r, str) else r)]
                           for r in (rule.params[s] for s in sides))
            keys = [k.lstrip("-") for k in left + right]
            if any(k in bad or k not in values for k in keys):
                continue  # an unreadable value is listed as such
            lsum = sum(((-values[k[1:]]) if k.startswith("-") else values[k] for k in left), 0)
            rsum = sum(((-values[k[1:]]) if k.startswith("-") else values[k] for k in right), 0)
            op = rule.params.get("op", "=") if rule.kind == "equal" else "="
            if not {"=": lsum == rsum, ">=": lsum >= rsum, "<=": lsum <= rsum}[op]:
                table = spec.table(tid)
                target = target or f"“{spec.column_kind(keys[0]).label}”"
                where = "、".join(dict.fromkeys(location(spec, k) for k in keys[:1] + keys[len(left):][:1]))
                message = rule.message.format(target=f"{table.short}{target}", left=fmt_value(lsum),
                                              right=fmt_value(rsum), diff=fmt_value(lsum - rsum))
                imported.doubts.append((rule.id, where, message))


# ---- the narrative ------------------------------------------------------------------

FOOTER = re.compile(r"版权所有|主办单位|承办单位|ICP备|网站标识码|公网安备|技术支持|网站地图|联系我们|Copyright|©")


def split_sections(doc: Doc) -> tuple[list[str], dict, dict, list[str]]:
    """(opening paragraphs, section id -> paragraph texts, section id -> tables, lines dropped).
    The report starts after its title (the last title-like line before 一、) and ends at the
    落款 date after 六、 or at a page footer."""
    heading_at = None
    for i, block in enumerate(doc.blocks):
        if isinstance(block, Para) and _section_number(clean(block.text)):
            heading_at = i
            break
    start = 0
    for i, block in enumerate(doc.blocks[: heading_at if heading_at is not None else len(doc.blocks)]):
        if isinstance(block, Para):
            text = clean(block.text)
            if len(text) <= 80 and TITLE_ANY.search(text) and not re.search(r"[。；]", text):
                start = i + 1
    opening: list[str] = []
    sections: dict[str, list] = {}
    tables: dict[str, list] = {}
    dropped: list[str] = []
    current = None
    seen_numbers: list[int] = []
    for block in doc.blocks[start:]:
        if isinstance(block, DocTable):
            tables.setdefault(current, []).append(block)
            continue
        text = clean(block.text)
        if not text:
            continue
        if len(text) < 80 and FOOTER.search(text):
            break
        if len(text) < 60 and PAGE_CHROME.search(text):
            dropped.append(text)
            continue
        n = _section_number(text)
        if n and seen_numbers and n == seen_numbers[-1]:
            continue  # the heading repeated (a CMS copy of a heading and its first line)
        if n and (not seen_numbers or n > seen_numbers[-1]):
            current = SECTION_OF[n]
            seen_numbers.append(n)
            sections.setdefault(current, [])
            continue
        if current is None:
            opening.append(text)
        else:
            sections[current].append(text)
            if current == "s6" and DATE_LINE.match(text.replace(" ", "")):
                break  # the 落款 date ends the report
    return opening, sections, tables, dropped


def _section_number(text: str) -> int:
    m = SECTION_HEADING.match(text)
    if not m or "。" in m.group(2):
        return 0
    n = chinese_number(m.group(1))
    return n if n in SECTION_OF else 0


def _fill_slots(section, paragraphs: list[str], texts: dict, notes: list) -> None:
    """Paragraphs of one narrative section into its intro and subsection slots."""
    rows = [r for r in narrative_rows(section) if isinstance(r, NarrativeRow)]
    slots: dict[str, list[str]] = {}
    titles: dict[str, str] = {}
    part = "intro"
    for text in paragraphs:
        m = SUB_HEADING.match(text)
        short = len(text) <= 40 and "。" not in text or len(text) <= 30 and text.count("。") == 1 and text.endswith("。")
        if m and short and section.subsections:
            n = chinese_number(m.group(1))
            if 1 <= n <= len(section.subsections):
                part = f"sub{n}"
                titles[part] = text
                continue
        inline = SUB_INLINE.match(text)
        if inline and section.subsections:  # “（一）主动公开方面。坚持……”: heading and text in one paragraph
            n = chinese_number(inline.group(1))
            if 1 <= n <= len(section.subsections) and f"sub{n}" not in slots and f"sub{n}" not in titles:
                part = f"sub{n}"
                titles[part] = ""  # printed as it was: no heading of its own

        slots.setdefault(part, []).append(text)
    for part, title in titles.items():
        texts[f"{section.id}.{part}.title"] = title
    for part, paras in slots.items():
        keys = [r.key for r in rows if r.part == part and not r.is_title]
        if part == "intro" and not keys:  # a section without an intro: the first subsection takes them
            keys = [r.key for r in rows if r.part == "sub1" and not r.is_title]
        if not keys:
            notes.append(f"“{section.title}”中有{len(paras)}段文字无处安放，未导入。")
            continue
        for key, para in zip(keys, paras, strict=False):
            texts[key] = para
        if len(paras) > len(keys):  # more paragraphs than slots: the last slot holds the rest, one per line
            texts[keys[-1]] = "\n".join(paras[len(keys) - 1:])


def take_signature(paragraphs: list[str], org: str = "") -> tuple[str, str]:
    """(signer, date) from the lines ending the report, removed from `paragraphs`. Without a date
    line, a last line that is exactly the body's name (from the title) is its 落款."""
    signer = when = ""
    if paragraphs and DATE_LINE.match(paragraphs[-1].replace(" ", "")):
        m = DATE_LINE.match(paragraphs.pop().replace(" ", ""))
        when = f"{int(m.group(1))}年{int(m.group(2))}月{int(m.group(3))}日"
        if paragraphs and len(paragraphs[-1]) <= 40 and not re.search(r"[。；;，,：:]", paragraphs[-1]):
            signer = paragraphs.pop()
    elif org and len(paragraphs) > 1 and paragraphs[-1].strip() == org:
        signer = paragraphs.pop().strip()
    return signer, when


CONTACT = {
    "address": r"(?:联系|通讯|通信)?地址[：:]\s*([^，,；;。（）()]+)",
    "postcode": r"邮(?:政)?编(?:码)?[：:]\s*(\d{6})",
    "phone": r"(?:联系|咨询)?电话[：:]\s*([0-9０-９\-－—()（）、/ ]{5,40}[0-9０-９])",
    "email": r"(?:电子邮箱|电子邮件|邮箱|E-?mail)[：:]\s*([A-Za-z0-9._%+\-]+@[A-Za-z0-9.\-]+[A-Za-z])",
}
STANDARD_TAIL = re.compile(r"本报告电子版可在(?P<site>[^。]*?)下载。(?:如对本报告有疑问，请与(?P<unit>[^。（]*?)联系"
                           r"(?:（(?P<contact>[^。]*?)）)?。)?$")


def read_contacts(opening: list[str], org: str) -> dict:
    text = "".join(opening)
    out = {}
    m = STANDARD_TAIL.search(text)
    if m:  # reportc's own wording: the fields are exactly what it was made from
        site = m.group("site")
        out["website"] = "" if site == DEFAULT_SITE else site
        unit = m.group("unit") or ""
        out["contact_unit"] = "" if unit == org else unit
        parts = re.split(r"，(?=(?:地址|邮编|电话|电子邮箱)：)", m.group("contact") or "")
        names = {"地址": "address", "邮编": "postcode", "电话": "phone", "电子邮箱": "email"}
        for part in parts:
            label, _, value = part.partition("：")
            if label in names:
                out[names[label]] = value
        return out
    for name, pattern in CONTACT.items():
        found = re.search(pattern, text)
        if found:
            out[name] = found.group(1).strip()
    unit = re.search(r"(?:请与|联系单位[：:]|联系部门[：:])\s*([^，,。；;（(]{2,40}?)(?:联系|[，,。；;（(])", text)
    if unit:
        out["contact_unit"] = unit.group(1).strip()
    site = re.search(r"(?:电子版|全文)(?:可)?在([^，,。；;]{2,60}?)(?:下载|查阅|查询|浏览)", text)
    if site:
        out["website"] = site.group(1).strip()
    return out


def find_year(title: str, doc_text: str) -> int | None:
    m = re.search(r"((?:19|20|21)\d\d)\s*年", title or "")
    if m:
        return int(m.group(1))
    m = re.search(r"统计(?:期限|期间|时限)[^。]*?((?:19|20|21)\d\d)\s*年\s*1\s*月\s*1\s*日", doc_text)
    if m:
        return int(m.group(1))
    counts: dict[int, int] = {}
    for y in YEAR_IN.findall(doc_text[:20000]):
        counts[int(y)] = counts.get(int(y), 0) + 1
    return max(counts, key=counts.get) if counts else None


def find_title(doc: Doc) -> str:
    if doc.title and TITLE_ANY.search(clean(doc.title)):
        return clean(doc.title)
    for block in doc.blocks[:80]:
        if isinstance(block, Para):
            text = clean(block.text)
            if len(text) <= 80 and TITLE_ANY.search(text):
                return text
    return clean(doc.title)


# ---- putting it together ------------------------------------------------------------

# the <h1> of validation.html, batch's and audit's index.html (render_validation.py, batch_run.py, audit_run.py)
OWN_PAGES = ("校验报告：", "政府信息公开工作年度报告汇总", "已发布政府信息公开工作年度报告核对汇总")


def no_report(name: str) -> CannotCheck:
    return CannotCheck(
        f"“{name}”中没有找到政府信息公开工作年度报告（既没有年报的表格，也没有“一、总体情况”等章节）。",
        "可能是栏目列表页、网站首页或需要浏览器运行脚本才显示内容的页面。请打开年报正文页面，"
        "另存为网页（.html），或下载年报的 Word/PDF 文件后再导入。",
    )


def assemble(doc: Doc, source: Path, edition: str | None = None) -> Imported:
    name = source.name
    title = find_title(doc)
    if clean(doc.title or "").startswith(OWN_PAGES):  # reportc's own pages about a report, not a report
        raise CannotCheck(f"“{name}”是 reportc 生成的校验报告或汇总页，不是年报。",
                          "请导入同一文件夹中的年报：report.html、report.docx、report.pdf 或 report.json。")
    all_text = "\n".join(b.text for b in doc.blocks if isinstance(b, Para))
    opening, sections, tables, _ = split_sections(doc)
    doc_tables = [t for ts in tables.values() for t in ts]
    if not doc_tables and len([s for s in sections if s in ("s1", "s5", "s6")]) < 2:
        raise no_report(name)
    try:
        parsed = {id(t): table_rows(t) for t in doc_tables}
    except TableTooLarge:
        raise CannotCheck(f"“{name}”中的表格过大（超过 {MAX_SLOTS} 个单元格），不像一份年报，已拒绝读取。") from None
    year = find_year(title, all_text)
    by_tables = _edition_by_columns([row for rows in parsed.values() for row in rows])
    notes = []
    if edition is None:
        edition = edition_covering(year) if year else None
        if edition and by_tables and by_tables != edition:  # e.g. a 2023 report in the 2019 format
            notes.append(f"报告年度为{year}年，应使用{edition}版格式，但年报的表格是{by_tables}版格式："
                         f"已按{by_tables}版格式导入（检查时规则S8会提示）。")
            edition = by_tables
    if edition is None:
        edition = by_tables or _edition_by_tables([row for rows in parsed.values() for row in rows])
    spec = load_spec(edition)
    m = TITLE_REPORT.match(title)
    org = clean(m.group("org")) if m else ""
    texts: dict[str, str] = {"info.year": str(year) if year else ""}
    imported = Imported(source, doc.kind, spec, texts, {}, notes=list(doc.notes) + notes)
    if not year:
        imported.notes.append("标题和正文中都没有找到报告年度，请在“基本信息”表填写年度。")
    # 落款 and 发布日期: the last lines of the last section
    last = next((s for s in ("s6", "s5", "s1") if sections.get(s)), None)
    signer, when = take_signature(sections[last], org) if last else ("", "")
    if not org:
        std = re.search(r"本报告由(.+?)" + re.escape(BASIS), "".join(opening))
        org = std.group(1) if std else signer
    texts["info.org"] = org
    expected_title = spec.title_pattern.format(org=org, year=year) if year else ""
    texts["info.title"] = "" if title == expected_title else title
    texts["info.signature"] = signer
    texts["info.publish_date"] = when
    opening = [p for p in opening if p != title and not (len(p) < 60 and PAGE_CHROME.search(p))]
    texts.update({f"info.{k}": v for k, v in read_contacts(opening, org).items()})
    for section in spec.narrative:
        paras = opening if section.id == OPENING_ID else sections.get(section.id, [])
        _fill_slots(section, paras, texts, imported.notes)
    for tid in ("t2", "t3", "t4"):
        prose = [p for p in sections.get(tid, []) if "。" in p and len(p) >= 20]
        if prose:
            imported.notes.append(f"{spec.section(tid).title}中有{len(prose)}段表格以外的文字，工作簿中没有位置，未导入。")
    matched = 0
    for table in spec.tables:
        found = tables.get(table.id) or doc_tables
        rows = [row for t in found for row in parsed[id(t)] if row.values][:MAX_ROWS]
        matched += read_table(table, rows, imported)
    if matched < 3 and len([s for s in sections if s in ("s1", "s5", "s6")]) < 2:
        raise no_report(name)
    keys = set(input_keys(spec))
    imported.cells = {k: v for k, v in imported.published.items() if k in keys}
    imported.cells.update({k: None for k, _, _ in imported.unreadable if k in keys})
    checksum(spec, imported)
    return imported


def _edition_by_columns(rows: list) -> str | None:
    """The edition whose own column labels (those the other editions lack) the tables show, when only one does."""
    from ..spec import available_editions

    text = "|".join(row.label for row in rows)
    labels = {e: {squeeze(c.label) for t in load_spec(e).tables for b in t.blocks for c in b.columns}
              for e in available_editions()}
    found = []
    for edition, own in labels.items():
        others = [m for e, ls in labels.items() if e != edition for m in ls]
        unique = [label for label in own if not any(label in m for m in others)]
        if sum(1 for label in unique if label in text) >= 2:
            found.append(edition)
    return found[0] if len(found) == 1 else None


def _edition_by_tables(rows: list) -> str:
    """No year anywhere: the edition whose table rows the document's tables match best."""
    from ..spec import available_editions

    best, best_score = available_editions()[-1], -1
    labels = {row.label for row in rows}
    for edition in available_editions():
        spec = load_spec(edition)
        score = sum(1 for t in spec.tables for r in t.rows if squeeze(r.label) in labels)
        if score > best_score:
            best, best_score = edition, score
    return best
