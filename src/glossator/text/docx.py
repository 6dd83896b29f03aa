"""Read a Word document (.docx, by python-docx) as paragraphs with inline markup (`text.layout`).

The paragraphs, in this order: the body's (headings, list paragraphs, table cells, captions:
every `w:p` of the body, a table's included), then those of the footnotes and endnotes, then
those of the headers and footers. A heading (a "Heading N", "Title" or "Subtitle" style, or an
outline level) is a title, one segment; the rest are body text. A paragraph with no text (an
image alone, a page-number field) is no paragraph of the article and is kept as it is; text
boxes are kept as they are too (Word stores each twice, in a drawing and its VML fallback).

A paragraph's runs become plain text and tags (`text.runs`): runs of equal formatting side by
side are one, rsid, spell-check and language marks set aside, so a run Word cut in three is one
tag; the formatting of most of the text is the base, and each stretch formatted otherwise is a
tag (bold, italic, underline, struck through, else "formatting"); a hyperlink is a tag; text
inside a tracked insertion is text, a tracked deletion is not. Images, fields (a complex field
from its begin to its end, results included), footnote references, tabs, breaks, content
controls and equations are points, kept whole; bookmarks and comment ranges are kept at the
paragraph's start and end. Writing is `formats.docx`, which reads the source again the same
way and puts each paragraph's translation into runs with the same properties.
"""

from __future__ import annotations

import copy
import functools
import io
import re
from collections.abc import Hashable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from glossator.errors import InputError
from glossator.io.packages import check_package
from glossator.text.article import Article
from glossator.text.layout import Layout
from glossator.text.runs import Marked, Piece, mark, package_article

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
_HEADING = re.compile(r"(?i)(heading \d|title|subtitle)$")
_FLATTENED = {"hyperlink", "ins", "smartTag", "customXml", "moveTo", "dir", "bdo"}
_SKIPPED = {"pPr", "del", "moveFrom", "proofErr", "moveFromRangeStart", "moveFromRangeEnd",
            "moveToRangeStart", "moveToRangeEnd"}
_OPENERS = {"bookmarkStart", "commentRangeStart", "permStart"}
_CLOSERS = {"bookmarkEnd", "commentRangeEnd", "permEnd"}
_RUN_DROPPED = {"rPr", "lastRenderedPageBreak", "softHyphen"}
_NOTES = {"footnoteReference", "endnoteReference", "footnoteRef", "endnoteRef",
          "commentReference", "annotationRef"}
_IMAGES = {"drawing", "pict", "object"}
_KEY_DROPPED = {"lang", "noProof", "rsid", "webHidden"}


def w(name: str) -> str:
    return f"{{{W}}}{name}"


def _local(element: Any) -> str:
    tag = element.tag
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


@dataclass
class Flat:
    """A paragraph taken apart: its pieces (`text.runs`), what each point and link is made
    of, the properties (`w:rPr`) of each formatting key, and the markers kept at its ends."""

    pieces: list[Piece] = field(default_factory=list)
    # each point's parts: (whether it goes in a run of its own, that run's rPr, the element)
    points: list[list[tuple[bool, Any, Any]]] = field(default_factory=list)
    links: list[Any] = field(default_factory=list)
    properties: dict[Hashable, Any] = field(default_factory=dict)
    openers: list[Any] = field(default_factory=list)
    closers: list[Any] = field(default_factory=list)


def style_key(properties: Any) -> bytes:
    """What formatting a run's `w:rPr` gives, as a key: its XML without rsid attributes and
    the marks spell-check and revisions leave (language, no-proofing)."""
    if properties is None:
        return b""
    from lxml import etree

    cleaned = copy.deepcopy(properties)
    for element in list(cleaned.iter()):
        if element is not cleaned and _local(element) in _KEY_DROPPED:
            element.getparent().remove(element)
            continue
        for name in list(element.attrib):
            if name.rsplit("}", 1)[-1].startswith("rsid"):
                del element.attrib[name]
    return etree.tostring(cleaned, method="c14n")


def _on(element: Any) -> bool:
    return element is not None and element.get(w("val"), "true") not in ("0", "false", "off",
                                                                          "none")


def formatting(properties: Any) -> frozenset[str]:
    """Which of bold, italic, underline and strike-through (`text.runs`) a `w:rPr` sets."""
    if properties is None:
        return frozenset()
    found = set()
    for letter, names in (("b", ("b",)), ("i", ("i",)), ("u", ("u",)),
                          ("s", ("strike", "dstrike"))):
        if any(_on(properties.find(w(name))) for name in names):
            found.add(letter)
    style = properties.find(w("rStyle"))
    if style is not None:
        name = (style.get(w("val")) or "").lower()
        found |= {"b"} if "strong" in name else {"i"} if "emphasis" in name else set()
    return frozenset(found)


