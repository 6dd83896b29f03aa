"""The translate job: read → segment → translate → write, for archives of articles and
several languages.

The driver here does everything but translate: it finds the articles, reads every one (and the
previous outputs it is merged with) before anything is written, so a bad input never leaves half
the files behind; skips articles whose outputs are up to date (`resume.py`); then per language
streams articles through segmenting, pinning and merging into chunks of segments (identical
segments sent once), hands the chunks to an executor (in-process, or Ray actors), and checks,
renders and writes each article atomically as soon as its last segment comes back. Memory holds
the articles in flight, not the archive.
"""

from __future__ import annotations

import functools
import itertools
import os
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path, PurePath
from typing import Any, Protocol, TextIO

from glossator import __version__
from glossator.errors import (
    FormatError,
    GlossatorError,
    InputError,
    display_path,
)
from glossator.formats import Format
from glossator.glossary.matcher import TermMatcher
from glossator.io.files import ensure_writable_dir, output_lock, write_all
from glossator.io.names import text_name
from glossator.io.reading import MAX_ARTICLE_BYTES, read_regular
from glossator.languages import base_language, display_name
from glossator.model import Document, Pin, Segment
from glossator.run.context import RunContext
from glossator.run.discovery import Source, discover
from glossator.run.executors import Chunk, EngineCache, LocalExecutor
from glossator.run.merge import check_previous, merge, reviewed_pairs
from glossator.run.placement import OutputIndex, article_key, key_path, recorded_key
from glossator.run.progress import Progress
from glossator.run.request import TranslateRequest
from glossator.run.resume import fingerprint, header_note, seal, source_digest, up_to_date
from glossator.terms.pinning import TermReport, attach_pins, flag_misses
from glossator.text.article import Article, decode_article, parse_article

Report = Callable[[str], None]


def build_document(article: Article, source_lang: str,
                   protect: Callable[[str], Sequence[tuple[int, int]]] | None = None) -> Document:
    """Split an article's paragraphs into segments "paragraph.sentence".

    Title and dateline stay one segment each; `protect` gives spans no boundary may cut. A
    sentence (or title) over `MAX_SEGMENT_CHARS` is cut at clause boundaries into several
    segments, numbered on as sentences are, each with an informational note that says so.
    """
    from glossator.text.segmenter import (
        MAX_SEGMENT_CHARS,
        clause_spans,
        sentence_spans,
        split_note,
    )

    document = Document(name=text_name(article.name), source_lang=source_lang,
                        path=article.path, article=text_name(article.path.name))
    for number, paragraph in enumerate(article.paragraphs, start=1):
        text = paragraph.text
        protected = protect(text) if protect else ()
        if paragraph.kind == "body":
            spans = sentence_spans(text, base_language(source_lang), protected)
        else:
            spans = [(0, len(text))]
        index = 0
        for start, end in spans:
            pieces = clause_spans(text, start, end, protected, MAX_SEGMENT_CHARS)
            first = index + 1
            for piece_start, piece_end in pieces:
                index += 1
                document.segments.append(Segment(id=f"{number}.{index}",
                                                 source=text[piece_start:piece_end],
                                                 paragraph=number, kind=paragraph.kind))
            if len(pieces) > 1:
                note = split_note(f"{number}.{first}", f"{number}.{index}", end - start,
                                  MAX_SEGMENT_CHARS)
                for segment in document.segments[-len(pieces):]:
                    segment.notes.append(note)
    if article.dropped:
        document.dropped = [line for _rule, line in article.dropped]
        document.header_notes.append(article.dropped_summary() + ": "
                                     + " | ".join(document.dropped))
    return document


@dataclass
class RunResult:
    paths: list[Path]  # the files written, in order
    term_reports: list[TermReport]  # one per target language, over the articles translated
    qa_findings: int
    translated: int = 0  # articles × languages written
    skipped: int = 0  # articles × languages up to date, left alone
    failed: list[GlossatorError] = field(default_factory=list)  # with --keep-going

    def summary(self) -> str:
        # counts are of articles × languages; failures, of articles
        noun = "articles" if len(self.term_reports) <= 1 else "articles × languages"
        line = (f"{noun}: {self.translated} translated, {self.skipped} skipped (unchanged), "
                f"{len(self.failed)} failed")
        return line + f"; {self.qa_findings} QA finding(s)"


