"""Write translated HTML (`text.html` read it): a fragment in place, every element and
attribute as it was and each paragraph's content replaced by its translation, its inline
markup written around the words it now covers with the source's own start tags (a link's
`href` as it was); a web page as the clean article page `text.webpage` made, `lang` set to the
target language and `<title>` to the translated headline. Text goes in as text, which lxml
escapes: nothing a translation holds becomes markup.

Also the serialising the API's `format=html` shares (`serialize`, `set_keeping_space`).
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from lxml import html as lxml_html

from glossator.languages import tag_language
from glossator.model import Tag, tag_ends
from glossator.text.html import HtmlParagraph, html_paragraphs, parse_markup
from glossator.text.layout import Layout, paragraph_tags


def write_html(layout: Layout, paragraphs: Sequence[tuple[str, list[Tag]] | None],
               language: str = "") -> str:
    """The HTML `layout` holds with `paragraphs` written in; a page in `language`."""
    source = layout.source
    assert isinstance(source, str)
    page = layout.format == "webpage"
    if not page and all(paragraph is None for paragraph in paragraphs):
        return source  # an untranslated fragment: its own bytes
    root = parse_markup(source, page=page)
    for found, paragraph in zip(html_paragraphs(root), paragraphs):
        if paragraph is not None:
            _fill(found, *paragraph)
    if page:
        if language:
            root.set("lang", tag_language(language))
        heading, title = root.find(".//h1"), root.find("head/title")
        if heading is not None and title is not None:
            title.text = " ".join(heading.text_content().split())
    return serialize(root, page=page) + ("\n" if page else "")


def _fill(found: HtmlParagraph, text: str, tags: list[Tag]) -> None:
    element, part = found.where.element, found.where.part
    if part != "content":  # a text node of its own: no markup in it
        set_keeping_space(element, part, text)
        return
    first = element.text or ""
    last_node = element[-1] if len(element) else None
    last = (last_node.tail if last_node is not None else first) or ""
    lead = first[:len(first) - len(first.lstrip())]
    trail = last[len(last.rstrip()):] if last.strip() else ""
    wrapper = lxml_html.fragment_fromstring(_inner(found, text, tags) or " ",
                                            create_parent="div")
    for child in list(element):
        element.remove(child)
    element.text = lead + (wrapper.text or "").lstrip(" ")
    children = list(wrapper)
    for child in children:
        element.append(child)
    if children:
        children[-1].tail = (children[-1].tail or "").rstrip(" ") + trail
    else:
        element.text = element.text.rstrip(" ") + trail


def _inner(paragraph: HtmlParagraph, text: str, tags: list[Tag]) -> str:
    """A paragraph's content as HTML: its text escaped, its tags as their markup's bytes."""
    found = paragraph_tags(paragraph.inlines, tags)
    inlines = {tag.name: inline for tag, inline in found}
    parts, cursor = [], 0
    for offset, what, tag in tag_ends(tag for tag, _inline in found):
        inline = inlines[tag.name]
        parts.append(escape(text[cursor:offset], quote=False))
        parts.append(inline.closing if what == "close" else inline.opening)
        cursor = offset
    parts.append(escape(text[cursor:], quote=False))
    return "".join(parts)


def set_keeping_space(element: lxml_html.HtmlElement, attribute: str, translation: str) -> None:
    """Put a translation in a text node ("text" or "tail"), its whitespace around kept."""
    original = getattr(element, attribute) or ""
    lead = original[:len(original) - len(original.lstrip())]
    trail = original[len(original.rstrip()):] if original.strip() else ""
    setattr(element, attribute, lead + translation + trail)


def serialize(root: lxml_html.HtmlElement, *, page: bool) -> str:
    """A page with its doctype, or a fragment's content without the `<div>` lxml put around."""
    if page:
        return lxml_html.tostring(root, encoding="unicode", doctype="<!DOCTYPE html>")
    parts = [escape(root.text or "", quote=False)]
    parts.extend(lxml_html.tostring(child, encoding="unicode") for child in root)
    return "".join(parts)
