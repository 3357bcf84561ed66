"""Make examples/xigong-minzheng-2020.xlsx from the real published report
examples/source/sample-report-2020-xigong-minzheng.txt (西工区民政局, 2020, 2019 edition).

    .venv/bin/python3 examples/make_xigong.py

A re-run writes the same bytes (the workbook is committed): the zip entries carry a fixed time and the
document's "modified" time is its "created" time (openpyxl stamps both with the clock).

What the script takes from the text, and how (review it against the source):

- The narrative verbatim, paragraph for paragraph: the preamble (the sample's opening
  paragraph, with its statistical period) goes to 开篇, before 一; the five subsections
  of 一 with the body's own titles (e.g. "(二) 依申请公开办理情况。") and numbered
  paragraphs, 五 with (一) 存在问题 / (二) 改进情况, and 六 ("无"). Markdown heading
  marks (#) left over from the text conversion are removed; the duplicated
  "### 一、总体情况" line under the section heading is not a paragraph.
- The numbers of tables 二 and 四 as printed.
- Table 三 is garbled in the text: the rows （一）予以公开, （二）部分公开 and
  （三）1.–3. show no values at all, and rows （三）4. onwards show 11 cells instead of
  7. Every value the text does show is 0; the script checks that, fills the six
  input columns of each row that shows values with 0, and leaves the rows without
  values blank. reportc then reports those blanks (D7) instead of inventing numbers.
- Labels: the sample's own wording of some row and column labels deviates from the
  official format (社会组织, 其他法律法规禁止公开, 保护第三方法合法权益); rows are
  matched through the official labels, which are what reportc's outputs print.
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

from reportc.checks import derivations
from reportc.fill import fill_workbook
from reportc.spec import load_spec
from reportc.writer import build_workbook

HERE = Path(__file__).resolve().parent
SOURCE = HERE / "source" / "sample-report-2020-xigong-minzheng.txt"
OUTPUT = HERE / "xigong-minzheng-2020.xlsx"
ORG, YEAR = "西工区民政局", 2020

# The sample's labels that differ from the official ones (official-format §6 S9).
SAMPLE_LABELS = {
    "2.其他法律法规禁止公开": "2.其他法律行政法规禁止公开",
    "4.保护第三方法合法权益": "4.保护第三方合法权益",
}
SECTION = re.compile(r"^#+\s*([一二三四五六])、")


def sections(text: str) -> dict[str, list[str]]:
    """Top-level section number -> its non-empty lines (heading marks kept)."""
    out: dict[str, list[str]] = {}
    current = None
    for line in text.splitlines():
        m = SECTION.match(line)
        if m and (current is None or m.group(1) != current):
            current = m.group(1)
            out[current] = []
            continue
        if current and line.strip():
            out[current].append(line.rstrip())
    return out


def unmark(line: str) -> str:
    return re.sub(r"^#+\s*", "", line).strip()


def is_subsection(line: str) -> bool:
    return bool(re.match(r"^#{3,}\s*[(（][一二三四五六七八九十][)）]", line))


def narrative(section_id: str, lines: list[str]) -> dict[str, str]:
    """Workbook values for a narrative section: intro paragraphs, subsection titles and paragraphs."""
    values: dict[str, str] = {}
    part, n = "intro", 0
    sub = 0
    for line in lines:
        if section_id == "s1" and re.match(r"^#+\s*一、总体情况$", line):
            continue  # the duplicated section heading
        if is_subsection(line):
            sub += 1
            part, n = f"sub{sub}", 0
            values[f"{section_id}.{part}.title"] = unmark(line)
            continue
        n += 1
        values[f"{section_id}.{part}.{n}"] = unmark(line)
    return values


def table2(spec, lines: list[str]) -> dict:
    values = {}
    table = spec.table("t2")
    labels = {r.label: (r.id, [c.id for c in table.block_of(r.id).columns]) for r in table.rows}
    for line in lines:
        cells = line.split("\t")
        if cells[0] in labels:
            row_id, cols = labels[cells[0]]
            numbers = [c for c in cells[1:] if c.strip()]
            assert len(numbers) == len(cols), line
            for col, raw in zip(cols, numbers, strict=True):
                values[f"t2.{row_id}.{col}"] = float(raw) if "." in raw else int(raw)
    return values


def table3(spec, lines: list[str]) -> dict:
    table = spec.table("t3")
    derived = derivations(spec)
    by_label = {}
    for row in table.rows:
        by_label[row.label] = row.id
    for sample, official in SAMPLE_LABELS.items():
        by_label[sample] = by_label[official]
    values = {}
    for line in lines:
        cells = [c.strip() for c in line.split("\t")]
        label_cells = [c for c in cells if c and not re.fullmatch(r"-?\d+(\.\d+)?", c)]
        numbers = [c for c in cells if re.fullmatch(r"-?\d+(\.\d+)?", c)]
        if not label_cells or not numbers:
            continue  # header lines and rows whose values the text lost
        label = re.sub(r"^\((.)\)\s*", r"（\1）", label_cells[-1])
        row_id = by_label[label]
        assert all(float(n) == 0 for n in numbers), f"the sample shows a non-zero value in {label}"
        for col in table.columns:
            key = f"t3.{row_id}.{col.id}"
            if key not in derived:
                values[key] = 0
    return values


def table4(spec, lines: list[str]) -> dict:
    row = next(line for line in lines if re.fullmatch(r"[\d\t ]+", line))
    numbers = [int(n) for n in row.split("\t") if n.strip()]
    table = spec.table("t4")
    assert len(numbers) == len(table.columns)
    derived = derivations(spec)
    return {f"t4.all.{c.id}": n for c, n in zip(table.columns, numbers, strict=True) if f"t4.all.{c.id}" not in derived}


def reproducible(data: bytes) -> bytes:
    """The same package with every clock reading fixed: zip entry times, and dcterms:modified set to
    dcterms:created (which reportc derives from the report year)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            content = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                text = content.decode("utf-8")
                created = re.search(r"<dcterms:created[^>]*>([^<]*)<", text).group(1)
                text = re.sub(r"(<dcterms:modified[^>]*>)[^<]*(<)", rf"\g<1>{created}\g<2>", text)
                content = text.encode("utf-8")
            entry = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            dst.writestr(entry, content)
    return out.getvalue()


def make(output: Path = OUTPUT) -> Path:
    spec = load_spec("2019")
    parts = sections(SOURCE.read_text(encoding="utf-8"))
    values: dict = {"info.org": ORG, "info.year": YEAR}
    values.update(narrative("s1", parts["一"]))
    values["s0.intro.1"] = values.pop("s1.intro.1")  # the sample's opening paragraph belongs in 开篇
    values.update(table2(spec, parts["二"]))
    values.update(table3(spec, parts["三"]))
    values.update(table4(spec, parts["四"]))
    values.update(narrative("s5", parts["五"]))
    values.update(narrative("s6", parts["六"]))
    output.write_bytes(reproducible(fill_workbook(spec, build_workbook(spec, ORG, YEAR), values)))
    return output


if __name__ == "__main__":
    print(f"{SOURCE.name} -> {make().name}")
