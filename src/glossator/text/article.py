"""Read an article: decode it strictly, split title/dateline/paragraphs, drop web-page cruft.

Cruft is only ever dropped at the edges of the article (where sharing widgets, comment forms and
"more articles" links sit on a scraped page), by the named rules below, and every dropped line is
kept in `Article.dropped` so the caller can report it.

Whitespace, the only text the reader changes: a UTF-8 BOM at the start is dropped; CRLF and CR
become LF, and only LF ends a line (U+2028, U+2029, U+0085 and U+001C–U+001E stay inside
theirs); a line of nothing but whitespace (anything `str.isspace` says is, those characters
included) is blank, and blank lines separate paragraphs; a paragraph's lines are stripped of
the whitespace around them and joined with one space. Every other character reaches a
paragraph in the file's order, or is reported in `Article.dropped`.

An article file must be a regular file of at most `MAX_ARTICLE_BYTES` (16 MiB; see
glossator.io.reading): a FIFO, a device or a bigger file is refused before it is read.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from glossator.errors import InputError
from glossator.io.reading import MAX_ARTICLE_BYTES, read_regular
from glossator.model import Tag
from glossator.text.dates import find_dateline

_NETWORKS = (r"(telegram|twitter|x|facebook|instagram|whatsapp|linkedin|youtube|tiktok|"
             r"threads|bluesky|mastodon|google news|social media)")
# name → pattern matched against one stripped line (case-insensitive, whole line)
CRUFT_RULES: dict[str, re.Pattern[str]] = {
    name: re.compile(pattern, re.IGNORECASE)
    for name, pattern in {
        "comment form": r"(please )?(enter|leave|post|add|write) (your |a )?"
                        r"(comment|reply|name|e-?mail( address)?|website)( here)?[.!:]*",
        "subscribe prompt": r"[›»>•·|\-\s]*(subscribe|sign up|follow us|join us|newsletter)"
                            r"( (now|today|here|to (our|the) newsletter|(on|in) (our )?"
                            rf"{_NETWORKS}([\s,/&|]+(and |or )?{_NETWORKS})*))?[.!:]*",
        "reCAPTCHA notice": r".*\brecaptcha\b.*",
        "related links": r"[›»>•·\s]*((more|related|recommended|popular|latest|top) "
                         r"(articles|stories|posts|news|reads|coverage)[.!:]*|(related|read more|"
                         r"read also|also read|see also)( (article|story|stories|coverage))?"
                         r"\s*:\s*\S.{0,200})",
        "share buttons": r"[›»>•·\s]*(share( this( article| story)?)?|tweet|print|email)"
                         r"([\s|,/•·]+(facebook|twitter|x|whatsapp|linkedin|email|print|"
                         r"share|telegram|reddit))*[.!:]*",
        "read more link": r"[›»>•·\s]*(read|continue reading|click here)( more)?[.!:…]*",
        "advertisement": r"(advertisement|sponsored( content)?|ad)[.!:]*",
        "cookie notice": r".*\b(we use cookies|accept (all )?cookies)\b.*",
        "comment counter": r"\d*\s*(comments?|replies)[.!:]*",
    }.items()
}

@dataclass
class Paragraph:
    text: str
    kind: str  # "title", "dateline" or "body"
    line: int  # 1-based line of the file where the paragraph starts
    tags: list[Tag] = field(default_factory=list)  # a document's inline markup (text.layout)


@dataclass
class Article:
    path: Path
    paragraphs: list[Paragraph]
    dropped: list[tuple[str, str]] = field(default_factory=list)  # (rule name, line)
    dateline: date | None = None
    layout: Any = None  # a document format's text.layout.Layout; None for a text article

    @property
    def name(self) -> str:
        return self.path.stem

    def dropped_summary(self) -> str:
        """One line saying what was dropped: "dropped 5 lines of web-page cruft: ..."."""
        if not self.dropped:
            return ""
        counts = Counter(rule for rule, _ in self.dropped)
        parts = ", ".join(f"{rule} ×{n}" if n > 1 else rule for rule, n in counts.items())
        noun = "line" if len(self.dropped) == 1 else "lines"
        return f"dropped {len(self.dropped)} {noun} of web-page cruft: {parts}"


def cruft_rule(line: str) -> str | None:
    """The name of the cruft rule a line matches, or None for article text."""
    stripped = line.strip()
    for name, pattern in CRUFT_RULES.items():
        if pattern.fullmatch(stripped):
            return name
    return None


def parse_dateline(text: str) -> date | None:
    """The date of a dateline paragraph such as "Sunday, June 23, 2024" or "quinta-feira,
    12 de setembro de 2024" (in any of `text.dates.DATELINE_LANGUAGES`), else None."""
    return find_dateline(text)


