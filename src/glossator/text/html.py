"""Read HTML: a fragment (a CMS body) as paragraphs with inline markup (`text.layout`), a saved
web page as its article (`text.webpage`), and the text nodes the API's `format=html`
translates (`read_text_nodes`). One parser (lxml) and one idea of what a block and an inline
element are serve all three.

A paragraph is an element that is not inline, holds text, and has only inline elements below
it (`<p>`, `<li>`, `<h2>`, `<td>`, a `<div>` of text ...). Its inline elements become tags:
pairs around their words (b, i, a ...), points for what has no translatable words of its own
(an image, a line break, inline code, an element marked `translate="no"`), whose bytes go back
as they were. Text outside such elements (a `<div>`'s text before a `<p>`) is a paragraph of
its own, without tags. Scripts, styles, `<pre>`, `<code>` blocks and elements marked
`translate="no"` or `class="notranslate"` are never read.

Whitespace is HTML's: a run of it reads as one space, and a paragraph's text is stripped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html import escape
from pathlib import Path

from lxml import etree
from lxml import html as lxml_html

from glossator.errors import InputError
from glossator.text.article import Article, Paragraph
from glossator.text.layout import Block, Inline, Layout, tag_list

# Elements that run or embed code: dropped by `neutralise`, never read.
DROPPED_ELEMENTS = frozenset({
    "script", "style", "iframe", "frame", "frameset", "object", "embed", "applet", "base",
    "link", "meta", "noscript", "template", "svg", "math", "portal"})
# Elements whose text is not prose: kept as they are.
_VERBATIM = DROPPED_ELEMENTS | {"pre", "textarea", "code", "kbd", "samp", "head", "title",
                                "select"}
INLINE_ELEMENTS = frozenset({
    "a", "abbr", "b", "bdi", "bdo", "cite", "code", "data", "dfn", "em", "i", "kbd", "mark",
    "q", "s", "samp", "small", "span", "strong", "sub", "sup", "time", "u", "var"})
_PARAGRAPH_INLINES = INLINE_ELEMENTS | {"del", "ins", "strike", "font", "img", "br", "wbr"}
_POINTS = frozenset({"img", "br", "wbr", "code", "kbd", "samp"})
_LETTERS = {"b": "b", "strong": "b", "i": "i", "em": "i", "cite": "i", "dfn": "i",
            "u": "u", "ins": "u", "s": "s", "del": "s", "strike": "s", "a": "a", "code": "c",
            "kbd": "c", "samp": "c", "img": "m"}
_TITLES = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
_URL_ATTRIBUTES = frozenset({
    "href", "src", "action", "formaction", "data", "poster", "background", "cite",
    "longdesc", "usemap", "xlink:href", "lowsrc", "dynsrc", "manifest", "ping", "srcset"})
_UNSAFE_URL = re.compile(r"^\s*(?:javascript|vbscript|data|livescript)\s*:", re.IGNORECASE)
_UNSAFE_STYLE = re.compile(r"expression|url\s*\(|javascript|behavior", re.IGNORECASE)
_INVISIBLE = re.compile(r"[\x00-\x20\x7f]+")
_WHOLE_PAGE = re.compile(r"^\s*(?:<!doctype|<html)", re.IGNORECASE)
_PAGE_CHROME = re.compile(r"^\s*(?:<!--.*?-->\s*)*(?:<!doctype|<html|<head)|<body[\s>]",
                          re.IGNORECASE | re.DOTALL)
_SPACES = re.compile(r"\s+")


def local_name(tag: str) -> str:
    return tag.rsplit("}", 1)[-1].rsplit(":", 1)[-1].lower()


def is_page(markup: str) -> bool:
    """Whether `markup` is a whole web page (a doctype, `<html>` or `<body>`), not a fragment."""
    return bool(_PAGE_CHROME.search(markup))


def parse_markup(markup: str, *, page: bool | None = None) -> lxml_html.HtmlElement:
    """The tree of a page (its `<html>`), or of a fragment under a `<div>` lxml adds."""
    whole = bool(_WHOLE_PAGE.match(markup)) if page is None else page
    if whole:
        return lxml_html.document_fromstring(markup)
    return lxml_html.fragment_fromstring(markup, create_parent="div")


def neutralise(root: lxml_html.HtmlElement) -> None:
    """Make a tree inert: elements that run or embed code, comments, `on*` handlers, `srcdoc`
    and javascript:/data: URLs removed."""
    for node in list(root.iter()):
        if node is root:
            continue
        if not isinstance(node.tag, str) or local_name(node.tag) in DROPPED_ELEMENTS:
            remove_keeping_tail(node)
    for element in root.iter():
        for name in list(element.attrib):
            value = element.attrib[name]
            lowered = local_name(name).lower()
            unsafe_url = ((name.lower() in _URL_ATTRIBUTES or lowered in _URL_ATTRIBUTES)
                          and _UNSAFE_URL.match(_INVISIBLE.sub("", value)))
            unsafe_style = lowered == "style" and _UNSAFE_STYLE.search(value)
            if lowered.startswith("on") or lowered == "srcdoc" or unsafe_url or unsafe_style:
                del element.attrib[name]


def remove_keeping_tail(node: etree._Element) -> None:
    parent = node.getparent()
    if parent is None:
        return
    tail = node.tail
    previous = node.getprevious()
    parent.remove(node)
    if tail:
        if previous is not None:
            previous.tail = (previous.tail or "") + tail
        else:
            parent.text = (parent.text or "") + tail


def kept(element: etree._Element) -> bool:
    """Whether an element's text stays as it is: marked `translate="no"` or `notranslate`."""
    return (element.get("translate", "").lower() == "no"
            or "notranslate" in element.get("class", "").split())


