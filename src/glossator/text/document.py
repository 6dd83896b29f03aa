"""An article as a document: its paragraphs cut into segments "paragraph.sentence"."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from glossator.io.names import text_name
from glossator.model import Document, Segment
from glossator.text.article import Article


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
                        path=article.path, article=text_name(article.path.name))
    for number, paragraph in enumerate(article.paragraphs, start=1):
        protected = protect(paragraph.text) if protect else ()
        for piece in segment_paragraph(paragraph.text, source_lang, protected, paragraph=number,
                                       sentences=paragraph.kind == "body"):
            document.segments.append(Segment(id=piece.id, source=piece.text, paragraph=number,
                                             kind=paragraph.kind, notes=list(piece.notes)))
    if article.dropped:
        document.dropped = [line for _rule, line in article.dropped]
        document.header_notes.append(article.dropped_summary() + ": "
                                     + " | ".join(document.dropped))
    return document
