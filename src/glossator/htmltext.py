"""Translate the text of an HTML fragment or page and keep its markup (`format=html` of the
HTTP API).

The input is parsed with lxml and made inert before anything else: elements that run or embed
code (script, style, iframe, object, svg ...) are removed with their content, as are comments,
`on*` handlers, `srcdoc`, and URLs with a javascript:, vbscript: or data: scheme. Then every
text node (an element's text and tail) that holds more than whitespace is collected, so the
caller translates them all in one batch, and written back with its surrounding whitespace. Text
goes back as text, which lxml escapes: nothing of the input or of a translation becomes markup.
Elements marked `translate="no"` or `class="notranslate"` keep their text.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from html import escape

from lxml import etree, html

_DROPPED_ELEMENTS = frozenset({
    "script", "style", "iframe", "frame", "frameset", "object", "embed", "applet", "base",
    "link", "meta", "noscript", "template", "svg", "math", "portal"})
_URL_ATTRIBUTES = frozenset({
    "href", "src", "action", "formaction", "data", "poster", "background", "cite",
    "longdesc", "usemap", "xlink:href", "lowsrc", "dynsrc", "manifest", "ping", "srcset"})
_UNSAFE_URL = re.compile(r"^\s*(?:javascript|vbscript|data|livescript)\s*:", re.IGNORECASE)
_UNSAFE_STYLE = re.compile(r"expression|url\s*\(|javascript|behavior", re.IGNORECASE)
_WHOLE_PAGE = re.compile(r"^\s*(?:<!doctype|<html)", re.IGNORECASE)
_INVISIBLE = re.compile(r"[\x00-\x20\x7f]+")


@dataclass
class HtmlJob:
    """A parsed, neutralised fragment and the text nodes to translate, in document order."""

    root: html.HtmlElement
    whole_page: bool
    # (element, "text" or "tail"): where each text node is
    slots: list[tuple[html.HtmlElement, str]] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)  # each slot's text, whitespace stripped

    def render(self, translations: Sequence[str]) -> str:
        """The markup with each text node replaced by its translation."""
        if len(translations) != len(self.slots):
            raise ValueError(f"{len(translations)} translations for {len(self.slots)} texts")
        for (element, attribute), translation in zip(self.slots, translations):
            original = getattr(element, attribute)
            lead = original[:len(original) - len(original.lstrip())]
            trail = original[len(original.rstrip()):]
            setattr(element, attribute, lead + translation + trail)
        if self.whole_page:
            return html.tostring(self.root, encoding="unicode", doctype="<!DOCTYPE html>")
        return _serialize_children(self.root)


def _serialize_children(root: html.HtmlElement) -> str:
    parts = [escape(root.text or "", quote=False)]
    parts.extend(html.tostring(child, encoding="unicode") for child in root)
    return "".join(parts)


def parse_html(markup: str) -> HtmlJob:
    """Parse `markup` (a fragment, or a page starting with <!doctype or <html>), neutralise it
    and collect its text nodes."""
    whole_page = bool(_WHOLE_PAGE.match(markup))
    if whole_page:
        root = html.document_fromstring(markup)
    else:
        root = html.fragment_fromstring(markup, create_parent="div")
    _neutralise(root)
    job = HtmlJob(root, whole_page)
    _collect(root, job, translate=True)
    return job


def _neutralise(root: html.HtmlElement) -> None:
    for node in list(root.iter()):
        if node is root:
            continue
        if not isinstance(node.tag, str) or _local_name(node.tag) in _DROPPED_ELEMENTS:
            _remove_keeping_tail(node)
    for element in root.iter():
        for name in list(element.attrib):
            value = element.attrib[name]
            lowered = _local_name(name).lower()
            unsafe_url = ((name.lower() in _URL_ATTRIBUTES or lowered in _URL_ATTRIBUTES)
                          and _UNSAFE_URL.match(_INVISIBLE.sub("", value)))
            unsafe_style = lowered == "style" and _UNSAFE_STYLE.search(value)
            if lowered.startswith("on") or lowered == "srcdoc" or unsafe_url or unsafe_style:
                del element.attrib[name]


def _local_name(tag: str) -> str:
    return tag.rsplit("}", 1)[-1].rsplit(":", 1)[-1].lower()


def _remove_keeping_tail(node: etree._Element) -> None:
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


def _collect(element: html.HtmlElement, job: HtmlJob, *, translate: bool) -> None:
    translate = translate and not _kept(element)
    if translate and element.text and element.text.strip():
        job.slots.append((element, "text"))
        job.texts.append(element.text.strip())
    for child in element:
        _collect(child, job, translate=translate)
        if translate and child.tail and child.tail.strip():
            job.slots.append((child, "tail"))
            job.texts.append(child.tail.strip())


def _kept(element: html.HtmlElement) -> bool:
    return (element.get("translate", "").lower() == "no"
            or "notranslate" in element.get("class", "").split())
