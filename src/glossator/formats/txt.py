"""The translated article as the reader gets it: plain text, one paragraph per block; for a
document (Markdown, DOCX: `text.layout`), the document in its own format and extension."""

from __future__ import annotations

from pathlib import PurePath

from glossator.formats.base import Format
from glossator.model import Document
from glossator.text.layout import DOCUMENT_FORMATS


class TextFormat(Format):
    name = "txt"
    extension = "txt"
    readable = False  # made for people: read the PO instead

    def filename(self, document: Document) -> str:
        suffix = PurePath(document.article).suffix
        if suffix.lower() in DOCUMENT_FORMATS:
            return f"{document.name}{suffix}"
        return super().filename(document)

    def render(self, document: Document) -> str | bytes:  # type: ignore[override]
        if document.layout is not None:
            from glossator.formats.documents import render_document

            return render_document(document)
        return document.target_text() + "\n"
