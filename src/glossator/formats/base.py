"""The interface of a file format: render a translated document to text, and read one back.

Each format fills in only what differs: its name and extension as class attributes, `render`,
and `read` where the format can hold a whole document (PO, TMX, XLIFF, TSV). HTML and plain
text are made for people and are write-only (`readable = False`).
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from pathlib import Path
from typing import ClassVar

from glossator.errors import FormatError
from glossator.model import Document


class Format(ABC):
    """A bilingual (or target-only) file format; `render` is pure: no files, no engines."""

    name: ClassVar[str]
    extension: ClassVar[str]
    aliases: ClassVar[tuple[str, ...]] = ()  # other extensions files of this format have
    readable: ClassVar[bool] = True

    def filename(self, document: Document) -> str:
        return f"{document.name}.{self.extension}"

    @abstractmethod
    def render(self, document: Document) -> str:
        """The whole file's text for a document whose segments carry their targets."""

    def read(self, path: Path) -> Document:
        """The document a file of this format holds: segment ids, texts, review state and what
        glossator recorded about each segment; FormatError (file, line) for a malformed file."""
        raise FormatError(f"{self.name} files are written for people and cannot be read back",
                          path=path)

    def read_documents(self, path: Path) -> list[Document]:
        """Every document a file holds, in file order: one, but for formats that can hold
        several articles (XLIFF's `<file>`s)."""
        return [self.read(path)]
