"""Where chunks of segments are translated: in this process, or elsewhere (`cluster.py`).

A `Chunk` is the unit of work the driver hands out: segments of one or more articles, all into
one target language, with their pins attached, plus the pins of segments kept from a previous
run whose grammar the engine must still give. `work_chunk` is the whole of a worker's job and
touches no file; an executor only decides where it runs.

The contract of an executor (`run(chunks) -> results`, `chunk_limit(target)`, `close()`): it
draws chunks from the iterable lazily and in the calling thread (drawing one may make the
driver write finished articles), keeps only a few in flight so memory stays bounded, and gives
each chunk back exactly once, in any order, as a `Chunk` with the same id whose segments and
probe pins are in the order sent (the driver matches them by position, never by identity, so
copies are fine). Drawing `WAIT` instead of a chunk, it gives back a chunk in flight before it
draws again: the driver holds as many articles as it may, all waiting for chunks out.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any, Final

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


class Wait:
    """What the scheduler gives an executor instead of a chunk when it must have one back
    before it can fill another (`WAIT`, the one instance)."""


WAIT: Final = Wait()


def work_chunk(engine: Engine, chunk: Chunk, context: RunContext, *, check: bool = True
               ) -> Chunk:
    """Translate a chunk with its pins enforced and its probe pins' grammar filled in, and
    (with `check`) check what the engine wrote; the same chunk comes back, its segments
    carrying their targets and pins, and `checked` what QA found."""
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
        if check:
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
    """Translate chunks in this process, on a thread of the executor's own, one after the
    other, while the driver's thread prepares the next chunk and writes the articles the last
    one finished: the engine's calls give up the GIL, so what the driver does beside them
    costs the run less than it does alone (on 2 cores, bergamot busy on both, a repetitive
    archive took 0.92x the time). QA is left to the driver (`work_chunk` without `check`):
    there it runs beside the next chunk too.

    Where the engine translates each text on its own (`Engine.text_by_text`), chunks hold at
    most `STREAMED_CHUNK_SEGMENTS`, so that the articles of a large run are written while the
    engine works and not all after it; elsewhere a chunk's size is the run's, since a batched
    decoder's output depends on its batch.
    """

    IN_FLIGHT = 2  # one translating, the next waiting for the engine
    STREAMED_CHUNK_SEGMENTS = 256

    def __init__(self, context: RunContext, engines: EngineCache | None = None) -> None:
        self.context = context
        self.engines = engines or EngineCache(context)
        self._worker: ThreadPoolExecutor | None = None

    def chunk_limit(self, target: str) -> int | None:
        return self.STREAMED_CHUNK_SEGMENTS if self.engines.get(target).text_by_text else None

    def run(self, chunks: Iterable[Chunk | Wait]) -> Iterator[Chunk]:
        if self._worker is None:
            self._worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="glossator-engine")
        source = iter(chunks)
        in_flight: deque[Future[Chunk]] = deque()
        drawing = True
        try:
            while True:
                while drawing and len(in_flight) < self.IN_FLIGHT:
                    chunk = next(source, None)
                    if chunk is None:
                        drawing = False
                    elif isinstance(chunk, Wait):
                        break
                    else:
                        in_flight.append(self._worker.submit(
                            work_chunk, self.engines.get(chunk.target), chunk, self.context,
                            check=False))
                if not in_flight:
                    if drawing:  # the scheduler waits only for chunks that are out
                        raise RuntimeError("WAIT drawn with no chunk in flight")
                    return
                yield in_flight.popleft().result()
        finally:
            for future in in_flight:
                future.cancel()

    def close(self) -> None:
        """Stop the engine's thread (a chunk it is translating is finished first)."""
        if self._worker is not None:
            self._worker.shutdown(cancel_futures=True)
            self._worker = None
