"""The translated article as plain text, one paragraph per block."""

from __future__ import annotations

from glossator.formats.base import Format
from glossator.model import Document


class TextFormat(Format):
    name = "txt"
    extension = "txt"
    readable = False  # made for people: read the PO instead

    def render(self, document: Document) -> str:
        return document.target_text() + "\n"
