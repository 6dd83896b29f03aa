"""The interface of an output format: render a translated document to text."""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import ClassVar

from glossator.model import Document


class Format(ABC):
    """A bilingual (or target-only) file format; `render` is pure: no files, no engines."""

    name: ClassVar[str]
    extension: ClassVar[str]

    def filename(self, document: Document) -> str:
        return f"{document.name}.{self.extension}"

    @abstractmethod
    def render(self, document: Document) -> str:
        """The whole file's text for a document whose segments carry their targets."""
