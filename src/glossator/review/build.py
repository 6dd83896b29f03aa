"""The final article from a reviewed PO (`glossator build`): the PO's translations as they
stand, a person's text winning since no run is involved, and a segment with no translation
kept in the source language, so the article is whole; with what is not reviewed named."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from pathlib import Path

from glossator.errors import InputError
from glossator.model import REVIEWED, Document

SHOWN_IDS = 20  # segment ids a warning lists before it says "…"


@dataclass(frozen=True)
class BuiltArticle:
    """The final article's text and the segments a reader of it should know about."""

    # the translated article, paragraphs apart by a blank line, ending in a newline; a
    # document's in its own format (Markdown text, DOCX bytes)
    text: str | bytes
    segments: int  # how many segments the PO holds
    unreviewed: list[str]  # ids of the segments no person approved (or with no translation)
    untranslated: list[str]  # ids of the segments kept in the source language

    def unreviewed_count(self) -> str:
        """"N of M segments not reviewed", for the warning or the error that lists them."""
        return f"{len(self.unreviewed)} of {self.segments} segments not reviewed"

    def unreviewed_shown(self) -> str:
        """The first `SHOWN_IDS` unreviewed ids, "…" after them where there are more."""
        more = " …" if len(self.unreviewed) > SHOWN_IDS else ""
        return ", ".join(self.unreviewed[:SHOWN_IDS]) + more

    def untranslated_line(self) -> str:
        return (f"{len(self.untranslated)} segment(s) without a translation kept in the "
                f"source language: {', '.join(self.untranslated)}")


def build_article(document: Document, source: bytes | None = None,
                  source_path: Path | None = None) -> BuiltArticle:
    """The final article of a translated `document` (read from its PO); `document` is left
    as it is. A document of a document format (Markdown ...) is written in its format from
    its `source` (the article's bytes, read from `source_path`), which must be the article
    the PO translates; InputError where it is not."""
    untranslated = [s.id for s in document.segments if not s.target.strip()]
    unreviewed = [s.id for s in document.segments
                  if s.state != REVIEWED or not s.target.strip()]
    whole = replace(document, segments=[
        segment if segment.target.strip() else replace(segment, target=segment.tagged_source)
        for segment in document.segments])
    if source is not None and source_path is not None:
        from glossator.formats.documents import render_document

        whole.layout = _layout(document, source, source_path)
        return BuiltArticle(render_document(whole), len(document.segments), unreviewed,
                            untranslated)
    return BuiltArticle(whole.target_text() + "\n", len(document.segments), unreviewed,
                        untranslated)


def _layout(document: Document, source: bytes, path: Path) -> object:
    """The layout of the article `source`, checked to be the one `document` translates:
    paragraph for paragraph the same text."""
    from glossator.text.sources import parse_source

    article = parse_source(source, path)
    spaces = re.compile(r"\s+")
    have = [spaces.sub(" ", p.text).strip() for p in article.paragraphs]
    want = [spaces.sub(" ", " ".join(s.source for s in paragraph)).strip()
            for paragraph in document.paragraphs()]
    if have != want:
        changed = next((i for i, (a, b) in enumerate(zip(have, want), 1) if a != b),
                       min(len(have), len(want)) + 1)
        raise InputError(f"is not the article this PO translates (paragraph {changed} "
                         "differs): translate it again, or name the right one with --source",
                         path=path)
    return article.layout
