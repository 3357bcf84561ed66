"""The fast reader reads exactly what the slow one read (issue 18, part 6).

The reference is the reader as it was at commit 3359ef2, kept here: its sheet parser
(Package._handlers/_value, copied below as _slow_handlers/_slow_value), its expected
content (planner.plan_workbook of the workbook, on every read) and its cell comparison
(the loop over every position, normalising both sides, copied below as _slow_changed).
`slow()` patches them back in; the fast reader must give the same values, findings
(rule ids, locations, messages) and refusals on both examples and on mutated workbooks.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest
from conftest import ROOT, blank_workbook

from reportc import edition as ed
from reportc import planner, reader, tamper, xlsx, xmlparts
from reportc.errors import CannotCheck
from reportc.plan import read_extents
from reportc.tamper import _norm
from reportc.xlsx import CELL_REF, Package, XlsxError, _Done, col_index, col_letter, shift_formula

EXAMPLES = [ROOT / "examples" / "qingshan-minzheng-2025.xlsx", ROOT / "examples" / "xigong-minzheng-2020.xlsx"]


# ---- the slow reader (commit 3359ef2) --------------------------------------------------------

def _slow_handlers(self, max_row: int, max_col: int, out: dict):
    m = self.ns + "}"
    ROW, C, V, F, IS, T, RPH, DATA = (m + x for x in ("row", "c", "v", "f", "is", "t", "rPh", "sheetData"))
    shared: dict = {}
    row = col = -1
    cell = None
    text = None
    in_is = phonetic = 0

    def start(name, attrs):
        nonlocal row, col, cell, text, in_is, phonetic
        if name == C:
            ref = attrs.get("r")
            m_ref = CELL_REF.match(ref) if ref is not None else None
            if m_ref:
                r, c = int(m_ref.group(2)) - 1, col_index(m_ref.group(1))
            else:
                r, c = row, col + 1
            col = c
            cell = [r, c, attrs.get("t", "n"), attrs.get("s"), None, None, None, None, None]
        elif cell is not None:
            if name == V:
                text = []
            elif name == F:
                cell[5], cell[6], text = attrs.get("t"), attrs.get("si"), []
            elif name == IS:
                in_is, cell[8] = 1, []
            elif in_is:
                if name == RPH:
                    phonetic += 1
                elif name == T and not phonetic:
                    text = []
        elif name == ROW:
            r = attrs.get("r")
            row = int(r) - 1 if r is not None and r.isdigit() else row + 1
            if row >= max_row:
                raise _Done
            col = -1

    def end(name):
        nonlocal cell, text, in_is, phonetic
        if text is not None:
            if name == V:
                cell[7] = "".join(text)
            elif name == F:
                cell[4] = "".join(text)
            elif name == T:
                cell[8].append("".join(text))
            text = None
        elif name == C:
            r, c = cell[0], cell[1]
            if r < max_row:
                if cell[5] == "shared" and cell[6] is not None and cell[4]:
                    shared[cell[6]] = (r, c, cell[4])
                if c < max_col:
                    out[(r, c)] = self._value(cell, shared)
            cell = None
        elif name == IS:
            in_is = 0
        elif name == RPH:
            phonetic -= 1
        elif name == DATA:
            raise _Done

    def chars(data):
        if text is not None:
            text.append(data)

    return start, end, chars


def _slow_value(self, cell, shared):
    r, c, kind, style, formula, f_type, f_si, raw, inline = cell
    if formula is not None or f_type is not None:
        text = formula
        if not text and f_type == "shared" and f_si in shared:
            mr, mc, master = shared[f_si]
            text = shift_formula(master, r - mr, c - mc)
        if text:
            return "=" + text
    if kind == "inlineStr":
        return xlsx._unescape("".join(inline)) if inline is not None else ""
    if raw is None:
        return None
    if kind == "s":
        try:
            index = int(raw)
        except ValueError:
            index = -1
        if not 0 <= index < len(self.strings):
            raise XlsxError(f"单元格 {self._sheet}!{col_letter(c)}{r + 1} 引用了不存在的共享字符串（序号 {raw.strip()[:20]}）")
        return self.strings[index]
    if kind == "str":
        return xlsx._unescape(raw)
    if kind == "b":
        return raw.strip() in ("1", "true")
    if kind == "e":
        return xlsx.ErrorValue(raw)
    if kind == "d":
        return xlsx._iso_date(raw)
    try:
        number = float(raw)
    except ValueError:
        raise XlsxError(f"单元格 {self._sheet}!{col_letter(c)}{r + 1} 中的数字无法读取") from None
    if style and style != "0" and self._is_date_style(style):
        shown = xlsx.serial_to_datetime(number)
        if shown is not None:
            return shown
    return int(number) if number.is_integer() and abs(number) < 2**53 and "." not in raw and "E" not in raw.upper() else number


def _slow_expected(spec, meta, year, previous, merged, imported):
    plan = planner.plan_workbook(spec, meta.get("org") or None, year, meta.get("version", ""), previous, merged,
                                 cached=False, imported=imported)
    contents = plan.contents()
    return contents, plan.inputs(), {sheet: read_extents(cells) for sheet, cells in contents.items()}


def _slow_changed(expected: dict, actual: dict, ok) -> list:
    changed = []
    for pos in sorted(set(expected) | set(actual)):
        if pos in ok:
            continue
        if _norm(expected.get(pos)) != _norm(actual.get(pos)):
            changed.append((pos, expected.get(pos), actual.get(pos)))
    return changed


@pytest.fixture
def slow(monkeypatch):
    """Turn the reader back into the slow one (for the block after `with slow():`)."""
    from contextlib import contextmanager

    @contextmanager
    def use():
        with monkeypatch.context() as m:
            m.setattr(Package, "_handlers", _slow_handlers)
            m.setattr(Package, "_value", _slow_value)
            m.setattr(reader, "_expected", _slow_expected)
            m.setattr(tamper, "_changed", _slow_changed)
            yield

    return use


# ---- mutated workbooks ------------------------------------------------------------------------

def _rewrite(src: Path | bytes, dst: Path, sheet: str, edit) -> Path:
    """A copy of workbook `src` with the XML of `sheet` passed through edit(xml) -> xml."""
    data = src if isinstance(src, bytes) else src.read_bytes()
    dst.write_bytes(data)
    pkg = Package(dst)
    part = pkg.parts[pkg.sheet_paths[sheet].lower()].filename
    pkg.close()
    with zipfile.ZipFile(dst) as zin:
        members = [(info, zin.read(info)) for info in zin.infolist()]
    with zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for info, body in members:
            if info.filename == part:
                new = edit(body.decode("utf-8"))
                assert new != body.decode("utf-8"), f"the edit changed nothing in {sheet}"
                body = new.encode("utf-8")
            zout.writestr(info, body)
    return dst


def _names(path: Path) -> list[str]:
    pkg = Package(path)
    pkg.close()
    return pkg.sheetnames


def _names_table(path: Path) -> str:
    return next(name for name in _names(path) if name.startswith("三、"))


def _add_row(xml: str, row: int, cells: str) -> str:
    return xml.replace("</sheetData>", f'<row r="{row}">{cells}</row></sheetData>', 1)


def _first_formula(xml: str) -> re.Match:
    return re.search(r'<c r="([A-Z]+[0-9]+)"([^>]*)><f>([^<]+)</f>(<v>[^<]*</v>|<v/>)?</c>', xml)


def _formula_changed(xml: str) -> str:
    m = _first_formula(xml)
    return xml[:m.start()] + f'<c r="{m[1]}"{m[2]}><f>{m[3]}+1</f><v>0</v></c>' + xml[m.end():]


def _value_pasted(xml: str) -> str:
    m = _first_formula(xml)
    return xml[:m.start()] + f'<c r="{m[1]}"{m[2]}><v>42</v></c>' + xml[m.end():]


def _shared_master(xml: str) -> str:
    """The first formula made the master of a shared formula (reads the same), and shared formulas pasted below."""
    m = _first_formula(xml)
    xml = xml[:m.start()] + f'<c r="{m[1]}"{m[2]}><f t="shared" ref="{m[1]}" si="3">{m[3]}</f></c>' + xml[m.end():]
    return _add_row(xml, 120, '<c r="B120"><f t="shared" ref="B120:D120" si="9">A1+B$2+"A1"</f></c>'
                              '<c r="C120"><f t="shared" si="9"/></c><c r="D120"><f t="shared" si="9"></f></c>')


def _phonetic(xml: str) -> str:
    """The sheet's title as an inline string with rich runs and phonetic runs (read without them), changed."""
    m = re.search(r'<c r="A1"([^>]*?)( t="[a-zA-Z]+")?>.*?</c>', xml)
    attrs = re.sub(r' t="[a-zA-Z]+"', "", m[1])
    title = ('<is><r><t>标题</t></r><rPh sb="0" eb="1"><t>ひょう</t></rPh><t xml:space="preserve"> 改</t>'
             '<rPh sb="1" eb="2"><t>だい</t></rPh></is>')
    return xml[:m.start()] + f'<c r="A1"{attrs} t="inlineStr">{title}</c>' + xml[m.end():]


