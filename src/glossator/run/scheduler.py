"""Scheduling one target language's documents into chunks for the engines. No file is read or
written here: documents come in prepared (`store.Store.prepare`), finished ones go out through
`take_ready`, so chunks run in this process, in workers or on Ray actors alike.

Identical segments (same source, same pins) go to an engine once per run: one still in flight
is waited for, one done is copied from the last `DEDUPE_ENTRIES` translations. Pins of kept
segments whose grammar only the engine can give are sent as probes, one per concept. A document
is finished when nothing it waits for is out; at most `OPEN_DOCUMENTS` are held at once (the
executor is given `WAIT` when they all wait for chunks it has out).
"""

from __future__ import annotations

import operator
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from glossator.languages import display_name
from glossator.model import Document, Pin, Segment
from glossator.run.executors import WAIT, Chunk, Wait

DEDUPE_ENTRIES = 100_000  # translations remembered for identical segments later in the run
OPEN_DOCUMENTS = 256  # documents read but not yet sent or written, at most


@dataclass
class Pending:
    """A document being translated: finished when `waiting` reaches 0. `item` and `digest`
    are the store's: which article it is and what its outputs are written with."""

    item: Any
    document: Document
    to_translate: list[Segment]  # its segments that need an engine
    digest: str  # of the article's bytes, for the resume fingerprint
    waiting: int = 0


@dataclass
class _Outgoing:
    """A chunk being filled, and what the scheduler must remember of it."""

    chunk: Chunk
    keys: list[tuple] = field(default_factory=list)  # per segment sent: its dedupe key
    owners: list[Pending] = field(default_factory=list)  # per probe pin: its document
    sending: set[int] = field(default_factory=set)  # documents with segments in it


@dataclass(frozen=True)
class _Translation:
    """What the engine made of a segment, kept for identical segments later in the run."""

    target: str
    fuzzy: bool
    machine: str
    pins: tuple[Pin, ...]
    tag_words: tuple[tuple[str, str], ...] = ()


