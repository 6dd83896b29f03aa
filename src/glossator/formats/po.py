"""Gettext PO: one entry per segment, msgctxt = segment id, so repeated sentences never collide."""

from __future__ import annotations

from datetime import datetime, timezone

import polib

from glossator import __version__
from glossator.formats.base import Format
from glossator.languages import plural_forms
from glossator.model import Document, Segment


class POFormat(Format):
    name = "po"
    extension = "po"

    def render(self, document: Document) -> str:
        return str(build_pofile(document))


def build_pofile(document: Document) -> polib.POFile:
    now = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M+0000")
    language = document.target_lang or ""
    pofile = polib.POFile(wrapwidth=0)
    header = [f"{document.name}: {document.source_lang} → {language}, made by glossator"]
    if document.signature:
        header.append(f"signature: {document.signature}")
    header.extend(document.header_notes)
    pofile.header = "\n".join(header)
    pofile.metadata = {
        "Project-Id-Version": document.name,
        "Report-Msgid-Bugs-To": "",
        "POT-Creation-Date": now,
        "PO-Revision-Date": now,
        "Last-Translator": "glossator (machine translation)",
        "Language-Team": "none",
        "Language": language,
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
        "Plural-Forms": plural_forms(language) if language else "nplurals=2; plural=(n != 1);",
        "X-Generator": f"glossator {__version__}",
    }
    source_name = document.path.name if document.path else document.name
    for segment in document.segments:
        pofile.append(_entry(segment, source_name))
    return pofile


def _entry(segment: Segment, source_name: str) -> polib.POEntry:
    comments = [segment.kind] if segment.kind != "body" else []
    if segment.pins:
        pinned = "; ".join(f"{pin.source_text} → {pin.target_text}" for pin in segment.pins)
        comments.append(f"pins: {pinned}")
    comments.extend(segment.notes)
    return polib.POEntry(
        msgctxt=segment.id,
        msgid=segment.source,
        msgstr=segment.target,
        occurrences=[(source_name, str(segment.paragraph))],
        comment="\n".join(comments),
        flags=["fuzzy"] if segment.fuzzy else [],
        previous_msgid=segment.previous_source,
    )
