"""The data model every stage shares: segments of an article and the document holding them.

No file format or engine is imported here; formats and engines import this module.
"""

from __future__ import annotations

import operator
import re
from collections.abc import Iterable
from dataclasses import dataclass, field, fields
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from glossator.glossary.model import (
    ADMITTED,
    DEPRECATED,
    INFLECTED,
    AnnotationError,
    Form,
    parse_form,
)

INFO_NOTE = "info: "  # a note that informs the reviewer and flags nothing

# A segment's state, as every view names it (`Segment.state`): approved by a person (not fuzzy),
# changed by a person but not approved, or the engine's text as it wrote it.
REVIEWED = "reviewed"
EDITED = "edited"
MACHINE = "machine"

# glossator's segment ids, "PARAGRAPH.SENTENCE": ASCII digits, at most 9 a side (an article
# within its 16 MiB limit has fewer than 10**8 paragraphs), so that no id read from a file can
# meet Python's limit on converting digits to an int; an id of another shape is a tool's own.
SEGMENT_ID = re.compile(r"[0-9]{1,9}\.[0-9]{1,9}")
_NUMBER = re.compile(r"[0-9]{1,9}")


def paragraph_number(text: str) -> int:
    """The paragraph a segment id ("3.1") or a paragraph number ("3") read from a file names;
    0 when it names none ("", "x-17", "³", a number of thousands of digits)."""
    number = text.split(".")[0]
    return int(number) if _NUMBER.fullmatch(number) else 0


@dataclass
class Pin:
    """One glossary term found in a source segment and the rendering it is pinned to."""

    start: int  # character offsets of the match in Segment.source
    end: int
    source_text: str  # the text matched in the source ("Shoigu's" matches as "Shoigu")
    target_text: str  # the pinned rendering, case carried over
    admitted: tuple[str, ...] = ()  # admitted spellings: a reviewer may write them
    concept: str = ""  # the glossary's first source variant, names the concept
    note: str = ""
    possessive: bool = False  # an English "'s" follows the match in the source
    pinned: bool | None = None  # None until proved after translation (terms.proof)
    inflected: tuple[str, ...] = ()  # case forms of the rendering, kept as the engine wrote them
    deprecated: tuple[str, ...] = ()  # spellings to avoid: replaced, and flagged by QA
    gender: str | None = None  # "m", "f", "n": what agreement around the pin follows
    number: str | None = None  # "sg", "pl"
    article: bool | None = None  # whether the target language puts an article before it

    def copied(self) -> Pin:
        """A copy of the pin (its fields are strings, tuples and flags: shallow is whole),
        made without `copy.copy`'s generic and slower path."""
        twin = object.__new__(Pin)
        twin.__dict__.update(self.__dict__)
        return twin

    @property
    def preferred_forms(self) -> tuple[str, ...]:
        """The pinned rendering and its inflections: what counts as the pin having landed."""
        return (self.target_text, *self.inflected)

    def form(self) -> Form:
        """The pinned rendering as a glossary form, with its grammar."""
        return Form(self.target_text, gender=self.gender, number=self.number,
                    article=self.article)

    def line(self) -> str:
        """The pin as one comment line: `SOURCE → PINNED {grammar} | OTHER {status} ...`,
        each form written as a glossary cell writes it."""
        forms = [self.form(), *(Form(text, ADMITTED) for text in self.admitted),
                 *(Form(text, INFLECTED) for text in self.inflected),
                 *(Form(text, DEPRECATED) for text in self.deprecated)]
        return f"{self.source_text} → " + " | ".join(form.written() for form in forms)

    @classmethod
    def from_line(cls, line: str) -> Pin | None:
        """Read back what `line()` wrote; None when `line` is not of that shape. Offsets are
        unknown (-1) for a pin read from a file."""
        if " → " not in line:
            return None
        source_text, cell = line.split(" → ", 1)
        try:
            forms = [parse_form(entry, index)
                     for index, entry in enumerate(cell.split(" | "))]
        except AnnotationError:
            return None
        first, others = forms[0], forms[1:]
        return cls(-1, -1, source_text, first.text,
                   admitted=tuple(f.text for f in others if f.status == ADMITTED),
                   inflected=tuple(f.text for f in others if f.status == INFLECTED),
                   deprecated=tuple(f.text for f in others if f.status == DEPRECATED),
                   gender=first.gender, number=first.number, article=first.article)


