"""Where chunks of segments are translated: in this process, or elsewhere (`cluster.py`).

A `Chunk` is the unit of work the driver hands out: segments of one or more articles, all into
one target language, with their pins attached, plus the pins of segments kept from a previous
run whose grammar the engine must still give. `work_chunk` is the whole of a worker's job and
touches no file; an executor only decides where it runs.

The contract of an executor (`run(chunks) -> results`, `close()`): it draws chunks from the
iterable lazily and in the calling thread (drawing one may make the driver write finished
articles), keeps only a few in flight so memory stays bounded, and gives each chunk back
exactly once, in any order, as a `Chunk` with the same id whose segments and probe pins are in
the order sent (the driver matches them by position, never by identity, so copies are fine).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from glossator.engines.base import Engine
from glossator.languages import base_language
from glossator.model import Pin, Segment
from glossator.run.context import RunContext


@dataclass
class Chunk:
    """Work for one engine call: `segments` to translate into `target`, and `probe`, pins of
    segments not translated here whose gender, number and article use the engine must give."""

    id: int
    target: str  # target language code, as in `RunContext.targets`
    segments: list[Segment] = field(default_factory=list)
    probe: list[Pin] = field(default_factory=list)
    # What QA found on the translated segments (`terms.qa.check_beside`), for the driver.
    checked: list[tuple[tuple, Any]] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.segments)


def work_chunk(engine: Engine, chunk: Chunk, context: RunContext) -> Chunk:
    """Translate a chunk with its pins enforced and its probe pins' grammar filled in, and
    check what the engine wrote; the same chunk comes back, its segments carrying their
    targets and pins, and `checked` what QA found."""
    from glossator.run.termcache import keep_terms, recall_terms
    from glossator.terms.pinning import probe_grammar, translate_segments
    from glossator.terms.qa import check_beside

    source, target = base_language(context.source), base_language(chunk.target)
    recall_terms(engine, context, source, target)
    if chunk.probe:
        probe_grammar(engine, chunk.probe, source, target)
    if chunk.segments:
        translate_segments(engine, chunk.segments, context.source, chunk.target,
                           always_mask=context.always_mask)
        chunk.checked = check_beside(chunk.segments, context.source, chunk.target)
    keep_terms(engine, context, source, target)
    return chunk


class EngineCache:
    """Engines built from the run context, one per language pair, each loaded on first use.

    Building an engine reads no model (models load on the first translation), so the driver
    may ask for one only to learn its model id.
    """

    def __init__(self, context: RunContext, *, threads: int | None = None) -> None:
        self.context = context
        self.threads = threads  # None: every core (a Ray actor passes the CPUs it was given)
        self._engines: dict[str, Engine] = {}

    def get(self, target: str) -> Engine:
        if target not in self._engines:
            from glossator.engines import choose_engine

            self._engines[target] = choose_engine(
                self.context.engine_name, base_language(self.context.source),
                base_language(target), **self.context.engine_options(),
                **({} if self.threads is None else {"threads": self.threads}))
        return self._engines[target]

    def model_id(self, target: str) -> str:
        return self.get(target).model_id(base_language(self.context.source),
                                          base_language(target))

    def release(self, target: str) -> None:
        """Drop the engine for `target` (and with it its models, once nothing else holds them)."""
        self._engines.pop(target, None)


class LocalExecutor:
    """Translate chunks one after the other in this process."""

    def __init__(self, context: RunContext, engines: EngineCache | None = None) -> None:
        self.context = context
        self.engines = engines or EngineCache(context)

    def run(self, chunks: Iterable[Chunk]) -> Iterator[Chunk]:
        for chunk in chunks:
            yield work_chunk(self.engines.get(chunk.target), chunk, self.context)

    def close(self) -> None:
        pass
