"""The translate job: read → segment → translate → write, for many articles and languages.

Every input is read and every engine chosen before anything is translated, and every output is
rendered before anything is written, so a bad input never leaves half the files behind.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Sequence
from pathlib import Path

from glossator import __version__
from glossator.article import Article, read_article
from glossator.engines import choose_engine
from glossator.errors import LanguageError
from glossator.formats import Format
from glossator.fsutil import write_all
from glossator.languages import base_language, display_name, parse_language
from glossator.model import Document, Segment
from glossator.pinning import term_report, translate_pinned
from glossator.terms import TermMatcher

Report = Callable[[str], None]


def _silent(_message: str) -> None:
    pass


def build_document(article: Article, source_lang: str,
                   protect: Callable[[str], Sequence[tuple[int, int]]] | None = None) -> Document:
    """Split an article's paragraphs into segments "paragraph.sentence".

    Title and dateline stay one segment each; `protect` gives spans no boundary may cut.
    """
    from glossator.segmenter import sentence_spans

    document = Document(name=article.name, source_lang=source_lang, path=article.path)
    for number, paragraph in enumerate(article.paragraphs, start=1):
        if paragraph.kind == "body":
            spans = sentence_spans(paragraph.text, base_language(source_lang),
                                   protect(paragraph.text) if protect else ())
            sentences = [paragraph.text[start:end] for start, end in spans]
        else:
            sentences = [paragraph.text]
        for index, sentence in enumerate(sentences, start=1):
            document.segments.append(Segment(id=f"{number}.{index}", source=sentence,
                                             paragraph=number, kind=paragraph.kind))
    if article.dropped:
        document.dropped = [line for _rule, line in article.dropped]
        document.header_notes.append(article.dropped_summary() + ": "
                                     + " | ".join(document.dropped))
    return document


def run_translate(article_paths: Sequence[str | Path], targets: Sequence[str], *,
                  source: str = "en", engine_name: str = "auto", out: Path = Path("locale"),
                  formats: Sequence[Format] = (), beam_size: int = 4,
                  glossary_paths: Sequence[str | Path] | None = None,
                  report: Report = _silent) -> list[Path]:
    """Translate articles into each target language and write the outputs; return their paths.

    `glossary_paths` None loads the default `glossaries/` folder; an empty list loads none.
    """
    from glossator.formats import DEFAULT_FORMATS, get_format
    from glossator.glossary_csv import default_glossary_paths, load_glossaries

    formats = list(formats) or [get_format(name) for name in DEFAULT_FORMATS]
    source = parse_language(source)
    target_codes = [parse_language(code) for code in targets]
    for code in target_codes:
        if base_language(code) == base_language(source):
            raise LanguageError(f"target language {display_name(code)} is the source language")

    if glossary_paths is None:
        glossary_paths = default_glossary_paths()
    glossary = load_glossaries(glossary_paths, base_language(source)) if glossary_paths else None
    matcher = TermMatcher(glossary.concepts) if glossary else None
    if glossary:
        report(f"glossary: {len(glossary)} concepts from {', '.join(glossary.sources)}")

    articles = [read_article(path) for path in article_paths]
    for article in articles:
        if article.dropped:
            report(f"{article.path}: {article.dropped_summary()}")
    protect = _protector(matcher) if matcher else None
    documents = [build_document(article, source, protect) for article in articles]

    engines = {code: choose_engine(engine_name, base_language(source), base_language(code),
                                   beam_size=beam_size)
               for code in dict.fromkeys(target_codes)}

    rendered: dict[Path, str] = {}
    for code, engine in engines.items():
        translated = [copy.deepcopy(document) for document in documents]
        segments = [segment for document in translated for segment in document.segments]
        model = engine.model_id(base_language(source), base_language(code))
        report(f"translating {len(segments)} segments from {len(translated)} article(s) "
               f"into {display_name(code)} with {model}")
        report(translate_pinned(engine, segments, source, code, matcher).line())
        signature = (f"glossator {__version__} | engine {model} | segmenter {_segmenter_id()} "
                     f"| glossary {glossary.signature() if glossary else 'none'}")
        for document in translated:
            document.target_lang = code
            document.signature = signature
            document.header_notes.append(term_report(code, document.segments).line())
            for fmt in formats:
                rendered[out / code / fmt.filename(document)] = fmt.render(document)
    return write_all(rendered)


def _protector(matcher: TermMatcher) -> Callable[[str], list[tuple[int, int]]]:
    return lambda text: [(match.start, match.end) for match in matcher.find(text)]


def _segmenter_id() -> str:
    from importlib.metadata import version

    return f"sentencex {version('sentencex')} + glossator rules"
