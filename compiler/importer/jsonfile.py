"""report.json (compiler/render_json.py) back into a workbook's inputs: lossless."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

from ..checks import input_keys
from ..errors import CannotCheck
from ..layout import cell_map
from ..spec import available_editions, load_spec
from .assemble import Imported, checksum

FORMAT = "reportc-report/1"


def read_json(data: bytes, source: Path) -> Imported:
    name = source.name
    try:
        doc = json.loads(data.decode("utf-8-sig"), parse_float=Decimal)
    except (ValueError, UnicodeDecodeError) as exc:
        raise CannotCheck(f"“{name}”不是有效的 JSON 文件（{type(exc).__name__}）。",
                          "请使用 reportc build 生成的 report.json。") from None
    if not isinstance(doc, dict) or doc.get("format") != FORMAT:
        raise CannotCheck(f"“{name}”不是 reportc 的年报数据文件（report.json，格式“{FORMAT}”）。",
                          "请使用 reportc build 生成的 report.json；validation.json 是校验结果，不含年报数据。")
    edition = str(doc.get("edition", ""))
    if edition not in available_editions():
        raise CannotCheck(f"“{name}”的报告格式版本“{edition}”reportc 不认识（可用：{'、'.join(available_editions())}）。")
    spec = load_spec(edition)
    known = cell_map(spec)
    texts: dict[str, str] = {}
    info = doc.get("info") if isinstance(doc.get("info"), dict) else {}
    for fld in spec.fields:
        value = info.get(fld.id, "")
        texts[f"info.{fld.id}"] = str(value) if value is not None else ""
    inputs = doc.get("narrative_inputs") if isinstance(doc.get("narrative_inputs"), dict) else {}
    for key, value in inputs.items():
        if key in known and not key.startswith("info.") and isinstance(value, str):
            texts[key] = value
    imported = Imported(source, "json", spec, texts, {})
    keys = set(input_keys(spec))
    for item in doc.get("cells") or []:
        if not isinstance(item, dict) or item.get("key") not in known:
            continue
        key, value = item["key"], item.get("value")
        if isinstance(value, bool) or not (value is None or isinstance(value, (int, Decimal, str))):
            imported.unreadable.append((key, str(value), f"无法读取“{str(value)[:30]}”，已留空"))
            continue
        if isinstance(value, Decimal) and value == value.to_integral_value():
            value = int(value)
        if item.get("blank"):
            value = None
        imported.published[key] = value
    imported.cells = {k: v for k, v in imported.published.items() if k in keys}
    checksum(spec, imported)
    return imported