def flatten(paragraph: Any) -> Flat:
    """The pieces of a `w:p`, in order."""
    flat = Flat()
    field_depth = 0
    field_parts: list[tuple[bool, Any, Any]] = []

    def point(parts: list[tuple[bool, Any, Any]], letter: str, link: int | None) -> None:
        flat.pieces.append(Piece(link=link, point=len(flat.points), letter=letter))
        flat.points.append(parts)

    def run(element: Any, link: int | None) -> None:
        nonlocal field_depth, field_parts
        properties = element.find(w("rPr"))
        key = style_key(properties)
        flat.properties.setdefault(key, properties)
        for child in element:
            name = _local(child)
            if name == "fldChar":
                kind = child.get(w("fldCharType"))
                if kind == "begin":
                    field_depth += 1
                field_parts.append((True, properties, child))
                if kind == "end" and field_depth:
                    field_depth -= 1
                    if not field_depth:
                        point(field_parts, "x", link)
                        field_parts = []
                continue
            if field_depth:
                if name != "rPr":
                    field_parts.append((True, properties, child))
            elif name in _RUN_DROPPED:
                continue
            elif name == "t":
                flat.pieces.append(Piece(child.text or "", key, link))
            elif name in _IMAGES:
                point([(True, properties, child)], "m", link)
            elif name in _NOTES:
                point([(True, properties, child)], "n", link)
            else:  # a tab, a break, a symbol, a field's instruction ...
                point([(True, properties, child)], "x", link)

    def walk(parent: Any, link: int | None) -> None:
        for child in parent:
            name = _local(child)
            if field_depth and name != "r":
                field_parts.append((False, None, child))
            elif name == "r":
                run(child, link)
            elif name == "hyperlink":
                if not "".join(t.text or "" for t in child.iter(w("t"))).strip():
                    point([(False, None, child)], "a", link)
                    continue
                flat.links.append(child)
                walk(child, len(flat.links) - 1)
            elif name in _FLATTENED:
                walk(child, link)
            elif name in _SKIPPED or not name:
                continue
            elif name in _OPENERS:
                flat.openers.append(child)
            elif name in _CLOSERS:
                flat.closers.append(child)
            else:  # a simple field, a content control, an equation ...
                point([(False, None, child)], "x", link)

    walk(paragraph, None)
    if field_parts:  # a field that never ends: kept as it was
        point(field_parts, "x", None)
    return flat


def read_paragraph(paragraph: Any) -> tuple[Flat, Marked]:
    flat = flatten(paragraph)
    properties = {key: formatting(element) for key, element in flat.properties.items()}
    return flat, mark(flat.pieces, lambda key: properties.get(key, frozenset()))


@dataclass
class Story:
    """The parts of a .docx that hold the article's paragraphs: each one's root element by
    its zip member name (the main document's first), and every `w:p` of the article in order
    with its kind ("title", "body"); and the bytes of every part, by member name."""

    roots: dict[str, Any]
    paragraphs: list[tuple[Any, str]]
    blobs: dict[str, bytes]


def read_story(data: bytes, path: Path, check: bool = True) -> Story:
    """The story of a .docx's bytes; InputError (one line) for a package that is no sound
    DOCX. python-docx's package reader walks the relationships, and its parser reads every
    part python-docx would read as XML, so a document it would refuse is refused; but no
    python-docx Document is made (it costs twice as long), and styles.xml, most of a
    document's XML (Word's template: 350 KB), is parsed once per distinct styles.xml.
    Without `check` (the writer, on bytes read before), only the story's parts are parsed."""
    if check:
        check_package(data, path, "DOCX", "word/document.xml")
    try:
        return _read_story(data, check)
    except InputError as problem:
        raise InputError(problem.message, path=path) from None
    except Exception as problem:  # python-docx raises KeyError, ValueError, XMLSyntaxError ...
        detail = str(problem).splitlines()[0] if str(problem) else type(problem).__name__
        raise InputError(f"is not a readable DOCX ({detail[:200]})", path=path) from None


