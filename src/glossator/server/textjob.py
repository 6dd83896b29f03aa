"""Translate plain texts (not articles) with the glossary layer: the library call behind the
HTTP API, usable by anything that has strings rather than files.

A text is cut into paragraphs (at blank lines and line breaks, which are kept as they are) and
each paragraph into sentences; every sentence becomes a `Segment`, so pins are found, enforced
and verified exactly as for an article. The translations are put back between the original
separators. The three steps are apart so a caller can gather the segments of many texts (of
many requests) into one engine call: `prepare_texts` → `pinning.translate_segments` over all
their segments → `finish_text` for each.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field

from glossator.engines.base import Engine
from glossator.glossary.matcher import TermMatcher
from glossator.languages import base_language
from glossator.model import Segment
from glossator.terms.pinning import attach_pins, flag_misses, translate_segments

_LINE_BREAKS = re.compile(r"\s*\n\s*")


@dataclass
class TermCounts:
    """Glossary pins of one text: occurrences found, pins that landed, the terms missed."""

    found: int = 0
    pinned: int = 0  # the API calls them "landed": clients read that key
    missed: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, object]:
        return {"found": self.found, "landed": self.pinned, "missed": list(self.missed)}

    @classmethod
    def total(cls, counts: Sequence[TermCounts]) -> TermCounts:
        """The counts of several texts that make one answer, added up."""
        return cls(sum(c.found for c in counts), sum(c.pinned for c in counts),
                   [term for c in counts for term in c.missed])


@dataclass
class TextJob:
    """One text cut into segments, with the separators that go back between them."""

    text: str
    segments: list[Segment]
    pieces: list[str | int]  # separators as strings, segments as their index in `segments`


@dataclass
class TextResult:
    text: str
    terms: TermCounts
    alternatives: list[str] = field(default_factory=list)
    # (source term, the form of it in `text`) for each pinned term: where markup that covered
    # part of a term goes (server.htmltext)
    renderings: list[tuple[str, str]] = field(default_factory=list)


# How the server translates one batch of texts (the glossary layer, gathered with other
# requests, within its time limit): what its file and HTML jobs are given.
Translate = Callable[[Sequence[str]], Awaitable[list[TextResult]]]


def prepare_text(text: str, source: str, target: str, matcher: TermMatcher | None,
                 *, number: int = 1) -> TextJob:
    """Cut `text` into sentence segments and attach their pins for `target`. The lines of the
    text are its paragraphs, but all its segments are numbered on as one paragraph, `number`."""
    from glossator.text.segmenter import segment_paragraph

    segments: list[Segment] = []
    pieces: list[str | int] = []
    cursor = 0
    for start, end in _paragraphs(text):
        body = text[start:end]
        for piece in segment_paragraph(body, source, matcher.spans(body) if matcher else (),
                                       paragraph=number, first=len(segments) + 1):
            pieces.append(text[cursor:start + piece.start])
            pieces.append(len(segments))
            # The API answers with text alone: a split piece's note is not kept.
            segments.append(Segment(id=piece.id, source=piece.text, paragraph=number))
            cursor = start + piece.end
    pieces.append(text[cursor:])
    attach_pins(segments, matcher, target, source)
    return TextJob(text, segments, pieces)


def _paragraphs(text: str) -> list[tuple[int, int]]:
    """Spans of the runs of `text` between line breaks."""
    spans, cursor = [], 0
    for match in _LINE_BREAKS.finditer(text):
        if match.start() > cursor:
            spans.append((cursor, match.start()))
        cursor = match.end()
    if cursor < len(text):
        spans.append((cursor, len(text)))
    return spans


def finish_text(job: TextJob, target: str) -> TextResult:
    """The translated text, separators kept, and its pins verified."""
    report = flag_misses(job.segments, target)
    text = "".join(piece if isinstance(piece, str) else job.segments[piece].target
                   for piece in job.pieces)
    return TextResult(text, TermCounts(report.found, report.pinned,
                                       [term for _sid, term in report.misses]),
                      renderings=_renderings(job.segments))


def _renderings(segments: Sequence[Segment]) -> list[tuple[str, str]]:
    found = []
    for segment in segments:
        for pin in segment.pins:
            form = next((form for form in (*pin.preferred_forms, *pin.admitted)
                         if pin.pinned and form in segment.target), None)
            if form is not None:
                found.append((pin.source_text, form))
    return found


def translate_texts(engine: Engine, texts: Sequence[str], source: str, target: str,
                    matcher: TermMatcher | None, *, alternatives: int = 0,
                    always_mask: bool = False) -> list[TextResult]:
    """Translate every text with its pins enforced, in one batched pass; with
    `alternatives`, also up to that many other translations per text (the engine's n-best
    hypotheses, pins enforced in each too)."""
    jobs = [prepare_text(text, source, target, matcher, number=i + 1)
            for i, text in enumerate(texts)]
    segments = [segment for job in jobs for segment in job.segments]
    translate_segments(engine, segments, source, target, always_mask=always_mask)
    results = [finish_text(job, target) for job in jobs]
    if alternatives > 0:
        for job, result in zip(jobs, results):
            result.alternatives = alternative_texts(engine, job, source, target, matcher,
                                                    alternatives)
    return results


def alternative_texts(engine: Engine, job: TextJob, source: str, target: str,
                      matcher: TermMatcher | None, count: int) -> list[str]:
    """Up to `count` translations of the job's text other than the best one: the k-th
    alternative takes each sentence's k-th hypothesis (its best where it has fewer), with the
    pins enforced in it as in the best one; an alternative in which a pin did not land is left
    out, since a client sees no flag on it. Engines with one hypothesis give none."""
    sources = [segment.source for segment in job.segments]
    if not sources:
        return []
    nbest = engine.hypotheses(sources, base_language(source), base_language(target),
                              count + 1)
    found = max(len(hyps) for hyps in nbest)
    texts: list[str] = []
    best = finish_text(job, target).text
    for rank in range(1, min(found, count + 1)):
        chosen = {text: hyps[min(rank, len(hyps) - 1)] for text, hyps in zip(sources, nbest)}
        variant = prepare_text(job.text, source, target, matcher)
        translate_segments(_Preset(engine, chosen), variant.segments, source, target)
        result = finish_text(variant, target)
        if not result.terms.missed and result.text != best and result.text not in texts:
            texts.append(result.text)
    return texts


class _Preset(Engine):
    """An engine whose first answer for some sentences is fixed (a chosen hypothesis), so the
    pinning layer works on it; every other call goes to the real engine."""

    guards_symbols = False  # the real engine does, and `fixed` holds the texts as given

    def __init__(self, engine: Engine, fixed: dict[str, str]) -> None:
        self.engine, self.fixed = engine, fixed
        self.name = engine.name

    def pairs(self) -> set[tuple[str, str]]:
        return self.engine.pairs()

    def model_id(self, source: str, target: str) -> str:
        return self.engine.model_id(source, target)

    def _hypotheses(self, texts: list[str], source: str, target: str,
                    count: int) -> list[list[str]]:
        if count == 1 and all(text in self.fixed for text in texts):
            return [[self.fixed[text]] for text in texts]
        return self.engine.hypotheses(texts, source, target, count)
