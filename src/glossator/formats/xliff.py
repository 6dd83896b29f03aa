"""XLIFF 1.2: one `<trans-unit id=SEGMENT-ID>` per segment.

Why 1.2 and not 2.0: Translate Toolkit's 1.2 support (translate.storage.xliff, used by
xliff2po, pofilter and pocount) is complete, states and approval included, while its 2.0
reader is partial; Weblate reads XLIFF through Translate Toolkit and maps 1.2's states and
`approved` onto its own; and nearly every CAT tool (OmegaT, Okapi, Virtaal, Lokalize) opens 1.2.

States, as Translate Toolkit and Weblate read them:
- machine output: `<target state="needs-review-translation" state-qualifier="mt-suggestion">`,
  no `approved`. The spec's words for it ("needs review"; "suggested by machine
  translation"); Translate Toolkit reads it as fuzzy (needs review), Weblate as
  "waiting for review" (it keeps "needs editing" for the needs-translation states).
- reviewed by a person: `approved="yes"` and `state="signed-off"`, the spec's "changes are
  reviewed and approved". `approved` is what both tools test (Translate Toolkit's isapproved,
  which also makes isfuzzy false; Weblate's "approved"); "final" is not used because it
  claims the whole localisation workflow is over, which glossator cannot know.

Notes (`from="glossator"`) carry the facts of glossator.formats.comments: `note: ...` for a pin
that did not land and `qa: ...` for a QA finding (priority 1, so tools list them first),
`pin: SOURCE → PINNED | ACCEPTED... (glossary note)` for each pinned term, and `origin:`,
`machine:` (the engine's text) and `reviewed:` (who approved it) where known.

The translation memory's fuzzy matches (`Segment.matches`, best first) follow the notes as
`<alt-trans match-quality="87" origin="memory">`, each with its source and target, as OmegaT
and Translate Toolkit read them; reading leaves them out (a unit's own source, target and
notes are its direct children).

A document's inline markup (`model.Tag`) is XLIFF's own: a pair is `<g id="b0" ctype="bold">`
around its words, a point (an image, inline code) `<x id="c1" ctype="x-code"/>`, in the source
and in the target, so a CAT tool shows them as tags that a translator moves but cannot break.
The `markup:` note names them; reading turns them back into the `<b0>…</b0>` form PO shows.

Reading takes what OmegaT, Okapi, Weblate and Poedit write too: several `<file>`s, each an
article of its own (`read_documents`; `read` wants a file holding one) named by the last part
of its `original` path, units inside `<group>`s, inline markup in `<source>`/`<target>` (its
text is kept), the id from `resname` where a tool keeps the original id there, and approval
from `approved="yes"` or a target state `signed-off` or `final`. A note from anyone but
glossator becomes the segment's comment.
"""

from __future__ import annotations

import re
from pathlib import Path, PurePosixPath

from lxml import etree

from glossator import __version__
from glossator.errors import FormatError
from glossator.formats.base import Format
from glossator.formats.comments import apply_fact, facts, settle_markup
from glossator.io.names import text_name
from glossator.io.reading import read_regular
from glossator.io.xml import XML_SPACE, local_name, parse_xml, text_of, xml_safe
from glossator.languages import tag_language
from glossator.model import (
    SEGMENT_ID,
    TAG_LETTERS,
    Document,
    Segment,
    Tag,
    paragraph_number,
    tag_ends,
)

NS = "urn:oasis:names:tc:xliff:document:1.2"

MACHINE_STATE = "needs-review-translation"
REVIEWED_STATE = "signed-off"
APPROVED_STATES = frozenset({"signed-off", "final"})


