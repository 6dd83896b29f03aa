"""The final article from a reviewed PO (`glossator build`): the PO's translations as they
stand, a person's text winning since no run is involved, and a segment with no translation
kept in the source language, so the article is whole; with what is not reviewed named."""

from __future__ import annotations

from dataclasses import dataclass, replace

from glossator.model import REVIEWED, Document

SHOWN_IDS = 20  # segment ids a warning lists before it says "…"


@dataclass(frozen=True)
class BuiltArticle:
    """The final article's text and the segments a reader of it should know about."""

    text: str  # the translated article, paragraphs apart by a blank line, ending in a newline
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


def build_article(document: Document) -> BuiltArticle:
    """The final article of a translated `document` (read from its PO); `document` is left
    as it is."""
    untranslated = [s.id for s in document.segments if not s.target.strip()]
    unreviewed = [s.id for s in document.segments
                  if s.state != REVIEWED or not s.target.strip()]
    whole = replace(document, segments=[
        segment if segment.target.strip() else replace(segment, target=segment.source)
        for segment in document.segments])
    return BuiltArticle(whole.target_text() + "\n", len(document.segments), unreviewed,
                        untranslated)
