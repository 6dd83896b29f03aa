"""The interface every engine fills in: list the pairs it can do, translate a batch, and
optionally align each translation with its source (`Engine.aligned`)."""

from __future__ import annotations

import re
import unicodedata
from abc import ABC, abstractmethod
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise
from typing import ClassVar

from glossator.errors import EngineError

# Scripts written without spaces between words: each of their characters counts as a word of its
# own when a span is widened to whole words (else one "word" could be a whole clause).
_NO_SPACE = ("\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff\u3040-\u30ff\u3400-\u4dbf"
             "\u4e00-\u9fff\uf900-\ufaff")
_WORD_PARTS = re.compile(f"[{_NO_SPACE}]|[^{_NO_SPACE}]+")


def _words(text: str) -> list[tuple[int, int]]:
    """Character spans of the words of `text`: whitespace-separated runs, split further between
    characters of scripts written without spaces, less punctuation at either end (so `"Seoul,"`
    is `Seoul`, while `Kim's`, `U.S` and `3.5` stay whole)."""
    spans = []
    for run in re.finditer(r"\S+", text):
        for part in _WORD_PARTS.finditer(run.group()):
            start, end = run.start() + part.start(), run.start() + part.end()
            while start < end and unicodedata.category(text[start]).startswith("P"):
                start += 1
            while end > start and unicodedata.category(text[end - 1]).startswith("P"):
                end -= 1
            if start < end:
                spans.append((start, end))
    return spans


@dataclass(frozen=True)
class Aligned:
    """A translation with, for each target token, the source token it attends to most."""

    translation: str
    source_spans: tuple[tuple[int, int], ...]  # character spans of source tokens in the source
    target_spans: tuple[tuple[int, int], ...]  # character spans of target tokens in `translation`
    links: tuple[int | None, ...]  # per target token: index into source_spans, or None

    def __post_init__(self) -> None:
        if len(self.links) != len(self.target_spans):
            raise ValueError(f"{len(self.links)} links for {len(self.target_spans)} target tokens")
        if any(link is not None and not 0 <= link < len(self.source_spans)
               for link in self.links):
            raise ValueError("a link points outside source_spans")

    def target_span(self, start: int, end: int) -> tuple[int, int] | None:
        """The character span in `translation` aligned to source characters [start, end):
        from the first to the last target token linked to a source token overlapping that
        range, widened to whole words; None when no target token links there or when the linked
        tokens are not contiguous enough (a gap of more than one unlinked word), or for an
        empty range.

        A source token with an empty span (a bare "▁" word boundary, placed where the next
        word starts) overlaps the range when it lies inside it. Only the words of the
        translation count, so the span starts and ends on words, never on punctuation.
        """
        if start > end:
            raise ValueError(f"source range [{start}, {end}) is reversed")
        if start == end:
            return None
        sources = {i for i, (s, e) in enumerate(self.source_spans)
                   if (s < end and start < e) or (s == e and start <= s < end)}
        if not sources:
            return None
        words = _words(self.translation)
        linked = sorted({w for (a, b), link in zip(self.target_spans, self.links)
                         if link in sources
                         for w, (s, e) in enumerate(words) if s < b and a < e})
        if not linked:
            return None
        if any(after - before > 2 for before, after in pairwise(linked)):
            return None
        return words[linked[0]][0], words[linked[-1]][1]


def compose_alignments(first: Aligned, second: Aligned) -> Aligned:
    """Chain source→pivot (`first`) and pivot→target (`second`, whose source text is
    `first.translation`) into one source→target alignment.

    The two models cut the pivot text into different tokens, so each pivot token of `second`
    goes to the target token of `first` it overlaps most, and on to that token's source link.
    """
    # Target spans are in text order, so the candidates for a pivot token start one before the
    # last target token starting at or before it.
    starts = [s for s, _ in first.target_spans]
    via: list[int | None] = []
    for start, end in second.source_spans:
        best, best_overlap = None, 0
        for k in range(max(bisect_right(starts, start) - 1, 0), len(starts)):
            s, e = first.target_spans[k]
            if s >= end:
                break
            overlap = min(end, e) - max(start, s)
            if overlap > best_overlap:
                best, best_overlap = k, overlap
        via.append(None if best is None else first.links[best])
    links = tuple(None if link is None else via[link] for link in second.links)
    return Aligned(second.translation, first.source_spans, second.target_spans, links)



