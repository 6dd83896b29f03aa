"""The facts glossator records about a segment, as `KEY: VALUE` lines: one codec for every format.

PO carries them as extracted comments (`#. pin: ...`), XLIFF as `<note from="glossator">`s,
TMX as `<note>`s and `<prop type="x-KEY">`s. The facts, in the order they are written:

    title | dateline             the segment's kind (body segments have no line)
    pin: SOURCE → PINNED {grammar} | OTHER {status} ...    (model.Pin.line)
    note: ...                    a pin that did not land, or an informational note
    qa: ...                      a QA finding
    origin: ...                  where a translation not made in this run came from
    machine: ...                 what the engine wrote, to tell a person's edit from it
    reviewed: NAME, DATE         who approved the target
    markup: <b0> bold, <c1/> code   a document's inline markup: the tags source and target
                                 hold (model.Tag), which a reader takes out of the source
    match: 87% SOURCE → TARGET   a fuzzy match from the translation memory (model.Match),
                                 best first; PO only (`to_lines`), XLIFF has <alt-trans>

A value holding a line break (machine text may) or starting with `"` is written as a JSON
string (`machine: "first\\nsecond"`), so every fact stays one line in a line-based file; any
other value is written as it is.

Editors re-wrap long comment lines (polib at 78 columns, as xgettext does): `join_wrapped`
puts them back together, a line that starts with no key (or a kind after the first line)
continuing the one before it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator

from glossator.model import TAG_LETTERS, Match, Pin, Segment, Tag, untagged

KINDS = ("title", "dateline")
KEYS = ("pin", "note", "qa", "origin", "machine", "reviewed", "markup", "match")

Fact = tuple[str, str]  # (key, value); the kind is ("kind", "title")

_LINE_BREAK = re.compile(r"[\n\r]")
_KEYED = re.compile("(?:" + "|".join(KEYS) + "): ")
# textwrap breaks after a hyphen between letters ("norte-" / "coreano"): no space was lost there.
_HYPHEN_BREAK = re.compile(r"(?:[^\W\d_]{2}|[^\W\d_]-[^\W\d_])-\Z")
_WORD_START = re.compile(r"[^\W\d_]-?[^\W\d_]")
_MATCH = re.compile(r"(\d{1,3})% (.*?) → (.*)", re.DOTALL)


def facts(segment: Segment) -> list[Fact]:
    """What glossator knows about `segment` beyond its texts, in writing order."""
    found: list[Fact] = [("kind", segment.kind)] if segment.kind in KINDS else []
    found += [("pin", pin.line()) for pin in segment.pins]
    found += [("note", note) for note in segment.notes]
    found += [("qa", finding) for finding in segment.qa]
    if segment.origin:
        found.append(("origin", segment.origin))
    if segment.machine:
        found.append(("machine", segment.machine))
    if segment.reviewer:
        found.append(("reviewed", segment.reviewer))
    if segment.markup:
        found.append(("markup", markup_line(segment.markup)))
    return found


def markup_line(tags: list[Tag]) -> str:
    """"<b0> bold, <c1/> code": each tag once, as it is written, and what it is."""
    named = {tag.name: tag for tag in tags}
    return ", ".join(f"<{name}{'/' if tag.point else ''}> {TAG_LETTERS.get(name[0], 'markup')}"
                     for name, tag in named.items())


def settle_markup(segment: Segment) -> None:
    """A segment read from a file whose `markup:` fact named tags: its source (read with the
    tags written in) made plain, and the tags read from it."""
    if segment.markup:
        segment.source, segment.markup = untagged(segment.source,
                                                  [tag.name for tag in segment.markup])


def apply_fact(segment: Segment, key: str, value: str) -> bool:
    """Record one fact on `segment`; False when the key is unknown or the value unreadable."""
    if key == "kind" and value in KINDS:
        segment.kind = value
    elif key == "pin" and (pin := Pin.from_line(value)):
        segment.pins.append(pin)
    elif key == "note":
        segment.notes.append(value)
    elif key == "qa":
        segment.qa.append(value)
    elif key == "origin":
        segment.origin = value
    elif key == "machine":
        segment.machine = value
    elif key == "reviewed":
        segment.reviewer = value
    elif key == "match":
        found = _MATCH.fullmatch(value)
        if found:  # a line edited out of shape is dropped: the next run writes the matches anew
            segment.matches.append(Match(found.group(2), found.group(3), int(found.group(1))))
    elif key == "markup" and (names := re.findall(r"<([a-z][0-9]{1,6})(/?)>", value)):
        # names only, until `settle_markup` reads the tags from the source
        segment.markup = [Tag(name, 0, 0, point=bool(point)) for name, point in names]
    else:
        return False
    return True


def match_lines(segment: Segment) -> list[str]:
    """The segment's memory matches as `match:` lines, written after its facts in a PO."""
    return [fact_line("match", f"{match.score}% {match.source} → {match.target}")
            for match in segment.matches]


def fact_line(key: str, value: str) -> str:
    """One fact as one line of text: `qa: ...`, or the kind alone."""
    if key == "kind":
        return value
    if _LINE_BREAK.search(value) or value.startswith('"'):
        # A NUL is U+FFFD in every file (no format can hold it), the JSON form's too, where it
        # would otherwise be written as an escape and read back as a NUL.
        value = json.dumps(value.replace("\x00", "\ufffd"), ensure_ascii=False)
    return f"{key}: {value}"


def parse_line(line: str) -> Fact | None:
    """The inverse of `fact_line`; None for a line that holds no fact."""
    if line in KINDS:
        return ("kind", line)
    if not _KEYED.match(line):
        return None
    key, value = line.split(": ", 1)
    if value.startswith('"'):
        try:
            decoded = json.loads(value)
        except ValueError:
            decoded = None  # written by a person or an older glossator: taken as it is
        if isinstance(decoded, str):
            value = decoded
    return key, value


def to_lines(segment: Segment) -> list[str]:
    """The PO's `#.` lines: the facts, then the memory's matches (`match_lines`)."""
    return [fact_line(key, value) for key, value in facts(segment)] + match_lines(segment)


def read_lines(segment: Segment, lines: Iterable[str]) -> list[str]:
    """Record on `segment` the facts of `lines` (re-wrapped lines joined first); return the
    lines that held none, for the caller to keep or ignore."""
    other = []
    for line in join_wrapped(lines):
        fact = parse_line(line)
        if fact is None or not apply_fact(segment, *fact):
            other.append(line)
    return other


def join_wrapped(lines: Iterable[str]) -> Iterator[str]:
    """Lines with each one that starts with no key joined to the line before it, with the
    space a wrap took away (none after a hyphen between letters, where textwrap also breaks)."""
    current: str | None = None
    for line in lines:
        # The kind is written first: a later "title" is the last word of a wrapped line.
        if current is not None and (line in KINDS or parse_line(line) is None):
            glue = "" if _HYPHEN_BREAK.search(current) and _WORD_START.match(line) else " "
            current = f"{current}{glue}{line}"
            continue
        if current is not None:
            yield current
        current = line
    if current is not None:
        yield current