# Text nodes: the API's format=html -------------------------------------------------------------


@dataclass
class Run:
    """A block whose text flows through inline elements, translated as one text."""

    block: lxml_html.HtmlElement
    children: list[lxml_html.HtmlElement]  # its inline elements, each holding text only
    slots: list[int]  # its text nodes, as indexes into TextNodes.slots


@dataclass
class TextNodes:
    """A parsed, neutralised fragment or page and its text nodes to translate, in order."""

    root: lxml_html.HtmlElement
    whole_page: bool
    # (element, "text" or "tail"): where each text node is
    slots: list[tuple[lxml_html.HtmlElement, str]] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)  # each slot's text, whitespace stripped
    runs: list[Run] = field(default_factory=list)


def read_text_nodes(markup: str) -> TextNodes:
    """Parse `markup` (a fragment, or a page starting with <!doctype or <html>), neutralise it
    and collect its text nodes and the blocks whose text flows through inline elements."""
    whole_page = bool(_WHOLE_PAGE.match(markup))
    root = parse_markup(markup, page=whole_page)
    neutralise(root)
    nodes = TextNodes(root, whole_page)
    _collect(root, nodes, translate=True)
    nodes.runs = _runs(nodes)
    return nodes


def _collect(element: lxml_html.HtmlElement, nodes: TextNodes, *, translate: bool) -> None:
    translate = translate and not kept(element)
    if translate and element.text and element.text.strip():
        nodes.slots.append((element, "text"))
        nodes.texts.append(element.text.strip())
    for child in element:
        _collect(child, nodes, translate=translate)
        if translate and child.tail and child.tail.strip():
            nodes.slots.append((child, "tail"))
            nodes.texts.append(child.tail.strip())


def _runs(nodes: TextNodes) -> list[Run]:
    """Blocks whose children are all inline elements holding text only, none kept untranslated."""
    slot_of = {(id(element), attribute): index
               for index, (element, attribute) in enumerate(nodes.slots)}
    runs = []
    for block in nodes.root.iter():
        children = list(block)
        if not children or ((id(block), "text") not in slot_of and not any(
                (id(child), "tail") in slot_of for child in children)):
            continue
        if not all(isinstance(child.tag, str) and local_name(child.tag) in INLINE_ELEMENTS
                   and len(child) == 0 and (id(child), "text") in slot_of
                   for child in children):
            continue
        keys = [(id(block), "text")] + [(id(child), attribute) for child in children
                                         for attribute in ("text", "tail")]
        runs.append(Run(block, children, [slot_of[key] for key in keys if key in slot_of]))
    return runs


# Paragraphs: an HTML document ------------------------------------------------------------------


@dataclass(frozen=True)
class Where:
    """Where an HTML paragraph is: an element's whole content, or one text node of it."""

    element: lxml_html.HtmlElement
    part: str  # "content", "text" or "tail"


def html_blocks(root: lxml_html.HtmlElement) -> list[Where]:
    """Where the paragraphs of a tree are, in document order (of a page, in its body)."""
    found: list[Where] = []
    start = root.find("body") if root.tag == "html" else root
    _walk(start if start is not None else root, found)
    return found


def _walk(element: lxml_html.HtmlElement, found: list[Where]) -> None:
    if not isinstance(element.tag, str) or local_name(element.tag) in _VERBATIM or kept(element):
        return
    if _is_paragraph(element):
        found.append(Where(element, "content"))
        return
    if element.text and element.text.strip():
        found.append(Where(element, "text"))
    for child in element:
        _walk(child, found)
        if child.tail and child.tail.strip():
            found.append(Where(child, "tail"))