# What engines drop or garble, measured on the bergamot en→pt model: "5 < 10" → "5 a 10",
# "≥ 5%" → "5%", "3 × 2" → "3", "£5 million" → "5 milhões de euros", "#MeToo" → '"MeToo)',
# "@kcna_watch" → '"kcna_watch', "x@y.org" → "x-y.org", "<tag>" → "marca", "a&b" → "e b".
# A text holding such tokens is translated as it is first (the engine keeps some: "rose > 3%");
# where a token is missing from that translation, the text goes again with each token as a
# placeholder the engine carries through (`XQ0` … `XQ9`, as pins use `XZ0`), put back after.
# A placeholder is kept apart from the word or number next to it ("£1.2" → "XQ0 1.2"): glued,
# "XQ01.2" lost its "1" ("£,2 bilhões"). Dashes and quotes are not among them: "5 – 10" →
# "5 a 10" is a translation, not a loss.
_PROTECTED = re.compile(r"<[^<>\s]{1,40}>|[\w.+-]+@[\w-]+(?:\.[\w-]+)+"
                        r"|(?<!\w)[#@]\w(?:[\w.-]*\w)?|[<>&≤≥≠±×÷→←↑↓↔£¥©®™~^\\{}]+")
_PLACEHOLDER = re.compile(r"( ?)XQ(\d)( ?)")
_MOST_PROTECTED = 10  # one digit each; tokens past that go to the engine as they are


@dataclass(frozen=True)
class Token:
    """A token sent as a placeholder, and whether a space was put between it and the word
    before or after it (taken away again when it comes back)."""

    text: str
    spaced_before: bool = False
    spaced_after: bool = False


def protect_symbols(text: str) -> tuple[str, list[Token]]:
    """`text` with each token an engine would lose replaced by a placeholder, and the tokens;
    `text` itself where it has none (or already holds something placeholder-like)."""
    if "XQ" in text or not _PROTECTED.search(text):
        return text, []
    tokens: list[Token] = []

    def placeholder(match: re.Match[str]) -> str:
        if len(tokens) == _MOST_PROTECTED:
            return match.group()
        before = match.start() > 0 and text[match.start() - 1].isalnum()
        after = match.end() < len(text) and text[match.end()].isalnum()
        tokens.append(Token(match.group(), before, after))
        return f"{' ' if before else ''}XQ{len(tokens) - 1}{' ' if after else ''}"

    return _PROTECTED.sub(placeholder, text), tokens


def restore_symbols(translation: str, tokens: Sequence[Token]) -> str:
    """`translation` with the placeholders `protect_symbols` made put back; one the engine
    invented beyond the tokens is left as it is."""
    if not tokens:
        return translation

    def token(match: re.Match[str]) -> str:
        index = int(match.group(2))
        if index >= len(tokens):
            return match.group()
        found = tokens[index]
        return ("" if found.spaced_before else match.group(1)) + found.text + (
            "" if found.spaced_after else match.group(3))

    return _PLACEHOLDER.sub(token, translation)


