"""Chunks translated on Ray actors: `--cluster ray` (a local Ray) or `--cluster ray://HOST:PORT`.

Each actor builds its engines once from the run context and keeps them (a CTranslate2
translator cannot be pickled, so models are loaded where they run) and runs `work_chunk`, the
same function the in-process executor runs. The driver keeps everything else: it reads, merges,
and writes every file under the output lock, so nodes share nothing but what travels in chunks.

A chunk is cut into one part per actor so that a run of one chunk keeps every actor busy; the
parts are joined again before the chunk goes back, so the driver sees the chunks it made, each
exactly once. An actor that dies has its parts retried on a fresh actor, a few times at most.
Ray is an optional extra (`pip install 'glossator[ray]'`), imported only here.
"""

from __future__ import annotations

import contextlib
import importlib.util
import logging
import os
import re
import warnings
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from glossator.errors import EngineError, GlossatorError, UsageError
from glossator.run.context import RunContext
from glossator.run.executors import Chunk, EngineCache, Wait, work_chunk

LOCAL = "ray"
RETRIES = 3  # fresh actors a part may be given after the one running it died
PARTS_IN_FLIGHT = 2  # per actor: one decoding, one waiting, so an actor never idles
MIN_PART_SEGMENTS = 64  # a smaller chunk is not worth cutting further
CHUNK_SEGMENTS = 250  # smaller chunks on a cluster: every actor gets some, and a retry after
# an actor died costs less
# Variables an actor's engines read, passed on so actors see the driver's settings even on a
# Ray that was started before they were set.
FORWARDED_ENV = ("ARGOS_PACKAGES_DIR", "GLOSSATOR_CACHE")  # where set: models, the cache folder
# Tests only: "N:PATH" makes the first actor to reach its N-th part exit, once (PATH marks it);
# "N" alone makes every actor exit on its N-th part.
CRASH_ENV = "GLOSSATOR_TEST_ACTOR_CRASH"


def check_address(address: str) -> str:
    """`address` if it is one `--cluster` takes ("ray" or "ray://HOST:PORT") and Ray is
    installed; else a one-line error. Imports nothing."""
    if address != LOCAL:
        host, _, port = address.removeprefix("ray://").rpartition(":")
        if not address.startswith("ray://") or not host or not port.isdigit():
            raise UsageError(f"unknown cluster {address!r} (use ray, or ray://HOST:PORT to join "
                             "a running Ray cluster; its client port is 10001 by default)")
    if importlib.util.find_spec("ray") is None:
        raise UsageError("--cluster needs Ray: pip install 'glossator[ray]'")
    return address


class ChunkWorker:
    """The body of a Ray actor: an engine cache for the run, and `work_chunk`."""

    def __init__(self, context: RunContext, threads: int) -> None:
        self.engines = EngineCache(context, threads=threads)
        self.parts = 0

    def work(self, part: Chunk) -> tuple[Chunk, str]:
        """The part translated, and the id of the model that did it."""
        self.parts += 1
        _maybe_crash(self.parts)
        done = work_chunk(self.engines.get(part.target), part, self.engines.context)
        return done, self.engines.model_id(part.target)


def _maybe_crash(count: int) -> None:
    """Tests kill an actor mid-run through `CRASH_ENV`; unset, this does nothing."""
    setting = os.environ.get(CRASH_ENV)
    if not setting:
        return
    at, _, marker = setting.partition(":")
    if count != int(at):
        return
    if marker:
        try:
            os.close(os.open(marker, os.O_CREAT | os.O_EXCL | os.O_WRONLY))
        except FileExistsError:
            return
    os._exit(1)


@dataclass
class _Part:
    chunk_id: int
    index: int
    chunk: Chunk
    tries: int = 0


@dataclass
class _Joining:
    """A chunk cut into parts, waiting for all of them."""

    chunk: Chunk
    parts: list[Chunk | None] = field(default_factory=list)

    def done(self) -> bool:
        return all(part is not None for part in self.parts)

    def joined(self) -> Chunk:
        parts = [part for part in self.parts if part is not None]
        return Chunk(self.chunk.id, self.chunk.target,
                     segments=[s for part in parts for s in part.segments],
                     probe=[p for part in parts for p in part.probe],
                     checked=[c for part in parts for c in part.checked])