class XLIFFFormat(Format):
    name = "xliff"
    extension = "xlf"
    aliases = ("xliff",)

    def read(self, path: Path) -> Document:
        documents = self.read_documents(path)
        if len(documents) > 1:
            raise FormatError(f"holds {len(documents)} articles (<file> elements), not one",
                              path=path)
        return documents[0]

    def read_documents(self, path: Path) -> list[Document]:
        """One document per `<file>`, each with the units inside that `<file>` only."""
        path = Path(path)
        if not path.exists():
            raise FormatError("no such file", path=path)
        root = parse_xml(read_regular(path, FormatError, what="XLIFF file"), path,
                         problem="not a valid XLIFF file")
        if local_name(root) != "xliff":
            raise FormatError(f"not an XLIFF file: the root element is <{local_name(root)}>",
                              path=path, line=root.sourceline)
        if not root.get("version", "1.2").startswith("1."):
            raise FormatError(f"XLIFF {root.get('version')} is not read; export XLIFF 1.2",
                              path=path, line=root.sourceline)
        files = [element for element in root if local_name(element) == "file"]
        if not files:
            raise FormatError("not an XLIFF file: no <file>", path=path, line=root.sourceline)
        return [_read_file(file, path) for file in files]

    def render(self, document: Document) -> str:
        root = etree.Element(f"{{{NS}}}xliff", version="1.2", nsmap={None: NS})
        file = _sub(root, "file", {
            "original": text_name(document.article
                                  or (document.path.name if document.path else document.name)),
            "source-language": tag_language(document.source_lang),
            "datatype": "plaintext",
            "tool-id": "glossator",
        })
        if document.target_lang:
            file.set("target-language", tag_language(document.target_lang))
        header = _sub(file, "header")
        _sub(header, "tool", {"tool-id": "glossator", "tool-name": "glossator",
                              "tool-version": __version__})
        if document.signature:
            _sub(header, "note", {"from": "glossator"}, f"signature: {document.signature}")
        for line in document.header_notes:
            _sub(header, "note", {"from": "glossator"}, line)
        body = _sub(file, "body")
        for segment in document.segments:
            _trans_unit(body, segment)
            _alt_trans(body[-1], segment)
        text = etree.tostring(root, encoding="unicode", pretty_print=True)
        return '<?xml version="1.0" encoding="UTF-8"?>\n' + text


def _sub(parent: etree._Element, tag: str, attrib: dict[str, str] | None = None,
         text: str | None = None) -> etree._Element:
    element = etree.SubElement(parent, f"{{{NS}}}{tag}", attrib or {})
    if text is not None:
        element.text = xml_safe(text)
    return element


def _trans_unit(body: etree._Element, segment: Segment) -> None:
    unit = _sub(body, "trans-unit", {"id": segment.id, XML_SPACE: "preserve"})
    if segment.kind != "body":
        unit.set("restype", f"x-{segment.kind}")
    if not segment.fuzzy:
        unit.set("approved", "yes")
    _inline(_sub(unit, "source"), segment.source, segment.markup)
    if segment.target or not segment.fuzzy:
        state = {"state": REVIEWED_STATE} if not segment.fuzzy else {
            "state": MACHINE_STATE, "state-qualifier": "mt-suggestion"}
        _inline(_sub(unit, "target", state), *segment.target_plain())
    notes = {"note": [], "qa": [], "pin": [], "other": []}
    pin_notes = iter(pin.note for pin in segment.pins)
    for key, value in facts(segment):
        if key == "pin":
            note = next(pin_notes)
            notes["pin"].append(f"pin: {value} ({note})" if note else f"pin: {value}")
        elif key in ("note", "qa"):
            notes[key].append(f"{key}: {value}")
        elif key != "kind":
            notes["other"].append(f"{key}: {value}")
    for text in (*notes["note"], *notes["qa"]):
        _sub(unit, "note", {"from": "glossator", "priority": "1"}, text)
    for text in notes["pin"]:
        _sub(unit, "note", {"from": "glossator", "annotates": "source"}, text)
    for text in notes["other"]:
        _sub(unit, "note", {"from": "glossator"}, text)
    if segment.comment:  # a person's: read back as the comment, as any note not glossator's
        _sub(unit, "note", None, segment.comment)


def _alt_trans(unit: etree._Element, segment: Segment) -> None:
    """The memory's matches, after the unit's notes, best first."""
    for match in segment.matches:
        alternative = _sub(unit, "alt-trans", {"match-quality": str(match.score),
                                               "origin": match.origin or "memory",
                                               "tool-id": "glossator"})
        _sub(alternative, "source", None, match.source)
        _sub(alternative, "target", None, match.target)


# XLIFF 1.2's ctype for what a tag's letter says it is (`x-` for those it has no word for).
_CTYPES = {"b": "bold", "i": "italic", "u": "underlined", "a": "link", "m": "image"}
_TAG_NAME = re.compile(r"[a-z][0-9]{1,6}")


