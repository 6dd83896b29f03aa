"""Write a translated document in its own format (`text.layout`): the writer of each format
gets, for every paragraph of the layout, its translated plain text and tags, or None where the
paragraph is to stay as the source has it (untranslated, or translated into itself)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from glossator.errors import FormatError
from glossator.model import Document, Tag, untagged
from glossator.text.layout import Layout

Paragraph = tuple[str, list[Tag]] | None


def document_paragraphs(document: Document, layout: Layout) -> list[Paragraph]:
    """Each paragraph of `layout` as `document`'s segments translate it: their targets (the
    source where a segment has none, as `glossator build` keeps it) joined by a space, tags
    read from them and moved to their place in the paragraph; None where that is the source's
    text and markup unchanged."""
    grouped: dict[int, list] = {}
    for segment in document.segments:
        grouped.setdefault(segment.paragraph, []).append(segment)
    paragraphs: list[Paragraph] = []
    for number in range(1, len(layout.blocks) + 1):
        segments = grouped.get(number, [])
        texts: list[str] = []
        tags: list[Tag] = []
        unchanged = True
        length = 0
        for segment in segments:
            names = [tag.name for tag in segment.markup]
            if segment.target.strip():
                plain, found = untagged(segment.target, names)
            else:
                plain, found = segment.source, list(segment.markup)
            unchanged = unchanged and plain == segment.source and found == segment.markup
            if texts:
                length += 1
            tags.extend(Tag(t.name, t.start + length, t.end + length, t.point) for t in found)
            texts.append(plain)
            length += len(plain)
        paragraphs.append(None if unchanged else (" ".join(texts), _joined(tags)))
    return paragraphs


def _joined(tags: list[Tag]) -> list[Tag]:
    """One pair where a name's pairs meet across a segment boundary (a bold run cut by a
    sentence end): "<b0>a.</b0> <b0>b</b0>" is written as one run."""
    joined: list[Tag] = []
    for tag in tags:
        before = next((t for t in reversed(joined) if t.name == tag.name and not t.point), None)
        if before is not None and not tag.point and tag.start - before.end <= 1:
            joined[joined.index(before)] = Tag(tag.name, before.start, tag.end)
        else:
            joined.append(tag)
    return joined


def placed(layout: Layout, paragraphs: Sequence[Paragraph], elements: Sequence[Any],
           what: str) -> Iterator[tuple[Any, str, list[Tag]]]:
    """For a word processor's document (DOCX, ODT), each paragraph to write: its element of
    `elements` (the story's paragraphs in order, as the reader numbered them, `Block.where`),
    its translated text and tags; FormatError where the document (`what`) no longer has it."""
    for block, paragraph in zip(layout.blocks, paragraphs):
        if paragraph is None:
            continue
        index = block.where
        assert isinstance(index, int)
        if index > len(elements):
            raise FormatError(f"the {what} changed since it was read")
        yield elements[index - 1], *paragraph


def write_document(layout: Layout, paragraphs: Sequence[Paragraph],
                   language: str = "") -> str | bytes:
    """The document `layout` holds with `paragraphs` written in, in `language` (a web page
    says which it is in)."""
    if layout.format == "markdown":
        from glossator.formats.markdown import write_markdown

        return write_markdown(layout, paragraphs)
    if layout.format == "docx":
        from glossator.formats.docx import write_docx

        return write_docx(layout, paragraphs)
    if layout.format == "odt":
        from glossator.formats.odt import write_odt

        return write_odt(layout, paragraphs)
    if layout.format in ("html", "webpage"):
        from glossator.formats.htmldoc import write_html

        return write_html(layout, paragraphs, language)
    raise FormatError(f"no writer for {layout.format} documents")


def render_document(document: Document) -> str | bytes:
    """`document`'s translation in its source's format."""
    layout = document.layout
    if not isinstance(layout, Layout):
        raise FormatError("not a document of a document format", path=document.path)
    return write_document(layout, document_paragraphs(document, layout),
                          document.target_lang or "")