MEMORY_FILE = "memory.tmx"
DEDUPE_ENTRIES = 100_000  # translations remembered for identical segments later in the run
CLUSTER_CHUNK_SEGMENTS = 250  # smaller chunks on a cluster: every actor gets some, and a retry
# after an actor died costs less
_OPEN_DOCUMENTS = 256  # documents read but not yet sent or written, at most


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
    job = _Job(context, out, formats, {}, TermMatcher(glossary.concepts) if glossary else None,
               report, progress)
    placed = job.place(sources)
    engines = EngineCache(context)
    job.models.update({code: engines.model_id(code) for code in target_codes})  # none loaded
    plan = job.plan(placed)
    ensure_writable_dir(out)

    # Every input is valid: only now say what was found.
    for line in chosen.left_out_lines():
        report(line)
    if glossary is None:
        report(f"glossary: none used ({chosen.none_reason})")
    else:
        report(f"glossary: {len(glossary)} concepts from {', '.join(glossary.sources)}")
    for line in job.dropped:
        report(line)

    executor: Executor | None = None
    with output_lock(out, target_codes):
        try:
            for code in target_codes:
                todo = [item for item in plan if code in item.todo]
                if todo and executor is None:
                    executor = _executor(context, engines, report)
                job.translate_language(code, todo, executor)
                engines.release(code)
        finally:
            if executor is not None:
                executor.close()
    report(job.result.summary())
    return job.result


class Executor(Protocol):
    """See `executors`. An executor may also have `chunk_limit`, the most segments a chunk
    should hold for it (several workers want several chunks in flight)."""

    def run(self, chunks: Iterable[Chunk]) -> Iterator[Chunk]: ...

    def close(self) -> None: ...


def _executor(context: RunContext, engines: EngineCache, report: Report) -> Executor:
    if context.cluster:
        from glossator.run.cluster import RayExecutor

        return RayExecutor(context, context.cluster, report=report)
    return LocalExecutor(context, engines)


@dataclass
class _Item:
    """An article of the run and the languages it needs translating into."""

    source: Source
    todo: tuple[str, ...]


@dataclass
class _Pending:
    """A document being translated: finished when `waiting` reaches 0."""

    item: _Item
    document: Document
    digest: str  # of the article's bytes, for the resume fingerprint
    waiting: int = 0


@dataclass
class _Outgoing:
    """A chunk being filled, and what the driver must remember of it."""

    chunk: Chunk
    keys: list[tuple] = field(default_factory=list)  # per segment sent: its dedupe key
    owners: list[_Pending] = field(default_factory=list)  # per probe pin: its document
    articles: set[int] = field(default_factory=set)  # documents prepared while it filled
    sending: set[int] = field(default_factory=set)  # documents with segments in it


