"""The translate job: read → segment → translate → write, for many articles and languages.

Every input is read and every engine chosen before anything is translated, and every output is
rendered before anything is written, so a bad input never leaves half the files behind.
"""

from __future__ import annotations

import copy
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from glossator import __version__
from glossator.article import Article, read_article
from glossator.engines import choose_engine
from glossator.engines.base import Engine
from glossator.errors import InputError, LanguageError, UsageError, display_path
from glossator.formats import Format
from glossator.fsutil import ensure_writable_dir, output_lock, write_all
from glossator.glossary.matcher import TermMatcher
from glossator.glossary.model import Glossary
from glossator.languages import base_language, display_name, parse_language
from glossator.merge import check_previous, merge, reviewed_pairs
from glossator.model import Document, Segment
from glossator.pinning import (
    TermReport,
    attach_pins,
    flag_misses,
    probe_grammar,
    term_report,
    translate_segments,
)

Report = Callable[[str], None]


def _silent(_message: str) -> None:
    pass


def build_document(article: Article, source_lang: str,
                   protect: Callable[[str], Sequence[tuple[int, int]]] | None = None) -> Document:
    """Split an article's paragraphs into segments "paragraph.sentence".

    Title and dateline stay one segment each; `protect` gives spans no boundary may cut. A
    sentence (or title) over `MAX_SEGMENT_CHARS` is cut at clause boundaries into several
    segments, numbered on as sentences are, each with an informational note that says so.
    """
    from glossator.segmenter import (
        MAX_SEGMENT_CHARS,
        clause_spans,
        sentence_spans,
        split_note,
    )

    document = Document(name=article.name, source_lang=source_lang, path=article.path,
                        article=article.path.name)
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
    paths: list[Path]
    term_reports: list[TermReport]
    qa_findings: int


def run_translate(article_paths: Sequence[str | Path], targets: Sequence[str], *,
                  source: str = "en", engine_name: str = "auto", out: Path = Path("locale"),
                  formats: Sequence[Format] = (), beam_size: int = 4,
                  glossary_paths: Sequence[str | Path] | None = None,
                  always_mask: bool = False, report: Report = _silent) -> RunResult:
    """Translate articles into each target language and write the outputs.

    `glossary_paths` None loads what the default rule finds (`./glossaries/`, then
    `$GLOSSATOR_GLOSSARIES`, then the user data folder); an empty list loads none.
    A previous run's PO files in `out` are merged: reviewed translations are never replaced.
    """
    from glossator.formats import DEFAULT_FORMATS, get_format
    from glossator.glossary.loader import load_glossary, select_glossaries

    if isinstance(beam_size, bool) or not isinstance(beam_size, int) or beam_size < 1:
        raise UsageError(f"beam size must be a whole number, at least 1, not {beam_size!r}")
    if not article_paths:
        raise UsageError("no article given")
    if not targets:
        raise UsageError("no target language given")
    formats = list(formats) or [get_format(name) for name in DEFAULT_FORMATS]
    source = parse_language(source)
    target_codes = list(dict.fromkeys(parse_language(code) for code in targets))
    for code in target_codes:
        if base_language(code) == base_language(source):
            raise LanguageError(f"target language {display_name(code)} is the source language")

    chosen = select_glossaries(glossary_paths, source)
    glossary = load_glossary(chosen.paths, base_language(source)) if chosen.paths else None
    matcher = TermMatcher(glossary.concepts) if glossary else None
    # The same file named twice ("a.txt ./a.txt") is one article.
    unique_paths: dict[str, str | Path] = {}
    for path in article_paths:
        unique_paths.setdefault(os.path.realpath(path), path)
    articles = [read_article(path) for path in unique_paths.values()]
    _refuse_shared_outputs(articles, formats, out, target_codes, source)
    engines = {code: choose_engine(engine_name, base_language(source), base_language(code),
                                   beam_size=beam_size) for code in target_codes}
    ensure_writable_dir(out)

    # Every input is valid: only now say what was found.
    for line in chosen.left_out_lines():
        report(line)
    if glossary is None:
        report(f"glossary: none used ({chosen.none_reason})")
    else:
        report(f"glossary: {len(glossary)} concepts from {', '.join(glossary.sources)}")
    for article in articles:
        if article.dropped:
            report(f"{article.path}: {article.dropped_summary()}")
    protect = _protector(matcher) if matcher else None
    documents = [build_document(article, source, protect) for article in articles]

    with output_lock(out, target_codes):
        rendered: dict[Path, str] = {}
        reports, findings = [], 0
        for code, engine in engines.items():
            translated, memory_text, term_report = _translate_into(
                code, engine, documents, source, matcher, out, glossary, always_mask, report)
            reports.append(term_report)
            for document in translated:
                findings += sum(len(segment.qa) for segment in document.segments)
                for fmt in formats:
                    rendered[out / code / fmt.filename(document)] = fmt.render(document)
            if memory_text:
                rendered[out / code / MEMORY_FILE] = memory_text
        return RunResult(write_all(rendered), reports, findings)


