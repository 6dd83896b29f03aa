"""The one XML set-up every reader and writer shares (TMX, XLIFF, the TBX glossary reader).

Files from other tools are untrusted: the parser fetches nothing over the network, loads no
DTD, expands no entity (no "billion laughs", no external file read through `SYSTEM`), keeps
libxml2's size limits (`huge_tree` off) and drops comments and processing instructions. An
entity left unexpanded would be read as the text `&name;`, so a file that declares one or
refers to one is refused; a DOCTYPE that only names a DTD (`<!DOCTYPE martif SYSTEM
"TBXcoreStructV02.dtd">`, as Translate Toolkit and Weblate write TBX) is fine. Text
written goes through `xml_safe` first, so one stray control character cannot make a whole
file unwritable.
"""

from __future__ import annotations

import re
from os import PathLike

from lxml import etree

from glossator.errors import FormatError, GlossatorError

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>\n'

# Characters XML 1.0 cannot carry at all, not even escaped; lxml refuses them.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def xml_safe(text: str) -> str:
    """Text with the characters XML 1.0 forbids replaced by U+FFFD."""
    return _NOT_XML.sub("\ufffd", text)


def safe_parser() -> etree.XMLParser:
    """A parser for files from elsewhere: no network, no DTD, no entities, size limits kept."""
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                           huge_tree=False, remove_comments=True, remove_pis=True)


def parse_xml(data: bytes, path: str | PathLike[str] | None, *,
              error: type[GlossatorError] = FormatError,
              problem: str = "malformed XML") -> etree._Element:
    """The root element of `data`; `error` naming file and line for anything malformed, its
    message starting with `problem` ("not a valid TMX file: Opening and ending tag ..."), and
    for a document that declares or uses an entity."""
    try:
        root = etree.fromstring(data, safe_parser())
    except etree.XMLSyntaxError as syntax:
        raise error(f"{problem}: {syntax.msg or syntax}", path=path,
                    line=syntax.lineno or None) from None
    _refuse_entities(root, data, path, error)
    return root


def _refuse_entities(root: etree._Element, data: bytes,
                     path: str | PathLike[str] | None, error: type[GlossatorError]) -> None:
    dtd = root.getroottree().docinfo.internalDTD
    declared = [entity.name for entity in dtd.iterentities()] if dtd is not None else []
    if declared:
        at = data.find(b"<!ENTITY")  # libxml2 keeps no line for a declaration
        raise error(f"declares an entity ({', '.join(declared[:5])}), which is never "
                    "expanded; save the file without entities", path=path,
                    line=data.count(b"\n", 0, at) + 1 if at >= 0 else None)
    # Only a document naming an external DTD can leave a reference to an undeclared entity.
    used = next(root.iter(etree.Entity), None)
    if used is not None:
        raise error(f"uses the entity {used.text}, which is never expanded; save the file "
                    "without entities", path=path, line=used.sourceline)


def local_name(element: etree._Element) -> str:
    """An element's name without its namespace; "" for anything that is not an element."""
    return etree.QName(element).localname if isinstance(element.tag, str) else ""


def text_of(element: etree._Element | None) -> str:
    """All the text inside an element, inline markup (`<g>`, `<mrk>`) taken off."""
    return "" if element is None else "".join(element.itertext())


def serialise(root: etree._Element) -> str:
    """The document as text with the XML declaration; whitespace between elements only."""
    etree.indent(root, space="  ")
    return DECLARATION + etree.tostring(root, encoding="unicode")
