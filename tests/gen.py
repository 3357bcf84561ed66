"""Random but consistent report data for a specification (deterministic per seed)."""

from __future__ import annotations

import random
from decimal import Decimal

from reportc.checks import derivations, input_keys
from reportc.spec import Spec


def consistent_numbers(spec: Spec, rng: random.Random, high: int = 40) -> dict:
    """Input numbers that pass every rule (O1 balanced per column)."""
    numbers = {}
    for key in input_keys(spec):
        kind = spec.column_kind(key).kind
        if kind == "amount":
            numbers[key] = Decimal(rng.randint(0, 9_999_999)) / Decimal(10_000)
        elif kind == "signed_count":
            numbers[key] = rng.randint(-high, high)
        else:
            numbers[key] = rng.choice([0, 0, rng.randint(0, high)])
    # Balance O1 in every input column of 三: new = total + carry_next - carried.
    for rule in spec.rules:
        if rule.kind != "equal" or rule.params.get("over") != "columns":
            continue
        table = spec.table(rule.params["table"])
        derived = derivations(spec)
        for col in table.columns:
            if f"{table.id}.new.{col.id}" in derived:
                continue
            parts = derived[f"{table.id}.total.{col.id}"]
            total = sum(numbers[p] for p in parts)
            outflow = total + numbers[f"{table.id}.carry_next.{col.id}"]
            carried = rng.randint(0, outflow) if outflow else 0
            numbers[f"{table.id}.carried.{col.id}"] = carried
            numbers[f"{table.id}.new.{col.id}"] = outflow - carried
    # D8 (2019): 对外公开总数量 >= 本年新公开数量
    for row in ("rules", "normative"):
        key, pub = f"t2.{row}.total_public", f"t2.{row}.published"
        if key in numbers and numbers[key] < numbers[pub]:
            numbers[key], numbers[pub] = numbers[pub], numbers[key]
    return numbers


def texts(spec: Spec, rng: random.Random, org: str = "测试县民政局", year: int = 2025) -> dict:
    out = {"info.org": org, "info.year": year, "info.publish_date": f"{int(year) + 1}年1月20日"}  # 规则R8, R9
    for section in spec.narrative:
        prefix = f"{section.id}.intro.1" if section.intro_rows else f"{section.id}.sub1.1"
        out[prefix] = f"{section.title}的第一段正文，编号{rng.randint(1, 999)}。"
    out["s6.intro.1"] = "本年度未收取政府信息公开信息处理费。"
    return out


def chain_numbers(spec: Spec, rng: random.Random, previous: dict) -> dict:
    """Consistent numbers that also agree with last year's reference values
    (previous: reference key -> value, from reportc.previous.previous_from)."""
    numbers = consistent_numbers(spec, rng)
    derived = derivations(spec)
    for ref, value in previous.items():
        terms = ref[len("ref:"):].split("+")
        if terms[0].startswith("t3.carry_next."):  # S1: 上年结转 = last year's 结转下年度
            col = terms[0].rsplit(".", 1)[1]
            if f"t3.carried.{col}" in derived:
                continue
            shift = int(value) - numbers[f"t3.carried.{col}"]
            numbers[f"t3.carried.{col}"] = int(value)
            numbers[f"t3.carry_next.{col}"] += max(shift, 0)
            numbers[f"t3.new.{col}"] += max(-shift, 0)
        elif terms[0].endswith(".in_force"):  # S2/S3: in force = last + made - repealed
            row = terms[0].split(".")[1]
            made, repealed = numbers[f"t2.{row}.made"], min(numbers[f"t2.{row}.repealed"], int(value))
            numbers[f"t2.{row}.repealed"] = repealed
            numbers[f"t2.{row}.in_force"] = int(value) + made - repealed
        elif terms[0].endswith(".last_year"):  # S4: 上一年项目数量 = last year's + 本年增/减
            row = terms[0].split(".")[1]
            numbers[f"t2.{row}.last_year"] = int(value)
    return numbers


# ---- narratives that state table numbers (the narrative round trip) ------------------------

CN = "零一二三四五六七八九"


def chinese_numeral(n: int) -> str:
    """105 → 一百零五, 17 → 十七, 2300 → 二千三百, 30010 → 三万零一十 (n < 10**8)."""
    if n == 0:
        return "零"

    def below_10k(x: int, leading: bool) -> str:
        out, zero = "", False
        for value, unit in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
            d = x // value % 10
            if d:
                if zero and out:
                    out += "零"
                out += ("" if (d == 1 and unit == "十" and leading and not out) else CN[d]) + unit
                zero = False
            elif out:
                zero = True
        return out

    high, low = divmod(n, 10_000)
    if not high:
        return below_10k(low, True)
    text = below_10k(high, True) + "万"
    if low:
        text += ("零" if low < 1000 else "") + below_10k(low, False)
    return text


