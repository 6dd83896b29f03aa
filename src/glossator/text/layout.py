"""The one interface of document formats (Markdown, DOCX ...): what a reader gives the pipeline
and what the writer of the format gets back.

A reader (`text.markdown`, `text.docx`) turns a file into an `Article` whose paragraphs are the
document's translatable blocks (a heading, a paragraph, a list item, a table cell ...), in
order, each with its plain text and its inline markup as `model.Tag`s (offsets into the plain
text, names "b0", "a1" numbered in the paragraph), and `Article.layout`, a `Layout`: the parsed
source and, for each paragraph, how its markup is written (`Inline`). Everything between is the
pipeline of a text article: paragraphs cut into segments (their tags cut with them), pinned,
translated; the segments' targets carry the tags written in (`model.tagged`), as PO and XLIFF
show them and people edit them.

The writer of the format (`formats.documents.write_document`) takes the layout and, for each
paragraph, its translated plain text and tags (or None: keep the source's bytes), and writes
the document: every byte it was not asked to change (code blocks, front matter, images,
styles, fields) as it was, each tag's markup around the words it now covers.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from glossator.model import Tag, tag_number

# Extensions of document formats → the name of their format; anything else is a text article.
DOCUMENT_FORMATS = {".md": "markdown", ".markdown": "markdown"}
DOCUMENT_FORMATS |= {".docx": "docx", ".odt": "odt"}  # zip packages: text.docx, text.odt
DOCUMENT_FORMATS |= {".html": "html", ".htm": "html"}


@dataclass(frozen=True)
class Inline:
    """How one markup of a paragraph is written in its format: a pair's opening and closing
    (Markdown "**" and "**", "[" and "](url)"), or a point's whole text (an image, inline
    code); `data` is what a binary format needs instead (a DOCX run's properties)."""

    letter: str  # model.TAG_LETTERS
    opening: str = ""
    closing: str = ""
    point: bool = False
    data: object = None


@dataclass
class Block:
    """One paragraph of a document as its format holds it: where it is and its markups, in the
    order of their tag numbers."""

    inlines: list[Inline] = field(default_factory=list)
    where: object = None  # the format's own handle: a source span, a DOCX paragraph


@dataclass
class Layout:
    """A parsed document: its format's name, its extension, the source (text or bytes) and a
    `Block` for each paragraph of the article, in order."""

    format: str
    extension: str
    source: str | bytes
    blocks: list[Block] = field(default_factory=list)
    parsed: object = None  # the format library's own object (an odfpy document)


def paragraph_tags(inlines: list[Inline], tags: list[Tag]) -> list[tuple[Tag, Inline]]:
    """Each of `tags` that names a markup of this paragraph (its number and letter) with that
    markup: a point markup as a point at the tag's start; a point tag for a pair markup, or a
    tag of no markup here, left out (its words are kept, without it)."""
    found = []
    for tag in tags:
        number = tag_number(tag.name)
        if number >= len(inlines) or inlines[number].letter != tag.name[0]:
            continue
        inline = inlines[number]
        if inline.point:
            found.append((Tag(tag.name, tag.start, tag.start, point=True), inline))
        elif not tag.point:
            found.append((tag, inline))
    return found


def tag_list(inlines: list[Inline], spans: list[tuple[int, int]]) -> list[Tag]:
    """The tags of a paragraph from its markups and their spans in the plain text."""
    return [Tag(f"{inline.letter}{number}", start, end, point=inline.point)
            for number, (inline, (start, end)) in enumerate(zip(inlines, spans))]
