"""Read an OpenDocument text (.odt, by odfpy) as paragraphs with inline markup (`text.layout`).

The paragraphs, in this order: every `text:h` and `text:p` of the body (lists, tables, sections,
notes and frames included, each paragraph once: a footnote's paragraphs are their own, after
the paragraph that cites it), then those of the master pages' headers and footers. A `text:h`,
or a paragraph of style "Title" or "Subtitle", is a title (one segment); the rest are body text.
A paragraph with no text is kept as it is.

A paragraph's content becomes plain text and tags (`text.runs`): text in the same nest of
`text:span`s is one stretch, the stretch of most of the text the base, every other one a tag
(bold, italic, underline, struck through as its automatic style says, else "formatting"); a
`text:a` is a link tag; `text:s` is spaces. Notes, frames (images, text boxes), fields, tabs
and line breaks are points, kept whole; bookmarks and change marks are kept at the paragraph's
start and end. White space is read as ODF renders it (a run of it is one space). Writing is
`formats.odt`.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Hashable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from glossator.errors import InputError
from glossator.io.packages import check_package
from glossator.text.article import Article
from glossator.text.layout import Layout
from glossator.text.runs import Marked, Piece, mark, package_article

TEXT = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
STYLE = "urn:oasis:names:tc:opendocument:xmlns:style:1.0"
FO = "urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0"
_MARKERS = {"bookmark", "bookmark-start", "bookmark-end", "reference-mark",
            "reference-mark-start", "reference-mark-end", "change", "change-start",
            "change-end", "alphabetical-index-mark", "alphabetical-index-mark-start",
            "alphabetical-index-mark-end", "toc-mark", "toc-mark-start", "toc-mark-end"}
_DROPPED = {"soft-page-break"}
_SPACES = re.compile(r"[ \t\r\n]+")
_TITLE_STYLES = {"Title", "Subtitle"}


@dataclass
class Flat:
    """A paragraph taken apart: its pieces (`text.runs`), the element of each point and link,
    the `text:span` nest (outermost first) of each formatting key, and its markers."""

    pieces: list[Piece] = field(default_factory=list)
    points: list[Any] = field(default_factory=list)
    links: list[Any] = field(default_factory=list)
    spans: dict[Hashable, list[Any]] = field(default_factory=dict)
    markers: list[Any] = field(default_factory=list)


def _name(node: Any) -> tuple[str, str] | None:
    return getattr(node, "qname", None)


def flatten(paragraph: Any) -> Flat:
    """The pieces of a `text:p` or `text:h`, in order."""
    flat = Flat()

    def walk(parent: Any, nest: tuple[Any, ...], link: int | None) -> None:
        key = tuple(_shell_key(span) for span in nest)
        flat.spans.setdefault(key, list(nest))
        for child in list(parent.childNodes):
            if child.nodeType == child.TEXT_NODE:
                flat.pieces.append(Piece(_SPACES.sub(" ", child.data), key, link))
                continue
            name = _name(child)
            local = name[1] if name and name[0] == TEXT else None
            if local == "span":
                walk(child, (*nest, child), link)
            elif local == "s":
                count = int(child.getAttrNS(TEXT, "c") or 1)
                flat.pieces.append(Piece(" " * count, key, link))
            elif local == "a":
                if not _text_of(child).strip() or link is not None:
                    _point(flat, child, "a", link)
                    continue
                flat.links.append(child)
                walk(child, nest, len(flat.links) - 1)
            elif local in _MARKERS:
                flat.markers.append(child)
            elif local in _DROPPED:
                continue
            elif local == "note":
                _point(flat, child, "n", link)
            elif name is not None and name[1] == "frame":
                _point(flat, child, "m", link)
            else:  # a tab, a line break, a field, an image's link ...
                _point(flat, child, "x", link)

    walk(paragraph, (), None)
    return flat


def _point(flat: Flat, element: Any, letter: str, link: int | None) -> None:
    flat.pieces.append(Piece(link=link, point=len(flat.points), letter=letter))
    flat.points.append(element)


def _shell_key(span: Any) -> tuple[tuple[str, str, str], ...]:
    return tuple(sorted((ns, local, value) for (ns, local), value in span.attributes.items()))


def _text_of(node: Any) -> str:
    if node.nodeType == node.TEXT_NODE:
        return node.data
    return "".join(_text_of(child) for child in node.childNodes)


class SpanStyles:
    """Which of bold, italic, underline and strike-through a span's style names give."""

    def __init__(self, document: Any) -> None:
        self.found: dict[str, Any] = {}
        for holder in (document.styles, document.automaticstyles):
            for style in holder.childNodes:
                name = style.getAttrNS(STYLE, "name") if _name(style) == (STYLE, "style") \
                    else None
                if name:
                    self.found[name] = style

    def formatting(self, key: Hashable) -> frozenset[str]:
        letters: set[str] = set()
        for attributes in key or ():  # type: ignore[union-attr]
            for ns, local, value in attributes:
                if (ns, local) == (TEXT, "style-name"):
                    letters |= self._letters(value)
        return frozenset(letters)

    def _letters(self, name: str, depth: int = 0) -> set[str]:
        style = self.found.get(name)
        if style is None or depth > 8:
            return set()
        letters: set[str] = set()
        for child in style.childNodes:
            if _name(child) != (STYLE, "text-properties"):
                continue
            if child.getAttrNS(FO, "font-weight") in ("bold", "600", "700", "800", "900"):
                letters.add("b")
            if child.getAttrNS(FO, "font-style") in ("italic", "oblique"):
                letters.add("i")
            if child.getAttrNS(STYLE, "text-underline-style") not in (None, "", "none"):
                letters.add("u")
            if child.getAttrNS(STYLE, "text-line-through-style") not in (None, "", "none"):
                letters.add("s")
        parent = style.getAttrNS(STYLE, "parent-style-name")
        return letters | (self._letters(parent, depth + 1) if parent else set())