class _Job:
    """The driver's state for one run: reading, merging, dispatching, finishing, writing."""

    def __init__(self, context: RunContext, out: Path, formats: Sequence[Format],
                 models: dict[str, str], matcher: TermMatcher | None, report: Report,
                 progress: Progress) -> None:
        self.context = context
        self.out = out
        self.formats = formats
        self.models = models
        self.matcher = matcher
        self.protect = _protector(matcher) if matcher else None
        self.report = report
        self.progress = progress
        self.dropped: list[str] = []
        self.memories: dict[str, dict[str, str]] = {}
        self.result = RunResult([], [], 0)
        self.chunk_ids = itertools.count(1)
        self.stems: dict[tuple[str, Path], PurePath] = {}  # (language, article) → output stem

    # Before anything is written ---------------------------------------------------------------

    def fingerprint(self, code: str, item: Source, digest: str) -> str:
        return fingerprint(__version__, digest, article_key(item.path, self.out),
                           self.context.source, code, self.models[code],
                           self.context.glossary_signature, _segmenter_id(),
                           self.context.output_options())

    def stem(self, code: str, item: Source) -> PurePath:
        """Where `item`'s outputs in language `code` go, below `OUT/LANG/`, without extension."""
        return self.stems.get((code, item.path), item.stem)

    def outputs(self, code: str, item: Source) -> dict[str, Path]:
        """Format name → output path of `item` in language `code`."""
        stem = self.stem(code, item)
        stub = Document(name=stem.name, source_lang=self.context.source)
        return {fmt.name: self.out / code / stem.parent / fmt.filename(stub)
                for fmt in self.formats}

    def previous_path(self, code: str, item: Source) -> Path:
        stem = self.stem(code, item)
        return self.out / code / stem.parent / f"{stem.name}.po"

    def place(self, sources: Sequence[Source]) -> list[Source]:
        """Decide where each article's outputs go in each language (see `placement`): the PO
        that records the article, wherever it is, else the mirrored path. Two articles of the
        run with one output file, or an article whose output is another article's PO, are
        refused before anything is translated (with `keep_going`: that article is left out)."""
        placed = list(sources)
        for code in self.context.targets:
            index = OutputIndex(self.out / code)
            owners: dict[PurePath, Source] = {}
            for item in list(placed):
                try:
                    self._place(code, item, index, owners)
                except GlossatorError as error:
                    if not self.context.keep_going:
                        raise
                    self.result.failed.append(error)
                    placed.remove(item)
        return placed

    def _place(self, code: str, item: Source, index: OutputIndex,
               owners: dict[PurePath, Source]) -> None:
        key = article_key(item.path, self.out)
        stem = index.stem_of(key, item.stem)
        if stem is None:
            stem = item.stem
            po = self.previous_path(code, item)
            other = recorded_key(po)
            if other is not None and other != key and key_path(other, self.out).exists():
                raise FormatError(
                    f"holds the translation of {display_path(key_path(other, self.out))}, not of "
                    f"{display_path(item.path)}; give one of them another --out, or translate "
                    "both in one run so that their folders keep them apart", path=po)
        self.stems[(code, item.path)] = stem
        folder = self.out / code
        for fmt, name in self.outputs(code, item).items():
            relative = PurePath(os.path.relpath(name, folder))
            if relative == PurePath(MEMORY_FILE):
                raise InputError(f"its {fmt} output would be {display_path(name)}, the "
                                 "translation memory; rename the article", path=item.path)
            first = owners.setdefault(relative, item)
            if first is not item:
                raise InputError(f"same output file as {display_path(first.path)} "
                                 f"({display_path(name)}): one article would be lost; "
                                 "rename one, or translate them in separate runs with different "
                                 "--out folders", path=item.path)

    def plan(self, sources: Sequence[Source]) -> list[_Item]:
        """Read every article (as bytes; parsed only when it must be translated) and each
        previous PO file it will be merged with, so that no bad input is found after the first
        output is written; decide which articles are up to date in which languages."""
        from glossator.formats.tmx import read_memory

        for code in self.context.targets:
            path = self.out / code / MEMORY_FILE
            self.memories[code] = (read_memory(path, self.context.source, code)
                                   if path.exists() else {})
        plan = []
        for item in sources:
            try:
                data = _article_bytes(item.path)
                digest = source_digest(data)
                todo = tuple(code for code in self.context.targets
                             if not self._up_to_date(code, item, digest))
                if not todo:
                    self.result.skipped += len(self.context.targets)
                    continue
                article = parse_article(decode_article(data, item.path), item.path)
                for code in todo:
                    self._check_previous(code, item)
            except GlossatorError as error:
                if not self.context.keep_going:
                    raise
                self.result.failed.append(error)
                continue
            self.result.skipped += len(self.context.targets) - len(todo)
            if article.dropped:
                self.dropped.append(f"{item.path}: {article.dropped_summary()}")
            plan.append(_Item(item, todo))
        return plan

    def _up_to_date(self, code: str, item: Source, digest: str) -> bool:
        if self.context.force:
            return False
        paths = self.outputs(code, item)
        po = paths.pop("po", None)
        return po is not None and up_to_date(po, self.fingerprint(code, item, digest),
                                             paths.values())

    def _check_previous(self, code: str, item: Source) -> None:
        from glossator.formats.po import read_po

        path = self.previous_path(code, item)
        if path.exists():
            stub = Document(name=text_name(item.stem.name), source_lang=self.context.source,
                            article=text_name(item.path.name),
                            source_key=article_key(item.path, self.out))
            check_previous(read_po(path), stub, code, path)

    # Translating ------------------------------------------------------------------------------

    def translate_language(self, code: str, todo: list[_Item], executor: Executor | None) -> None:
        """Translate `todo` into `code`, writing each article's files as it is finished."""
        language = _Language(self, code)
        if todo and executor is not None:
            self.progress.begin(code, len(todo))
            try:
                wanted = getattr(executor, "chunk_limit", None) or (
                    CLUSTER_CHUNK_SEGMENTS if self.context.cluster else None)
                limit = min(self.context.chunk_segments, wanted or self.context.chunk_segments)
                for chunk in executor.run(language.chunks(todo, limit)):
                    language.receive(chunk)
                    language.write_ready()
                language.write_ready()
            finally:
                self.progress.end()
            self.report(language.terms.line())
        self.result.term_reports.append(language.terms)


