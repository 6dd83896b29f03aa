"""Read a Markdown article (CommonMark with GFM tables and strikethrough, by markdown-it-py) as
paragraphs with inline markup (`text.layout`).

Headings, paragraphs (in block quotes and list items too) and table cells are the paragraphs;
headings are titles (one segment each). Emphasis, strong, strikethrough and links become pair
tags around their words; inline code, images, autolinks, raw HTML and hard line breaks become
point tags whose bytes are written back as they were. Code blocks, HTML blocks, thematic
breaks and link reference definitions are no paragraph: the writer (`formats.markdown`) keeps
them byte for byte, as it keeps every link target. In YAML front matter the values of the keys
that hold prose for readers (`FRONT_MATTER_TEXT`: title, description ...), when they are one
plain or quoted line, are paragraphs, written back as a YAML double-quoted string; every key
and every other line stays as it was.

Each markup's own bytes are found by walking the paragraph's source alongside markdown-it's
tokens; a paragraph where that cannot be done (an unusual escape) is kept as it is, untranslated,
and named in `Article.dropped`, rather than written back wrong.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from glossator.errors import InputError
from glossator.text.article import Article, Paragraph
from glossator.text.layout import Block, Inline, Layout, tag_list

_FRONT_MATTER = re.compile(
    r"\A(?:---|\+\+\+)[ \t]*\n(?:.*?\n)?(?:---|\.\.\.|\+\+\+)[ \t]*(?:\n|\Z)", re.DOTALL)
FRONT_MATTER_TEXT = frozenset({"title", "subtitle", "description", "summary", "excerpt",
                               "caption", "headline", "dek", "lede"})
_FRONT_MATTER_LINE = re.compile(r"^([A-Za-z_][\w-]*)[ \t]*:[ \t]+(\S.*?)[ \t]*$", re.MULTILINE)
_SOFTBREAK = re.compile(r"[ \t]*\n[ \t]*")
_HARDBREAK = re.compile(r"(?: {2,}|\\)\n[ \t]*")
_AUTOLINK = re.compile(r"<[^<>\s]*>")
_ASCII_PUNCTUATION = frozenset("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")
_PAIRS = {"strong": "b", "em": "i", "s": "s", "link": "a"}
_BLOCK_PARENTS = {"paragraph_open": "body", "heading_open": "title", "th_open": "body",
                  "td_open": "body"}


@dataclass
class Where:
    """Where a Markdown paragraph is in the source: the span of each of its content lines, and
    what starts the lines after the first (a block quote's "> "), for line breaks written."""

    spans: list[tuple[int, int]]
    prefix: str
    yaml: bool = False  # a front matter value: written as a YAML double-quoted string


class _Unreadable(Exception):
    """The source of a paragraph does not match its tokens: keep the paragraph as it is."""


@cache
def _parser() -> Any:
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark").enable(["table", "strikethrough"])


def parse_markdown(text: str, path: Path) -> Article:
    """The paragraphs of Markdown `text` (decoded by `text.article.decode_article`) with their
    markup, and the layout its writer needs; InputError when it holds no text to translate."""
    front = _FRONT_MATTER.match(text)
    # Front matter is blanked, not cut, so every token's lines are the source's.
    masked = text if not front else re.sub(r"[^\n]", " ", front.group()) + text[front.end():]
    tokens = _parser().parse(masked)
    line_starts = [0] + [m.end() for m in re.finditer("\n", text)]
    layout = Layout("markdown", "md", text)
    paragraphs: list[Paragraph] = []
    dropped: list[tuple[str, str]] = []
    if front and front.group().startswith("---"):
        _front_matter(text, front.end(), layout, paragraphs)
    cursor = 0
    line = 0
    for index, token in enumerate(tokens):
        if token.map:
            line = token.map[0]
        if token.type != "inline" or index == 0:
            continue
        kind = _BLOCK_PARENTS.get(tokens[index - 1].type)
        if kind is None or not token.content.strip():
            continue
        cursor = max(cursor, line_starts[line])
        spans = _line_spans(text, token.content, cursor)
        if spans is None:
            dropped.append(("markdown not understood", token.content.split("\n")[0][:80]))
            continue
        cursor = spans[-1][1]
        try:
            plain, tag_spans, inlines = _inline(token.content, token.children or [])
        except _Unreadable:
            dropped.append(("markdown not understood", token.content.split("\n")[0][:80]))
            continue
        if not plain.strip():
            continue
        prefix = text[text.rfind("\n", 0, spans[1][0]) + 1:spans[1][0]] if len(spans) > 1 else ""
        layout.blocks.append(Block(inlines, Where(spans, prefix)))
        paragraphs.append(Paragraph(text=plain, kind=kind, line=line + 1,
                                    tags=tag_list(inlines, tag_spans)))
    if not paragraphs:
        raise InputError("Markdown with no text to translate", path=path)
    return Article(path=path, paragraphs=paragraphs, dropped=dropped, layout=layout)


def _front_matter(text: str, end: int, layout: Layout, paragraphs: list[Paragraph]) -> None:
    """The prose values of YAML front matter (`FRONT_MATTER_TEXT`) as paragraphs."""
    for match in _FRONT_MATTER_LINE.finditer(text, 0, end):
        key, raw = match.group(1), match.group(2)
        if key.lower() not in FRONT_MATTER_TEXT:
            continue
        value = _yaml_line(raw)
        if value is None or not value.strip():
            continue
        layout.blocks.append(Block([], Where([match.span(2)], "", yaml=True)))
        paragraphs.append(Paragraph(text=value, kind="title" if key.lower() in (
            "title", "headline") else "body", line=text.count("\n", 0, match.start()) + 1))


def _yaml_line(raw: str) -> str | None:
    """The string a one-line YAML scalar holds, or None for anything else (a list, a block
    scalar, an anchor, a comment after the value, an escape other than \\" and \\\\)."""
    if raw[0] == "'" and raw.endswith("'") and len(raw) > 1:
        inner = raw[1:-1]
        return None if re.search(r"(?<!')'(?!')", inner.replace("''", "")) else inner.replace(
            "''", "'")
    if raw[0] == '"' and raw.endswith('"') and len(raw) > 1:
        inner = raw[1:-1]
        if re.search(r'\\[^"\\]|(?<!\\)"', inner):
            return None
        return inner.replace('\\"', '"').replace("\\\\", "\\")
    if raw[0] in "[{|>&*!%@`#'\"" or " #" in raw or ": " in raw:
        return None
    return raw


def _line_spans(text: str, content: str, cursor: int) -> list[tuple[int, int]] | None:
    """The span in `text` of each line of a paragraph's `content`, found in order from
    `cursor`; None where one is not found (the paragraph is then kept as it is)."""
    spans = []
    for content_line in content.split("\n"):
        start = text.find(content_line, cursor)
        if start < 0 or (spans and "\n" not in text[spans[-1][1]:start]):
            return None
        spans.append((start, start + len(content_line)))
        cursor = start + len(content_line)
    return spans


def _inline(content: str, children: list[Any]) -> tuple[str, list[tuple[int, int]],
                                                        list[Inline]]:
    """The plain text of a paragraph's inline tokens, each markup's span in it and its bytes
    in `content`."""
    plain: list[str] = []
    length = 0
    position = 0
    inlines: list[Inline] = []
    spans: list[tuple[int, int]] = []
    opened: list[tuple[str, int]] = []  # (token type's stem, index into inlines)
    skip_until_close = False
    for child in children:
        kind = child.type
        if skip_until_close:
            skip_until_close = kind != "link_close"
            continue
        if kind == "text":
            match = _text_pattern(child.content).match(content, position)
            if match is None:
                raise _Unreadable(child.content)
            plain.append(child.content)
            length += len(child.content)
            position = match.end()
        elif kind == "softbreak":
            position = _expect(_SOFTBREAK, content, position).end()
            plain.append(" ")
            length += 1
        elif kind == "hardbreak":
            match = _expect(_HARDBREAK, content, position)
            raw = match.group().rstrip(" \t")
            inlines.append(Inline("x", raw, point=True))
            spans.append((length, length))
            position = match.end()
        elif kind.endswith("_open") and kind[:-5] in _PAIRS:
            stem = kind[:-5]
            if stem == "link" and child.markup in ("autolink", "linkify"):
                match = _expect(_AUTOLINK, content, position)
                inlines.append(Inline("a", match.group(), point=True))
                spans.append((length, length))
                position = match.end()
                skip_until_close = True
                continue
            opening = "[" if stem == "link" else child.markup
            if not content.startswith(opening, position):
                raise _Unreadable(opening)
            opened.append((stem, len(inlines)))
            inlines.append(Inline(_PAIRS[stem], opening))
            spans.append((length, length))
            position += len(opening)
        elif kind.endswith("_close") and kind[:-6] in _PAIRS:
            stem = kind[:-6]
            if not opened or opened[-1][0] != stem:
                raise _Unreadable(kind)
            _, number = opened.pop()
            end = (_destination_end(content, position) if stem == "link"
                   else position + len(child.markup))
            closing = content[position:end]
            if stem != "link" and closing != child.markup:
                raise _Unreadable(kind)
            inlines[number] = Inline(inlines[number].letter, inlines[number].opening, closing)
            spans[number] = (spans[number][0], length)
            position = end
        elif kind in ("code_inline", "image", "html_inline"):
            end = _point_end(kind, child, content, position)
            letter = {"code_inline": "c", "image": "m", "html_inline": "x"}[kind]
            inlines.append(Inline(letter, content[position:end], point=True))
            spans.append((length, length))
            position = end
        else:
            raise _Unreadable(kind)
    if opened or content[position:].strip():
        raise _Unreadable(content[position:])
    return "".join(plain), spans, inlines


def _expect(pattern: re.Pattern[str], content: str, position: int) -> re.Match[str]:
    match = pattern.match(content, position)
    if match is None:
        raise _Unreadable(pattern.pattern)
    return match


def _text_pattern(text: str) -> re.Pattern[str]:
    """What the source of a text token may be: each character as it is, an ASCII punctuation
    character perhaps escaped with a backslash, any of them perhaps an entity."""
    parts = []
    for char in text:
        if char in _ASCII_PUNCTUATION:
            parts.append(rf"(?:\\?{re.escape(char)}|&[#A-Za-z0-9]+;)")
        elif char.isascii():
            parts.append(re.escape(char))
        else:
            parts.append(rf"(?:{re.escape(char)}|&[#A-Za-z0-9]+;)")
    return re.compile("".join(parts))


def _point_end(kind: str, child: Any, content: str, position: int) -> int:
    if kind == "html_inline":
        if not content.startswith(child.content, position):
            raise _Unreadable(child.content)
        return position + len(child.content)
    if kind == "code_inline":
        fence = child.markup
        if not content.startswith(fence, position):
            raise _Unreadable(fence)
        closing = re.compile(rf"(?<!`){re.escape(fence)}(?!`)")
        match = closing.search(content, position + len(fence))
        if match is None:
            raise _Unreadable(fence)
        return match.end()
    # an image: "![alt" up to its "]", then its destination
    if not content.startswith("![", position):
        raise _Unreadable("![")
    depth, index = 0, position + 1
    while index < len(content):
        char = content[index]
        if char == "\\":
            index += 2
            continue
        if char == "[":
            depth += 1
        elif char == "]":
            depth -= 1
            if depth == 0:
                return _destination_end(content, index)
        index += 1
    raise _Unreadable("![")


def _destination_end(content: str, position: int) -> int:
    """Where a link's or an image's closing ends: "]" at `position`, then "(destination
    "title")", "[label]", "[]" or nothing (a shortcut reference)."""
    if not content.startswith("]", position):
        raise _Unreadable("]")
    index = position + 1
    if content.startswith("(", index):
        depth, quote = 0, ""
        while index < len(content):
            char = content[index]
            if char == "\\":
                index += 2
                continue
            if quote:
                if char == quote:
                    quote = ""
            elif char in "\"'" and content[index - 1] in " \t\n":
                quote = char
            elif char == "<" and content[index - 1] == "(":
                close = content.find(">", index)
                if close < 0:
                    raise _Unreadable("<")
                index = close
            elif char == "(":
                depth += 1
            elif char == ")":
                depth -= 1
                if depth == 0:
                    return index + 1
            index += 1
        raise _Unreadable("(")
    if content.startswith("[", index):
        close = content.find("]", index)
        if close < 0:
            raise _Unreadable("[")
        return close + 1
    return index