def _kinds(xml: str) -> str:
    """Errors, booleans, formula strings, exponents and cells without r= pasted below the table."""
    xml = _add_row(xml, 121, '<c r="B121" t="e"><v>#REF!</v></c><c r="C121" t="b"><v>1</v></c>'
                             '<c r="D121" t="str"><v>a_x000D_b</v></c><c r="E121"><v>1.5E3</v></c><c><v>7</v></c>')
    return _add_row(xml, 122, '<c r="B122" t="inlineStr"><is><t>粘贴</t></is></c><c t="b"><v>0</v></c>')


def _bad_string(xml: str) -> str:
    return _add_row(xml, 123, '<c r="B123" t="s"><v>99999</v></c>')


def _bad_number(xml: str) -> str:
    return _add_row(xml, 123, '<c r="B123"><v>1,5</v></c>')


def _meta_bad_cell(row: int):
    """A bad shared-string index right of the metadata items, in `row` (1-based)."""
    def edit(xml: str) -> str:
        cell = f'<c r="C{row}" t="s"><v>99999</v></c>'
        found = re.search(rf'<row r="{row}"[^>]*>.*?</row>', xml, re.DOTALL)
        if found:
            return xml[:found.end() - 6] + cell + xml[found.end() - 6:]
        return _add_row(xml, row, cell)
    return edit