SPACES_BEFORE_UNIT = ["", "", "", " ", "\u3000", "\u00a0"]


def say_number(n, rng: random.Random, unit: str = "件") -> str:
    """A whole number as clerks type it: 42, ４２, 四十二, 1,286, with any space before the unit."""
    forms = ["digits", "full"]
    if isinstance(n, int) and 0 < n < 10**8:
        forms.append("chinese")
    if isinstance(n, int) and n >= 1000:
        forms.append("commas")
    form = rng.choice(forms)
    text = str(n)
    if form == "full":
        text = text.translate(str.maketrans("0123456789.", "０１２３４５６７８９．"))
    elif form == "chinese":
        text = chinese_numeral(n)
    elif form == "commas":
        text = f"{n:,}"
    return text + rng.choice(SPACES_BEFORE_UNIT) + unit


# (phrasings, cells) per edition: every phrasing names the cells unambiguously.
_T3 = [
    (["本年度共收到政府信息公开申请", "全年共受理政府信息公开申请", "本年新收政府信息公开申请"], ["t3.new.total"]),
    (["上年结转", "上年度结转申请"], ["t3.carried.total"]),
    (["办结", "已办结", "依法答复"], ["t3.total.total"]),
    (["予以公开", "同意公开"], ["t3.granted.total"]),
    (["部分公开"], ["t3.partial.total"]),
    (["属于国家秘密", "涉及第三方合法权益"][0:1], ["t3.deny_secret.total"]),
    (["涉及第三方合法权益"], ["t3.deny_third_party.total"]),
    (["无法提供"], ["t3.unable_not_held.total", "t3.unable_not_exist.total", "t3.unable_unclear.total"]),
    (["不予处理"], ["t3.refuse_petition.total", "t3.refuse_repeat.total", "t3.refuse_publication.total",
                "t3.refuse_massive.total", "t3.refuse_confirm.total"]),
    (["重复申请"], ["t3.refuse_repeat.total"]),
    (["结转下年度继续办理", "转入下年度办理"], ["t3.carry_next.total"]),
    (["予以公开及部分公开"], ["t3.granted.total", "t3.partial.total"]),
    (["被申请行政复议", "发生政府信息公开行政复议"], ["t4.all.review_total"]),
    (["行政诉讼", "被提起行政诉讼"], ["t4.all.direct_total", "t4.all.after_total"]),
]
_T2 = {
    "2021": [
        (["制发行政规范性文件"], ["t2.normative.made"]),
        (["废止规章"], ["t2.rules.repealed"]),
        (["现行有效行政规范性文件"], ["t2.normative.in_force"]),
        (["作出行政许可决定", "行政许可处理决定"], ["t2.licensing.decisions"]),
        (["行政处罚决定"], ["t2.penalty.decisions"]),
    ],
    "2019": [
        (["新制作规范性文件"], ["t2.normative.made"]),
        (["行政许可处理决定"], ["t2.licensing.decisions"]),
        (["政府集中采购项目"], ["t2.procurement.projects"]),
    ],
}


def stated_numbers(spec: Spec, values: dict, rng: random.Random) -> list[tuple[str, int, str]]:
    """(phrase, value, unit) claims about the tables, in random order and phrasing."""
    claims = []
    for phrasings, cells in _T3 + _T2[spec.edition]:
        unit = "个" if cells == ["t2.procurement.projects"] else rng.choice(["件", "件", "起"] if cells[0].startswith("t4") else ["件"])
        claims.append((rng.choice(phrasings), int(sum(values[c] for c in cells)), unit))
    rng.shuffle(claims)
    return claims


def narrative_text(claims, rng: random.Random, change: int | None = None, delta: int = 0) -> str:
    """Sentences stating the claims; claim number `change` is stated off by `delta`."""
    sentences, clause = [], []
    for i, (phrase, value, unit) in enumerate(claims):
        clause.append(phrase + say_number(value + (delta if i == change else 0), rng, unit))
        if len(clause) >= rng.randint(1, 4):
            sentences.append(rng.choice(["，", "、"]).join(clause) + rng.choice(["。", "；"]))
            clause = []
    if clause:
        sentences.append("，".join(clause) + "。")
    return "".join(sentences)
