"""Real published text: the 2020 report of 西工区民政局 (tests/data/import/xigong-2020.txt, messy:
rows without numbers, a repeated heading, tab-separated tables) and the 宿迁市 2023/2024 reports
(headings run into their paragraphs, six parts in 一、, tables as printed)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from reportc.importer import read_published

DATA = Path(__file__).parent / "data" / "import"


def test_xigong_seed():
    imported = read_published(DATA / "xigong-2020.txt")
    texts = imported.texts
    assert imported.spec.edition == "2019"
    assert texts["info.year"] == "2020" and texts["info.org"] == "西工区民政局"
    assert texts["s1.sub2.title"] == "(二) 依申请公开办理情况。"
    assert texts["s1.intro.1"].startswith("2020年，区民政局认真按照")
    assert texts["s6.intro.1"] == "无"
    assert imported.published["t2.procurement.amount"] == Decimal("838.4002")
    assert imported.published["t2.licensing.decisions"] == 15
    # rows published without numbers are left blank and listed, never guessed as 0
    assert imported.status == "存疑"
    assert imported.cells.get("t3.granted.natural") is None
    lines = imported.doubt_lines()
    assert any(line.startswith("三、依申请公开!D8:J8：") and "（一）予以公开" in line for line in lines)
    assert imported.published["t3.deny_third_party.natural"] == 0


def _page(name: str, title: str) -> bytes:
    """The transcribed report as a plain page: one <p> per line, “a | b” rows as table rows."""
    html, rows = [f"<h1>{title}</h1>"], []
    lines = (DATA / name).read_text(encoding="utf-8").split("=" * 64, 1)[1].splitlines()
    for line in lines + [""]:
        if " | " in line or line.startswith("[Note"):
            if not line.startswith("[Note"):
                rows.append("<tr>" + "".join(f"<td>{c.strip()}</td>" for c in line.split("|")) + "</tr>")
            continue
        if rows:
            html.append("<table>" + "".join(rows) + "</table>")
            rows = []
        if line.strip():
            html.append(f"<p>{line.strip()}</p>")
    return ("<html><body>" + "".join(html) + "</body></html>").encode("utf-8")


def test_suqian_2023(tmp_path):
    source = tmp_path / "suqian-2023.html"
    source.write_bytes(_page("suqian-city-2023.txt", "宿迁市人民政府2023年政府信息公开工作年度报告"))
    imported = read_published(source)
    texts = imported.texts
    assert imported.spec.edition == "2021"
    assert texts["info.org"] == "宿迁市人民政府" and texts["info.year"] == "2023"
    assert texts["s1.sub1.1"].startswith("（一）主动公开方面。坚持公开为常态")
    assert texts["s1.sub1.title"] == ""  # the heading is part of the paragraph, printed as published
    assert texts["s1.sub5.1"].startswith("（五）监督保障方面。")
    assert texts["s6.intro.1"].startswith("一是我市严格落实")
    assert imported.published["t3.new.natural"] == 3402
    assert imported.published["t3.granted.total"] == 1191
    assert imported.published["t2.fees.amount"] == Decimal("59237.2449")
    assert imported.published["t4.all.review_total"] == 440


def test_suqian_2024(tmp_path):
    source = tmp_path / "suqian-2024.html"
    source.write_bytes(_page("suqian-city-2024.txt", "宿迁市人民政府2024年政府信息公开工作年度报告"))
    imported = read_published(source)
    assert imported.texts["info.year"] == "2024"
    assert imported.published["t3.new.natural"] > 0
    assert all(k in imported.published for k in ("t4.all.review_total", "t2.licensing.decisions"))


def test_report_in_the_format_of_another_edition(tmp_path):
    """A 2023 report published with the 2019 tables: read in the 2019 format (nothing lost), said, and S8 warns."""
    from importing import EXAMPLES, published

    from reportc import check
    from reportc.import_run import import_report

    out = published(EXAMPLES["2019"], tmp_path / "pub", ("html",))
    page = (out / "report.html").read_text(encoding="utf-8").replace("2020年", "2023年")
    source = tmp_path / "old-format.html"
    source.write_text(page, encoding="utf-8")
    imported, path = import_report(source, tmp_path / "wb.xlsx")
    assert imported.texts["info.year"] == "2023"
    assert imported.spec.edition == "2019"
    assert any("2019版格式" in note for note in imported.notes)
    assert imported.published["t2.procurement.amount"] == Decimal("838.4002")
    assert any(f.rule == "S8" for f in check(path).findings)


def test_checksum_follows_the_rule_comparison():
    """2019's D8 is 对外公开总数量 >= 本年新公开数量: a larger total is no doubt, a smaller one is."""
    from reportc.importer.assemble import Imported, checksum
    from reportc.spec import load_spec

    spec = load_spec("2019")
    for total, doubtful in ((10, False), (0, True)):
        imported = Imported(DATA, "md", spec, {}, {},
                            published={"t2.rules.published": 3, "t2.rules.total_public": total})
        checksum(spec, imported)
        assert any(rule == "D8" for rule, _, _ in imported.doubts) == doubtful
