"""参考表述: the standard sentences built from the tables (reference.toml), in Python and as an
Excel formula of the workbook's 参考表述 cells."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal


def reference_data(spec) -> dict:
    """The 参考表述 templates of an edition (<edition folder>/reference.toml). The workbook's
    formulas depend on these, so spec.load_spec reads them once with the rest."""
    return spec.reference



def _sum(values: dict, cells) -> object:
    return sum((values[c] for c in cells), 0)


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