class _Language:
    """One target language of a run: documents in flight, their chunks, the dedupe cache."""

    def __init__(self, job: _Job, code: str) -> None:
        self.job = job
        self.code = code
        self.context = job.context
        self.memory = job.memories[code]
        self.memory_changed = False
        self.terms = TermReport(code)
        self.signature = (f"glossator {__version__} | engine {job.models[code]} | segmenter "
                          f"{_segmenter_id()} | glossary {self.context.glossary_signature}")
        # chunk id → for each segment sent, its dedupe key; for each probe pin, its owner
        self.sent: dict[int, tuple[list[tuple], list[_Pending]]] = {}
        self.in_flight: dict[tuple, list[tuple[Segment, _Pending]]] = {}
        self.done: OrderedDict[tuple, _Translation] = OrderedDict()
        self.grammar: dict[str, Pin] = {}
        self.ready: list[_Pending] = []

    def chunks(self, todo: list[_Item], limit: int) -> Iterator[Chunk]:
        """Chunks for the executor, made lazily: each holds up to `limit` segments, identical
        segments sent once. Articles with nothing for an engine are written from
        here, so executors must draw chunks in the driver's thread."""
        outgoing = self._outgoing()
        for item in todo:
            prepared = self._prepare(item)
            if prepared is None:
                continue
            pending, to_translate = prepared
            pending.waiting = 1  # held until every segment of it is accounted for
            outgoing.articles.add(id(pending))
            for segment in to_translate:
                key = (segment.source, *(pin.line() for pin in segment.pins))
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
                    outgoing.articles.add(id(pending))
            for pin in self._probe(pending.document, to_translate):
                outgoing.chunk.probe.append(pin)
                outgoing.owners.append(pending)
                pending.waiting += 1
            self._one_less(pending)
            if len(outgoing.articles) + len(self.ready) >= _OPEN_DOCUMENTS:
                if outgoing.chunk.segments or outgoing.chunk.probe:
                    yield self._dispatch(outgoing)
                else:
                    self.write_ready()  # nothing for an engine: no chunk sent
                outgoing = self._outgoing()
        if outgoing.chunk.segments or outgoing.chunk.probe:
            yield self._dispatch(outgoing)

    def _outgoing(self) -> _Outgoing:
        return _Outgoing(Chunk(next(self.job.chunk_ids), self.code))

    def _dispatch(self, outgoing: _Outgoing) -> Chunk:
        chunk = outgoing.chunk
        self.sent[chunk.id] = (outgoing.keys, outgoing.owners)
        if chunk.segments:
            self.job.report(f"translating {_plural(len(chunk.segments), 'segment')} from "
                            f"{_plural(len(outgoing.sending), 'article')} into "
                            f"{display_name(self.code)} with {self.job.models[self.code]}")
        return chunk

    def _prepare(self, item: _Item) -> tuple[_Pending, list[Segment]] | None:
        """Read, segment, pin and merge one article: it and its segments to translate. None
        when it cannot be read and the run keeps going."""
        from glossator.formats.po import read_po

        job, path = self.job, item.source.path
        try:
            data = _article_bytes(path)
            article = parse_article(decode_article(data, path), path)
            previous_path = job.previous_path(self.code, item.source)
            previous = read_po(previous_path) if previous_path.exists() else None
            document = build_document(article, self.context.source, job.protect)
            document.name = text_name(job.stem(self.code, item.source).name)
            document.source_key = article_key(path, job.out)
            if previous:
                check_previous(previous, document, self.code, previous_path)
        except GlossatorError as error:
            if not self.context.keep_going:
                raise
            job.result.failed.append(error)
            return None
        document.target_lang = self.code
        attach_pins(document.segments, job.matcher, self.code)
        merged = merge(document, previous, self.memory, retranslate=self.context.force)
        if previous or merged.kept:
            job.report(f"{_label(item)} ({self.code}): {merged.summary()}")
        return _Pending(item, document, source_digest(data)), merged.to_translate

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

    def receive(self, chunk: Chunk) -> None:
        """Take a translated chunk back: fill in every segment waiting on it."""
        keys, owners = self.sent.pop(chunk.id)
        for key, translated in zip(keys, chunk.segments):
            for segment, pending in self.in_flight.pop(key):
                if segment is not translated:
                    _copy_translation(translated, segment)
                self._one_less(pending)
            self.done[key] = _Translation(translated.target, translated.fuzzy,
                                          translated.machine, tuple(translated.pins))
            if len(self.done) > DEDUPE_ENTRIES:
                self.done.popitem(last=False)
        for pin, pending in zip(chunk.probe, owners):
            self.grammar.setdefault(pin.concept or pin.source_text, pin)
            for owned in self._probe_targets(pending, pin):
                _copy_grammar(pin, owned)
            self._one_less(pending)

    def _probe_targets(self, pending: _Pending, pin: Pin) -> list[Pin]:
        name = pin.concept or pin.source_text
        return [own for segment in pending.document.segments for own in segment.pins
                if own is not pin and (own.concept or own.source_text) == name
                and (own.gender, own.number, own.article) == (None, None, None)]

    def _one_less(self, pending: _Pending) -> None:
        pending.waiting -= 1
        if pending.waiting == 0:
            self.ready.append(pending)

    def write_ready(self) -> None:
        """Check, render and write every finished document (and the memory, if it grew) in
        one all-or-nothing write."""
        if not self.ready:
            return
        from glossator.formats.tmx import write_memory
        from glossator.terms.qa import check_document

        ready, self.ready = self.ready, []
        job, files = self.job, {}
        segments = 0
        for pending in ready:
            document = pending.document
            report = flag_misses(document.segments, self.code)
            self._count(report)
            document.signature = self.signature
            document.header_notes.append(report.line())
            findings = check_document(document)
            document.header_notes.append(f"qa {self.code}: {len(findings)} finding(s)")
            if findings:
                job.report(f"{_label(pending.item)} ({self.code}): {len(findings)} QA finding(s)")
            job.result.qa_findings += len(findings)
            files.update(self._render(pending))
            for text, target in reviewed_pairs([document]).items():
                if self.memory.get(text) != target:
                    self.memory[text] = target
                    self.memory_changed = True
            segments += len(document.segments)
        if self.memory_changed:
            files[job.out / self.code / MEMORY_FILE] = write_memory(
                sorted(self.memory.items()), self.context.source, self.code)
            self.memory_changed = False
        job.result.paths.extend(write_all(files))
        job.result.translated += len(ready)
        job.progress.update(articles=len(ready), segments=segments)

    def _render(self, pending: _Pending) -> dict[Path, str]:
        """Every output of a finished document; the PO file sealed for resuming."""
        document, files = pending.document, {}
        paths = self.job.outputs(self.code, pending.item.source)
        for fmt in self.job.formats:
            if fmt.name == "po":
                print_ = self.job.fingerprint(self.code, pending.item.source, pending.digest)
                document.header_notes.append(header_note(print_))
                files[paths[fmt.name]] = seal(fmt.render(document), print_)
                document.header_notes.pop()
            else:
                files[paths[fmt.name]] = fmt.render(document)
        return files

    def _count(self, report: TermReport) -> None:
        self.terms.found += report.found
        self.terms.pinned += report.pinned
        self.terms.preferred += report.preferred
        self.terms.misses.extend(report.misses)