def _is_paragraph(element: lxml_html.HtmlElement) -> bool:
    if local_name(element.tag) in _PARAGRAPH_INLINES:
        return False
    for node in element.iterdescendants():
        if isinstance(node.tag, str) and local_name(node.tag) not in _PARAGRAPH_INLINES:
            return False
    return bool(element.text_content().strip())


def start_tag(element: etree._Element) -> str:
    attributes = "".join(f' {name}="{escape(value)}"' for name, value in element.attrib.items())
    return f"<{element.tag}{attributes}>"


def element_markup(element: etree._Element) -> str:
    """An element as HTML, its tail left out."""
    return lxml_html.tostring(element, encoding="unicode", with_tail=False)


class _Plain:
    """A paragraph's plain text as HTML shows it, a run of whitespace one space, with the
    markups found in it and their spans."""

    def __init__(self) -> None:
        self.text = ""
        self.inlines: list[Inline] = []
        self.spans: list[tuple[int, int]] = []
        self._after_point = False

    def add(self, text: str | None) -> None:
        if not text:
            return
        text = _SPACES.sub(" ", text)
        # "the <code>x</code> agency": the point stands between two spaces, as in the source
        if (not self.text or (self.text.endswith(" ") and not self._after_point)) \
                and text.startswith(" "):
            text = text[1:]
        self.text += text
        self._after_point = False

    def content(self, element: etree._Element) -> None:
        self.add(element.text)
        for child in element:
            self.inline(child)
            self.add(child.tail)

    def inline(self, child: etree._Element) -> None:
        name = local_name(child.tag) if isinstance(child.tag, str) else ""
        at = len(self.text)
        if not name or name in _POINTS or kept(child) or not child.text_content().strip():
            raw = element_markup(child) if name else etree.tostring(
                child, encoding="unicode", with_tail=False)
            self.inlines.append(Inline(_LETTERS.get(name, "x"), raw, point=True))
            self.spans.append((at, at))
            if name == "br" and self.text and not self.text.endswith(" "):
                self.text += " "  # a line break parts words as a space does
            else:
                self._after_point = True
            return
        number = len(self.inlines)
        self.inlines.append(Inline(_LETTERS.get(name, "x"), start_tag(child),
                                   f"</{child.tag}>"))
        self.spans.append((at, at))
        self.content(child)
        self.spans[number] = (at, len(self.text))

    def finish(self) -> tuple[str, list[tuple[int, int]]]:
        text = self.text.rstrip(" ")
        lead = len(text) - len(text.lstrip(" "))
        text = text.strip(" ")
        spans = [(min(max(a - lead, 0), len(text)), min(max(b - lead, 0), len(text)))
                 for a, b in self.spans]
        return text, spans


@dataclass
class HtmlParagraph:
    """A paragraph of HTML: where it is, its plain text, its markups' spans and bytes."""

    where: Where
    text: str
    spans: list[tuple[int, int]]
    inlines: list[Inline]


def html_paragraphs(root: lxml_html.HtmlElement) -> list[HtmlParagraph]:
    """The paragraphs of a tree that hold text, in document order: the same list for the same
    markup, so the writer, parsing the source again, finds each paragraph the reader numbered."""
    found = []
    for where in html_blocks(root):
        plain = _Plain()
        if where.part == "content":
            plain.content(where.element)
        else:
            plain.add(getattr(where.element, where.part))
        text, spans = plain.finish()
        if text:
            found.append(HtmlParagraph(where, text, spans, plain.inlines))
    return found


def parse_html_document(text: str, path: Path) -> Article:
    """An HTML file (decoded by `text.article.decode_article`): a saved web page is read as
    its article (`text.webpage`), a fragment as its paragraphs, markup kept; InputError where
    it holds no text to translate."""
    if is_page(text):
        from glossator.text.webpage import parse_webpage

        return parse_webpage(text, path)
    return read_html(text, path, page=False)


def read_html(text: str, path: Path, *, page: bool, kind: str = "html") -> Article:
    """The paragraphs of HTML `text` with their markup, and the layout its writer needs."""
    root = parse_markup(text, page=page)
    layout = Layout(kind, path.suffix.lower().lstrip(".") or "html", text)
    paragraphs: list[Paragraph] = []
    for found in html_paragraphs(root):
        where, plain, spans, inlines = found.where, found.text, found.spans, found.inlines
        layout.blocks.append(Block(inlines, where))
        element = where.element if where.part != "tail" else where.element.getparent()
        kind = "title" if local_name(str(element.tag)) in _TITLES else "body"
        if "dateline" in where.element.get("class", "").split():
            kind = "dateline"
        paragraphs.append(Paragraph(text=plain, kind=kind, line=where.element.sourceline or 1,
                                    tags=tag_list(inlines, spans)))
    if not paragraphs:
        raise InputError("HTML with no text to translate", path=path)
    return Article(path=path, paragraphs=paragraphs, layout=layout)
