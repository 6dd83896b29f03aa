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

Notes: `note: ...` for a pin that did not land and `qa: ...` for a QA finding (priority 1,
so tools list them first), `pin: SOURCE → PINNED | ACCEPTED...` for each pinned term.
"""

from __future__ import annotations

from lxml import etree

from glossator import __version__
from glossator.formats.base import Format
from glossator.formats.tmx import xml_safe
from glossator.languages import tag_language
from glossator.model import Document, Pin, Segment

NS = "urn:oasis:names:tc:xliff:document:1.2"
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"

MACHINE_STATE = "needs-review-translation"
REVIEWED_STATE = "signed-off"


class XLIFFFormat(Format):
    name = "xliff"
    extension = "xlf"

    def render(self, document: Document) -> str:
        root = etree.Element(f"{{{NS}}}xliff", version="1.2", nsmap={None: NS})
        file = _sub(root, "file", {
            "original": document.path.name if document.path else document.name,
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
    _sub(unit, "source", None, segment.source)
    if segment.target or not segment.fuzzy:
        state = {"state": REVIEWED_STATE} if not segment.fuzzy else {
            "state": MACHINE_STATE, "state-qualifier": "mt-suggestion"}
        _sub(unit, "target", state, segment.target)
    for note in segment.notes:
        _sub(unit, "note", {"from": "glossator", "priority": "1"}, f"note: {note}")
    for finding in segment.qa:
        _sub(unit, "note", {"from": "glossator", "priority": "1"}, f"qa: {finding}")
    for pin in segment.pins:
        _sub(unit, "note", {"from": "glossator", "annotates": "source"}, _pin_line(pin))


def _pin_line(pin: Pin) -> str:
    line = f"pin: {pin.line()}"
    return f"{line} ({pin.note})" if pin.note else line