def _inline(element: etree._Element, text: str, tags: list[Tag]) -> None:
    """Fill `element` with `text`, each tag as `<g>` around its characters or `<x/>` at its
    offset. Pairs that overlap (a target a person cut so) cannot be `<g>`s: each end is then an
    `<x/>` of ctype `x-open` / `x-close`."""
    nested = _nests([tag for tag in tags if not tag.point])
    stack = [element]
    last: etree._Element | None = None  # the element whose tail the next text extends
    cursor = 0

    def add_text(piece: str) -> None:
        if not piece:
            return
        if last is None:
            stack[-1].text = (stack[-1].text or "") + xml_safe(piece)
        else:
            last.tail = (last.tail or "") + xml_safe(piece)

    for offset, what, tag in tag_ends(tags):
        add_text(text[cursor:offset])
        cursor = offset
        ctype = _CTYPES.get(tag.name[0], f"x-{TAG_LETTERS.get(tag.name[0], 'markup')}")
        if what != "point" and not nested:
            last = _sub(stack[-1], "x", {"id": tag.name, "ctype": f"x-{what}"})
        elif what == "open":
            stack.append(_sub(stack[-1], "g", {"id": tag.name,
                                               "ctype": ctype.replace(" ", "-")}))
            last = None
        elif what == "close":
            last = stack.pop()
        else:
            last = _sub(stack[-1], "x", {"id": tag.name, "ctype": ctype.replace(" ", "-")})
    add_text(text[cursor:])


def _nests(pairs: list[Tag]) -> bool:
    """Whether no two pairs overlap without one holding the other."""
    return not any(a.start < b.start < a.end < b.end for a in pairs for b in pairs)


def _tagged_text(element: etree._Element | None) -> str:
    """The text of a `<source>`/`<target>` with `<g id=NAME>` and `<x id=NAME/>` written in
    the `<b0>…</b0>` form (for tags the `markup:` note names, `settle_markup` reads them);
    other inline markup is taken off, its text kept."""
    if element is None:
        return ""
    parts = [element.text or ""]
    for child in element:
        name, ident = local_name(child), child.get("id", "")
        if name == "g" and _TAG_NAME.fullmatch(ident):
            parts.append(f"<{ident}>{_tagged_text(child)}</{ident}>")
        elif name == "x" and _TAG_NAME.fullmatch(ident):
            parts.append({"x-open": f"<{ident}>", "x-close": f"</{ident}>"}.get(
                child.get("ctype", ""), f"<{ident}/>"))
        else:
            parts.append(text_of(child))
        parts.append(child.tail or "")
    return "".join(parts)


def _read_file(file: etree._Element, path: Path) -> Document:
    # `original` is a path as the tool saw it (a Windows one too): the article is its last part.
    original = re.split(r"[/\\]", file.get("original") or path.name)[-1]
    document = Document(name=PurePosixPath(original).stem, path=path, article=original,
                        source_lang=file.get("source-language") or "en",
                        target_lang=file.get("target-language") or None)
    document.segments = [_read_unit(unit) for unit in file.iter("{*}trans-unit")]
    return document


def _read_unit(unit: etree._Element) -> Segment:
    source = target = None
    comments = []
    for child in unit:
        name = local_name(child)
        if name == "source" and source is None:
            source = child
        elif name == "target" and target is None:
            target = child
    segment_id = unit.get("id", "")
    if not SEGMENT_ID.fullmatch(segment_id) and SEGMENT_ID.fullmatch(unit.get("resname", "")):
        segment_id = unit.get("resname", "")
    state = target.get("state", "") if target is not None else ""
    approved = unit.get("approved") == "yes" or state in APPROVED_STATES
    segment = Segment(id=segment_id, source=_tagged_text(source), target=_tagged_text(target),
                      paragraph=paragraph_number(segment_id)
                      if SEGMENT_ID.fullmatch(segment_id) else 0, fuzzy=not approved)
    if unit.get("restype", "").startswith("x-"):
        apply_fact(segment, "kind", unit.get("restype")[2:])
    for note in unit.iterchildren("{*}note"):
        text = text_of(note)
        if note.get("from") == "glossator" and _read_note(segment, text):
            continue
        comments.append(text)
    segment.comment = "\n".join(comments)
    if segment.markup:
        settle_markup(segment)
    else:  # not glossator's markup: the words only, as any tool reads them
        segment.source, segment.target = text_of(source), text_of(target)
    return segment


def _read_note(segment: Segment, text: str) -> bool:
    key, _, value = text.partition(": ")
    if key == "pin" and value.endswith(")"):
        # `pin: LINE (NOTE)`: the note starts at the first " (" that leaves it balanced, so
        # parentheses in a pinned form ("Agência (KCNA)") or in the note both read back.
        for found in re.finditer(r" \(", value):
            note = value[found.end():-1]
            if _balanced(note) and apply_fact(segment, "pin", value[:found.start()]):
                segment.pins[-1].note = note
                return True
    return apply_fact(segment, key, value)


def _balanced(text: str) -> bool:
    depth = 0
    for char in text:
        depth += {"(": 1, ")": -1}.get(char, 0)
        if depth < 0:
            return False
    return depth == 0
