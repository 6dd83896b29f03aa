"""A word-processor paragraph (DOCX, ODT) as plain text and tags, and back: the part of their
readers and writers that does not depend on the format.

A format's reader flattens a paragraph into `Piece`s in order: text with its formatting (a
hashable key: a DOCX run's properties, an ODT span's style names) and the link it is in, and
points (an image, a footnote reference, a field: kept whole, never translated). `mark` merges
neighbouring text of equal formatting (a run split by spell-check or revision marks is one
run again), takes the formatting of most of the paragraph's text as its base, and makes a tag
of each stretch formatted otherwise, each link and each point (`text.layout`). `lay_out` is
the way back: the translated text cut where its tags begin and end, each piece with the
formatting and the link its innermost tags give it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from glossator.errors import InputError
from glossator.model import Tag, tag_number
from glossator.text.article import Article, Paragraph
from glossator.text.layout import Block, Inline, Layout, tag_list

# Which formatting names a tag's letter, in this order of preference (model.TAG_LETTERS).
FORMATTING_LETTERS = ("b", "i", "u", "s")


@dataclass(frozen=True)
class Piece:
    """A stretch of a paragraph: text (`point` None) or a point (`point`: its index in the
    format's own list of kept elements, `letter` what it is)."""

    text: str = ""
    style: Hashable = None
    link: int | None = None  # the index of the link it is in
    point: int | None = None
    letter: str = "x"


@dataclass
class Marked:
    """A paragraph read: its plain text, its tags and their markups (`Inline.data`: a pair's
    formatting key, a link's (index, base key), a point's index), and its base formatting."""

    plain: str
    tags: list[Tag]
    inlines: list[Inline]
    base: Hashable


def merged(pieces: Sequence[Piece]) -> list[Piece]:
    """Neighbouring text of the same formatting and link as one piece; empty text left out."""
    out: list[Piece] = []
    for piece in pieces:
        if piece.point is None and not piece.text:
            continue
        last = out[-1] if out else None
        if (last is not None and piece.point is None and last.point is None
                and (last.style, last.link) == (piece.style, piece.link)):
            out[-1] = Piece(last.text + piece.text, last.style, last.link)
        else:
            out.append(piece)
    return out


def _dominant(pieces: Sequence[Piece], default: Hashable) -> Hashable:
    weights: Counter[Hashable] = Counter()
    for piece in pieces:
        if piece.point is None:
            weights[piece.style] += len(piece.text.strip()) or 0
    if not weights:
        return default
    best = max(weights.values())
    return next(piece.style for piece in pieces
                if piece.point is None and weights[piece.style] == best)


def mark(pieces: Sequence[Piece],
         properties: Callable[[Hashable], frozenset[str]]) -> Marked:
    """The plain text and tags of a paragraph's pieces; `properties` says which of
    `FORMATTING_LETTERS` a formatting key holds, for the letter of its tag ("g" for any other
    difference: a colour, a font)."""
    pieces = merged(pieces)
    base = _dominant([p for p in pieces if p.link is None], None)
    if all(p.link is not None for p in pieces if p.point is None):
        base = _dominant(pieces, None)
    link_bases = {link: _dominant([p for p in pieces if p.link == link], base)
                  for link in {p.link for p in pieces if p.link is not None}}
    text: list[str] = []
    offset = 0
    inlines: list[Inline] = []
    spans: list[tuple[int, int]] = []
    open_link: tuple[int | None, int] = (None, -1)  # (link, index of its inline)
    for piece in pieces:
        if piece.link != open_link[0]:
            if open_link[0] is not None:
                spans[open_link[1]] = (spans[open_link[1]][0], offset)
            open_link = (piece.link, len(inlines))
            if piece.link is not None:
                inlines.append(Inline("a", data=(piece.link, link_bases[piece.link])))
                spans.append((offset, offset))
        if piece.point is not None:
            inlines.append(Inline(piece.letter, point=True, data=piece.point))
            spans.append((offset, offset))
            continue
        context = link_bases[piece.link] if piece.link is not None else base
        if piece.style != context and piece.text.strip():
            gained = properties(piece.style) - properties(context)
            letter = next((x for x in FORMATTING_LETTERS if x in gained), "g")
            inlines.append(Inline(letter, data=piece.style))
            spans.append((offset, offset + len(piece.text)))
        text.append(piece.text)
        offset += len(piece.text)
    if open_link[0] is not None:
        spans[open_link[1]] = (spans[open_link[1]][0], offset)
    return Marked("".join(text), tag_list(inlines, spans), inlines, base)


@dataclass(frozen=True)
class Out:
    """A piece of a translated paragraph to write: text with formatting `style` (a point's
    index in `point` instead), in link `link` (its index) or in none."""

    text: str
    style: Hashable
    link: int | None
    point: int | None = None


def lay_out(text: str, tags: Sequence[Tag], marked: Marked) -> list[Out]:
    """The translated `text` of a paragraph `marked` read, cut by its `tags`: a tag not of
    this paragraph (another name, a pair read as a point) is left out, its words kept."""
    inlines = marked.inlines
    valid = [tag for tag in tags
             if tag_number(tag.name) < len(inlines)
             and inlines[tag_number(tag.name)].letter == tag.name[0]
             and inlines[tag_number(tag.name)].point == tag.point]
    pairs = [tag for tag in valid if not tag.point and tag.start < tag.end]
    points = sorted((tag for tag in valid if tag.point), key=lambda t: (t.start,
                                                                         tag_number(t.name)))
    cuts = sorted({0, len(text), *(t.start for t in pairs), *(t.end for t in pairs),
                   *(t.start for t in points)})
    out: list[Out] = []

    def innermost(found: list[Tag]) -> Tag | None:
        return max(found, key=lambda t: (t.start, -t.end), default=None)

    source_at = {tag.name: tag.start for tag in marked.tags if tag.point}
    for index, cut in enumerate(cuts):
        for point in (p for p in points if p.start == cut):
            link = innermost([t for t in pairs if t.name[0] == "a" and t.start < cut < t.end])
            before, after = _spaced(marked.plain, source_at.get(point.name))
            if before and cut == len(text) and text[-1:] not in ("", " "):
                out.append(Out(" ", marked.base, None))  # "Page <field>" kept apart
            out.append(Out("", None, _link_index(link, inlines),
                           inlines[tag_number(point.name)].data))  # type: ignore[arg-type]
            if after and cut == 0 and text[:1] not in ("", " "):
                out.append(Out(" ", marked.base, None))
        if index + 1 == len(cuts) or not text[cut:cuts[index + 1]]:
            continue
        end = cuts[index + 1]
        active = [t for t in pairs if t.start <= cut and end <= t.end]
        link = innermost([t for t in active if t.name[0] == "a"])
        formatting = innermost([t for t in active if t.name[0] != "a"])
        if formatting is not None:
            style = inlines[tag_number(formatting.name)].data
        elif link is not None:
            style = inlines[tag_number(link.name)].data[1]  # type: ignore[index]
        else:
            style = marked.base
        out.append(Out(text[cut:end], style, _link_index(link, inlines)))
    return out


def _spaced(plain: str, offset: int | None) -> tuple[bool, bool]:
    """Whether the source has a space just before and just after a point at `offset`: the
    segments' text is stripped, so a point at a paragraph's edge loses it."""
    if offset is None:
        return False, False
    return plain[offset - 1:offset].isspace(), plain[offset:offset + 1].isspace()


def _link_index(tag: Tag | None, inlines: Sequence[Inline]) -> int | None:
    if tag is None:
        return None
    return inlines[tag_number(tag.name)].data[0]  # type: ignore[index]


def package_article(path: Path, layout: Layout, story: Iterable[tuple[Any, str]],
                    read: Callable[[Any], Marked], what: str) -> Article:
    """The article of a word processor's document (DOCX, ODT): each paragraph of its `story`
    (element, kind) read into plain text and tags (`read`), numbered by its place in the
    story, which `layout` keeps for the writer; empty paragraphs left out. InputError where
    none holds text (`what` names the format)."""
    paragraphs: list[Paragraph] = []
    for index, (element, kind) in enumerate(story, start=1):
        marked = read(element)
        if not marked.plain.strip():
            continue
        layout.blocks.append(Block(marked.inlines, index))
        paragraphs.append(Paragraph(text=marked.plain, kind=kind, line=index,
                                    tags=marked.tags))
    if not paragraphs:
        raise InputError(f"{what} with no text to translate", path=path)
    return Article(path=path, paragraphs=paragraphs, layout=layout)
