"""The translate run: read → segment → pin → translate → write, for archives of articles and
several languages, as one request (`request.TranslateRequest`) asks.

The driver does everything but translate, in two parts that meet here: the store
(`store.py`) reads every article (and the previous outputs it is merged with) before anything
is written, so a bad input never leaves half the files behind, skips articles whose outputs
are up to date (`resume.py`), prepares each document and writes each finished one atomically;
the scheduler (`scheduler.py`), which touches no file, turns documents into chunks of segments
(identical segments sent once) for an executor (in-process, or Ray actors) and says which are
finished. Memory holds the articles in flight, not the archive.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any, Protocol, TextIO

from glossator.glossary.matcher import TermMatcher
from glossator.io.files import ensure_writable_dir, output_lock
from glossator.languages import base_language
from glossator.run.context import RunContext
from glossator.run.discovery import discover
from glossator.run.executors import Chunk, EngineCache, LocalExecutor, Wait
from glossator.run.progress import Progress
from glossator.run.request import RunResult, TranslateRequest
from glossator.run.scheduler import Scheduler
from glossator.run.store import Item, Store

Report = Callable[[str], None]


def translate_articles(articles: Sequence[str | Path], targets: Sequence[str], *,
                       report: Report | None = None, progress: Progress | None = None,
                       stdin: TextIO | None = None, **settings: Any) -> RunResult:
    """`run_translate` of the request `TranslateRequest(articles, targets, **settings)`."""
    return run_translate(TranslateRequest(articles, targets, **settings), report=report,
                         progress=progress, stdin=stdin)


def run_translate(request: TranslateRequest, *, report: Report | None = None,
                  progress: Progress | None = None, stdin: TextIO | None = None) -> RunResult:
    """Translate the request's articles into each target language and write the outputs.

    Outputs mirror the inputs' tree under `OUT/LANG/`, or go where an article's PO already is
    (`placement`). A previous run's PO files are merged: a person's text is never replaced;
    an article whose outputs are up to date is skipped unless `force`. Articles are translated
    in chunks of at most `chunk_segments` segments and written as they finish. An article
    that cannot be read stops the run before anything is written, or with `keep_going` is
    reported in `RunResult.failed` and left out. `report` takes the progress lines
    (default: `progress.message`); `stdin` is read for `files_from="-"`.
    """
    from glossator.glossary.loader import load_glossary, select_glossaries

    progress = progress or Progress()
    if report is None:
        report = progress.message
    source, target_codes, out = request.source, request.target_codes, request.out
    formats = list(request.formats)
    sources = discover(request.articles, glob=request.glob, files_from=request.files_from,
                       exclude=[out], stdin=stdin)

    chosen = select_glossaries(request.glossary_paths, source)
    glossary = load_glossary(chosen.paths, base_language(source)) if chosen.paths else None
    context = RunContext.of(request, tuple(str(p) for p in chosen.paths),
                            glossary.signature() if glossary else "none")
    store = Store(context, out, formats, TermMatcher(glossary.concepts) if glossary else None,
                  report, progress)
    placed = store.place(sources)
    engines = EngineCache(context)
    store.models.update({code: engines.model_id(code) for code in target_codes})  # none loaded
    plan = store.plan(placed)
    ensure_writable_dir(out)

    # Every input is valid: only now say what was found.
    for line in chosen.left_out_lines():
        report(line)
    if glossary is None:
        report(f"glossary: none used ({chosen.none_reason})")
    else:
        report(f"glossary: {len(glossary)} concepts from {', '.join(glossary.sources)}")
    for line in store.dropped:
        report(line)

    executor: Executor | None = None
    chunk_ids = itertools.count(1)
    with output_lock(out, target_codes):
        try:
            for code in target_codes:
                todo = [item for item in plan if code in item.todo]
                if todo and executor is None:
                    executor = _executor(context, engines, report)
                _translate_language(store, code, todo, executor, chunk_ids)
                engines.release(code)
        except BaseException:
            store.close(failed=True)
            raise
        finally:
            if executor is not None:
                executor.close()
        store.close()
    report(store.result.summary())
    return store.result


def _translate_language(store: Store, code: str, todo: list[Item], executor: Executor | None,
                        chunk_ids: Iterator[int]) -> None:
    """Translate `todo` into `code`: the store prepares each article as the scheduler draws
    it, the executor translates the scheduler's chunks, and each finished document goes back
    to the store to be written at once."""
    context = store.context
    if todo and executor is not None:
        scheduler = Scheduler(code, store.models[code], chunk_ids, store.report)
        documents = (pending for item in todo
                     if (pending := store.prepare(code, item)) is not None)

        def flush() -> None:
            store.write(code, scheduler.take_ready())

        store.progress.begin(code, len(todo))
        try:
            limit = min(context.chunk_segments,
                        executor.chunk_limit(code) or context.chunk_segments)
            for chunk in executor.run(scheduler.chunks(documents, limit, flush)):
                store.checked.learn(chunk.checked)
                scheduler.receive(chunk)
                flush()
            flush()
        finally:
            store.progress.end()
        store.report(store.term_report(code).line())
    store.result.term_reports.append(store.term_report(code))


class Executor(Protocol):
    """See `executors`. `chunk_limit`: the most segments a chunk into `target` should hold
    for it (several workers want several chunks in flight), or None for the run's own."""

    def run(self, chunks: Iterable[Chunk | Wait]) -> Iterator[Chunk]: ...

    def chunk_limit(self, target: str) -> int | None: ...

    def close(self) -> None: ...


def _executor(context: RunContext, engines: EngineCache, report: Report) -> Executor:
    if context.cluster:
        from glossator.run.cluster import RayExecutor

        return RayExecutor(context, context.cluster, report=report)
    return LocalExecutor(context, engines)
