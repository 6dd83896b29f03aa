"""Write a translated Markdown document (`text.markdown` read it): each paragraph's content
lines replaced by its translation on one line, its markup written around the words it covers
with the source's own bytes (a link's target as it was); every other byte of the file kept."""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from itertools import pairwise

from glossator.model import Tag, tag_ends
from glossator.text.layout import Block, Layout, paragraph_tags

_SPECIAL = re.compile(r"([\\`*_\[\]<>|])")
_ENTITY = re.compile(r"&(?=[#A-Za-z0-9]+;)")
_LINE_START = re.compile(r"\A(?:([#>+=-])|(\d+)([.)]))(?=\s|\Z)")


def write_markdown(layout: Layout, paragraphs: Sequence[tuple[str, list[Tag]] | None]) -> str:
    source = layout.source
    assert isinstance(source, str)
    edits: list[tuple[int, int, str]] = []
    for block, paragraph in zip(layout.blocks, paragraphs):
        if paragraph is None:
            continue
        spans = block.where.spans  # type: ignore[attr-defined]
        if block.where.yaml:  # type: ignore[attr-defined]
            # JSON's string is a YAML double-quoted scalar: any translation reads back as itself.
            edits.append((*spans[0], json.dumps(paragraph[0], ensure_ascii=False)))
            continue
        edits.append((spans[0][0], spans[0][1], _inline(block, *paragraph)))
        edits.extend((before[1], after[1], "") for before, after in pairwise(spans))
    parts, cursor = [], 0
    for start, end, text in sorted(edits):
        parts.append(source[cursor:start])
        parts.append(text)
        cursor = end
    parts.append(source[cursor:])
    return "".join(parts)


def _inline(block: Block, text: str, tags: list[Tag]) -> str:
    """A paragraph's content on one line: its text escaped, its tags as their bytes."""
    prefix = block.where.prefix  # type: ignore[attr-defined]
    found = paragraph_tags(block.inlines, tags)
    inlines = {tag.name: inline for tag, inline in found}
    parts, cursor = [], 0
    for offset, what, tag in tag_ends(tag for tag, _inline in found):
        inline = inlines[tag.name]
        parts.append(_escape(text[cursor:offset], cursor == 0))
        parts.append(inline.closing if what == "close" else
                     inline.opening.replace("\n", "\n" + prefix) if what == "point" else
                     inline.opening)
        cursor = offset
    parts.append(_escape(text[cursor:], cursor == 0))
    return "".join(parts).strip(" ")


def _escape(text: str, at_start: bool) -> str:
    """Text that Markdown reads back as this text, none of it markup ("|" escaped too, for a
    table cell; a line's start that would open a block, a heading or a list, escaped)."""
    text = _ENTITY.sub(r"\\&", _SPECIAL.sub(r"\\\1", text))
    if at_start:
        text = _LINE_START.sub(lambda m: f"\\{m[1]}" if m[1] else f"{m[2]}\\{m[3]}",
                               text.lstrip(" "))
    return text
