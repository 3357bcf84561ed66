"""Guarded reading of a package's XML parts with expat.

Every part of an .xlsx (workbook, relationships, shared strings, styles, sheets) is read with an
expat parser guarded as defusedxml guards ElementTree: entity declarations and external references
are refused with defusedxml's own exceptions. Each reader here reads a part with a document type
declaration through defusedxml's ElementTree instead, so that it reads exactly as ElementTree reads
it, and malformed XML raises ElementTree's ParseError; ElementTree itself is imported only then
(importing it is about 2 % of a check). tests/test_reader_fast.py compares each reader here with
ElementTree's reading of the same bytes.
"""

from __future__ import annotations

# at import, not at first parse: without defusedxml, importing the reader fails and reader._open
# refuses to read any workbook (tests/test_check_cli.py); its package alone does not load ElementTree
from defusedxml import EntitiesForbidden, ExternalReferenceForbidden


def safe_parser():
    """An expat parser that refuses entity declarations and external references, as
    defusedxml does (and raising defusedxml's own exceptions)."""
    from xml.parsers import expat

    parser = expat.ParserCreate(namespace_separator="}")

    def entity(name, is_parameter, value, base, sysid, pubid, notation):
        raise EntitiesForbidden(name, value, base, sysid, pubid, notation)

    def unparsed(name, base, sysid, pubid, notation):
        raise EntitiesForbidden(name, None, base, sysid, pubid, notation)

    def external(context, base, sysid, pubid):
        raise ExternalReferenceForbidden(context, base, sysid, pubid)

    parser.EntityDeclHandler = entity
    parser.UnparsedEntityDeclHandler = unparsed
    parser.ExternalEntityRefHandler = external
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    parser.buffer_text = True
    parser.buffer_size = 1 << 16
    return parser


class _HasDoctype(Exception):
    """Raised by _parse: the part has a document type declaration."""


def _parse(data: bytes, start, end, chars) -> None:
    """Parse a whole part with expat handlers (entity declarations and external references refused as
    in safe_parser). A part with a document type declaration raises _HasDoctype before any element:
    the reader here that called it reads the part with defusedxml's ElementTree instead, so that it
    reads exactly as ElementTree reads it (ElementTree, unlike bare expat, refuses an undeclared entity
    there). Malformed XML raises ElementTree's ParseError, as defusedxml's fromstring did."""
    from xml.parsers import expat

    def doctype(*_):
        raise _HasDoctype

    parser = safe_parser()
    parser.StartDoctypeDeclHandler = doctype
    parser.StartElementHandler, parser.EndElementHandler, parser.CharacterDataHandler = start, end, chars
    try:
        parser.Parse(data, True)
    except expat.ExpatError as exc:
        from xml.etree.ElementTree import ParseError  # only here: importing ElementTree is 2 % of a check

        err = ParseError(exc)
        err.code, err.position = exc.code, (exc.lineno, exc.offset)
        raise err from None


def elements(data: bytes, local: str) -> tuple[str, list[tuple[str, dict]]]:
    """(the root element's tag, (tag, attributes) of every element whose local name is `local`, in
    document order, wherever it is), tags and attribute names as ElementTree gives them ("{namespace}name"),
    read with expat as _parse reads (a part with a document type declaration through defusedxml's
    ElementTree: its root.tag, and iter() of the same elements)."""
    suffix = "}" + local
    root: list = []
    found: list = []

    def start(name, attrs):
        if not root:
            root.append(_et_name(name))
        if name == local or name.endswith(suffix):
            found.append((_et_name(name), {_et_name(k): v for k, v in attrs.items()}))

    try:
        _parse(data, start, None, None)
    except _HasDoctype:
        tree = _tree(data)
        return tree.tag, [(el.tag, dict(el.attrib)) for el in tree.iter() if el.tag.rsplit("}", 1)[-1] == local]
    return root[0], found


def _et_name(name: str) -> str:
    """expat's "namespace}local" as ElementTree writes it, "{namespace}local" (a name without one as it is)."""
    return "{" + name if "}" in name else name


def _tree(data: bytes):
    """A part with a document type declaration, as defusedxml's ElementTree reads it."""
    from defusedxml.ElementTree import fromstring

    return fromstring(data)


def string_items(data: bytes, m: str) -> list[list[list[str]]]:
    """The shared string items of a sharedStrings part, each as its text pieces (the caller joins them):
    every <si> (in document order, wherever it is), the text of its <t> children and of the first <t> of
    its <r> runs (an element's text: up to its first child element), never of <rPh> or anything else."""
    ns = m[1:-1] + "}"
    SI, T, R = ns + "si", ns + "t", ns + "r"
    items: list = []
    stack: list = []  # per open element: (its item's pieces, what it is, [first <t> of a run seen])
    text = None  # the pieces list the current character data goes to

    def start(name, attrs):
        nonlocal text
        text = None
        parent = stack[-1] if stack else (None, None, None)
        if name == SI:
            pieces: list = []
            items.append(pieces)
            stack.append((pieces, SI, None))
        elif name == T and (parent[1] == SI or parent[1] == R and not parent[2][0]):
            if parent[1] == R:
                parent[2][0] = True
            text = []
            parent[0].append(text)
            stack.append((None, T, None))
        elif name == R and parent[1] == SI:
            stack.append((parent[0], R, [False]))
        else:
            stack.append((None, None, None))

    def end(name):
        nonlocal text
        text = None
        stack.pop()

    def chars(data):
        if text is not None:
            text.append(data)

    try:
        _parse(data, start, end, chars)
    except _HasDoctype:
        return [[[t.text or ""] for t in _item_texts(si, m)] for si in _tree(data).iter(m + "si")]
    return items


def _item_texts(si, m: str):
    """The <t> elements of a string item (an ElementTree element): its own, and each run's first."""
    T, R = m + "t", m + "r"
    for child in si:
        if child.tag == T:
            yield child
        elif child.tag == R:
            t = child.find(T)
            if t is not None:
                yield t


def style_items(data: bytes, m: str) -> tuple[list, list]:
    """(numFmtId, formatCode) of every <numFmt> (document order, wherever it is) and the numFmtId ("0"
    when absent) of every child of the root's first <cellXfs> child, as ElementTree's iter and find give them."""
    ns = m[1:-1] + "}"
    NUMFMT, XFS = ns + "numFmt", ns + "cellXfs"
    formats: list = []
    xf_formats: list = []
    depth = 0
    state = 0  # 0: before the root's first <cellXfs>, 1: inside it, 2: after it

    def start(name, attrs):
        nonlocal depth, state
        depth += 1
        if name == NUMFMT:
            formats.append((attrs.get("numFmtId", ""), attrs.get("formatCode", "")))
        if state == 1 and depth == 3:
            xf_formats.append(attrs.get("numFmtId", "0"))
        elif state == 0 and depth == 2 and name == XFS:
            state = 1

    def end(name):
        nonlocal depth, state
        if state == 1 and depth == 2:
            state = 2
        depth -= 1

    try:
        _parse(data, start, end, None)
    except _HasDoctype:
        root = _tree(data)
        xfs = root.find(m + "cellXfs")
        return ([(fmt.get("numFmtId", ""), fmt.get("formatCode", "")) for fmt in root.iter(m + "numFmt")],
                [xf.get("numFmtId", "0") for xf in (xfs if xfs is not None else ())])
    return formats, xf_formats
