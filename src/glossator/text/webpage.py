"""Read a saved web page as its article: trafilatura finds the article (title, body, subheads,
quotes, lists, tables, links, bold and italic); its metadata gives the date and the byline,
which are looked for in the page as it shows them; a figure's caption, which trafilatura leaves
out, is taken from the figure holding the image it kept.

The article becomes a clean page (`<article>` in a bare `<html>`, nothing that runs code),
which is then read as any HTML (`text.html`): the translated page is that page in the target
language. Every line of the page that did not make it into the article (navigation, related
stories, newsletter boxes, cookie banners, comments, footers) is reported in
`Article.dropped`, named by where it sat, as a text article's cruft is.
"""

from __future__ import annotations

import logging
import re
from bisect import bisect_left
from copy import deepcopy
from datetime import date
from html import escape
from pathlib import Path

from lxml import html as lxml_html

from glossator.errors import InputError
from glossator.text.article import Article, cruft_rule, parse_dateline
from glossator.text.html import (
    DROPPED_ELEMENTS,
    element_markup,
    local_name,
    neutralise,
    parse_markup,
    read_html,
    remove_keeping_tail,
)

# What a page's line was, from the names of the elements around it (tag, class, id, role),
# the first that matches; a line none names is "page chrome".
_PLACES = [
    ("cookie notice", re.compile(r"cookie|consent|gdpr")),
    ("comments", re.compile(r"comment|disqus|respond|reply")),
    ("subscribe prompt", re.compile(r"newsletter|subscri|sign-?up|signup|paywall")),
    ("related links", re.compile(r"related|recommend|popular|more-?stories|read-?next|teaser|"
                                 r"outbrain|taboola")),
    ("share buttons", re.compile(r"share|social")),
    ("advertisement", re.compile(r"\bads?\b|advert|sponsor|promo")),
    ("navigation", re.compile(r"\bnav|menu|breadcrumb")),
    ("page header", re.compile(r"\bheader\b|masthead|banner")),
    ("footer", re.compile(r"footer|copyright")),
]
_LINE_ELEMENTS = frozenset({
    "p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "td", "th", "dt", "dd", "figcaption",
    "caption", "blockquote", "button", "label", "legend", "summary", "div", "section", "aside",
    "footer", "header", "nav", "form", "article", "main", "ul", "ol", "dl", "table", "tr",
    "figure", "address", "body"})
_SPACES = re.compile(r"\s+")
# Blocks of the article that are cruft when the whole of their text is (`cruft_rule`): the
# rest of the page's lines are reported by `_dropped`.
_CRUFT_BLOCKS = ("p", "div", "li", "h2", "h3", "h4", "h5", "h6", "blockquote")
_WORD = re.compile(r"\w")
_BETWEEN_WORDS = r"(?:\s|<[^>]*>|&[#\w]+;)+"
_PROSE = ("p", "blockquote", "li", "td", "dd")
MIN_ARTICLE_WORDS = 12  # fewer words of prose in paragraphs: a page with no article


def parse_webpage(text: str, path: Path) -> Article:
    """The article of a saved web page, as a clean HTML page read paragraph by paragraph;
    InputError where trafilatura finds no article in it."""
    extracted = _extract(text)
    if extracted is None or not _has_article(extracted):
        raise InputError("web page with no article in it (only navigation, links and page "
                         "chrome)", path=path)
    original = parse_markup(text, page=True)
    neutralise(original)
    clean = _clean_page(extracted, original)
    article = read_html(clean, path, page=True, kind="webpage")
    kept = {_SPACES.sub(" ", p.text).strip() for p in article.paragraphs}
    article.dropped = _dropped(original, kept)
    _source_lines(text, article)
    article.dateline = next((parse_dateline(p.text) for p in article.paragraphs
                             if p.kind == "dateline"), None)
    return article


def _source_lines(text: str, article: Article) -> None:
    """Number each paragraph with the line of the saved page where its first words are (in
    the body), not the clean page's, so the PO points into the file."""
    body = re.search(r"<body[\s>]", text, re.IGNORECASE)
    start = body.start() if body else 0
    breaks = [match.start() for match in re.finditer("\n", text)]
    line = bisect_left(breaks, start) + 1
    for paragraph in article.paragraphs:
        words = paragraph.text.split()[:4]
        pattern = _BETWEEN_WORDS.join(re.escape(escape(word, quote=False)) for word in words)
        found = re.compile(pattern).search(text, start) if words else None
        if found is not None:
            line = bisect_left(breaks, found.start()) + 1
        paragraph.line = line


def _extract(text: str) -> str | None:
    import trafilatura

    log = logging.getLogger("trafilatura")
    propagate, log.propagate = log.propagate, False  # its warnings are not the user's
    try:
        return trafilatura.extract(text, output_format="html", include_links=True,
                                   include_formatting=True, include_images=True,
                                   include_tables=True, include_comments=False,
                                   with_metadata=True, favor_precision=True)
    finally:
        log.propagate = propagate


def _has_article(extracted: str) -> bool:
    """Whether what trafilatura kept is an article: prose in paragraphs, not a stray link."""
    body = lxml_html.document_fromstring(extracted).find("body")
    if body is None:
        return False
    prose = [element.text_content() for element in body.iter(*_PROSE)]
    return sum(len(text.split()) for text in prose) >= MIN_ARTICLE_WORDS