def _meta_other_spec(xml: str) -> str:
    """The specification's fingerprint changed (refused before the sheets are compared), and a bad cell."""
    return _meta_bad_cell(5)(re.sub(r"<t>([0-9a-f]{16})</t>", "<t>0123456789abcdef</t>", xml, count=1))


META_MUTATIONS = {"meta_bad_cell_compared": _meta_bad_cell(5), "meta_bad_cell_not_compared": _meta_bad_cell(150)}

MUTATIONS = {
    "formula_changed": _formula_changed,
    "value_pasted_over_formula": _value_pasted,
    "shared_formula": _shared_master,
    "inline_string_with_phonetic_runs": _phonetic,
    "kinds_pasted_below": _kinds,
    "bad_shared_string_index": _bad_string,
    "unreadable_number": _bad_number,
}


def _resaved(src: Path, dst: Path, insert: str = "") -> Path:
    """`src` loaded and saved by openpyxl; insert="rows"/"cols": two rows (columns) inserted into its table 三
    first (many locked cells changed, listed in position order, and explained as a shift)."""
    from openpyxl import load_workbook

    wb = load_workbook(src)
    ws = wb[_names_table(src)]
    if insert == "rows":
        ws.insert_rows(4, 2)
    elif insert == "cols":
        ws.insert_cols(2, 1)
    wb.save(dst)
    return dst


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> list[Path]:
    """Both examples, a blank workbook from `reportc new` (XlsxWriter: shared strings), each mutated, and
    the examples re-saved by openpyxl."""
    folder = tmp_path_factory.mktemp("corpus")
    blank = folder / "blank-2021.xlsx"
    blank.write_bytes(blank_workbook("2021", "测试县民政局", 2025))
    out = []
    for i, src in enumerate([*EXAMPLES, blank]):
        out.append(src)
        table = _names_table(src)
        for name, edit in MUTATIONS.items():
            out.append(_rewrite(src, folder / f"{i}-{name}.xlsx", table, edit))
        checks = next(n for n in _names(src) if n == "校验")
        out.append(_rewrite(src, folder / f"{i}-checks_formula_changed.xlsx", checks, _formula_changed))
        for name, edit in {**META_MUTATIONS, **({"meta_other_spec": _meta_other_spec} if src in EXAMPLES else {})}.items():
            out.append(_rewrite(src, folder / f"{i}-{name}.xlsx", "_reportc", edit))
    out += [_resaved(src, folder / f"resaved-{how}{src.name}", how) for src in EXAMPLES for how in ("", "rows", "cols")]
    return out