def read_paragraph(paragraph: Any, styles: SpanStyles) -> tuple[Flat, Marked]:
    flat = flatten(paragraph)
    return flat, mark(flat.pieces, styles.formatting)


def open_odt(data: bytes, path: Path) -> Any:
    """The odfpy document of an .odt's bytes, checked first (`io.packages`)."""
    check_package(data, path, "ODT", "content.xml")
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        manifest = (package.read("META-INF/manifest.xml")
                    if "META-INF/manifest.xml" in package.namelist() else b"")
        kind = package.read("mimetype") if "mimetype" in package.namelist() else b""
    if b"encryption-data" in manifest:
        raise InputError("is a password-protected ODT: save it without a password", path=path)
    if not kind.startswith(b"application/vnd.oasis.opendocument.text"):
        shown = kind[:80].decode(errors="replace") or "missing"
        raise InputError(f"is not an ODF text document (mimetype {shown})", path=path)
    from odf.opendocument import load

    try:
        document = load(io.BytesIO(data))
    except Exception as problem:  # odfpy raises KeyError, SAXParseException, IndexError ...
        detail = str(problem).splitlines()[0] if str(problem) else type(problem).__name__
        raise InputError(f"is not a readable ODT ({detail[:200]})", path=path) from None
    if document.text is None:
        raise InputError("is not a readable ODT (no text body)", path=path)
    return document


def story_paragraphs(document: Any) -> Iterator[tuple[Any, str]]:
    """Each `text:p`/`text:h` with its kind ("title", "body"), in the article's order."""
    for root in (document.text, document.masterstyles):
        for paragraph in _paragraphs(root):
            heading = _name(paragraph)[1] == "h" or (
                paragraph.getAttrNS(TEXT, "style-name") in _TITLE_STYLES)
            yield paragraph, "title" if root is document.text and heading else "body"


def _paragraphs(node: Any) -> Iterator[Any]:
    for child in node.childNodes:
        if child.nodeType != child.ELEMENT_NODE:
            continue
        if _name(child) in ((TEXT, "p"), (TEXT, "h")):
            yield child
        yield from _paragraphs(child)


def parse_odt(data: bytes, path: Path) -> Article:
    """The paragraphs of an .odt with their markup, and the layout its writer needs;
    InputError (one line) for a file that is no sound ODT or holds no text."""
    document = open_odt(data, path)
    styles = SpanStyles(document)
    return package_article(path, Layout("odt", "odt", data, parsed=document),
                           story_paragraphs(document),
                           lambda element: read_paragraph(element, styles)[1], "ODT")