class Scheduler:
    """One target language of a run: documents in flight, their chunks, the dedupe cache."""

    def __init__(self, code: str, model: str, chunk_ids: Iterator[int],
                 report: Callable[[str], None]) -> None:
        self.code = code
        self.model = model
        self.chunk_ids = chunk_ids  # shared by every language of the run
        self.report = report
        # chunk id → for each segment sent, its dedupe key; for each probe pin, its owner
        self.sent: dict[int, tuple[list[tuple], list[Pending]]] = {}
        self.in_flight: dict[tuple, list[tuple[Segment, Pending]]] = {}
        self.done: OrderedDict[tuple, _Translation] = OrderedDict()
        self.grammar: dict[str, Pin] = {}
        self.ready: list[Pending] = []
        self.open = 0  # documents drawn and not yet taken by `take_ready`

    def chunks(self, documents: Iterable[Pending], limit: int,
               flush: Callable[[], None]) -> Iterator[Chunk | Wait]:
        """Chunks for the executor, made lazily from `documents` (prepared as they are drawn):
        each holds up to `limit` segments. Where too many documents are open, the chunk being
        filled goes out; with none, `flush` is called, which must take the ready documents
        away (`take_ready`), and while those left wait for chunks out, `WAIT` is given.
        Executors draw chunks in the driver's thread."""
        outgoing = self._outgoing()
        for pending in documents:
            self.open += 1
            pending.waiting = 1  # held until every segment of it is accounted for
            for segment in pending.to_translate:
                key = (segment.source, *map(_ASKED, segment.pins))
                if key in self.done:
                    self.done.move_to_end(key)
                    _copy_translation(self.done[key], segment)
                    continue
                pending.waiting += 1
                if key in self.in_flight:
                    self.in_flight[key].append((segment, pending))
                    continue
                self.in_flight[key] = [(segment, pending)]
                outgoing.chunk.segments.append(segment)
                outgoing.keys.append(key)
                outgoing.sending.add(id(pending))
                if len(outgoing.chunk.segments) >= limit:
                    yield self._dispatch(outgoing)
                    outgoing = self._outgoing()
            for pin in self._probe(pending.document, pending.to_translate):
                outgoing.chunk.probe.append(pin)
                outgoing.owners.append(pending)
                pending.waiting += 1
            self._one_less(pending)
            if self.open >= OPEN_DOCUMENTS:
                if outgoing.chunk.segments or outgoing.chunk.probe:
                    yield self._dispatch(outgoing)
                    outgoing = self._outgoing()
                else:
                    flush()  # nothing for an engine: no chunk sent
                while self.open >= OPEN_DOCUMENTS and self.sent:
                    yield WAIT  # the executor gives a chunk back, and the driver flushes
        if outgoing.chunk.segments or outgoing.chunk.probe:
            yield self._dispatch(outgoing)

    def receive(self, chunk: Chunk) -> None:
        """Take a translated chunk back: fill in every segment waiting on it."""
        keys, owners = self.sent.pop(chunk.id)
        for key, translated in zip(keys, chunk.segments):
            for segment, pending in self.in_flight.pop(key):
                if segment is not translated:
                    _copy_translation(translated, segment)
                self._one_less(pending)
            self.done[key] = _Translation(translated.target, translated.fuzzy,
                                          translated.machine, tuple(translated.pins),
                                          tuple(translated.tag_words.items()))
            if len(self.done) > DEDUPE_ENTRIES:
                self.done.popitem(last=False)
        for pin, pending in zip(chunk.probe, owners):
            self.grammar.setdefault(pin.concept or pin.source_text, pin)
            for owned in self._probe_targets(pending, pin):
                _copy_grammar(pin, owned)
            self._one_less(pending)

    def take_ready(self) -> list[Pending]:
        """The documents finished since the last call, in the order they finished."""
        ready, self.ready = self.ready, []
        self.open -= len(ready)
        return ready

    def _outgoing(self) -> _Outgoing:
        return _Outgoing(Chunk(next(self.chunk_ids), self.code))

    def _dispatch(self, outgoing: _Outgoing) -> Chunk:
        chunk = outgoing.chunk
        self.sent[chunk.id] = (outgoing.keys, outgoing.owners)
        if chunk.segments:
            self.report(f"translating {_plural(len(chunk.segments), 'segment')} from "
                        f"{_plural(len(outgoing.sending), 'article')} into "
                        f"{display_name(self.code)} with {self.model}")
        return chunk

    def _probe(self, document: Document, to_translate: list[Segment]) -> list[Pin]:
        """Pins of kept segments whose grammar the engine must give; those this run has
        learnt already are filled in here."""
        translating = {id(segment) for segment in to_translate}
        wanted: dict[str, Pin] = {}
        for segment in document.segments:
            if id(segment) in translating:
                continue
            for pin in segment.pins:
                if pin.concept == "date" or (pin.gender, pin.number, pin.article) \
                        != (None, None, None):
                    continue
                name = pin.concept or pin.source_text
                known = self.grammar.get(name)
                if known is not None:
                    _copy_grammar(known, pin)
                elif name not in wanted:
                    wanted[name] = pin  # one of each: the others are filled from it
        return list(wanted.values())

    def _probe_targets(self, pending: Pending, pin: Pin) -> list[Pin]:
        name = pin.concept or pin.source_text
        return [own for segment in pending.document.segments for own in segment.pins
                if own is not pin and (own.concept or own.source_text) == name
                and (own.gender, own.number, own.article) == (None, None, None)]

    def _one_less(self, pending: Pending) -> None:
        pending.waiting -= 1
        if pending.waiting == 0:
            self.ready.append(pending)


# What a segment's pin asks of the engine, the fields `Pin.line` writes: with the source, the
# key under which a translation is shared (the tuple is cheaper than the line).
_ASKED = operator.attrgetter("source_text", "target_text", "gender", "number", "article",
                             "admitted", "inflected", "deprecated")


def _copy_translation(translated: Segment | _Translation, segment: Segment) -> None:
    """What the engine made of an identical segment (same source, same pins)."""
    segment.target = translated.target
    segment.fuzzy = translated.fuzzy
    segment.machine = translated.machine
    segment.pins = [pin.copied() for pin in translated.pins]
    segment.tag_words = dict(translated.tag_words)


def _copy_grammar(known: Pin, pin: Pin) -> None:
    pin.gender, pin.number, pin.article = known.gender, known.number, known.article


def _plural(number: int, noun: str) -> str:
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"