@dataclass(frozen=True)
class _Translation:
    """What the engine made of a segment, kept for identical segments later in the run."""

    target: str
    fuzzy: bool
    machine: str
    pins: tuple[Pin, ...]


def _copy_translation(translated: Segment | _Translation, segment: Segment) -> None:
    """What the engine made of an identical segment (same source, same pins)."""
    segment.target = translated.target
    segment.fuzzy = translated.fuzzy
    segment.machine = translated.machine
    segment.pins = [replace(pin) for pin in translated.pins]


def _copy_grammar(known: Pin, pin: Pin) -> None:
    pin.gender, pin.number, pin.article = known.gender, known.number, known.article


def _article_bytes(path: Path) -> bytes:
    if not path.exists():
        raise InputError("no such file", path=path)
    return read_regular(path, InputError, what="article file", limit=MAX_ARTICLE_BYTES)


def _label(item: _Item) -> str:
    """An article as messages name it: its output path below `OUT/LANG/`, no extension."""
    return display_path(item.source.stem)


def _plural(number: int, noun: str) -> str:
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"


def _protector(matcher: TermMatcher) -> Callable[[str], list[tuple[int, int]]]:
    return lambda text: [(match.start, match.end) for match in matcher.find(text)]


@functools.cache
def _segmenter_id() -> str:
    from importlib.metadata import version

    return f"sentencex {version('sentencex')} + glossator rules"
