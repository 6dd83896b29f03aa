"""Gather the sentences of concurrent requests for one language pair into one engine call.

Each pair has one `Gatherer`: a request hands it its segments and waits. The gatherer waits a
few milliseconds for others before every batch that is not yet full, then decodes in a worker
thread — one decode at a time per pair, never on the event loop — and while that decode runs,
new requests queue up for the next one. A request is cut into pieces of `piece_segments`, and a
batch takes one piece from each waiting request in turn up to `batch_segments`, so a huge
request shares every batch with the small ones that arrive after it instead of holding them
back until it is done. A request cancelled while it waits (its client hung up: the API's
endpoints cancel the work then; or it timed out) has its pieces not yet decoded dropped.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections import deque
from collections.abc import Callable, Sequence
from concurrent.futures import Executor
from dataclasses import dataclass, field

from glossator.model import Segment

Decode = Callable[[list[Segment]], None]  # translates the segments in place


@dataclass
class _Request:
    pieces: deque[list[Segment]]
    done: asyncio.Future[None]
    outstanding: int = 0  # pieces sent or waiting, not yet decoded


@dataclass
class BatchStats:
    calls: int = 0
    segments: int = 0
    requests: list[int] = field(default_factory=list)  # requests served per call, recent ones

    def record(self, segments: int, requests: int) -> None:
        self.calls += 1
        self.segments += segments
        self.requests.append(requests)
        del self.requests[:-1000]


class Gatherer:
    """The request queue of one language pair; `gather=False` decodes one request's piece per
    engine call (batching off, for comparison)."""

    def __init__(self, decode: Decode, executor: Executor, *, wait: float = 0.005,
                 batch_segments: int = 64, piece_segments: int = 16,
                 gather: bool = True) -> None:
        self.decode, self.executor = decode, executor
        self.wait, self.gather = wait, gather
        self.batch_segments = max(batch_segments, 1)
        self.piece_segments = max(min(piece_segments, self.batch_segments), 1)
        self.stats = BatchStats()
        self._waiting: deque[_Request] = deque()
        self._wake: asyncio.Event | None = None
        self._task: asyncio.Task[None] | None = None

    async def translate(self, segments: Sequence[Segment]) -> None:
        """Translate `segments` in place, in batches shared with other requests."""
        if not segments:
            return
        loop = asyncio.get_running_loop()
        pieces = deque(list(segments[i:i + self.piece_segments])
                       for i in range(0, len(segments), self.piece_segments))
        request = _Request(pieces, loop.create_future(), len(pieces))
        self._waiting.append(request)
        if self._task is None or self._task.done():
            self._wake = asyncio.Event()
            self._task = loop.create_task(self._serve())
        assert self._wake is not None
        self._wake.set()
        await request.done

    async def close(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task

    async def _serve(self) -> None:
        loop = asyncio.get_running_loop()
        assert self._wake is not None
        while True:
            await self._wake.wait()
            self._wake.clear()
            while self._waiting:
                # Wait for more only while the batch is not full: after a decode, the requests
                # it answered send their next ones within milliseconds, and a batch taken
                # before they arrive would leave them all for the one after.
                if self.gather and self.wait > 0 and self._queued() < self.batch_segments:
                    await asyncio.sleep(self.wait)
                batch, owners = self._take()
                if not batch:
                    continue
                try:
                    await loop.run_in_executor(self.executor, self.decode, batch)
                except Exception as error:  # handed to every request waiting on it
                    for request in owners:
                        if not request.done.done():
                            request.done.set_exception(error)
                    continue
                self.stats.record(len(batch), len(set(map(id, owners))))
                for request in owners:
                    request.outstanding -= 1
                    if request.outstanding == 0 and not request.done.done():
                        request.done.set_result(None)

    def _queued(self) -> int:
        return sum(len(piece) for request in self._waiting for piece in request.pieces)

    def _take(self) -> tuple[list[Segment], list[_Request]]:
        """One batch: a piece of each waiting request in turn, up to `batch_segments`.
        Requests that gave up (timed out, disconnected) are dropped."""
        batch: list[Segment] = []
        owners: list[_Request] = []
        while self._waiting and len(batch) < self.batch_segments:
            request = self._waiting.popleft()
            if request.done.done():
                continue
            piece = request.pieces.popleft()
            if batch and len(batch) + len(piece) > self.batch_segments:
                request.pieces.appendleft(piece)
                self._waiting.appendleft(request)
                break
            batch.extend(piece)
            owners.append(request)
            if request.pieces:
                self._waiting.append(request)
            if not self.gather:
                break
        return batch, owners
