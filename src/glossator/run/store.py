"""The run's store: everything that reads or writes files — placing each article's outputs,
reading articles and the previous POs and memory before anything is written, preparing a
document (segmented, pinned, merged with what a previous run and its reviewers left), and
checking, rendering and writing finished documents atomically. The scheduler
(`run/scheduler.py`) does the rest without touching a file.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePath

from glossator import __version__
from glossator.errors import FormatError, GlossatorError, InputError, display_path
from glossator.formats import Format
from glossator.formats.tmx import reviewed_pairs
from glossator.glossary.matcher import TermMatcher
from glossator.io.files import BackgroundWriter
from glossator.io.names import text_name
from glossator.io.reading import MAX_ARTICLE_BYTES, read_regular
from glossator.model import Document, Pin
from glossator.run.context import RunContext
from glossator.run.discovery import Source
from glossator.run.merge import check_previous, merge
from glossator.run.placement import OutputIndex, article_key, key_path, recorded_key
from glossator.run.progress import Progress
from glossator.run.request import RunResult
from glossator.run.resume import fingerprint, header_note, seal, source_digest, up_to_date
from glossator.run.scheduler import Pending
from glossator.terms.markup import place_markup
from glossator.terms.pinning import TermReport, attach_pins, flag_misses
from glossator.terms.qa import CheckedSegments
from glossator.text.article import Article
from glossator.text.document import build_document
from glossator.text.fuzzy import FuzzyIndex, Unit
from glossator.text.sources import parse_source

Report = Callable[[str], None]
MEMORY_FILE = "memory.tmx"
ARTICLES_KEPT_BYTES = 64 * 1024 * 1024  # planned articles kept parsed for `prepare`, at most
PINS_REMEMBERED = 4_096  # source texts whose pins a run remembers per language, at most
MEMORY_ORIGIN = "memory"  # a match's origin, as XLIFF's <alt-trans origin> names it
MATCHES = 5  # fuzzy matches written per segment, best first
# Finished articles rendered and handed to the writer together: small enough that writing
# starts while the run renders the next ones, large enough that their fsyncs share commits.
WRITE_BATCH = 16


@dataclass
class Item:
    """An article of the run and the languages it needs translating into."""

    source: Source
    todo: tuple[str, ...]


class Store:
    """The files of one run: its articles, its output folder, its translation memories."""

    def __init__(self, context: RunContext, out: Path, formats: Sequence[Format],
                 matcher: TermMatcher | None, report: Report, progress: Progress) -> None:
        self.context = context
        self.out = out
        self.formats = formats
        self.models: dict[str, str] = {}  # language → engine model id, set before `plan`
        self.matcher = matcher
        self.protect = matcher.spans if matcher else None
        self.report = report
        self.progress = progress
        self.dropped: list[str] = []
        self.memories: dict[str, dict[str, str]] = {}
        self.memory_changed: dict[str, bool] = {}
        self.memory_indexes: dict[str, FuzzyIndex] = {}  # language → the memory, indexed
        # Articles `plan` parsed, by path, with their bytes' digest and size: `prepare` takes
        # each as read then, neither read nor parsed again (an ODT costs ~20 ms, a DOCX ~4),
        # within ARTICLES_KEPT_BYTES.
        self.planned: dict[Path, tuple[str, Article, int]] = {}
        self.planned_bytes = 0
        self.terms: dict[str, TermReport] = {}
        self.result = RunResult([], [], 0)
        self.stems: dict[tuple[str, Path], PurePath] = {}  # (language, article) → output stem
        self._keys: dict[Path, str] = {}
        self._real_folders: dict[str, str] = {}  # folder → its real path (`article_key`)
        self._outputs: dict[tuple[str, Path, PurePath], dict[str, Path]] = {}
        self._previous_paths: dict[tuple[str, PurePath], Path] = {}
        self.checked = CheckedSegments()  # QA's findings, once per distinct segment
        self.pins_found: dict[str, dict[str, tuple[Pin, ...]]] = {}  # language → text → pins
        self.writer = BackgroundWriter()  # files are synced while the run goes on
        # Whether `plan` found a previous PO for (language, article): `prepare` does not ask
        # the file system again (a call that gives up the GIL to the engine's thread).
        self.previous_found: dict[tuple[str, Path], bool] = {}

    def key(self, article: Path) -> str:
        """The article's key (`placement.article_key`), worked out once per run: placing,
        resuming, checking and writing all ask for it."""
        if article not in self._keys:
            self._keys[article] = article_key(article, self.out, self._real_folders)
        return self._keys[article]

    # Before anything is written ---------------------------------------------------------------

    def fingerprint(self, code: str, item: Source, digest: str) -> str:
        return fingerprint(__version__, digest, self.key(item.path),
                           self.context.source, code, self.models[code],
                           self.context.glossary_signature, _segmenter_id(),
                           self.context.output_options())

    def stem(self, code: str, item: Source) -> PurePath:
        """Where `item`'s outputs in language `code` go, below `OUT/LANG/`, without extension."""
        stem = self.stems.get((code, item.path))
        return item.stem if stem is None else stem

    def outputs(self, code: str, item: Source) -> dict[str, Path]:
        """Format name → output path of `item` in language `code`."""
        stem = self.stem(code, item)
        key = (code, item.path, stem)
        if key not in self._outputs:
            # The article's name tells the formats that write a document in its own format
            # (Markdown, DOCX: formats.txt) which extension their output takes.
            stub = Document(name=stem.name, source_lang=self.context.source,
                            article=item.path.name)
            folder = self.out / code / stem.parent
            self._outputs[key] = {fmt.name: folder / fmt.filename(stub) for fmt in self.formats}
        return dict(self._outputs[key])

    def previous_path(self, code: str, item: Source) -> Path:
        stem = self.stem(code, item)
        path = self._previous_paths.get((code, stem))
        if path is None:
            path = self._previous_paths[(code, stem)] = (self.out / code / stem.parent
                                                         / f"{stem.name}.po")
        return path

    def place(self, sources: Sequence[Source]) -> list[Source]:
        """Decide where each article's outputs go in each language (see `placement`): the PO
        that records the article, wherever it is, else the mirrored path. Two articles of the
        run with one output file, or an article whose output is another article's PO, are
        refused before anything is translated (with `keep_going`: that article is left out)."""
        placed = list(sources)
        for code in self.context.targets:
            index = OutputIndex(self.out / code)
            owners: dict[str, Source] = {}
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
               owners: dict[str, Source]) -> None:
        key = self.key(item.path)
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
            relative = os.path.relpath(name, folder)  # normalised: compared as it is
            if relative == MEMORY_FILE:
                raise InputError(f"its {fmt} output would be {display_path(name)}, the "
                                 "translation memory; rename the article", path=item.path)
            first = owners.setdefault(relative, item)
            if first is not item:
                raise InputError(f"same output file as {display_path(first.path)} "
                                 f"({display_path(name)}): one article would be lost; "
                                 "rename one, or translate them in separate runs with different "
                                 "--out folders", path=item.path)

    def plan(self, sources: Sequence[Source]) -> list[Item]:
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
                article = parse_source(data, item.path)
                for code in todo:
                    self._check_previous(code, item)
                if self.planned_bytes + len(data) <= ARTICLES_KEPT_BYTES:
                    if article.layout is not None:
                        article.layout.parsed = None  # the library's object: not needed again
                    self.planned[item.path] = (digest, article, len(data))
                    self.planned_bytes += len(data)
            except GlossatorError as error:
                if not self.context.keep_going:
                    raise
                self.result.failed.append(error)
                continue
            self.result.skipped += len(self.context.targets) - len(todo)
            if article.dropped:
                self.dropped.append(f"{item.path}: {article.dropped_summary()}")
            plan.append(Item(item, todo))
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
        self.previous_found[(code, item.path)] = found = path.exists()
        if found:
            stub = Document(name=text_name(item.stem.name), source_lang=self.context.source,
                            article=text_name(item.path.name),
                            source_key=self.key(item.path))
            check_previous(read_po(path), stub, code, path)

    # Preparing and writing documents -----------------------------------------------------

    def prepare(self, code: str, item: Item) -> Pending | None:
        """Read, segment, pin and merge one article for language `code`: the document and its
        segments to translate. None when it cannot be read and the run keeps going."""
        from glossator.formats.po import read_po

        path = item.source.path
        try:
            last = code == item.todo[-1]  # the languages are translated in turn
            kept = self.planned.pop(path, None) if last else self.planned.get(path)
            if kept is not None:  # as `plan` read it: translated and fingerprinted as read
                digest, article, size = kept
                if last:
                    self.planned_bytes -= size
            else:
                data = _article_bytes(path)
                digest, article = source_digest(data), parse_source(data, path)
            previous_path = self.previous_path(code, item.source)
            found = self.previous_found.pop((code, path), None)
            if found is None:
                found = previous_path.exists()
            previous = read_po(previous_path) if found else None
            document = build_document(article, self.context.source, self.protect)
            document.name = text_name(self.stem(code, item.source).name)
            document.source_key = self.key(path)
            if previous:
                check_previous(previous, document, code, previous_path)
        except GlossatorError as error:
            if not self.context.keep_going:
                raise
            self.result.failed.append(error)
            return None
        document.target_lang = code
        found = self.pins_found.setdefault(code, {})
        if len(found) >= PINS_REMEMBERED:
            found.clear()
        attach_pins(document.segments, self.matcher, code, self.context.source, found=found)
        merged = merge(document, previous, self.memories[code], retranslate=self.context.force)
        if previous or merged.kept:
            self.report(f"{_label(item)} ({code}): {merged.summary()}")
        return Pending(item, document, merged.to_translate, digest)

    def close(self, *, failed: bool = False) -> None:
        """Finish writing what `write` queued. Where the run `failed` already, an error of the
        writing is not raised over the run's own."""
        try:
            self.writer.close()
        except GlossatorError:
            if not failed:
                raise

    def term_report(self, code: str) -> TermReport:
        """The pins of every document of `code` written so far, counted."""
        return self.terms.setdefault(code, TermReport(code))

    def write(self, code: str, finished: list[Pending]) -> None:
        """Check, render and write finished documents (and the memory, if it grew), each
        `WRITE_BATCH` of them in one all-or-nothing write (the memory with the last), done
        beside the run (`close` waits for it)."""
        for start in range(0, len(finished), WRITE_BATCH):
            self._write_batch(code, finished[start:start + WRITE_BATCH],
                              last=start + WRITE_BATCH >= len(finished))

    def _write_batch(self, code: str, finished: list[Pending], *, last: bool) -> None:
        from glossator.formats.tmx import write_memory
        from glossator.terms.qa import check_document

        files: dict[Path, str | bytes] = {}
        written: list[Path] = []
        memory = self.memories[code]
        segments = 0
        for pending in finished:
            document = pending.document
            report = flag_misses(document.segments, code)
            place_markup(document.segments)  # after the proof, which reads plain machine text
            self._count(code, report)
            document.signature = self.signature(code)
            document.header_notes.append(report.line())
            findings = check_document(document, self.checked)
            document.header_notes.append(f"qa {code}: {len(findings)} finding(s)")
            if findings:
                self.report(f"{_label(pending.item)} ({code}): {len(findings)} QA finding(s)")
            self.result.qa_findings += len(findings)
            self._attach_matches(code, document)
            files.update(self._render(code, pending))
            written.extend(self.outputs(code, pending.item.source).values())  # formats' order
            for text, target in reviewed_pairs([document]).items():
                if memory.get(text) != target:
                    memory[text] = target
                    self.memory_changed[code] = True
                    if code in self.memory_indexes:  # a pair it replaces is left out by lookups
                        self.memory_indexes[code].add(Unit(text, target, MEMORY_ORIGIN))
            segments += len(document.segments)
        if last and self.memory_changed.get(code):
            files[self.out / code / MEMORY_FILE] = write_memory(
                sorted(memory.items()), self.context.source, code)
            written.append(self.out / code / MEMORY_FILE)
            self.memory_changed[code] = False
        self.writer.write(files)
        self.result.paths.extend(written)
        self.result.translated += len(finished)
        self.progress.update(articles=len(finished), segments=segments)

    def _attach_matches(self, code: str, document: Document) -> None:
        """The memory's fuzzy matches (glossator.text.fuzzy) on every segment still to be
        approved but datelines (another day's is no help), for a reviewer's tool: PO
        `match:` lines, XLIFF `<alt-trans>`. The memory is indexed once per language and
        grows with what the run's documents add to it."""
        memory = self.memories[code]
        if not memory:
            return
        index = self.memory_indexes.get(code)
        if index is None:
            index = self.memory_indexes[code] = FuzzyIndex(
                Unit(source, target, MEMORY_ORIGIN) for source, target in memory.items())
        for segment in document.segments:
            if not segment.fuzzy or segment.kind == "dateline":  # a date is written, not matched
                continue
            segment.matches = [match for match in index.lookup(segment.source, limit=MATCHES)
                               if memory.get(match.source) == match.target
                               and (match.source, match.target) != (segment.source,
                                                                    segment.target)]

    def signature(self, code: str) -> str:
        return (f"glossator {__version__} | engine {self.models[code]} | segmenter "
                f"{_segmenter_id()} | glossary {self.context.glossary_signature}")

    def _render(self, code: str, pending: Pending) -> dict[Path, str | bytes]:
        """Every output of a finished document; the PO file sealed for resuming, and last:
        files are renamed into place in this order, and a run cut off between two renames
        must not leave a sealed PO beside an older output, which resuming would take as up to
        date."""
        document, files, sealed = pending.document, {}, {}
        paths = self.outputs(code, pending.item.source)
        for fmt in self.formats:
            if fmt.name == "po":
                print_ = self.fingerprint(code, pending.item.source, pending.digest)
                document.header_notes.append(header_note(print_))
                sealed[paths[fmt.name]] = seal(fmt.render(document), print_)
                document.header_notes.pop()
            else:
                files[paths[fmt.name]] = fmt.render(document)
        return files | sealed

    def _count(self, code: str, report: TermReport) -> None:
        terms = self.term_report(code)
        terms.found += report.found
        terms.pinned += report.pinned
        terms.preferred += report.preferred
        terms.misses.extend(report.misses)


def _article_bytes(path: Path) -> bytes:
    if not path.exists():
        raise InputError("no such file", path=path)
    return read_regular(path, InputError, what="article file", limit=MAX_ARTICLE_BYTES)


def _label(item: Item) -> str:
    """An article as messages name it: its output path below `OUT/LANG/`, no extension."""
    return display_path(item.source.stem)


@functools.cache
def _segmenter_id() -> str:
    from importlib.metadata import version

    return f"sentencex {version('sentencex')} + glossator rules"