class RayExecutor:
    """Translate chunks on Ray actors, one CPU (or, with `--device cuda`, one GPU) each.

    `actors` None: as many as the cluster has CPUs (GPUs). Results come back as they finish,
    each chunk once; a part whose actor died is run again on a new actor, at most `RETRIES`
    times, then the run stops with a one-line error.
    """

    def __init__(self, context: RunContext, address: str = LOCAL, *,
                 actors: int | None = None,
                 report: Callable[[str], None] | None = None) -> None:
        check_address(address)
        if actors is not None and actors < 1:
            raise UsageError(f"actors must be at least 1, not {actors}")
        import ray

        self.context = context
        self.report = report or (lambda _line: None)
        self.address = address
        self.started_ray = False
        if not ray.is_initialized():
            try:
                with _ray_quiet():
                    if address == LOCAL:
                        ray.init(include_dashboard=False, log_to_driver=False,
                                 logging_level="error")
                    else:
                        ray.init(address=address, log_to_driver=False, logging_level="error")
            except (ConnectionError, RuntimeError, ValueError) as error:
                raise EngineError(f"cannot start or reach Ray at {address}: "
                                  f"{_one_line(error)}") from None
            self.started_ray = True
        # A Ray this run started prints none of its own lines: `run` reports what they say.
        self._unmute = _mute_raylet_notices() if self.started_ray else _nothing
        self._ray = ray
        self._actors: list[Any] = []
        gpu = context.device == "cuda"
        resources = ray.cluster_resources()
        available = int(resources.get("GPU" if gpu else "CPU", 0))
        if available < 1:  # an actor asking for what no node has would wait for ever
            self.close()
            raise EngineError(f"the Ray cluster at {address} has no "
                              f"{'GPU' if gpu else 'CPU'} to give an actor"
                              + (" (--device cuda); use --device auto" if gpu else ""))
        self.actor_count = actors or available
        env = {name: os.environ[name] for name in (*FORWARDED_ENV, CRASH_ENV)
               if name in os.environ}
        self._actor_class = ray.remote(ChunkWorker).options(
            num_cpus=0 if gpu else 1, num_gpus=1 if gpu else 0, max_restarts=0,
            runtime_env={"env_vars": env} if env else None)
        self._actors = [self._new_actor() for _ in range(self.actor_count)]
        self._expected: dict[str, str] = {}  # target → the driver's model id
        self.retried = 0  # parts run again after their actor died

    def _new_actor(self) -> Any:
        return self._actor_class.remote(self.context, 1)

    def chunk_limit(self, target: str) -> int | None:
        return CHUNK_SEGMENTS

    def run(self, chunks: Iterable[Chunk | Wait]) -> Iterator[Chunk]:
        ray = self._ray
        source = iter(chunks)
        exhausted = False
        queue: deque[_Part] = deque()
        joining: dict[int, _Joining] = {}
        running: dict[Any, tuple[_Part, Any]] = {}  # object ref → (part, actor)
        load = {id(actor): 0 for actor in self._actors}
        while True:
            # Draw chunks (in this, the driver's thread) only while some actor has room.
            while not exhausted and not queue and len(running) < self._capacity():
                chunk = next(source, None)
                if chunk is None:
                    exhausted = True
                    break
                if isinstance(chunk, Wait):
                    break  # drawn again once a chunk has come back
                parts = self._cut(chunk)
                joining[chunk.id] = _Joining(chunk, [None] * len(parts))
                queue.extend(_Part(chunk.id, i, part) for i, part in enumerate(parts))
            while queue:
                actor = min(self._actors, key=lambda a: load[id(a)])
                if load[id(actor)] >= PARTS_IN_FLIGHT:
                    break
                part = queue.popleft()
                running[actor.work.remote(part.chunk)] = (part, actor)
                load[id(actor)] += 1
            if not running:
                if exhausted and not queue:
                    return
                continue
            [ref], _ = ray.wait(list(running), num_returns=1)
            part, actor = running.pop(ref)
            load[id(actor)] -= 1
            try:
                result, model = ray.get(ref)
            except ray.exceptions.RayActorError as error:
                part.tries += 1
                name = f"chunk {part.chunk_id} ({part.chunk.target}) part {part.index + 1}"
                if part.tries > RETRIES:
                    raise EngineError(f"{name} failed, the run stops: its Ray actor died "
                                      f"{part.tries} times; last: {_death(error)}") from None
                self._replace(actor, load)
                self.retried += 1
                self.report(f"ray: an actor died ({_death(error)}); {name} goes to a fresh "
                            f"actor (retry {part.tries} of {RETRIES})")
                queue.appendleft(part)
                continue
            except ray.exceptions.RayTaskError as error:
                cause = getattr(error, "cause", None)
                if isinstance(cause, GlossatorError):
                    raise cause from None
                raise EngineError(f"a Ray actor failed: {_one_line(cause or error)}") from None
            self._check_model(result.target, model)
            entry = joining[part.chunk_id]
            entry.parts[part.index] = result
            if entry.done():
                del joining[part.chunk_id]
                yield entry.joined()

    def _capacity(self) -> int:
        return len(self._actors) * PARTS_IN_FLIGHT

    def _cut(self, chunk: Chunk) -> list[Chunk]:
        """One part per actor, in order; the probe pins go with the first."""
        size = max(-(-len(chunk.segments) // len(self._actors)), MIN_PART_SEGMENTS)
        pieces = [chunk.segments[i:i + size] for i in range(0, len(chunk.segments), size)]
        pieces = pieces or [[]]
        return [Chunk(chunk.id, chunk.target, segments=piece,
                      probe=chunk.probe if i == 0 else [])
                for i, piece in enumerate(pieces)]

    def _replace(self, dead: Any, load: dict[int, int]) -> None:
        """Swap a dead actor for a fresh one; its other parts fail on their own and come back
        through the same path (by then it is replaced already)."""
        if dead not in self._actors:
            return
        self._ray.kill(dead)
        fresh = self._new_actor()
        self._actors[self._actors.index(dead)] = fresh
        load[id(fresh)] = 0

    def _check_model(self, target: str, model: str) -> None:
        """Every node must decode with the model the driver records in each output's signature
        (the same Argos package version, the same bergamot)."""
        if target not in self._expected:
            self._expected[target] = EngineCache(self.context).model_id(target)
        if model != self._expected[target]:
            raise EngineError(f"a Ray node translates into {target} with {model}, this machine "
                              f"with {self._expected[target]}: install the same models on "
                              "every node")

    def close(self) -> None:
        for actor in self._actors:
            self._ray.kill(actor)
        self._actors = []
        if self.started_ray:
            self._ray.shutdown()
            self._unmute()


@contextlib.contextmanager
def _ray_quiet() -> Iterator[None]:
    """Ray's start-up notices (a token file written, a client timeout) as warnings and log
    records would break the rule that stderr holds glossator's lines only; failures still
    come through as exceptions."""
    logger = logging.getLogger("ray")
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            yield
    finally:
        logger.setLevel(level)


def _mute_raylet_notices() -> Callable[[], None]:
    """Ray's driver prints what its raylet reports (a worker that died, with advice) as
    coloured `(raylet)` lines even with `log_to_driver=False`, which would break the rule that
    stderr holds glossator's lines only; `run` reports a dead actor itself. Done through a
    private name, so only where it exists; returns what undoes it."""
    from ray._private import worker

    show = getattr(worker, "print_to_stdstream", None)
    if show is None:
        return _nothing

    def drop(data: dict[str, Any], ignore_prefix: bool) -> None:
        pass

    def unmute() -> None:
        worker.print_to_stdstream = show

    worker.print_to_stdstream = drop
    return unmute


def _nothing() -> None:
    pass


def _death(error: BaseException) -> str:
    """Why Ray says an actor died, in one line, after the process and node it ran on where Ray
    names them: what its `(raylet)` notice would have told."""
    text = str(error)
    pid = re.search(r"^\s*pid: (\d+)\s*$", text, re.MULTILINE)
    ip = re.search(r"^\s*ip: (\S+)\s*$", text, re.MULTILINE)
    if pid and ip:
        return f"pid {pid[1]} on {ip[1]}: {_one_line(error)}"
    return _one_line(error)


def _one_line(error: BaseException | object) -> str:
    text = str(error).strip().splitlines()
    return text[0] if text else type(error).__name__