def _outcome(path: Path):
    try:
        wb = reader.read_workbook(path)
    except CannotCheck as exc:
        return "refused", str(exc), exc.args
    return wb.meta, wb.data, [(f.rule, f.severity, f.location, f.message, f) for f in wb.findings]


# ---- the tests --------------------------------------------------------------------------------

def test_the_corpus_holds_what_the_parity_must_cover(corpus):
    """The mutations make the findings and refusals they are meant to (else parity would prove little)."""
    found = {path.stem: _outcome(path) for path in corpus}
    assert found["qingshan-minzheng-2025"][2] == []
    for i in range(3):
        m3 = [f for f in found[f"{i}-formula_changed"][2] if f[0] == "M3"]
        assert len(m3) == 1 and ")+1”" in m3[0][3], found[f"{i}-formula_changed"]
        pasted = [f[3] for f in found[f"{i}-value_pasted_over_formula"][2] if f[0] == "M3"]
        assert len(pasted) == 1 and "42" in pasted[0], pasted
        shared = [f[3] for f in found[f"{i}-shared_formula"][2] if f[0] == "M3"]
        assert len(shared) == 3 and any("=C1+D$2+\"A1\"" in text for text in shared), shared
        phonetic = [f[3] for f in found[f"{i}-inline_string_with_phonetic_runs"][2] if f[0] == "M3"]
        assert len(phonetic) == 1 and "标题 改" in phonetic[0] and "ひょう" not in phonetic[0], phonetic
        assert len([f for f in found[f"{i}-kinds_pasted_below"][2] if f[0] == "M3"]) == 7
        assert found[f"{i}-bad_shared_string_index"][0] == "refused" and "共享字符串" in found[f"{i}-bad_shared_string_index"][1]
        assert found[f"{i}-unreadable_number"][0] == "refused" and "数字无法读取" in found[f"{i}-unreadable_number"][1]
        assert any(f[0] == "M3" for f in found[f"{i}-checks_formula_changed"][2])
        assert found[f"{i}-meta_bad_cell_compared"][0] == "refused", found[f"{i}-meta_bad_cell_compared"]
        assert found[f"{i}-meta_bad_cell_not_compared"][2] == found[["qingshan-minzheng-2025", "xigong-minzheng-2020",
                                                                     "blank-2021"][i]][2]
    for i in range(2):
        assert found[f"{i}-meta_other_spec"][0] == "refused" and "规范指纹" in found[f"{i}-meta_other_spec"][1]
    for example in EXAMPLES:
        assert found[f"resaved-{example.stem}"][2] == []
        for how, word in (("rows", "插入了2行"), ("cols", "插入了1列")):
            m3 = [f[3] for f in found[f"resaved-{how}{example.stem}"][2] if f[0] == "M3"]
            assert len(m3) == 21 and word in m3[-1] and "只列出前20个" in m3[-1], m3


def test_the_fast_reader_reads_what_the_slow_one_read(corpus, slow):
    for path in corpus:
        fast = _outcome(path)
        with slow():
            reference = _outcome(path)
        assert fast == reference, path.name


@pytest.mark.parametrize("limits", [(1, 1), (3, 2), (7, 4), (40, 12), (400, 30)])
def test_cells_parity_at_every_extent(corpus, limits):
    """Package.cells, sheet by sheet, stopping at max_row and max_col, as the slow parser did."""
    for path in corpus[:: 3]:
        pkg = Package(path)
        for sheet in pkg.sheetnames:
            try:
                fast = pkg.cells(sheet, *limits)
            except XlsxError as exc:
                fast = str(exc)
            pkg._handlers, pkg._value = _slow_handlers.__get__(pkg), _slow_value.__get__(pkg)
            try:
                reference = pkg.cells(sheet, *limits)
            except XlsxError as exc:
                reference = str(exc)
            del pkg._handlers, pkg._value
            assert fast == reference, (path.name, sheet, limits)
        pkg.close()


