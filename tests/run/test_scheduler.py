"""The scheduler on documents made in memory: no file, no engine. Identical segments go out
once, finished documents come back in order, and too many open documents are flushed."""

from __future__ import annotations

import itertools

from glossator.model import Document, Segment
from glossator.run import scheduler as scheduling
from glossator.run.scheduler import Pending, Scheduler


def pending(name: str, sources: list[str], translate: bool = True) -> Pending:
    segments = [Segment(id=f"1.{i}", source=text, paragraph=1)
                for i, text in enumerate(sources, start=1)]
    document = Document(name=name, source_lang="en", segments=segments)
    return Pending(name, document, segments if translate else [], digest="")


def engine(chunk) -> None:
    for segment in chunk.segments:
        segment.target = segment.machine = segment.source.upper()


def test_identical_segments_go_out_once_and_both_documents_finish():
    lines: list[str] = []
    scheduler = Scheduler("pt", "test-model", itertools.count(1), lines.append)
    first = pending("a", ["Talks ended.", "Kim left."])
    second = pending("b", ["Kim left.", "Seoul waited."])
    chunks = list(scheduler.chunks([first, second], limit=10, flush=lambda: None))
    assert [[s.source for s in chunk.segments] for chunk in chunks] == [
        ["Talks ended.", "Kim left.", "Seoul waited."]]
    assert lines == ["translating 3 segments from 2 articles into Portuguese (português) "
                     "with test-model"]
    assert scheduler.take_ready() == []
    engine(chunks[0])
    scheduler.receive(chunks[0])
    assert [p.item for p in scheduler.take_ready()] == ["a", "b"]
    assert second.document.segments[0].target == "KIM LEFT."  # copied from the first


def test_a_full_chunk_goes_out_before_the_next_is_filled():
    scheduler = Scheduler("pt", "m", itertools.count(1), lambda _line: None)
    documents = [pending(name, [f"Sentence {name}{i}." for i in range(3)]) for name in "abc"]
    chunks = list(scheduler.chunks(documents, limit=4, flush=lambda: None))
    assert [len(chunk.segments) for chunk in chunks] == [4, 4, 1]
    assert [chunk.id for chunk in chunks] == [1, 2, 3]


def test_too_many_open_documents_with_nothing_to_send_are_flushed(monkeypatch):
    monkeypatch.setattr(scheduling, "OPEN_DOCUMENTS", 2)
    scheduler = Scheduler("pt", "m", itertools.count(1), lambda _line: None)
    flushed: list[list[str]] = []

    def flush() -> None:
        flushed.append([p.item for p in scheduler.take_ready()])

    documents = [pending(name, ["Kept."], translate=False) for name in "abcd"]
    assert list(scheduler.chunks(documents, limit=10, flush=flush)) == []
    # a finished document counts as open until it is flushed: flushed when two are open
    assert flushed == [["a", "b"], ["c", "d"]]


def test_open_documents_waiting_for_chunks_out_make_the_executor_give_one_back(monkeypatch):
    """An executor with chunks in flight draws on while they translate: where every open
    document waits for one of them, no more documents are read until one comes back."""
    from glossator.run.executors import WAIT, Chunk

    monkeypatch.setattr(scheduling, "OPEN_DOCUMENTS", 2)
    scheduler = Scheduler("pt", "m", itertools.count(1), lambda _line: None)
    drawn: list[str] = []

    def documents():
        for name in "abcd":
            drawn.append(name)
            yield pending(name, ["Wire copy."])

    def flush() -> None:
        flushed.extend(p.item for p in scheduler.take_ready())

    flushed: list[str] = []
    chunks = scheduler.chunks(documents(), limit=10, flush=flush)
    first = next(chunks)
    assert isinstance(first, Chunk) and [s.source for s in first.segments] == ["Wire copy."]
    assert next(chunks) is WAIT and next(chunks) is WAIT  # nothing back yet
    assert drawn == ["a", "b"]  # b waits for a's segment, out in the first chunk
    engine(first)
    scheduler.receive(first)
    flush()
    assert list(chunks) == []  # c and d are copies of what came back: nothing more to send
    flush()
    assert drawn == flushed == ["a", "b", "c", "d"]
    assert scheduler.open == 0