def _read_story(data: bytes, check: bool) -> Story:
    import docx  # noqa: F401  (registers python-docx's part classes)
    from docx.opc.constants import CONTENT_TYPE as CT
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from docx.opc.part import PartFactory, XmlPart
    from docx.opc.pkgreader import PackageReader
    from docx.oxml.parser import parse_xml

    package = PackageReader.from_file(io.BytesIO(data))
    parts = {str(name): (content_type, blob)
             for name, content_type, _, blob in package.iter_sparts()}
    relations: dict[str, list[tuple[str, str]]] = {}  # part name → (relationship, target)
    for source, rel in package.iter_srels():
        if not rel.is_external:
            relations.setdefault(str(source), []).append((rel.reltype, str(rel.target_partname)))
    main = next((target for reltype, target in relations.get("/", [])
                 if reltype == RT.OFFICE_DOCUMENT), None)
    if main is None:
        raise InputError("is not a readable DOCX (no main document)")
    if parts[main][0] != CT.WML_DOCUMENT_MAIN:
        raise InputError(f"is not a Word document but {parts[main][0]} (a macro-enabled "
                         "document or a template renamed .docx?)")
    related = relations.get(main, [])
    story = {main} | {target for reltype, target in related if reltype in _story_relations()}
    styles = next((target for reltype, target in related if reltype == RT.STYLES), None)
    roots: dict[str, Any] = {}
    for name, (content_type, blob) in parts.items():
        kind = PartFactory.part_type_for.get(content_type, PartFactory.default_part_type)
        xml = issubclass(kind, XmlPart) or content_type in (CT.WML_FOOTNOTES, CT.WML_ENDNOTES)
        if xml and (name in story or (check and name != styles)):
            roots[name] = parse_xml(blob)
    names: dict[str, str] = {}
    if check:  # python-docx's own styles where the document has none
        from docx.parts.styles import StylesPart

        names = _style_names(parts[styles][1] if styles in parts
                             else StylesPart._default_styles_xml())
    paragraphs = list(_story(roots[main], names, [
        (reltype, target, roots.get(target)) for reltype, target in relations.get(main, [])]))
    order = [main, *sorted(story - {main})]
    return Story({name.lstrip("/"): roots[name] for name in order if name in roots},
                 paragraphs, {name.lstrip("/"): blob for name, (_, blob) in parts.items()})


@functools.cache
def _story_relations() -> tuple[str, ...]:
    """The relationships to the parts whose paragraphs follow the body's, in this order:
    footnotes, endnotes, headers, footers (python-docx's names, imported when first read)."""
    from docx.opc.constants import RELATIONSHIP_TYPE as RT

    return (RT.FOOTNOTES, RT.ENDNOTES, RT.HEADER, RT.FOOTER)


def _story(main: Any, names: dict[str, str],
           relations: list[tuple[str, str, Any]]) -> Iterator[tuple[Any, str]]:
    """The paragraphs of the main document's root `main`, then those of the XML parts it
    relates to as (relationship type, part name, root element or None) that are notes,
    headers or footers, in `_story_relations`' order (then by name), each part once."""
    body = main.find(w("body"))
    for paragraph in _paragraphs(body) if body is not None else ():
        properties = paragraph.find(w("pPr"))
        style = properties.find(w("pStyle")) if properties is not None else None
        name = names.get(style.get(w("val")), "") if style is not None else ""
        level = properties.find(w("outlineLvl")) if properties is not None else None
        heading = _HEADING.match(name) or (level is not None and level.get(w("val")) != "9")
        yield paragraph, "title" if heading else "body"
    order = _story_relations()
    parts = sorted(((order.index(reltype), name, root) for reltype, name, root in relations
                    if reltype in order and root is not None), key=lambda part: part[:2])
    seen: set[str] = set()
    for _, name, root in parts:
        if name not in seen:
            seen.add(name)
            yield from ((paragraph, "body") for paragraph in _paragraphs(root))


_STYLE_NAMES: dict[bytes, dict[str, str]] = {}  # styles.xml's digest → its style names
_STYLE_NAMES_KEPT = 64


def _style_names(styles: bytes) -> dict[str, str]:
    """Style id → name as python-docx gives it (Word's built-in names in their UI spelling)
    of a styles.xml: parsed once per distinct one (documents of one newsroom share theirs)."""
    import hashlib

    from docx.oxml.parser import parse_xml
    from docx.styles import BabelFish

    digest = hashlib.blake2b(styles, digest_size=20).digest()
    if digest in _STYLE_NAMES:
        return _STYLE_NAMES[digest]
    names = {}
    for style in parse_xml(styles).iterchildren(w("style")):
        name = style.find(w("name"))
        names[style.get(w("styleId"))] = BabelFish.internal2ui(
            name.get(w("val"), "")) if name is not None else ""
    if len(_STYLE_NAMES) >= _STYLE_NAMES_KEPT:
        _STYLE_NAMES.clear()
    _STYLE_NAMES[digest] = names
    return names


def _paragraphs(root: Any) -> Iterator[Any]:
    for paragraph in root.iter(w("p")):
        if not any(_local(a) == "txbxContent" or a.tag == f"{{{_MC}}}Fallback"
                   for a in paragraph.iterancestors()):
            yield paragraph


def parse_docx(data: bytes, path: Path) -> Article:
    """The paragraphs of a .docx with their markup, and the layout its writer needs;
    InputError (one line) for a file that is no sound DOCX or holds no text."""
    story = read_story(data, path)
    return package_article(path, Layout("docx", "docx", data), story.paragraphs,
                           lambda element: read_paragraph(element)[1], "DOCX")
