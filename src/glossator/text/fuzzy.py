"""Fuzzy matches and concordance over a translation memory's units, through an index.

A lookup does not score every unit: an inverted index (word → units holding it) shortlists
the units that share enough of the sentence's words, and only those are scored by rapidfuzz
(`fuzz.ratio`, the normalised Indel similarity of the two sources, in percent). The shortlist
is prefix filtering, as similarity joins do it: a unit holding at least half of the
sentence's distinct words holds at least one of its `n - ceil(n/2) + 1` rarest words, so only
those words' postings are read; the common words ("the", "de") that would make every lookup a
scan are never read at all.

A concordance search finds a word or a phrase at the start of words (the phrase's last word
may be the start of one: "Korea" finds "Korean"), case ignored, in sources and targets. It
reads the postings of the phrase's rarest word (a last word's through the sorted vocabulary)
and checks only those units.

No file here: the run (glossator.run.store) indexes its memory, the workspace
(glossator.review.memory) the memory files and the reviewed segments of its articles.
"""

from __future__ import annotations

import math
import re
from array import array
from bisect import bisect_left
from collections import Counter
from collections.abc import Collection, Iterable
from dataclasses import dataclass

from glossator.model import Match

THRESHOLD = 75  # the lowest score a match is shown with, in percent (OmegaT's default is 30)
SHORTLIST = 150  # units scored by rapidfuzz at most, per lookup
_INTERSECT = 2_000  # a search's shortest list longer than this is first cut by the others
_INT = "i"  # postings: arrays of C ints, which numpy reads as int32 without a copy
_WORD = re.compile(r"\w+")
_PIECE = re.compile(r"\w+|[^\w\s]+|\s+")


@dataclass(frozen=True)
class Unit:
    """One pair of a memory: a source, its translation, and where it is kept."""

    source: str
    target: str
    origin: str = ""


@dataclass(frozen=True)
class Hit:
    """A unit a concordance search found, with where the phrase is in each side (offsets)."""

    unit: Unit
    source_spans: tuple[tuple[int, int], ...]
    target_spans: tuple[tuple[int, int], ...]


def words(text: str) -> list[str]:
    """The words of `text` as the index keys them: casefolded."""
    return _WORD.findall(text.casefold())