def _clean_page(extracted: str, original: lxml_html.HtmlElement) -> str:
    tree = lxml_html.document_fromstring(extracted)
    meta = {m.get("name"): m.get("content", "") for m in tree.iterfind(".//head/meta")}
    body = tree.find("body")
    assert body is not None
    parts: list[str] = []
    heading = body[0] if len(body) else None
    title = meta.get("title", "").strip()
    if heading is not None and heading.tag == "h1":
        title = heading.text_content().strip()
        parts.append(element_markup(heading))
        body.remove(heading)
    elif title:
        parts.append(f"<h1>{escape(title)}</h1>")
    when = _date(meta.get("date", ""))
    shown = _shown_date(original, when) if when else None
    if when and shown:  # a date the page does not show (guessed from "© 2024") is left out
        parts.append(f'<p class="dateline"><time datetime="{when.isoformat()}">'
                     f"{escape(shown)}</time></p>")
    byline = _byline(original, meta.get("author", "").strip())
    if byline:
        parts.append(f'<p class="byline">{escape(byline)}</p>')
    for image in body.iter("img"):
        _caption(image, original)
    for element in list(body.iter(*_CRUFT_BLOCKS)):
        if element.getparent() is not None and cruft_rule(element.text_content()):
            remove_keeping_tail(element)  # "Related: ...", "Advertisement" in the article
    body.text = None
    parts.extend(element_markup(child) for child in body)
    lang = original.get("lang", "").strip()
    page = ("<!DOCTYPE html>\n"
            f'<html{f" lang={chr(34)}{escape(lang)}{chr(34)}" if lang else ""}>\n'
            '<head>\n<meta charset="utf-8">\n'
            '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f"<title>{escape(title)}</title>\n</head>\n<body>\n<article>\n"
            + "\n".join(parts) + "\n</article>\n</body>\n</html>\n")
    root = lxml_html.document_fromstring(page)
    neutralise(root.find("body"))
    return lxml_html.tostring(root, encoding="unicode", doctype="<!DOCTYPE html>") + "\n"


def _date(text: str) -> date | None:
    try:
        return date.fromisoformat(text.strip()[:10])
    except ValueError:
        return None


def _shown_date(original: lxml_html.HtmlElement, when: date) -> str | None:
    """The page's own words for the article's date ("Thursday, September 12, 2024")."""
    for element in original.iter("time", "span", "p", "div"):
        text = _SPACES.sub(" ", element.text_content()).strip()
        if 0 < len(text) <= 60 and parse_dateline(text) == when:
            return text
    return None


def _byline(original: lxml_html.HtmlElement, author: str) -> str:
    """The shortest line of the page that names the author ("By Jane Doe"), else the name."""
    if not author:
        return ""
    first = author.split(";")[0].strip()
    lines = {_SPACES.sub(" ", element.text_content()).strip()
             for element in original.iter("p", "span", "div", "address", "a")}
    found = [line for line in lines if first in line and len(line) <= len(first) + 24
             and not parse_dateline(line)]
    return min(found, key=len) if found else first


def _caption(image: lxml_html.HtmlElement, original: lxml_html.HtmlElement) -> None:
    """Put the caption of the page's figure holding this image under it, in a figure."""
    source = image.get("src")
    for figure in original.iter("figure"):
        caption = figure.find(".//figcaption")
        if caption is None or not any(img.get("src") == source for img in figure.iter("img")):
            continue
        parent = image.getparent()
        wrapper = lxml_html.Element("figure")
        parent.replace(image, wrapper)
        wrapper.tail, image.tail = image.tail, None
        wrapper.append(image)
        copied = deepcopy(caption)
        copied.tail = None
        wrapper.append(copied)
        return


def _dropped(original: lxml_html.HtmlElement, kept: set[str]) -> list[tuple[str, str]]:
    """Each line of the page's body that the article does not hold, with what it was."""
    body = original.find("body")
    if body is None:
        return []
    joined = " ".join(kept)
    dropped: list[tuple[str, str]] = []
    seen: set[str] = set()
    for element in body.iter():
        if not isinstance(element.tag, str) or local_name(element.tag) not in _LINE_ELEMENTS:
            continue
        line = _SPACES.sub(" ", _own_text(element)).strip()
        if not line or line in seen or line in kept or (len(line) >= 40 and line in joined):
            continue
        rest = line
        for text in kept:
            rest = rest.replace(text, " ")
        if not _WORD.search(rest):
            continue  # "By Jane Doe · June 23, 2024": the byline and the dateline, both kept
        seen.add(line)
        dropped.append((_place(element, line), line))
    return dropped


def _own_text(element: lxml_html.HtmlElement) -> str:
    """An element's text but for that of the line elements below it."""
    pieces = [element.text or ""]
    for child in element:
        if not isinstance(child.tag, str) or local_name(child.tag) in _LINE_ELEMENTS | \
                DROPPED_ELEMENTS:
            pieces.append(" ")
        else:
            pieces.append(_own_text(child))
        pieces.append(child.tail or "")
    return "".join(pieces)


def _place(element: lxml_html.HtmlElement, line: str) -> str:
    names = []
    node = element
    while node is not None and isinstance(node.tag, str):
        names.append(" ".join((local_name(node.tag), node.get("class", ""), node.get("id", ""),
                               node.get("role", ""))).lower())
        node = node.getparent()
    for name in names:
        for rule, pattern in _PLACES:
            if pattern.search(name):
                return rule
    return cruft_rule(line) or "page chrome"