@dataclass(frozen=True)
class Tag:
    """Inline markup of a document's paragraph (bold, a link, inline code, an image ...) as a
    placeholder around (or at) characters of a segment's text.

    `name` is a letter for what the markup is (`TAG_LETTERS`) and the number of the markup in
    its paragraph, so a bold run cut by a sentence boundary has one name in both segments, and
    the writer of the document finds the markup's own bytes by it. People see a pair tag as
    `<b0>…</b0>` and a point tag (no text of its own: an image, inline code) as `<c1/>`, as
    OmegaT shows them (`tagged`)."""

    name: str
    start: int  # offsets into the plain text
    end: int  # == start for a point tag
    point: bool = False


# What the letter of a tag's name says it is: what the writers of documents and QA name.
TAG_LETTERS = {"b": "bold", "i": "italic", "u": "underline", "s": "struck through",
               "a": "link", "c": "code", "m": "image", "n": "note", "x": "markup",
               "g": "formatting"}


def tag_number(name: str) -> int:
    """The number of a tag's name ("b3" → 3): its markup's index in the paragraph."""
    return int(name[1:])


def tag_ends(tags: Iterable[Tag]) -> list[tuple[int, str, Tag]]:
    """Each tag's ends as (offset, "open" | "close" | "point", tag), in the order a writer puts
    them in the text: at one offset closings first (the innermost first), then points, then
    openings (the outermost first), so that written pairs nest as they did."""
    keyed: list[tuple[int, int, int, str, Tag]] = []
    for tag in tags:
        if tag.point:
            keyed.append((tag.start, 1, 0, "point", tag))
        else:
            keyed.append((tag.start, 2, -tag.end, "open", tag))
            keyed.append((tag.end, 0, -tag.start, "close", tag))
    keyed.sort(key=lambda end: end[:3])
    return [(offset, what, tag) for offset, _order, _tie, what, tag in keyed]


def tagged(text: str, tags: Iterable[Tag]) -> str:
    """`text` with its tags written in: "the <b0>Ministry</b0> said<c1/>"."""
    written = {"open": "<{}>", "close": "</{}>", "point": "<{}/>"}
    parts, cursor = [], 0
    for offset, what, tag in tag_ends(tags):
        parts.append(text[cursor:offset])
        parts.append(written[what].format(tag.name))
        cursor = offset
    parts.append(text[cursor:])
    return "".join(parts)


def untagged(text: str, names: Iterable[str]) -> tuple[str, list[Tag]]:
    """Read back what `tagged` wrote: the plain text and its tags. Only `names` are tags (a
    "<b0>" of another name is text); a pair with one end missing, or an end seen twice, is
    left in the text as written, for QA to report."""
    known = set(names)
    if not known:
        return text, []
    pattern = re.compile(r"<(/?)(" + "|".join(sorted(map(re.escape, known))) + r")(/?)>")
    matches = list(pattern.finditer(text))
    opened: dict[str, int] = {}
    pairs: dict[int, int] = {}  # index of an opening → index of its closing
    for index, match in enumerate(matches):
        closing, name, point = match.group(1), match.group(2), match.group(3)
        if point:
            continue
        if closing:
            if name in opened:
                pairs[opened.pop(name)] = index
        elif name not in opened:
            opened[name] = index
    kept = set(pairs) | set(pairs.values()) | {
        i for i, m in enumerate(matches) if m.group(3) and not m.group(1)}
    plain: list[str] = []
    starts: dict[int, int] = {}
    tags: list[tuple[int, Tag]] = []
    cursor = length = 0
    for index, match in enumerate(matches):
        if index not in kept:
            continue
        plain.append(text[cursor:match.start()])
        length += match.start() - cursor
        cursor = match.end()
        name = match.group(2)
        if match.group(3):
            tags.append((index, Tag(name, length, length, point=True)))
        elif not match.group(1):
            starts[index] = length
        else:
            opening = next(i for i, j in pairs.items() if j == index)
            tags.append((opening, Tag(name, starts[opening], length)))
    plain.append(text[cursor:])
    return "".join(plain), [tag for _index, tag in sorted(tags, key=lambda t: t[0])]