IMPORTED = {"file": "上年年报.html", "kind": "HTML", "status": "合计核对通过", "doubts": [f"t3.new.c{i}" for i in range(25)],
            "count": 25}


@pytest.mark.parametrize("edition", ["2019", "2021"])
@pytest.mark.parametrize("org, year, version, imported", [
    (None, 2025, "0.2.0", None), ("青山县民政局", 2025, "0.2.0", None), ("某局", 0, "", IMPORTED),
    ("", 2019, "9.9", {"file": "x.docx"}), ("西工区民政局", 2020, "0.1.0", {**IMPORTED, "doubts": []}),
])
def test_expected_is_the_plan_of_the_workbook(edition, org, year, version, imported):
    """Edition.expected (the compiled blank workbook, its cover and metadata sheets made per workbook) is
    what planner.plan_workbook gives for that workbook: the same sheets in the same order, the same cells
    outside the input cells (which the reader never compares), the same input cells and extents."""
    e = ed.load_edition(edition)
    contents, inputs, extents = e.expected(org, year, version, imported)
    plan = planner.plan_workbook(e.spec, org, year, version, None, None, cached=False, imported=imported)
    assert list(contents) == [s.name for s in plan.sheets]
    assert inputs == plan.inputs()
    for sheet in plan.sheets:
        want = {pos: value for pos, value in sheet.contents().items() if pos not in inputs[sheet.name]}
        assert {pos: v for pos, v in contents[sheet.name].items() if pos not in inputs[sheet.name]} == want, sheet.name
        assert set(contents[sheet.name]) == set(sheet.contents())
        assert extents[sheet.name] == read_extents(sheet.contents())


def test_a_warm_check_does_not_plan_the_workbook(tmp_path, monkeypatch, capsys):
    """With the edition cache warm, `reportc check` (in this process) never calls the planner's plan."""
    from reportc import cli

    monkeypatch.setenv(ed.CACHE_ENV, str(tmp_path / "cache"))
    ed.clear()
    ed.load_edition("2021")  # compiles the edition and writes the cache
    ed.clear()  # as a new process: the edition comes from the disk cache
    planned = []
    monkeypatch.setattr(planner.Planner, "plan", lambda self: planned.append(1) or pytest.fail("planned"))
    try:
        with pytest.raises(SystemExit) as exit_:
            cli.main(["check", str(EXAMPLES[0])])
        assert exit_.value.code == 0 and "可以发布" in capsys.readouterr().out
        assert planned == []
    finally:
        ed.clear()


# ---- shared strings and styles: expat handlers instead of ElementTree --------------------------

def _slow_shared_strings(data: bytes, m: str) -> list[str]:
    """Each <si>'s text as ElementTree gives it: plain <t> or the first <t> of each run <r>, never <rPh>."""
    from defusedxml.ElementTree import fromstring

    def text_of(si) -> str:
        parts = []
        for child in si:
            if child.tag == f"{m}t":
                parts.append(child.text or "")
            elif child.tag == f"{m}r" and child.find(f"{m}t") is not None:
                parts.append(child.find(f"{m}t").text or "")
        return xlsx._unescape("".join(parts))

    return [text_of(si) for si in fromstring(data).iter(f"{m}si")]


def _slow_date_styles(data: bytes, m: str) -> dict:
    from defusedxml.ElementTree import fromstring

    root = fromstring(data)
    custom = {}
    for fmt in root.iter(f"{m}numFmt"):
        try:
            custom[int(fmt.get("numFmtId", ""))] = xlsx.is_date_format(fmt.get("formatCode", ""))
        except ValueError:
            continue
    out = {}
    xfs = root.find(f"{m}cellXfs")
    for i, xf in enumerate(xfs if xfs is not None else ()):
        try:
            fid = int(xf.get("numFmtId", "0"))
        except ValueError:
            continue
        out[str(i)] = custom[fid] if fid in custom else fid in xlsx.DATE_FORMAT_IDS
    return out


def _result(function, *args):
    try:
        return function(*args)
    except Exception as exc:  # noqa: BLE001  (the refusal itself is compared)
        return type(exc).__name__, str(exc)


MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
STRICT = "http://purl.oclc.org/ooxml/spreadsheetml/main"
SST = [
    '<sst xmlns="{ns}"><si><t>甲</t></si><si><t xml:space="preserve"> 乙 </t></si><si/><si><t/></si></sst>',
    '<sst xmlns="{ns}"><si><r><t>富</t></r><r><rPr/><t>文本</t><t>第二个t不算</t></r><rPh sb="0" eb="1"><t>ふ</t></rPh>'
    '<phoneticPr fontId="1"/></si></sst>',
    '<sst xmlns="{ns}"><si><t>前<b/>后</t>尾<t>二</t><x><t>不算</t></x></si><si><t>外<si><t>内</t></si>外2</t></si></sst>',
    '<si xmlns="{ns}"><t>根</t></si>',
    '<sst xmlns="{ns}"><si><t>a_x000D_b_x0009_c_xD83D__xDE00_</t></si><other><si><t>别处</t></si></other></sst>',
    '<sst><si><t>无命名空间</t></si></sst>',
    '<sst xmlns="{ns}"><si><t>&amp;&lt;&#x4E2D;</t></si></sst>',
    '<sst xmlns="{ns}"><si><t>未闭合</si></sst>',
    '<sst xmlns="{ns}"><si><t>&undefined;</t></si></sst>',
    '<!DOCTYPE sst><sst xmlns="{ns}"><si><t>&undefined;</t></si></sst>',
    '<!DOCTYPE sst><sst xmlns="{ns}"><si><t>有文档类型</t></si></sst>',
    '<!DOCTYPE sst [<!ENTITY a "aaaa">]><sst xmlns="{ns}"><si><t>&a;</t></si></sst>',
    '<!DOCTYPE sst SYSTEM "http://example.com/x.dtd"><sst xmlns="{ns}"><si><t>x</t></si></sst>',
    '<?xml version="1.0" encoding="UTF-16"?><sst xmlns="{ns}"><si><t>十六位</t></si></sst>',
]
STYLES = [
    '<styleSheet xmlns="{ns}"><numFmts count="2"><numFmt numFmtId="164" formatCode="yyyy-mm-dd"/><numFmt numFmtId="165" '
    'formatCode="0.00"/></numFmts><cellXfs><xf/><xf numFmtId="14"/><xf numFmtId="164"/><xf numFmtId="165"/>'
    '<xf numFmtId="x"/><extLst/><xf numFmtId=" 22 "/></cellXfs><cellXfs><xf numFmtId="14"/></cellXfs></styleSheet>',
    '<styleSheet xmlns="{ns}"><cellXfs><xf numFmtId="166"><numFmt numFmtId="1"/></xf></cellXfs>'
    '<numFmt numFmtId="166" formatCode="[h]:mm"/><numFmt numFmtId="166" formatCode="General"/></styleSheet>',
    '<styleSheet xmlns="{ns}"><wrap><cellXfs><xf numFmtId="14"/></cellXfs></wrap></styleSheet>',
    '<cellXfs xmlns="{ns}"><xf numFmtId="14"/></cellXfs>',
    '<styleSheet xmlns="{ns}"><numFmts><numFmt numFmtId="" formatCode="yy"/><numFmt formatCode="yy"/></numFmts></styleSheet>',
    '<styleSheet xmlns="{ns}"><cellXfs><xf numFmtId="14"></cellXfs></styleSheet>',
    '<!DOCTYPE s><styleSheet xmlns="{ns}"><cellXfs><xf numFmtId="14"/></cellXfs></styleSheet>',
    '<!DOCTYPE s [<!ENTITY e "14">]><styleSheet xmlns="{ns}"><cellXfs><xf numFmtId="&e;"/></cellXfs></styleSheet>',
]


def _encoded(text: str) -> bytes:
    return text.encode("utf-16") if 'encoding="UTF-16"' in text else text.encode("utf-8")


@pytest.mark.parametrize("ns", [MAIN, STRICT])
@pytest.mark.parametrize("xml", SST)
def test_shared_strings_read_as_elementtree_read_them(xml, ns):
    data = _encoded(xml.format(ns=ns))
    package = type("P", (), {"m": "{" + ns + "}", "_read": lambda self, part: data})()
    assert _result(Package._shared_strings, package, "sst.xml") == _result(_slow_shared_strings, data, package.m)