MEMORY_FILE = "memory.tmx"


def _refuse_shared_outputs(articles: Sequence[Article], formats: Sequence[Format], out: Path,
                           codes: Sequence[str], source: str) -> None:
    """Two articles whose outputs have one name ("a/story.txt" and "b/story.txt", "story.txt"
    and "story.md") would overwrite each other: one would be lost. Until outputs mirror the
    input folders, such a run is refused before anything is loaded or translated."""
    owners: dict[str, Article] = {}
    folder = out / codes[0]
    for article in articles:
        stub = Document(name=article.name, source_lang=source, path=article.path,
                        article=article.path.name)
        for fmt in formats:
            name = fmt.filename(stub)
            if name == MEMORY_FILE:
                raise InputError(f"its {fmt.name} output would be {display_path(folder / name)}"
                                 ", the translation memory; rename the article",
                                 path=article.path)
            first = owners.setdefault(name, article)
            if first is not article:
                raise InputError(f"same output file as {display_path(first.path)} "
                                 f"({display_path(folder / name)}): one article would be lost; "
                                 "rename one, or translate them in separate runs with different "
                                 "--out folders", path=article.path)


def _translate_into(code: str, engine: Engine, documents: list[Document], source: str,
                    matcher: TermMatcher | None, out: Path, glossary: Glossary | None,
                    always_mask: bool, report: Report) -> tuple[list[Document], str, TermReport]:
    """One target language: merge with the previous run, translate what is new, check it all."""
    from glossator.formats.po import read_po
    from glossator.formats.tmx import read_memory, write_memory
    from glossator.qa import check_document

    memory_path = out / code / MEMORY_FILE
    memory = read_memory(memory_path, source, code) if memory_path.exists() else {}
    translated = [copy.deepcopy(document) for document in documents]
    to_translate: list[Segment] = []
    for document in translated:
        document.target_lang = code
        attach_pins(document.segments, matcher, code)
    # Grammar read off the engine is part of each pin, so it is settled before merging.
    probe_grammar(engine, [pin for d in translated for s in d.segments for pin in s.pins],
                  base_language(source), base_language(code))
    for document in translated:
        previous_path = out / code / f"{document.name}.po"
        previous = read_po(previous_path) if previous_path.exists() else None
        if previous:
            check_previous(previous, document, code, previous_path)
        merged = merge(document, previous, memory)
        if previous or merged.kept:
            report(f"{document.name} ({code}): {merged.summary()}")
        to_translate.extend(merged.to_translate)

    model = engine.model_id(base_language(source), base_language(code))
    if to_translate:
        report(f"translating {_plural(len(to_translate), 'segment')} from "
               f"{_plural(len(translated), 'article')} into {display_name(code)} with {model}")
        translate_segments(engine, to_translate, source, code, always_mask=always_mask)
    language_report = flag_misses([s for d in translated for s in d.segments], code)
    report(language_report.line())

    signature = (f"glossator {__version__} | engine {model} | segmenter {_segmenter_id()} "
                 f"| glossary {glossary.signature() if glossary else 'none'}")
    for document in translated:
        document.signature = signature
        document.header_notes.append(term_report(code, document.segments).line())
        findings = check_document(document)
        document.header_notes.append(f"qa {code}: {len(findings)} finding(s)")
        if findings:
            report(f"{document.name} ({code}): {len(findings)} QA finding(s)")

    reviewed = reviewed_pairs(translated)
    if any(memory.get(text) != target for text, target in reviewed.items()):
        memory_text = write_memory(sorted({**memory, **reviewed}.items()), source, code)
    else:
        memory_text = ""
    return translated, memory_text, language_report


def _plural(number: int, noun: str) -> str:
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"


def _protector(matcher: TermMatcher) -> Callable[[str], list[tuple[int, int]]]:
    return lambda text: [(match.start, match.end) for match in matcher.find(text)]


def _segmenter_id() -> str:
    from importlib.metadata import version

    return f"sentencex {version('sentencex')} + glossator rules"
