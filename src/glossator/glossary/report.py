"""What a glossary does to one article: where its terms occur, and names it does not cover."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from glossator.glossary.matcher import TermMatcher
from glossator.glossary.model import Concept, Glossary
from glossator.languages import display_name
from glossator.model import Document


@dataclass
class Occurrence:
    segment_id: str
    text: str  # as written in the article
    concept: Concept


def term_occurrences(document: Document, matcher: TermMatcher) -> list[Occurrence]:
    return [Occurrence(segment.id, match.text, match.concept)
            for segment in document.segments for match in matcher.find(segment.source)]


def lacking_rendering(concepts: list[Concept], language: str) -> list[Concept]:
    """Concepts that pin nothing for `language`."""
    return [concept for concept in concepts if not concept.rendering(language)]


@dataclass(frozen=True)
class ArticleTerms:
    """What `glossator glossary show` says: the terms of an article and what each is pinned to
    in `language`, and the concepts that pin nothing there."""

    language: str
    occurrences: list[Occurrence]
    lacking: list[Concept]  # concepts found in the article with no rendering in `language`
    unrendered: int  # concepts of the whole glossary with no rendering in `language`
    concepts: int  # concepts in the glossary

    def lines(self, article: str) -> list[str]:
        """The report on `article` (its name as the user gave it), one line each."""
        language = self.language
        lines = [f"{len(self.occurrences)} term occurrence(s) in {article}, pinned for "
                 f"{display_name(language)}:"]
        for occurrence in self.occurrences:
            forms = occurrence.concept.rendering(language)
            pinned = " | ".join(forms) if forms else f"(no {language} rendering: not pinned)"
            lines.append(f"  {occurrence.segment_id:>6}  {occurrence.text}  →  {pinned}")
        if self.lacking:
            lines.append(f"concepts in this article without a {language} rendering:")
            lines += [f"  {concept.name}  ({concept.path}:{concept.line})"
                      for concept in self.lacking]
        return lines

    def summary(self) -> str:
        return (f"{self.unrendered} of {self.concepts} concepts have no {self.language} "
                f"rendering")


def article_terms(glossary: Glossary, matcher: TermMatcher, document: Document,
                  language: str) -> ArticleTerms:
    """Where `glossary`'s terms (found by `matcher`, built on it) occur in `document`, and which
    concepts lack a rendering in `language`, among those found and in the whole glossary."""
    occurrences = term_occurrences(document, matcher)
    found = {id(occurrence.concept) for occurrence in occurrences}
    lacking = lacking_rendering([c for c in glossary.concepts if id(c) in found], language)
    return ArticleTerms(language, occurrences, lacking,
                        len(lacking_rendering(glossary.concepts, language)), len(glossary))


# A run of capitalised words (allowing "of", "the", "al-" inside), or an acronym.
_NAME = re.compile(r"\b(?:[A-Z][\w’'-]*|[A-Z]\.(?:[A-Z]\.)+)"
                   r"(?:\s+(?:(?:of|the|de|del|von|van|al|bin)\s+)?"
                   r"(?:[A-Z][\w’'-]*|[A-Z]\.(?:[A-Z]\.)+))*")
_ACRONYM = re.compile(r"^(?:[A-Z]{2,}|(?:[A-Z]\.){2,})$")
_POSSESSIVE = re.compile(r"['’]s$")
# Capitalised only because they open a sentence or are not names worth pinning.
_COMMON = frozenset("""A An The This That These Those It Its He She They We I In On At As
    For From By With But And Or If When While After Before Since Until Despite During Both
    Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February March April
    May June July August September October November December Mr Mrs Ms Dr""".split())


_JOINERS = frozenset("of the de del von van al bin".split())


@dataclass(frozen=True)
class Suggestion:
    text: str
    count: int
    segment_ids: tuple[str, ...]
    acronym: bool


def suggest_terms(document: Document, matcher: TermMatcher | None) -> list[Suggestion]:
    """Names and acronyms the glossary does not cover, most frequent (and longest) first."""
    seen: dict[str, list[str]] = {}
    for segment in document.segments:
        source = segment.source
        covered = matcher.spans(source) if matcher else []
        for start, end in _uncovered(_NAME.finditer(source), covered):
            piece = source[start:end]
            words = _POSSESSIVE.sub("", piece).strip("-–’' ").split()
            while words and (words[0] in _COMMON or words[0] in _JOINERS):
                words.pop(0)
            while words and words[-1] in _JOINERS:
                words.pop()
            if not words:
                continue
            text = " ".join(words)
            opens_sentence = not source[:source.find(text, start)].strip(" \"“‘'(")
            if len(words) == 1 and not _ACRONYM.match(text) and opens_sentence:
                continue  # a capitalised sentence opener is no evidence of a name
            seen.setdefault(text, []).append(segment.id)
    suggestions = [Suggestion(text, len(ids), tuple(dict.fromkeys(ids)),
                              bool(_ACRONYM.match(text))) for text, ids in seen.items()]
    return sorted(suggestions, key=lambda s: (-s.count, -len(s.text.split()), s.text))


def _uncovered(runs: Iterable[re.Match[str]],
               covered: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The parts of each name run outside the spans the glossary already covers."""
    pieces = []
    for run in runs:
        start, end = run.span()
        for cover_start, cover_end in covered:
            if cover_end <= start or cover_start >= end:
                continue
            if cover_start > start:
                pieces.append((start, cover_start))
            start = max(start, cover_end)
        if start < end:
            pieces.append((start, end))
    return pieces
