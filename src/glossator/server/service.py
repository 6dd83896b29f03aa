"""What `glossator serve` translates with, apart from HTTP: the engines for each language pair,
a glossary matcher per source language, one request gatherer per pair, the language detector.

Everything is loaded by `start` (glossaries read, models loaded by one short warm-up call per
pair) before the server accepts a connection; requests then read no file.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from glossator.engines import AUTO_ORDER, load_engine
from glossator.engines.base import Engine
from glossator.errors import EngineError, GlossaryError
from glossator.glossary.matcher import TermMatcher
from glossator.model import Segment
from glossator.server.batching import Gatherer
from glossator.server.detect import Detector
from glossator.server.textjob import TextResult, finish_text, prepare_text, translate_texts
from glossator.terms.pinning import translate_segments

Report = Callable[[str], None]


@dataclass(frozen=True)
class ServiceOptions:
    engine_name: str = "auto"
    glossary_paths: tuple[str, ...] | None = None  # None: the default rule; (): no glossary
    beam_size: int = 4
    workers: int | None = None  # decoding threads per engine; None: one per core
    batch_wait: float = 0.005  # seconds a batch waits for more requests
    batch_segments: int = 64  # most sentences in one engine call
    piece_segments: int = 16  # a request's sentences join a batch this many at a time
    gather: bool = True  # False: one request per engine call (for comparison)
    always_mask: bool = False
    warm_up: bool = True
    engine_options: tuple[tuple[str, object], ...] = ()  # more keywords for the engines


class TranslationService:
    def __init__(self, options: ServiceOptions, report: Report = lambda _line: None) -> None:
        self.options = options
        self.report = report
        self.engines: dict[tuple[str, str], Engine] = {}
        self.matchers: dict[str, TermMatcher | None] = {}
        self.gatherers: dict[tuple[str, str], Gatherer] = {}
        self.detector: Detector | None = None
        self.executor: ThreadPoolExecutor | None = None

    # Loading ----------------------------------------------------------------------------

    def load(self) -> None:
        """Engines, glossaries and detector; models warmed up. Blocking: call before serving."""
        names = AUTO_ORDER if self.options.engine_name == "auto" else (self.options.engine_name,)
        threads = self.options.workers or os.cpu_count() or 1
        for name in names:
            engine = load_engine(name, beam_size=self.options.beam_size, threads=threads,
                                 **dict(self.options.engine_options))
            for pair in sorted(engine.pairs()):
                self.engines.setdefault(pair, engine)
        if not self.engines:
            raise EngineError("no engine has a model installed: nothing to serve (install one "
                              "with: glossator models install SOURCE TARGET)")
        for source in sorted({source for source, _target in self.engines}):
            self.matchers[source] = self._matcher(source)
        self.detector = Detector(self.sources())
        if self.options.warm_up:
            for (source, target), engine in self.engines.items():
                engine.translate(["Hello."], source, target)
        # One decode at a time per pair, every pair at once: a thread each.
        self.executor = ThreadPoolExecutor(max_workers=max(len(self.engines), 1),
                                           thread_name_prefix="glossator-decode")

    def _matcher(self, source: str) -> TermMatcher | None:
        from glossator.glossary.loader import load_glossary, select_glossaries

        paths = self.options.glossary_paths
        chosen = select_glossaries(None if paths is None else list(paths), source)
        if not chosen.paths:
            self.report(f"glossary ({source}): none ({chosen.none_reason})")
            return None
        try:
            glossary = load_glossary(chosen.paths, source)
        except GlossaryError as error:
            if paths is None:
                raise
            self.report(f"glossary ({source}): no pins from {source}: {error}")
            return None
        self.report(f"glossary ({source}): {len(glossary)} concepts")
        return TermMatcher(glossary.concepts)

    async def close(self) -> None:
        for gatherer in self.gatherers.values():
            await gatherer.close()
        if self.executor is not None:
            self.executor.shutdown(wait=True)

    # Queries ----------------------------------------------------------------------------

    def sources(self) -> list[str]:
        return sorted({source for source, _target in self.engines})

    def targets(self, source: str) -> list[str]:
        return sorted(target for s, target in self.engines if s == source)

    def supports(self, source: str, target: str) -> bool:
        return (source, target) in self.engines

    # Translating ------------------------------------------------------------------------

    def gatherer(self, source: str, target: str) -> Gatherer:
        pair = (source, target)
        if pair not in self.gatherers:
            assert self.executor is not None
            engine, options = self.engines[pair], self.options

            def decode(segments: list[Segment]) -> None:
                translate_segments(engine, segments, source, target,
                                   always_mask=options.always_mask)

            self.gatherers[pair] = Gatherer(decode, self.executor, wait=options.batch_wait,
                                            batch_segments=options.batch_segments,
                                            piece_segments=options.piece_segments,
                                            gather=options.gather)
        return self.gatherers[pair]

    async def translate(self, texts: Sequence[str], source: str, target: str,
                        alternatives: int = 0) -> list[TextResult]:
        """Translate `texts` with the pair's glossary pins enforced, gathered with the other
        requests for the pair. With `alternatives`, the n-best pass runs on its own."""
        matcher = self.matchers.get(source)
        if alternatives > 0:
            engine = self.engines[(source, target)]
            # Off the pairs' decode threads, so n-best requests never hold a batch back.
            return await asyncio.to_thread(lambda: translate_texts(
                engine, texts, source, target, matcher, alternatives=alternatives,
                always_mask=self.options.always_mask))
        jobs = await asyncio.to_thread(lambda: [
            prepare_text(text, source, target, matcher, number=i + 1)
            for i, text in enumerate(texts)])
        await self.gatherer(source, target).translate(
            [segment for job in jobs for segment in job.segments])
        return [finish_text(job, target) for job in jobs]
