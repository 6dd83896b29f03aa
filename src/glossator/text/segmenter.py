"""Sentence segmentation for news paragraphs: sentencex plus a few rules on top.

sentencex proposes the boundaries; the rules below drop the ones that are
clearly wrong (after titles, before lowercase words, inside protected spans)
and add the ones it misses (numbered and lettered lists, the 4-dot ellipsis).

A sentence longer than `MAX_SEGMENT_CHARS` (1,000 characters) would keep a
translation engine busy for minutes (its cost grows faster than its length),
so `clause_spans` cuts it into pieces of at most that length before it goes to
the engine: at a clause boundary where there is one — after `;`, then `:`,
then `,`, then a dash (`—`, `–`) followed by white space (the full-width CJK
marks `；：，、` need none) — else at a space, else anywhere; never inside a
protected span (a glossary term). Each piece is as close to an even share of
the sentence as the boundaries allow, and at least a quarter of the limit
long, so the cutting takes time linear in the sentence's length. Each piece
gets a note (`split_note`) starting with `model.INFO_NOTE`, "info: ", which review
shows but does not count as a flag.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass

import sentencex

from glossator.languages import base_language
from glossator.model import INFO_NOTE

__all__ = ["INFO_NOTE", "MAX_SEGMENT_CHARS", "SegmentPiece", "clause_spans", "segment_paragraph",
           "sentence_spans", "split_note", "split_sentences"]

MAX_SEGMENT_CHARS = 1000
# A segment note starting so informs the reviewer; unlike other notes it does not flag.
# Clause boundaries, strongest first: each match ends where the first piece ends.
_CLAUSE_BOUNDARIES = (
    re.compile(r"[;؛](?=\s)|；"),
    re.compile(r":(?=\s)|："),
    re.compile(r"[,،](?=\s)|[，、]"),
    re.compile(r"[—–](?=\s)"),
)
_SPACE_RUN = re.compile(r"\s+")


def _words(words: str) -> frozenset[str]:
    return frozenset(words.split())


# Abbreviations that precede a name and so never end a sentence, per language.
# Compared case-sensitively, without the trailing period.
_TITLES: dict[str, frozenset[str]] = {
    "en": _words(
        "Mr Mrs Ms Messrs Dr Prof Gen Lt Col Capt Cmdr Sgt Maj Adm Cpl Pvt Brig "
        "Sen Rep Gov Pres Amb Rev Hon Supt Insp Mt Ft"
    ),
    "pt": _words("Sr Sra Srta Srs Dr Dra Drs Prof Profa Exmo Exma Eng Gen Cel Cap Av"),
    "es": _words("Sr Sra Srta Sres Dr Dra Prof Lic Ing Gral Gen Cnel Av"),
    "fr": _words("M MM Mme Mmes Mlle Dr Pr Me Mgr Gén"),
    "de": _words("Hr Fr Dr Prof Gen"),
    "ru": _words("г-н г-жа"),
}

# Abbreviations that are followed by a number ("p. 55", "No. 10", "pág. 12").
# Compared lowercased, without the trailing period.
_NUMBER_PREFIXES: dict[str, frozenset[str]] = {
    "en": _words("no nos p pp vol art fig ch sec para approx ca nr"),
    "pt": _words("n nº pág págs p pp art cap vol fl fls"),
    "es": _words("n nº núm pág págs p pp art cap vol"),
    "fr": _words("n no p pp art vol chap"),
    "de": _words("nr s art abs bd ca"),
    "ru": _words("с ст п гл т"),
}

_WEEKDAYS = "Monday Tuesday Wednesday Thursday Friday Saturday Sunday"
_MONTHS = (
    "January February March April May June July August September October November "
    "December Jan Feb Mar Apr Jun Jul Aug Sep Sept Oct Nov Dec"
)
_TIME_ZONES = "ET EST EDT CT CST CDT MT MST MDT PT PST PDT GMT UTC BST CET CEST KST JST MSK"
# A capitalised word after "a.m."/"p.m." that continues the sentence.
_AFTER_CLOCK = frozenset(f"{_WEEKDAYS} {_MONTHS} {_TIME_ZONES}".split())

_CLOCK = re.compile(r"[ap]\.m\.", re.IGNORECASE)
_OPENERS = "\"'“‘«„([{"
_OTHER_SPACE = re.compile(r"[^\S ]")
_NON_SPACE = re.compile(r"\S")
# "1. ", "1.) ", "2) ", "a. ", "• 9. ", "⁃10. " at the start of the text or after a space.
_LIST_MARKER = re.compile(r"(?<!\S)([•⁃‣◦▪*–-]?) ?(\d{1,3}|[a-z])(\.\)?|\))(?= )")
# "compounds. . . . The": the first period ends the sentence, the rest opens the next one.
_FOUR_DOT = re.compile(r"(?<=\w)\.(?= \. \. \. +[\"'“‘(]*([^\W\d_]))")


def split_sentences(
    text: str, lang: str = "en", protected: Sequence[tuple[int, int]] = ()
) -> list[str]:
    """Split one paragraph into sentences, surrounding whitespace stripped."""
    return [text[start:end] for start, end in sentence_spans(text, lang, protected)]


def sentence_spans(
    text: str, lang: str = "en", protected: Sequence[tuple[int, int]] = ()
) -> list[tuple[int, int]]:
    """Return (start, end) offsets of each sentence of `text`, whitespace excluded.

    No boundary falls strictly inside a span of `protected`.
    """
    # Same-length copy with every whitespace character turned into a plain space,
    # so newlines inside a paragraph read as spaces and offsets stay valid.
    work = _OTHER_SPACE.sub(" ", text)
    if not work.strip():
        return []
    key = lang.lower().replace("_", "-").split("-")[0] or "en"

    cuts = _sentencex_cuts(work, lang or "en")
    forced: set[int] = set()
    for add, drop in (_list_rule(work), _four_dot_rule(work)):
        forced |= add
        cuts -= drop
    titles = _TITLES.get(key, _TITLES["en"])
    number_prefixes = _NUMBER_PREFIXES.get(key, _NUMBER_PREFIXES["en"])
    cuts = {c for c in cuts if not _is_false_cut(work, c, titles, number_prefixes)} | forced
    cuts -= _cuts_inside(sorted(cuts), protected)

    spans = []
    start = 0
    for cut in [*sorted(cuts), len(work)]:
        piece = work[start:cut]
        stripped = piece.strip(" ")
        if stripped:
            lead = start + len(piece) - len(piece.lstrip(" "))
            spans.append((lead, lead + len(stripped)))
        start = cut
    return spans


def _sentencex_cuts(work: str, lang: str) -> set[int]:
    """sentencex's boundaries, each moved back to just after the sentence's last character."""
    cuts = set()
    for sentence in sentencex.get_sentence_boundaries(lang, work):
        start = sentence["start_index"]
        end = start + len(work[start : sentence["end_index"]].rstrip(" "))
        if 0 < end < len(work):
            cuts.add(end)
    return cuts


def _is_false_cut(
    work: str, cut: int, titles: frozenset[str], number_prefixes: frozenset[str]
) -> bool:
    """Whether the sentencex boundary at `cut` should be dropped."""
    after = _NON_SPACE.search(work, cut)
    if after is None:
        return False
    if after.start() == cut and work[cut - 1] == "." and work[cut].isalnum():
        return True  # inside a token such as "n.º"
    token_end = work.find(" ", after.start())
    next_token = work[after.start() : token_end if token_end >= 0 else len(work)]
    next_word = next_token.lstrip(_OPENERS)
    # A lowercase word continues the sentence, unless it is a name like "iPhone".
    if next_word[:1].islower() and next_word == next_word.lower():
        return True

    prev_token = work[work.rfind(" ", 0, cut) + 1 : cut].lstrip(_OPENERS)
    if not prev_token.endswith("."):
        return False
    abbreviation = prev_token[:-1]
    if abbreviation in titles:
        return True
    if next_word[:1].isdigit() and abbreviation.lower() in number_prefixes:
        return True
    if _CLOCK.fullmatch(prev_token):
        # "10 p.m. Tuesday", "9 a.m. ET", "3 a.m. (0100 GMT)", "8 p.m. Seoul time"
        word = next_word.rstrip(".,;:")
        if word in _AFTER_CLOCK or next_token.startswith("("):
            return True
        return work.startswith(" time", after.start() + len(next_token))
    return False


def _list_rule(work: str) -> tuple[set[int], set[int]]:
    """Boundaries to add before list items, and to drop right after list markers.

    A list is a run of markers numbered 1, 2, 3 … or a, b, c … (any start) with
    the same bullet and punctuation, the first at the start of the text.
    """
    markers = list(_LIST_MARKER.finditer(work))
    if not markers or work[: markers[0].start()].strip():
        return set(), set()
    chain = [markers[0]]
    for marker in markers[1:]:
        previous = chain[-1]
        if (
            marker.group(1) == previous.group(1)
            and marker.group(3) == previous.group(3)
            and marker.group(2).isdigit() == previous.group(2).isdigit()
            and _ordinal(marker.group(2)) == _ordinal(previous.group(2)) + 1
        ):
            chain.append(marker)
    drop = {cut for marker in chain for cut in range(marker.start() + 1, marker.end() + 2)}
    return {marker.start() for marker in chain[1:]}, drop


def _ordinal(label: str) -> int:
    return int(label) if label.isdigit() else ord(label)


def _four_dot_rule(work: str) -> tuple[set[int], set[int]]:
    """Boundaries to add after the period of "word. . . . Next", and to drop after the dots."""
    add, drop = set(), set()
    for match in _FOUR_DOT.finditer(work):
        if match.group(1).isupper():
            add.add(match.end())
            drop.update(range(match.end() + 1, match.end() + 8))
    return add, drop


def _cuts_inside(cuts: list[int], protected: Sequence[tuple[int, int]]) -> set[int]:
    """The cuts that fall strictly inside one of the protected spans."""
    inside = set()
    for start, end in protected:
        i = bisect_left(cuts, start + 1)
        while i < len(cuts) and cuts[i] < end:
            inside.add(cuts[i])
            i += 1
    return inside


def clause_spans(
    text: str,
    start: int,
    end: int,
    protected: Sequence[tuple[int, int]] = (),
    limit: int = MAX_SEGMENT_CHARS,
) -> list[tuple[int, int]]:
    """The sentence `text[start:end]` cut into pieces of at most `limit` characters, as
    (start, end) offsets into `text`, whitespace excluded; `[(start, end)]` when it fits.

    Cuts fall at the strongest clause boundary available (see the module docstring), never
    strictly inside a span of `protected`; a protected span longer than `limit` stays whole.
    """
    if limit < 4:
        raise ValueError("limit must be at least 4 characters")
    if end - start <= limit:
        return [(start, end)]
    shortest = limit // 4
    spans = _merged(protected)
    levels = []
    for pattern in _CLAUSE_BOUNDARIES:
        cuts = [match.end() for match in pattern.finditer(text, start, end)]
        levels.append(_outside(cuts, spans))
    spaces = [match.start() for match in _SPACE_RUN.finditer(text, start, end)]
    levels.append(_outside(spaces, spans))

    pieces = []
    position = start
    while end - position > limit:
        parts = -(-(end - position) // limit)  # pieces still needed, at the fewest
        ideal = position + -(-(end - position) // parts)
        low, high = position + shortest, position + limit
        cut = next((found for cuts in levels
                    if (found := _nearest(cuts, low, high, ideal)) is not None), None)
        if cut is None:
            cut = _hard_cut(text, position, ideal, spans)
        piece_end = cut
        while piece_end > position and text[piece_end - 1].isspace():
            piece_end -= 1
        if piece_end > position:
            pieces.append((position, piece_end))
        position = cut
        while position < end and text[position].isspace():
            position += 1
    if position < end:
        pieces.append((position, end))
    return pieces


def split_note(first: str, last: str, length: int, limit: int = MAX_SEGMENT_CHARS) -> str:
    """The note on each piece of a sentence that `clause_spans` cut: ids of its first and last
    piece, its length. Informational: the pieces need no more review than other segments."""
    return (f"{INFO_NOTE}{first}–{last} are one sentence of {length:,} characters, split at "
            f"clause boundaries before translation (limit {limit:,} characters a segment)")


@dataclass(frozen=True)
class SegmentPiece:
    """One segment cut from a paragraph: its id, its text and where that is in the paragraph,
    and its notes (a `split_note` where it is a piece of a long sentence)."""

    id: str
    text: str
    start: int
    end: int
    notes: tuple[str, ...] = ()


def segment_paragraph(
    text: str,
    lang: str,
    protected: Sequence[tuple[int, int]] = (),
    *,
    paragraph: int,
    first: int = 1,
    sentences: bool = True,
) -> list[SegmentPiece]:
    """One paragraph's `text` cut into segments: into sentences (or, with `sentences` False,
    kept whole, as a title or dateline is), and each sentence over `MAX_SEGMENT_CHARS` into
    pieces at clause boundaries, none cut inside a `protected` span. Ids are
    "PARAGRAPH.SENTENCE", numbered on from `first`, as the notes on split pieces name them."""
    return list(_pieces(text, base_language(lang), tuple(protected), paragraph, first,
                        sentences))


# Archives repeat paragraphs (datelines, boilerplate, wire copy), often in the same place of
# an article: each is cut, and its pieces made, once.
@functools.lru_cache(maxsize=4096)
def _pieces(text: str, lang: str, protected: tuple[tuple[int, int], ...], paragraph: int,
            first: int, sentences: bool) -> tuple[SegmentPiece, ...]:
    pieces: list[SegmentPiece] = []
    number = first
    for start, end, clauses in _cuts(text, lang, protected, sentences):
        ids = [f"{paragraph}.{number + offset}" for offset in range(len(clauses))]
        notes = ((split_note(ids[0], ids[-1], end - start, MAX_SEGMENT_CHARS),)
                 if len(clauses) > 1 else ())
        pieces.extend(SegmentPiece(piece_id, text[piece_start:piece_end], piece_start,
                                   piece_end, notes)
                      for piece_id, (piece_start, piece_end) in zip(ids, clauses))
        number += len(clauses)
    return tuple(pieces)


@functools.lru_cache(maxsize=4096)
def _cuts(text: str, lang: str, protected: tuple[tuple[int, int], ...], sentences: bool
          ) -> tuple[tuple[int, int, tuple[tuple[int, int], ...]], ...]:
    """Each sentence of `text` (the whole text where not `sentences`) and its clauses."""
    spans = sentence_spans(text, lang, protected) if sentences else [(0, len(text))]
    return tuple((start, end, tuple(clause_spans(text, start, end, protected,
                                                 MAX_SEGMENT_CHARS)))
                 for start, end in spans)


def _outside(cuts: list[int], protected: Sequence[tuple[int, int]]) -> list[int]:
    """`cuts` (sorted) less those strictly inside a protected span."""
    inside = _cuts_inside(cuts, protected) if protected else set()
    return [cut for cut in cuts if cut not in inside] if inside else cuts


def _nearest(cuts: list[int], low: int, high: int, ideal: int) -> int | None:
    """The cut in [low, high] nearest to `ideal` (the later one on a tie), or None."""
    after = bisect_left(cuts, ideal)
    best = None
    if after < len(cuts) and cuts[after] <= high:
        best = cuts[after]
    if after > 0 and cuts[after - 1] >= low and (
        best is None or ideal - cuts[after - 1] < best - ideal
    ):
        best = cuts[after - 1]
    return best


def _merged(spans: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    """Protected spans sorted, overlapping ones joined: a cut inside either is inside both."""
    merged: list[tuple[int, int]] = []
    for span_start, span_end in sorted(spans):
        if merged and span_start < merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], span_end))
        else:
            merged.append((span_start, span_end))
    return merged


def _hard_cut(text: str, position: int, ideal: int, protected: list[tuple[int, int]]) -> int:
    """A cut at `ideal` where no white space or boundary is near: moved off a combining mark,
    and before (or, where it starts the piece, after) a protected span it would fall into.
    `protected` is merged; only a span starting in the piece can hold the cut, since the
    piece's start is never inside one."""
    cut = ideal
    while cut > position + 1 and unicodedata.combining(text[cut]):
        cut -= 1
    index = bisect_left(protected, (cut, cut)) - 1
    if index >= 0:
        span_start, span_end = protected[index]
        if span_start < cut < span_end:
            cut = span_start if span_start > position else span_end
    return cut