def tag_names(text: str) -> list[str]:
    """The names of the tags written in `text`, each once, in order ("<b0>x</b0><c1/>" →
    b0, c1): what QA compares."""
    return list(dict.fromkeys(m.group(1) for m in re.finditer(r"</?([a-z][0-9]{1,6})/?>", text)))


def approval_stamp(reviewer: str) -> str:
    """What `Segment.reviewer` records: who approved, and when (UTC, to the minute)."""
    return f"{reviewer}, {datetime.now(timezone.utc):%Y-%m-%dT%H:%MZ}"


@dataclass(frozen=True)
class Match:
    """A translation memory's unit whose source is like a segment's: a fuzzy match.

    `score` is the similarity of the two sources in percent; `origin` says where the unit is
    (the memory, or an article's reviewed segment); `diff` is the unit's source against the
    segment's, word by word: ("same" | "insert" | "delete", text), where "insert" is in the
    unit's source only and "delete" in the segment's only."""

    source: str
    target: str
    score: int
    origin: str = ""
    diff: tuple[tuple[str, str], ...] = ()


@dataclass
class Segment:
    """One sentence of an article; `id` is "paragraph.sentence", both 1-based."""

    id: str
    source: str
    paragraph: int
    kind: str = "body"  # "title", "dateline" or "body"
    target: str = ""
    fuzzy: bool = True  # machine output until a person reviews it
    pins: list[Pin] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # remarks for the reviewer (pins missed)
    qa: list[str] = field(default_factory=list)  # QA findings, one line each
    previous_source: str | None = None  # a changed source keeps its old msgid here
    comment: str = ""  # the reviewer's own comment ("# " in PO), kept as written
    origin: str = ""  # where a translation not made in this run came from, e.g. the memory
    machine: str = ""  # what the engine wrote, so a person's edit of `target` shows
    reviewer: str = ""  # who approved the target and when: `approval_stamp(NAME)`
    # A document's inline markup in `source` (offsets into it, which stays plain for engines
    # and pins); `target` then holds the markup written in (`tagged`), as people edit it.
    markup: list[Tag] = field(default_factory=list)
    matches: list[Match] = field(default_factory=list)  # fuzzy matches from the memory, best first
    # The words of each of its pair tags translated alone, this run (source words → engine
    # text): where `terms.markup` looks for a tag's words the engine reworded. Not stored.
    tag_words: dict[str, str] = field(default_factory=dict, compare=False, repr=False)

    @property
    def tagged_source(self) -> str:
        """The source with its markup written in, as PO and XLIFF show it."""
        return tagged(self.source, self.markup) if self.markup else self.source

    def target_plain(self) -> tuple[str, list[Tag]]:
        """The target without its markup, and the markup read from it."""
        if not self.markup:
            return self.target, []
        return untagged(self.target, [tag.name for tag in self.markup])

    @property
    def sentence(self) -> int:
        return int(self.id.split(".")[1])

    @property
    def edited(self) -> bool:
        """A person changed the machine text but has not approved it yet (still fuzzy)."""
        return self.fuzzy and bool(self.machine) and self.target != self.machine

    @property
    def state(self) -> str:
        """`REVIEWED`, `EDITED` or `MACHINE`: what a view shows of who wrote the target."""
        if not self.fuzzy:
            return REVIEWED
        return EDITED if self.edited else MACHINE

    @property
    def person_written(self) -> bool:
        """The target is a person's text, which no run may replace: reviewed, edited, kept
        from an earlier source (`previous_source`), or fuzzy with no record of what the engine
        wrote (glossator always records it, so someone else wrote this one)."""
        return bool(self.target) and (not self.fuzzy or bool(self.previous_source)
                                      or not self.machine or self.target != self.machine)


