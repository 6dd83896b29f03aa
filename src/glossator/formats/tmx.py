"""TMX 1.4b: one `<tu tuid=SEGMENT-ID>` per segment, and a translation memory of reviewed pairs.

What glossator knows about a segment travels with it so the file reads back (the facts of
glossator.formats.comments): `<note>`s hold missed pins (`note: ...`) and QA findings
(`qa: ...`); `<prop>`s hold the state (`x-status`: fuzzy = machine output, reviewed = a person
approved it), `x-kind`, `x-paragraph`, one `x-pin` per pinned term (`SOURCE → PINNED |
ACCEPTED...`), and `x-origin`, `x-machine` (the engine's text) and `x-reviewed` (who approved
it) where known. `TMXFormat.read` turns a TMX file back into a document; a unit from another
tool without a `tuid` gets an empty segment id (it can still be matched by its source).

The memory (`write_memory`/`read_memory`) is plain TMX too, so any CAT tool can open it; its
units carry `x-status` reviewed, and `read_memory` ignores units marked fuzzy, so a document's
own TMX can be read as a memory without machine output leaking into it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from lxml import etree

from glossator import __version__
from glossator.errors import FormatError
from glossator.formats.base import Format
from glossator.formats.comments import apply_fact, facts
from glossator.io.reading import read_regular
from glossator.io.xml import XML_LANG, parse_xml, serialise, text_of, xml_safe
from glossator.languages import tag_language
from glossator.model import Document, Segment, paragraph_number

__all__ = ["TMXFormat", "TMXUnit", "read_memory", "read_tmx", "write_memory", "xml_safe"]
NOTE_KEYS = ("note", "qa")  # facts written as <note>s; the others are <prop type="x-KEY">s


def same_language(a: str, b: str) -> bool:
    """Whether two codes name the same language; a bare "pt" matches "pt-BR" either way."""
    a, b = tag_language(a).lower(), tag_language(b).lower()
    return a == b or a.split("-")[0] == b or b.split("-")[0] == a


class TMXFormat(Format):
    name = "tmx"
    extension = "tmx"

    def render(self, document: Document) -> str:
        target_lang = document.target_lang or ""
        root, body = _tmx_root(document.source_lang)
        header = root.find("header")
        _sub(header, "prop", document.name, type="x-document")
        if target_lang:
            _sub(header, "prop", tag_language(target_lang), type="x-targetlang")
        if document.signature:
            _sub(header, "prop", document.signature, type="x-signature")
        for line in document.header_notes:
            _sub(header, "note", line)
        for segment in document.segments:
            body.append(_segment_tu(segment, document.source_lang, target_lang))
        return _serialise(root)

    def read(self, path: Path) -> Document:
        root = parse_tmx(path)
        header = root.find("header")
        props = {prop.get("type"): prop.text or "" for prop in header.iterfind("prop")}
        source_lang = _source_lang(root, path)
        target_lang = props.get("x-targetlang")
        units = [_unit(tu, source_lang, target_lang) for tu in root.iterfind("body/tu")]
        if not target_lang:
            target_lang = next((u.target_lang for u in units if u.target_lang), None)
        document = Document(name=props.get("x-document") or Path(path).stem, path=Path(path),
                            source_lang=source_lang, target_lang=target_lang,
                            signature=props.get("x-signature", ""))
        document.segments = [unit.segment() for unit in units]
        return document


def _element(tag: str, text: str = "", **attrib: str) -> etree._Element:
    element = etree.Element(tag, attrib)
    element.text = xml_safe(text)
    return element


def _sub(parent: etree._Element, tag: str, text: str = "", **attrib: str) -> etree._Element:
    element = _element(tag, text, **attrib)
    parent.append(element)
    return element


def _tmx_root(source_lang: str) -> tuple[etree._Element, etree._Element]:
    root = etree.Element("tmx", version="1.4")
    etree.SubElement(root, "header", {
        "creationtool": "glossator",
        "creationtoolversion": __version__,
        "segtype": "sentence",
        "o-tmf": "glossator",
        "adminlang": "en",
        "srclang": tag_language(source_lang),
        "datatype": "plaintext",
        "creationdate": datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ"),
    })
    return root, etree.SubElement(root, "body")


def _serialise(root: etree._Element) -> str:
    return serialise(root) + "\n"  # whitespace between elements only, never inside a <seg>


def _segment_tu(segment: Segment, source_lang: str, target_lang: str) -> etree._Element:
    tu = _element("tu", tuid=segment.id)
    # The DTD wants notes and props before the tuvs; notes first is what most readers expect.
    known = facts(segment)
    for key, value in known:
        if key in NOTE_KEYS:
            _sub(tu, "note", f"{key}: {value}")
    if segment.comment:  # a person's: read back as the comment, as any note not a fact
        _sub(tu, "note", segment.comment)
    _sub(tu, "prop", "fuzzy" if segment.fuzzy else "reviewed", type="x-status")
    _sub(tu, "prop", segment.kind, type="x-kind")
    _sub(tu, "prop", str(segment.paragraph), type="x-paragraph")
    for key, value in known:
        if key not in (*NOTE_KEYS, "kind"):
            _sub(tu, "prop", value, type=f"x-{key}")
    _tuv(tu, source_lang, segment.source)
    if target_lang:
        _tuv(tu, target_lang, segment.target)
    return tu


def _tuv(tu: etree._Element, language: str, text: str) -> None:
    tuv = etree.SubElement(tu, "tuv", {XML_LANG: tag_language(language)})
    _sub(tuv, "seg", text)


# Reading -------------------------------------------------------------------------------------


@dataclass
class TMXUnit:
    """One `<tu>` read back: its id, the two texts, its props (type → values) and notes."""

    tuid: str
    source: str
    target: str | None  # None when the unit has no variant in the target language
    props: dict[str, list[str]] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    line: int | None = None
    target_lang: str = ""  # as the unit's target variant names it

    @property
    def fuzzy(self) -> bool:
        return "fuzzy" in self.props.get("x-status", [])

    def segment(self) -> Segment:
        """The unit as a segment: id from `tuid`, paragraph from `x-paragraph` (else the
        number before the id's dot), facts from props and notes; a note that is no fact of
        glossator's (a translator's, in another tool) becomes the segment's comment."""
        paragraph = next(iter(self.props.get("x-paragraph", [])), "") or self.tuid
        segment = Segment(id=self.tuid, source=self.source, target=self.target or "",
                          paragraph=paragraph_number(paragraph), fuzzy=self.fuzzy)
        for kind in self.props.get("x-kind", []):
            apply_fact(segment, "kind", kind)
        for key, values in self.props.items():
            if key.startswith("x-") and key != "x-kind":
                for value in values:
                    apply_fact(segment, key[2:], value)
        comments = []
        for note in self.notes:
            key, _, value = note.partition(": ")
            if key not in NOTE_KEYS or not apply_fact(segment, key, value):
                comments.append(note)
        segment.comment = "\n".join(comments)
        return segment