class Engine(ABC):
    """Translate batches of sentences for a language pair.

    Public methods check their arguments and hand non-empty work to one private hook per engine.
    Tokens engines lose (`protect_symbols`) travel as placeholders; an engine that wraps
    another one, which does that already, sets `guards_symbols` False.
    """

    name: ClassVar[str] = ""
    guards_symbols: ClassVar[bool] = True
    # Why the engine cannot give a sentence another translation (no n-best, same text each
    # time), for a reviewer asking it for alternatives; "" where it can.
    one_translation: ClassVar[str] = ""
    # Whether each text is translated on its own, so that how a run batches them changes no
    # output (a batched decoder's numbers depend on what it is batched with).
    text_by_text: ClassVar[bool] = False

    @abstractmethod
    def pairs(self) -> set[tuple[str, str]]:
        """The (source, target) language codes this engine can translate, pivots included."""

    def supports(self, source: str, target: str) -> bool:
        return (source, target) in self.pairs()

    def model_id(self, source: str, target: str) -> str:
        """Which model(s) translate this pair, with versions: goes into every output's signature."""
        return self.name

    def translate(self, texts: Sequence[str], source: str, target: str) -> list[str]:
        """Translate every text; the result has one string per input, in order."""
        return [hyps[0] for hyps in self.hypotheses(texts, source, target, 1)]

    def hypotheses(self, texts: Sequence[str], source: str, target: str,
                   count: int) -> list[list[str]]:
        """Up to `count` alternative translations per text, best first (at least one each)."""
        if not self.supports(source, target):
            raise EngineError(f"engine {self.name!r} cannot translate {source} → {target}")
        if count < 1:
            raise ValueError("count must be at least 1")
        texts = list(texts)
        results: list[list[str]] = [[""] for _ in texts]
        todo = [i for i, text in enumerate(texts) if text.strip()]
        if todo:
            translated = self._checked_hypotheses([texts[i] for i in todo], source, target,
                                                  count)
            if self.guards_symbols:
                self._guard_lost_symbols([texts[i] for i in todo], translated, source, target,
                                         count)
            for i, hyps in zip(todo, translated):
                results[i] = hyps or [""]
        return results

    def _checked_hypotheses(self, texts: list[str], source: str, target: str,
                            count: int) -> list[list[str]]:
        translated = self._hypotheses(texts, source, target, count)
        if len(translated) != len(texts):
            raise EngineError(f"engine {self.name!r} returned {len(translated)} results "
                              f"for {len(texts)} inputs")
        return translated

    def _guard_lost_symbols(self, texts: list[str], translated: list[list[str]], source: str,
                            target: str, count: int) -> None:
        """Translate again, tokens as placeholders, each text whose best translation lost a
        token engines lose (`protect_symbols`); replace its hypotheses in `translated`."""
        again = []
        for index, text in enumerate(texts):
            guarded, tokens = protect_symbols(text)
            best = translated[index][0] if translated[index] else ""
            texts_of = [token.text for token in tokens]
            if tokens and any(best.count(found) < texts_of.count(found) for found in texts_of):
                again.append((index, guarded, tokens))
        if not again:
            return
        redone = self._checked_hypotheses([guarded for _, guarded, _ in again], source, target,
                                          count)
        for (index, _guarded, tokens), hyps in zip(again, redone):
            translated[index] = [restore_symbols(hyp, tokens) for hyp in hyps]

    def aligned(self, texts: Sequence[str], source: str, target: str) -> list[Aligned] | None:
        """Translate every text and align it with its source: one `Aligned` per input, in
        order, whose `translation` is what `translate` gives; None when this engine cannot align.

        Blank texts give an empty `Aligned` without reaching the engine.
        """
        if not self.supports(source, target):
            raise EngineError(f"engine {self.name!r} cannot translate {source} → {target}")
        texts = list(texts)
        todo = [i for i, text in enumerate(texts) if text.strip()]
        aligned = self._aligned([texts[i] for i in todo], source, target)
        if aligned is None:
            return None
        if len(aligned) != len(todo):
            raise EngineError(f"engine {self.name!r} returned {len(aligned)} alignments "
                              f"for {len(todo)} inputs")
        results = [Aligned("", (), (), ()) for _ in texts]
        for i, alignment in zip(todo, aligned):
            results[i] = alignment
        return results

    def _aligned(self, texts: list[str], source: str, target: str) -> list[Aligned] | None:
        """The engine's own hook for `aligned` (texts are non-blank, maybe none): None by
        default, meaning "this engine cannot align"."""
        return None

    @abstractmethod
    def _hypotheses(self, texts: list[str], source: str, target: str,
                    count: int) -> list[list[str]]:
        """The engine's own hook: texts are non-empty; return up to `count` strings per text."""
