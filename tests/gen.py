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
    out = {"info.org": org, "info.year": year}
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
