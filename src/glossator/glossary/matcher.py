"""Find glossary terms in text: whole words, longest match first, possessives recognised.

Text and terms are cut into word and punctuation tokens; a term matches where its tokens follow
each other with the same spacing (space or none) as in the glossary. Looking candidates up by
their first token keeps a 10,000-term glossary fast on megabytes of text.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from glossator.glossary.model import Concept

_TOKEN = re.compile(r"\w+|[^\w\s]")
APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "ʼ": "'"})
FOUND_TEXTS = 4_096  # texts whose matches a matcher remembers, at most (bounds a run's memory)


@dataclass(frozen=True)
class TermMatch:
    start: int  # offsets of the term itself; a possessive "'s" follows at `end`
    end: int
    text: str
    concept: Concept
    possessive: bool = False


@dataclass(frozen=True)
class _Pattern:
    keys: tuple[str, ...]  # normalised tokens
    joined: tuple[bool, ...]  # for each token after the first: glued to the previous one
    concept: Concept


def _normalise(token: str, ignore_case: bool) -> str:
    token = token.translate(APOSTROPHES)
    return token.casefold() if ignore_case else token


def _tokens(text: str) -> list[re.Match[str]]:
    return list(_TOKEN.finditer(text))


class TermMatcher:
    """All variants of all concepts, indexed by first token for fast scanning."""

    def __init__(self, concepts: Iterable[Concept]) -> None:
        self._found: dict[str, tuple[TermMatch, ...]] = {}  # text → its matches
        self._exact: dict[str, list[_Pattern]] = {}
        self._folded: dict[str, list[_Pattern]] = {}
        for concept in concepts:
            for variant in concept.variants:
                tokens = _tokens(variant)
                if not tokens:
                    continue
                pattern = _Pattern(
                    keys=tuple(_normalise(t.group(), concept.ignore_case) for t in tokens),
                    joined=tuple(tokens[i].start() == tokens[i - 1].end()
                                 for i in range(1, len(tokens))),
                    concept=concept,
                )
                index = self._folded if concept.ignore_case else self._exact
                index.setdefault(pattern.keys[0], []).append(pattern)
        for index in (self._exact, self._folded):
            for patterns in index.values():
                patterns.sort(key=lambda p: len(p.keys), reverse=True)

    def __bool__(self) -> bool:
        return bool(self._exact or self._folded)

    def find(self, text: str) -> list[TermMatch]:
        """Non-overlapping matches, leftmost first, the longest where several start together.
        A text met before is not scanned again: archives repeat datelines and boilerplate, and
        a run looks for terms in each paragraph, then in each of its segments."""
        found = self._found.get(text)
        if found is None:
            found = tuple(self._scan(text))
            if len(self._found) >= FOUND_TEXTS:
                self._found = {}  # a new one, not cleared: safe where threads share a matcher
            self._found[text] = found
        return list(found)

    def _scan(self, text: str) -> list[TermMatch]:
        tokens = _tokens(text)
        exact_keys = [t.group().translate(APOSTROPHES) for t in tokens]
        folded_keys = [key.casefold() for key in exact_keys] if self._folded else exact_keys
        matches: list[TermMatch] = []
        position = 0
        while position < len(tokens):
            best: tuple[int, _Pattern] | None = None
            for index, keys in ((self._exact, exact_keys), (self._folded, folded_keys)):
                for pattern in index.get(keys[position], ()):
                    size = len(pattern.keys)
                    if best and size <= best[0]:
                        break
                    if self._fits(pattern, tokens, keys, position):
                        best = (size, pattern)
                        break
            if best is None:
                position += 1
                continue
            size, pattern = best
            first, last = tokens[position], tokens[position + size - 1]
            after = position + size
            possessive = (after + 1 < len(tokens) and exact_keys[after] == "'"
                          and exact_keys[after + 1] in ("s", "S")
                          and tokens[after].start() == last.end()
                          and tokens[after + 1].start() == tokens[after].end())
            matches.append(TermMatch(first.start(), last.end(),
                                     text[first.start():last.end()], pattern.concept,
                                     possessive))
            position = after + (2 if possessive else 0)
        return matches

    def spans(self, text: str) -> list[tuple[int, int]]:
        """The offsets of every term found in `text`: the spans a sentence or clause boundary
        must not cut, so a term is never split between two segments."""
        return [(match.start, match.end) for match in self.find(text)]

    @staticmethod
    def _fits(pattern: _Pattern, tokens: list[re.Match[str]], keys: list[str],
              position: int) -> bool:
        end = position + len(pattern.keys)
        if end > len(tokens) or keys[position:end] != list(pattern.keys):
            return False
        for offset, glued in enumerate(pattern.joined, start=position + 1):
            if (tokens[offset].start() == tokens[offset - 1].end()) != glued:
                return False
        return True