@pytest.mark.parametrize("ns", [MAIN, STRICT])
@pytest.mark.parametrize("xml", STYLES)
def test_date_styles_read_as_elementtree_read_them(xml, ns):
    data = _encoded(xml.format(ns=ns))
    package = type("P", (), {"m": "{" + ns + "}", "_read": lambda self, part: data, "_styles_part": "s.xml",
                             "parts": {"s.xml": None}})()
    assert _result(Package._read_date_styles, package) == _result(_slow_date_styles, data, package.m)


REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG = "http://schemas.openxmlformats.org/package/2006/relationships"
# workbook.xml and relationship parts: the root's tag, and every <sheet> / <Relationship> wherever it is
PARTS = [
    ('<workbook xmlns="{ns}" xmlns:r="{rel}"><sheets><sheet name="一" sheetId="1" r:id="rId1"/>'
     '<sheet name="二" r:id="rId2" state="hidden"/></sheets><definedNames/></workbook>', "sheet"),
    ('<x:workbook xmlns:x="{ns}" xmlns:r="{rel}"><x:sheets><x:sheet name="前缀" r:id="rId1"/></x:sheets>'
     '<x:xsheet name="不是"/><sheet name="无命名空间"/><x:wrap><x:sheet name="深处" id="无前缀"/></x:wrap></x:workbook>',
     "sheet"),
    ('<sheet xmlns="{ns}" name="根本身"><sheet name="子"/></sheet>', "sheet"),
    ('<workbook><sheets><sheet name="无命名空间"/></sheets></workbook>', "sheet"),
    ('<workbook xmlns="{ns}"><!-- 注释 --><?pi x?><sheets><sheet name="&amp;&#x4E2D;"/></sheets></workbook>', "sheet"),
    ('<Relationships xmlns="{pkg}"><Relationship Id="rId1" Type="t/worksheet" Target="worksheets/sheet1.xml"/>'
     '<Relationship Id="rId2" TargetMode="External" Target="http://x"/><Other Id="x"/></Relationships>',
     "Relationship"),
    ('<Relationships xmlns="{pkg}"><Relationship Id="rId1"></Relationships>', "Relationship"),
    ('<workbook xmlns="{ns}"><sheet name="&undefined;"/></workbook>', "sheet"),
    ('<workbook xmlns="{ns}" xmlns:q="urn:q"><sheet q:name="属性命名空间" b:x="1"/></workbook>', "sheet"),
    ('<!DOCTYPE workbook><workbook xmlns="{ns}"><sheet name="有文档类型"/></workbook>', "sheet"),
    ('<!DOCTYPE workbook><workbook xmlns="{ns}"><sheet name="&undefined;"/></workbook>', "sheet"),
    ('<!DOCTYPE workbook [<!ENTITY a "aaaa">]><workbook xmlns="{ns}"><sheet name="&a;"/></workbook>', "sheet"),
    ('<!DOCTYPE w SYSTEM "http://example.com/x.dtd"><workbook xmlns="{ns}"><sheet name="x"/></workbook>', "sheet"),
    ('<?xml version="1.0" encoding="UTF-16"?><workbook xmlns="{ns}"><sheet name="十六位"/></workbook>', "sheet"),
    ("", "sheet"),
]


def _slow_elements(data: bytes, local: str):
    from defusedxml.ElementTree import fromstring

    root = fromstring(data)
    return root.tag, [(el.tag, dict(el.attrib)) for el in root.iter() if el.tag.rsplit("}", 1)[-1] == local]


@pytest.mark.parametrize("ns", [MAIN, STRICT])
@pytest.mark.parametrize(("xml", "local"), PARTS)
def test_workbook_and_relationship_parts_read_as_elementtree_reads_them(xml, local, ns):
    """workbook.xml and the .rels parts are read with expat (ElementTree cost a check about 2 % of its
    instructions to import): the same root tag, elements and attributes, and the same refusals."""
    data = _encoded(xml.format(ns=ns, rel=REL, pkg=PKG))
    assert _result(xmlparts.elements, data, local) == _result(_slow_elements, data, local)
