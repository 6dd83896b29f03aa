"""Write a translated OpenDocument text (`text.odt` read it): the source loaded again with
odfpy, each translated paragraph's content replaced by its translation, each stretch in a copy
of the `text:span` nest its words came from (`text.runs.lay_out`), a link's words in a copy of
its `text:a`, every point (note, frame, field) the source's own element at its place; the
paragraph's own element and style, every untranslated paragraph, the styles and the pictures
as odfpy read them."""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from itertools import groupby
from operator import attrgetter
from pathlib import Path
from typing import Any

from glossator.formats.documents import placed
from glossator.model import Tag
from glossator.text.layout import Layout
from glossator.text.odt import TEXT, Flat, SpanStyles, open_odt, read_paragraph, story_paragraphs
from glossator.text.runs import Marked, lay_out

_SPACE_RUN = re.compile(r"(?<= ) +|^ +")


def write_odt(layout: Layout, paragraphs: Sequence[tuple[str, list[Tag]] | None]) -> bytes:
    source = layout.source
    assert isinstance(source, bytes)
    document = open_odt(source, Path(f"source.{layout.extension}"))
    styles = SpanStyles(document)
    # Collected first: rewriting a paragraph moves its elements (a note's paragraphs with it).
    elements = [element for element, _ in story_paragraphs(document)]
    for element, text, tags in placed(layout, paragraphs, elements, "ODT"):
        _rewrite(element, *read_paragraph(element, styles), text, tags)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _rewrite(element: Any, flat: Flat, marked: Marked, text: str, tags: list[Tag]) -> None:
    for child in list(element.childNodes):
        _detach(element, child)
    for marker in flat.markers:
        element.appendChild(marker)
    for link, outs in groupby(lay_out(text, tags, marked), key=attrgetter("link")):
        linked = element
        if link is not None:  # the words of one link go in a copy of its text:a
            linked = _shell(flat.links[link])
            element.appendChild(linked)
        for out in outs:
            if out.point is not None:
                linked.appendChild(flat.points[out.point])
                continue
            container = linked
            for span in flat.spans.get(out.style, []):
                inner = _shell(span)
                container.appendChild(inner)
                container = inner
            _add_text(container, out.text)


def _detach(parent: Any, child: Any) -> None:
    """`child` out of `parent`; odfpy's removeChild fails on a text node, so that is unlinked
    here."""
    if child.nodeType != child.TEXT_NODE:
        parent.removeChild(child)
        return
    parent.childNodes.remove(child)
    if child.previousSibling is not None:
        child.previousSibling.nextSibling = child.nextSibling
    if child.nextSibling is not None:
        child.nextSibling.previousSibling = child.previousSibling
    child.parentNode = child.previousSibling = child.nextSibling = None


def _shell(element: Any) -> Any:
    """An element of `element`'s name and attributes, without its children."""
    from odf.element import Element

    shell = Element(qname=element.qname, check_grammar=False)
    for (namespace, local), value in element.attributes.items():
        shell.setAttrNS(namespace, local, value)
    return shell


def _add_text(container: Any, text: str) -> None:
    """`text` as ODF keeps it: a space after a space (or at the start) as `text:s`."""
    from odf.element import Element, Text

    cursor = 0
    for match in _SPACE_RUN.finditer(text):
        if match.start() > cursor:
            container.appendChild(Text(text[cursor:match.start()]))
        spaces = Element(qname=(TEXT, "s"), check_grammar=False)
        if len(match.group()) > 1:
            spaces.setAttrNS(TEXT, "c", str(len(match.group())))
        container.appendChild(spaces)
        cursor = match.end()
    if cursor < len(text):
        container.appendChild(Text(text[cursor:]))
