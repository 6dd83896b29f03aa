"""An article as a document: its paragraphs cut into segments "paragraph.sentence"."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from glossator.io.names import text_name
from glossator.model import Document, Segment, Tag
from glossator.text.article import Article

if TYPE_CHECKING:
    from glossator.text.segmenter import SegmentPiece


def build_document(article: Article, source_lang: str,
                   protect: Callable[[str], Sequence[tuple[int, int]]] | None = None) -> Document:
    """Split an article's paragraphs into segments "paragraph.sentence".

    Title and dateline stay one segment each; `protect` gives spans no boundary may cut. A
    sentence (or title) over `MAX_SEGMENT_CHARS` is cut at clause boundaries into several
    segments, numbered on as sentences are, each with an informational note that says so
    (`text.segmenter.segment_paragraph`).
    """
    from glossator.text.segmenter import segment_paragraph

    document = Document(name=text_name(article.name), source_lang=source_lang,
                        path=article.path, article=text_name(article.path.name),
                        layout=article.layout)
    for number, paragraph in enumerate(article.paragraphs, start=1):
        protected = protect(paragraph.text) if protect else ()
        pieces = segment_paragraph(paragraph.text, source_lang, protected, paragraph=number,
                                   sentences=paragraph.kind == "body")
        markups = cut_tags(paragraph.tags, pieces)
        for piece, markup in zip(pieces, markups):
            document.segments.append(Segment(id=piece.id, source=piece.text, paragraph=number,
                                             kind=paragraph.kind, notes=list(piece.notes),
                                             markup=markup))
    if article.dropped:
        document.dropped = [line for _rule, line in article.dropped]
        document.header_notes.append(article.dropped_summary() + ": "
                                     + " | ".join(document.dropped))
    return document


def cut_tags(tags: Sequence[Tag], pieces: Sequence[SegmentPiece]) -> list[list[Tag]]:
    """A paragraph's tags cut with it: each segment's, offsets into its text. A pair that
    spans a boundary goes to each segment it covers words of, with one name in all; a point
    goes to the segment it is in (the one before, when it is between two)."""
    cut: list[list[Tag]] = [[] for _ in pieces]
    if not pieces:
        return cut
    for tag in tags:
        if tag.point:
            index = max([i for i, piece in enumerate(pieces) if piece.start <= tag.start],
                        default=0)
            piece = pieces[index]
            offset = min(max(tag.start, piece.start), piece.end) - piece.start
            cut[index].append(Tag(tag.name, offset, offset, point=True))
            continue
        for index, piece in enumerate(pieces):
            start, end = max(tag.start, piece.start), min(tag.end, piece.end)
            if start < end and piece.text[start - piece.start:end - piece.start].strip():
                cut[index].append(Tag(tag.name, start - piece.start, end - piece.start))
    return cut