def decode_article(data: bytes, path: Path) -> str:
    """UTF-8 (a BOM tolerated) with CRLF/CR newlines normalised; binary and bad bytes refused."""
    if b"\x00" in data:
        offset = data.index(b"\x00")
        raise InputError(f"binary content (NUL byte at offset {offset}), expected UTF-8 text",
                         path=path)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise InputError(f"invalid UTF-8 at byte offset {error.start} "
                         f"(byte 0x{data[error.start]:02x})", path=path, line=line) from None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def read_article(path: str | Path) -> Article:
    """Read and split an article file; InputError names the file for anything unusable.

    Only a regular file of at most `MAX_ARTICLE_BYTES` (16 MiB) is read: a FIFO, a device
    such as /dev/zero or a directory is refused before reading, a bigger file with its size.
    """
    path = Path(path)
    if not path.exists():
        raise InputError("no such file", path=path)
    data = read_regular(path, InputError, what="article file", limit=MAX_ARTICLE_BYTES)
    return parse_article(decode_article(data, path), path)


def parse_article(text: str, path: Path) -> Article:
    blocks = _blocks(text)
    head = _drop_edge(blocks, at_start=True)
    tail = _drop_edge(blocks, at_start=False)
    dropped = head + tail
    if not blocks:
        what = "only web-page cruft" if dropped else "empty or whitespace only"
        raise InputError(f"article is {what}", path=path)

    paragraphs: list[Paragraph] = []
    dateline = None
    for line_no, lines in blocks:
        text = " ".join(line.strip() for line in lines)
        kind = "body"
        if not paragraphs and (found := parse_dateline(text)):
            kind, dateline = "dateline", found
        elif len(blocks) > 1 and all(p.kind == "dateline" for p in paragraphs):
            kind = "title"  # the first block that is not the dateline
        paragraphs.append(Paragraph(text=text, kind=kind, line=line_no))
    return Article(path=path, paragraphs=paragraphs, dropped=dropped, dateline=dateline)


def _drop_edge(blocks: list[tuple[int, list[str]]], *, at_start: bool) -> list[tuple[str, str]]:
    """Drop the cruft lines at one edge of the article, line by line from the outside in, up
    to its first line of text, and name them in the file's order. A cruft line in a block
    with text is dropped only where it ends the text's sentence, not in the middle of one
    ("... the ministry said in an" / "email."), and never at the other side of text."""
    dropped: list[tuple[str, str]] = []
    while blocks:
        index = 0 if at_start else -1
        number, lines = blocks[index]
        line = lines[index]
        rule = cruft_rule(line)
        if rule is None:
            break
        if len(lines) > 1 and not _stands_alone(lines, at_start):
            break
        dropped.append((rule, line.strip()))
        if len(lines) == 1:
            blocks.pop(index)
        elif at_start:
            blocks[0] = (number + 1, lines[1:])
        else:
            blocks[-1] = (number, lines[:-1])
    return dropped if at_start else dropped[::-1]


def _stands_alone(lines: list[str], at_start: bool) -> bool:
    """Whether the line at a block's edge is apart from the text beside it in the block: the
    text's sentence has ended before it, or starts after it."""
    if at_start:
        after = lines[1].strip()
        return (not after or cruft_rule(after) is not None or after[0].isupper()
                or after[0].isdigit() or after[0] in "\"“‘'«")
    before = lines[-2].strip()
    return not before or before[-1] in ".!?\"”’'»)…:" or cruft_rule(before) is not None


def _blocks(text: str) -> list[tuple[int, list[str]]]:
    """Blank-line separated blocks as (first line number, lines)."""
    blocks: list[tuple[int, list[str]]] = []
    current: list[str] = []
    start = 0
    for number, line in enumerate(text.split("\n"), start=1):
        if line.strip():
            if not current:
                start = number
            current.append(line)
        elif current:
            blocks.append((start, current))
            current = []
    if current:
        blocks.append((start, current))
    return blocks