def parse_tmx(path: str | Path) -> etree._Element:
    """The root of a TMX file; FormatError with file:line for malformed XML or a non-TMX root."""
    path = Path(path)
    if not path.exists():
        raise FormatError("no such file", path=path)
    # Read here, not by lxml, so that an unreadable file and a bad byte (which lxml reports
    # as a bare OSError when it reads a file itself) are one-line errors too.
    data = read_regular(path, FormatError, what="TMX file")
    root = parse_xml(data, path, problem="not a valid TMX file")
    if root.tag != "tmx":
        raise FormatError(f"not a TMX file: the root element is <{root.tag}>, not <tmx>",
                          path=path, line=root.sourceline)
    if root.find("header") is None or root.find("body") is None:
        raise FormatError("not a TMX file: no <header> or no <body>", path=path,
                          line=root.sourceline)
    return root


def read_tmx(path: str | Path, target_lang: str | None = None) -> list[TMXUnit]:
    """Every `<tu>` of a TMX file, source side from the header's srclang.

    The target is the variant in `target_lang` when given, otherwise the first variant in
    another language than the source.
    """
    root = parse_tmx(path)
    source_lang = _source_lang(root, path)
    return [_unit(tu, source_lang, target_lang) for tu in root.iterfind("body/tu")]


def _source_lang(root: etree._Element, path: str | Path) -> str:
    source_lang = root.find("header").get("srclang", "")
    if not source_lang or source_lang == "*all*":
        raise FormatError("the TMX header names no source language (srclang)", path=path,
                          line=root.find("header").sourceline)
    return source_lang


