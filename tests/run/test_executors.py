"""The in-process executor: the engine works on a thread of its own while the driver's thread
draws the next chunk and writes what the last one finished."""

from __future__ import annotations

import threading

from glossator.model import Segment
from glossator.run.context import RunContext
from glossator.run.executors import WAIT, Chunk, LocalExecutor

CONTEXT = RunContext(source="en", targets=("pt",), engine_name="bergamot")


def chunk(number: int, *texts: str) -> Chunk:
    return Chunk(number, "pt", segments=[Segment(id=f"1.{i}", source=text, paragraph=1)
                                         for i, text in enumerate(texts, start=1)])


def test_the_next_chunk_is_drawn_while_one_translates_and_wait_gives_one_back():
    events: list[str] = []
    threads: set[str] = set()

    def chunks():
        for item in (chunk(1, "Talks ended."), chunk(2, "Kim left."), WAIT,
                     chunk(3, "Seoul waited.")):
            events.append("wait" if item is WAIT else f"draw {item.id}")
            threads.add(threading.current_thread().name)
            yield item

    executor = LocalExecutor(CONTEXT)
    try:
        for done in executor.run(chunks()):
            events.append(f"back {done.id}")
            assert done.segments[0].target and done.segments[0].target != done.segments[0].source
            assert done.checked == []  # QA is the driver's, beside the next chunk
    finally:
        executor.close()
    # two in flight at most; after WAIT nothing is drawn until a chunk has come back
    assert events == ["draw 1", "draw 2", "back 1", "wait", "back 2", "draw 3", "back 3"]
    assert threads == {threading.current_thread().name}  # drawn in the driver's thread


def test_an_engine_error_reaches_the_driver_and_the_chunks_after_it_are_not_translated(
        monkeypatch):
    from glossator.engines.bergamot import BergamotEngine
    from glossator.errors import EngineError

    translated: list[int] = []

    def hypotheses(self, texts, source, target, count):
        if "Broken." in texts:
            raise EngineError("the model failed")
        translated.append(len(texts))
        return [[text.upper()] for text in texts]

    monkeypatch.setattr(BergamotEngine, "_hypotheses", hypotheses)
    executor = LocalExecutor(CONTEXT)
    results = executor.run(iter([chunk(1, "Broken."), chunk(2, "Fine."), chunk(3, "Fine too.")]))
    try:
        try:
            next(results)
        except EngineError as error:
            assert "the model failed" in str(error)
        else:
            raise AssertionError("the engine's error was not raised")
        results.close()
    finally:
        executor.close()
    assert len(translated) <= 1  # the second chunk, drawn beside the first, at most


def test_chunks_are_small_only_where_the_engine_translates_each_text_alone(argos_dir):
    """bergamot translates text by text: smaller chunks change no output and let a run write
    articles while the engine works. A batched decoder (argos) keeps the run's chunk size."""
    assert LocalExecutor(CONTEXT).chunk_limit("pt") == LocalExecutor.STREAMED_CHUNK_SEGMENTS
    argos = RunContext(source="en", targets=("de",), engine_name="argos")
    assert LocalExecutor(argos).chunk_limit("de") is None