_PIN_FIELDS = operator.attrgetter(*(item.name for item in fields(Pin)))


def segment_fields(*left_out: str) -> tuple[str, ...]:
    """The names of a segment's fields but `left_out` and those not stored (`tag_words`):
    what `content_key` is given."""
    return tuple(item.name for item in fields(Segment) if item.repr and item.name not in left_out)


def content_key(segment: Segment, names: tuple[str, ...]) -> tuple:
    """The segment's fields `names` as one hashable value: equal for segments that hold the
    same in them. Stages that work once per distinct segment (QA, rendering) key by it; it is
    cheaper than `repr`, which the pins' dataclass repr makes slow."""
    reader = _READERS.get(names)
    if reader is None:
        reader = _READERS[names] = (operator.attrgetter(*names), names.index("pins")
                                    if "pins" in names else -1,
                                    tuple(index for index, name in enumerate(names)
                                          if name in _LIST_FIELDS and name != "pins"))
    getter, pins, lists = reader
    values = list(getter(segment)) if len(names) > 1 else [getter(segment)]
    if pins >= 0:
        values[pins] = tuple(map(_PIN_FIELDS, values[pins]))
    for index in lists:  # of strings and frozen dataclasses (Tag, Match)
        values[index] = tuple(values[index])
    return tuple(values)


_LIST_FIELDS = {item.name for item in fields(Segment)
                if item.default_factory is list}
_READERS: dict[tuple[str, ...], tuple[Any, int, tuple[int, ...]]] = {}


def count_states(segments: Iterable[Segment]) -> dict[str, int]:
    """How many of `segments` are in each state, every state present (0 where none is)."""
    counts = dict.fromkeys((REVIEWED, EDITED, MACHINE), 0)
    for segment in segments:
        counts[segment.state] += 1
    return counts


@dataclass
class Document:
    """An article: its ordered segments and what was learnt reading it."""

    name: str  # stem used for output files
    source_lang: str
    segments: list[Segment] = field(default_factory=list)
    path: Path | None = None
    article: str = ""  # file name of the source article, recorded in every output
    source_key: str = ""  # which article this is: placement.article_key, kept in the PO header
    dropped: list[str] = field(default_factory=list)  # cruft lines removed while reading
    target_lang: str | None = None
    header_notes: list[str] = field(default_factory=list)  # lines for the output header
    signature: str = ""  # how the translation was made: engine, model, glossary, segmenter
    obsolete: list[Segment] = field(default_factory=list)  # segments that left the article
    # A document format's source (text.layout.Layout: Markdown, DOCX), from which the writer
    # of its format (formats.documents) writes the translation; None for a text article.
    layout: object | None = None

    def paragraphs(self) -> list[list[Segment]]:
        """Segments grouped by paragraph, in order."""
        grouped: dict[int, list[Segment]] = {}
        for segment in self.segments:
            grouped.setdefault(segment.paragraph, []).append(segment)
        return [grouped[key] for key in sorted(grouped)]

    def source_text(self) -> str:
        return "\n\n".join(" ".join(s.source for s in para) for para in self.paragraphs())

    def target_text(self) -> str:
        return "\n\n".join(" ".join(s.target for s in para) for para in self.paragraphs())
