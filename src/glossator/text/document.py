"""An article as a document: its paragraphs cut into segments "paragraph.sentence"."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from glossator.io.names import text_name
from glossator.languages import base_language
from glossator.model import Document, Segment
from glossator.text.article import Article


def build_document(article: Article, source_lang: str,
                   protect: Callable[[str], Sequence[tuple[int, int]]] | None = None) -> Document:
    """Split an article's paragraphs into segments "paragraph.sentence".

    Title and dateline stay one segment each; `protect` gives spans no boundary may cut. A
    sentence (or title) over `MAX_SEGMENT_CHARS` is cut at clause boundaries into several
    segments, numbered on as sentences are, each with an informational note that says so.
    """
    from glossator.text.segmenter import (
        MAX_SEGMENT_CHARS,
        clause_spans,
        sentence_spans,
        split_note,
    )

    document = Document(name=text_name(article.name), source_lang=source_lang,
                        path=article.path, article=text_name(article.path.name))
    for number, paragraph in enumerate(article.paragraphs, start=1):
        text = paragraph.text
        protected = protect(text) if protect else ()
        if paragraph.kind == "body":
            spans = sentence_spans(text, base_language(source_lang), protected)
        else:
            spans = [(0, len(text))]
        index = 0
        for start, end in spans:
            pieces = clause_spans(text, start, end, protected, MAX_SEGMENT_CHARS)
            first = index + 1
            for piece_start, piece_end in pieces:
                index += 1
                document.segments.append(Segment(id=f"{number}.{index}",
                                                 source=text[piece_start:piece_end],
                                                 paragraph=number, kind=paragraph.kind))
            if len(pieces) > 1:
                note = split_note(f"{number}.{first}", f"{number}.{index}", end - start,
                                  MAX_SEGMENT_CHARS)
                for segment in document.segments[-len(pieces):]:
                    segment.notes.append(note)
    if article.dropped:
        document.dropped = [line for _rule, line in article.dropped]
        document.header_notes.append(article.dropped_summary() + ": "
                                     + " | ".join(document.dropped))
    return document