def _unit(tu: etree._Element, source_lang: str, target_lang: str | None) -> TMXUnit:
    source: str | None = None
    target: str | None = None
    found_lang = ""
    for tuv in tu.iterfind("tuv"):
        language = tuv.get(XML_LANG) or tuv.get("lang") or ""  # TMX 1.1 used plain lang
        text = text_of(tuv.find("seg"))
        if source is None and same_language(language, source_lang):
            source = text
        elif target is None and (same_language(language, target_lang) if target_lang
                                 else not same_language(language, source_lang)):
            target, found_lang = text, language
    unit = TMXUnit(tuid=tu.get("tuid", ""), source=source or "", target=target,
                   line=tu.sourceline, target_lang=found_lang)
    for prop in tu.iterfind("prop"):
        unit.props.setdefault(prop.get("type", ""), []).append(prop.text or "")
    unit.notes = [note.text or "" for note in tu.iterfind("note")]
    return unit


# Translation memory --------------------------------------------------------------------------


def write_memory(entries: Iterable[tuple[str, str]], source_lang: str, target_lang: str) -> str:
    """A TMX memory of reviewed translations, one unit per (source, target) pair.

    Pairs with an empty side are skipped, a pair repeated is written once; when one source
    has two translations both are written and `read_memory` keeps the later one.
    """
    root, body = _tmx_root(source_lang)
    _sub(root.find("header"), "prop", tag_language(target_lang), type="x-targetlang")
    seen: set[tuple[str, str]] = set()
    for source, target in entries:
        if not source.strip() or not target.strip() or (source, target) in seen:
            continue
        seen.add((source, target))
        tu = _sub(body, "tu", tuid=str(len(seen)))
        _sub(tu, "prop", "reviewed", type="x-status")
        _tuv(tu, source_lang, source)
        _tuv(tu, target_lang, target)
    return _serialise(root)


def read_memory(path: str | Path, source_lang: str, target_lang: str) -> dict[str, str]:
    """Source sentence → reviewed translation, from a TMX file (ours or any tool's).

    Units marked fuzzy, or lacking either language, are left out; a later unit wins over an
    earlier one with the same source. Malformed XML raises FormatError naming file and line.
    """
    root = parse_tmx(path)
    header_lang = root.find("header").get("srclang", "")
    if header_lang and header_lang != "*all*" and not same_language(header_lang, source_lang):
        raise FormatError(f"this memory's source language is {header_lang}, "
                          f"not {tag_language(source_lang)}", path=path,
                          line=root.find("header").sourceline)
    memory: dict[str, str] = {}
    for tu in root.iterfind("body/tu"):
        unit = _unit(tu, source_lang, target_lang)
        if unit.fuzzy or not unit.source or not unit.target:
            continue
        memory[unit.source] = unit.target
    return memory


def reviewed_pairs(documents: list[Document]) -> dict[str, str]:
    """Source → reviewed translation, for the translation memory; a document's segment with
    markup is left out (its target's tags name its own paragraph's markup)."""
    return {s.source: s.target for d in documents for s in d.segments
            if not s.fuzzy and s.target and not s.markup}