class FuzzyIndex:
    """Units indexed by their words, for `lookup` (fuzzy matches) and `search` (concordance)."""

    def __init__(self, units: Iterable[Unit] = ()) -> None:
        self.units: list[Unit] = []
        self._seen: set[tuple[str, str]] = set()
        self._source_postings: dict[str, array] = {}
        self._all_postings: dict[str, array] = {}  # words of the source and the target
        self._vocabulary: list[str] | None = None  # sorted keys of _all_postings, when asked
        for unit in units:
            self.add(unit)

    def __len__(self) -> int:
        return len(self.units)

    def add(self, unit: Unit) -> bool:
        """Index `unit`; False (and nothing added) for an empty side or a pair already held."""
        pair = (unit.source, unit.target)
        if not unit.source.strip() or not unit.target.strip() or pair in self._seen:
            return False
        self._seen.add(pair)
        number = len(self.units)
        self.units.append(unit)
        source_words = set(words(unit.source))
        for word in source_words:
            self._source_postings.setdefault(word, array(_INT)).append(number)
        for word in source_words | set(words(unit.target)):
            self._all_postings.setdefault(word, array(_INT)).append(number)
        self._vocabulary = None
        return True

    def lookup(self, text: str, *, threshold: int = THRESHOLD, limit: int = 5,
               exclude: Collection[str] = ()) -> list[Match]:
        """Units whose source is at least `threshold` % like `text`, best first (then the
        shorter edit, then the order they were added), at most `limit`; units whose origin is
        in `exclude` (the segment's own, say) are left out."""
        from rapidfuzz import fuzz

        keys = set(words(text))
        if not keys or not self.units:
            return []
        postings = sorted((self._source_postings.get(key, array(_INT)) for key in keys), key=len)
        needed = len(keys) - math.ceil(len(keys) / 2) + 1
        counts: Counter[int] = Counter()
        for posting in postings[:needed]:
            counts.update(posting)
        found = []
        for number, _shared in counts.most_common(SHORTLIST):
            unit = self.units[number]
            if unit.origin in exclude:
                continue
            score = fuzz.ratio(text, unit.source, score_cutoff=threshold)
            if score >= threshold:
                found.append((-round(score), abs(len(unit.source) - len(text)), number))
        found.sort()
        return [Match(self.units[number].source, self.units[number].target, -score,
                      self.units[number].origin, word_diff(text, self.units[number].source))
                for score, _length, number in found[:limit]]

    def search(self, phrase: str, *, limit: int = 100) -> tuple[list[Hit], bool]:
        """Units holding `phrase` (at the start of a word, case ignored) in the source or the
        target: the first `limit` found, and whether there are more."""
        keys = words(phrase)
        if not keys:
            return [], False
        pattern = re.compile(r"(?<!\w)" + re.escape(" ".join(phrase.split())).replace(
            r"\ ", r"\s+"), re.IGNORECASE)
        # The words before the last are whole words, the last may be the start of one: the
        # shortest list of units among them is the one read.
        choices = [(len(self._all_postings.get(key, ())), [self._all_postings.get(key, ())])
                   for key in keys[:-1]]
        choices.append(self._prefixed(keys[-1]))
        choices.sort(key=lambda choice: choice[0])
        size, postings = choices[0]
        if size > _INTERSECT and len(choices) > 1:
            # Common words only ("of the"): the units holding all of them, before reading any.
            postings = [self._holding_all([postings for _size, postings in choices])]
        hits: list[Hit] = []
        search = pattern.search
        seen: set[int] = set()
        several = len(postings) > 1  # a prefix's words: a unit may be in two of them
        for posting in postings:
            for number in posting:
                if several:
                    if number in seen:
                        continue
                    seen.add(number)
                unit = self.units[number]
                if not (search(unit.source) or search(unit.target)):
                    continue
                if len(hits) == limit:
                    return hits, True
                hits.append(Hit(unit, tuple(m.span() for m in pattern.finditer(unit.source)),
                                tuple(m.span() for m in pattern.finditer(unit.target))))
        return hits, False

    def _holding_all(self, groups: list[list[array]]) -> list[int]:
        """The units in at least one posting of every group, in order (numpy: a count per
        unit, since sets of 100,000 numbers cost more than the search)."""
        import numpy

        counts = numpy.zeros(len(self.units), numpy.uint8)
        for group in groups:
            seen = numpy.zeros(len(self.units), numpy.bool_)
            for posting in group:
                seen[numpy.frombuffer(posting, numpy.int32)] = True
            counts += seen
        return numpy.flatnonzero(counts == len(groups)).tolist()

    def _prefixed(self, prefix: str) -> tuple[int, list[array]]:
        """The postings of every word starting with `prefix`, and how many units they hold
        together (at most)."""
        if self._vocabulary is None:
            self._vocabulary = sorted(self._all_postings)
        start = bisect_left(self._vocabulary, prefix)
        end = bisect_left(self._vocabulary, prefix + "\U0010ffff", start)
        postings = [self._all_postings[key] for key in self._vocabulary[start:end]]
        return sum(map(len, postings)), postings


def word_diff(text: str, other: str) -> tuple[tuple[str, str], ...]:
    """`other` against `text`, word by word: ("same", words both hold), ("insert", words
    only `other` holds), ("delete", words only `text` holds), in reading order."""
    from rapidfuzz.distance import Levenshtein

    mine, theirs = _PIECE.findall(text), _PIECE.findall(other)
    pieces: list[tuple[str, str]] = []

    def put(kind: str, part: list[str]) -> None:
        if not part:
            return
        joined = "".join(part)
        if pieces and pieces[-1][0] == kind:
            pieces[-1] = (kind, pieces[-1][1] + joined)
        else:
            pieces.append((kind, joined))

    deleted: list[str] = []
    inserted: list[str] = []  # a run of changes, put as one deletion then one insertion
    for tag, a_start, a_end, b_start, b_end in Levenshtein.opcodes(mine, theirs):
        if tag == "equal":
            put("delete", deleted)
            put("insert", inserted)
            deleted, inserted = [], []
            put("same", theirs[b_start:b_end])
        else:
            deleted += mine[a_start:a_end]
            inserted += theirs[b_start:b_end]
    put("delete", deleted)
    put("insert", inserted)
    return tuple(pieces)
